//! Rules of the `guest-lifecycle` category: external accounts that outlive their need.

pub mod guest_lifecycle_disabled;

use super::DynRule;

pub(super) static RULES: &[&dyn DynRule] = &[&guest_lifecycle_disabled::GuestLifecycleDisabled];
