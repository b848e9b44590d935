//! The Entra portal's audit-log "Download" CSV (reference §16.1) → [`AuditEvent`]s.
//!
//! The download has 86 columns: the date, 16 about the event and its actor, 3 targets of 19
//! columns each (4 fields and 5 modified properties of 3) and 6 additional details of 2. The first
//! column is localised (`Date (UTC)`, `Data (UTC)`, …) and is taken by position; every other
//! column is taken by name, case-insensitively and ignoring spaces (`User Agent` = `UserAgent`).
//!
//! This module also holds the CSV plumbing shared with `csv_users`: the header lookup, a record
//! reader that knows line and row numbers and rejects ragged rows, and the portal's timestamps.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat, Utc};
use csv::{ReaderBuilder, StringRecord};

use super::report::LoadError;
use super::text::to_u32;
use crate::dates;
use crate::model::{
    ActorApp, ActorUser, AuditEvent, AuditResult, AuditTarget, ModifiedProperty, SourceRef,
    Timestamp,
};

// ---------------------------------------------------------------------------------------------
// Shared CSV plumbing (also used by `csv_users`).
// ---------------------------------------------------------------------------------------------

/// Column-name key: ASCII-lowercased, whitespace removed, a stray BOM dropped, so that
/// `userPrincipalName`, `UserPrincipalName` and `User principal name` all match.
pub(super) fn column_key(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{feff}')
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// A CSV header: the names as written (for messages) and their lookup keys.
#[derive(Debug, Clone)]
pub(super) struct Header {
    names: Vec<String>,
    keys: Vec<String>,
}

impl Header {
    fn from_record(record: &StringRecord) -> Self {
        let names: Vec<String> = record
            .iter()
            .map(|n| {
                n.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
                    .to_owned()
            })
            .collect();
        let keys = names.iter().map(|n| column_key(n)).collect();
        Header { names, keys }
    }

    pub(super) fn len(&self) -> usize {
        self.names.len()
    }

    /// The column called `name` (case- and space-insensitive), first match wins.
    pub(super) fn find(&self, name: &str) -> Option<usize> {
        let key = column_key(name);
        self.keys.iter().position(|k| *k == key)
    }

    /// The first of several aliases that is present.
    pub(super) fn find_any(&self, names: &[&str]) -> Option<usize> {
        names.iter().find_map(|n| self.find(n))
    }

    /// The column's name as written in the file.
    pub(super) fn name(&self, index: usize) -> &str {
        self.names.get(index).map_or("", String::as_str)
    }
}

fn csv_reader(text: &str) -> csv::Reader<&[u8]> {
    ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
}

fn u64_to_u32(n: u64) -> u32 {
    to_u32(usize::try_from(n).unwrap_or(usize::MAX))
}

/// The header of a CSV text, or `None` when there is no first record. Used to recognise files,
/// so it reads at most the first 64 KiB: a large file that is not CSV (minified JSON has no line
/// break) is not copied whole into one record just to be turned down.
pub(super) fn peek_header(text: &str) -> Option<Header> {
    let mut end = text.len().min(64 * 1024);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut reader = csv_reader(text.get(..end)?);
    let mut record = StringRecord::new();
    match reader.read_record(&mut record) {
        Ok(true) => Some(Header::from_record(&record)),
        _ => None,
    }
}

/// One data record. `number` is 1-based and counts data records (the header is not a row), so
/// `row 1` is the first record after the header; `line` is the 1-based line the record starts on.
pub(super) struct Row<'r> {
    pub(super) number: usize,
    pub(super) line: u32,
    record: &'r StringRecord,
}

impl Row<'_> {
    /// The cell of a column, `None` when the column is missing or the cell is blank. Non-blank
    /// cells are returned verbatim (the portal's `'=` formula escaping included).
    pub(super) fn cell(&self, column: Option<usize>) -> Option<&str> {
        let value = self.record.get(column?)?;
        (!value.trim().is_empty()).then_some(value)
    }

    /// A cell as an owned string.
    pub(super) fn text(&self, column: Option<usize>) -> Option<String> {
        self.cell(column).map(str::to_owned)
    }

    /// `row N, column "X"`.
    pub(super) fn cell_path(&self, column_name: &str) -> String {
        format!("row {}, column \"{column_name}\"", self.number)
    }

    /// Where the entity of this row came from: `/rows/N` (same N as `row N`) and its line.
    pub(super) fn source(&self, file: &str) -> SourceRef {
        SourceRef {
            file: file.to_owned(),
            pointer: format!("/rows/{}", self.number),
            line: self.line,
        }
    }
}

/// Reads a CSV text record by record after its header. Blank records (every cell empty or
/// whitespace, e.g. a trailing `,,,` line) are skipped but still counted as rows; any other record
/// whose field count differs from the header's is an error.
pub(super) struct CsvRecords<'a> {
    file: &'a str,
    text: &'a str,
    /// A byte offset and its 1-based line, advanced record by record (lines are counted here
    /// because `csv::Position::line` is one short after a CRLF line ending).
    cursor: (usize, usize),
    reader: csv::Reader<&'a [u8]>,
    header: Header,
    record: StringRecord,
    rows: usize,
}

impl<'a> CsvRecords<'a> {
    /// Reads the header; an empty text is an error.
    pub(super) fn new(file: &'a str, text: &'a str, what: &str) -> Result<Self, LoadError> {
        let mut reader = csv_reader(text);
        let mut record = StringRecord::new();
        let has_header = reader
            .read_record(&mut record)
            .map_err(|e| csv_error(file, &e))?;
        if !has_header {
            return Err(LoadError::new(
                file,
                format!("the file is empty: expected the header line of {what}"),
            ));
        }
        Ok(CsvRecords {
            file,
            text,
            cursor: (0, 1),
            reader,
            header: Header::from_record(&record),
            record,
            rows: 0,
        })
    }

    pub(super) fn header(&self) -> &Header {
        &self.header
    }

    /// The line a record starting at byte `offset` begins on. The offset may point at the line
    /// break that ended the previous record; the record starts after it.
    fn line_at(&mut self, offset: usize) -> u32 {
        let bytes = self.text.as_bytes();
        let mut start = offset.min(bytes.len());
        while matches!(bytes.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        let (from, line) = self.cursor;
        if start >= from {
            let newlines = self
                .text
                .get(from..start)
                .map_or(0, |s| s.matches('\n').count());
            self.cursor = (start, line + newlines);
        }
        to_u32(self.cursor.1)
    }

    /// The next non-blank record, `None` at the end.
    pub(super) fn next_row(&mut self) -> Result<Option<Row<'_>>, LoadError> {
        loop {
            let more = self
                .reader
                .read_record(&mut self.record)
                .map_err(|e| csv_error(self.file, &e))?;
            if !more {
                return Ok(None);
            }
            self.rows += 1;
            if self.record.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            let line = match self.record.position() {
                Some(p) => self.line_at(usize::try_from(p.byte()).unwrap_or(usize::MAX)),
                None => 0,
            };
            if self.record.len() != self.header.len() {
                return Err(LoadError::new(
                    self.file,
                    format!(
                        "expected {} fields, found {}: every row must have as many fields as the \
                         header (is a quote missing or a comma unquoted?)",
                        self.header.len(),
                        self.record.len()
                    ),
                )
                .at(line, 0)
                .with_path(format!("row {}", self.rows)));
            }
            return Ok(Some(Row {
                number: self.rows,
                line,
                record: &self.record,
            }));
        }
    }
}

fn csv_error(file: &str, e: &csv::Error) -> LoadError {
    let line = e.position().map_or(0, |p| u64_to_u32(p.line()));
    LoadError::new(file, format!("unreadable CSV: {e}")).at(line, 0)
}

/// A cell value for a message: quoted, and cut after 60 characters.
pub(super) fn shown(value: &str) -> String {
    const MAX: usize = 60;
    if value.chars().count() > MAX {
        let cut: String = value.chars().take(MAX).collect();
        format!("\"{cut}…\"")
    } else {
        format!("\"{value}\"")
    }
}

/// Parses the timestamps the portal writes, all taken as UTC (the portal says its downloads are
/// in UTC):
/// - ISO 8601 / RFC 3339 with any number of fractional digits, `T` or space separator, with `Z`,
///   an offset, or nothing (`2026-10-02T09:14:03.1234567Z`, `2026-10-02 09:14:03`), or a date alone;
/// - slash dates with an optional 12-hour clock: `8/19/2021 3:02:10 PM`, `10/2/2026 09:14`,
///   `8/19/2021`. The date is month/day/year (US, the portal's format) unless the first number is
///   greater than 12, then it is day/month/year. Without AM/PM the clock is 24-hour.
///
/// `None` when the text is none of these (or names an impossible date or time).
pub(super) fn parse_portal_time(value: &str) -> Option<Timestamp> {
    let s = value.trim();
    if s.is_empty() {
        return None;
    }
    if s.contains('/') {
        return parse_slash_time(s).map(|t| t.and_utc());
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    if let Some(t) = dates::parse_with_offset(s) {
        return Some(t);
    }
    if let Some(t) = dates::parse_naive(s, dates::Seconds::Optional) {
        return Some(t.and_utc());
    }
    dates::parse_date(s).map(|d| d.and_time(NaiveTime::MIN).and_utc())
}

fn parse_slash_time(s: &str) -> Option<NaiveDateTime> {
    let mut words = s.split_whitespace();
    let date = words.next()?;
    let mut clock = words.next();
    let mut meridiem = words.next();
    if words.next().is_some() {
        return None;
    }
    // `3:02:10PM`: the meridiem glued to the clock.
    if meridiem.is_none()
        && let Some(c) = clock
    {
        let lower = c.to_ascii_lowercase();
        if lower.len() > 2 && (lower.ends_with("am") || lower.ends_with("pm")) {
            let split = c.len() - 2;
            clock = c.get(..split);
            meridiem = c.get(split..);
        }
    }

    let mut parts = date.split('/');
    let first: u32 = number(parts.next()?, 2)?;
    let second: u32 = number(parts.next()?, 2)?;
    let year_text = parts.next()?;
    if parts.next().is_some() || year_text.len() != 4 {
        return None;
    }
    let year: i32 = number(year_text, 4)?;
    let (month, day) = if first > 12 {
        (second, first)
    } else {
        (first, second)
    };
    let date = NaiveDate::from_ymd_opt(year, month, day)?;

    let Some(clock) = clock else {
        return meridiem.is_none().then(|| date.and_time(NaiveTime::MIN));
    };
    let mut fields = clock.split(':');
    let mut hour: u32 = number(fields.next()?, 2)?;
    let minute: u32 = number(fields.next()?, 2)?;
    let (second, nanos) = match fields.next() {
        Some(sec) => seconds(sec)?,
        None => (0, 0),
    };
    if fields.next().is_some() {
        return None;
    }
    if let Some(m) = meridiem {
        if !(1..=12).contains(&hour) {
            return None;
        }
        if m.eq_ignore_ascii_case("am") {
            hour %= 12;
        } else if m.eq_ignore_ascii_case("pm") {
            hour = hour % 12 + 12;
        } else {
            return None;
        }
    }
    date.and_hms_nano_opt(hour, minute, second, nanos)
}

/// A decimal of 1 to `max_digits` ASCII digits.
fn number<T: std::str::FromStr>(s: &str, max_digits: usize) -> Option<T> {
    if s.is_empty() || s.len() > max_digits || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `SS` or `SS.fffffff` → (seconds, nanoseconds); digits beyond nanoseconds are dropped.
fn seconds(s: &str) -> Option<(u32, u32)> {
    let (whole, fraction) = s.split_once('.').unwrap_or((s, ""));
    let second = number(whole, 2)?;
    if fraction.is_empty() {
        return (!s.ends_with('.')).then_some((second, 0));
    }
    if !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut nanos: u32 = 0;
    for i in 0..9 {
        let digit = fraction
            .as_bytes()
            .get(i)
            .map_or(0, |b| u32::from(b - b'0'));
        nanos = nanos * 10 + digit;
    }
    Some((second, nanos))
}

// ---------------------------------------------------------------------------------------------
// The audit-log CSV.
// ---------------------------------------------------------------------------------------------

/// Columns 2–17 of the download, in order (column 1 is the localised date).
const LEADING_COLUMNS: [&str; 16] = [
    "CorrelationId",
    "Service",
    "Category",
    "Activity",
    "Result",
    "ResultReason",
    "User Agent",
    "ActorType",
    "ActorDisplayName",
    "ActorObjectId",
    "ActorUserPrincipalName",
    "IPAddress",
    "ActorHomeTenantId",
    "ActorHomeTenantName",
    "ActorServicePrincipalId",
    "ActorServicePrincipalName",
];
const TARGETS: usize = 3;
const PROPERTIES: usize = 5;
const DETAILS: usize = 6;
/// The width of the download's header.
const AUDIT_COLUMNS: usize =
    1 + LEADING_COLUMNS.len() + TARGETS * (4 + PROPERTIES * 3) + DETAILS * 2;

/// Every column name after the date, in the download's order (85 names).
fn named_audit_columns() -> Vec<String> {
    let mut names: Vec<String> = LEADING_COLUMNS.iter().map(|n| (*n).to_owned()).collect();
    for t in 1..=TARGETS {
        for field in ["Type", "DisplayName", "ObjectId", "UserPrincipalName"] {
            names.push(format!("Target{t}{field}"));
        }
        for p in 1..=PROPERTIES {
            for field in ["Name", "OldValue", "NewValue"] {
                names.push(format!("Target{t}ModifiedProperty{p}{field}"));
            }
        }
    }
    for d in 1..=DETAILS {
        names.push(format!("AdditionalDetail{d}Key"));
        names.push(format!("AdditionalDetail{d}Value"));
    }
    names
}

/// True when `text` (already decoded, BOM stripped) starts with the 86-column audit header; the
/// first column is matched by position (localised: "Date (UTC)", "Data (UTC)", …), the rest by name.
///
/// "By name" means: the first column is not blank and each of the other 85 names appears in the
/// header (case-insensitively, spaces ignored), wherever it stands; extra columns are allowed.
pub(crate) fn is_audit_csv(text: &str) -> bool {
    let Some(header) = peek_header(text) else {
        return false;
    };
    if header.len() < AUDIT_COLUMNS || header.name(0).is_empty() {
        return false;
    }
    let keys = &header.keys[1..];
    named_audit_columns()
        .iter()
        .all(|name| keys.contains(&column_key(name)))
}

#[derive(Debug, Default, Clone, Copy)]
struct PropertyColumns {
    name: Option<usize>,
    old_value: Option<usize>,
    new_value: Option<usize>,
}

#[derive(Debug, Default, Clone, Copy)]
struct TargetColumns {
    kind: Option<usize>,
    display_name: Option<usize>,
    object_id: Option<usize>,
    user_principal_name: Option<usize>,
    properties: [PropertyColumns; PROPERTIES],
}

/// Where each field of the download is, resolved once per file.
#[derive(Debug, Default, Clone)]
struct AuditColumns {
    correlation_id: Option<usize>,
    service: Option<usize>,
    category: Option<usize>,
    activity: Option<usize>,
    result: Option<usize>,
    result_reason: Option<usize>,
    actor_type: Option<usize>,
    actor_display_name: Option<usize>,
    actor_object_id: Option<usize>,
    actor_user_principal_name: Option<usize>,
    ip_address: Option<usize>,
    actor_service_principal_id: Option<usize>,
    actor_service_principal_name: Option<usize>,
    targets: [TargetColumns; TARGETS],
    details: [(Option<usize>, Option<usize>); DETAILS],
}

impl AuditColumns {
    fn new(header: &Header) -> Self {
        // The date is column 0 whatever its (localised) name; never look it up by name.
        let find = |name: &str| header.find(name).filter(|i| *i != 0);
        let mut columns = AuditColumns {
            correlation_id: find("CorrelationId"),
            service: find("Service"),
            category: find("Category"),
            activity: find("Activity"),
            result: find("Result"),
            result_reason: find("ResultReason"),
            actor_type: find("ActorType"),
            actor_display_name: find("ActorDisplayName"),
            actor_object_id: find("ActorObjectId"),
            actor_user_principal_name: find("ActorUserPrincipalName"),
            ip_address: find("IPAddress"),
            actor_service_principal_id: find("ActorServicePrincipalId"),
            actor_service_principal_name: find("ActorServicePrincipalName"),
            ..AuditColumns::default()
        };
        for (t, target) in columns.targets.iter_mut().enumerate() {
            let n = t + 1;
            target.kind = find(&format!("Target{n}Type"));
            target.display_name = find(&format!("Target{n}DisplayName"));
            target.object_id = find(&format!("Target{n}ObjectId"));
            target.user_principal_name = find(&format!("Target{n}UserPrincipalName"));
            for (p, property) in target.properties.iter_mut().enumerate() {
                let prefix = format!("Target{n}ModifiedProperty{}", p + 1);
                property.name = find(&format!("{prefix}Name"));
                property.old_value = find(&format!("{prefix}OldValue"));
                property.new_value = find(&format!("{prefix}NewValue"));
            }
        }
        for (d, detail) in columns.details.iter_mut().enumerate() {
            let n = d + 1;
            *detail = (
                find(&format!("AdditionalDetail{n}Key")),
                find(&format!("AdditionalDetail{n}Value")),
            );
        }
        columns
    }
}

/// `ActorType` values that name an application rather than a user (observed values are not
/// documented; `User` is the one the reports page implies).
fn is_app_actor_type(actor_type: &str) -> bool {
    let key = column_key(actor_type);
    matches!(
        key.as_str(),
        "app" | "application" | "serviceprincipal" | "managedidentity"
    )
}

/// Parses every row into an [`AuditEvent`], appending to `out`; returns rows read (events added).
///
/// Nothing is appended when the file fails. Errors: a ragged row, an unparseable date, or no
/// `Activity` column. A header-only file is valid and yields no event.
///
/// Event ids: the CSV carries none, so each gets `csv:<CorrelationId>:<Activity>:<time>:<n>`,
/// where `<time>` is the date normalised to RFC 3339 UTC (`2026-10-02T09:14:03.123Z`, empty when
/// the cell is empty) and `n` (from 1) counts earlier rows of this file with the same first four
/// parts. The id therefore does not depend on the row's position: sorting or filtering the
/// download keeps ids, and the same event in two overlapping downloads gets the same id (so the
/// merge deduplicates it). Only rows with identical correlation id, activity and time can swap
/// ids when reordered.
pub(crate) fn parse_audit_csv(
    file: &str,
    text: &str,
    out: &mut Vec<AuditEvent>,
) -> Result<usize, LoadError> {
    let mut records = CsvRecords::new(file, text, "an audit-log download")?;
    let header = records.header().clone();
    let columns = AuditColumns::new(&header);
    if columns.activity.is_none() {
        return Err(LoadError::new(
            file,
            "no \"Activity\" column: expected the portal's audit-log download \
             (\"Date (UTC)\",\"CorrelationId\",\"Service\",…)",
        )
        .at(1, 0));
    }
    let date_name = header.name(0).to_owned();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut events = Vec::new();
    while let Some(row) = records.next_row()? {
        let event = audit_event(file, &row, &columns, &date_name, &mut seen)?;
        events.push(event);
    }
    let read = events.len();
    out.append(&mut events);
    Ok(read)
}

fn audit_event(
    file: &str,
    row: &Row<'_>,
    c: &AuditColumns,
    date_name: &str,
    seen: &mut BTreeMap<String, usize>,
) -> Result<AuditEvent, LoadError> {
    let time = match row.cell(Some(0)) {
        None => None,
        Some(value) => Some(parse_portal_time(value).ok_or_else(|| {
            LoadError::new(
                file,
                format!(
                    "expected a UTC date and time such as 2026-10-02T09:14:03Z, \
                     2026-10-02 09:14:03 or 10/2/2026 9:14:03 AM, found {}",
                    shown(value)
                ),
            )
            .at(row.line, 1)
            .with_path(row.cell_path(date_name))
        })?),
    };
    let activity = row.cell(c.activity).unwrap_or_default().trim().to_owned();
    let correlation_id = row.text(c.correlation_id);

    let key = format!(
        "csv:{}:{}:{}",
        correlation_id.as_deref().unwrap_or_default().trim(),
        activity,
        time.map(|t| t.to_rfc3339_opts(SecondsFormat::AutoSi, true))
            .unwrap_or_default()
    );
    let n = seen.entry(key.clone()).or_insert(0);
    *n += 1;
    let id = format!("{key}:{n}");

    let (actor_user, actor_app) = actor(row, c);
    Ok(AuditEvent {
        id,
        category: row.text(c.category),
        correlation_id,
        activity,
        time,
        logged_by_service: row.text(c.service),
        operation_type: None,
        result: row.cell(c.result).map(|r| AuditResult::parse(r.trim())),
        result_reason: row.text(c.result_reason),
        actor_user,
        actor_app,
        targets: c.targets.iter().filter_map(|t| target(row, t)).collect(),
        additional_details: c
            .details
            .iter()
            .filter_map(|(key, value)| {
                let (key, value) = (row.text(*key), row.text(*value));
                (key.is_some() || value.is_some())
                    .then(|| (key.unwrap_or_default(), value.unwrap_or_default()))
            })
            .collect(),
        source: row.source(file),
    })
}

/// The initiator. A user when `ActorType` says `User` or a UPN is given, or when only
/// user-looking fields (object id, display name, IP address) are filled and nothing says
/// application. An application when `ActorType` names one or a service principal is given; its
/// display name and (absent `ActorServicePrincipalId`) its object id then come from
/// `ActorDisplayName` / `ActorObjectId` (inferred from the column names, not verified).
fn actor(row: &Row<'_>, c: &AuditColumns) -> (Option<ActorUser>, Option<ActorApp>) {
    let actor_type = row.cell(c.actor_type).map(str::trim);
    let says_user = actor_type.is_some_and(|t| t.eq_ignore_ascii_case("user"));
    let says_app = actor_type.is_some_and(is_app_actor_type);
    let display_name = row.text(c.actor_display_name);
    let object_id = row.text(c.actor_object_id);
    let upn = row.text(c.actor_user_principal_name);
    let ip = row.text(c.ip_address);
    let sp_id = row.text(c.actor_service_principal_id);
    let sp_name = row.text(c.actor_service_principal_name);

    let app_signal = says_app || sp_id.is_some() || sp_name.is_some();
    let is_user = says_user
        || upn.is_some()
        || (!app_signal && (object_id.is_some() || display_name.is_some() || ip.is_some()));
    if is_user {
        let app = (sp_id.is_some() || sp_name.is_some()).then_some(ActorApp {
            app_id: None,
            display_name: None,
            service_principal_id: sp_id,
            service_principal_name: sp_name,
        });
        let user = ActorUser {
            id: object_id,
            display_name,
            user_principal_name: upn,
            ip_address: ip,
        };
        (Some(user), app)
    } else if app_signal {
        let app = ActorApp {
            app_id: None,
            display_name,
            service_principal_id: sp_id.or(object_id),
            service_principal_name: sp_name,
        };
        (None, Some(app))
    } else {
        (None, None)
    }
}

/// A target, `None` when all its cells are empty.
fn target(row: &Row<'_>, t: &TargetColumns) -> Option<AuditTarget> {
    let modified_properties: Vec<ModifiedProperty> = t
        .properties
        .iter()
        .map(|p| ModifiedProperty {
            display_name: row.text(p.name),
            old_value: row.text(p.old_value),
            new_value: row.text(p.new_value),
        })
        .filter(|p| p.display_name.is_some() || p.old_value.is_some() || p.new_value.is_some())
        .collect();
    let target = AuditTarget {
        id: row.text(t.object_id),
        display_name: row.text(t.display_name),
        kind: row.text(t.kind),
        user_principal_name: row.text(t.user_principal_name),
        modified_properties,
    };
    let empty = target.id.is_none()
        && target.display_name.is_none()
        && target.kind.is_none()
        && target.user_principal_name.is_none()
        && target.modified_properties.is_empty();
    (!empty).then_some(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The header exactly as the portal writes it (quoted, English).
    fn header_line(date_name: &str) -> String {
        std::iter::once(date_name.to_owned())
            .chain(named_audit_columns())
            .map(|n| format!("\"{n}\""))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// A row with the given cells (by column name; `#date` for column 0), others empty.
    fn row_line(cells: &[(&str, &str)]) -> String {
        let names: Vec<String> = std::iter::once("#date".to_owned())
            .chain(named_audit_columns())
            .collect();
        names
            .iter()
            .map(|n| {
                cells
                    .iter()
                    .find(|(k, _)| k == n)
                    .map_or(String::new(), |(_, v)| {
                        format!("\"{}\"", v.replace('"', "\"\""))
                    })
            })
            .collect::<Vec<_>>()
            .join(",")
    }

    fn parse(text: &str) -> Result<Vec<AuditEvent>, LoadError> {
        let mut out = Vec::new();
        let n = parse_audit_csv("audit.csv", text, &mut out)?;
        assert_eq!(n, out.len());
        Ok(out)
    }

    fn ts(s: &str) -> Timestamp {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn header_has_86_columns_and_is_recognised() {
        assert_eq!(AUDIT_COLUMNS, 86);
        assert_eq!(named_audit_columns().len(), 85);
        assert!(is_audit_csv(&header_line("Date (UTC)")));
        assert!(is_audit_csv(&format!("{}\r\n", header_line("Data (UTC)"))));
        // Unquoted, other case, `UserAgent` without the space.
        let loose = header_line("Date (UTC)")
            .replace('"', "")
            .replace("User Agent", "useragent")
            .to_uppercase();
        assert!(is_audit_csv(&loose));
        // A column missing, or a users CSV, or nothing.
        assert!(!is_audit_csv(
            &header_line("Date (UTC)").replace("\"Target2Type\",", "")
        ));
        assert!(!is_audit_csv("userPrincipalName,id,userType\n"));
        assert!(!is_audit_csv(""));
        assert!(!is_audit_csv(&header_line("")));
    }

    #[test]
    fn recognition_reads_only_the_start_of_the_text() {
        let json = format!("{{\"value\": [{}]}}", "{\"id\": \"é\"},".repeat(20_000));
        assert!(!is_audit_csv(&json));
        let header = header_line("Date (UTC)");
        assert!(is_audit_csv(&format!("{header}\n{}", "x,".repeat(100_000))));
    }

    #[test]
    fn parses_rows_with_targets_details_and_tricky_cells() {
        let text = format!(
            "{}\r\n{}\r\n{}\r\n",
            header_line("Date (UTC)"),
            row_line(&[
                ("#date", "2026-10-02T09:14:03.1234567Z"),
                ("CorrelationId", "c0ffee00-0000-4000-8000-000000000001"),
                ("Service", "Entitlement Management"),
                ("Category", "EntitlementManagement"),
                ("Activity", "Approve access package assignment request"),
                ("Result", "Success"),
                ("ActorType", "User"),
                ("ActorDisplayName", "Alex Admin"),
                ("ActorObjectId", "u-1"),
                ("ActorUserPrincipalName", "alex@contoso.com"),
                ("IPAddress", "203.0.113.7"),
                ("Target1Type", "AccessPackage"),
                ("Target1DisplayName", "Finance"),
                ("Target1ObjectId", "ap-1"),
                ("Target1ModifiedProperty1Name", "IsApprovalRequiredForAdd"),
                ("Target1ModifiedProperty1OldValue", "\"True\""),
                ("Target1ModifiedProperty1NewValue", "\"False\""),
                ("Target1ModifiedProperty3NewValue", "line one\nline two"),
                ("Target3Type", "User"),
                ("Target3UserPrincipalName", "bo@contoso.com"),
                ("AdditionalDetail1Key", "justification"),
                ("AdditionalDetail1Value", "=cmd|' /C calc'!A0"),
                ("AdditionalDetail2Key", "escaped"),
                ("AdditionalDetail2Value", "'=1+2"),
            ]),
            row_line(&[
                ("#date", "10/2/2026 9:14:03 PM"),
                ("Activity", "Auto approve access package assignment request"),
                ("Result", "failure"),
                ("ActorType", "Application"),
                ("ActorDisplayName", "Lifecycle Workflows"),
                ("ActorServicePrincipalId", "sp-1"),
            ]),
        );
        let events = parse(&text).unwrap();
        assert_eq!(events.len(), 2);

        let e = &events[0];
        assert_eq!(
            e.id,
            "csv:c0ffee00-0000-4000-8000-000000000001:Approve access package assignment request:\
             2026-10-02T09:14:03.123456700Z:1"
        );
        assert_eq!(e.time, Some(ts("2026-10-02T09:14:03.1234567Z")));
        assert_eq!(
            e.logged_by_service.as_deref(),
            Some("Entitlement Management")
        );
        assert_eq!(e.category.as_deref(), Some("EntitlementManagement"));
        assert_eq!(e.result, Some(AuditResult::Success));
        assert_eq!(e.result_reason, None);
        let user = e.actor_user.as_ref().unwrap();
        assert_eq!(user.id.as_deref(), Some("u-1"));
        assert_eq!(
            user.user_principal_name.as_deref(),
            Some("alex@contoso.com")
        );
        assert_eq!(user.ip_address.as_deref(), Some("203.0.113.7"));
        assert_eq!(e.actor_app, None);
        assert_eq!(e.targets.len(), 2, "the empty Target2 is skipped");
        let package = e.target_of_kind("accesspackage").unwrap();
        assert_eq!(package.id.as_deref(), Some("ap-1"));
        assert_eq!(package.modified_properties.len(), 2);
        assert_eq!(
            package.modified_properties[0].new_value.as_deref(),
            Some("\"False\"")
        );
        assert_eq!(package.modified_properties[1].display_name, None);
        assert_eq!(
            package.modified_properties[1].new_value.as_deref(),
            Some("line one\nline two")
        );
        assert_eq!(
            e.target_of_kind("User")
                .unwrap()
                .user_principal_name
                .as_deref(),
            Some("bo@contoso.com")
        );
        assert_eq!(
            e.additional_details,
            vec![
                ("justification".to_owned(), "=cmd|' /C calc'!A0".to_owned()),
                ("escaped".to_owned(), "'=1+2".to_owned()),
            ]
        );
        assert_eq!(e.source.pointer, "/rows/1");
        assert_eq!(e.source.line, 2);

        let e = &events[1];
        // The first row spans lines 2–3 (embedded newline), so the second starts on line 4.
        assert_eq!(e.source.line, 4);
        assert_eq!(e.source.pointer, "/rows/2");
        assert_eq!(e.time, Some(ts("2026-10-02T21:14:03Z")));
        assert_eq!(e.result, Some(AuditResult::Failure));
        assert_eq!(e.actor_user, None);
        let app = e.actor_app.as_ref().unwrap();
        assert_eq!(app.display_name.as_deref(), Some("Lifecycle Workflows"));
        assert_eq!(app.service_principal_id.as_deref(), Some("sp-1"));
        assert_eq!(e.correlation_id, None);
        assert_eq!(
            e.id,
            "csv::Auto approve access package assignment request:2026-10-02T21:14:03Z:1"
        );
    }

    #[test]
    fn localised_date_header_and_identical_keys_get_distinct_ids() {
        let row = row_line(&[
            ("#date", "2026-10-02 09:14:03"),
            ("CorrelationId", "c-1"),
            ("Activity", "Create access package"),
        ]);
        let text = format!("\u{feff}{}\n{row}\n{row}\n", header_line("Data (UTC)"));
        assert!(is_audit_csv(&text));
        let events = parse(&text).unwrap();
        let ids: Vec<&str> = events.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "csv:c-1:Create access package:2026-10-02T09:14:03Z:1",
                "csv:c-1:Create access package:2026-10-02T09:14:03Z:2"
            ]
        );
    }

    #[test]
    fn ids_do_not_depend_on_row_order() {
        let a = row_line(&[
            ("#date", "2026-10-02T09:00:00Z"),
            ("CorrelationId", "a"),
            ("Activity", "X"),
        ]);
        let b = row_line(&[
            ("#date", "2026-10-02T10:00:00Z"),
            ("CorrelationId", "b"),
            ("Activity", "X"),
        ]);
        let h = header_line("Date (UTC)");
        let ids = |text: String| {
            let mut ids: Vec<String> = parse(&text).unwrap().into_iter().map(|e| e.id).collect();
            ids.sort();
            ids
        };
        assert_eq!(
            ids(format!("{h}\n{a}\n{b}\n")),
            ids(format!("{h}\n{b}\n{a}\n"))
        );
    }

    #[test]
    fn header_only_and_blank_trailing_rows_are_valid() {
        assert!(parse(&header_line("Date (UTC)")).unwrap().is_empty());
        let blank = ",".repeat(85);
        let text = format!("{}\n{blank}\n\n", header_line("Date (UTC)"));
        assert!(parse(&text).unwrap().is_empty());
    }

    #[test]
    fn ragged_row_names_line_and_row() {
        let good = row_line(&[("#date", "2026-10-02T09:14:03Z"), ("Activity", "A")]);
        let text = format!(
            "{}\n{good}\n\"2026-10-02T09:14:03Z\",\"only\",\"three\"\n",
            header_line("Date (UTC)")
        );
        let mut out = Vec::new();
        let err = parse_audit_csv("audit.csv", &text, &mut out).unwrap_err();
        assert_eq!(err.line, 3);
        assert_eq!(err.path.as_deref(), Some("row 2"));
        assert!(
            err.message.starts_with("expected 86 fields, found 3"),
            "{err}"
        );
        assert!(out.is_empty(), "nothing is appended when the file fails");
    }

    #[test]
    fn bad_date_names_the_localised_column() {
        let bad = row_line(&[("#date", "yesterday at noon"), ("Activity", "A")]);
        let text = format!("{}\n{bad}\n", header_line("Data (UTC)"));
        let err = parse(&text).unwrap_err();
        assert_eq!((err.line, err.column), (2, 1));
        assert_eq!(err.path.as_deref(), Some("row 1, column \"Data (UTC)\""));
        assert!(err.message.contains("found \"yesterday at noon\""), "{err}");
        assert!(
            err.message.contains("expected a UTC date and time"),
            "{err}"
        );
        assert!(
            err.to_string()
                .starts_with("audit.csv:2:1: at row 1, column \"Data (UTC)\": ")
        );
    }

    #[test]
    fn missing_activity_column_is_an_error() {
        let err = parse("\"Date (UTC)\",\"CorrelationId\"\n\"2026-10-02\",\"c\"\n").unwrap_err();
        assert!(err.message.contains("no \"Activity\" column"), "{err}");
        let err = parse("").unwrap_err();
        assert!(err.message.contains("the file is empty"), "{err}");
    }

    macro_rules! fixture {
        ($name:literal) => {
            super::super::text::decode(
                $name,
                include_bytes!(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/../../fixtures/malformed/csv/",
                    $name
                )),
            )
            .unwrap()
        };
    }

    #[test]
    fn fixture_files() {
        let text = fixture!("audit-header-only.csv");
        assert!(is_audit_csv(&text));
        assert!(parse(&text).unwrap().is_empty());

        let text = fixture!("ragged.csv");
        assert!(is_audit_csv(&text));
        let err = parse(&text).unwrap_err();
        assert_eq!((err.line, err.path.as_deref()), (3, Some("row 2")));
        assert!(
            err.message.starts_with("expected 86 fields, found 3"),
            "{err}"
        );

        let err = parse(&fixture!("audit-bad-date.csv")).unwrap_err();
        assert_eq!(
            (err.line, err.column, err.path.as_deref()),
            (3, 1, Some("row 2, column \"Date (UTC)\""))
        );

        let events = parse(&fixture!("audit-formula-cells.csv")).unwrap();
        let e = &events[0];
        let actor = e.actor_user.as_ref().unwrap();
        assert_eq!(actor.display_name.as_deref(), Some("=cmd|' /C calc'!A0"));
        assert_eq!(
            e.targets[0].display_name.as_deref(),
            Some("'=HYPERLINK(\"http://example.invalid\",\"x\")")
        );
        assert_eq!(
            e.additional_details,
            [
                ("+SUM(1,2)".to_owned(), "@SUM(1,2)".to_owned()),
                ("'-2+3".to_owned(), "-2+3".to_owned())
            ]
        );

        let events = parse(&fixture!("audit-embedded-newlines.csv")).unwrap();
        assert_eq!(events.len(), 2);
        let property = &events[0].targets[0].modified_properties[0];
        assert_eq!(
            property.old_value.as_deref(),
            Some("\"first line\r\nsecond line\"")
        );
        assert_eq!(property.new_value.as_deref(), Some("\"one\ntwo\nthree\""));
        assert_eq!(events[0].source.line, 2);
        assert_eq!(events[1].source.line, 6, "row 1 spans lines 2-5");
        assert_eq!(events[1].actor_user, None);
        assert_eq!(events[1].time, Some(ts("2026-10-02T09:15:00Z")));

        let text = fixture!("audit-localised-data-utc.csv");
        assert!(is_audit_csv(&text));
        let events = parse(&text).unwrap();
        assert_eq!(events[0].time, Some(ts("2026-10-02T09:14:03Z")));
    }

    #[test]
    fn portal_time_formats() {
        let cases = [
            ("2026-10-02T09:14:03Z", "2026-10-02T09:14:03Z"),
            ("2026-10-02T09:14:03.12Z", "2026-10-02T09:14:03.12Z"),
            (
                "2026-10-02T09:14:03.123456789123Z",
                "2026-10-02T09:14:03.123456789Z",
            ),
            ("2026-10-02T11:14:03+02:00", "2026-10-02T09:14:03Z"),
            ("2026-10-02 09:14:03", "2026-10-02T09:14:03Z"),
            ("2026-10-02T09:14:03.5", "2026-10-02T09:14:03.5Z"),
            ("2026-10-02", "2026-10-02T00:00:00Z"),
            ("10/2/2026 9:14:03 AM", "2026-10-02T09:14:03Z"),
            ("10/2/2026 12:05:00 AM", "2026-10-02T00:05:00Z"),
            ("10/2/2026 12:05:00 PM", "2026-10-02T12:05:00Z"),
            ("10/2/2026 9:14:03pm", "2026-10-02T21:14:03Z"),
            ("10/2/2026 21:14", "2026-10-02T21:14:00Z"),
            ("13/2/2026 21:14:03", "2026-02-13T21:14:03Z"),
            ("8/19/2021", "2021-08-19T00:00:00Z"),
            (" 8/19/2021 3:02:10.250 PM ", "2021-08-19T15:02:10.25Z"),
        ];
        for (input, expected) in cases {
            assert_eq!(parse_portal_time(input), Some(ts(expected)), "{input}");
        }
        for bad in [
            "",
            "yesterday",
            "13/13/2026",
            "2/30/2026",
            "10/2/26 9:14",
            "10/2/2026 13:00 PM",
            "10/2/2026 0:00 AM",
            "10/2/2026 9:14:03 XM",
            "10/2/2026 9:14:03 AM extra",
            "10/2/2026 25:00",
            "10/2/2026 9:14:3.",
            "2026-13-02T00:00:00Z",
            "١٠/٢/٢٠٢٦",
        ] {
            assert_eq!(parse_portal_time(bad), None, "{bad}");
        }
    }
}
