//! Rules of the `guest-lifecycle` category: external accounts that outlive their need.

pub mod disabled_user_with_assignments;
pub mod guest_lifecycle_disabled;
pub mod guest_without_access;
pub mod pending_invitation;
pub mod stale_guest;
pub mod unconfigured_connected_organization;

use std::collections::HashMap;

use super::DynRule;
use crate::model::{Snapshot, Timestamp, User};

pub(super) static RULES: &[&dyn DynRule] = &[
    &stale_guest::StaleGuest,
    &pending_invitation::PendingInvitation,
    &guest_lifecycle_disabled::GuestLifecycleDisabled,
    &guest_without_access::GuestWithoutAccess,
    &disabled_user_with_assignments::DisabledUserWithAssignments,
    &unconfigured_connected_organization::UnconfiguredConnectedOrganization,
];

/// A date as evidence and in messages (`YYYY-MM-DD`).
pub(crate) fn ymd(t: Timestamp) -> String {
    t.format("%Y-%m-%d").to_string()
}

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

/// "Guest" or "User", as the subject of a message.
pub(crate) fn kind_words(u: &User) -> &'static str {
    if u.is_guest() { "Guest" } else { "User" }
}

/// Assignments by target user, built in one pass: the active ones' ids and how many inactive
/// (expired, failed) ones each user has. Lists are in assignment id order.
#[derive(Default)]
pub(crate) struct AssignmentsByUser<'s> {
    active: HashMap<&'s str, Vec<&'s str>>,
    inactive: HashMap<&'s str, usize>,
}

impl<'s> AssignmentsByUser<'s> {
    pub(crate) fn new(s: &'s Snapshot) -> Self {
        let mut index = AssignmentsByUser::default();
        for a in s.assignments.values() {
            let Some(user) = a.target_object_id.as_deref() else {
                continue;
            };
            if a.is_active() {
                index.active.entry(user).or_default().push(a.id.as_str());
            } else {
                *index.inactive.entry(user).or_default() += 1;
            }
        }
        index
    }

    /// Ids of the user's active assignments.
    pub(crate) fn active(&self, user: &str) -> &[&'s str] {
        self.active.get(user).map_or(&[], Vec::as_slice)
    }

    /// How many of the user's assignments are no longer active.
    pub(crate) fn inactive(&self, user: &str) -> usize {
        self.inactive.get(user).copied().unwrap_or(0)
    }
}
