//! The day's appointments, with each visit's pre-visit planning: a checklist whose progress
//! is saved and a log of the calls made before the visit.

use chrono::{NaiveDate, NaiveTime, Timelike};
use serde::{Deserialize, Serialize};

use super::choice::choice_impl;
use super::dates::{self, parse_date};
use super::recall::OutreachOutcome;
use super::{Record, Timestamp};

/// Visit types offered in the form (any other text is allowed).
pub const VISIT_TYPES: [&str; 6] = ["Follow-up", "Annual wellness", "New patient", "Chronic care", "Post-discharge", "Telehealth"];

/// The pre-visit planning checklist.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Checklist {
    pub labs_ordered: bool,
    pub records_requested: bool,
    pub outside_reports_received: bool,
    pub family_called: bool,
}

/// The checklist's items, in the order shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChecklistItem {
    LabsOrdered,
    RecordsRequested,
    OutsideReportsReceived,
    FamilyCalled,
}

impl ChecklistItem {
    pub const ALL: [ChecklistItem; 4] =
        [ChecklistItem::LabsOrdered, ChecklistItem::RecordsRequested, ChecklistItem::OutsideReportsReceived, ChecklistItem::FamilyCalled];

    pub fn label(self) -> &'static str {
        match self {
            ChecklistItem::LabsOrdered => "Labs ordered",
            ChecklistItem::RecordsRequested => "Records requested",
            ChecklistItem::OutsideReportsReceived => "Outside reports received",
            ChecklistItem::FamilyCalled => "Called the patient or family",
        }
    }

    /// A short stable code, for element ids.
    pub fn code(self) -> &'static str {
        match self {
            ChecklistItem::LabsOrdered => "labs",
            ChecklistItem::RecordsRequested => "records",
            ChecklistItem::OutsideReportsReceived => "reports",
            ChecklistItem::FamilyCalled => "called",
        }
    }
}

choice_impl!(ChecklistItem);

impl Checklist {
    pub fn get(&self, item: ChecklistItem) -> bool {
        match item {
            ChecklistItem::LabsOrdered => self.labs_ordered,
            ChecklistItem::RecordsRequested => self.records_requested,
            ChecklistItem::OutsideReportsReceived => self.outside_reports_received,
            ChecklistItem::FamilyCalled => self.family_called,
        }
    }

    pub fn set(&mut self, item: ChecklistItem, done: bool) {
        match item {
            ChecklistItem::LabsOrdered => self.labs_ordered = done,
            ChecklistItem::RecordsRequested => self.records_requested = done,
            ChecklistItem::OutsideReportsReceived => self.outside_reports_received = done,
            ChecklistItem::FamilyCalled => self.family_called = done,
        }
    }

    /// How many of the items are done.
    pub fn done(&self) -> usize {
        ChecklistItem::ALL.iter().filter(|&&i| self.get(i)).count()
    }
}

/// A call made to prepare a visit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrevisitCall {
    pub at: Timestamp,
    #[serde(default)]
    pub by: String,
    pub outcome: OutreachOutcome,
    #[serde(default)]
    pub note: String,
}

/// A scheduled visit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Appointment {
    pub id: String,
    /// The record's revision: raised by one at each checked write (`model::revision`).
    #[serde(default)]
    pub rev: u64,
    pub patient_id: String,
    pub date: NaiveDate,
    /// Local time, minutes resolution.
    pub time: NaiveTime,
    #[serde(default)]
    pub provider: String,
    #[serde(default)]
    pub visit_type: String,
    #[serde(default)]
    pub checklist: Checklist,
    /// Pre-visit calls, oldest first.
    #[serde(default)]
    pub calls: Vec<PrevisitCall>,
    pub created_at: Timestamp,
}

impl Record for Appointment {
    const STORE: &'static str = "appointments";
    fn id(&self) -> &str {
        &self.id
    }
}

impl Appointment {
    /// "9:05 AM".
    pub fn time_text(&self) -> String {
        time_text(self.time)
    }
}

/// "9:05 AM", "12:30 PM".
pub fn time_text(t: NaiveTime) -> String {
    let (pm, h) = t.hour12();
    format!("{h}:{:02} {}", t.minute(), if pm { "PM" } else { "AM" })
}

/// Reads "09:30", "9:30", "14:05", "2:05 pm", "2 PM", "9:30:00": a time as
/// [`dates::read_time`] reads it, written as a schedule writes a clock time (minutes with
/// two digits, or an hour with am/pm; seconds only as ":00"; no words such as "noon", no
/// zone, no "24:00").
pub fn parse_time(s: &str) -> Option<NaiveTime> {
    let t = dates::read_time(s)?;
    let minutes = t.minute_digits == 2 || (t.minute_digits == 0 && t.meridiem);
    let seconds = t.second_digits == 0 || (t.second_digits == 2 && t.time.second() == 0);
    (minutes && seconds && !t.word && !t.zone && !t.end_of_day).then_some(t.time)
}
/// What the coordinator typed into the appointment form (or a CSV row).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AppointmentDraft {
    pub patient_id: String,
    pub date: String,
    pub time: String,
    pub provider: String,
    pub visit_type: String,
}

impl AppointmentDraft {
    /// Checks the draft; each problem is a sentence naming the field and value.
    pub fn validate(&self) -> Result<(NaiveDate, NaiveTime), Vec<String>> {
        let mut problems = Vec::new();
        if self.patient_id.trim().is_empty() {
            problems.push("Choose the patient.".to_string());
        }
        let date = match self.date.trim() {
            "" => {
                problems.push("Date is required.".into());
                None
            }
            s => match parse_date(s) {
                Some(d) if !dates::date_in_range(d) => {
                    problems.push(format!("{}.", dates::outside_range("Date", s)));
                    None
                }
                Some(d) => Some(d),
                None => {
                    problems.push(format!("Date '{s}' is not a date."));
                    None
                }
            },
        };
        let time = match self.time.trim() {
            "" => {
                problems.push("Time is required.".into());
                None
            }
            s => parse_time(s).or_else(|| {
                problems.push(format!("Time '{s}' is not a time of day (for example 9:30 or 2:15 PM)."));
                None
            }),
        };
        match (date, time) {
            (Some(d), Some(t)) if problems.is_empty() => Ok((d, t)),
            _ => Err(problems),
        }
    }

    /// A new appointment from a checked draft.
    pub fn into_new(self, id: String, date: NaiveDate, time: NaiveTime, now: Timestamp) -> Appointment {
        Appointment { rev: 0,
            id,
            patient_id: self.patient_id.trim().to_string(),
            date,
            time,
            provider: self.provider.trim().to_string(),
            visit_type: self.visit_type.trim().to_string(),
            checklist: Checklist::default(),
            calls: Vec::new(),
            created_at: now,
        }
    }
}

/// The appointments on `date`, by provider (alphabetical; no provider last) then time.
pub fn day_by_provider<'a>(appointments: impl IntoIterator<Item = &'a Appointment>, date: NaiveDate) -> Vec<(String, Vec<&'a Appointment>)> {
    let mut day: Vec<&Appointment> = appointments.into_iter().filter(|a| a.date == date).collect();
    day.sort_by(|a, b| {
        (a.provider.is_empty(), a.provider.to_lowercase(), a.time, &a.id).cmp(&(b.provider.is_empty(), b.provider.to_lowercase(), b.time, &b.id))
    });
    let mut out: Vec<(String, Vec<&Appointment>)> = Vec::new();
    for a in day {
        match out.last_mut() {
            Some((p, list)) if p.eq_ignore_ascii_case(&a.provider) => list.push(a),
            _ => out.push((a.provider.clone(), vec![a])),
        }
    }
    out
}

/// Whether `existing` already has this patient at this date and time (an import run twice).
pub fn is_duplicate(existing: &[Appointment], a: &Appointment) -> bool {
    existing.iter().any(|e| e.patient_id == a.patient_id && e.date == a.date && e.time == a.time)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn appt(id: &str, provider: &str, date: &str, h: u32) -> Appointment {
        let now: Timestamp = "2026-11-20T10:00:00Z".parse().unwrap();
        AppointmentDraft { patient_id: format!("p-{id}"), provider: provider.into(), ..Default::default() }.into_new(
            id.into(),
            date.parse().unwrap(),
            t(h, 0),
            now,
        )
    }

    #[test]
    fn times_are_read_in_the_forms_clinics_write() {
        assert_eq!(parse_time("09:30"), Some(t(9, 30)));
        assert_eq!(parse_time("9:30"), Some(t(9, 30)));
        assert_eq!(parse_time("14:05"), Some(t(14, 5)));
        assert_eq!(parse_time("2:05 pm"), Some(t(14, 5)));
        assert_eq!(parse_time("2 PM"), Some(t(14, 0)));
        assert_eq!(parse_time("12:15 AM"), Some(t(0, 15)));
        assert_eq!(parse_time("12:15 pm"), Some(t(12, 15)));
        assert_eq!(parse_time("9:30:00"), Some(t(9, 30)));
        for bad in ["", "25:00", "9", "9:3", "13 pm", "noon", "9:30:15", "0 am"] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
        assert_eq!(time_text(t(9, 5)), "9:05 AM");
        assert_eq!(time_text(t(12, 30)), "12:30 PM");
        assert_eq!(time_text(t(0, 0)), "12:00 AM");
    }

    #[test]
    fn the_form_names_each_bad_field() {
        let d = AppointmentDraft { patient_id: "".into(), date: "2026-02-30".into(), time: "25:00".into(), ..Default::default() };
        assert_eq!(
            d.validate().unwrap_err(),
            vec![
                "Choose the patient.".to_string(),
                "Date '2026-02-30' is not a date.".into(),
                "Time '25:00' is not a time of day (for example 9:30 or 2:15 PM).".into()
            ]
        );
        let ok = AppointmentDraft { patient_id: "p".into(), date: "11/23/2026".into(), time: "8:00".into(), ..Default::default() };
        assert_eq!(ok.validate(), Ok(("2026-11-23".parse().unwrap(), t(8, 0))));
    }

    #[test]
    fn a_day_is_grouped_by_provider_then_time() {
        let list = [
            appt("1", "Dr. Shah", "2026-11-23", 10),
            appt("2", "Dr. Adams", "2026-11-23", 11),
            appt("3", "", "2026-11-23", 8),
            appt("4", "dr. shah", "2026-11-23", 9),
            appt("5", "Dr. Adams", "2026-11-24", 9),
        ];
        let day = day_by_provider(&list, "2026-11-23".parse().unwrap());
        let shape: Vec<(String, Vec<&str>)> = day.iter().map(|(p, l)| (p.clone(), l.iter().map(|a| a.id.as_str()).collect())).collect();
        assert_eq!(
            shape,
            vec![("Dr. Adams".to_string(), vec!["2"]), ("dr. shah".to_string(), vec!["4", "1"]), ("".to_string(), vec!["3"])]
        );
    }

    #[test]
    fn the_checklist_counts_what_is_done() {
        let mut c = Checklist::default();
        assert_eq!(c.done(), 0);
        c.set(ChecklistItem::LabsOrdered, true);
        c.set(ChecklistItem::FamilyCalled, true);
        assert_eq!(c.done(), 2);
        assert!(c.get(ChecklistItem::FamilyCalled) && !c.get(ChecklistItem::RecordsRequested));
        let back: Checklist = serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
        assert_eq!(back, c);
        // An appointment stored before the checklist existed still loads.
        let old = r#"{"id":"a","patient_id":"p","date":"2026-11-23","time":"09:30:00","created_at":"2026-11-20T10:00:00Z"}"#;
        let a: Appointment = serde_json::from_str(old).unwrap();
        assert_eq!(a.checklist, Checklist::default());
        assert!(is_duplicate(std::slice::from_ref(&a), &a));
    }
}
