//! Refill requests: a medication a patient, pharmacy or family member asked to have
//! refilled, followed from the request to telling the patient the answer, with the
//! insurance or prior-authorization notes that go with it and a due-by date.
//!
//! The status moves one way only ([`allowed_next`]): requested → sent to provider →
//! approved or denied → patient told. Every move is kept in the request's own `history`
//! with its date, so one write stores the change and its history together.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::choice::{by_code_or, choice_impl};
use super::dates;
use super::transition::add_business_days;
use super::{Record, Timestamp};

/// Business days from the request to the default due-by date.
pub const DUE_BUSINESS_DAYS: u32 = 2;

const TEXT_MAX: usize = 200;
const NOTES_MAX: usize = 2_000;

/// Who asked for the refill.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Requester {
    #[default]
    Patient,
    Pharmacy,
    Family,
    Other,
}

impl Requester {
    pub const ALL: [Requester; 4] = [Requester::Patient, Requester::Pharmacy, Requester::Family, Requester::Other];

    pub fn code(self) -> &'static str {
        match self {
            Requester::Patient => "patient",
            Requester::Pharmacy => "pharmacy",
            Requester::Family => "family",
            Requester::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Requester::Patient => "Patient",
            Requester::Pharmacy => "Pharmacy",
            Requester::Family => "Family or caregiver",
            Requester::Other => "Other",
        }
    }
}

/// Where a refill request stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefillStatus {
    #[default]
    Requested,
    SentToProvider,
    Approved,
    Denied,
    /// The patient was told the answer: finished.
    PatientTold,
}

use RefillStatus as S;

impl RefillStatus {
    pub const ALL: [RefillStatus; 5] = [S::Requested, S::SentToProvider, S::Approved, S::Denied, S::PatientTold];

    pub fn code(self) -> &'static str {
        match self {
            S::Requested => "requested",
            S::SentToProvider => "sent_to_provider",
            S::Approved => "approved",
            S::Denied => "denied",
            S::PatientTold => "patient_told",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            S::Requested => "Requested",
            S::SentToProvider => "Sent to provider",
            S::Approved => "Approved",
            S::Denied => "Denied",
            S::PatientTold => "Patient told",
        }
    }
}

choice_impl!(Requester, RefillStatus);

/// The statuses a request in `status` may move to: requested → sent to provider →
/// approved | denied → patient told.
pub fn allowed_next(status: RefillStatus) -> &'static [RefillStatus] {
    match status {
        S::Requested => &[S::SentToProvider],
        S::SentToProvider => &[S::Approved, S::Denied],
        S::Approved | S::Denied => &[S::PatientTold],
        S::PatientTold => &[],
    }
}

/// One entry of a request's history: the move (from nothing when it was logged), its
/// local date and time, who made it and their note.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefillEvent {
    /// The coordinator's date of the change.
    pub date: NaiveDate,
    pub at: Timestamp,
    #[serde(default)]
    pub by: String,
    /// `None` for the entry that logged the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<RefillStatus>,
    pub to: RefillStatus,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// A refill request of one patient.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefillRequest {
    pub id: String,
    /// The record's revision: raised by one at each checked write (`model::revision`).
    #[serde(default)]
    pub rev: u64,
    pub patient_id: String,
    pub medication: String,
    #[serde(default)]
    pub pharmacy: String,
    #[serde(default)]
    pub requested_by: Requester,
    pub requested_on: NaiveDate,
    #[serde(default)]
    pub status: RefillStatus,
    /// Insurance and prior-authorization notes.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    pub due_by: NaiveDate,
    /// Every move, oldest first (the first logged the request).
    #[serde(default)]
    pub history: Vec<RefillEvent>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Record for RefillRequest {
    const STORE: &'static str = "refills";
    fn id(&self) -> &str {
        &self.id
    }
}

/// "“Approved” or “Denied”".
fn or_list(statuses: &[RefillStatus]) -> String {
    let quoted: Vec<String> = statuses.iter().map(|s| format!("“{}”", s.label())).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

impl RefillRequest {
    /// Not finished: the patient has not been told yet.
    pub fn is_open(&self) -> bool {
        self.status != S::PatientTold
    }

    /// On the work queue on `today`: open, and due by today or before.
    pub fn needs_action(&self, today: NaiveDate) -> bool {
        self.is_open() && self.due_by <= today
    }

    /// Open and past its due-by date on `today` (due today is not overdue yet).
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.is_open() && self.due_by < today
    }

    /// The provider's answer, once there is one (also after the patient was told).
    pub fn decision(&self) -> Option<RefillStatus> {
        self.history.iter().rev().map(|e| e.to).find(|s| matches!(s, S::Approved | S::Denied))
    }

    /// The request moved to `to` by `who` on `today` (at `now`), with the note in its
    /// history; refused in the coordinator's words when the move is not allowed.
    pub fn move_to(&self, to: RefillStatus, who: &str, today: NaiveDate, now: Timestamp, note: &str) -> Result<RefillRequest, String> {
        let from = self.status;
        if from == to {
            return Err(format!("The refill is already “{}”.", from.label()));
        }
        if !allowed_next(from).contains(&to) {
            return Err(match from {
                S::PatientTold => "The patient was told; this refill request is finished.".to_string(),
                f => format!("A refill that is “{}” can go to {}, not to “{}”.", f.label(), or_list(allowed_next(f)), to.label()),
            });
        }
        let mut r = self.clone();
        r.status = to;
        r.updated_at = now;
        r.history.push(RefillEvent { date: today, at: now, by: who.trim().into(), from: Some(from), to, note: note.trim().into() });
        Ok(r)
    }

    /// The form's text for this request (to edit it).
    pub fn to_draft(&self) -> RefillDraft {
        RefillDraft {
            medication: self.medication.clone(),
            pharmacy: self.pharmacy.clone(),
            requested_by: self.requested_by.code().into(),
            requested_on: self.requested_on.to_string(),
            due_by: self.due_by.to_string(),
            notes: self.notes.clone(),
        }
    }

    /// What is wrong with a stored request (a backup's).
    pub fn check(&self) -> Result<(), String> {
        if self.medication.trim().is_empty() {
            return Err("the medication is missing".into());
        }
        if self.due_by < self.requested_on {
            return Err(format!("due by {} is before the request ({})", self.due_by, self.requested_on));
        }
        Ok(())
    }
}

/// The fields of the refill form, for messages shown next to a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RefillField {
    Medication,
    Pharmacy,
    RequestedBy,
    RequestedOn,
    DueBy,
    Notes,
}

/// The refill form as typed. An empty request date is today; an empty due-by date is
/// [`DUE_BUSINESS_DAYS`] business days after the request; a blank requester is the patient.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefillDraft {
    pub medication: String,
    pub pharmacy: String,
    pub requested_by: String,
    pub requested_on: String,
    pub due_by: String,
    pub notes: String,
}

impl Default for RefillDraft {
    fn default() -> RefillDraft {
        RefillDraft {
            medication: String::new(),
            pharmacy: String::new(),
            requested_by: Requester::Patient.code().into(),
            requested_on: String::new(),
            due_by: String::new(),
            notes: String::new(),
        }
    }
}

/// A checked refill form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidRefill {
    pub medication: String,
    pub pharmacy: String,
    pub requested_by: Requester,
    pub requested_on: NaiveDate,
    pub due_by: NaiveDate,
    pub notes: String,
}

impl RefillDraft {
    /// Checks every field and returns all problems at once: the medication is required; the
    /// request date not after `today`; the due-by date not before it (`holidays` are
    /// skipped when it is worked out).
    pub fn validate(&self, today: NaiveDate, holidays: &[NaiveDate]) -> Result<ValidRefill, Vec<(RefillField, String)>> {
        use RefillField as F;
        let mut errors = Vec::new();
        let medication = self.medication.trim().to_string();
        let pharmacy = self.pharmacy.trim().to_string();
        if medication.is_empty() {
            errors.push((F::Medication, "Medication is required.".to_string()));
        }
        for (field, value, label) in [(F::Medication, &medication, "Medication"), (F::Pharmacy, &pharmacy, "Pharmacy")] {
            if value.chars().count() > TEXT_MAX {
                errors.push((field, format!("{label} is longer than {TEXT_MAX} characters.")));
            }
        }
        let requested_by = by_code_or(&self.requested_by, Requester::Patient).unwrap_or_else(|| {
            errors.push((F::RequestedBy, format!("Requested by '{}' is not one CareCoord knows.", self.requested_by.trim())));
            Requester::Patient
        });
        let requested_on = match dates::date_field("Requested on", &self.requested_on, Some(today)) {
            Ok(d) => d.unwrap_or(today),
            Err(e) => {
                errors.push((F::RequestedOn, e));
                today
            }
        };
        let due_by = match dates::date_field("Due by", &self.due_by, None) {
            Ok(Some(d)) if d < requested_on => {
                errors.push((F::DueBy, format!("Due by {d} is before the request ({requested_on}).")));
                d
            }
            Ok(d) => d.unwrap_or_else(|| add_business_days(requested_on, DUE_BUSINESS_DAYS, holidays)),
            Err(e) => {
                errors.push((F::DueBy, e));
                today
            }
        };
        let notes = self.notes.trim().to_string();
        if notes.chars().count() > NOTES_MAX {
            errors.push((F::Notes, "Notes are longer than 2,000 characters.".into()));
        }
        if errors.is_empty() {
            Ok(ValidRefill { medication, pharmacy, requested_by, requested_on, due_by, notes })
        } else {
            Err(errors)
        }
    }
}

impl ValidRefill {
    /// A new request of `patient_id`, logged by `by` on `today` (at `now`), requested.
    pub fn into_new(self, id: String, patient_id: &str, by: &str, today: NaiveDate, now: Timestamp) -> RefillRequest {
        RefillRequest {
            id,
            rev: 0,
            patient_id: patient_id.trim().into(),
            medication: self.medication,
            pharmacy: self.pharmacy,
            requested_by: self.requested_by,
            requested_on: self.requested_on,
            status: S::Requested,
            notes: self.notes,
            due_by: self.due_by,
            history: vec![RefillEvent { date: today, at: now, by: by.trim().into(), from: None, to: S::Requested, note: String::new() }],
            created_at: now,
            updated_at: now,
        }
    }

    /// `r` edited with this form at `now` (its status and history stay).
    pub fn apply_to(self, r: &RefillRequest, now: Timestamp) -> RefillRequest {
        RefillRequest {
            medication: self.medication,
            pharmacy: self.pharmacy,
            requested_by: self.requested_by,
            requested_on: self.requested_on,
            due_by: self.due_by,
            notes: self.notes,
            updated_at: now,
            ..r.clone()
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::patient::tests::{at, day};
    use crate::model::revision::Revised;

    /// A request of patient "p" for metformin, requested on `on`, due two business days later.
    pub(crate) fn refill(on: NaiveDate) -> RefillRequest {
        let d = RefillDraft { medication: "Metformin 500 mg".into(), pharmacy: "CVS Centre St".into(), requested_on: on.to_string(), ..Default::default() };
        d.validate(day(2100, 1, 1), &[]).unwrap().into_new(format!("rx-{on}"), "p", "Dana", on, at(2026, 11, 1))
    }

    #[test]
    fn a_request_goes_through_every_state() {
        let r = refill(day(2026, 11, 20));
        assert_eq!((r.status, r.due_by, r.history.len()), (S::Requested, day(2026, 11, 24), 1), "Friday + 2 business days");
        assert_eq!(r.history[0].from, None);
        let today = day(2026, 11, 23);
        let r = r.move_to(S::SentToProvider, "Dana", today, at(2026, 11, 23), "to Dr. Okafor").unwrap();
        let r = r.move_to(S::Denied, "Dana", today, at(2026, 11, 23), " needs prior auth ").unwrap();
        assert_eq!(r.decision(), Some(S::Denied));
        let r = r.move_to(S::PatientTold, "Sam", day(2026, 11, 24), at(2026, 11, 24), "").unwrap();
        assert!(!r.is_open() && !r.needs_action(day(2026, 12, 1)));
        assert_eq!(r.decision(), Some(S::Denied), "the answer the patient was told");
        let moves: Vec<(Option<RefillStatus>, RefillStatus, NaiveDate, &str)> = r.history.iter().map(|e| (e.from, e.to, e.date, e.note.as_str())).collect();
        assert_eq!(moves, vec![
            (None, S::Requested, day(2026, 11, 20), ""),
            (Some(S::Requested), S::SentToProvider, today, "to Dr. Okafor"),
            (Some(S::SentToProvider), S::Denied, today, "needs prior auth"),
            (Some(S::Denied), S::PatientTold, day(2026, 11, 24), ""),
        ]);
        assert_eq!(r.history[3].by, "Sam");
    }

    #[test]
    fn only_the_allowed_moves() {
        let r = refill(day(2026, 11, 20));
        let today = day(2026, 11, 23);
        let now = at(2026, 11, 23);
        assert_eq!(r.move_to(S::Approved, "Dana", today, now, "").unwrap_err(), "A refill that is “Requested” can go to “Sent to provider”, not to “Approved”.");
        assert_eq!(r.move_to(S::Requested, "Dana", today, now, "").unwrap_err(), "The refill is already “Requested”.");
        let sent = r.move_to(S::SentToProvider, "Dana", today, now, "").unwrap();
        assert_eq!(sent.move_to(S::PatientTold, "Dana", today, now, "").unwrap_err(), "A refill that is “Sent to provider” can go to “Approved” or “Denied”, not to “Patient told”.");
        let told = sent.move_to(S::Approved, "Dana", today, now, "").unwrap().move_to(S::PatientTold, "Dana", today, now, "").unwrap();
        assert_eq!(told.move_to(S::Requested, "Dana", today, now, "").unwrap_err(), "The patient was told; this refill request is finished.");
        // Every pair follows the table.
        for from in RefillStatus::ALL {
            for to in RefillStatus::ALL {
                let allowed = matches!((from, to), (S::Requested, S::SentToProvider) | (S::SentToProvider, S::Approved | S::Denied) | (S::Approved | S::Denied, S::PatientTold));
                assert_eq!(allowed_next(from).contains(&to), allowed, "{from:?} → {to:?}");
            }
        }
    }

    #[test]
    fn due_by_and_the_work_queue() {
        let r = refill(day(2026, 11, 20));
        assert!(!r.needs_action(day(2026, 11, 23)));
        assert!(r.needs_action(day(2026, 11, 24)), "due today");
        assert!(r.needs_action(day(2026, 11, 30)), "overdue");
        assert!(!r.is_overdue(day(2026, 11, 24)) && r.is_overdue(day(2026, 11, 25)), "overdue the day after its due-by date");
        // A holiday moves the default due date.
        let d = RefillDraft { medication: "Lisinopril".into(), requested_on: "2026-11-25".into(), ..Default::default() };
        assert_eq!(d.validate(day(2026, 11, 25), &[day(2026, 11, 26), day(2026, 11, 27)]).unwrap().due_by, day(2026, 12, 1));
        assert_eq!(d.validate(day(2026, 11, 25), &[]).unwrap().due_by, day(2026, 11, 27));
    }

    #[test]
    fn the_form_names_each_problem() {
        let today = day(2026, 11, 23);
        let d = RefillDraft { requested_by: "neighbour".into(), requested_on: "2026-11-24".into(), due_by: "2026-11-31".into(), notes: "x".repeat(2_001), ..Default::default() };
        use RefillField as F;
        let errs = d.validate(today, &[]).unwrap_err();
        assert_eq!(errs, vec![
            (F::Medication, "Medication is required.".to_string()),
            (F::RequestedBy, "Requested by 'neighbour' is not one CareCoord knows.".to_string()),
            (F::RequestedOn, "Requested on 2026-11-24 is in the future.".to_string()),
            (F::DueBy, "Due by '2026-11-31' is not a date.".to_string()),
            (F::Notes, "Notes are longer than 2,000 characters.".to_string()),
        ]);
        let early = RefillDraft { medication: "Insulin".into(), requested_on: "2026-11-20".into(), due_by: "2026-11-19".into(), ..Default::default() };
        assert_eq!(early.validate(today, &[]).unwrap_err(), vec![(F::DueBy, "Due by 2026-11-19 is before the request (2026-11-20).".to_string())]);
        let v = RefillDraft { medication: " Insulin ".into(), requested_by: "pharmacy".into(), notes: " PA #123 pending ".into(), ..Default::default() }.validate(today, &[]).unwrap();
        assert_eq!((v.medication.as_str(), v.requested_by, v.requested_on, v.due_by, v.notes.as_str()), ("Insulin", Requester::Pharmacy, today, day(2026, 11, 25), "PA #123 pending"));
    }

    #[test]
    fn an_edit_keeps_the_status_and_history() {
        let r = refill(day(2026, 11, 20)).move_to(S::SentToProvider, "Dana", day(2026, 11, 20), at(2026, 11, 20), "").unwrap();
        let mut d = r.to_draft();
        d.notes = "Prior authorization requested from the payer".into();
        let edited = d.validate(day(2026, 11, 23), &[]).unwrap().apply_to(&r, at(2026, 11, 23));
        assert_eq!((edited.status, edited.history.len(), edited.notes.as_str()), (S::SentToProvider, 2, "Prior authorization requested from the payer"));
        assert_eq!((edited.id.as_str(), edited.due_by, edited.updated_at), (r.id.as_str(), r.due_by, at(2026, 11, 23)));
    }

    #[test]
    fn a_request_is_a_revised_record_that_reads_with_defaults() {
        let json = r#"{"id":"rx1","patient_id":"p","medication":"Metformin","requested_on":"2026-11-20","due_by":"2026-11-24","created_at":"2026-11-20T10:00:00Z","updated_at":"2026-11-20T10:00:00Z"}"#;
        let mut r: RefillRequest = serde_json::from_str(json).unwrap();
        assert_eq!((r.rev, r.status, r.requested_by, r.history.len()), (0, S::Requested, Requester::Patient, 0));
        assert!(r.check().is_ok());
        assert_eq!(<RefillRequest as Record>::STORE, "refills");
        r.set_rev(1);
        assert_eq!(r.rev(), 1);
        let full = refill(day(2026, 11, 20));
        let json = serde_json::to_string(&full).unwrap();
        assert!(json.contains(r#""status":"requested""#) && json.contains(r#""to":"requested""#), "{json}");
        assert_eq!(serde_json::from_str::<RefillRequest>(&json).unwrap(), full);
        assert!(RefillRequest { due_by: day(2026, 11, 1), ..full.clone() }.check().is_err());
        assert!(RefillRequest { medication: " ".into(), ..full }.check().is_err());
    }
}
