//! Subject sets: who may request, approve or review. v1.0 `subjectSet` and beta `userSet` both
//! normalise here; beta `isBackup` approvers are moved to the fallback lists by ingestion.

use serde::{Deserialize, Serialize};

/// One member of a requestor, approver or reviewer list.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(
    tag = "type",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum SubjectSet {
    SingleUser {
        user_id: String,
    },
    GroupMembers {
        group_id: String,
    },
    ConnectedOrganizationMembers {
        connected_organization_id: String,
    },
    /// The requestor's manager at `manager_level` (1 = direct manager).
    RequestorManager {
        manager_level: u32,
    },
    InternalSponsors,
    ExternalSponsors,
    TargetUserSponsors,
    AttributeRuleMembers {
        membership_rule: String,
    },
    TargetManager {
        manager_level: u32,
    },
    TargetApplicationOwners,
    SingleServicePrincipal {
        service_principal_id: String,
    },
    TargetAgentIdentitySponsorsOrOwners,
    /// An `@odata.type` this version does not know, kept verbatim.
    Other {
        odata_type: String,
    },
}

impl SubjectSet {
    /// A short stable description used in evidence ("singleUser:<id>", "requestorManager").
    #[must_use]
    pub fn describe(&self) -> String {
        match self {
            SubjectSet::SingleUser { user_id } => format!("singleUser:{user_id}"),
            SubjectSet::GroupMembers { group_id } => format!("groupMembers:{group_id}"),
            SubjectSet::ConnectedOrganizationMembers {
                connected_organization_id,
            } => {
                format!("connectedOrganizationMembers:{connected_organization_id}")
            }
            SubjectSet::RequestorManager { manager_level } => {
                format!("requestorManager:{manager_level}")
            }
            SubjectSet::InternalSponsors => "internalSponsors".to_owned(),
            SubjectSet::ExternalSponsors => "externalSponsors".to_owned(),
            SubjectSet::TargetUserSponsors => "targetUserSponsors".to_owned(),
            SubjectSet::AttributeRuleMembers { membership_rule } => {
                format!("attributeRuleMembers:{membership_rule}")
            }
            SubjectSet::TargetManager { manager_level } => format!("targetManager:{manager_level}"),
            SubjectSet::TargetApplicationOwners => "targetApplicationOwners".to_owned(),
            SubjectSet::SingleServicePrincipal {
                service_principal_id,
            } => {
                format!("singleServicePrincipal:{service_principal_id}")
            }
            SubjectSet::TargetAgentIdentitySponsorsOrOwners => {
                "targetAgentIdentitySponsorsOrOwners".to_owned()
            }
            SubjectSet::Other { odata_type } => format!("other:{odata_type}"),
        }
    }
}
