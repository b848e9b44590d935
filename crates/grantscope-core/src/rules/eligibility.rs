//! Rules of the `eligibility` category.

use super::DynRule;

pub(super) static RULES: &[&dyn DynRule] = &[];
