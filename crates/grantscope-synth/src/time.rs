//! Timestamps as seconds since the Unix epoch, formatted the way Graph writes them.

pub(crate) const DAY: i64 = 86_400;
pub(crate) const HOUR: i64 = 3_600;

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
#[must_use]
pub(crate) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// `2026-11-01T00:00:00Z` as seconds.
#[must_use]
pub(crate) fn midnight(y: i64, m: i64, d: i64) -> i64 {
    days_from_civil(y, m, d) * DAY
}

fn push2(out: &mut String, v: i64) {
    out.push(char::from(b'0' + (v / 10) as u8));
    out.push(char::from(b'0' + (v % 10) as u8));
}

/// Appends `YYYY-MM-DDTHH:MM:SS[.fffffff]Z`; `frac` is in units of 100 ns (Graph's 7 digits),
/// written only when non-zero.
pub(crate) fn push_time(out: &mut String, t: i64, frac: u32) {
    let (y, m, d) = civil_from_days(t.div_euclid(DAY));
    let secs = t.rem_euclid(DAY);
    let y = y.clamp(0, 9999);
    push2(out, y / 100);
    push2(out, y % 100);
    out.push('-');
    push2(out, m);
    out.push('-');
    push2(out, d);
    out.push('T');
    push2(out, secs / HOUR);
    out.push(':');
    push2(out, secs % HOUR / 60);
    out.push(':');
    push2(out, secs % 60);
    if frac > 0 {
        out.push('.');
        let f = frac % 10_000_000;
        let s = format!("{f:07}");
        out.push_str(&s);
    }
    out.push('Z');
}

/// `YYYY-MM-DD`.
#[must_use]
pub(crate) fn date(t: i64) -> String {
    let (y, m, d) = civil_from_days(t.div_euclid(DAY));
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_graph() {
        let t = midnight(2026, 11, 1);
        let mut s = String::new();
        push_time(&mut s, t + 13 * HOUR + 5 * 60 + 9, 0);
        assert_eq!(s, "2026-11-01T13:05:09Z");
        s.clear();
        push_time(&mut s, midnight(2024, 2, 29), 1_234_567);
        assert_eq!(s, "2024-02-29T00:00:00.1234567Z");
        assert_eq!(date(midnight(1999, 12, 31)), "1999-12-31");
    }
}
