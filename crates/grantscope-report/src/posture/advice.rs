//! What the posture report says about each rule, in a client's terms: the business impact of a
//! finding (one sentence), what is good when the rule ran clean, the action that resolves its
//! findings, where in the Entra admin center to take it, and how much effort that is.

use grantscope_core::rules::find_rule;

/// How much work an action is. Used to order the remediation plan (risk reduction ÷ effort).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Effort {
    /// One setting per object, no decision needed: minutes.
    Low,
    /// A decision per object (who should approve, how long, which scope): hours.
    Medium,
    /// An investigation or a conversation with the business: days.
    High,
}

impl Effort {
    pub(crate) const ALL: [Effort; 3] = [Effort::Low, Effort::Medium, Effort::High];

    /// The divisor of risk reduction when ranking actions.
    pub(crate) fn weight(self) -> f64 {
        match self {
            Effort::Low => 1.0,
            Effort::Medium => 2.0,
            Effort::High => 3.0,
        }
    }

    pub(crate) fn label(self) -> &'static str {
        match self {
            Effort::Low => "Low",
            Effort::Medium => "Medium",
            Effort::High => "High",
        }
    }

    pub(crate) fn meaning(self) -> &'static str {
        match self {
            Effort::Low => "a setting to change on each object, no decision needed (minutes)",
            Effort::Medium => {
                "a decision per object: who approves, for how long, which audience (hours)"
            }
            Effort::High => "an investigation or a conversation with the business (days)",
        }
    }
}

/// The report's text for one rule.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Advice {
    pub(crate) rule_id: &'static str,
    /// One sentence: what a finding means for the business.
    pub(crate) impact: &'static str,
    /// One sentence: what is good when the rule ran and found nothing.
    pub(crate) good: &'static str,
    /// The action, with `{these}` standing for "this policy" / "these 6 policies".
    pub(crate) action: &'static str,
    /// Singular and plural of what the action is applied to.
    pub(crate) noun: (&'static str, &'static str),
    /// Where in the Entra admin center (entra.microsoft.com) the change is made.
    pub(crate) where_: &'static str,
    pub(crate) effort: Effort,
}

const POLICY: (&str, &str) = ("policy", "policies");
const AP: &str = "Identity Governance › Entitlement management › Access packages › (package) › Policies › (policy) › Edit";

macro_rules! advice {
    ($($id:literal => { $impact:literal, $good:literal, $action:literal, $noun:expr, $where_:expr, $effort:ident }),* $(,)?) => {
        pub(crate) const ADVICE: &[Advice] = &[$(Advice {
            rule_id: $id,
            impact: $impact,
            good: $good,
            action: $action,
            noun: $noun,
            where_: $where_,
            effort: Effort::$effort,
        }),*];
    };
}

advice! {
    "GS101" => {
        "A large audience can obtain this access just by asking, so access follows availability rather than need.",
        "No self-service policy is open to the whole directory or to every external user.",
        "Narrow who can request, or require approval, on {these}",
        POLICY, "Identity Governance › Entitlement management › Access packages › (package) › Policies › (policy) › Edit › Requests › Users who can request access / Approval", Medium
    },
    "GS102" => {
        "People from any organisation in the world, including ones you have no agreement with, can ask for access to your data.",
        "No policy lets just any external user request access.",
        "Replace \u{201c}any external user\u{201d} with named connected organisations on {these}",
        POLICY, "Identity Governance › Entitlement management › Access packages › (package) › Policies › (policy) › Edit › Requests › Users who can request access", Medium
    },
    "GS103" => {
        "External people can give themselves access to internal resources without anyone at your company saying yes.",
        "Every self-service policy open to external users requires approval.",
        "Require approval for requests on {these}",
        POLICY, "Identity Governance › Entitlement management › Access packages › (package) › Policies › (policy) › Edit › Requests › Approval", Low
    },
    "GS104" => {
        "Most of the company can request access meant for a few, which widens the damage any compromised account can do.",
        "No policy opens a package to more than half of the workforce.",
        "Scope {these} to the group of people who actually need the access",
        POLICY, "Identity Governance › Entitlement management › Access packages › (package) › Policies › (policy) › Edit › Requests › Users who can request access", Medium
    },
    "GS105" => {
        "Administrative access can be obtained with a single sign-off, so one mistaken or coerced approval hands over control of a critical system.",
        "Privileged packages require at least two approval stages.",
        "Add a second, independent approval stage on {these}",
        POLICY, "Identity Governance › Entitlement management › Access packages › (package) › Policies › (policy) › Edit › Requests › Approval › How many stages", Medium
    },
    "GS201" => {
        "Approvers can request the access they approve, so the approval step does not stop an insider.",
        "No approver can request the access they approve.",
        "Choose approvers outside the requesting audience (or add an independent stage) on {these}",
        POLICY, "Identity Governance › Entitlement management › Access packages › (package) › Policies › (policy) › Edit › Requests › Approval", Medium
    },
    "GS202" => {
        "Requests from people without a usable manager (often executives) go to nobody or to themselves, so work stalls or approval is bypassed.",
        "Manager approvals have a fallback for people without a manager.",
        "Add fallback approvers to the manager approval stage on {these}",
        POLICY, "Identity Governance › Entitlement management › Access packages › (package) › Policies › (policy) › Edit › Requests › Approval › Show advanced request settings › Fallback approvers", Low
    },
    "GS203" => {
        "Holding the access makes you one of its approvers, so access can spread without independent oversight.",
        "No access package makes its holders approvers of itself or of a package that leads back to it.",
        "Break {these}: approvers must not get their approval rights from the packages they approve",
        ("approval loop", "approval loops"), "Identity Governance › Entitlement management › Access packages › (package) › Policies › (policy) › Edit › Requests › Approval (pick an approver group that no package grants)", High
    },
    "GS204" => {
        "Someone granted themselves access, exactly what approval is meant to prevent and the first thing an auditor looks for.",
        "Nobody approved their own request or assigned access to themselves.",
        "Investigate and, unless justified, remove the self-granted access of {these}",
        ("user", "users"), "Identity Governance › Entitlement management › Access packages › (package) › Assignments; evidence in Identity Governance › Entitlement management › Audit logs", High
    },
    "GS205" => {
        "Two people approved each other's access, a collusion pattern that defeats the four-eyes principle.",
        "No two people approved each other's requests.",
        "Investigate the reciprocal approvals of {these} and separate their approval duties",
        ("user", "users"), "Identity Governance › Entitlement management › Access packages › (package) › Policies › (policy) › Edit › Requests › Approval; evidence in Identity Governance › Entitlement management › Audit logs", High
    },
    "GS206" => {
        "Requests can never be approved, so people work around the process or administrators grant access directly.",
        "Every approval stage has working approvers.",
        "Give {these} approvers who exist, are enabled and can act",
        POLICY, "Identity Governance › Entitlement management › Access packages › (package) › Policies › (policy) › Edit › Requests › Approval", Low
    },
    "GS207" => {
        "A single absent or compromised approver blocks, or controls, every request for this access.",
        "Every approval stage has a backup approver.",
        "Add a fallback or escalation approver on {these}",
        POLICY, "Identity Governance › Entitlement management › Access packages › (package) › Policies › (policy) › Edit › Requests › Approval › Show advanced request settings", Low
    },
    "GS301" => {
        "Access granted once lasts forever, so people keep it long after their project or role has ended.",
        "Every self-service and automatic policy makes access expire.",
        "Set an expiration (180 days for external users, at most 365 days otherwise) on {these}",
        POLICY, "Identity Governance › Entitlement management › Access packages › (package) › Policies › (policy) › Edit › Lifecycle › Expiration", Low
    },
    "GS302" => {
        "Access lasts far longer than it is needed, so leavers and people who change roles keep it for months.",
        "No policy grants access for more than a year (six months for external users).",
        "Shorten the expiration to at most 365 days (180 for external users) on {these}",
        POLICY, "Identity Governance › Entitlement management › Access packages › (package) › Policies › (policy) › Edit › Lifecycle › Expiration", Low
    },
    "GS303" => {
        "People can keep renewing their access without anyone approving it again, turning temporary access into permanent access.",
        "Extending access needs approval wherever new requests do.",
        "Require approval for extensions on {these}",
        POLICY, "Identity Governance › Entitlement management › Access packages › (package) › Policies › (policy) › Edit › Lifecycle › Allow users to extend access / Require approval", Low
    },
    "GS304" => {
        "These assignments never end on their own, even where the policy has since been tightened.",
        "Every active assignment has an end date.",
        "Set an end date on (or remove) {these}",
        ("open-ended assignment", "open-ended assignments"), "Identity Governance › Entitlement management › Access packages › (package) › Assignments", Medium
    },
    "GS305" => {
        "People still hold access that should already have ended, so expiry is not doing its job.",
        "No assignment has outlived its end date.",
        "Remove {these} whose end date has passed, and find out why they did not expire",
        ("assignment", "assignments"), "Identity Governance › Entitlement management › Access packages › (package) › Assignments › Remove access", Low
    },
    "GS311" => {
        "External people keep access indefinitely with nobody ever checking they still need it.",
        "Every policy open to external users has recurring access reviews.",
        "Turn on recurring access reviews (quarterly for external users) on {these}",
        POLICY, "Identity Governance › Entitlement management › Access packages › (package) › Policies › (policy) › Edit › Lifecycle › Access reviews", Low
    },
    "GS312" => {
        "Access is re-certified too rarely to catch people who no longer need it.",
        "Access reviews run often enough.",
        "Review access at least quarterly (external) or yearly on {these}",
        POLICY, "Identity Governance › Entitlement management › Access packages › (package) › Policies › (policy) › Edit › Lifecycle › Access reviews › Review frequency", Low
    },
    "GS313" => {
        "When reviewers ignore a review nothing happens, so reviews remove no access in practice.",
        "Unanswered access reviews remove access.",
        "Make unanswered reviews remove access on {these}",
        POLICY, "Identity Governance › Entitlement management › Access packages › (package) › Policies › (policy) › Edit › Lifecycle › Access reviews › If reviewers don't respond", Low
    },
    "GS314" => {
        "External or privileged users certify their own access, which is not an independent review.",
        "External and privileged users do not review their own access.",
        "Replace self-review with sponsor, manager or owner review on {these}",
        POLICY, "Identity Governance › Entitlement management › Access packages › (package) › Policies › (policy) › Edit › Lifecycle › Access reviews › Reviewers", Low
    },
    "GS401" => {
        "One person holds two kinds of access you decided must never be combined, which allows fraud or error without a second pair of eyes.",
        "Nobody holds two access packages marked as incompatible.",
        "Remove one of the two incompatible packages from {these}",
        ("user", "users"), "Identity Governance › Entitlement management › Access packages › (package) › Assignments › Remove access", Medium
    },
    "GS402" => {
        "A person holds access that conflicts with a group they belong to, breaking a separation-of-duties rule you set.",
        "Nobody holds a package together with a group it excludes.",
        "Remove the package or the conflicting group membership from {these}",
        ("user", "users"), "Identity Governance › Entitlement management › Access packages › (package) › Assignments, or Groups › (group) › Members", Medium
    },
    "GS403" => {
        "One person can both start and approve a sensitive transaction such as a payment, the fraud risk separation of duties exists to stop.",
        "Nobody holds both sides of a separation-of-duties rule.",
        "Split the conflicting access of {these} between different people (and packages)",
        ("toxic combination", "toxic combinations"), "Identity Governance › Entitlement management › Access packages › (package) › Resource roles / Assignments", High
    },
    "GS404" => {
        "The incompatibility is enforced in one direction only, so the conflicting pair can still be obtained in the other order.",
        "Every incompatibility is declared on both packages.",
        "Declare the incompatibility on both sides for {these}",
        ("package", "packages"), "Identity Governance › Entitlement management › Access packages › (package) › Separation of duties › Incompatible access packages", Low
    },
    "GS501" => {
        "Dormant guest accounts are easy to take over and still reach your data.",
        "Every enabled guest has signed in within the last 90 days.",
        "Remove or block {these} (after asking their sponsor)",
        ("inactive guest", "inactive guests"), "Users › All users (filter: User type = Guest) › (guest) › Delete or Edit properties › Block sign in", Medium
    },
    "GS502" => {
        "An invitation that was never accepted can be redeemed later by whoever controls the mailbox, long after the need is gone.",
        "No invitation has been pending for more than 30 days.",
        "Withdraw (or resend, if still needed) {these}",
        ("pending invitation", "pending invitations"), "Users › All users › (guest) › Delete, or B2B invitation › Resend invitation", Low
    },
    "GS503" => {
        "Guests keep their accounts after their last access ends, so the directory fills with unused external identities.",
        "External users are removed when their last assignment ends.",
        "Block and then remove external users when their last assignment ends ({these})",
        ("tenant setting", "tenant settings"), "Identity Governance › Entitlement management › Settings › Manage the lifecycle of external users", Low
    },
    "GS504" => {
        "Guest accounts with no business access are attack surface with no benefit.",
        "Every enabled guest holds an access package.",
        "Remove {these}, or give them access through a package if they still need it",
        ("guest without access", "guests without access"), "Users › All users (filter: User type = Guest) › (guest) › Delete", Low
    },
    "GS505" => {
        "Disabled accounts still carry access, which comes back the moment the account is re-enabled.",
        "No disabled account holds an access package.",
        "Remove the access package assignments of {these}",
        ("disabled account", "disabled accounts"), "Identity Governance › Entitlement management › Access packages › (package) › Assignments › Remove access", Low
    },
    "GS506" => {
        "Partners that were never vetted, or that nobody inside owns, can bring users into your tenant.",
        "Every connected organisation is configured and has an internal sponsor.",
        "Configure (state \u{201c}configured\u{201d}, internal sponsor) or stop targeting {these}",
        ("connected organisation", "connected organisations"), "Identity Governance › Entitlement management › Connected organizations › (organisation) › Properties / Sponsors", Low
    },
    "GS601" => {
        "Policies point at deleted people or groups, so approvals or audiences quietly stop working as intended.",
        "No policy refers to a deleted user, group or organisation.",
        "Replace the deleted users and groups referenced by {these}",
        POLICY, AP, Low
    },
    "GS602" => {
        "Unused resources in a catalog can be packaged by catalog owners without review and clutter every audit.",
        "Every catalog resource is used by an access package.",
        "Remove {these} from their catalogs",
        ("unused resource", "unused resources"), "Identity Governance › Entitlement management › Catalogs › (catalog) › Resources › Remove", Low
    },
    "GS603" => {
        "Unused access packages confuse requestors and reviewers and can be revived without review.",
        "Every access package is in use.",
        "Retire (hide or delete) {these}",
        ("unused package", "unused packages"), "Identity Governance › Entitlement management › Access packages › (package) › Delete", Low
    },
    "GS604" => {
        "A policy that was meant to have ended still hands out access.",
        "No policy keeps accepting requests after its end date.",
        "Stop new requests on (or delete) {these}",
        POLICY, "Identity Governance › Entitlement management › Access packages › (package) › Policies › (policy) › Edit › Requests › Enable new requests = No", Low
    },
}

/// The advice for a rule; a rule without an entry (added after this table) gets its summary and
/// remediation from the rule registry, and medium effort.
pub(crate) fn advice(rule_id: &str) -> Advice {
    if let Some(a) = ADVICE.iter().find(|a| a.rule_id == rule_id) {
        return *a;
    }
    let meta = find_rule(rule_id).map(|r| r.meta());
    Advice {
        rule_id: meta.map_or("", |m| m.id),
        impact: meta.map_or("This configuration weakens access governance.", |m| {
            m.summary
        }),
        good: meta.map_or("", |m| m.summary),
        action: meta.map_or("Resolve {these}", |_| "Resolve {these}"),
        noun: ("finding", "findings"),
        where_: "Identity Governance › Entitlement management",
        effort: Effort::Medium,
    }
}

/// `"this policy"` / `"these 6 policies"`.
pub(crate) fn these(n: usize, noun: (&str, &str)) -> String {
    if n == 1 {
        format!("this {}", noun.0)
    } else {
        format!("these {n} {}", noun.1)
    }
}

/// The action sentence for `n` objects.
pub(crate) fn action_text(a: &Advice, n: usize) -> String {
    a.action.replace("{these}", &these(n, a.noun))
}

#[cfg(test)]
mod tests {
    use grantscope_core::rules::ALL_RULES;

    use super::*;

    #[test]
    fn every_rule_has_advice_and_every_advice_a_rule() {
        for r in ALL_RULES.iter() {
            let id = r.meta().id;
            assert!(ADVICE.iter().any(|a| a.rule_id == id), "no advice for {id}");
        }
        for a in ADVICE {
            assert!(
                find_rule(a.rule_id).is_some(),
                "advice for unknown rule {}",
                a.rule_id
            );
            assert!(
                a.impact.ends_with('.') && a.good.ends_with('.'),
                "{}",
                a.rule_id
            );
            assert!(a.action.contains("{these}"), "{}", a.rule_id);
            assert!(!a.action.ends_with('.'), "{}", a.rule_id);
            assert!(a.where_.starts_with("Identity Governance") || a.where_.starts_with("Users"));
        }
    }

    #[test]
    fn actions_count_their_objects() {
        let a = advice("GS301");
        assert_eq!(
            action_text(&a, 6),
            "Set an expiration (180 days for external users, at most 365 days otherwise) on these 6 policies"
        );
        assert!(action_text(&a, 1).ends_with("on this policy"));
        assert_eq!(advice("GS999").effort, Effort::Medium);
    }
}
