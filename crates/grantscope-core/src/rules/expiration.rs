//! Rules of the `expiration` category.

use super::DynRule;

pub(super) static RULES: &[&dyn DynRule] = &[];
