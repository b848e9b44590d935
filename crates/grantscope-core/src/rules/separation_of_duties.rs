//! Rules of the `separation-of-duties` category: conflicting access held together.

pub mod incompatible_group_held;
pub mod incompatible_packages_held;
pub mod one_sided_incompatibility;
pub mod toxic_combination;

use std::collections::HashMap;

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

/// Active assignment ids by (user object id, package id), each list sorted. Built once per
/// rule run in one pass over the assignments, so evidence can name the assignments behind a
/// holding without rescanning.
pub(crate) struct ActiveAssignments<'s> {
    /// user id → package id → assignment ids
    by_user: HashMap<&'s str, HashMap<&'s str, Vec<&'s str>>>,
}

impl<'s> ActiveAssignments<'s> {
    pub(crate) fn new(s: &'s Snapshot) -> Self {
        let mut by_user: HashMap<&str, HashMap<&str, Vec<&str>>> = HashMap::new();
        // `assignments` is a BTreeMap: ids arrive sorted, so each list is sorted.
        for a in s.assignments.values().filter(|a| a.is_active()) {
            if let (Some(u), Some(p)) = (
                a.target_object_id.as_deref(),
                a.access_package_id.as_deref(),
            ) {
                by_user
                    .entry(u)
                    .or_default()
                    .entry(p)
                    .or_default()
                    .push(a.id.as_str());
            }
        }
        ActiveAssignments { by_user }
    }

    /// The active assignments of `user` to `package`, sorted by id.
    pub(crate) fn of(&self, user: &str, package: &str) -> &[&'s str] {
        self.by_user
            .get(user)
            .and_then(|m| m.get(package))
            .map_or(&[], Vec::as_slice)
    }
}
