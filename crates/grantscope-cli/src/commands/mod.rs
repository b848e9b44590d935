//! One module per subcommand.

pub(crate) mod baseline;
pub(crate) mod check;
pub(crate) mod collect;
pub(crate) mod completions;
pub(crate) mod convert;
pub(crate) mod diff;
pub(crate) mod inventory;
pub(crate) mod lint;
pub(crate) mod report;
pub(crate) mod rules;
