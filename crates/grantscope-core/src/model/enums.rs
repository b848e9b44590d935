//! Open enums: Graph adds enum members over time and beta spells them in PascalCase, so every enum
//! parses case-insensitively and keeps an unknown value verbatim in `Other` (never dropped).

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Common interface of the open enums, so ingestion can parse and warn generically.
pub trait OpenEnum: Sized {
    fn parse_open(s: &str) -> Self;
    fn known(&self) -> bool;
}

macro_rules! open_enum {
    ($(#[$meta:meta])* pub enum $name:ident { $($variant:ident => $text:literal $(| $alias:literal)*),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $($variant,)+
            /// A value this version of grantscope does not know, kept verbatim.
            Other(String),
        }

        impl $name {
            /// Parses case-insensitively (v1.0 camelCase and beta PascalCase alike).
            #[must_use]
            pub fn parse(s: &str) -> Self {
                $(
                    if s.eq_ignore_ascii_case($text) $(|| s.eq_ignore_ascii_case($alias))* {
                        return $name::$variant;
                    }
                )+
                $name::Other(s.to_owned())
            }

            /// The canonical (v1.0) spelling, or the verbatim unknown value.
            #[must_use]
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $text,)+
                    $name::Other(s) => s,
                }
            }

            /// False for a value kept verbatim because it is unknown.
            #[must_use]
            pub fn is_known(&self) -> bool {
                !matches!(self, $name::Other(_))
            }
        }

        impl OpenEnum for $name {
            fn parse_open(s: &str) -> Self {
                $name::parse(s)
            }

            fn known(&self) -> bool {
                self.is_known()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let s = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
                Ok($name::parse(&s))
            }
        }
    };
}

open_enum! {
    /// `user.userType`.
    pub enum UserType { Member => "Member", Guest => "Guest" }
}

open_enum! {
    /// `user.externalUserState`.
    pub enum ExternalUserState { PendingAcceptance => "PendingAcceptance", Accepted => "Accepted" }
}

open_enum! {
    /// Who may request under a policy (v1.0 `allowedTargetScope`; beta `requestorSettings.scopeType`
    /// maps onto it, reference §6.6).
    pub enum TargetScope {
        NotSpecified => "notSpecified" | "NoSubjects",
        SpecificDirectoryUsers => "specificDirectoryUsers" | "SpecificDirectorySubjects",
        SpecificConnectedOrganizationUsers => "specificConnectedOrganizationUsers" | "SpecificConnectedOrganizationSubjects",
        SpecificDirectoryServicePrincipals => "specificDirectoryServicePrincipals",
        AllMemberUsers => "allMemberUsers" | "AllExistingDirectoryMemberUsers",
        AllDirectoryUsers => "allDirectoryUsers" | "AllExistingDirectorySubjects",
        AllDirectoryServicePrincipals => "allDirectoryServicePrincipals",
        AllConfiguredConnectedOrganizationUsers => "allConfiguredConnectedOrganizationUsers"
            | "AllConfiguredConnectedOrganizationSubjects" | "AllExistingConnectedOrganizationSubjects",
        AllExternalUsers => "allExternalUsers" | "AllExternalSubjects",
        AllDirectoryAgentIdentities => "allDirectoryAgentIdentities",
    }
}

impl TargetScope {
    /// Scopes whose population is "everyone of a kind" rather than a named set.
    #[must_use]
    pub fn is_broad(&self) -> bool {
        matches!(
            self,
            TargetScope::AllMemberUsers
                | TargetScope::AllDirectoryUsers
                | TargetScope::AllExternalUsers
                | TargetScope::AllConfiguredConnectedOrganizationUsers
        )
    }
}

open_enum! {
    /// `expirationPattern.type`.
    pub enum ExpirationType {
        NotSpecified => "notSpecified",
        NoExpiration => "noExpiration",
        AfterDateTime => "afterDateTime",
        AfterDuration => "afterDuration",
    }
}

open_enum! {
    /// Review `expirationBehavior` (beta `accessReviewTimeoutBehavior`).
    pub enum ReviewExpirationBehavior {
        KeepAccess => "keepAccess",
        RemoveAccess => "removeAccess",
        AcceptAccessRecommendation => "acceptAccessRecommendation",
    }
}

open_enum! {
    /// `recurrencePattern.type` (beta `recurrenceType` values map onto it).
    pub enum RecurrencePatternType {
        Daily => "daily",
        Weekly => "weekly",
        AbsoluteMonthly => "absoluteMonthly",
        RelativeMonthly => "relativeMonthly",
        AbsoluteYearly => "absoluteYearly",
        RelativeYearly => "relativeYearly",
    }
}

open_enum! {
    /// `accessPackageAssignment.state` (beta `assignmentState`).
    pub enum AssignmentState {
        Delivering => "delivering",
        PartiallyDelivered => "partiallyDelivered",
        Delivered => "delivered",
        Expired => "expired",
        DeliveryFailed => "deliveryFailed",
    }
}

impl AssignmentState {
    /// Active assignments are the ones that grant access now (RULES.md conventions).
    #[must_use]
    pub fn is_active(&self) -> bool {
        matches!(
            self,
            AssignmentState::Delivering
                | AssignmentState::PartiallyDelivered
                | AssignmentState::Delivered
        )
    }
}

open_enum! {
    /// `accessPackageAssignmentRequest.requestType`.
    pub enum RequestType {
        NotSpecified => "notSpecified",
        UserAdd => "userAdd",
        UserUpdate => "userUpdate",
        UserRemove => "userRemove",
        AdminAdd => "adminAdd",
        AdminUpdate => "adminUpdate",
        AdminRemove => "adminRemove",
        SystemAdd => "systemAdd",
        SystemUpdate => "systemUpdate",
        SystemRemove => "systemRemove",
        OnBehalfAdd => "onBehalfAdd",
        ApproverRemove => "approverRemove",
    }
}

open_enum! {
    /// `accessPackageAssignmentRequest.state` (beta `requestState`).
    pub enum RequestState {
        Submitted => "submitted",
        PendingApproval => "pendingApproval",
        Delivering => "delivering",
        Delivered => "delivered",
        DeliveryFailed => "deliveryFailed",
        Denied => "denied",
        Scheduled => "scheduled",
        Canceled => "canceled" | "cancelled",
        PartiallyDelivered => "partiallyDelivered",
    }
}

open_enum! {
    /// `connectedOrganization.state`.
    pub enum ConnectedOrganizationState { Configured => "configured", Proposed => "proposed" }
}

open_enum! {
    /// `accessPackageCatalog.catalogType`.
    pub enum CatalogType {
        UserManaged => "userManaged",
        ServiceDefault => "serviceDefault",
        ServiceManaged => "serviceManaged",
    }
}

open_enum! {
    /// `accessPackageCatalog.state` (beta `catalogStatus`).
    pub enum CatalogState { Published => "published", Unpublished => "unpublished" }
}

open_enum! {
    /// `entitlementManagementSettings.externalUserLifecycleAction`.
    pub enum ExternalUserLifecycleAction {
        None => "none",
        BlockSignIn => "blockSignIn",
        BlockSignInAndDelete => "blockSignInAndDelete",
    }
}

open_enum! {
    /// `directoryAudit.result`.
    pub enum AuditResult { Success => "success", Failure => "failure", Timeout => "timeout" }
}

open_enum! {
    /// `accessPackageSubject.subjectType` (beta `type`).
    pub enum SubjectType {
        NotSpecified => "notSpecified",
        User => "user",
        ServicePrincipal => "servicePrincipal",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_beta_pascal_case_and_aliases() {
        assert_eq!(
            TargetScope::parse("AllExternalSubjects"),
            TargetScope::AllExternalUsers
        );
        assert_eq!(TargetScope::parse("NOSUBJECTS"), TargetScope::NotSpecified);
        assert_eq!(
            AssignmentState::parse("Delivered"),
            AssignmentState::Delivered
        );
        assert!(!RecurrencePatternType::parse("quarterly").is_known());
    }

    #[test]
    fn keeps_unknown_values_verbatim() {
        let s = AssignmentState::parse("unknownFutureValue");
        assert!(!s.is_known());
        assert_eq!(s.as_str(), "unknownFutureValue");
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"unknownFutureValue\"");
    }
}
