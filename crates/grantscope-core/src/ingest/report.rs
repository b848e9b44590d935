//! What ingestion tells its caller besides the snapshot: per file what was recognised, the
//! warnings, and the errors. Errors and warnings are data: one bad file never hides the rest.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::model::Dataset;

/// Which Graph shape a file was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ApiVersion {
    V1,
    Beta,
}

/// The container format of an input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum InputFormat {
    /// A Graph response or request body (`value` envelope, bare array or single object).
    GraphJson,
    /// One object per file under an EntraExporter folder tree.
    EntraExporter,
    /// The Entra portal's audit log download.
    AuditCsv,
    /// The Entra portal's "Download users" CSV.
    UsersCsv,
}

/// A fatal problem with one file: the file is skipped, the others still load.
///
/// `line` and `column` are 1-based and 0 when unknown; `path` is a JSON path (`$.value[3].state`)
/// or a CSV position (`row 12, column "Activity"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "camelCase")]
#[error("{}", self.render())]
pub struct LoadError {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub path: Option<String>,
    pub message: String,
}

impl LoadError {
    #[must_use]
    pub fn new(file: &str, message: impl Into<String>) -> Self {
        LoadError {
            file: file.to_owned(),
            line: 0,
            column: 0,
            path: None,
            message: message.into(),
        }
    }

    #[must_use]
    pub fn at(mut self, line: u32, column: u32) -> Self {
        self.line = line;
        self.column = column;
        self
    }

    #[must_use]
    pub fn with_path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    fn render(&self) -> String {
        let mut out = self.file.clone();
        if self.line > 0 {
            out.push_str(&format!(":{}", self.line));
            if self.column > 0 {
                out.push_str(&format!(":{}", self.column));
            }
        }
        out.push_str(": ");
        if let Some(path) = &self.path {
            out.push_str(&format!("at {path}: "));
        }
        out.push_str(&self.message);
        out
    }
}

/// Kinds of non-fatal problems, stable for machines (`code`) and explained for people (`message`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WarningKind {
    UnknownEnumValue,
    UnresolvedReference,
    ConflictingDuplicate,
    PossiblyTruncatedExpand,
    MissingId,
    UnrecognisedFile,
    UnsupportedValue,
    DocumentationQuirk,
    LimitExceeded,
}

/// A non-fatal problem: the data was loaded, but something in it deserves attention.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoadWarning {
    pub kind: WarningKind,
    pub file: String,
    /// 1-based line of the object concerned; 0 when unknown.
    pub line: u32,
    pub path: Option<String>,
    pub message: String,
}

/// What happened to one input file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    tag = "status"
)]
pub enum FileOutcome {
    /// Recognised and loaded.
    Loaded {
        format: InputFormat,
        dataset: Dataset,
        api_version: Option<ApiVersion>,
        items: usize,
        /// How the dataset was recognised: `@odata.context`, `shape`, `fileName` or `path`.
        recognised_by: String,
    },
    /// A zip archive whose members follow as their own entries.
    Expanded { entries: usize },
    /// Deliberately not loaded (README, manifest, unknown content), with the reason.
    Skipped { reason: String },
    /// Could not be read; the error says where and why.
    Failed { error: LoadError },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileReport {
    /// The file name as given (for archive members: `archive.zip/inner/path.json`).
    pub name: String,
    pub bytes: u64,
    #[serde(flatten)]
    pub outcome: FileOutcome,
}

/// Everything ingestion has to say about its inputs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoadReport {
    /// One entry per input file, in input order (archive members follow their archive).
    pub files: Vec<FileReport>,
    /// Sorted by file, line, kind.
    pub warnings: Vec<LoadWarning>,
    pub datasets: BTreeSet<Dataset>,
}

impl LoadReport {
    /// The errors of the files that failed, in input order.
    pub fn errors(&self) -> impl Iterator<Item = &LoadError> {
        self.files.iter().filter_map(|f| match &f.outcome {
            FileOutcome::Failed { error } => Some(error),
            _ => None,
        })
    }

    #[must_use]
    pub fn has_errors(&self) -> bool {
        self.errors().next().is_some()
    }
}
