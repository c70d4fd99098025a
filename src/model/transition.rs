//! Transitions of care: a hospital or emergency stay, from the admission to the end of the
//! 30 days after discharge, with the clocks the coordinator works to (Transitional Care
//! Management, `DOMAIN.md`).
//!
//! The clocks ([`clocks`]), each due, met or missed on "today":
//! - while admitted, a call every day, then every week once the stay is a week old (any
//!   contact logged for the patient but a letter counts as the call);
//! - after discharge, an interactive contact with the patient or caregiver within 2
//!   business days, the discharge day included (`Contact::is_interactive`); two attempts
//!   logged in that time (`Contact::is_attempt`) count as the effort;
//! - a face-to-face visit by day 7 after discharge (high complexity, 99496) or day 14
//!   (99495);
//! - medication reconciliation by the visit date (by the visit's deadline while no visit
//!   is set);
//! - the discharge summary received within 2 business days, and routed to the provider by
//!   the visit (as the reconciliation);
//! - the 30-day period, which ends on discharge + 29 days (the discharge day is day 1).
//!
//! Business days skip Saturdays, Sundays and the clinic's holidays ([`add_business_days`]).
//! Dates are local calendar dates, as a contact's are.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use super::contact::{Contact, ContactMethod};
use super::dates;
use super::encounter::{Encounter, EncounterClass};
use super::{Record, Timestamp};

/// Business days after discharge for the interactive contact (and the summary).
pub const CONTACT_BUSINESS_DAYS: u32 = 2;
/// Days after discharge for the face-to-face visit of a high-complexity transition (99496).
pub const VISIT_DAYS_HIGH: u64 = 7;
/// Days after discharge for the face-to-face visit otherwise (99495).
pub const VISIT_DAYS: u64 = 14;
/// The days of the transitional care period, the discharge day included.
pub const PERIOD_DAYS: u64 = 30;
/// Calls while admitted are daily for this many days, then weekly.
pub const DAILY_CALL_DAYS: i64 = 7;

/// Places a patient goes on discharge, offered in the form (any other text is allowed).
pub const DISCHARGE_PLACES: [&str; 6] = ["Home", "Home with home health", "Skilled nursing facility", "Rehabilitation facility", "Another hospital", "Hospice"];

const TEXT_MAX: usize = 200;
const REASON_MAX: usize = 1_000;

/// One stay of a patient and what follows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transition {
    pub id: String,
    /// The record's revision: raised by one at each checked write (`model::revision`).
    #[serde(default)]
    pub rev: u64,
    pub patient_id: String,
    /// The hospital or facility (empty when an imported encounter did not name it).
    #[serde(default)]
    pub facility: String,
    pub admitted: NaiveDate,
    #[serde(default)]
    pub reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discharged: Option<NaiveDate>,
    /// Where the patient went: home, a skilled nursing facility…
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub discharged_to: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary_received: Option<NaiveDate>,
    /// The date the discharge summary was passed to the provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary_routed: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub med_rec_done: Option<NaiveDate>,
    /// The face-to-face visit after discharge (held, or booked when after today).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visit_date: Option<NaiveDate>,
    /// High complexity: the visit is due by day 7 (99496) instead of day 14 (99495).
    #[serde(default)]
    pub high_complexity: bool,
    /// The encounter (its CareCoord id) this transition was made from; empty when recorded
    /// by hand.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source_id: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Record for Transition {
    const STORE: &'static str = "transitions";
    fn id(&self) -> &str {
        &self.id
    }
}

fn plus_days(d: NaiveDate, n: u64) -> NaiveDate {
    d.checked_add_days(Days::new(n)).unwrap_or(NaiveDate::MAX)
}

/// Whether `d` is a business day: Monday to Friday and not one of `holidays`.
pub fn is_business_day(d: NaiveDate, holidays: &[NaiveDate]) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !holidays.contains(&d)
}

/// `d` plus `n` business days (see [`is_business_day`]): from a Friday, 1 is the Monday and
/// 2 the Tuesday; a holiday Monday moves them on by a day. `n = 0` gives `d` itself.
pub fn add_business_days(d: NaiveDate, n: u32, holidays: &[NaiveDate]) -> NaiveDate {
    let mut day = d;
    let mut left = n;
    while left > 0 && day < NaiveDate::MAX {
        day = plus_days(day, 1);
        if is_business_day(day, holidays) {
            left -= 1;
        }
    }
    day
}

/// What a clock is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ClockKind {
    /// While admitted: the next daily (weekly after a week) call.
    AdmittedCall,
    InteractiveContact,
    /// The face-to-face visit by day 7 (99496).
    VisitHigh,
    /// The face-to-face visit by day 14 (99495).
    Visit,
    MedicationReconciliation,
    SummaryReceived,
    SummaryRouted,
    PeriodEnds,
}

impl ClockKind {
    pub const ALL: [ClockKind; 8] = [
        ClockKind::AdmittedCall,
        ClockKind::InteractiveContact,
        ClockKind::VisitHigh,
        ClockKind::Visit,
        ClockKind::MedicationReconciliation,
        ClockKind::SummaryReceived,
        ClockKind::SummaryRouted,
        ClockKind::PeriodEnds,
    ];

    /// A short stable code (work-queue keys, element ids).
    pub fn code(self) -> &'static str {
        match self {
            ClockKind::AdmittedCall => "call",
            ClockKind::InteractiveContact => "contact",
            ClockKind::VisitHigh => "visit_7",
            ClockKind::Visit => "visit_14",
            ClockKind::MedicationReconciliation => "med_rec",
            ClockKind::SummaryReceived => "summary_received",
            ClockKind::SummaryRouted => "summary_routed",
            ClockKind::PeriodEnds => "period_ends",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ClockKind::AdmittedCall => "Call while admitted",
            ClockKind::InteractiveContact => "Interactive contact within 2 business days",
            ClockKind::VisitHigh => "Face-to-face visit by day 7 (99496)",
            ClockKind::Visit => "Face-to-face visit by day 14 (99495)",
            ClockKind::MedicationReconciliation => "Medication reconciliation by the visit",
            ClockKind::SummaryReceived => "Discharge summary received",
            ClockKind::SummaryRouted => "Discharge summary routed to the provider",
            ClockKind::PeriodEnds => "30-day period ends",
        }
    }
}

super::choice::choice_impl!(ClockKind);

/// Where a clock stands on "today".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ClockState {
    /// Not done yet, and the due date has not passed.
    Due,
    /// Done on this date, in time (for the call while admitted: the last call, the next
    /// being due later; for the period: the day it ended).
    Met(NaiveDate),
    /// The due date passed without it, or it was done late.
    Missed,
}

impl ClockState {
    /// "Due", "Met on 23 Nov 2026", "Missed".
    pub fn label(self) -> String {
        match self {
            ClockState::Due => "Due".into(),
            ClockState::Met(d) => format!("Met on {}", dates::short(d)),
            ClockState::Missed => "Missed".into(),
        }
    }
}

/// One clock of a transition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Clock {
    pub kind: ClockKind,
    pub due: NaiveDate,
    pub state: ClockState,
}

impl Clock {
    /// On the work queue: not met, and due today or before.
    pub fn needs_action(&self, today: NaiveDate) -> bool {
        !matches!(self.state, ClockState::Met(_)) && self.due <= today
    }
}

/// A deadline clock: met when `done` is on or before `due`, missed when done after it or
/// not done once it has passed, due otherwise.
fn deadline(kind: ClockKind, due: NaiveDate, done: Option<NaiveDate>, today: NaiveDate) -> Clock {
    let state = match done {
        Some(d) if d <= due => ClockState::Met(d),
        Some(_) => ClockState::Missed,
        None if today > due => ClockState::Missed,
        None => ClockState::Due,
    };
    Clock { kind, due, state }
}

impl Transition {
    /// A stay just begun: admitted on `admitted`, nothing after it recorded yet.
    fn admitted(id: String, patient_id: &str, facility: String, admitted: NaiveDate, reason: String, now: Timestamp) -> Transition {
        Transition {
            id,
            rev: 0,
            patient_id: patient_id.to_string(),
            facility,
            admitted,
            reason,
            discharged: None,
            discharged_to: String::new(),
            summary_received: None,
            summary_routed: None,
            med_rec_done: None,
            visit_date: None,
            high_complexity: false,
            source_id: String::new(),
            created_at: now,
            updated_at: now,
        }
    }

    /// The last day of the 30-day period (discharge + 29 days); `None` while admitted.
    pub fn period_end(&self) -> Option<NaiveDate> {
        self.discharged.map(|d| plus_days(d, PERIOD_DAYS - 1))
    }

    /// Still followed on `today`: admitted, or within the 30 days after discharge.
    pub fn is_open(&self, today: NaiveDate) -> bool {
        self.period_end().is_none_or(|end| today <= end)
    }

    /// The face-to-face visit's deadline (day 7 or 14 after discharge).
    pub fn visit_due(&self) -> Option<NaiveDate> {
        self.discharged.map(|d| plus_days(d, if self.high_complexity { VISIT_DAYS_HIGH } else { VISIT_DAYS }))
    }

    /// What is wrong with a stored transition (a backup's): dates out of order, or steps
    /// after discharge without a discharge.
    pub fn check(&self) -> Result<(), String> {
        let Some(d) = self.discharged else {
            if self.summary_received.or(self.summary_routed).or(self.med_rec_done).or(self.visit_date).is_some() {
                return Err("it records steps after discharge but no discharge".into());
            }
            return Ok(());
        };
        if d < self.admitted {
            return Err(format!("discharged {d} is before the admission ({})", self.admitted));
        }
        if self.summary_routed.is_some() && self.summary_received.is_none() {
            return Err("the summary is routed but was never received".into());
        }
        Ok(())
    }

    /// The transition with `step` set to the date typed in `text` (empty clears it), or why
    /// not: steps follow the discharge; only the visit may be after `today` (booked); the
    /// summary is routed after it is received.
    pub fn record_step(&self, step: Step, text: &str, today: NaiveDate, now: Timestamp) -> Result<Transition, String> {
        let Some(discharged) = self.discharged else {
            return Err("Record the discharge first.".into());
        };
        let label = step.label();
        let not_after = (step != Step::Visit).then_some(today);
        let date = dates::date_field(label, text, not_after)?;
        if let Some(d) = date.filter(|d| *d < discharged) {
            return Err(format!("{label} {d} is before the discharge ({discharged})."));
        }
        let mut t = self.clone();
        match step {
            Step::SummaryReceived => {
                if let (Some(routed), received) = (t.summary_routed, date) {
                    if received.is_none_or(|r| r > routed) {
                        return Err(format!("The summary was routed to the provider on {routed}: change that date first."));
                    }
                }
                t.summary_received = date;
            }
            Step::SummaryRouted => {
                match (t.summary_received, date) {
                    (None, Some(_)) => return Err("Record the date the summary was received first.".into()),
                    (Some(received), Some(d)) if d < received => {
                        return Err(format!("{label} {d} is before the summary was received ({received})."))
                    }
                    _ => {}
                }
                t.summary_routed = date;
            }
            Step::MedicationReconciled => t.med_rec_done = date,
            Step::Visit => t.visit_date = date,
        }
        t.updated_at = now;
        Ok(t)
    }
}

/// The steps after discharge that the coordinator records with a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Step {
    SummaryReceived,
    SummaryRouted,
    MedicationReconciled,
    Visit,
}

impl Step {
    pub const ALL: [Step; 4] = [Step::SummaryReceived, Step::SummaryRouted, Step::MedicationReconciled, Step::Visit];

    pub fn code(self) -> &'static str {
        match self {
            Step::SummaryReceived => "summary_received",
            Step::SummaryRouted => "summary_routed",
            Step::MedicationReconciled => "med_rec_done",
            Step::Visit => "visit_date",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Step::SummaryReceived => "Summary received",
            Step::SummaryRouted => "Routed to the provider",
            Step::MedicationReconciled => "Medications reconciled",
            Step::Visit => "Face-to-face visit",
        }
    }
}

super::choice::choice_impl!(Step);

/// The clocks of `t` on `today` (see the module notes), from the patient's contacts
/// (contacts of other patients are ignored) and the clinic's `holidays`. While admitted,
/// only the call; after discharge, the rest in the order of the list.
pub fn clocks(t: &Transition, contacts: &[Contact], today: NaiveDate, holidays: &[NaiveDate]) -> Vec<Clock> {
    let mine = || contacts.iter().filter(|c| c.patient_id == t.patient_id);
    let Some(discharged) = t.discharged else {
        let last_call = mine().filter(|c| c.method != ContactMethod::Letter && c.date >= t.admitted && c.date <= today).map(|c| c.date).max();
        let base = last_call.unwrap_or(t.admitted);
        let every = if (base - t.admitted).num_days() < DAILY_CALL_DAYS { 1 } else { 7 };
        let due = plus_days(base, every);
        let state = match (last_call, due) {
            (Some(last), due) if due > today => ClockState::Met(last),
            (_, due) if due >= today => ClockState::Due,
            _ => ClockState::Missed,
        };
        return vec![Clock { kind: ClockKind::AdmittedCall, due, state }];
    };

    let contact_due = add_business_days(discharged, CONTACT_BUSINESS_DAYS, holidays);
    let mut in_window: Vec<&Contact> = mine().filter(|c| c.date >= discharged && c.date <= contact_due).collect();
    in_window.sort_by_key(|c| c.sort_key());
    let reached = in_window.iter().find(|c| c.is_interactive()).map(|c| c.date);
    let second_attempt = in_window.iter().filter(|c| c.is_attempt()).nth(1).map(|c| c.date);
    let interactive = deadline(ClockKind::InteractiveContact, contact_due, reached.or(second_attempt), today);

    let visit_due = t.visit_due().unwrap_or(discharged);
    let visit_kind = if t.high_complexity { ClockKind::VisitHigh } else { ClockKind::Visit };
    let visit = deadline(visit_kind, visit_due, t.visit_date.filter(|v| *v <= today), today);
    // A visit booked after its deadline is already missed.
    let visit = match t.visit_date {
        Some(v) if v > visit_due => Clock { state: ClockState::Missed, ..visit },
        _ => visit,
    };
    let by_visit = t.visit_date.unwrap_or(visit_due);

    vec![
        interactive,
        visit,
        deadline(ClockKind::MedicationReconciliation, by_visit, t.med_rec_done, today),
        deadline(ClockKind::SummaryReceived, contact_due, t.summary_received, today),
        deadline(ClockKind::SummaryRouted, by_visit, t.summary_routed, today),
        {
            let end = t.period_end().unwrap_or(discharged);
            Clock { kind: ClockKind::PeriodEnds, due: end, state: if today > end { ClockState::Met(end) } else { ClockState::Due } }
        },
    ]
}

/// A transition made from an imported emergency or inpatient encounter (`None` for any
/// other class): admitted on its start, discharged on its stop when it has one, the reason
/// the file gives (else the encounter's description), the facility left for the
/// coordinator. `local_date` turns the file's UTC times into the coordinator's dates.
pub fn from_encounter(e: &Encounter, id: String, local_date: impl Fn(Timestamp) -> NaiveDate, now: Timestamp) -> Option<Transition> {
    if !matches!(e.class, EncounterClass::Emergency | EncounterClass::Inpatient) {
        return None;
    }
    let admitted = local_date(e.start);
    let reason = if e.reason.trim().is_empty() { e.description.trim() } else { e.reason.trim() };
    let mut t = Transition::admitted(id, &e.patient_id, String::new(), admitted, reason.to_string(), now);
    t.discharged = e.stop.map(&local_date).map(|d| d.max(admitted));
    t.source_id = e.id.clone();
    Some(t)
}

/// The fields of the admission and discharge forms, for messages shown next to a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TransitionField {
    Facility,
    Admitted,
    Reason,
    Discharged,
    DischargedTo,
    SummaryReceived,
}

/// The **Record admission** form as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AdmissionDraft {
    pub facility: String,
    pub admitted: String,
    pub reason: String,
}

/// A checked admission.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidAdmission {
    pub facility: String,
    pub admitted: NaiveDate,
    pub reason: String,
}

fn required_date(errors: &mut Vec<(TransitionField, String)>, field: TransitionField, label: &str, text: &str, today: NaiveDate) -> Option<NaiveDate> {
    match dates::date_field(label, text, Some(today)) {
        Ok(Some(d)) => Some(d),
        Ok(None) => {
            errors.push((field, format!("{label} is required.")));
            None
        }
        Err(e) => {
            errors.push((field, e));
            None
        }
    }
}

impl AdmissionDraft {
    /// The facility and the date are required, the date not after `today`.
    pub fn validate(&self, today: NaiveDate) -> Result<ValidAdmission, Vec<(TransitionField, String)>> {
        use TransitionField as F;
        let mut errors = Vec::new();
        let facility = self.facility.trim().to_string();
        if facility.is_empty() {
            errors.push((F::Facility, "Facility is required.".into()));
        } else if facility.chars().count() > TEXT_MAX {
            errors.push((F::Facility, format!("Facility is longer than {TEXT_MAX} characters.")));
        }
        let admitted = required_date(&mut errors, F::Admitted, "Date admitted", &self.admitted, today);
        let reason = self.reason.trim().to_string();
        if reason.chars().count() > REASON_MAX {
            errors.push((F::Reason, "Reason is longer than 1,000 characters.".into()));
        }
        match admitted {
            Some(admitted) if errors.is_empty() => Ok(ValidAdmission { facility, admitted, reason }),
            _ => Err(errors),
        }
    }
}

impl ValidAdmission {
    /// A new transition of `patient_id`, admitted.
    pub fn into_new(self, id: String, patient_id: &str, now: Timestamp) -> Transition {
        Transition::admitted(id, patient_id.trim(), self.facility, self.admitted, self.reason, now)
    }
}

/// The **Record discharge** form as typed: the date, where to, the date the summary was
/// received (empty: not yet) and whether the transition is of high complexity.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DischargeDraft {
    pub discharged: String,
    pub discharged_to: String,
    pub summary_received: String,
    pub high_complexity: bool,
}

/// A checked discharge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidDischarge {
    pub discharged: NaiveDate,
    pub discharged_to: String,
    pub summary_received: Option<NaiveDate>,
    pub high_complexity: bool,
}

impl Transition {
    /// The discharge form filled from this transition (empty while admitted).
    pub fn discharge_draft(&self) -> DischargeDraft {
        DischargeDraft {
            discharged: self.discharged.map(|d| d.to_string()).unwrap_or_default(),
            discharged_to: self.discharged_to.clone(),
            summary_received: self.summary_received.map(|d| d.to_string()).unwrap_or_default(),
            high_complexity: self.high_complexity,
        }
    }
}

impl DischargeDraft {
    /// The date is required, not after `today` nor before the admission; the summary not
    /// after `today` nor before the discharge.
    pub fn validate(&self, t: &Transition, today: NaiveDate) -> Result<ValidDischarge, Vec<(TransitionField, String)>> {
        use TransitionField as F;
        let mut errors = Vec::new();
        let discharged = required_date(&mut errors, F::Discharged, "Date discharged", &self.discharged, today);
        if let Some(d) = discharged.filter(|d| *d < t.admitted) {
            errors.push((F::Discharged, format!("Date discharged {d} is before the admission ({}).", t.admitted)));
        }
        let discharged_to = self.discharged_to.trim().to_string();
        if discharged_to.chars().count() > TEXT_MAX {
            errors.push((F::DischargedTo, format!("Discharged to is longer than {TEXT_MAX} characters.")));
        }
        let summary_received = match dates::date_field("Summary received", &self.summary_received, Some(today)) {
            Ok(Some(s)) if discharged.is_some_and(|d| s < d) => {
                errors.push((F::SummaryReceived, format!("Summary received {s} is before the discharge ({}).", discharged.unwrap_or(s))));
                None
            }
            Ok(s) => s,
            Err(e) => {
                errors.push((F::SummaryReceived, e));
                None
            }
        };
        match discharged {
            Some(discharged) if errors.is_empty() => {
                Ok(ValidDischarge { discharged, discharged_to, summary_received, high_complexity: self.high_complexity })
            }
            _ => Err(errors),
        }
    }
}

impl ValidDischarge {
    /// `t` discharged at `now`. A summary already recorded stays when the form leaves it
    /// empty.
    pub fn apply_to(self, t: &Transition, now: Timestamp) -> Transition {
        let mut out = t.clone();
        out.discharged = Some(self.discharged);
        out.discharged_to = self.discharged_to;
        out.summary_received = self.summary_received.or(t.summary_received);
        out.high_complexity = self.high_complexity;
        out.updated_at = now;
        out
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::contact::tests::contact;
    use crate::model::contact::{ContactOutcome, Direction, Party};
    use crate::model::patient::tests::{at, day};
    use crate::model::revision::Revised;

    /// A transition of patient "p" at General Hospital, admitted on `admitted`, discharged
    /// on `discharged` when given.
    pub(crate) fn stay(admitted: NaiveDate, discharged: Option<NaiveDate>) -> Transition {
        let a = AdmissionDraft { facility: "General Hospital".into(), admitted: admitted.to_string(), reason: "CHF exacerbation".into() };
        let t = a.validate(day(2100, 1, 1)).unwrap().into_new(format!("t-{admitted}"), "p", at(2026, 1, 1));
        match discharged {
            None => t,
            Some(d) => DischargeDraft { discharged: d.to_string(), ..Default::default() }.validate(&t, day(2100, 1, 1)).unwrap().apply_to(&t, at(2026, 1, 1)),
        }
    }

    fn call(date: NaiveDate, outcome: ContactOutcome) -> Contact {
        Contact { outcome, ..contact("p", date, "", 5) }
    }

    fn clock(clocks: &[Clock], kind: ClockKind) -> Clock {
        *clocks.iter().find(|c| c.kind == kind).unwrap()
    }

    #[test]
    fn business_days_skip_weekends_and_holidays() {
        // 2026-11-20 is a Friday; 2026-11-26 Thanksgiving (a Thursday).
        let fri = day(2026, 11, 20);
        assert_eq!(add_business_days(fri, 0, &[]), fri);
        assert_eq!(add_business_days(fri, 1, &[]), day(2026, 11, 23));
        assert_eq!(add_business_days(fri, 2, &[]), day(2026, 11, 24));
        assert_eq!(add_business_days(day(2026, 11, 21), 1, &[]), day(2026, 11, 23), "from a Saturday");
        assert_eq!(add_business_days(day(2026, 11, 19), 2, &[]), day(2026, 11, 23), "Thursday + 2 is Monday");
        let thanksgiving = [day(2026, 11, 26), day(2026, 11, 27)];
        assert_eq!(add_business_days(day(2026, 11, 25), 2, &thanksgiving), day(2026, 12, 1));
        assert_eq!(add_business_days(fri, 1, &[day(2026, 11, 23)]), day(2026, 11, 24), "a holiday Monday");
        assert!(is_business_day(day(2026, 11, 25), &thanksgiving) && !is_business_day(day(2026, 11, 26), &thanksgiving));
        assert!(!is_business_day(day(2026, 11, 22), &[]));
        assert_eq!(add_business_days(NaiveDate::MAX, 3, &[]), NaiveDate::MAX, "never panics");
        // The referral clocks use the same count, without holidays.
        for n in 0..10 {
            assert_eq!(crate::model::referral::add_business_days(fri, n), add_business_days(fri, n, &[]));
        }
    }

    #[test]
    fn an_interactive_contact_within_two_business_days() {
        // Discharged Friday 20 November: the contact is due Tuesday 24th.
        let t = stay(day(2026, 11, 16), Some(day(2026, 11, 20)));
        let on = |today, contacts: &[Contact]| clock(&clocks(&t, contacts, today, &[]), ClockKind::InteractiveContact);
        let due = Clock { kind: ClockKind::InteractiveContact, due: day(2026, 11, 24), state: ClockState::Due };
        assert_eq!(on(day(2026, 11, 23), &[]), due);
        assert_eq!(on(day(2026, 11, 24), &[]), due, "due on the day itself");
        assert_eq!(on(day(2026, 11, 25), &[]).state, ClockState::Missed);
        // Reached the patient on the Monday.
        let reached = [call(day(2026, 11, 23), ContactOutcome::Reached)];
        assert_eq!(on(day(2026, 11, 30), &reached).state, ClockState::Met(day(2026, 11, 23)));
        // A call on the discharge day counts; one the day before does not.
        assert_eq!(on(day(2026, 11, 30), &[call(day(2026, 11, 20), ContactOutcome::Reached)]).state, ClockState::Met(day(2026, 11, 20)));
        assert_eq!(on(day(2026, 11, 30), &[call(day(2026, 11, 19), ContactOutcome::Reached)]).state, ClockState::Missed);
        // Reached too late.
        assert_eq!(on(day(2026, 11, 30), &[call(day(2026, 11, 25), ContactOutcome::Reached)]).state, ClockState::Missed);
        // Two attempts count as the effort; one does not.
        let one = [call(day(2026, 11, 23), ContactOutcome::NoAnswer)];
        assert_eq!(on(day(2026, 11, 23), &one).state, ClockState::Due);
        assert_eq!(on(day(2026, 11, 25), &one).state, ClockState::Missed);
        let two = [call(day(2026, 11, 24), ContactOutcome::LeftMessage), call(day(2026, 11, 23), ContactOutcome::NoAnswer)];
        assert_eq!(on(day(2026, 11, 25), &two).state, ClockState::Met(day(2026, 11, 24)), "met on the second attempt");
        // A call with the pharmacy, or another patient's, is not the contact.
        let other = [Contact { with: Party::Pharmacy, ..call(day(2026, 11, 23), ContactOutcome::Reached) }, contact("q", day(2026, 11, 23), "", 5)];
        assert_eq!(on(day(2026, 11, 25), &other).state, ClockState::Missed);
        // A holiday moves the due date.
        assert_eq!(clock(&clocks(&t, &[], day(2026, 11, 23), &[day(2026, 11, 23)]), ClockKind::InteractiveContact).due, day(2026, 11, 25));
    }

    #[test]
    fn a_discharge_two_business_days_ago_with_no_contact_is_missed_the_day_after() {
        // Discharged Wednesday 18th; today is Friday 20th, two business days later: due
        // today. On Monday 23rd it is missed.
        let t = stay(day(2026, 11, 15), Some(day(2026, 11, 18)));
        let c = clock(&clocks(&t, &[], day(2026, 11, 20), &[]), ClockKind::InteractiveContact);
        assert_eq!((c.due, c.state), (day(2026, 11, 20), ClockState::Due));
        assert!(c.needs_action(day(2026, 11, 20)));
        let c = clock(&clocks(&t, &[], day(2026, 11, 23), &[]), ClockKind::InteractiveContact);
        assert_eq!(c.state, ClockState::Missed);
        assert!(c.needs_action(day(2026, 11, 23)));
    }

    #[test]
    fn the_visit_by_day_7_or_14_and_the_reconciliation_by_the_visit() {
        let mut t = stay(day(2026, 11, 1), Some(day(2026, 11, 2)));
        let today = day(2026, 11, 10);
        let visit = clock(&clocks(&t, &[], today, &[]), ClockKind::Visit);
        assert_eq!((visit.due, visit.state), (day(2026, 11, 16), ClockState::Due));
        t.high_complexity = true;
        let all = clocks(&t, &[], today, &[]);
        assert_eq!(clock(&all, ClockKind::VisitHigh), Clock { kind: ClockKind::VisitHigh, due: day(2026, 11, 9), state: ClockState::Missed });
        assert!(all.iter().all(|c| c.kind != ClockKind::Visit));
        assert_eq!(clock(&all, ClockKind::MedicationReconciliation).due, day(2026, 11, 9), "by the visit's deadline while none is set");
        // A visit on day 7 meets it; the reconciliation is then due by the visit date.
        t.visit_date = Some(day(2026, 11, 8));
        t.med_rec_done = Some(day(2026, 11, 8));
        let all = clocks(&t, &[], today, &[]);
        assert_eq!(clock(&all, ClockKind::VisitHigh).state, ClockState::Met(day(2026, 11, 8)));
        assert_eq!(clock(&all, ClockKind::MedicationReconciliation), Clock { kind: ClockKind::MedicationReconciliation, due: day(2026, 11, 8), state: ClockState::Met(day(2026, 11, 8)) });
        t.med_rec_done = Some(day(2026, 11, 9));
        assert_eq!(clock(&clocks(&t, &[], today, &[]), ClockKind::MedicationReconciliation).state, ClockState::Missed, "after the visit");
        // A visit booked ahead is due until it happens; booked past the deadline, missed.
        t.visit_date = Some(day(2026, 11, 9));
        assert_eq!(clock(&clocks(&t, &[], day(2026, 11, 5), &[]), ClockKind::VisitHigh).state, ClockState::Due);
        t.visit_date = Some(day(2026, 11, 12));
        assert_eq!(clock(&clocks(&t, &[], day(2026, 11, 5), &[]), ClockKind::VisitHigh).state, ClockState::Missed);
    }

    #[test]
    fn the_summary_and_the_period() {
        let mut t = stay(day(2026, 11, 1), Some(day(2026, 11, 2)));
        let all = clocks(&t, &[], day(2026, 11, 3), &[]);
        assert_eq!(all.iter().map(|c| c.kind).collect::<Vec<_>>(), [
            ClockKind::InteractiveContact,
            ClockKind::Visit,
            ClockKind::MedicationReconciliation,
            ClockKind::SummaryReceived,
            ClockKind::SummaryRouted,
            ClockKind::PeriodEnds
        ]);
        assert_eq!(clock(&all, ClockKind::SummaryReceived).due, day(2026, 11, 4), "2 business days");
        assert_eq!(clock(&all, ClockKind::SummaryRouted).due, day(2026, 11, 16), "by the visit");
        t.summary_received = Some(day(2026, 11, 3));
        t.summary_routed = Some(day(2026, 11, 5));
        let all = clocks(&t, &[], day(2026, 11, 6), &[]);
        assert_eq!(clock(&all, ClockKind::SummaryReceived).state, ClockState::Met(day(2026, 11, 3)));
        assert_eq!(clock(&all, ClockKind::SummaryRouted).state, ClockState::Met(day(2026, 11, 5)));
        // 30 days, the discharge day being the first: 2 November to 1 December.
        assert_eq!(t.period_end(), Some(day(2026, 12, 1)));
        let end = |today| clock(&clocks(&t, &[], today, &[]), ClockKind::PeriodEnds);
        assert_eq!((end(day(2026, 12, 1)).due, end(day(2026, 12, 1)).state), (day(2026, 12, 1), ClockState::Due));
        assert_eq!(end(day(2026, 12, 2)).state, ClockState::Met(day(2026, 12, 1)));
        assert!(t.is_open(day(2026, 12, 1)) && !t.is_open(day(2026, 12, 2)));
    }

    #[test]
    fn calls_while_admitted_are_daily_then_weekly() {
        let t = stay(day(2026, 11, 1), None);
        let on = |today, contacts: &[Contact]| clocks(&t, contacts, today, &[]);
        assert_eq!(on(day(2026, 11, 1), &[]), vec![Clock { kind: ClockKind::AdmittedCall, due: day(2026, 11, 2), state: ClockState::Due }]);
        assert_eq!(on(day(2026, 11, 2), &[])[0].state, ClockState::Due);
        assert_eq!(on(day(2026, 11, 3), &[])[0].state, ClockState::Missed);
        // Called on the 3rd: the next call is due the 4th.
        let called = [Contact { direction: Direction::Incoming, ..call(day(2026, 11, 3), ContactOutcome::Reached) }];
        assert_eq!(on(day(2026, 11, 3), &called)[0], Clock { kind: ClockKind::AdmittedCall, due: day(2026, 11, 4), state: ClockState::Met(day(2026, 11, 3)) });
        assert_eq!(on(day(2026, 11, 4), &called)[0].state, ClockState::Due);
        // After a week, weekly.
        let week = [call(day(2026, 11, 8), ContactOutcome::Reached)];
        assert_eq!(on(day(2026, 11, 9), &week)[0].due, day(2026, 11, 15));
        assert_eq!(on(day(2026, 11, 16), &week)[0].state, ClockState::Missed);
        // A letter is not a call.
        let letter = [Contact { method: ContactMethod::Letter, ..call(day(2026, 11, 3), ContactOutcome::Completed) }];
        assert_eq!(on(day(2026, 11, 3), &letter)[0].state, ClockState::Missed);
        assert!(t.is_open(day(2030, 1, 1)), "open while admitted");
    }

    #[test]
    fn admission_and_discharge_forms() {
        let today = day(2026, 11, 23);
        let errs = AdmissionDraft { facility: " ".into(), admitted: "2026-11-24".into(), reason: String::new() }.validate(today).unwrap_err();
        assert_eq!(errs, vec![
            (TransitionField::Facility, "Facility is required.".to_string()),
            (TransitionField::Admitted, "Date admitted 2026-11-24 is in the future.".to_string())
        ]);
        assert_eq!(AdmissionDraft { facility: "MGH".into(), ..Default::default() }.validate(today).unwrap_err()[0].1, "Date admitted is required.");
        let t = AdmissionDraft { facility: " MGH ".into(), admitted: "11/20/2026".into(), reason: " fall ".into() }.validate(today).unwrap().into_new("t1".into(), "p", at(2026, 11, 23));
        assert_eq!((t.facility.as_str(), t.admitted, t.reason.as_str(), t.discharged), ("MGH", day(2026, 11, 20), "fall", None));
        assert_eq!(t.discharge_draft(), DischargeDraft::default());

        let d = |date: &str, summary: &str| DischargeDraft { discharged: date.into(), discharged_to: " Home ".into(), summary_received: summary.into(), high_complexity: true };
        assert_eq!(d("2026-11-19", "").validate(&t, today).unwrap_err(), vec![(TransitionField::Discharged, "Date discharged 2026-11-19 is before the admission (2026-11-20).".to_string())]);
        assert_eq!(d("", "").validate(&t, today).unwrap_err()[0].1, "Date discharged is required.");
        assert_eq!(d("2026-11-21", "2026-11-20").validate(&t, today).unwrap_err(), vec![(TransitionField::SummaryReceived, "Summary received 2026-11-20 is before the discharge (2026-11-21).".to_string())]);
        assert_eq!(d("2026-11-21", "2026-11-24").validate(&t, today).unwrap_err()[0].1, "Summary received 2026-11-24 is in the future.");
        let out = d("2026-11-21", "2026-11-22").validate(&t, today).unwrap().apply_to(&t, at(2026, 11, 23));
        assert_eq!((out.discharged, out.discharged_to.as_str(), out.summary_received, out.high_complexity), (Some(day(2026, 11, 21)), "Home", Some(day(2026, 11, 22)), true));
        assert_eq!(out.discharge_draft().validate(&out, today).unwrap().apply_to(&out, at(2026, 11, 23)), out);
        let again = d("2026-11-21", "").validate(&out, today).unwrap().apply_to(&out, at(2026, 11, 24));
        assert_eq!(again.summary_received, Some(day(2026, 11, 22)), "an empty summary field keeps the one recorded");
    }

    #[test]
    fn steps_after_discharge() {
        let today = day(2026, 11, 23);
        let admitted = stay(day(2026, 11, 10), None);
        assert_eq!(admitted.record_step(Step::Visit, "2026-11-24", today, at(2026, 11, 23)).unwrap_err(), "Record the discharge first.");
        let t = stay(day(2026, 11, 10), Some(day(2026, 11, 12)));
        let now = at(2026, 11, 23);
        let visit = t.record_step(Step::Visit, "2026-11-25", today, now).unwrap();
        assert_eq!((visit.visit_date, visit.updated_at), (Some(day(2026, 11, 25)), now), "a visit may be booked ahead");
        assert_eq!(t.record_step(Step::MedicationReconciled, "2026-11-24", today, now).unwrap_err(), "Medications reconciled 2026-11-24 is in the future.");
        assert_eq!(t.record_step(Step::MedicationReconciled, "2026-11-11", today, now).unwrap_err(), "Medications reconciled 2026-11-11 is before the discharge (2026-11-12).");
        assert_eq!(t.record_step(Step::SummaryRouted, "2026-11-13", today, now).unwrap_err(), "Record the date the summary was received first.");
        let received = t.record_step(Step::SummaryReceived, "2026-11-14", today, now).unwrap();
        assert_eq!(received.record_step(Step::SummaryRouted, "2026-11-13", today, now).unwrap_err(), "Routed to the provider 2026-11-13 is before the summary was received (2026-11-14).");
        let routed = received.record_step(Step::SummaryRouted, "2026-11-15", today, now).unwrap();
        assert_eq!(routed.summary_routed, Some(day(2026, 11, 15)));
        assert_eq!(routed.record_step(Step::SummaryReceived, "", today, now).unwrap_err(), "The summary was routed to the provider on 2026-11-15: change that date first.");
        assert_eq!(routed.record_step(Step::SummaryRouted, "", today, now).unwrap().summary_routed, None, "an empty date clears it");
        assert_eq!(t.record_step(Step::Visit, "2026-13-01", today, now).unwrap_err(), "Face-to-face visit '2026-13-01' is not a date.");
    }

    #[test]
    fn emergency_and_inpatient_encounters_become_transitions() {
        let e = Encounter {
            id: "e1".into(),
            rev: 0,
            patient_id: "p".into(),
            source_id: "syn-1".into(),
            class: EncounterClass::Inpatient,
            start: "2026-11-10T03:00:00Z".parse().unwrap(),
            stop: Some("2026-11-14T15:00:00Z".parse().unwrap()),
            code: "32485007".into(),
            description: "Hospital admission".into(),
            reason: "Pneumonia".into(),
        };
        // Boston in November: 5 hours behind UTC, so 03:00 UTC is the evening before.
        let boston = |t: Timestamp| (t - chrono::Duration::hours(5)).date_naive();
        let t = from_encounter(&e, "t1".into(), boston, at(2026, 11, 20)).unwrap();
        assert_eq!((t.admitted, t.discharged, t.reason.as_str(), t.source_id.as_str()), (day(2026, 11, 9), Some(day(2026, 11, 14)), "Pneumonia", "e1"));
        assert_eq!((t.patient_id.as_str(), t.facility.as_str(), t.high_complexity), ("p", "", false));
        assert!(t.check().is_ok());
        let ed = Encounter { class: EncounterClass::Emergency, reason: String::new(), stop: None, ..e.clone() };
        let t = from_encounter(&ed, "t2".into(), |t| t.date_naive(), at(2026, 11, 20)).unwrap();
        assert_eq!((t.admitted, t.discharged, t.reason.as_str()), (day(2026, 11, 10), None, "Hospital admission"));
        for class in [EncounterClass::Ambulatory, EncounterClass::Wellness, EncounterClass::Snf, EncounterClass::Virtual] {
            assert!(from_encounter(&Encounter { class, ..e.clone() }, "x".into(), |t| t.date_naive(), at(2026, 11, 20)).is_none(), "{class:?}");
        }
    }

    #[test]
    fn a_transition_is_a_revised_record_that_reads_with_defaults() {
        let json = r#"{"id":"t1","patient_id":"p","admitted":"2026-11-01","created_at":"2026-11-01T10:00:00Z","updated_at":"2026-11-01T10:00:00Z"}"#;
        let mut t: Transition = serde_json::from_str(json).unwrap();
        assert_eq!((t.rev, t.facility.as_str(), t.discharged, t.high_complexity), (0, "", None, false));
        assert_eq!(<Transition as Record>::STORE, "transitions");
        t.set_rev(4);
        assert_eq!(t.rev(), 4);
        assert_eq!(serde_json::from_str::<Transition>(&serde_json::to_string(&t).unwrap()).unwrap(), t);
        assert!(Transition { visit_date: Some(day(2026, 11, 3)), ..t.clone() }.check().is_err());
        assert!(Transition { discharged: Some(day(2026, 10, 3)), ..t.clone() }.check().is_err());
        assert!(Transition { discharged: Some(day(2026, 11, 3)), summary_routed: Some(day(2026, 11, 3)), ..t.clone() }.check().is_err());
        assert_eq!(ClockState::Met(day(2026, 11, 23)).label(), "Met on 23 Nov 2026");
    }
}
