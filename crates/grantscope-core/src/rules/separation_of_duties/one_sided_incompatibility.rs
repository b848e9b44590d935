use serde::{Deserialize, Serialize};

use super::{IncompatiblePairs, package_words};
use crate::declare_rule;
use crate::rules::{Findings, Rule, RuleContext, package_ref};

declare_rule! {
    /// ## What it does
    /// Flags an access package A that lists package B as incompatible while B does not list A.
    /// The finding is about A (the package that lists), with B as related entity; one finding
    /// per pair.
    ///
    /// Only pairs where B's own incompatibility list was exported are judged
    /// (`incompatibleAccessPackages-<B>.json`); when it was not, nothing is known about B's side
    /// and the pair is skipped. A package B missing from the export is a dangling reference,
    /// reported by `dangling-reference` (GS601), not here.
    ///
    /// ## Why is this risky?
    /// Entitlement management checks a package's incompatibility list when *that* package is
    /// requested. With A listing B only, a user who holds B cannot request A, but a user who holds
    /// A can still request B and end up with both. Separation of duties is usually meant to work
    /// in both directions, so a one-sided list is often an oversight.
    ///
    /// ## Example
    /// `incompatibleAccessPackages-<A id>.json`:
    /// ```json
    /// { "value": [ { "id": "<B id>", "displayName": "B" } ] }
    /// ```
    /// `incompatibleAccessPackages-<B id>.json`:
    /// ```json
    /// { "value": [] }
    /// ```
    ///
    /// ## Remediation
    /// In the Entra admin center, open Identity Governance → Entitlement management → Access
    /// packages → package B → Separation of duties → Incompatible access packages and add A (or
    /// remove B from A's list if the incompatibility is not wanted).
    ///
    /// ## References
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-access-package-incompatible
    /// - https://learn.microsoft.com/graph/api/accesspackage-list-incompatibleaccesspackages
    pub OneSidedIncompatibility {
        id: "GS404",
        name: "one-sided-incompatibility",
        category: SeparationOfDuties,
        severity: Info,
        summary: "An access package lists another as incompatible but not the other way round",
        remediation: "Add the reverse incompatibility on the other package (Access package → Separation of duties), or remove the one-sided entry",
        needs: [AccessPackages, IncompatibleAccessPackages],
        since: "0.1.0",
    }
}

/// This rule has no options.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {}

impl Rule for OneSidedIncompatibility {
    type Options = Options;

    fn check(&self, ctx: &RuleContext<'_>, _options: &Options, out: &mut Findings) {
        let s = ctx.snapshot;
        let pairs = IncompatiblePairs::new(s);
        for a in s.access_packages.values() {
            for b_id in a.incompatible_access_packages.iter().flatten() {
                if *b_id == a.id {
                    continue;
                }
                let Some(reverse) = s
                    .access_packages
                    .get(b_id)
                    .and_then(|b| b.incompatible_access_packages.as_ref())
                else {
                    continue;
                };
                if pairs.lists(b_id, &a.id) {
                    continue;
                }
                let (a_words, b_words) = (package_words(s, &a.id), package_words(s, b_id));
                let message = format!(
                    "Access package {a_words} lists {b_words} as incompatible, but {b_words} does not list {a_words}"
                );
                let d = ctx
                    .finding(out, package_ref(s, &a.id), message)
                    .related(package_ref(s, b_id))
                    .evidence("incompatibleAccessPackageId", b_id)
                    .evidence("reverseListSize", reverse.len())
                    .key(b_id.as_str());
                out.push(d);
            }
        }
    }
}
