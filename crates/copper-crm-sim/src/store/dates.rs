//! Calendar helpers: Copper's `M/D/YYYY` close dates and ISO-8601 timestamps.

/// Days since 1970-01-01 of a proleptic Gregorian date.
pub(crate) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01.
pub(crate) fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// Parse `M/D/YYYY` (zero padding allowed) into (year, month, day).
pub(crate) fn parse_close_date(s: &str) -> Option<(i64, i64, i64)> {
    let mut it = s.trim().split('/');
    let m: i64 = it.next()?.trim().parse().ok()?;
    let d: i64 = it.next()?.trim().parse().ok()?;
    let y_str = it.next()?.trim();
    if it.next().is_some() || y_str.len() != 4 {
        return None;
    }
    let y: i64 = y_str.parse().ok()?;
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return None;
    }
    Some((y, m, d))
}

/// A close date normalised the way Copper prints it (`1/23/2017`).
pub(crate) fn format_close_date((y, m, d): (i64, i64, i64)) -> String {
    format!("{m}/{d}/{y}")
}

/// The unix seconds of a close date at UTC midnight (as the docs' close-date filter examples use).
pub(crate) fn close_date_unix(s: &str) -> Option<i64> {
    parse_close_date(s).map(|(y, m, d)| days_from_civil(y, m, d) * 86_400)
}

/// The close date string of a unix timestamp (UTC).
#[cfg(test)]
pub(crate) fn close_date_from_unix(t: i64) -> String {
    format_close_date(civil_from_days(t.div_euclid(86_400)))
}

/// `2021-12-13T19:18:22.084Z` for unix milliseconds.
pub(crate) fn iso8601_millis(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let millis = ms.rem_euclid(1000);
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_dates_round_trip() {
        assert_eq!(close_date_unix("1/13/2018"), Some(1_515_801_600));
        assert_eq!(close_date_from_unix(1_515_801_600), "1/13/2018");
        assert_eq!(
            parse_close_date("02/29/2024").map(format_close_date),
            Some("2/29/2024".into())
        );
        assert_eq!(parse_close_date("2/30/2024"), None);
        assert_eq!(parse_close_date("2024-01-01"), None);
    }

    #[test]
    fn iso_timestamps() {
        assert_eq!(
            iso8601_millis(1_639_423_102_084),
            "2021-12-13T19:18:22.084Z"
        );
    }
}
