//! Rules of the `separation-of-duties` category.

use super::DynRule;

pub(super) static RULES: &[&dyn DynRule] = &[];
