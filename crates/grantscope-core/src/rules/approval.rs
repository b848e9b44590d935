//! Rules of the `approval` category.

use super::DynRule;

pub(super) static RULES: &[&dyn DynRule] = &[];
