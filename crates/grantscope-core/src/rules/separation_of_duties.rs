//! Rules of the `separation-of-duties` category: conflicting access held together.

pub mod incompatible_group_held;
pub mod incompatible_packages_held;
pub mod one_sided_incompatibility;
pub mod toxic_combination;

use std::collections::HashSet;

use super::DynRule;
use crate::model::{Snapshot, User};

pub(super) static RULES: &[&dyn DynRule] = &[
    &incompatible_packages_held::IncompatiblePackagesHeld,
    &incompatible_group_held::IncompatibleGroupHeld,
    &toxic_combination::ToxicCombination,
    &one_sided_incompatibility::OneSidedIncompatibility,
];

/// `"name"` or, without a name, the id.
pub(crate) fn quoted(name: Option<&str>, id: &str) -> String {
    match name {
        Some(n) if !n.trim().is_empty() => format!("\"{n}\""),
        _ => id.to_owned(),
    }
}

/// A user in messages: `"Display Name"`, else the UPN, else the id.
pub(crate) fn user_words(u: &User) -> String {
    quoted(
        u.display_name
            .as_deref()
            .or(u.user_principal_name.as_deref()),
        &u.id,
    )
}

/// A package in messages: `"Display Name"`, else the id.
pub(crate) fn package_words(s: &Snapshot, id: &str) -> String {
    quoted(
        s.access_packages
            .get(id)
            .and_then(|p| p.display_name.as_deref()),
        id,
    )
}

/// Every "package A lists package B as incompatible" fact, in one set, so that asking whether a
/// package lists another costs one lookup instead of a scan of its list.
pub(crate) struct IncompatiblePairs<'s>(HashSet<(&'s str, &'s str)>);

impl<'s> IncompatiblePairs<'s> {
    pub(crate) fn new(s: &'s Snapshot) -> Self {
        IncompatiblePairs(
            s.access_packages
                .values()
                .flat_map(|a| {
                    a.incompatible_access_packages
                        .iter()
                        .flatten()
                        .map(|b| (a.id.as_str(), b.as_str()))
                })
                .collect(),
        )
    }

    /// Whether package `a` lists package `b` as incompatible.
    pub(crate) fn lists(&self, a: &str, b: &str) -> bool {
        self.0.contains(&(a, b))
    }
}
