//! Dates as the coordinator reads them, written out by hand rather than through chrono's
//! strftime machinery (which is large in WebAssembly).

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

use crate::model::Timestamp;

/// The first and last years a date or time read from a file may have. Anything outside is
/// a typing or export mistake (a year 20026, a date of 0001-01-01 standing for "none"), and
/// a time far outside them cannot even be shown in local time.
pub const FIRST_YEAR: i32 = 1900;
pub const LAST_YEAR: i32 = 2200;

const MONTHS: [&str; 12] =
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const WEEKDAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

fn month(d: &impl Datelike) -> &'static str {
    MONTHS[d.month0() as usize]
}

/// "1962-03-14" (what date inputs and files use).
pub fn iso(d: NaiveDate) -> String {
    d.to_string()
}

/// "03/14/1962" (US spreadsheets).
pub fn us(d: NaiveDate) -> String {
    format!("{:02}/{:02}/{:04}", d.month(), d.day(), d.year())
}

/// "14 Mar 1962".
pub fn short(d: NaiveDate) -> String {
    format!("{} {} {}", d.day(), &month(&d)[..3], d.year())
}

/// "14 March 1962".
pub fn long(d: NaiveDate) -> String {
    format!("{} {} {}", d.day(), month(&d), d.year())
}

/// "Monday, 23 November 2026".
pub fn with_weekday(d: NaiveDate) -> String {
    format!("{}, {}", WEEKDAYS[d.weekday().num_days_from_monday() as usize], long(d))
}

/// "23 Nov 2026, 14:05" (a local date and time).
pub fn short_time(t: NaiveDateTime) -> String {
    format!("{}, {:02}:{:02}", short(t.date()), t.hour(), t.minute())
}

/// Whether `year` is within [`FIRST_YEAR`]–[`LAST_YEAR`].
pub fn year_in_range(year: i32) -> bool {
    (FIRST_YEAR..=LAST_YEAR).contains(&year)
}

/// Whether a date is within [`FIRST_YEAR`]–[`LAST_YEAR`].
pub fn date_in_range(d: NaiveDate) -> bool {
    year_in_range(d.year())
}

/// Whether a time is within [`FIRST_YEAR`]–[`LAST_YEAR`] (in UTC).
pub fn timestamp_in_range(t: Timestamp) -> bool {
    year_in_range(t.year())
}

/// "created_at '+262142-12-31T23:00:00Z' is outside 1900–2200": the reason a file's date
/// or time is refused.
pub fn outside_range(label: &str, value: &str) -> String {
    format!("{label} '{value}' is outside {FIRST_YEAR}–{LAST_YEAR}")
}

/// A stored time in local time, "23 Nov 2026, 14:05", given the local offset from UTC in
/// minutes east (Boston in winter: -300). Never panics: an offset of a day or more counts
/// as none, and a time whose local form would fall outside [`FIRST_YEAR`]–[`LAST_YEAR`] is
/// shown as it is in UTC, "1 Jan 262142, 00:00 UTC".
pub fn local_time_text(t: Timestamp, offset_minutes_east: i32) -> String {
    let offset = if offset_minutes_east.unsigned_abs() < 24 * 60 { offset_minutes_east } else { 0 };
    let local = chrono::Duration::try_minutes(offset.into()).and_then(|d| t.naive_utc().checked_add_signed(d));
    match local {
        Some(local) if year_in_range(local.year()) => short_time(local),
        _ => format!("{} UTC", short_time(t.naive_utc())),
    }
}

/// "20261123T140503.123Z": sortable, for ids.
pub fn compact_utc(t: crate::model::Timestamp) -> String {
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}.{:03}Z",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.timestamp_subsec_millis().min(999)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::patient::tests::{at, day};

    #[test]
    fn writes_dates_the_coordinator_reads() {
        let d = day(1962, 3, 4);
        assert_eq!(iso(d), "1962-03-04");
        assert_eq!(us(d), "03/04/1962");
        assert_eq!(short(d), "4 Mar 1962");
        assert_eq!(long(d), "4 March 1962");
        assert_eq!(with_weekday(day(2026, 11, 23)), "Monday, 23 November 2026");
        assert_eq!(short_time(at(2026, 11, 23).naive_utc()), "23 Nov 2026, 09:30");
        assert_eq!(compact_utc(at(2026, 11, 23)), "20261123T093000.000Z");
        // The same as chrono's formatting, over a range of dates.
        for n in 0..800 {
            let d = day(2023, 12, 25) + chrono::Duration::days(n);
            assert_eq!(short(d), d.format("%-d %b %Y").to_string());
            assert_eq!(us(d), d.format("%m/%d/%Y").to_string());
            assert_eq!(with_weekday(d), d.format("%A, %-d %B %Y").to_string());
        }
    }

    #[test]
    fn every_function_takes_any_date_without_panicking() {
        let edges = [NaiveDate::MIN, NaiveDate::MAX, day(1, 1, 1), day(0, 12, 31), day(-1, 1, 1), day(9999, 12, 31), day(10000, 1, 1)];
        for d in edges {
            for text in [iso(d), us(d), short(d), long(d), with_weekday(d)] {
                assert!(!text.is_empty());
            }
            let noon = d.and_hms_opt(12, 0, 0).unwrap();
            assert!(!short_time(noon).is_empty());
            assert!(!compact_utc(noon.and_utc()).is_empty());
            assert!(date_in_range(d) == (1900..=2200).contains(&d.year()));
        }
        for t in [Timestamp::MIN_UTC, Timestamp::MAX_UTC] {
            assert!(!compact_utc(t).is_empty());
            assert!(!timestamp_in_range(t));
            for offset in [0, -300, 330, 24 * 60, i32::MIN, i32::MAX] {
                assert!(local_time_text(t, offset).ends_with(" UTC"), "{}", local_time_text(t, offset));
            }
        }
    }

    #[test]
    fn local_time_is_shifted_by_the_offset() {
        let t = at(2026, 11, 23); // 09:30 UTC
        assert_eq!(local_time_text(t, 0), "23 Nov 2026, 09:30");
        assert_eq!(local_time_text(t, -300), "23 Nov 2026, 04:30");
        assert_eq!(local_time_text(t, 330), "23 Nov 2026, 15:00");
        assert_eq!(local_time_text(t, -600), "22 Nov 2026, 23:30");
        // A nonsense offset counts as none.
        assert_eq!(local_time_text(t, 100_000), "23 Nov 2026, 09:30");
        let far: Timestamp = "+262142-12-31T23:00:00Z".parse().unwrap();
        assert_eq!(local_time_text(far, 60), "31 Dec 262142, 23:00 UTC");
        assert_eq!(outside_range("created_at", "+262142-12-31T23:00:00Z"), "created_at '+262142-12-31T23:00:00Z' is outside 1900–2200");
    }
}
