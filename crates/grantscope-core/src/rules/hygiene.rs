//! Rules of the `hygiene` category.

use super::DynRule;

pub(super) static RULES: &[&dyn DynRule] = &[];
