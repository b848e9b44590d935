//! Rules of the `review` category: is access re-certified.

pub mod external_access_without_review;
pub mod review_keeps_access_by_default;
pub mod review_too_infrequent;
pub mod self_review_for_external;

use super::DynRule;
use super::RuleContext;
use crate::model::{AssignmentPolicy, Recurrence, RecurrencePatternType};

pub(super) static RULES: &[&dyn DynRule] = &[
    &external_access_without_review::ExternalAccessWithoutReview,
    &review_too_infrequent::ReviewTooInfrequent,
    &review_keeps_access_by_default::ReviewKeepsAccessByDefault,
    &self_review_for_external::SelfReviewForExternal,
];

/// Whether users from other organisations can request under the policy (RULES.md
/// "external-reaching"); false when the graph has no population for it.
pub(crate) fn external_reaching(ctx: &RuleContext<'_>, p: &AssignmentPolicy) -> bool {
    ctx.graph
        .population(&p.id)
        .is_some_and(crate::graph::Population::is_external_reaching)
}

/// The recurrence in words: "every 6 months", "every year", "every 2 weeks".
pub(crate) fn recurrence_words(r: &Recurrence) -> String {
    let n = r.interval.max(1);
    let unit = match r.pattern {
        RecurrencePatternType::Daily => "day",
        RecurrencePatternType::Weekly => "week",
        RecurrencePatternType::AbsoluteMonthly | RecurrencePatternType::RelativeMonthly => "month",
        RecurrencePatternType::AbsoluteYearly | RecurrencePatternType::RelativeYearly => "year",
        RecurrencePatternType::Other(ref s) => return format!("on a `{s}` schedule"),
    };
    if n == 1 {
        format!("every {unit}")
    } else {
        format!("every {n} {unit}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recurrence_in_words() {
        let r = |pattern, interval| Recurrence { pattern, interval };
        assert_eq!(
            recurrence_words(&r(RecurrencePatternType::AbsoluteMonthly, 6)),
            "every 6 months"
        );
        assert_eq!(
            recurrence_words(&r(RecurrencePatternType::AbsoluteYearly, 1)),
            "every year"
        );
        assert_eq!(
            recurrence_words(&r(RecurrencePatternType::Weekly, 0)),
            "every week"
        );
    }
}
