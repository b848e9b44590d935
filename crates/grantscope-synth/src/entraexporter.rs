//! Writes a tenant as an EntraExporter tree (`Export-Entra -Type EntitlementManagement,Users`).

use std::io;
use std::path::Path;

use crate::model::Tenant;
use crate::recipe::Written;

pub(crate) fn write(_t: &Tenant, _dir: &Path) -> io::Result<Written> {
    Err(io::Error::other(
        "the EntraExporter format is not written yet",
    ))
}
