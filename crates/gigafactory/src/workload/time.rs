//! Trace timestamps to seconds since the Unix epoch (UTC).

use crate::units::Date;

/// Seconds since the epoch of `date` at `h:m:s` in a zone `offset_s` seconds east of UTC.
fn to_unix(date: Date, h: u32, m: u32, s: u32, offset_s: i64) -> i64 {
    date.days_since_epoch() * 86_400 + i64::from(h * 3600 + m * 60 + s) - offset_s
}

fn hms(t: &str) -> Option<(u32, u32, u32)> {
    let b = t.as_bytes();
    if b.len() < 8 || b[2] != b':' || b[5] != b':' {
        return None;
    }
    let (h, m, s): (u32, u32, u32) = (
        t[0..2].parse().ok()?,
        t[3..5].parse().ok()?,
        t[6..8].parse().ok()?,
    );
    (h < 24 && m < 60 && s < 61).then_some((h, m, s))
}

/// `YYYY-MM-DD HH:MM:SS` (no zone) read as local time `offset_s` seconds east of UTC.
pub(crate) fn parse_local(s: &str, offset_s: i64) -> Option<i64> {
    let s = s.trim();
    if !s.is_ascii() || s.len() != 19 || !matches!(s.as_bytes()[10], b' ' | b'T') {
        return None;
    }
    let date: Date = s[..10].parse().ok()?;
    let (h, m, sec) = hms(&s[11..])?;
    Some(to_unix(date, h, m, sec, offset_s))
}

/// ISO 8601 with a zone: `YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)`; a space may stand for T.
/// Fractions of a second are dropped.
pub(crate) fn parse_iso(s: &str) -> Option<i64> {
    let s = s.trim();
    // Timestamps are ASCII: anything else is malformed (and would not slice by bytes).
    if !s.is_ascii() || s.len() < 20 || !matches!(s.as_bytes()[10], b' ' | b'T') {
        return None;
    }
    let date: Date = s[..10].parse().ok()?;
    let (h, m, sec) = hms(&s[11..19])?;
    let mut rest = &s[19..];
    if let Some(r) = rest.strip_prefix('.') {
        rest = r.trim_start_matches(|c: char| c.is_ascii_digit());
    }
    let offset = match rest {
        "Z" | "+00:00" | "-00:00" => 0,
        z if z.len() == 6 && matches!(z.as_bytes()[0], b'+' | b'-') && z.as_bytes()[3] == b':' => {
            let hh: i64 = z[1..3].parse().ok()?;
            let mm: i64 = z[4..6].parse().ok()?;
            // Zones run from UTC-12:00 to UTC+14:00.
            if hh > 14 || mm >= 60 || hh * 60 + mm > 14 * 60 {
                return None;
            }
            let v = hh * 3600 + mm * 60;
            if z.starts_with('-') { -v } else { v }
        }
        _ => return None,
    };
    Some(to_unix(date, h, m, sec, offset))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_and_zoned_times_agree() {
        // 2020-04-01 08:00 in Shanghai (UTC+8) is 2020-04-01 00:00 UTC = 1,585,699,200.
        assert_eq!(
            parse_local("2020-04-01 08:00:00", 8 * 3600),
            Some(1_585_699_200)
        );
        assert_eq!(parse_iso("2020-04-01T08:00:00+08:00"), Some(1_585_699_200));
        assert_eq!(parse_iso("2020-04-01 00:00:00+00:00"), Some(1_585_699_200));
        assert_eq!(
            parse_iso("2020-03-31T19:00:00.250-05:00"),
            Some(1_585_699_200)
        );
        assert_eq!(parse_iso("2020-04-01T00:00:00Z"), Some(1_585_699_200));
    }

    #[test]
    fn rejects_malformed_times() {
        assert_eq!(parse_local("2020-04-01", 0), None);
        assert_eq!(parse_local("2020-04-01 25:00:00", 0), None);
        assert_eq!(parse_iso("2020-04-01T08:00:00"), None);
        assert_eq!(parse_iso("2020-04-01T08:00:00+8"), None);
    }

    #[test]
    fn malformed_times_are_refused_not_a_panic() {
        // Found by fuzzing the Acme reader (issue 12): a character of two bytes where the
        // seconds end panicked on slicing.
        assert_eq!(parse_iso("2023-07-01T09:31:0\u{ec}dutio0+08:00"), None);
        assert_eq!(parse_local("2023-07-01 09:31:\u{ec}0", 0), None);
        assert_eq!(parse_local("2023-07-01\u{ec}09:31:0", 0), None);
        // Issue 12, defect 15: zones beyond UTC±14:00 do not exist.
        assert_eq!(parse_iso("2023-07-01T09:31:00+25:00"), None);
        assert_eq!(parse_iso("2023-07-01T09:31:00+08:75"), None);
        assert_eq!(parse_iso("2023-07-01T09:31:00+14:00"), Some(1_688_153_460));
    }
}
