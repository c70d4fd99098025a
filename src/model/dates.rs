//! Dates as the coordinator reads them, written out by hand rather than through chrono's
//! strftime machinery (which is large in WebAssembly).

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

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
}
