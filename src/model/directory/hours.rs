//! Opening hours: HSDS weekly [`Schedule`]s, whether a service is open at a time
//! ([`OpenState`]), and the hours as the coordinator types and reads them ([`parse_hours`],
//! [`format_hours`]).

use chrono::{Datelike, NaiveDateTime, NaiveTime, Timelike, Weekday};
use serde::{Deserialize, Serialize};

use super::ServiceStatus;
use crate::model::dates::read_time;
use crate::model::text::fold;

/// Opening hours on some days of the week (HSDS `schedule` with `byday`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Schedule {
    pub id: String,
    /// The days it applies to; empty means every day.
    pub days: Vec<Weekday>,
    pub opens_at: Option<NaiveTime>,
    /// At or before `opens_at`: closes the next day.
    pub closes_at: Option<NaiveTime>,
    pub description: String,
}

impl Schedule {
    /// HSDS `byday`: "MO,TU,WE".
    pub fn byday(&self) -> String {
        self.days.iter().map(|d| BYDAY[d.num_days_from_monday() as usize]).collect::<Vec<_>>().join(",")
    }

    /// Its opening periods as minutes of the week from Monday 00:00 (the end may pass the
    /// week's end, 10,080). Empty when a time is missing.
    pub fn week_intervals(&self) -> Vec<(u16, u16)> {
        let (Some(o), Some(c)) = (self.opens_at, self.closes_at) else { return Vec::new() };
        let open = (o.hour() * 60 + o.minute()) as u16;
        let mut close = (c.hour() * 60 + c.minute()) as u16;
        if close <= open {
            close += 1440;
        }
        let days: Vec<Weekday> = if self.days.is_empty() { WEEK.to_vec() } else { self.days.clone() };
        days.iter().map(|d| {
            let base = d.num_days_from_monday() as u16 * 1440;
            (base + open, base + close)
        }).collect()
    }
}

/// Whether a service is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpenState {
    Open,
    /// Its schedule says closed at this time, or it is inactive, defunct or temporarily closed.
    Closed,
    /// No schedule with times: the kiosk says "Call for hours", not "Closed".
    Unknown,
}

const WEEK_MINUTES: u16 = 7 * 1440;

pub(super) fn open_state_of(status: ServiceStatus, intervals: &[(u16, u16)], now: NaiveDateTime) -> OpenState {
    if status != ServiceStatus::Active {
        return OpenState::Closed;
    }
    if intervals.is_empty() {
        return OpenState::Unknown;
    }
    let m = now.weekday().num_days_from_monday() as u16 * 1440 + (now.hour() * 60 + now.minute()) as u16;
    // A period that runs past Sunday midnight covers the next Monday's early hours.
    if intervals.iter().any(|&(s, e)| (s <= m && m < e) || (s <= m + WEEK_MINUTES && m + WEEK_MINUTES < e)) {
        OpenState::Open
    } else {
        OpenState::Closed
    }
}

// ---------------------------------------------------------------------------------------
// Days and hours

pub(super) const WEEK: [Weekday; 7] = [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun];
const BYDAY: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
const SHORT_DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// A day of the week from an HSDS `byday` code ("MO", also "1MO"/"-1FR", where the number
/// is dropped), an English or Spanish name or abbreviation ("Mon", "Tuesday", "jueves"),
/// or an HSDS 1.1 `weekday` number (1 = Monday … 7 = Sunday, 0 = Sunday).
pub fn parse_day(s: &str) -> Option<Weekday> {
    let f = fold(s.trim().trim_end_matches('.'));
    let f = f.trim_start_matches(|c: char| c == '-' || c == '+' || (c.is_ascii_digit() && f.len() > 1 && !f.chars().all(|c| c.is_ascii_digit())));
    if let Ok(n) = f.parse::<u32>() {
        return match n {
            0 | 7 => Some(Weekday::Sun),
            1..=6 => Some(WEEK[n as usize - 1]),
            _ => None,
        };
    }
    const NAMES: [&[&str]; 7] = [
        &["mo", "mon", "monday", "lun", "lunes"],
        &["tu", "tue", "tues", "tuesday", "mar", "martes"],
        &["we", "wed", "weds", "wednesday", "mie", "miercoles"],
        &["th", "thu", "thur", "thurs", "thursday", "jue", "jueves"],
        &["fr", "fri", "friday", "vie", "viernes"],
        &["sa", "sat", "saturday", "sab", "sabado"],
        &["su", "sun", "sunday", "dom", "domingo"],
    ];
    NAMES.iter().position(|names| names.contains(&f)).map(|i| WEEK[i])
}

/// Reads an HSDS `byday` list ("MO,TU,WE") or a list of names. `Err` names the first part
/// that is not a day.
pub fn parse_byday(s: &str) -> Result<Vec<Weekday>, String> {
    let mut days = Vec::new();
    for part in s.split([',', ' ', ';']).map(str::trim).filter(|p| !p.is_empty()) {
        match parse_day(part) {
            Some(d) => days.push(d),
            None => return Err(part.to_string()),
        }
    }
    sort_days(&mut days);
    Ok(days)
}

fn sort_days(days: &mut Vec<Weekday>) {
    let mut order: Vec<u32> = days.iter().map(Weekday::num_days_from_monday).collect();
    super::sort_dedup_small(&mut order);
    *days = order.into_iter().filter_map(|n| Weekday::try_from(n as u8).ok()).collect();
}

/// Reads opening hours as the coordinator types them: parts separated by ";" or new lines,
/// each "days times": "Mon-Fri 09:00-17:00; Sat 10:00-14:00", "Daily 9am-5pm",
/// "Weekdays 8:30-4:30pm", "Fri 22:00-02:00" (past midnight), "Sun closed" (no hours that
/// day), "Mon, Wed 24 hours". Days may be ranges, lists, HSDS codes or Spanish names;
/// without days a part applies every day. The schedules have no ids yet.
pub fn parse_hours(text: &str) -> Result<Vec<Schedule>, String> {
    let mut out = Vec::new();
    for part in text.split([';', '\n']).map(str::trim).filter(|p| !p.is_empty()) {
        let fpart = fold(part);
        // Where the times start: the first digit or time word.
        let time_start = ["noon", "midnight", "24 hours", "closed", "cerrado", "24h", "open 24"]
            .iter()
            .filter_map(|w| fpart.find(w))
            .chain(fpart.find(|c: char| c.is_ascii_digit()))
            .min();
        let Some(ts) = time_start else {
            return Err(format!("'{part}' has no times. Write the days and times like: Mon-Fri 09:00-17:00; Sat 10:00-14:00"));
        };
        let (day_text, time_text) = (&fpart[..ts], fpart[ts..].trim());
        let days = parse_day_list(day_text).map_err(|bad| {
            format!("'{bad}' in '{part}' is not a day. Write days like Mon-Fri or Mon, Wed, Sat.")
        })?;
        if time_text.starts_with("closed") || time_text.starts_with("cerrado") {
            continue;
        }
        let (opens, closes) = if time_text.starts_with("24") && (time_text.contains("hour") || time_text.contains('h')) && !time_text.contains(':') && !time_text.contains('-') || time_text.starts_with("open 24") {
            let midnight = NaiveTime::from_hms_opt(0, 0, 0).expect("valid");
            (midnight, midnight)
        } else {
            parse_time_range(time_text).ok_or_else(|| {
                format!("'{}' in '{part}' is not an opening and closing time. Write times like 09:00-17:00 or 9am-5pm.", time_text)
            })?
        };
        out.push(Schedule { id: String::new(), days, opens_at: Some(opens), closes_at: Some(closes), description: String::new() });
    }
    Ok(out)
}

/// "9am-5pm", "09:00 - 17:00", "9 to 5pm", "8:30-4:30pm" (the second's am/pm carries to
/// the first when that reads as the same half-day or earlier).
fn parse_time_range(s: &str) -> Option<(NaiveTime, NaiveTime)> {
    let s = s.replace(['–', '—'], "-").replace(" to ", "-").replace(" a ", "-");
    let (a, b) = s.split_once('-')?;
    let (a, b) = (a.trim(), b.trim());
    let (open_text, close_text) = (read_time(a)?, read_time(b)?);
    let (mut open, open_clock) = (open_text.time, open_text.is_clock());
    let (close, close_clock) = (close_text.time, close_text.is_clock());
    let fb = fold(b);
    let close_meridiem = fb.ends_with("pm") || fb.ends_with('p');
    let fa = fold(a);
    let open_meridiem = fa.ends_with("am") || fa.ends_with("pm") || fa.ends_with('a') || fa.ends_with('p');
    // "8:30-4:30pm": 8:30 is morning; "1-4pm": 1 is afternoon.
    if close_meridiem && !open_meridiem && open.hour() < 12 {
        let pm = open + chrono::Duration::hours(12);
        if pm <= close {
            open = pm;
        }
    }
    // "9-5" with neither side written as a clock time is too ambiguous to guess.
    if !open_clock && !close_clock && close < open && close.hour() <= 12 {
        return None;
    }
    Some((open, close))
}

/// "Mon-Fri", "Mon, Wed & Fri", "weekdays", "daily", "" (every day) → days.
fn parse_day_list(text: &str) -> Result<Vec<Weekday>, String> {
    let t = text.trim().trim_end_matches(':').trim();
    let t = t.replace(['–', '—'], "-").replace(" to ", "-").replace(" a ", "-");
    let mut days = Vec::new();
    for piece in t.split([',', '/', '&', ' ']).map(str::trim).filter(|p| !p.is_empty() && *p != "and" && *p != "y" && *p != "-") {
        match piece {
            "daily" | "everyday" | "every" | "day" | "days" | "diario" | "todos" | "los" | "dias" => {
                days.extend(WEEK);
                continue;
            }
            "weekdays" | "weekday" => {
                days.extend(&WEEK[..5]);
                continue;
            }
            "weekends" | "weekend" => {
                days.extend(&WEEK[5..]);
                continue;
            }
            _ => {}
        }
        if let Some((a, b)) = piece.split_once('-').filter(|(a, b)| !a.is_empty() && !b.is_empty()) {
            let (Some(a), Some(b)) = (parse_day(a), parse_day(b)) else { return Err(piece.to_string()) };
            let (mut i, end) = (a.num_days_from_monday() as usize, b.num_days_from_monday() as usize);
            loop {
                days.push(WEEK[i]);
                if i == end {
                    break;
                }
                i = (i + 1) % 7;
            }
        } else {
            days.push(parse_day(piece.trim_matches('-')).ok_or_else(|| piece.to_string())?);
        }
    }
    sort_days(&mut days);
    if days.len() == 7 {
        days.clear();
    }
    Ok(days)
}

fn hhmm(t: NaiveTime) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// "Mon-Fri", "Mon, Wed, Fri", "Sat-Sun", "Daily" (consecutive days become ranges).
pub fn format_days(days: &[Weekday]) -> String {
    let mut idx: Vec<usize> = days.iter().map(|d| d.num_days_from_monday() as usize).collect();
    super::sort_dedup_small(&mut idx);
    if idx.is_empty() || idx.len() == 7 {
        return "Daily".into();
    }
    let mut parts = Vec::new();
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && idx[j + 1] == idx[j] + 1 {
            j += 1;
        }
        parts.push(match j - i {
            0 => SHORT_DAYS[idx[i]].to_string(),
            1 => format!("{}, {}", SHORT_DAYS[idx[i]], SHORT_DAYS[idx[j]]),
            _ => format!("{}-{}", SHORT_DAYS[idx[i]], SHORT_DAYS[idx[j]]),
        });
        i = j + 1;
    }
    parts.join(", ")
}

/// Writes schedules back the way [`parse_hours`] reads them ("Mon-Fri 09:00-17:00; Sat
/// 10:00-14:00"; the whole day is "00:00-24:00"). Schedules with the same times are written
/// once with all their days (HSDS 1.1 files have one row per day). Schedules without times
/// are left out (their description is shown on its own).
pub fn format_hours(schedules: &[Schedule]) -> String {
    let mut groups: Vec<((NaiveTime, NaiveTime), Vec<Weekday>)> = Vec::new();
    for s in schedules {
        let (Some(o), Some(c)) = (s.opens_at, s.closes_at) else { continue };
        let days = if s.days.is_empty() { WEEK.to_vec() } else { s.days.clone() };
        match groups.iter_mut().find(|(t, _)| *t == (o, c)) {
            Some((_, d)) => {
                d.extend(days);
                sort_days(d);
            }
            None => groups.push(((o, c), days)),
        }
    }
    groups
        .iter()
        .map(|((o, c), days)| {
            let close = if o == c && *o == NaiveTime::MIN { "24:00".to_string() } else { hhmm(*c) };
            format!("{} {}-{}", format_days(days), hhmm(*o), close)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

