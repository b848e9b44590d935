use serde::{Deserialize, Serialize};

use super::{holdings_resolvable, kind_words, user_words, ymd};
use crate::declare_rule;
use crate::model::{Dataset, ExternalUserState, User};
use crate::rules::{Findings, Rule, RuleContext, package_ref, user_ref};

declare_rule! {
    /// ## What it does
    /// Flags an invited external account whose invitation is still pending
    /// (`externalUserState = PendingAcceptance`) more than `max-pending-days` (default 30) after
    /// the state last changed (`externalUserStateChangeDateTime`, else `createdDateTime`).
    /// Any account in that state is an invited external user, so external accounts created with
    /// `userType = Member` are included too. An account with neither date is skipped.
    ///
    /// When the export has guests but no account carries `externalUserState` at all (the
    /// property is returned only when `$select`ed), the rule is reported as not evaluated.
    ///
    /// ## Why is this risky?
    /// An invitation that nobody redeemed for weeks is rarely still wanted, yet the account
    /// exists and may already hold access. Until it is redeemed, the invitation can be redeemed
    /// by whoever obtains the invitation link or a forwarded invitation mail, depending on the
    /// redemption settings — the access then lands with someone nobody vetted.
    ///
    /// ## Example
    /// ```json
    /// { "id": "…", "userType": "Guest", "externalUserState": "PendingAcceptance",
    ///   "externalUserStateChangeDateTime": "2026-09-10T08:12:44Z" }
    /// ```
    ///
    /// ## Remediation
    /// In the Entra admin center, open Users → the guest: resend the invitation if the access is
    /// still needed, otherwise delete the account (and its access package assignments).
    ///
    /// ## References
    /// - https://learn.microsoft.com/entra/external-id/user-properties
    /// - https://learn.microsoft.com/entra/external-id/redemption-experience
    pub PendingInvitation {
        id: "GS502",
        name: "pending-invitation",
        category: GuestLifecycle,
        severity: Low,
        summary: "Guest invitation pending acceptance for a long time",
        remediation: "Resend the invitation if access is still needed, otherwise delete the guest account (Users → the guest)",
        needs: [Users],
        since: "0.1.0",
    }
}

/// Options of `pending-invitation`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    /// An invitation is stale when it has been pending for more than this many days.
    pub max_pending_days: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_pending_days: 30,
        }
    }
}

impl Rule for PendingInvitation {
    type Options = Options;

    fn applicable(&self, ctx: &RuleContext<'_>) -> Result<(), String> {
        let users = ctx.snapshot.users.values();
        let has_state = users.clone().any(|u| u.external_user_state.is_some());
        if has_state || !users.clone().any(User::is_guest) {
            Ok(())
        } else {
            Err("the export has guests but no externalUserState; add externalUserState and externalUserStateChangeDateTime to the users.json $select".to_owned())
        }
    }

    fn check(&self, ctx: &RuleContext<'_>, options: &Options, out: &mut Findings) {
        let s = ctx.snapshot;
        let max_days = i64::from(options.max_pending_days);
        let holdings_known = s.has(Dataset::Assignments) && holdings_resolvable(ctx).is_ok();
        for u in s.users.values() {
            if u.external_user_state != Some(ExternalUserState::PendingAcceptance) {
                continue;
            }
            let (since, field) = match (u.external_user_state_changed, u.created) {
                (Some(t), _) => (t, "externalUserStateChangeDateTime"),
                (None, Some(t)) => (t, "createdDateTime"),
                (None, None) => continue,
            };
            let days = ctx.days_since(since);
            if days <= max_days {
                continue;
            }
            let message = format!(
                "{} {} has not accepted the invitation pending since {} ({days} days)",
                kind_words(u),
                user_words(u),
                ymd(since)
            );
            let mut d = ctx
                .finding(out, user_ref(s, &u.id), message)
                .evidence("pendingSince", ymd(since))
                .evidence("pendingSinceField", field)
                .evidence("daysPending", days)
                .evidence("maxPendingDays", options.max_pending_days)
                .evidence(
                    "userType",
                    u.user_type.as_ref().map(|t| t.as_str().to_owned()),
                )
                .evidence("accountEnabled", u.account_enabled);
            if holdings_known {
                let held = ctx
                    .graph
                    .user_idx(&u.id)
                    .map_or(&[][..], |i| ctx.graph.holdings(i));
                d = d.evidence("activeAccessPackageIds", held);
                for p in held {
                    d = d.related(package_ref(s, p));
                }
            }
            out.push(d);
        }
    }
}
