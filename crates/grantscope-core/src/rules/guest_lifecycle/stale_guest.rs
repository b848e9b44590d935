use serde::{Deserialize, Serialize};

use super::{holdings_resolvable, quoted, user_words, ymd};
use crate::declare_rule;
use crate::findings::Severity;
use crate::model::{Dataset, Timestamp, User};
use crate::rules::{Findings, Rule, RuleContext, package_ref, user_ref};

declare_rule! {
    /// ## What it does
    /// Flags an enabled guest account that has not signed in for more than `max-inactive-days`
    /// (default 90) before the analysis date, or that never signed in and was created more than
    /// that long ago. The last sign-in is `signInActivity.lastSuccessfulSignInDateTime`, else the
    /// later of the last interactive and non-interactive sign-in attempts; Graph's
    /// `0001-01-01T00:00:00Z` means "never".
    ///
    /// Severity is medium, and high when the guest still holds an active access package
    /// assignment. When assignments were not exported, or none can be linked to a user, the
    /// severity stays medium and the evidence says `holdingsKnown: false`.
    ///
    /// When no user in the export carries sign-in data (`signInActivity.json` missing, or a tenant
    /// without Entra ID P1), the rule is reported as not evaluated rather than flagging every
    /// guest. A guest without any `signInActivity` while other users have it (missing from
    /// `signInActivity.json`, or `signInActivity: null`) is treated as unknown and skipped: the
    /// two cases cannot be told apart once the files are merged. A guest that never signed in
    /// and has no `createdDateTime` is skipped too.
    ///
    /// ## Why is this risky?
    /// A guest who no longer signs in usually no longer needs access, but the account stays
    /// enabled with whatever it was granted. Nobody notices when its home account is compromised
    /// or handed to someone else, and its access packages keep renewing or never expire. Stale
    /// guests are the standing access an attacker looks for.
    ///
    /// ## Example
    /// ```json
    /// { "id": "…", "userType": "Guest", "accountEnabled": true,
    ///   "signInActivity": { "lastSuccessfulSignInDateTime": "2026-06-15T09:40:02Z" } }
    /// ```
    ///
    /// ## Remediation
    /// In the Entra admin center, review the guest under Users (filter "Last sign-in"); remove
    /// their access package assignments (Identity Governance → Entitlement management → Access
    /// packages → Assignments) and block sign-in or delete the account. Schedule an access review
    /// of guest users so this happens continuously.
    ///
    /// ## References
    /// - https://learn.microsoft.com/entra/identity/monitoring-health/howto-manage-inactive-user-accounts
    /// - https://learn.microsoft.com/graph/api/resources/signinactivity
    /// - https://learn.microsoft.com/entra/id-governance/access-reviews-external-users
    pub StaleGuest {
        id: "GS501",
        name: "stale-guest",
        category: GuestLifecycle,
        severity: Medium,
        summary: "Enabled guest account that has not signed in for a long time",
        remediation: "Remove the guest's assignments and block or delete the account (Users → the guest), and review guests regularly with an access review",
        needs: [Users, SignInActivity],
        since: "0.1.0",
    }
}

/// Options of `stale-guest`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    /// A guest is stale when its last sign-in (or, if it never signed in, its creation) is more
    /// than this many days before the analysis date.
    pub max_inactive_days: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_inactive_days: 90,
        }
    }
}

/// Why a guest counts as stale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Staleness {
    /// Last sign-in at this time, this many days before as-of.
    Inactive(Timestamp, i64),
    /// Never signed in; created at this time, this many days before as-of.
    Never(Timestamp, i64),
}

/// Whether a guest is stale; `None` when it is not, or when its sign-in data is unknown.
fn staleness(ctx: &RuleContext<'_>, u: &User, max_days: i64) -> Option<Staleness> {
    let activity = u.sign_in_activity.as_ref()?;
    match activity.last_activity() {
        Some(t) => {
            let days = ctx.days_since(t);
            (days > max_days).then_some(Staleness::Inactive(t, days))
        }
        None => {
            let created = u.created?;
            let days = ctx.days_since(created);
            (days > max_days).then_some(Staleness::Never(created, days))
        }
    }
}

fn opt_ymd(t: Option<Timestamp>) -> Option<String> {
    t.map(ymd)
}

impl Rule for StaleGuest {
    type Options = Options;

    fn applicable(&self, ctx: &RuleContext<'_>) -> Result<(), String> {
        if ctx.snapshot.has_sign_in_data() {
            Ok(())
        } else {
            Err(
                "sign-in activity was not exported or needs Entra ID P1 (signInActivity.json)"
                    .to_owned(),
            )
        }
    }

    fn check(&self, ctx: &RuleContext<'_>, options: &Options, out: &mut Findings) {
        let s = ctx.snapshot;
        let g = ctx.graph;
        let max_days = i64::from(options.max_inactive_days);
        // Holdings raise the severity; they are known only when assignments were exported and
        // can be linked to users.
        let holdings_known = s.has(Dataset::Assignments) && holdings_resolvable(ctx).is_ok();
        for (idx, u) in (0..).zip(g.users.iter()) {
            if !u.is_guest() || !u.is_enabled() {
                continue;
            }
            let Some(stale) = staleness(ctx, u, max_days) else {
                continue;
            };
            let held = g.holdings(idx);
            let mut message = match stale {
                Staleness::Inactive(t, days) => format!(
                    "Guest {} has not signed in for {days} days (last sign-in {})",
                    user_words(u),
                    ymd(t)
                ),
                Staleness::Never(created, days) => format!(
                    "Guest {} has never signed in since the account was created {days} days ago ({})",
                    user_words(u),
                    ymd(created)
                ),
            };
            if let [only] = held {
                let name = s
                    .access_packages
                    .get(*only)
                    .and_then(|p| p.display_name.as_deref());
                message.push_str(&format!(
                    " and still holds access package {}",
                    quoted(name, only)
                ));
            } else if !held.is_empty() {
                message.push_str(&format!(" and still holds {} access packages", held.len()));
            }
            let activity = u.sign_in_activity.as_ref();
            let (days_inactive, never) = match stale {
                Staleness::Inactive(_, d) => (d, false),
                Staleness::Never(_, d) => (d, true),
            };
            let mut d = ctx
                .finding(out, user_ref(s, &u.id), message)
                .evidence("neverSignedIn", never)
                .evidence("daysInactive", days_inactive)
                .evidence("maxInactiveDays", options.max_inactive_days)
                .evidence(
                    "lastSuccessfulSignIn",
                    opt_ymd(activity.and_then(|a| a.last_successful_sign_in)),
                )
                .evidence(
                    "lastInteractiveSignIn",
                    opt_ymd(activity.and_then(|a| a.last_sign_in)),
                )
                .evidence(
                    "lastNonInteractiveSignIn",
                    opt_ymd(activity.and_then(|a| a.last_non_interactive_sign_in)),
                )
                .evidence("created", opt_ymd(u.created));
            d = if holdings_known {
                d.evidence("activeAccessPackageIds", held)
            } else {
                // Without them the severity cannot be raised: say so.
                d.evidence("holdingsKnown", false)
            };
            if !held.is_empty() {
                d = d.severity(Severity::High);
            }
            for p in held {
                d = d.related(package_ref(s, p));
            }
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone, Utc};

    use super::*;
    use crate::config::Config;
    use crate::graph::AccessGraph;
    use crate::model::{SignInActivity, Snapshot};

    fn at(y: i32, m: u32, d: u32) -> Timestamp {
        Utc.with_ymd_and_hms(y, m, d, 12, 0, 0).unwrap()
    }

    #[test]
    fn threshold_is_exclusive_and_never_uses_creation() {
        let s = Snapshot::default();
        let config = Config::default();
        let g = AccessGraph::build(&s, &config);
        let ctx = RuleContext::new(
            &s,
            &g,
            &config,
            NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        );
        let with = |last: Option<Timestamp>, created: Option<Timestamp>| User {
            id: "u".into(),
            created,
            sign_in_activity: Some(SignInActivity {
                last_successful_sign_in: last,
                ..SignInActivity::default()
            }),
            ..User::default()
        };
        // 2026-08-03 12:00 is 89.5 days before 2026-11-01 00:00: not stale at 89 whole days.
        assert_eq!(staleness(&ctx, &with(Some(at(2026, 8, 3)), None), 89), None);
        assert!(matches!(
            staleness(&ctx, &with(Some(at(2026, 8, 1)), None), 90),
            Some(Staleness::Inactive(_, 91))
        ));
        assert!(matches!(
            staleness(&ctx, &with(None, Some(at(2019, 5, 14))), 90),
            Some(Staleness::Never(..))
        ));
        assert_eq!(staleness(&ctx, &with(None, None), 90), None);
        let unknown = User {
            id: "u".into(),
            created: Some(at(2019, 5, 14)),
            ..User::default()
        };
        assert_eq!(staleness(&ctx, &unknown, 90), None);
    }

    #[test]
    fn not_evaluated_without_any_sign_in_data() {
        let mut s = Snapshot::default();
        s.datasets.insert(Dataset::Users);
        s.datasets.insert(Dataset::SignInActivity);
        s.users.insert(
            "g".into(),
            User {
                id: "g".into(),
                user_type: Some(crate::model::UserType::Guest),
                ..User::default()
            },
        );
        let config = Config::default();
        let g = AccessGraph::build(&s, &config);
        let ctx = RuleContext::new(
            &s,
            &g,
            &config,
            NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        );
        let err = StaleGuest.applicable(&ctx).unwrap_err();
        assert!(err.contains("Entra ID P1"), "{err}");
    }
}
