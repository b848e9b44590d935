//! `grantscope.toml`: per-rule levels and options, separation-of-duties rule sets, privileged
//! resources. The same document arrives as TOML (CLI) or JSON (browser). Unknown keys are
//! rejected with an error naming the key and the nearest valid one.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

use crate::findings::Severity;
use crate::rules::{ALL_RULES, RuleMeta, find_rule};
use crate::toml_doc::{Document, Kind, Shape, is};
use crate::waivers::{self, Waiver, WaiverEntry};

/// A configuration problem: where (line/column when known, the key) and what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.render())]
pub struct ConfigError {
    /// 1-based; 0 when unknown.
    pub line: u32,
    pub column: u32,
    pub message: String,
}

impl ConfigError {
    fn new(message: impl Into<String>) -> Self {
        ConfigError {
            line: 0,
            column: 0,
            message: message.into(),
        }
    }

    fn render(&self) -> String {
        if self.line > 0 {
            format!(
                "line {}, column {}: {}",
                self.line, self.column, self.message
            )
        } else {
            self.message.clone()
        }
    }
}

/// One `[[separation-of-duties]]` rule: no user may hold something from every side.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SodRule {
    pub name: String,
    /// Each side is a list of resource display names or ids (also matches role `Resource/Role`).
    pub sides: Vec<Vec<String>>,
}

/// `[privileged-resources]`: resources (display names or ids) to treat as privileged.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PrivilegedResources {
    #[serde(rename = "match", default)]
    pub matches: Vec<String>,
}

/// The configuration document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// `YYYY-MM-DD`; the CLI defaults to today (UTC), the browser always passes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<NaiveDate>,
    /// The CI threshold: exit 1 when a finding reaches it.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "severity_name"
    )]
    pub fail_on: Option<Severity>,
    /// Keyed by rule name or id: `"off"`, a severity, or `{ level, options }`.
    #[serde(default)]
    pub rules: BTreeMap<String, serde_json::Value>,
    #[serde(default)]
    pub separation_of_duties: Vec<SodRule>,
    #[serde(default)]
    pub privileged_resources: PrivilegedResources,
    /// `[[waivers]]`: accepted findings (see [`crate::waivers`]); `grantscope-waivers.toml` is
    /// the usual place for them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waivers: Vec<WaiverEntry>,
}

/// A rule's level after configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Off,
    /// The rule decides (its default severity, or a computed one).
    Default,
    /// Every finding of the rule gets this severity.
    Fixed(Severity),
}

/// A rule's resolved setting.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSetting {
    pub level: Level,
    pub options: serde_json::Value,
}

impl RuleSetting {
    #[must_use]
    pub fn severity_override(&self) -> Option<Severity> {
        match self.level {
            Level::Fixed(s) => Some(s),
            _ => None,
        }
    }
}

const TOP_KEYS: [&str; 6] = [
    "as-of",
    "fail-on",
    "rules",
    "separation-of-duties",
    "privileged-resources",
    "waivers",
];

/// Severity names, as serde names `Severity`'s variants.
const SEVERITY_NAMES: [&str; 5] = ["info", "low", "medium", "high", "critical"];

/// Reads `fail-on`: a severity's name. Anything else is an error that says what is expected in
/// TOML's and JSON's terms (serde's enum reading would say "expected string or map", and
/// accept `{ high = {} }`).
fn severity_name<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Severity>, D::Error> {
    struct Name;
    impl Visitor<'_> for Name {
        type Value = Option<Severity>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a severity: info, low, medium, high or critical")
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Severity::ALL
                .into_iter()
                .find(|s| s.as_str() == v)
                .map(Some)
                .ok_or_else(|| E::unknown_variant(v, &SEVERITY_NAMES))
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
    }
    deserializer.deserialize_any(Name)
}

/// A string field (for error positions in TOML, see [`crate::toml_doc`]).
pub(crate) static TEXT: Shape = Shape {
    check: is::<String>,
    kind: Kind::Value,
};
static TEXTS: Shape = Shape {
    check: is::<Vec<String>>,
    kind: Kind::Seq(&TEXT),
};
static SOD_RULE: Shape = Shape {
    check: is::<SodRule>,
    kind: Kind::Struct(&[
        ("name", &TEXT),
        (
            "sides",
            &Shape {
                check: is::<Vec<Vec<String>>>,
                kind: Kind::Seq(&TEXTS),
            },
        ),
    ]),
};
/// [`Config`]'s fields and their types, for error positions in TOML.
const CONFIG_FIELDS: &[(&str, &Shape)] = &[
    (
        "as-of",
        &Shape {
            check: is::<NaiveDate>,
            kind: Kind::Value,
        },
    ),
    (
        "fail-on",
        &Shape {
            check: |value| severity_name(value).is_ok(),
            kind: Kind::Value,
        },
    ),
    (
        "rules",
        &Shape {
            check: is::<BTreeMap<String, serde_json::Value>>,
            kind: Kind::Value,
        },
    ),
    (
        "separation-of-duties",
        &Shape {
            check: is::<Vec<SodRule>>,
            kind: Kind::Seq(&SOD_RULE),
        },
    ),
    (
        "privileged-resources",
        &Shape {
            check: is::<PrivilegedResources>,
            kind: Kind::Struct(&[("match", &TEXTS)]),
        },
    ),
    ("waivers", &waivers::ENTRIES),
];

/// The candidate closest to `key`, if it is close enough to be a plausible typo.
#[must_use]
pub fn nearest<'a>(key: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::jaro_winkler(&key.to_ascii_lowercase(), &c.to_ascii_lowercase()),
                c,
            )
        })
        .filter(|(score, _)| *score >= 0.75)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// Adds "did you mean …?" to serde's "unknown field `x`, expected one of …" messages.
pub(crate) fn with_suggestion(message: &str) -> String {
    let Some(rest) = message.strip_prefix("unknown field `") else {
        return message.to_owned();
    };
    let Some((unknown, tail)) = rest.split_once('`') else {
        return message.to_owned();
    };
    let candidates: Vec<&str> = tail.split('`').skip(1).step_by(2).collect();
    match nearest(unknown, candidates.iter().copied()) {
        Some(best) => format!("unknown key `{unknown}`; did you mean `{best}`?"),
        None => format!(
            "unknown key `{unknown}`; expected one of {}",
            candidates.join(", ")
        ),
    }
}

impl Config {
    /// Parses `grantscope.toml` text and validates rule names and options.
    pub fn from_toml(text: &str) -> Result<Config, ConfigError> {
        let document = Document::parse(text)?;
        let mut config: Config = document.deserialize(CONFIG_FIELDS)?;
        for (entry, line) in config
            .waivers
            .iter_mut()
            .zip(document.array_lines("waivers"))
        {
            entry.line = line;
        }
        config.validate()?;
        Ok(config)
    }

    /// Parses the same document as JSON (the browser passes it this way).
    pub fn from_json(value: serde_json::Value) -> Result<Config, ConfigError> {
        let config: Config = serde_json::from_value(value)
            .map_err(|e| ConfigError::new(with_suggestion(&e.to_string())))?;
        config.validate()?;
        Ok(config)
    }

    /// Checks that every `[rules]` key names a rule and every options table fits that rule.
    pub fn validate(&self) -> Result<(), ConfigError> {
        for (key, value) in &self.rules {
            let Some(rule) = find_rule(key) else {
                let names = ALL_RULES.iter().map(|r| r.meta().name);
                let hint = nearest(key, names)
                    .map(|n| format!("; did you mean `{n}`?"))
                    .unwrap_or_else(|| "; run `grantscope rules` for the list".to_owned());
                return Err(ConfigError::new(format!(
                    "[rules]: unknown rule `{key}`{hint}"
                )));
            };
            let (_, options) = parse_setting(key, value)?;
            rule.validate_options(&options).map_err(|e| {
                ConfigError::new(format!("[rules.{key}.options]: {}", with_suggestion(&e)))
            })?;
        }
        for (i, sod) in self.separation_of_duties.iter().enumerate() {
            if sod.sides.len() < 2 || sod.sides.iter().any(Vec::is_empty) {
                return Err(ConfigError::new(format!(
                    "[[separation-of-duties]] #{} (`{}`): expected at least two non-empty sides, e.g. sides = [[\"Payments-Submit\"], [\"Payments-Approve\"]]",
                    i + 1,
                    sod.name
                )));
            }
        }
        waivers::from_entries(&self.waivers, "", "[[waivers]]")?;
        Ok(())
    }

    /// The validated `[[waivers]]`, their sources naming `file` (the configuration file).
    ///
    /// # Errors
    /// An invalid entry (see [`crate::waivers::from_entries`]).
    pub fn waivers(&self, file: &str) -> Result<Vec<Waiver>, ConfigError> {
        waivers::from_entries(&self.waivers, file, "[[waivers]]")
    }

    /// The resolved setting of a rule (by id or name in `[rules]`).
    #[must_use]
    pub fn rule(&self, meta: &RuleMeta) -> RuleSetting {
        let value = self.rules.iter().find_map(|(k, v)| {
            (k.eq_ignore_ascii_case(meta.id) || k.eq_ignore_ascii_case(meta.name)).then_some(v)
        });
        match value.map(|v| parse_setting(meta.name, v)) {
            Some(Ok((level, options))) => RuleSetting { level, options },
            _ => RuleSetting {
                level: Level::Default,
                options: serde_json::Value::Null,
            },
        }
    }

    /// The top-level keys, for "did you mean" in callers that build configs.
    #[must_use]
    pub fn keys() -> &'static [&'static str] {
        &TOP_KEYS
    }
}

fn parse_level(key: &str, s: &str) -> Result<Level, ConfigError> {
    if s.eq_ignore_ascii_case("off") {
        return Ok(Level::Off);
    }
    if s.eq_ignore_ascii_case("on") || s.eq_ignore_ascii_case("default") {
        return Ok(Level::Default);
    }
    Severity::parse(s).map(Level::Fixed).ok_or_else(|| {
        ConfigError::new(format!(
            "[rules.{key}]: unknown level `{s}`; expected off, on, info, low, medium, high or critical"
        ))
    })
}

fn parse_setting(
    key: &str,
    value: &serde_json::Value,
) -> Result<(Level, serde_json::Value), ConfigError> {
    match value {
        serde_json::Value::String(s) => Ok((parse_level(key, s)?, serde_json::Value::Null)),
        serde_json::Value::Object(map) => {
            let mut level = Level::Default;
            let mut options = serde_json::Value::Null;
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("level", serde_json::Value::String(s)) => level = parse_level(key, s)?,
                    ("options", v @ serde_json::Value::Object(_)) => options = v.clone(),
                    ("level" | "options", _) => {
                        return Err(ConfigError::new(format!(
                            "[rules.{key}]: `{k}` has the wrong type; expected level = \"high\" and options = {{ … }}"
                        )));
                    }
                    _ => {
                        let hint = nearest(k, ["level", "options"])
                            .map(|n| format!("; did you mean `{n}`?"))
                            .unwrap_or_default();
                        return Err(ConfigError::new(format!(
                            "[rules.{key}]: unknown key `{k}`{hint}"
                        )));
                    }
                }
            }
            Ok((level, options))
        }
        _ => Err(ConfigError::new(format!(
            "[rules.{key}]: expected a level (\"off\", \"high\", …) or a table {{ level = …, options = {{ … }} }}"
        ))),
    }
}
