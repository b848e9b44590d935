//! Rules of the `guest-lifecycle` category: external accounts that outlive their need.

pub mod disabled_user_with_assignments;
pub mod guest_lifecycle_disabled;
pub mod guest_without_access;
pub mod pending_invitation;
pub mod stale_guest;
pub mod unconfigured_connected_organization;

use super::{DynRule, RuleContext};
use crate::model::{Timestamp, User};

pub(super) static RULES: &[&dyn DynRule] = &[
    &stale_guest::StaleGuest,
    &pending_invitation::PendingInvitation,
    &guest_lifecycle_disabled::GuestLifecycleDisabled,
    &guest_without_access::GuestWithoutAccess,
    &disabled_user_with_assignments::DisabledUserWithAssignments,
    &unconfigured_connected_organization::UnconfiguredConnectedOrganization,
];

/// A date as evidence and in messages (`YYYY-MM-DD`).
pub(crate) fn ymd(t: Timestamp) -> String {
    crate::dates::ymd(t)
}

/// `"name"` or, without a name, the id.
pub(crate) fn quoted(name: Option<&str>, id: &str) -> String {
    match name {
        Some(n) if !n.trim().is_empty() => format!("\"{n}\""),
        _ => id.to_owned(),
    }
}

/// A user in messages: `"Display Name"`, else the UPN, else the id.
pub(crate) fn user_words(u: &User) -> String {
    quoted(
        u.display_name
            .as_deref()
            .or(u.user_principal_name.as_deref()),
        &u.id,
    )
}

/// "Guest" or "User", as the subject of a message.
pub(crate) fn kind_words(u: &User) -> &'static str {
    if u.is_guest() { "Guest" } else { "User" }
}

/// Whether "who holds what" can be read from the export: `Err` when there are active
/// assignments but none of them can be linked to a user in the export (beta `targetId` without
/// subject data, as EntraExporter writes them). Rules built on holdings are then not evaluated
/// instead of reporting that nobody holds anything.
pub(crate) fn holdings_resolvable(ctx: &RuleContext<'_>) -> Result<(), String> {
    let mut active = 0usize;
    for a in ctx.snapshot.assignments.values().filter(|a| a.is_active()) {
        active += 1;
        if a.target_object_id
            .as_deref()
            .is_some_and(|u| ctx.graph.user_idx(u).is_some())
        {
            return Ok(());
        }
    }
    if active == 0 {
        return Ok(());
    }
    Err(format!(
        "none of the {active} active assignment(s) can be linked to a user in the export, so who \
         holds what is unknown; export assignments with $expand=target (their target.objectId is \
         the user id) together with users.json"
    ))
}

/// Assignments by target user, built in one pass: the active ones' ids and how many inactive
/// (expired, failed) ones each user has. Lists are in assignment id order.
#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::config::Config;
    use crate::graph::AccessGraph;
    use crate::model::{Assignment, AssignmentState, Snapshot};

    fn resolvable(s: &Snapshot) -> Result<(), String> {
        let config = Config::default();
        let g = AccessGraph::build(s, &config);
        let ctx = RuleContext::new(
            s,
            &g,
            &config,
            NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        );
        holdings_resolvable(&ctx)
    }

    #[test]
    fn holdings_are_unknown_only_when_no_active_assignment_links_to_a_user() {
        let mut s = Snapshot::default();
        assert!(resolvable(&s).is_ok());
        let active = |id: &str, user: Option<&str>| Assignment {
            id: id.into(),
            state: Some(AssignmentState::Delivered),
            access_package_id: Some("p".into()),
            target_subject_id: Some(format!("subject-{id}")),
            target_object_id: user.map(str::to_owned),
            ..Assignment::default()
        };
        s.assignments.insert("a1".into(), active("a1", None));
        s.assignments
            .insert("a2".into(), active("a2", Some("deleted-user")));
        assert!(resolvable(&s).unwrap_err().contains("none of the 2 active"));
        s.users.insert(
            "u".into(),
            User {
                id: "u".into(),
                ..User::default()
            },
        );
        s.assignments.insert("a3".into(), active("a3", Some("u")));
        assert!(resolvable(&s).is_ok());
    }
}
