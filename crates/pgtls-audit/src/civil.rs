//! UTC calendar dates of Unix times, and back, for reports, calendars and cloud timestamps.
//! The `time` crate does the calendar arithmetic (x509-parser already depends on it); this
//! module only fixes the formats the engine writes.

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

fn utc(secs: i64) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp(secs).ok()
}

/// `YYYY-MM-DDTHH:MM:SSZ`; a time outside years -9999..=9999 as `@SECONDS`.
pub fn rfc3339(secs: i64) -> String {
    match utc(secs) {
        Some(t) => format!("{}T{:02}:{:02}:{:02}Z", date(secs), t.hour(), t.minute(), t.second()),
        None => format!("@{secs}"),
    }
}

/// `YYYY-MM-DD`; a time outside years -9999..=9999 as `@SECONDS`.
pub fn date(secs: i64) -> String {
    match utc(secs) {
        Some(t) => format!("{:04}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day()),
        None => format!("@{secs}"),
    }
}

/// `YYYYMMDD` (iCalendar's DATE form); None outside years 0..=9999, which iCalendar cannot write.
pub fn basic_date(secs: i64) -> Option<String> {
    let t = utc(secs).filter(|t| (0..=9999).contains(&t.year()))?;
    Some(format!("{:04}{:02}{:02}", t.year(), u8::from(t.month()), t.day()))
}

/// Unix seconds of a calendar date and time at a UTC offset in seconds; None for a date or
/// time that does not exist (February 30th, hour 24).
pub fn unix_time(year: i32, month: u8, day: u8, hour: u8, minute: u8, second: u8, offset_secs: i32) -> Option<i64> {
    let date = Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()?;
    let time = Time::from_hms(hour, minute, second).ok()?;
    let offset = UtcOffset::from_whole_seconds(offset_secs).ok()?;
    Some(PrimitiveDateTime::new(date, time).assume_offset(offset).unix_timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_utc_dates() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(-1), "1969-12-31T23:59:59Z");
        assert_eq!(date(2_524_608_000), "2050-01-01");
        assert_eq!(basic_date(1_767_225_600).as_deref(), Some("20260101"));
    }

    #[test]
    fn out_of_range_times_do_not_panic() {
        assert_eq!(rfc3339(i64::MAX), format!("@{}", i64::MAX));
        assert_eq!(date(i64::MIN), format!("@{}", i64::MIN));
        assert_eq!(basic_date(-62_167_219_201), None, "year -1 has no iCalendar form");
    }

    #[test]
    fn reads_calendar_times_back() {
        assert_eq!(unix_time(1970, 1, 2, 0, 0, 0, 0), Some(86_400));
        assert_eq!(unix_time(2024, 8, 22, 19, 8, 50, 7200), Some(1_724_346_530));
        assert_eq!(unix_time(2023, 2, 29, 0, 0, 0, 0), None);
        assert_eq!(unix_time(2024, 13, 1, 0, 0, 0, 0), None);
        assert_eq!(unix_time(2024, 1, 1, 24, 0, 0, 0), None);
    }
}
