//! Rules of the `review` category.

use super::DynRule;

pub(super) static RULES: &[&dyn DynRule] = &[];
