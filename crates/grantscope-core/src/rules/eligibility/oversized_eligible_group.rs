use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{package_label, package_related, policy_label, with_population};
use crate::declare_rule;
use crate::model::{AssignmentPolicy, Dataset, Group, SubjectSet, TargetScope};
use crate::rules::{Findings, Rule, RuleContext, group_ref, policy_ref};

declare_rule! {
    /// ## What it does
    /// Flags a self-service or auto-assignment policy with a *specific* scope
    /// (`specificDirectoryUsers`) whose eligible population is, in effect, everyone:
    /// - the resolved population (named users plus transitive group members, enabled accounts
    ///   only) is larger than `max-eligible-share` (default 0.5) of the enabled users in the
    ///   directory; or
    /// - a targeted group (or a group nested in it) is a dynamic group whose membership rule
    ///   matches every user of a user type, or an `attributeRuleMembers` target has such a rule.
    ///
    /// Recognised always-true rules (case-insensitive, any parentheses, combined with `-and`,
    /// `-or`, `-not`): an empty rule; `user.objectId -ne null`; `user.userPrincipalName -ne null`;
    /// `user.accountEnabled -eq true` (every enabled user); `user.userType -eq "Member"` or
    /// `-ne "Guest"` (every member user); `user.userType -eq "Guest"` or `-ne "Member"` (every
    /// guest); `user.userType -in ["Member","Guest"]`; and `-or` combinations such as
    /// `(user.userType -eq "Member") -or (user.userType -eq "Guest")`. Any other condition is
    /// treated as selective.
    ///
    /// ## Why is this risky?
    /// A policy scoped to "specific users and groups" looks narrow in the admin center, but when
    /// the group is "All employees" (or a dynamic group that includes everyone) it is as broad as
    /// `allMemberUsers` — without showing up as a broad scope in reviews of the configuration.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "displayName": "Sales tools",
    ///   "allowedTargetScope": "specificDirectoryUsers",
    ///   "specificAllowedTargets": [
    ///     { "@odata.type": "#microsoft.graph.groupMembers", "groupId": "…all-staff…" }
    ///   ],
    ///   "requestorSettings": { "enableTargetsToSelfAddAccess": true }
    /// }
    /// ```
    /// with `groups.json` saying the group is dynamic with `"membershipRule": "user.objectId -ne null"`.
    ///
    /// ## Remediation
    /// In the Entra admin center, open Identity Governance → Entitlement management → Access
    /// packages → the package → Policies → the policy → Requests, and replace the broad group
    /// with the groups (or an attribute rule) that describe who actually needs the access.
    ///
    /// ## References
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-access-package-request-policy
    /// - https://learn.microsoft.com/entra/identity/users/groups-dynamic-membership
    pub OversizedEligibleGroup {
        id: "GS104",
        name: "oversized-eligible-group",
        category: Eligibility,
        severity: Medium,
        summary: "Specific-scope policy whose eligible users are most of the directory",
        remediation: "Target the groups or attribute rule that describe who needs the access instead of an all-users group (Identity Governance → Entitlement management → Access packages → Policies → Requests)",
        needs: [AssignmentPolicies, Users],
        since: "0.1.0",
    }
}

/// Options of `oversized-eligible-group`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    /// Largest share (0–1) of the directory's enabled users a specific-scope policy may make
    /// eligible before it counts as oversized; a population exactly at the share is accepted.
    pub max_eligible_share: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_eligible_share: 0.5,
        }
    }
}

/// The policies this rule looks at: specific directory scope, and someone can get access
/// without an administrator (self-service or auto-assignment).
fn candidate(p: &AssignmentPolicy) -> bool {
    p.allowed_target_scope == Some(TargetScope::SpecificDirectoryUsers)
        && (p.is_self_service() || p.is_auto_assignment())
}

impl Rule for OversizedEligibleGroup {
    type Options = Options;

    fn applicable(&self, ctx: &RuleContext<'_>) -> Result<(), String> {
        let targets_groups = ctx.snapshot.policies.values().any(|p| {
            candidate(p)
                && p.specific_allowed_targets
                    .iter()
                    .any(|s| matches!(s, SubjectSet::GroupMembers { .. }))
        });
        if !targets_groups {
            return Ok(());
        }
        let missing: Vec<Dataset> = [Dataset::Groups, Dataset::GroupMembers]
            .into_iter()
            .filter(|d| !ctx.snapshot.has(*d))
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        let names: Vec<&str> = missing.iter().map(|d| d.name()).collect();
        let hints: Vec<&str> = missing.iter().map(|d| d.recipe_hint()).collect();
        Err(format!(
            "policies target groups, but the export lacks {}; add {}",
            names.join(", "),
            hints.join("; ")
        ))
    }

    fn check(&self, ctx: &RuleContext<'_>, options: &Options, out: &mut Findings) {
        let enabled = ctx.graph.enabled_users;
        for p in ctx.snapshot.policies.values().filter(|p| candidate(p)) {
            let Some(pop) = ctx.graph.population(&p.id) else {
                continue;
            };
            let universal = universal_targets(ctx, p);
            let eligible = pop.size();
            #[allow(clippy::cast_precision_loss)]
            let share = (enabled > 0).then(|| eligible as f64 / enabled as f64);
            let oversized = share.is_some_and(|s| s > options.max_eligible_share);
            if universal.is_empty() && !oversized {
                continue;
            }
            let auto = p.is_auto_assignment();
            let message = match (universal.first(), auto) {
                (Some(u), false) => format!(
                    "{} targets {}, so all of them can request {}",
                    policy_label(p),
                    u.describe(),
                    package_label(ctx, p),
                ),
                (Some(u), true) => format!(
                    "{} targets {}, so all of them get {} automatically",
                    policy_label(p),
                    u.describe(),
                    package_label(ctx, p),
                ),
                (None, false) => format!(
                    "{} lets {eligible} of {enabled} enabled users ({:.0}%) request {}",
                    policy_label(p),
                    share.unwrap_or(0.0) * 100.0,
                    package_label(ctx, p),
                ),
                (None, true) => format!(
                    "{} assigns {} automatically to {eligible} of {enabled} enabled users ({:.0}%)",
                    policy_label(p),
                    package_label(ctx, p),
                    share.unwrap_or(0.0) * 100.0,
                ),
            };
            let mut draft = ctx
                .finding(out, policy_ref(ctx.snapshot, &p.id), message)
                .evidence("autoAssignment", auto)
                .evidence("eligibleUsers", eligible)
                .evidence("enabledUsers", enabled)
                .evidence(
                    "eligibleShare",
                    share.map(|s| (s * 1000.0).round() / 1000.0),
                )
                .evidence("maxEligibleShare", options.max_eligible_share)
                .evidence(
                    "universalRules",
                    universal
                        .iter()
                        .map(Universal::evidence)
                        .collect::<Vec<_>>(),
                );
            draft = with_population(ctx, draft, pop);
            if !pop.attribute_rules.is_empty() {
                draft = draft.evidence("attributeRules", &pop.attribute_rules);
            }
            for g in &pop.groups {
                draft = draft.related(group_ref(ctx.snapshot, g));
            }
            for u in &universal {
                if let Some(g) = &u.group {
                    draft = draft.related(group_ref(ctx.snapshot, &g.id));
                }
            }
            if let Some(pkg) = package_related(ctx, p) {
                draft = draft.related(pkg);
            }
            out.push(draft);
        }
    }
}

/// A target whose membership rule matches a whole user type.
struct Universal<'s> {
    /// The dynamic group, or `None` for an `attributeRuleMembers` target.
    group: Option<&'s Group>,
    /// The targeted group the dynamic group is nested in, when it is not targeted directly.
    via: Option<&'s str>,
    rule: &'s str,
    matches: Coverage,
}

impl Universal<'_> {
    /// `dynamic group "All staff" whose rule matches every member user`.
    fn describe(&self) -> String {
        let matches = self.matches.words();
        match self.group {
            Some(g) => match g.display_name.as_deref().filter(|n| !n.trim().is_empty()) {
                Some(name) => format!("dynamic group \"{name}\" whose rule matches {matches}"),
                None => format!("dynamic group {} whose rule matches {matches}", g.id),
            },
            None => format!("an attribute rule that matches {matches}"),
        }
    }

    fn evidence(&self) -> serde_json::Value {
        json!({
            "groupId": self.group.map(|g| g.id.as_str()),
            "nestedIn": self.via,
            "membershipRule": self.rule,
            "matches": self.matches.name(),
        })
    }
}

/// The policy's targets (and groups nested in targeted groups) whose rule matches a whole user
/// type, each group once, in target order.
fn universal_targets<'s>(ctx: &RuleContext<'s>, p: &'s AssignmentPolicy) -> Vec<Universal<'s>> {
    let s = ctx.snapshot;
    let mut groups: BTreeMap<&str, ()> = BTreeMap::new();
    let mut out = Vec::new();
    for set in &p.specific_allowed_targets {
        match set {
            SubjectSet::GroupMembers { group_id } => {
                let nested = ctx.graph.group_descendants(group_id).iter().copied();
                for gid in std::iter::once(group_id.as_str()).chain(nested) {
                    let Some(g) = s.groups.get(gid) else {
                        continue;
                    };
                    let Some((rule, matches)) = dynamic_rule_coverage(g) else {
                        continue;
                    };
                    if groups.insert(g.id.as_str(), ()).is_none() {
                        out.push(Universal {
                            group: Some(g),
                            via: (gid != group_id).then_some(group_id.as_str()),
                            rule,
                            matches,
                        });
                    }
                }
            }
            SubjectSet::AttributeRuleMembers { membership_rule } => {
                let matches = coverage(membership_rule);
                if matches.is_universal() {
                    out.push(Universal {
                        group: None,
                        via: None,
                        rule: membership_rule,
                        matches,
                    });
                }
            }
            _ => {}
        }
    }
    out
}

/// A dynamic group's rule and what it matches, when it matches a whole user type. An empty rule
/// counts only when `groupTypes` says the group is dynamic (a static group may carry `""`).
fn dynamic_rule_coverage(g: &Group) -> Option<(&str, Coverage)> {
    let declared = g
        .group_types
        .iter()
        .any(|t| t.eq_ignore_ascii_case("DynamicMembership"));
    let rule = g.membership_rule.as_deref()?;
    if rule.trim().is_empty() && !declared {
        return None;
    }
    let c = coverage(rule);
    c.is_universal().then_some((rule, c))
}

/// Whether a rule provably matches every user of a kind (`Always`), none (`Never`) or we cannot
/// tell (`Unknown`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Truth {
    Always,
    Never,
    Unknown,
}

impl Truth {
    fn and(self, o: Truth) -> Truth {
        match (self, o) {
            (Truth::Never, _) | (_, Truth::Never) => Truth::Never,
            (Truth::Always, Truth::Always) => Truth::Always,
            _ => Truth::Unknown,
        }
    }

    fn or(self, o: Truth) -> Truth {
        match (self, o) {
            (Truth::Always, _) | (_, Truth::Always) => Truth::Always,
            (Truth::Never, Truth::Never) => Truth::Never,
            _ => Truth::Unknown,
        }
    }

    fn not(self) -> Truth {
        match self {
            Truth::Always => Truth::Never,
            Truth::Never => Truth::Always,
            Truth::Unknown => Truth::Unknown,
        }
    }

    fn of(b: bool) -> Truth {
        if b { Truth::Always } else { Truth::Never }
    }
}

/// What a membership rule matches among (enabled) member and guest users.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Coverage {
    members: Truth,
    guests: Truth,
}

impl Coverage {
    const ALL: Coverage = Coverage {
        members: Truth::Always,
        guests: Truth::Always,
    };
    const UNKNOWN: Coverage = Coverage {
        members: Truth::Unknown,
        guests: Truth::Unknown,
    };

    fn both(t: Truth) -> Coverage {
        Coverage {
            members: t,
            guests: t,
        }
    }

    fn and(self, o: Coverage) -> Coverage {
        Coverage {
            members: self.members.and(o.members),
            guests: self.guests.and(o.guests),
        }
    }

    fn or(self, o: Coverage) -> Coverage {
        Coverage {
            members: self.members.or(o.members),
            guests: self.guests.or(o.guests),
        }
    }

    fn not(self) -> Coverage {
        Coverage {
            members: self.members.not(),
            guests: self.guests.not(),
        }
    }

    /// Matches every user of at least one user type.
    fn is_universal(self) -> bool {
        self.members == Truth::Always || self.guests == Truth::Always
    }

    fn name(self) -> &'static str {
        match (self.members, self.guests) {
            (Truth::Always, Truth::Always) => "everyUser",
            (Truth::Always, _) => "everyMemberUser",
            (_, Truth::Always) => "everyGuestUser",
            _ => "someUsers",
        }
    }

    fn words(self) -> &'static str {
        match (self.members, self.guests) {
            (Truth::Always, Truth::Always) => "every user",
            (Truth::Always, _) => "every member user",
            (_, Truth::Always) => "every guest user",
            _ => "some users",
        }
    }
}

/// What a dynamic membership rule matches. Anything not recognised is `Unknown` (selective).
fn coverage(rule: &str) -> Coverage {
    if rule.trim().is_empty() {
        return Coverage::ALL;
    }
    let Some(tokens) = tokenize(rule) else {
        return Coverage::UNKNOWN;
    };
    let mut parser = Parser {
        tokens,
        pos: 0,
        depth: 0,
    };
    match parser.expr() {
        Some(c) if parser.pos == parser.tokens.len() => c,
        _ => Coverage::UNKNOWN,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Open,
    Close,
    OpenList,
    CloseList,
    Comma,
    Str(String),
    Word(String),
}

fn tokenize(s: &str) -> Option<Vec<Tok>> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '(' | ')' | '[' | ']' | ',' => {
                chars.next();
                out.push(match c {
                    '(' => Tok::Open,
                    ')' => Tok::Close,
                    '[' => Tok::OpenList,
                    ']' => Tok::CloseList,
                    _ => Tok::Comma,
                });
            }
            '"' | '\'' | '“' | '”' => {
                chars.next();
                let mut v = String::new();
                loop {
                    match chars.next()? {
                        '\\' => v.push(chars.next()?),
                        q if q == c || (c == '“' && q == '”') || (c == '”' && q == '“') => {
                            break;
                        }
                        other => v.push(other),
                    }
                }
                out.push(Tok::Str(v));
            }
            _ => {
                let mut w = String::new();
                while let Some(&c) = chars.peek() {
                    if c.is_whitespace() || "()[],\"'“”".contains(c) {
                        break;
                    }
                    w.push(c);
                    chars.next();
                }
                out.push(Tok::Word(w.to_ascii_lowercase()));
            }
        }
    }
    Some(out)
}

/// A comparison's right-hand side.
enum Value {
    Str(String),
    Word(String),
    List(Vec<String>),
    /// `-any` / `-all` sub-expressions and anything else we do not interpret.
    Opaque,
}

/// Recursive descent over `expr := term (-or term)*`, `term := factor (-and factor)*`,
/// `factor := ( expr ) | -not factor | property operator value`.
struct Parser {
    tokens: Vec<Tok>,
    pos: usize,
    depth: u32,
}

const MAX_DEPTH: u32 = 64;

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos)
    }

    fn next(&mut self) -> Option<Tok> {
        let t = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn peek_word(&self, words: &[&str]) -> bool {
        matches!(self.peek(), Some(Tok::Word(w)) if words.contains(&w.as_str()))
    }

    fn expr(&mut self) -> Option<Coverage> {
        let mut acc = self.term()?;
        while self.peek_word(&["-or", "or"]) {
            self.pos += 1;
            acc = acc.or(self.term()?);
        }
        Some(acc)
    }

    fn term(&mut self) -> Option<Coverage> {
        let mut acc = self.factor()?;
        while self.peek_word(&["-and", "and"]) {
            self.pos += 1;
            acc = acc.and(self.factor()?);
        }
        Some(acc)
    }

    fn factor(&mut self) -> Option<Coverage> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        let r = match self.peek()? {
            Tok::Open => {
                self.pos += 1;
                let c = self.expr()?;
                (self.next()? == Tok::Close).then_some(c)
            }
            Tok::Word(w) if w == "-not" || w == "not" => {
                self.pos += 1;
                self.factor().map(Coverage::not)
            }
            _ => self.comparison(),
        };
        self.depth -= 1;
        r
    }

    fn comparison(&mut self) -> Option<Coverage> {
        let Tok::Word(property) = self.next()? else {
            return None;
        };
        let Tok::Word(op) = self.next()? else {
            return None;
        };
        if !op.starts_with('-') {
            return None;
        }
        let value = match self.next()? {
            Tok::Str(s) => Value::Str(s.to_lowercase()),
            Tok::Word(w) => Value::Word(w),
            Tok::OpenList => {
                let mut items = Vec::new();
                loop {
                    match self.next()? {
                        Tok::Str(s) => items.push(s.to_lowercase()),
                        Tok::Word(w) => items.push(w),
                        Tok::Comma => {}
                        Tok::CloseList => break,
                        _ => return None,
                    }
                }
                Value::List(items)
            }
            Tok::Open => {
                // `-any (…)` / `-all (…)`: skip the balanced sub-expression.
                let mut depth = 1u32;
                while depth > 0 {
                    match self.next()? {
                        Tok::Open => depth += 1,
                        Tok::Close => depth -= 1,
                        _ => {}
                    }
                }
                Value::Opaque
            }
            _ => return None,
        };
        Some(atom(&property, &op, &value))
    }
}

/// The user type a `userType` value names: (member, guest).
fn user_type(v: &str) -> (bool, bool) {
    (v == "member", v == "guest")
}

fn atom(property: &str, op: &str, value: &Value) -> Coverage {
    let is = |w: &str| matches!(value, Value::Word(v) if v == w);
    match property {
        "user.objectid" | "user.userprincipalname" if op == "-ne" && is("null") => Coverage::ALL,
        "user.accountenabled" => match (op, value) {
            ("-eq", Value::Word(v)) | ("-ne", Value::Word(v)) if v == "true" || v == "false" => {
                // Every user who can request is enabled.
                Coverage::both(Truth::of((op == "-eq") == (v == "true")))
            }
            _ => Coverage::UNKNOWN,
        },
        "user.usertype" => {
            let (types, negate) = match (op, value) {
                ("-eq", Value::Str(v)) => (vec![v.as_str()], false),
                ("-ne", Value::Str(v)) => (vec![v.as_str()], true),
                ("-in", Value::List(vs)) => (vs.iter().map(String::as_str).collect(), false),
                ("-notin", Value::List(vs)) => (vs.iter().map(String::as_str).collect(), true),
                _ => return Coverage::UNKNOWN,
            };
            let (m, g) = types.iter().fold((false, false), |(m, g), t| {
                let (tm, tg) = user_type(t);
                (m || tm, g || tg)
            });
            let c = Coverage {
                members: Truth::of(m),
                guests: Truth::of(g),
            };
            if negate { c.not() } else { c }
        }
        _ => Coverage::UNKNOWN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(rule: &str) -> &'static str {
        coverage(rule).name()
    }

    #[test]
    fn recognises_always_true_rules() {
        assert_eq!(name(""), "everyUser");
        assert_eq!(name("  "), "everyUser");
        assert_eq!(name("user.objectId -ne null"), "everyUser");
        assert_eq!(name("(user.objectid -ne null)"), "everyUser");
        assert_eq!(name("user.userPrincipalName -ne null"), "everyUser");
        assert_eq!(name("user.accountEnabled -eq true"), "everyUser");
        assert_eq!(name("user.accountEnabled -ne false"), "everyUser");
        assert_eq!(
            name(r#"(user.userType -eq "Member") -or (user.userType -eq "Guest")"#),
            "everyUser"
        );
        assert_eq!(
            name(r#"user.userType -eq "guest" or user.userType -eq "member""#),
            "everyUser"
        );
        assert_eq!(
            name(r#"user.userType -in ["Member", "Guest"]"#),
            "everyUser"
        );
        assert_eq!(name(r#"user.userType -eq "Member""#), "everyMemberUser");
        assert_eq!(name(r#"user.userType -ne "Guest""#), "everyMemberUser");
        assert_eq!(
            name(r#"-not (user.userType -eq "Guest")"#),
            "everyMemberUser"
        );
        assert_eq!(name(r#"user.userType -eq "Guest""#), "everyGuestUser");
        assert_eq!(
            name(r#"(user.accountEnabled -eq true) -and (user.userType -eq "Member")"#),
            "everyMemberUser"
        );
        assert_eq!(
            name(r#"(user.department -eq "Sales") -or (user.objectId -ne null)"#),
            "everyUser"
        );
    }

    #[test]
    fn selective_or_unparsable_rules_are_not_universal() {
        for rule in [
            r#"user.department -eq "Sales""#,
            r#"(user.userType -eq "Member") -and (user.department -eq "Sales")"#,
            r#"user.userType -eq "Member" -and user.accountEnabled -eq false"#,
            r#"user.assignedPlans -any (assignedPlan.servicePlanId -eq "x" -and assignedPlan.capabilityStatus -eq "Enabled")"#,
            r#"user.objectId -eq null"#,
            r#"device.deviceOSType -eq "Windows""#,
            r#"user.userType -eq "Member" -or"#,
            r#"(user.objectId -ne null"#,
            r#"user.objectId -ne "unterminated"#,
            "user.objectId",
        ] {
            assert!(!coverage(rule).is_universal(), "{rule}");
        }
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let rule = format!(
            "{}user.objectId -ne null{}",
            "(".repeat(10_000),
            ")".repeat(10_000)
        );
        assert!(!coverage(&rule).is_universal());
        let nots = format!("{}user.objectId -ne null", "-not ".repeat(10_000));
        assert!(!coverage(&nots).is_universal());
    }

    #[test]
    fn rule_matching_every_member_combines_with_any() {
        assert_eq!(
            name(
                r#"(user.userType -eq "Member") -or (user.assignedPlans -any (assignedPlan.capabilityStatus -eq "Enabled"))"#
            ),
            "everyMemberUser"
        );
    }
}

#[cfg(test)]
mod applicability_tests {
    use super::*;
    use crate::config::Config;
    use crate::graph::AccessGraph;
    use crate::model::{AssignmentPolicy, RequestorSettings, Snapshot};

    fn snapshot_with_group_policy() -> Snapshot {
        let mut s = Snapshot::default();
        s.policies.insert(
            "p".into(),
            AssignmentPolicy {
                id: "p".into(),
                allowed_target_scope: Some(TargetScope::SpecificDirectoryUsers),
                specific_allowed_targets: vec![SubjectSet::GroupMembers {
                    group_id: "g".into(),
                }],
                requestor_settings: Some(RequestorSettings {
                    self_add: true,
                    ..RequestorSettings::default()
                }),
                ..AssignmentPolicy::default()
            },
        );
        s.datasets.insert(Dataset::AssignmentPolicies);
        s.datasets.insert(Dataset::Users);
        s
    }

    #[test]
    fn group_targets_need_group_members() {
        let config = Config::default();
        let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap_or_default();
        let mut s = snapshot_with_group_policy();
        {
            let g = AccessGraph::build(&s, &config);
            let ctx = RuleContext::new(&s, &g, &config, date);
            let err = OversizedEligibleGroup.applicable(&ctx).unwrap_err();
            assert!(err.contains("groups, groupMembers"), "{err}");
        }
        s.datasets.insert(Dataset::Groups);
        s.datasets.insert(Dataset::GroupMembers);
        let g = AccessGraph::build(&s, &config);
        let ctx = RuleContext::new(&s, &g, &config, date);
        assert!(OversizedEligibleGroup.applicable(&ctx).is_ok());
    }
}
