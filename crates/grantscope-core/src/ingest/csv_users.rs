//! The Entra portal's "Download users" CSV (reference §16.2) → [`User`]s.
//!
//! The columns differ between the documented list, the observed download and the 2025 preview
//! (whose column set is the admin's choice), so every column is found by name, case-insensitively,
//! spaces ignored, with aliases (`id` | `objectId`, `invitationState` | `externalUserState`, …).
//! Unknown columns are ignored. `officeLocation` | `physicalDeliveryOfficeName` and `mobilePhone` |
//! `mobile` are recognised aliases too, but the model has no field for them yet.
//!
//! The file is secondary data: a cell that cannot be read (a boolean or date in an unknown
//! format) becomes a warning and an empty field, never a failed file. A row without an id and a
//! ragged row do fail the file.

use super::csv_audit::{CsvRecords, Header, Row, parse_portal_time, peek_header, shown};
use super::report::{LoadError, LoadWarning, WarningKind};
use crate::model::{ExternalUserState, Timestamp, User, UserType};

const ID: &[&str] = &["id", "objectId"];
const USER_PRINCIPAL_NAME: &[&str] = &["userPrincipalName"];
const USER_TYPE: &[&str] = &["userType"];
const DISPLAY_NAME: &[&str] = &["displayName"];
const MAIL: &[&str] = &["mail"];
const ACCOUNT_ENABLED: &[&str] = &["accountEnabled"];
const CREATED: &[&str] = &["createdDateTime"];
const CREATION_TYPE: &[&str] = &["creationType"];
const EXTERNAL_USER_STATE: &[&str] = &["invitationState", "externalUserState"];
const EXTERNAL_USER_STATE_CHANGED: &[&str] = &["externalUserStateChangeDateTime"];
const DEPARTMENT: &[&str] = &["department"];
const JOB_TITLE: &[&str] = &["jobTitle"];

/// True when the header (the first record) has a `userPrincipalName`, an `id` (or `objectId`) and
/// a `userType` column, matched case-insensitively with spaces ignored.
pub(crate) fn is_users_csv(text: &str) -> bool {
    peek_header(text).is_some_and(|h| {
        h.find_any(USER_PRINCIPAL_NAME).is_some()
            && h.find_any(ID).is_some()
            && h.find_any(USER_TYPE).is_some()
    })
}

/// A column: where it is and what it is called in this file (for messages).
#[derive(Debug, Clone, Copy)]
struct Column<'h> {
    index: Option<usize>,
    name: &'h str,
}

impl<'h> Column<'h> {
    fn new(header: &'h Header, aliases: &[&'h str]) -> Self {
        let index = header.find_any(aliases);
        let name = index.map_or(aliases.first().copied().unwrap_or_default(), |i| {
            header.name(i)
        });
        Column { index, name }
    }
}

struct UserColumns<'h> {
    id: Column<'h>,
    user_principal_name: Column<'h>,
    user_type: Column<'h>,
    display_name: Column<'h>,
    mail: Column<'h>,
    account_enabled: Column<'h>,
    created: Column<'h>,
    creation_type: Column<'h>,
    external_user_state: Column<'h>,
    external_user_state_changed: Column<'h>,
    department: Column<'h>,
    job_title: Column<'h>,
}

impl<'h> UserColumns<'h> {
    fn new(header: &'h Header) -> Self {
        UserColumns {
            id: Column::new(header, ID),
            user_principal_name: Column::new(header, USER_PRINCIPAL_NAME),
            user_type: Column::new(header, USER_TYPE),
            display_name: Column::new(header, DISPLAY_NAME),
            mail: Column::new(header, MAIL),
            account_enabled: Column::new(header, ACCOUNT_ENABLED),
            created: Column::new(header, CREATED),
            creation_type: Column::new(header, CREATION_TYPE),
            external_user_state: Column::new(header, EXTERNAL_USER_STATE),
            external_user_state_changed: Column::new(header, EXTERNAL_USER_STATE_CHANGED),
            department: Column::new(header, DEPARTMENT),
            job_title: Column::new(header, JOB_TITLE),
        }
    }
}

/// Parses the users CSV. Each row becomes a [`User`] with `source` `/rows/N` (N counts data rows
/// from 1) and the row's line; `manager_known` is false and sponsors and sign-in activity are not
/// exported (`None`).
///
/// Booleans: `True`/`False` in any case, also `1`/`0`, `yes`/`no`. Dates: as
/// [`parse_portal_time`] — `8/19/2021 3:02:10 PM` (month first, assumed UTC), ISO 8601, and
/// day-first when the first number is greater than 12. An ambiguous date such as `3/4/2021` is
/// read month-first without a warning: that is the portal's own format.
pub(crate) fn parse_users_csv(
    file: &str,
    text: &str,
) -> Result<(Vec<User>, Vec<LoadWarning>), LoadError> {
    let mut records = CsvRecords::new(file, text, "a users download")?;
    let header = records.header().clone();
    let c = UserColumns::new(&header);
    if c.id.index.is_none() {
        return Err(LoadError::new(
            file,
            "no \"id\" (or \"objectId\") column: expected the portal's users download \
             (userPrincipalName,displayName,…,id,userType,…)",
        )
        .at(1, 0));
    }

    let mut users = Vec::new();
    let mut warnings = Vec::new();
    while let Some(row) = records.next_row()? {
        let Some(id) = row.cell(c.id.index) else {
            return Err(LoadError::new(
                file,
                "the row has no object id: every user needs one".to_owned(),
            )
            .at(row.line, 0)
            .with_path(row.cell_path(c.id.name)));
        };
        let mut cells = Cells {
            file,
            row: &row,
            warnings: &mut warnings,
        };
        let user = User {
            id: id.trim().to_owned(),
            display_name: row.text(c.display_name.index),
            user_principal_name: row.text(c.user_principal_name.index),
            mail: row.text(c.mail.index),
            user_type: row
                .cell(c.user_type.index)
                .map(|t| UserType::parse(t.trim())),
            account_enabled: cells.boolean(c.account_enabled),
            created: cells.time(c.created),
            creation_type: row.text(c.creation_type.index),
            external_user_state: row
                .cell(c.external_user_state.index)
                .map(|s| ExternalUserState::parse(s.trim())),
            external_user_state_changed: cells.time(c.external_user_state_changed),
            department: row.text(c.department.index),
            job_title: row.text(c.job_title.index),
            sign_in_activity: None,
            manager_id: None,
            manager_known: false,
            sponsors: None,
            source: row.source(file),
        };
        users.push(user);
    }
    Ok((users, warnings))
}

/// Reads typed cells of one row, turning unreadable ones into warnings.
struct Cells<'a, 'r> {
    file: &'a str,
    row: &'a Row<'r>,
    warnings: &'a mut Vec<LoadWarning>,
}

impl Cells<'_, '_> {
    fn boolean(&mut self, column: Column<'_>) -> Option<bool> {
        let value = self.row.cell(column.index)?;
        let parsed = parse_bool(value);
        if parsed.is_none() {
            self.warn(
                column,
                &format!("expected True or False, found {}", shown(value)),
            );
        }
        parsed
    }

    fn time(&mut self, column: Column<'_>) -> Option<Timestamp> {
        let value = self.row.cell(column.index)?;
        let parsed = parse_portal_time(value);
        if parsed.is_none() {
            self.warn(
                column,
                &format!(
                    "expected a date and time such as 8/19/2021 3:02:10 PM or \
                     2021-08-19T15:02:10Z, found {}",
                    shown(value)
                ),
            );
        }
        parsed
    }

    fn warn(&mut self, column: Column<'_>, problem: &str) {
        self.warnings.push(LoadWarning {
            kind: WarningKind::UnsupportedValue,
            file: self.file.to_owned(),
            line: self.row.line,
            path: Some(self.row.cell_path(column.name)),
            message: format!("{problem}; the field is left empty"),
        });
    }
}

fn parse_bool(value: &str) -> Option<bool> {
    let v = value.trim();
    if ["true", "1", "yes"]
        .iter()
        .any(|t| v.eq_ignore_ascii_case(t))
    {
        Some(true)
    } else if ["false", "0", "no"]
        .iter()
        .any(|f| v.eq_ignore_ascii_case(f))
    {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;

    use super::*;

    /// The header of an observed download (reference §16.2).
    const OBSERVED_HEADER: &str = "userPrincipalName,displayName,surname,mail,givenName,id,\
        userType,jobTitle,department,accountEnabled,usageLocation,streetAddress,state,country,\
        officeLocation,city,postalCode,telephoneNumber,mobilePhone,alternateEmailAddress,ageGroup,\
        consentProvidedForMinor,legalAgeGroupClassification,companyName,creationType,\
        directorySynced,invitationState,identityIssuer,createdDateTime";

    fn ts(s: &str) -> Timestamp {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    #[test]
    fn recognises_headers_with_aliases() {
        assert!(is_users_csv(OBSERVED_HEADER));
        assert!(is_users_csv(
            "\"UserPrincipalName\",\"ObjectId\",\"UserType\"\n"
        ));
        assert!(is_users_csv("User principal name,Object ID,User type\n"));
        assert!(!is_users_csv("userPrincipalName,displayName,userType\n"));
        assert!(!is_users_csv("\"Date (UTC)\",\"CorrelationId\"\n"));
        assert!(!is_users_csv(""));
    }

    #[test]
    fn parses_the_observed_download() {
        let text = format!(
            "{OBSERVED_HEADER}\r\n\
             test12345@contoso.onmicrosoft.com,=3+1,=3+1,,=3+1,05f9eb61-470e-426c-b631-6db6bf429063,\
             Member,,,True,,,,,,,,,,,,,,,,,,MSOBBYSecoutlook.onmicrosoft.com,8/19/2021 3:02:10 PM\r\n\
             g_fabrikam.com#EXT#@contoso.onmicrosoft.com,Gil Guest,,g@fabrikam.com,,id-2,Guest,\
             Buyer,Procurement,FALSE,,,,,,,,,,,,,,,Invitation,,PendingAcceptance,,\
             12/31/2022 12:05:00 AM\r\n"
        );
        let (users, warnings) = parse_users_csv("users.csv", &text).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(users.len(), 2);

        let u = &users[0];
        assert_eq!(u.id, "05f9eb61-470e-426c-b631-6db6bf429063");
        assert_eq!(u.display_name.as_deref(), Some("=3+1"), "kept verbatim");
        assert_eq!(
            u.user_principal_name.as_deref(),
            Some("test12345@contoso.onmicrosoft.com")
        );
        assert_eq!(u.mail, None);
        assert_eq!(u.user_type, Some(UserType::Member));
        assert_eq!(u.account_enabled, Some(true));
        assert_eq!(u.created, Some(ts("2021-08-19T15:02:10Z")));
        assert_eq!(u.external_user_state, None);
        assert!(!u.manager_known);
        assert_eq!(u.sponsors, None);
        assert_eq!(u.sign_in_activity, None);
        assert_eq!(u.source.pointer, "/rows/1");
        assert_eq!(u.source.line, 2);

        let g = &users[1];
        assert!(g.is_guest());
        assert_eq!(g.account_enabled, Some(false));
        assert!(!g.is_enabled());
        assert_eq!(g.mail.as_deref(), Some("g@fabrikam.com"));
        assert_eq!(g.job_title.as_deref(), Some("Buyer"));
        assert_eq!(g.department.as_deref(), Some("Procurement"));
        assert_eq!(g.creation_type.as_deref(), Some("Invitation"));
        assert_eq!(
            g.external_user_state,
            Some(ExternalUserState::PendingAcceptance)
        );
        assert_eq!(
            g.created,
            Some(ts("2022-12-31T00:05:00Z")),
            "12:05 AM is just after midnight"
        );
        assert_eq!(g.source.line, 3);
    }

    #[test]
    fn aliases_and_other_boolean_and_date_spellings() {
        let text = "ObjectId;x,UPN\n"; // not a users CSV, but parse it anyway: one column `objectid;x`
        assert!(parse_users_csv("u.csv", text).is_err());

        let text = "\u{feff}\"objectId\",\"userPrincipalName\",\"UserType\",\"Account Enabled\",\
                    \"externalUserState\",\"createdDateTime\",\"physicalDeliveryOfficeName\",\"extra\"\n\
                    a,a@x,member,yes,Accepted,2021-08-19T15:02:10.1234567Z,HQ,ignored\n\
                    b,b@x,Guest,0,,19/8/2021 15:02:10,,\n\
                    c,c@x,Member,true,,,,\n";
        let (users, warnings) = parse_users_csv("u.csv", text).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        let ids: Vec<&str> = users.iter().map(|u| u.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c"]);
        assert_eq!(users[0].account_enabled, Some(true));
        assert_eq!(
            users[0].external_user_state,
            Some(ExternalUserState::Accepted)
        );
        assert_eq!(users[0].created, Some(ts("2021-08-19T15:02:10.1234567Z")));
        assert_eq!(users[1].account_enabled, Some(false));
        assert_eq!(
            users[1].created,
            Some(ts("2021-08-19T15:02:10Z")),
            "day first when > 12"
        );
        assert_eq!(users[2].created, None);
        assert_eq!(users[2].account_enabled, Some(true));
    }

    #[test]
    fn unreadable_cells_warn_and_leave_the_field_empty() {
        let text = "id,userPrincipalName,userType,accountEnabled,createdDateTime\n\
                    a,a@x,Member,maybe,last Tuesday\n";
        let (users, warnings) = parse_users_csv("u.csv", text).unwrap();
        assert_eq!(users.len(), 1);
        assert_eq!(users[0].account_enabled, None);
        assert_eq!(users[0].created, None);
        assert_eq!(warnings.len(), 2);
        assert!(
            warnings
                .iter()
                .all(|w| w.kind == WarningKind::UnsupportedValue && w.line == 2)
        );
        assert_eq!(
            warnings[0].path.as_deref(),
            Some("row 1, column \"accountEnabled\"")
        );
        assert!(
            warnings[0].message.contains("found \"maybe\""),
            "{}",
            warnings[0].message
        );
        assert_eq!(
            warnings[1].path.as_deref(),
            Some("row 1, column \"createdDateTime\"")
        );
    }

    #[test]
    fn row_without_id_is_an_error() {
        let text = "userPrincipalName,Object ID,userType\na@x,a,Member\nb@x,,Guest\n";
        let err = parse_users_csv("u.csv", text).unwrap_err();
        assert_eq!(err.line, 3);
        assert_eq!(err.path.as_deref(), Some("row 2, column \"Object ID\""));
        assert!(err.message.contains("no object id"), "{err}");
    }

    #[test]
    fn ragged_row_is_an_error() {
        let text = "id,userPrincipalName,userType\na,a@x,Member\n\"b\nb\",b@x\n";
        let err = parse_users_csv("u.csv", text).unwrap_err();
        assert_eq!(err.line, 3);
        assert_eq!(err.path.as_deref(), Some("row 2"));
        assert!(
            err.message.starts_with("expected 3 fields, found 2"),
            "{err}"
        );
    }

    #[test]
    fn fixture_files() {
        let text = include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fixtures/malformed/csv/users-bad-cells.csv"
        ));
        assert!(is_users_csv(text));
        let (users, warnings) = parse_users_csv("users-bad-cells.csv", text).unwrap();
        assert_eq!(users.len(), 2);
        assert_eq!(users[0].created, Some(ts("2021-08-19T15:02:10Z")));
        assert_eq!(users[0].display_name.as_deref(), Some("=3+1"));
        let paths: Vec<(u32, &str)> = warnings
            .iter()
            .map(|w| (w.line, w.path.as_deref().unwrap_or_default()))
            .collect();
        assert_eq!(
            paths,
            [
                (3, "row 2, column \"accountEnabled\""),
                (3, "row 2, column \"createdDateTime\"")
            ]
        );

        let text = include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fixtures/malformed/csv/users-missing-id.csv"
        ));
        let err = parse_users_csv("users-missing-id.csv", text).unwrap_err();
        assert_eq!(
            (err.line, err.path.as_deref()),
            (3, Some("row 2, column \"id\""))
        );
    }

    #[test]
    fn header_only_is_valid() {
        let (users, warnings) = parse_users_csv("u.csv", OBSERVED_HEADER).unwrap();
        assert!(users.is_empty() && warnings.is_empty());
    }
}
