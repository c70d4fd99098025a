//! Dates and times as the coordinator reads and types them, written out by hand rather than
//! through chrono's strftime machinery (which is large in WebAssembly). Every date and
//! time of day the app reads from text goes through [`parse_date`] and [`read_time`].

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

use crate::model::text::fold;
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

/// Parses a date as the coordinator or a file writes it: `YYYY-MM-DD` (the date input and
/// ISO files) or `MM/DD/YYYY` (US spreadsheets).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let number = |part: &str, max_len: usize| -> Option<u32> {
        (!part.is_empty() && part.len() <= max_len && part.bytes().all(|b| b.is_ascii_digit())).then(|| part.parse().ok()).flatten()
    };
    let parts: Vec<&str> = s.split(['-', '/']).collect();
    let (y, m, d) = match (parts.as_slice(), s.contains('-'), s.contains('/')) {
        ([y, m, d], true, false) if y.len() == 4 && m.len() == 2 && d.len() == 2 => (number(y, 4)?, number(m, 2)?, number(d, 2)?),
        ([m, d, y], false, true) if y.len() == 4 => (number(y, 4)?, number(m, 2)?, number(d, 2)?),
        _ => return None,
    };
    NaiveDate::from_ymd_opt(y as i32, m, d).filter(|d| d.year() >= 1000)
}

/// Parses a date and time as files write it: RFC 3339 with its zone (`2023-01-27T16:17:47Z`,
/// `2014-08-19T01:16:46-04:00`), a date and a time without a zone read as UTC
/// (`2023-01-27T16:17:47`, `2023-01-27 16:17`), or a date alone (as [`parse_date`] reads
/// it) at midnight UTC. `None` otherwise; the range (1900–2200) is the caller's to check.
pub fn parse_timestamp(s: &str) -> Option<Timestamp> {
    let s = s.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(t.to_utc());
    }
    let (date, time) = match s.split_once(['T', 't', ' ']) {
        Some((d, t)) => (d, Some(t.trim())),
        None => (s, None),
    };
    let day = parse_date(date)?;
    let time = match time {
        None => NaiveTime::MIN,
        Some(t) => {
            let read = read_time(t)?;
            // A zone other than Z (UTC) that RFC 3339 did not accept cannot be honoured.
            if (read.zone && !t.ends_with(['Z', 'z'])) || read.meridiem || read.word {
                return None;
            }
            read.time
        }
    };
    Some(day.and_time(time).and_utc())
}

/// A time of day as [`read_time`] found it, with how it was written, so that a reader can
/// hold it to a stricter form (an appointment's time, see `appointment::parse_time`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeText {
    pub time: NaiveTime,
    /// Written with am or pm ("9am", "5:30 p.m.", "2 PM").
    pub meridiem: bool,
    /// Written as a word: noon or midnight (also "mediodía", "medianoche").
    pub word: bool,
    /// Written with a zone after it ("Z", "+01:00", "-05:00"), which is dropped.
    pub zone: bool,
    /// "24:00", read as midnight.
    pub end_of_day: bool,
    /// How many digits the minutes were written with (0: no minutes).
    pub minute_digits: usize,
    /// How many digits the seconds were written with (0: no seconds).
    pub second_digits: usize,
}

impl TimeText {
    /// Written as a clock time (minutes, am/pm or a word), not a bare number such as "9".
    pub fn is_clock(&self) -> bool {
        self.word || self.meridiem || self.minute_digits > 0
    }
}

/// Reads a time as files and people write it: "09:00", "9:00:00", "17:30:00Z" (a zone is
/// ignored), "9am", "5:30 pm", "2:05 p.m.", "noon", "midnight". "24:00" is midnight. `None`
/// when it is not a time.
pub fn parse_time(s: &str) -> Option<NaiveTime> {
    read_time(s).map(|t| t.time)
}

/// [`parse_time`], telling also how the time was written (see [`TimeText`]).
pub fn read_time(s: &str) -> Option<TimeText> {
    let written = |time: Option<NaiveTime>, word: bool| {
        time.map(|time| TimeText { time, meridiem: false, word, zone: false, end_of_day: false, minute_digits: 0, second_digits: 0 })
    };
    let f = fold(s.trim()).replace([' ', '.'], "");
    match f.as_str() {
        "noon" | "mediodia" => return written(NaiveTime::from_hms_opt(12, 0, 0), true),
        "midnight" | "medianoche" => return written(NaiveTime::from_hms_opt(0, 0, 0), true),
        _ => {}
    }
    // Drop a zone: "Z", "+01:00", "-05:00" after the time.
    let unzoned = f.trim_end_matches('z');
    let unzoned = match unzoned.find(['+', '-']) {
        Some(i) if i > 0 => &unzoned[..i],
        _ => unzoned,
    };
    let zone = unzoned.len() < f.len();
    let (body, meridiem) = if let Some(b) = unzoned.strip_suffix("am").or_else(|| unzoned.strip_suffix('a')) {
        (b, Some(false))
    } else if let Some(b) = unzoned.strip_suffix("pm").or_else(|| unzoned.strip_suffix('p')) {
        (b, Some(true))
    } else {
        (unzoned, None)
    };
    let parts: Vec<&str> = body.split(':').collect();
    if parts.is_empty() || parts.len() > 3 || parts.iter().any(|p| p.is_empty() || p.len() > 2 || !p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let mut h: u32 = parts[0].parse().ok()?;
    let m: u32 = parts.get(1).map_or(Some(0), |p| p.parse().ok())?;
    let sec: u32 = parts.get(2).map_or(Some(0), |p| p.parse().ok())?;
    let mut end_of_day = false;
    match meridiem {
        Some(pm) => {
            if !(1..=12).contains(&h) {
                return None;
            }
            h = match (pm, h) {
                (false, 12) => 0,
                (true, 12) => 12,
                (true, h) => h + 12,
                (false, h) => h,
            };
        }
        None if h == 24 && m == 0 && sec == 0 => {
            h = 0;
            end_of_day = true;
        }
        None => {}
    }
    let time = NaiveTime::from_hms_opt(h, m, sec)?;
    let digits = |i: usize| parts.get(i).map_or(0, |p| p.len());
    Some(TimeText { time, meridiem: meridiem.is_some(), word: false, zone, end_of_day, minute_digits: digits(1), second_digits: digits(2) })
}

/// A form's date field as typed: `Ok(None)` when left empty; else the date, or the reason
/// in the coordinator's words ("Follow up on '2026-02-30' is not a date.", "Date 2026-12-01
/// is in the future.", "Date '1066-10-14' is outside 1900–2200."). `not_after`: the last
/// date allowed (today, for things that already happened).
pub fn date_field(label: &str, text: &str, not_after: Option<NaiveDate>) -> Result<Option<NaiveDate>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match parse_date(text) {
        None => Err(format!("{label} '{text}' is not a date.")),
        Some(d) if !date_in_range(d) => Err(format!("{}.", outside_range(label, text))),
        Some(d) if not_after.is_some_and(|last| d > last) => Err(format!("{label} {d} is in the future.")),
        Some(d) => Ok(Some(d)),
    }
}

/// A calendar month, written "2026-11" (what a month input and the chronic-care month use).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct YearMonth {
    year: i32,
    month: u32,
}

impl YearMonth {
    /// The month `month` (1–12) of `year`, if the year is within [`FIRST_YEAR`]–[`LAST_YEAR`].
    pub fn new(year: i32, month: u32) -> Option<YearMonth> {
        (year_in_range(year) && (1..=12).contains(&month)).then_some(YearMonth { year, month })
    }

    /// The month `d` falls in.
    pub fn of(d: NaiveDate) -> YearMonth {
        YearMonth { year: d.year(), month: d.month() }
    }

    /// Reads "2026-11" (spaces around it ignored); `None` for anything else or a year
    /// outside [`FIRST_YEAR`]–[`LAST_YEAR`].
    pub fn parse(s: &str) -> Option<YearMonth> {
        let (y, m) = s.trim().split_once('-')?;
        let digits = |p: &str, len: usize| p.len() == len && p.bytes().all(|b| b.is_ascii_digit());
        if !digits(y, 4) || !digits(m, 2) {
            return None;
        }
        YearMonth::new(y.parse().ok()?, m.parse().ok()?)
    }

    pub fn year(self) -> i32 {
        self.year
    }

    /// 1 to 12.
    pub fn month(self) -> u32 {
        self.month
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    pub fn last_day(self) -> NaiveDate {
        (28..=31).rev().find_map(|d| NaiveDate::from_ymd_opt(self.year, self.month, d)).unwrap_or(NaiveDate::MAX)
    }

    pub fn contains(self, d: NaiveDate) -> bool {
        d.year() == self.year && d.month() == self.month
    }

    /// The month after.
    pub fn next(self) -> YearMonth {
        if self.month == 12 {
            YearMonth { year: self.year + 1, month: 1 }
        } else {
            YearMonth { year: self.year, month: self.month + 1 }
        }
    }

    /// The month before.
    pub fn previous(self) -> YearMonth {
        if self.month == 1 {
            YearMonth { year: self.year - 1, month: 12 }
        } else {
            YearMonth { year: self.year, month: self.month - 1 }
        }
    }

    /// "2026-11": the stored form.
    pub fn code(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// "November 2026".
    pub fn label(self) -> String {
        format!("{} {}", MONTHS[(self.month as usize).clamp(1, 12) - 1], self.year)
    }
}

impl std::fmt::Display for YearMonth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.code())
    }
}

impl From<YearMonth> for String {
    fn from(m: YearMonth) -> String {
        m.code()
    }
}

impl TryFrom<String> for YearMonth {
    type Error = String;
    fn try_from(s: String) -> Result<YearMonth, String> {
        YearMonth::parse(&s).ok_or_else(|| format!("'{s}' is not a month (YYYY-MM from {FIRST_YEAR} to {LAST_YEAR})"))
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
    fn us_dates_are_read_too() {
        assert_eq!(parse_date("03/14/1962"), Some(day(1962, 3, 14)));
        assert_eq!(parse_date("2024-02-29"), Some(day(2024, 2, 29)));
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("14/03/1962"), None);
        assert_eq!(parse_date("3/4/1962"), Some(day(1962, 3, 4)));
        assert_eq!(parse_date(" 1962-03-14 "), Some(day(1962, 3, 14)));
        for bad in ["1962-3-14", "1962-03-14x", "1962/03/14", "03-14-1962", "+962-03-14", "", "--", "1962-03", "0999-01-01"] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn times_in_every_form_the_app_reads() {
        let t = |h, m, s| NaiveTime::from_hms_opt(h, m, s);
        // What the appointment form and CSV write.
        for (text, want) in [("09:30", t(9, 30, 0)), ("9:30", t(9, 30, 0)), ("14:05", t(14, 5, 0)), ("2:05 pm", t(14, 5, 0)),
            ("2 PM", t(14, 0, 0)), ("12:15 AM", t(0, 15, 0)), ("12:15 pm", t(12, 15, 0)), ("9:30:00", t(9, 30, 0)), ("2:05 p.m.", t(14, 5, 0))]
        {
            assert_eq!(parse_time(text), want, "{text}");
        }
        // What HSDS files and the hours field write.
        for (text, want) in [("17:30:00Z", t(17, 30, 0)), ("09:00-05:00", t(9, 0, 0)), ("12am", t(0, 0, 0)), ("noon", t(12, 0, 0)),
            ("Medianoche", t(0, 0, 0)), ("24:00", t(0, 0, 0)), ("9", t(9, 0, 0)), ("9:30:15", t(9, 30, 15)), ("5p", t(17, 0, 0))]
        {
            assert_eq!(parse_time(text), want, "{text}");
        }
        for bad in ["", "ten", "25:00", "13 pm", "0 am", "9:60", "1:2:3:4", "123:00", "-9:00", "24:30"] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
        let how = read_time("9:30:00Z").unwrap();
        assert_eq!((how.minute_digits, how.second_digits, how.zone, how.meridiem, how.word), (2, 2, true, false, false));
        assert!(read_time("24:00").unwrap().end_of_day);
        assert!(!read_time("9").unwrap().is_clock() && read_time("9am").unwrap().is_clock() && read_time("noon").unwrap().is_clock());
    }

    #[test]
    fn timestamps_as_files_write_them() {
        let t = |s: &str| parse_timestamp(s).map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
        assert_eq!(t("2023-01-27T16:17:47Z").as_deref(), Some("2023-01-27T16:17:47Z"));
        assert_eq!(t("2014-08-19T01:16:46-04:00").as_deref(), Some("2014-08-19T05:16:46Z"));
        assert_eq!(t("1994-09-02T13:55:57+00:00").as_deref(), Some("1994-09-02T13:55:57Z"));
        assert_eq!(t(" 2023-01-27T16:17:47 ").as_deref(), Some("2023-01-27T16:17:47Z"), "no zone: UTC");
        assert_eq!(t("2023-01-27 16:17").as_deref(), Some("2023-01-27T16:17:00Z"));
        assert_eq!(t("2023-01-27T16:17Z").as_deref(), Some("2023-01-27T16:17:00Z"));
        assert_eq!(t("2023-01-27").as_deref(), Some("2023-01-27T00:00:00Z"));
        assert_eq!(t("01/27/2023").as_deref(), Some("2023-01-27T00:00:00Z"));
        for bad in ["", "2023-02-31T10:00:00Z", "2023-01-27T25:00:00", "2023-01-27T16:17+02", "2023-01-27 9am", "yesterday", "2023-01-27Tnoon"] {
            assert_eq!(t(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_date_field_names_what_is_wrong() {
        let today = Some(day(2026, 11, 23));
        assert_eq!(date_field("Date", " ", today), Ok(None));
        assert_eq!(date_field("Date", "11/23/2026", today), Ok(Some(day(2026, 11, 23))));
        assert_eq!(date_field("Date", "2026-11-24", today), Err("Date 2026-11-24 is in the future.".into()));
        assert_eq!(date_field("Visit", "2026-11-24", None), Ok(Some(day(2026, 11, 24))));
        assert_eq!(date_field("Date", "2026-02-30", today), Err("Date '2026-02-30' is not a date.".into()));
        assert_eq!(date_field("Date", "1066-10-14", today), Err("Date '1066-10-14' is outside 1900–2200.".into()));
        assert_eq!(date_field("Date", "2300-01-01", None), Err("Date '2300-01-01' is outside 1900–2200.".into()));
    }

    #[test]
    fn months_read_write_and_step() {
        let nov = YearMonth::parse(" 2026-11 ").unwrap();
        assert_eq!((nov.year(), nov.month(), nov.code(), nov.label()), (2026, 11, "2026-11".to_string(), "November 2026".to_string()));
        assert_eq!((nov.first_day(), nov.last_day()), (day(2026, 11, 1), day(2026, 11, 30)));
        assert_eq!(YearMonth::parse("2024-02").unwrap().last_day(), day(2024, 2, 29));
        assert_eq!(nov.next(), YearMonth::parse("2026-12").unwrap());
        assert_eq!(nov.next().next(), YearMonth::parse("2027-01").unwrap());
        assert_eq!(YearMonth::parse("2027-01").unwrap().previous(), nov.next());
        assert_eq!(YearMonth::of(day(2026, 11, 30)), nov);
        assert!(nov.contains(day(2026, 11, 30)) && !nov.contains(day(2026, 12, 1)) && !nov.contains(day(2025, 11, 5)));
        for bad in ["", "2026-13", "2026-00", "2026-1", "26-11", "1899-12", "2201-01", "2026/11", "2026-11-01"] {
            assert_eq!(YearMonth::parse(bad), None, "{bad}");
        }
        assert_eq!(serde_json::to_string(&nov).unwrap(), "\"2026-11\"");
        assert_eq!(serde_json::from_str::<YearMonth>("\"2026-11\"").unwrap(), nov);
        assert!(serde_json::from_str::<YearMonth>("\"2026-13\"").is_err());
        assert!(nov < nov.next() && YearMonth::new(2026, 0).is_none());
        // Any date's month has a first and last day, without panicking.
        for d in [NaiveDate::MIN, NaiveDate::MAX] {
            let m = YearMonth::of(d);
            assert!(m.first_day() <= m.last_day());
            assert!(!m.label().is_empty());
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
