//! Copies of the contoso tenant with one change each, built in a scratch folder by editing its
//! JSON with serde_json: a policy's expiration removed (a new GS301), a guest who never signed
//! in added (a new GS501, and GS504), an incompatibility removed (GS401 fixed).

use std::path::{Path, PathBuf};
use std::process::Command;

use grantscope_tests::{grantscope, workspace_root};
use serde_json::{Value, json};

use crate::formats::scratch;

/// "Finance may request" (package "Payments - Approve"): self-service, expires after 365 days.
pub(crate) const FINANCE_POLICY: &str = "204549fa";
/// The guest the guest variant adds.
pub(crate) const NEW_GUEST: &str = "99999999-0000-4000-8000-000000000001";
/// Noah Kim holds both of these incompatible packages (GS401, critical).
const VENDOR_MASTER_DATA: &str = "032cf5e8-809f-50cf-b7f5-c0b6428230b8";
const PROCUREMENT_PORTAL: &str = "620011e3-01d6-5583-9201-a4d278d1ded2";

/// The fingerprint of Noah Kim's GS401 finding (critical).
pub(crate) const NOAH_GS401: &str = "f8f1d56dfb8b31763e6943aa27dcc3e6";
/// Omar Haddad and Zoe Müller: the subjects of contoso's two GS204 findings (critical).
pub(crate) const OMAR: &str = "d146b802-8705-5c52-b0d2-824fce6cd352";
pub(crate) const ZOE: &str = "d4ef01cc-e82b-531b-8a25-b2fcad6c1f21";

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A fresh scratch folder for `test` holding a copy of contoso in `contoso/` (with its
/// grantscope.toml), returned with the copy's path.
pub(crate) fn contoso_copy(test: &str) -> (PathBuf, PathBuf) {
    let dir = scratch(test);
    let tenant = dir.join("contoso");
    copy_dir(&workspace_root().join("fixtures/tenants/contoso"), &tenant);
    (dir, tenant)
}

/// Edits one JSON file of a tenant copy.
pub(crate) fn edit(tenant: &Path, file: &str, f: impl FnOnce(&mut Value)) {
    let path = tenant.join(file);
    let mut value: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    f(&mut value);
    std::fs::write(&path, serde_json::to_string_pretty(&value).unwrap()).unwrap();
}

/// The Finance policy no longer expires.
pub(crate) fn remove_expiration(tenant: &Path) {
    edit(tenant, "assignmentPolicies.json", |v| {
        let policy = v["value"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|p| p["id"].as_str().unwrap().starts_with(FINANCE_POLICY))
            .unwrap();
        policy["expiration"] =
            json!({ "type": "noExpiration", "duration": null, "endDateTime": null });
    });
}

/// A guest, invited in January 2025, who never signed in and holds nothing.
pub(crate) fn add_guest(tenant: &Path) {
    edit(tenant, "users.json", |v| {
        v["value"].as_array_mut().unwrap().push(json!({
            "id": NEW_GUEST, "displayName": "Quinn Guest",
            "userPrincipalName": "quinn_tailspin.example#EXT#@contoso.onmicrosoft.com",
            "mail": "quinn@tailspin.example", "userType": "Guest", "accountEnabled": true,
            "createdDateTime": "2025-01-10T09:00:00Z", "creationType": "Invitation",
            "externalUserState": "Accepted",
            "externalUserStateChangeDateTime": "2025-01-11T09:00:00Z",
        }));
    });
    edit(tenant, "signInActivity.json", |v| {
        v["value"].as_array_mut().unwrap().push(json!({
            "id": NEW_GUEST,
            "signInActivity": { "lastSignInDateTime": null,
                                "lastNonInteractiveSignInDateTime": null,
                                "lastSuccessfulSignInDateTime": null },
        }));
    });
}

/// Vendor Master Data and Procurement Portal are no longer incompatible.
pub(crate) fn remove_incompatibility(tenant: &Path) {
    for package in [VENDOR_MASTER_DATA, PROCUREMENT_PORTAL] {
        edit(
            tenant,
            &format!("incompatibleAccessPackages-{package}.json"),
            |v| v["value"] = json!([]),
        );
    }
}

/// `grantscope` run in `dir` (so that paths in the output are relative to it).
pub(crate) fn grantscope_in<I, S>(dir: &Path, args: I) -> Command
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let mut command = grantscope(args);
    command.current_dir(dir);
    command
}

/// More arguments for a command, by value (for `run`).
pub(crate) trait With {
    fn with(self, more: &[&str]) -> Command;
}

impl With for Command {
    fn with(mut self, more: &[&str]) -> Command {
        self.args(more);
        self
    }
}
