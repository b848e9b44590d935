//! Dates and times in the shapes exports, configuration and reports write them (ISO 8601:
//! `2026-11-01`, `2026-11-01T09:30:00.123`, `2026-11-01 09:30+01:00`), read and written here
//! instead of through chrono's format strings: chrono's general `%`-format parser is about 10 KB
//! of the browser's download, and these few fixed shapes are all grantscope reads.
//!
//! Fields have their ISO widths (4-digit year, 2-digit month, day, hour, minute, second), as
//! Graph, the portal and `grantscope.toml` write them. RFC 3339 with an offset is left to
//! chrono's dedicated `DateTime::parse_from_rfc3339`, which is small.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};

use crate::model::Timestamp;

/// Whether a time of day may stop after the minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Seconds {
    Required,
    Optional,
}

/// `YYYY-MM-DD` and nothing else; `None` for any other text or an impossible date.
#[must_use]
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let (date, rest) = date_prefix(s.as_bytes())?;
    rest.is_empty().then_some(date)
}

/// `YYYY-MM-DD`, then `T` or a space, then `HH:MM:SS` (or `HH:MM` when seconds are optional)
/// with an optional fraction of a second (any number of digits; past nanoseconds ignored), and
/// nothing else.
pub(crate) fn parse_naive(s: &str, seconds: Seconds) -> Option<NaiveDateTime> {
    let (at, rest) = naive_prefix(s.as_bytes(), seconds)?;
    rest.is_empty().then_some(at)
}

/// As [`parse_naive`] with seconds required, followed by an offset from UTC: `+HH:MM`, `+HHMM`
/// (or `-`); the result is in UTC.
pub(crate) fn parse_with_offset(s: &str) -> Option<Timestamp> {
    let (at, rest) = naive_prefix(s.as_bytes(), Seconds::Required)?;
    let (&sign, rest) = rest.split_first()?;
    let negative = match sign {
        b'+' => false,
        b'-' => true,
        _ => return None,
    };
    let hours = two_digits(rest)?;
    let rest = rest.get(2..)?;
    let rest = rest.strip_prefix(b":").unwrap_or(rest);
    let minutes = two_digits(rest)?;
    if rest.len() != 2 || hours > 23 || minutes > 59 {
        return None;
    }
    let offset = TimeDelta::minutes(i64::from(hours * 60 + minutes));
    let utc = if negative {
        at.checked_add_signed(offset)
    } else {
        at.checked_sub_signed(offset)
    };
    utc.map(|t| t.and_utc())
}

/// `YYYY-MM-DD` of a timestamp (in UTC), as evidence and messages show dates.
#[must_use]
pub fn ymd(t: Timestamp) -> String {
    t.date_naive().to_string()
}

/// A date written out for people: `1 November 2026`.
#[must_use]
pub fn long_date(d: NaiveDate) -> String {
    use chrono::Datelike;
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let month = MONTHS.get(d.month0() as usize).copied().unwrap_or_default();
    format!("{} {month} {:04}", d.day(), d.year())
}

fn digit(b: Option<&u8>) -> Option<u32> {
    b.filter(|b| b.is_ascii_digit())
        .map(|b| u32::from(b - b'0'))
}

fn two_digits(b: &[u8]) -> Option<u32> {
    Some(digit(b.first())? * 10 + digit(b.get(1))?)
}

fn date_prefix(b: &[u8]) -> Option<(NaiveDate, &[u8])> {
    let year = two_digits(b)? * 100 + two_digits(b.get(2..)?)?;
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let month = two_digits(b.get(5..)?)?;
    let day = two_digits(b.get(8..)?)?;
    let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
    Some((date, b.get(10..)?))
}

fn naive_prefix(b: &[u8], seconds: Seconds) -> Option<(NaiveDateTime, &[u8])> {
    let (date, rest) = date_prefix(b)?;
    if !matches!(rest.first(), Some(b'T' | b' ')) {
        return None;
    }
    let hour = two_digits(rest.get(1..)?)?;
    if rest.get(3) != Some(&b':') {
        return None;
    }
    let minute = two_digits(rest.get(4..)?)?;
    let mut rest = rest.get(6..)?;
    let mut second = 0;
    let mut nano = 0;
    if rest.first() == Some(&b':') {
        second = two_digits(rest.get(1..)?)?;
        rest = rest.get(3..)?;
        if rest.first() == Some(&b'.') {
            let digits = rest
                .get(1..)?
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count();
            if digits == 0 {
                return None;
            }
            let mut scale = 100_000_000;
            for &c in rest.get(1..=digits)? {
                nano += u32::from(c - b'0') * scale;
                scale /= 10;
            }
            rest = rest.get(1 + digits..)?;
        }
    } else if seconds == Seconds::Required {
        return None;
    }
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nano)?;
    Some((date.and_time(time), rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f").unwrap()
    }

    #[test]
    fn dates_have_iso_widths_and_exist() {
        assert_eq!(
            parse_date("2026-11-01"),
            NaiveDate::from_ymd_opt(2026, 11, 1)
        );
        assert_eq!(
            parse_date("2024-02-29"),
            NaiveDate::from_ymd_opt(2024, 2, 29)
        );
        for bad in [
            "",
            "2026-11-1",
            "2026-1-01",
            "26-11-01",
            "2026/11/01",
            "2026-11-01 ",
            " 2026-11-01",
            "2025-02-29",
            "2026-13-01",
            "2026-11-31",
            "2026-11-01T00:00:00",
            "２０２６-11-01",
        ] {
            assert_eq!(parse_date(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn naive_times_with_and_without_seconds_and_fractions() {
        let seconds = Seconds::Required;
        assert_eq!(
            parse_naive("2026-11-01T09:30:05", seconds),
            Some(at("2026-11-01T09:30:05"))
        );
        assert_eq!(
            parse_naive("2026-11-01 09:30:05", seconds),
            Some(at("2026-11-01T09:30:05"))
        );
        assert_eq!(
            parse_naive("2026-11-01T09:30:05.1234567", seconds),
            Some(at("2026-11-01T09:30:05.1234567"))
        );
        // Past nanoseconds, digits are read and ignored.
        assert_eq!(
            parse_naive("2026-11-01T09:30:05.1234567891", seconds),
            Some(at("2026-11-01T09:30:05.123456789"))
        );
        assert_eq!(parse_naive("2026-11-01T09:30", seconds), None);
        assert_eq!(
            parse_naive("2026-11-01T09:30", Seconds::Optional),
            Some(at("2026-11-01T09:30:00"))
        );
        for bad in [
            "2026-11-01T09:30:05.",
            "2026-11-01T9:30:05",
            "2026-11-01T09:30:05Z",
            "2026-11-01T24:00:00",
            "2026-11-01T09:60:00",
            "2026-11-01t09:30:05",
            "2026-11-01T09:30:05 ",
            "2026-11-01",
        ] {
            assert_eq!(parse_naive(bad, Seconds::Optional), None, "{bad:?}");
        }
    }

    #[test]
    fn offsets_convert_to_utc() {
        let utc = |s: &str| at(s).and_utc();
        assert_eq!(
            parse_with_offset("2026-11-01T09:30:00+01:00"),
            Some(utc("2026-11-01T08:30:00"))
        );
        assert_eq!(
            parse_with_offset("2026-11-01 09:30:00.5-0230"),
            Some(utc("2026-11-01T12:00:00.5"))
        );
        assert_eq!(
            parse_with_offset("2026-11-01T00:30:00+01:00"),
            Some(utc("2026-10-31T23:30:00"))
        );
        for bad in [
            "2026-11-01T09:30:00",
            "2026-11-01T09:30:00Z",
            "2026-11-01T09:30:00+1:00",
            "2026-11-01T09:30:00+24:00",
            "2026-11-01T09:30:00+01:60",
            "2026-11-01T09:30:00+01:000",
            "2026-11-01T09:30+01:00",
        ] {
            assert_eq!(parse_with_offset(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn dates_are_written_as_chrono_formats_wrote_them() {
        for s in [
            "2026-11-01T09:30:00",
            "0999-01-09T23:59:59",
            "9999-12-31T00:00:00",
        ] {
            let t = at(s).and_utc();
            assert_eq!(ymd(t), t.format("%Y-%m-%d").to_string());
            let d = t.date_naive();
            assert_eq!(long_date(d), d.format("%-d %B %Y").to_string());
        }
    }
}
