//! Deterministic object ids: a GUID-shaped string derived from the seed, the kind of object and
//! its index, so that ids need not be stored (a million assignments cost no memory for ids) and
//! the same seed always gives the same ids.

use crate::rng::mix;

/// The kinds of ids; each gives an independent id space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u64)]
pub(crate) enum K {
    User = 1,
    Subject,
    Group,
    ServicePrincipal,
    AppId,
    Catalog,
    Resource,
    Role,
    Scope,
    Package,
    Policy,
    Assignment,
    Request,
    Organization,
    OrgTenant,
    Correlation,
    RequestId,
    Deleted,
    Tenant,
}

/// The id of object `index` of `kind` in the tenant generated from `seed`.
#[must_use]
pub(crate) fn id(seed: u64, kind: K, index: u64) -> String {
    let mut out = String::with_capacity(36);
    push_id(&mut out, seed, kind, index);
    out
}

/// Appends the id to `out` (no allocation on the hot path of the writers).
pub(crate) fn push_id(out: &mut String, seed: u64, kind: K, index: u64) {
    let a = mix(seed ^ mix((kind as u64).wrapping_mul(0x1000_0000_01B3) ^ index));
    let b = mix(a ^ 0x5851_F42D_4C95_7F2D);
    // RFC 4122 version 4 / variant 1 layout, like the GUIDs Entra ID hands out.
    let a = (a & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000;
    let b = (b & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000;
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut buf = [0u8; 36];
    let mut j = 0;
    for (i, nibble) in (0..32).map(|i| {
        let word = if i < 16 { a } else { b };
        let shift = 60 - 4 * (i % 16);
        (i, ((word >> shift) & 0xF) as usize)
    }) {
        if matches!(i, 8 | 12 | 16 | 20) {
            buf[j] = b'-';
            j += 1;
        }
        buf[j] = HEX[nibble];
        j += 1;
    }
    out.extend(buf.iter().map(|&c| c as char));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_look_like_guids_and_differ_by_kind_and_index() {
        let a = id(7, K::User, 0);
        assert_eq!(a.len(), 36);
        assert_eq!(a.as_bytes()[14], b'4');
        assert_eq!(a.matches('-').count(), 4);
        assert_ne!(a, id(7, K::User, 1));
        assert_ne!(a, id(7, K::Group, 0));
        assert_ne!(a, id(8, K::User, 0));
        assert_eq!(a, id(7, K::User, 0));
    }
}
