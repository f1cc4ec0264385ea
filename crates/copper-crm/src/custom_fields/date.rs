//! [`CustomDate`]: the value of a Date custom field.

use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};

use crate::Error;

const DAY: i64 = 86_400;
const HALF_DAY: i64 = DAY / 2;

/// The UTC offset a date is written at when the registry does not know the
/// account's: UTC−08:00, the offset of every Date value in Copper's
/// documentation (e.g. `1515744000` = 2018-01-12 08:00 UTC, midnight in
/// California in winter).
pub(crate) fn default_write_offset() -> FixedOffset {
    FixedOffset::west_opt(8 * 3600).expect("-08:00 is a valid offset")
}

/// The value of a Date custom field: the unix seconds Copper stores, and the
/// calendar day they stand for.
///
/// Copper stores a date as the unix time of **midnight in the account's
/// time zone**: the documentation's values all sit at 08:00 UTC (midnight in
/// California). The API does not say which zone that is, so the calendar day
/// is derived as follows:
///
/// - If the registry knows the account's UTC offset
///   ([`CustomFieldRegistry::account_utc_offset`](super::CustomFieldRegistry::account_utc_offset)),
///   the day is the date at that offset.
/// - Otherwise the day is the one whose UTC midnight is *nearest* (the UTC
///   date of `unix + 12 h`). That is exact for any account whose offset lies
///   between UTC−11:59 and UTC+12:00, i.e. everywhere but the few zones at
///   UTC+12:45 to +14:00 (use `account_utc_offset` there).
///
/// [`unix_seconds`](Self::unix_seconds) always keeps what Copper sent.
///
/// Writing a [`NaiveDate`] stores midnight at the account's offset when the
/// registry knows it, else midnight at UTC−08:00 (08:00 UTC, as Copper's own
/// examples). Either way the nearest-midnight rule reads the same day back,
/// and the web app of an account between UTC−08:00 and UTC+15:59 shows that
/// day; accounts further west (Alaska, Hawaii) should set their offset.
///
/// ```
/// use chrono::NaiveDate;
/// use copper_crm::custom_fields::CustomDate;
///
/// let d = CustomDate::from_unix(1_515_744_000).unwrap(); // from Copper's docs
/// assert_eq!(d.date(), NaiveDate::from_ymd_opt(2018, 1, 12).unwrap());
/// assert_eq!(d.utc().to_rfc3339(), "2018-01-12T08:00:00+00:00");
/// assert_eq!(d.to_string(), "2018-01-12");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CustomDate {
    unix: i64,
    date: NaiveDate,
}

impl CustomDate {
    /// A date from Copper's unix seconds, read with the nearest-midnight
    /// rule. `None` when out of chrono's range.
    ///
    /// ```
    /// use copper_crm::custom_fields::CustomDate;
    /// // Midnight in Sydney (UTC+10) is 14:00 UTC the day before.
    /// let d = CustomDate::from_unix(1_515_679_200).unwrap(); // 2018-01-11 14:00 UTC
    /// assert_eq!(d.date().to_string(), "2018-01-12");
    /// ```
    pub fn from_unix(unix: i64) -> Option<Self> {
        let date = DateTime::<Utc>::from_timestamp(unix.checked_add(HALF_DAY)?, 0)?.date_naive();
        Some(CustomDate { unix, date })
    }

    /// A date from unix seconds, read at a known UTC offset.
    ///
    /// ```
    /// use chrono::FixedOffset;
    /// use copper_crm::custom_fields::CustomDate;
    /// let kiribati = FixedOffset::east_opt(14 * 3600).unwrap();
    /// // Midnight 2018-01-12 in Kiribati is 10:00 UTC on the 11th.
    /// let d = CustomDate::from_unix_at(1_515_664_800, kiribati).unwrap();
    /// assert_eq!(d.date().to_string(), "2018-01-12");
    /// ```
    pub fn from_unix_at(unix: i64, offset: FixedOffset) -> Option<Self> {
        let date = DateTime::<Utc>::from_timestamp(unix, 0)?
            .with_timezone(&offset)
            .date_naive();
        Some(CustomDate { unix, date })
    }

    /// The value an account at `offset` stores for `date`: midnight there.
    ///
    /// ```
    /// use chrono::{FixedOffset, NaiveDate};
    /// use copper_crm::custom_fields::CustomDate;
    /// let pacific = FixedOffset::west_opt(8 * 3600).unwrap();
    /// let d = CustomDate::at_midnight(NaiveDate::from_ymd_opt(2018, 1, 12).unwrap(), pacific);
    /// assert_eq!(d.unix_seconds(), 1_515_744_000);
    /// ```
    pub fn at_midnight(date: NaiveDate, offset: FixedOffset) -> Self {
        let local = date.and_time(NaiveTime::MIN);
        let unix = offset
            .from_local_datetime(&local)
            .single()
            .map(|t| t.timestamp())
            // A fixed offset maps every local time to exactly one instant.
            .unwrap_or_else(|| local.and_utc().timestamp() - i64::from(offset.local_minus_utc()));
        CustomDate { unix, date }
    }

    /// Read unix seconds at `offset` when given, else with the
    /// nearest-midnight rule; a decode error when out of range.
    pub(crate) fn decode(unix: i64, offset: Option<FixedOffset>) -> Result<Self, Error> {
        match offset {
            Some(o) => Self::from_unix_at(unix, o),
            None => Self::from_unix(unix),
        }
        .ok_or_else(|| Error::Decode {
            operation: "custom_field_value",
            status: None,
            message: format!("date {unix} is out of range"),
            snippet: unix.to_string(),
        })
    }

    /// The unix seconds Copper stores.
    ///
    /// ```
    /// # use copper_crm::custom_fields::CustomDate;
    /// assert_eq!(CustomDate::from_unix(1_518_595_200).unwrap().unix_seconds(), 1_518_595_200);
    /// ```
    pub fn unix_seconds(&self) -> i64 {
        self.unix
    }

    /// The calendar day (see the type's documentation for how it is derived).
    ///
    /// ```
    /// # use copper_crm::custom_fields::CustomDate;
    /// assert_eq!(CustomDate::from_unix(1_518_595_200).unwrap().date().to_string(), "2018-02-14");
    /// ```
    pub fn date(&self) -> NaiveDate {
        self.date
    }

    /// The stored instant in UTC.
    ///
    /// ```
    /// # use copper_crm::custom_fields::CustomDate;
    /// assert_eq!(CustomDate::from_unix(0).unwrap().utc().timestamp(), 0);
    /// ```
    pub fn utc(&self) -> DateTime<Utc> {
        DateTime::<Utc>::from_timestamp(self.unix, 0).unwrap_or_default()
    }

    /// The calendar day of the stored instant at `offset`.
    ///
    /// ```
    /// use chrono::FixedOffset;
    /// # use copper_crm::custom_fields::CustomDate;
    /// let d = CustomDate::from_unix(1_515_744_000).unwrap(); // 08:00 UTC
    /// assert_eq!(d.date_at(FixedOffset::west_opt(9 * 3600).unwrap()).to_string(), "2018-01-11");
    /// ```
    pub fn date_at(&self, offset: FixedOffset) -> NaiveDate {
        self.utc().with_timezone(&offset).date_naive()
    }
}

/// The first unix second of `date` and the last one, as Copper's filters
/// take them (inclusive): at `offset` when known, else the window the
/// nearest-midnight rule reads as that day.
pub(crate) fn day_bounds(date: NaiveDate, offset: Option<FixedOffset>) -> (i64, i64) {
    let midnight_utc = date.and_time(NaiveTime::MIN).and_utc().timestamp();
    match offset {
        Some(o) => {
            let start = midnight_utc - i64::from(o.local_minus_utc());
            (start, start + DAY - 1)
        }
        None => (midnight_utc - HALF_DAY, midnight_utc + HALF_DAY - 1),
    }
}

impl fmt::Display for CustomDate {
    /// The calendar day, `YYYY-MM-DD`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.date.format("%Y-%m-%d"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn nearest_midnight_reads_local_midnights_of_every_offset_from_minus_11_to_plus_12() {
        let day = ymd(2024, 2, 29);
        for quarter_hours in -47..=48 {
            let offset = FixedOffset::east_opt(quarter_hours * 900).unwrap();
            let stored = CustomDate::at_midnight(day, offset);
            assert_eq!(
                CustomDate::from_unix(stored.unix_seconds()).unwrap().date(),
                day,
                "{offset}"
            );
            assert_eq!(
                CustomDate::from_unix_at(stored.unix_seconds(), offset)
                    .unwrap()
                    .date(),
                day
            );
            let (lo, hi) = day_bounds(day, None);
            assert!((lo..=hi).contains(&stored.unix_seconds()));
            let (lo, hi) = day_bounds(day, Some(offset));
            assert_eq!(lo, stored.unix_seconds());
            assert_eq!(
                hi,
                CustomDate::at_midnight(ymd(2024, 3, 1), offset).unix_seconds() - 1
            );
        }
    }

    #[test]
    fn the_docs_values_are_pacific_midnights() {
        let d = CustomDate::at_midnight(ymd(2018, 1, 12), default_write_offset());
        assert_eq!(d.unix_seconds(), 1_515_744_000);
        assert_eq!(
            CustomDate::from_unix(1_511_942_400).unwrap().date(),
            ymd(2017, 11, 29)
        );
        assert!(CustomDate::from_unix(i64::MAX).is_none());
        assert!(CustomDate::decode(i64::MAX, None).is_err());
    }
}
