//! Waivers: findings accepted on purpose, written down where they can be reviewed.
//!
//! A waiver names findings by `fingerprint`, or by `rule` (id or name) and `subject`
//! (`<kind>:<id>`, e.g. `user:1b0c…`, or a plain object id); every selector it gives must match.
//! `reason`, `owner` and `expires` (`YYYY-MM-DD`, the last day it applies) are required: an
//! acceptance that nobody owns and that never ends is not a review decision. Waivers are read from
//! `grantscope-waivers.toml` (`[[waiver]]` tables, [`from_toml`]) or from `[[waivers]]` in
//! `grantscope.toml` ([`crate::config::Config::waivers`]); the same entries arrive as JSON in the
//! browser ([`from_entries`]).
//!
//! ```toml
//! [[waiver]]
//! rule = "stale-guest"
//! subject = "user:5dc2daee-70d4-5d4b-a04f-6c1e5e1c2d3f"
//! reason = "auditor account, used once a year for the statutory audit"
//! owner = "it-security@contoso.example"
//! expires = 2027-03-31
//! ```
//!
//! [`apply`] marks the matched findings as waived: they stay in the report (shown as waived in
//! every format) and do not count for `--fail-on`. A waiver past its `expires` date no longer
//! applies — its findings count again — and is reported as expired; a waiver that matches no
//! finding is reported as stale, so that the file does not silently accumulate dead entries.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::config::{ConfigError, TEXT, nearest};
use crate::findings::{EntityRef, Finding, Report, Suppression, SuppressionKind, WaiverSource};
use crate::model::EntityKind;
use crate::rules::{ALL_RULES, find_rule};
use crate::toml_doc::{Document, Kind, Shape, is};

/// The file `grantscope check` looks for next to `grantscope.toml`.
pub const WAIVERS_FILE: &str = "grantscope-waivers.toml";

const ENTITY_KINDS: [EntityKind; 12] = [
    EntityKind::User,
    EntityKind::Group,
    EntityKind::ServicePrincipal,
    EntityKind::AccessPackage,
    EntityKind::AssignmentPolicy,
    EntityKind::Assignment,
    EntityKind::AssignmentRequest,
    EntityKind::Catalog,
    EntityKind::Resource,
    EntityKind::ConnectedOrganization,
    EntityKind::AuditEvent,
    EntityKind::Tenant,
];

/// One waiver as written. Every key is optional here, so that a missing one is reported by
/// name (with the entry and its line) instead of as a generic parse error.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct WaiverEntry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
    /// A rule id (`GS501`) or name (`stale-guest`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// `<kind>:<id>` (`user:1b0c…`, `assignmentPolicy:…`) or a plain object id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// `YYYY-MM-DD`, as a string or (TOML) a bare date.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "date_text"
    )]
    pub expires: Option<String>,
    /// The line of the entry's `[[waiver]]` header when it was read from TOML; 0 otherwise.
    #[serde(skip)]
    pub line: u32,
}

/// A subject selector: an object id, optionally restricted to one kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectSelector {
    pub kind: Option<EntityKind>,
    pub id: String,
}

impl SubjectSelector {
    fn matches(&self, subject: &EntityRef) -> bool {
        self.kind.is_none_or(|k| k == subject.kind) && self.id.eq_ignore_ascii_case(&subject.id)
    }
}

/// A validated waiver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiver {
    /// Lower case.
    pub fingerprint: Option<String>,
    /// The rule's id (a name is resolved to its id).
    pub rule: Option<String>,
    pub subject: Option<SubjectSelector>,
    /// The subject as written, for reports.
    pub subject_text: Option<String>,
    pub reason: String,
    pub owner: String,
    /// The last day the waiver applies.
    pub expires: NaiveDate,
    pub source: WaiverSource,
}

impl Waiver {
    /// Whether the waiver names this finding (whatever its date).
    #[must_use]
    pub fn matches(&self, finding: &Finding) -> bool {
        self.fingerprint
            .as_ref()
            .is_none_or(|fp| fp.eq_ignore_ascii_case(&finding.fingerprint))
            && self.rule.as_ref().is_none_or(|r| *r == finding.rule_id)
            && self
                .subject
                .as_ref()
                .is_none_or(|s| s.matches(&finding.subject))
    }

    /// Whether the waiver has expired on `as_of` (it applies up to and including `expires`).
    #[must_use]
    pub fn is_expired(&self, as_of: NaiveDate) -> bool {
        as_of > self.expires
    }
}

/// What became of a waiver in a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum WaiverStatus {
    /// It matched findings, which are waived.
    Applied,
    /// Its date has passed: it no longer applies and its findings count again.
    Expired,
    /// It matches no finding: remove it.
    Stale,
}

impl WaiverStatus {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            WaiverStatus::Applied => "applied",
            WaiverStatus::Expired => "expired",
            WaiverStatus::Stale => "stale",
        }
    }
}

/// A waiver in the report, with its status and the findings it matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WaiverOutcome {
    pub status: WaiverStatus,
    pub source: WaiverSource,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    pub reason: String,
    pub owner: String,
    pub expires: String,
    /// The fingerprints of the findings it matches (when expired: would match), in report order.
    pub findings: Vec<String>,
}

impl WaiverOutcome {
    /// What the waiver selects, as written: `fingerprint 1a2b…` and/or `rule GS501 subject user:x`.
    #[must_use]
    pub fn selector(&self) -> String {
        let mut parts = Vec::new();
        if let Some(fp) = &self.fingerprint {
            parts.push(format!("fingerprint {fp}"));
        }
        if let Some(rule) = &self.rule {
            parts.push(format!("rule {rule}"));
        }
        if let Some(subject) = &self.subject {
            parts.push(format!("subject {subject}"));
        }
        parts.join(", ")
    }

    /// One line for text and Markdown output.
    #[must_use]
    pub fn describe(&self) -> String {
        match self.status {
            WaiverStatus::Applied => format!(
                "waiver at {} ({}) applies to {} {} until {}",
                self.source,
                self.selector(),
                self.findings.len(),
                if self.findings.len() == 1 {
                    "finding"
                } else {
                    "findings"
                },
                self.expires
            ),
            WaiverStatus::Expired => format!(
                "waiver at {} ({}) expired on {}: {} {} again (owner {})",
                self.source,
                self.selector(),
                self.expires,
                self.findings.len(),
                if self.findings.len() == 1 {
                    "finding counts"
                } else {
                    "findings count"
                },
                self.owner
            ),
            WaiverStatus::Stale => format!(
                "waiver at {} ({}) matches no finding: remove it (owner {})",
                self.source,
                self.selector(),
                self.owner
            ),
        }
    }
}

/// Reads a bare TOML date (`2027-03-31`) or a string as text; anything else is an error.
fn date_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    struct DateText;
    impl<'de> Visitor<'de> for DateText {
        type Value = Option<String>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a date such as 2027-03-31")
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(v.to_owned()))
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        // A TOML date arrives as a one-entry map (see `crate::toml_doc`).
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let Some((_, value)) = map.next_entry::<String, String>()? else {
                return Err(de::Error::invalid_type(de::Unexpected::Map, &self));
            };
            Ok(Some(value))
        }
    }
    deserializer.deserialize_any(DateText)
}

/// Whether a value is a date as [`WaiverEntry::expires`] reads it; for error positions.
fn is_date_text(value: serde_json::Value) -> bool {
    date_text(value).is_ok()
}

static ENTRY: Shape = Shape {
    check: is::<WaiverEntry>,
    kind: Kind::Struct(&[
        ("fingerprint", &TEXT),
        ("rule", &TEXT),
        ("subject", &TEXT),
        ("reason", &TEXT),
        ("owner", &TEXT),
        (
            "expires",
            &Shape {
                check: is_date_text,
                kind: Kind::Value,
            },
        ),
    ]),
};

/// A list of [`WaiverEntry`] (`[[waiver]]` tables), for error positions in TOML.
pub(crate) static ENTRIES: Shape = Shape {
    check: is::<Vec<WaiverEntry>>,
    kind: Kind::Seq(&ENTRY),
};

/// `grantscope-waivers.toml`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WaiversFile {
    #[serde(default, alias = "waivers")]
    waiver: Vec<WaiverEntry>,
}

/// Parses `grantscope-waivers.toml` (`[[waiver]]` tables) and validates every entry. `file` names
/// the file in the waivers' sources.
///
/// # Errors
/// A TOML syntax error, an unknown key (with the nearest valid one), or an invalid entry: one
/// without `reason`, `owner` or `expires`, without a selector, with an unknown rule or kind, or a
/// date that is not `YYYY-MM-DD`. The error names the entry and the key, with its line.
pub fn from_toml(text: &str, file: &str) -> Result<Vec<Waiver>, ConfigError> {
    let document = Document::parse(text)?;
    let parsed: WaiversFile = document.deserialize(&[("waiver|waivers", &ENTRIES)])?;
    let mut entries = parsed.waiver;
    let key = if document.has("waiver") {
        "waiver"
    } else {
        "waivers"
    };
    for (entry, line) in entries.iter_mut().zip(document.array_lines(key)) {
        entry.line = line;
    }
    from_entries(&entries, file, "[[waiver]]")
}

/// Validates waiver entries (from a waivers file, a configuration's `[[waivers]]`, or JSON).
/// `section` is how the entries are written (`[[waiver]]`, `[[waivers]]`), for error messages.
///
/// # Errors
/// As [`from_toml`], for the first invalid entry.
pub fn from_entries(
    entries: &[WaiverEntry],
    file: &str,
    section: &str,
) -> Result<Vec<Waiver>, ConfigError> {
    entries
        .iter()
        .enumerate()
        .map(|(i, e)| validate(e, i + 1, file, section))
        .collect()
}

fn entry_error(entry: &WaiverEntry, number: usize, section: &str, message: &str) -> ConfigError {
    let mut named = Vec::new();
    if let Some(fp) = &entry.fingerprint {
        named.push(format!("fingerprint = \"{fp}\""));
    }
    if let Some(rule) = &entry.rule {
        named.push(format!("rule = \"{rule}\""));
    }
    if let Some(subject) = &entry.subject {
        named.push(format!("subject = \"{subject}\""));
    }
    let what = if named.is_empty() {
        format!("{section} #{number}")
    } else {
        format!("{section} #{number} ({})", named.join(", "))
    };
    ConfigError {
        line: entry.line,
        column: u32::from(entry.line > 0),
        message: format!("{what}: {message}"),
    }
}

/// A required text: present and not blank.
fn required<'a>(
    value: Option<&'a String>,
    key: &str,
    hint: &str,
    err: &dyn Fn(&str) -> ConfigError,
) -> Result<&'a str, ConfigError> {
    match value.map(|v| v.trim()) {
        Some(v) if !v.is_empty() => Ok(v),
        Some(_) => Err(err(&format!("`{key}` is empty; {hint}"))),
        None => Err(err(&format!("missing required key `{key}` ({hint})"))),
    }
}

fn parse_subject(text: &str) -> Result<SubjectSelector, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(
            "`subject` is empty; write `<kind>:<id>` (e.g. `user:<object id>`) or an object id"
                .to_owned(),
        );
    }
    let Some((kind, id)) = text.split_once(':') else {
        return Ok(SubjectSelector {
            kind: None,
            id: text.to_owned(),
        });
    };
    let Some(kind) = ENTITY_KINDS
        .iter()
        .copied()
        .find(|k| k.name().eq_ignore_ascii_case(kind.trim()))
    else {
        let names = ENTITY_KINDS.iter().map(|k| k.name());
        let hint = nearest(kind, names).map_or_else(
            || format!("; kinds: {}", ENTITY_KINDS.map(EntityKind::name).join(", ")),
            |n| format!("; did you mean `{n}`?"),
        );
        return Err(format!("unknown kind `{kind}` in subject `{text}`{hint}"));
    };
    let id = id.trim();
    if id.is_empty() {
        return Err(format!("subject `{text}` has no id after `:`"));
    }
    Ok(SubjectSelector {
        kind: Some(kind),
        id: id.to_owned(),
    })
}

fn validate(
    entry: &WaiverEntry,
    number: usize,
    file: &str,
    section: &str,
) -> Result<Waiver, ConfigError> {
    let err = |message: &str| entry_error(entry, number, section, message);

    let fingerprint = match &entry.fingerprint {
        Some(fp) => {
            let fp = fp.trim().to_ascii_lowercase();
            if fp.len() != 32 || !fp.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(err(&format!(
                    "`fingerprint` must be the 32 hexadecimal digits of a finding's fingerprint (see `--format json`), not `{fp}`"
                )));
            }
            Some(fp)
        }
        None => None,
    };
    let rule = match &entry.rule {
        Some(key) => {
            let Some(rule) = find_rule(key.trim()) else {
                let names = ALL_RULES.iter().map(|r| r.meta().name);
                let hint = nearest(key, names)
                    .map(|n| format!("; did you mean `{n}`?"))
                    .unwrap_or_else(|| "; run `grantscope rules` for the list".to_owned());
                return Err(err(&format!("unknown rule `{key}`{hint}")));
            };
            Some(rule.meta().id.to_owned())
        }
        None => None,
    };
    let subject = match &entry.subject {
        Some(text) => Some(parse_subject(text).map_err(|m| err(&m))?),
        None => None,
    };
    if fingerprint.is_none() {
        match (&rule, &subject) {
            (Some(_), Some(_)) => {}
            (None, None) => {
                return Err(err(
                    "name the finding: `fingerprint = \"…\"`, or `rule` and `subject`",
                ));
            }
            (Some(_), None) => {
                return Err(err(
                    "missing required key `subject` (with `rule` and no `fingerprint`, a waiver names the subject: `<kind>:<id>` or an object id)",
                ));
            }
            (None, Some(_)) => {
                return Err(err(
                    "missing required key `rule` (with `subject` and no `fingerprint`, a waiver names the rule: id or name)",
                ));
            }
        }
    }
    let reason = required(
        entry.reason.as_ref(),
        "reason",
        "why the finding is accepted",
        &err,
    )?;
    let owner = required(
        entry.owner.as_ref(),
        "owner",
        "who answers for the decision, e.g. a team's address",
        &err,
    )?;
    let expires_text = required(
        entry.expires.as_ref(),
        "expires",
        "the last day it applies, YYYY-MM-DD",
        &err,
    )?;
    let expires = crate::dates::parse_date(expires_text).ok_or_else(|| {
        err(&format!(
            "`expires` must be a date YYYY-MM-DD (e.g. 2027-03-31), not `{expires_text}`"
        ))
    })?;
    Ok(Waiver {
        fingerprint,
        rule,
        subject,
        subject_text: entry.subject.as_ref().map(|s| s.trim().to_owned()),
        reason: reason.to_owned(),
        owner: owner.to_owned(),
        expires,
        source: WaiverSource {
            file: file.to_owned(),
            line: entry.line,
        },
    })
}

/// Applies waivers to a report on the analysis date: each matched finding gets a waiver
/// [`Suppression`] (replacing a baseline one), expired and stale waivers are recorded, every
/// waiver is listed in `report.waivers`, and the summary is recomputed. Pure and deterministic.
pub fn apply(report: &mut Report, waivers: &[Waiver], as_of: NaiveDate) {
    // Fingerprint → the first applicable waiver that names it.
    let mut waived: BTreeMap<String, &Waiver> = BTreeMap::new();
    for waiver in waivers {
        let findings: Vec<String> = report
            .findings
            .iter()
            .filter(|f| waiver.matches(f))
            .map(|f| f.fingerprint.clone())
            .collect();
        let status = if waiver.is_expired(as_of) {
            WaiverStatus::Expired
        } else if findings.is_empty() {
            WaiverStatus::Stale
        } else {
            WaiverStatus::Applied
        };
        if status == WaiverStatus::Applied {
            for fp in &findings {
                waived.entry(fp.clone()).or_insert(waiver);
            }
        }
        report.waivers.push(WaiverOutcome {
            status,
            source: waiver.source.clone(),
            fingerprint: waiver.fingerprint.clone(),
            rule: waiver.rule.clone(),
            subject: waiver.subject_text.clone(),
            reason: waiver.reason.clone(),
            owner: waiver.owner.clone(),
            expires: waiver.expires.to_string(),
            findings,
        });
    }

    // A waiver wins over the baseline; then keep the suppressions in report order.
    report
        .suppressions
        .retain(|s| !waived.contains_key(&s.fingerprint));
    for (fp, waiver) in &waived {
        report.suppressions.push(Suppression {
            fingerprint: fp.clone(),
            kind: SuppressionKind::Waiver,
            reason: Some(waiver.reason.clone()),
            owner: Some(waiver.owner.clone()),
            expires: Some(waiver.expires.to_string()),
            source: Some(waiver.source.clone()),
        });
    }
    sort_suppressions(report);
    report.refresh_summary();
}

/// Orders suppressions as their findings are ordered (unknown fingerprints last, by value).
pub(crate) fn sort_suppressions(report: &mut Report) {
    let position: BTreeMap<&str, usize> = report
        .findings
        .iter()
        .enumerate()
        .map(|(i, f)| (f.fingerprint.as_str(), i))
        .collect();
    let mut suppressions = std::mem::take(&mut report.suppressions);
    crate::order::sort_by(&mut suppressions, |a, b| {
        let pa = position.get(a.fingerprint.as_str()).unwrap_or(&usize::MAX);
        let pb = position.get(b.fingerprint.as_str()).unwrap_or(&usize::MAX);
        pa.cmp(pb).then_with(|| a.fingerprint.cmp(&b.fingerprint))
    });
    report.suppressions = suppressions;
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "grantscope-waivers.toml";

    fn err(text: &str) -> String {
        from_toml(text, FILE).unwrap_err().to_string()
    }

    #[test]
    fn reads_both_selector_forms_and_bare_or_quoted_dates() {
        let waivers = from_toml(
            r#"
# reviewed 2026-10
[[waiver]]
fingerprint = "3ED48F00AAAABBBBCCCCDDDDEEEEFFFF"
reason = "auditor"
owner = "sec@contoso.example"
expires = 2027-03-31

[[waiver]]
rule = "stale-guest"
subject = "User:abc"
reason = "r"
owner = "o"
expires = "2026-12-01"
"#,
            FILE,
        )
        .unwrap();
        assert_eq!(waivers.len(), 2);
        assert_eq!(
            waivers[0].fingerprint.as_deref(),
            Some("3ed48f00aaaabbbbccccddddeeeeffff")
        );
        assert_eq!(waivers[0].source.line, 3);
        assert_eq!(
            waivers[0].expires,
            NaiveDate::from_ymd_opt(2027, 3, 31).unwrap()
        );
        assert_eq!(waivers[1].rule.as_deref(), Some("GS501"));
        assert_eq!(
            waivers[1].subject,
            Some(SubjectSelector {
                kind: Some(EntityKind::User),
                id: "abc".into()
            })
        );
        assert_eq!(waivers[1].source.to_string(), "grantscope-waivers.toml:9");
    }

    #[test]
    fn reason_owner_and_expires_are_required_and_named() {
        let base = "[[waiver]]\nrule = \"GS501\"\nsubject = \"user:u1\"\n";
        assert_eq!(
            err(&format!("{base}owner = \"o\"\nexpires = 2027-01-01\n")),
            "line 1, column 1: [[waiver]] #1 (rule = \"GS501\", subject = \"user:u1\"): missing required key `reason` (why the finding is accepted)"
        );
        let e = err(&format!(
            "[[waiver]]\nfingerprint = \"{}\"\nreason = \"r\"\nowner = \"o\"\nexpires = 2027-01-01\n\n{base}reason = \"r\"\nexpires = 2027-01-01\n",
            "0".repeat(32)
        ));
        assert!(
            e.starts_with("line 7, column 1: [[waiver]] #2 (rule = \"GS501\", subject = \"user:u1\"): missing required key `owner`"),
            "{e}"
        );
        assert!(
            err(&format!("{base}reason = \"r\"\nowner = \"o\"\n"))
                .contains("missing required key `expires` (the last day it applies, YYYY-MM-DD)")
        );
        assert!(
            err(&format!(
                "{base}reason = \"  \"\nowner = \"o\"\nexpires = 2027-01-01\n"
            ))
            .contains("`reason` is empty")
        );
    }

    #[test]
    fn bad_entries_are_explained() {
        let tail = "reason = \"r\"\nowner = \"o\"\nexpires = 2027-01-01\n";
        assert!(
            err(&format!("[[waiver]]\n{tail}")).contains("name the finding"),
            "no selector"
        );
        assert!(
            err(&format!("[[waiver]]\nrule = \"GS501\"\n{tail}"))
                .contains("missing required key `subject`")
        );
        assert!(
            err(&format!(
                "[[waiver]]\nrule = \"stale-gest\"\nsubject = \"u\"\n{tail}"
            ))
            .contains("unknown rule `stale-gest`; did you mean `stale-guest`?")
        );
        assert!(
            err(&format!(
                "[[waiver]]\nrule = \"GS501\"\nsubject = \"usr:u\"\n{tail}"
            ))
            .contains("unknown kind `usr` in subject `usr:u`; did you mean `user`?")
        );
        assert!(
            err(&format!("[[waiver]]\nfingerprint = \"abc\"\n{tail}"))
                .contains("`fingerprint` must be the 32 hexadecimal digits")
        );
        assert!(
            err("[[waiver]]\nrule = \"GS501\"\nsubject = \"u\"\nreason = \"r\"\nowner = \"o\"\nexpires = \"31/03/2027\"\n")
                .contains("`expires` must be a date YYYY-MM-DD (e.g. 2027-03-31), not `31/03/2027`")
        );
        assert_eq!(
            err("[[waiver]]\nreasn = \"r\"\n"),
            "line 2, column 1: unknown key `reasn`; did you mean `reason`?"
        );
        assert!(err("[[waivr]]\n").contains("unknown key `waivr`"));
    }

    #[test]
    fn configuration_waivers_are_validated_with_their_lines() {
        use crate::config::Config;
        let first = "as-of = \"2026-11-01\"\n\n[[waivers]]\nrule = \"GS501\"\nsubject = \"u\"\nreason = \"r\"\nowner = \"o\"\nexpires = 2027-01-01\n\n";
        let second =
            "[[waivers]]\nrule = \"GS502\"\nsubject = \"u\"\nowner = \"o\"\nexpires = 2027-01-01\n";
        assert_eq!(
            Config::from_toml(&format!("{first}{second}"))
                .unwrap_err()
                .to_string(),
            "line 10, column 1: [[waivers]] #2 (rule = \"GS502\", subject = \"u\"): missing required key `reason` (why the finding is accepted)"
        );
        let config = Config::from_toml(&format!("{first}{second}reason = \"r2\"\n")).unwrap();
        let waivers = config.waivers("grantscope.toml").unwrap();
        assert_eq!(waivers.len(), 2);
        assert_eq!(waivers[1].source.to_string(), "grantscope.toml:10");
        assert_eq!(waivers[1].reason, "r2");
    }

    #[test]
    fn entries_from_json_have_no_line() {
        let entry: WaiverEntry = serde_json::from_value(serde_json::json!({
            "rule": "GS501", "subject": "u1", "reason": "r", "owner": "o", "expires": "2027-01-01"
        }))
        .unwrap();
        let waivers = from_entries(&[entry], "config", "waivers").unwrap();
        assert_eq!(waivers[0].source.line, 0);
        assert_eq!(waivers[0].subject.as_ref().unwrap().kind, None);
    }

    #[test]
    fn expiry_is_inclusive() {
        let w = &from_toml(
            "[[waiver]]\nrule = \"GS501\"\nsubject = \"u\"\nreason = \"r\"\nowner = \"o\"\nexpires = 2027-03-31\n",
            FILE,
        )
        .unwrap()[0];
        assert!(!w.is_expired(NaiveDate::from_ymd_opt(2027, 3, 31).unwrap()));
        assert!(w.is_expired(NaiveDate::from_ymd_opt(2027, 4, 1).unwrap()));
    }
}
