use serde::{Deserialize, Serialize};

use crate::declare_rule;
use crate::model::ExternalUserLifecycleAction;
use crate::rules::{Findings, Rule, RuleContext, tenant_ref};

declare_rule! {
    /// ## What it does
    /// Flags a tenant whose entitlement-management settings keep external users after their last
    /// access package assignment ends (`externalUserLifecycleAction = none`).
    ///
    /// ## Why is this risky?
    /// Guests invited through access packages stay in the directory, enabled, after the access
    /// they came for is gone. Every such account is a foothold: it can still sign in, be granted
    /// access elsewhere, and read what "all users" can read.
    ///
    /// ## Example
    /// ```json
    /// { "id": "singleton", "externalUserLifecycleAction": "none" }
    /// ```
    ///
    /// ## Remediation
    /// In the Entra admin center, open Identity Governance → Entitlement management → Settings
    /// and set "Block external user from signing in to this directory" and "Remove external user"
    /// (with a number of days), i.e. `blockSignInAndDelete`.
    ///
    /// ## References
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-external-users#settings-for-external-users
    pub GuestLifecycleDisabled {
        id: "GS503",
        name: "guest-lifecycle-disabled",
        category: GuestLifecycle,
        severity: Medium,
        summary: "Guests keep their accounts after their last assignment ends",
        remediation: "Set the external user lifecycle to block sign-in and remove the account after N days (Identity Governance → Entitlement management → Settings)",
        needs: [Settings],
        since: "0.1.0",
    }
}

/// This rule has no options.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {}

impl Rule for GuestLifecycleDisabled {
    type Options = Options;

    fn check(&self, ctx: &RuleContext<'_>, _options: &Options, out: &mut Findings) {
        let Some(settings) = &ctx.snapshot.settings else {
            return;
        };
        if settings.external_user_lifecycle_action == Some(ExternalUserLifecycleAction::None) {
            let draft = ctx
                .finding(
                    out,
                    tenant_ref(ctx.snapshot),
                    "External users keep their accounts after their last access package assignment is removed",
                )
                .evidence("externalUserLifecycleAction", "none");
            out.push(draft);
        }
    }
}
