//! The contact log: every call, message, visit or letter about a patient, with the minutes
//! it took (what chronic care management bills by, `care_time`), with whom, how, why, what
//! came of it and when to follow up.
//!
//! A contact's `date` and `time` are the coordinator's local date and time as typed, with no
//! zone (as an appointment's are), not a UTC [`Timestamp`]: the calendar month that counts
//! its minutes and the business days of a transition's clocks read that date, so a call at
//! 23:59 on 30 November counts in November whatever zone the device is set to, and a change
//! of daylight saving time moves nothing. `created_at` and `updated_at` are UTC, as
//! everywhere.

use chrono::{NaiveDate, NaiveTime, Timelike};
use serde::{Deserialize, Serialize};

use super::choice::{by_code, by_code_or, choice_impl};
use super::dates;
use super::{Record, Timestamp};

/// The most minutes one contact may log (four hours).
pub const MAX_MINUTES: u16 = 240;

/// The longest note, in characters.
pub const NOTE_MAX: usize = 2_000;

/// Who started the contact.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// The coordinator reached out.
    #[default]
    Outgoing,
    /// The patient, a family member or another party reached the coordinator.
    Incoming,
}

impl Direction {
    pub const ALL: [Direction; 2] = [Direction::Outgoing, Direction::Incoming];

    pub fn code(self) -> &'static str {
        match self {
            Direction::Outgoing => "outgoing",
            Direction::Incoming => "incoming",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Direction::Outgoing => "Outgoing",
            Direction::Incoming => "Incoming",
        }
    }
}

/// With whom the contact was.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    Patient,
    Family,
    SpecialistOffice,
    Pharmacy,
    Payer,
    CommunityOrganization,
    Other,
}

impl Party {
    pub const ALL: [Party; 7] =
        [Party::Patient, Party::Family, Party::SpecialistOffice, Party::Pharmacy, Party::Payer, Party::CommunityOrganization, Party::Other];

    pub fn code(self) -> &'static str {
        match self {
            Party::Patient => "patient",
            Party::Family => "family",
            Party::SpecialistOffice => "specialist_office",
            Party::Pharmacy => "pharmacy",
            Party::Payer => "payer",
            Party::CommunityOrganization => "community_organization",
            Party::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Party::Patient => "Patient",
            Party::Family => "Family or caregiver",
            Party::SpecialistOffice => "Specialist office",
            Party::Pharmacy => "Pharmacy",
            Party::Payer => "Payer",
            Party::CommunityOrganization => "Community organization",
            Party::Other => "Other",
        }
    }

    /// The patient or someone speaking for them (family, caregiver).
    pub fn is_patient_side(self) -> bool {
        matches!(self, Party::Patient | Party::Family)
    }
}

/// How the contact was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactMethod {
    Phone,
    Portal,
    Text,
    Email,
    InPerson,
    Video,
    Letter,
}

impl ContactMethod {
    pub const ALL: [ContactMethod; 7] = [
        ContactMethod::Phone,
        ContactMethod::Portal,
        ContactMethod::Text,
        ContactMethod::Email,
        ContactMethod::InPerson,
        ContactMethod::Video,
        ContactMethod::Letter,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ContactMethod::Phone => "phone",
            ContactMethod::Portal => "portal",
            ContactMethod::Text => "text",
            ContactMethod::Email => "email",
            ContactMethod::InPerson => "in_person",
            ContactMethod::Video => "video",
            ContactMethod::Letter => "letter",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ContactMethod::Phone => "Phone",
            ContactMethod::Portal => "Message/portal",
            ContactMethod::Text => "Text",
            ContactMethod::Email => "Email",
            ContactMethod::InPerson => "In person",
            ContactMethod::Video => "Video",
            ContactMethod::Letter => "Letter",
        }
    }

    /// Both sides speak at once: a call, a visit, a video call.
    pub fn is_live(self) -> bool {
        matches!(self, ContactMethod::Phone | ContactMethod::InPerson | ContactMethod::Video)
    }
}

/// What the contact was for (the activity categories of the annual report).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    MedicationReview,
    CarePlanUpdate,
    ProviderCoordination,
    PatientContact,
    ReferralOrTransition,
    CommunityResources,
    Other,
}

impl Purpose {
    pub const ALL: [Purpose; 7] = [
        Purpose::MedicationReview,
        Purpose::CarePlanUpdate,
        Purpose::ProviderCoordination,
        Purpose::PatientContact,
        Purpose::ReferralOrTransition,
        Purpose::CommunityResources,
        Purpose::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Purpose::MedicationReview => "medication_review",
            Purpose::CarePlanUpdate => "care_plan_update",
            Purpose::ProviderCoordination => "provider_coordination",
            Purpose::PatientContact => "patient_contact",
            Purpose::ReferralOrTransition => "referral_or_transition",
            Purpose::CommunityResources => "community_resources",
            Purpose::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Purpose::MedicationReview => "Medication review",
            Purpose::CarePlanUpdate => "Care-plan update",
            Purpose::ProviderCoordination => "Provider coordination",
            Purpose::PatientContact => "Patient or caregiver contact",
            Purpose::ReferralOrTransition => "Referral or transition",
            Purpose::CommunityResources => "Community resources",
            Purpose::Other => "Other",
        }
    }
}

/// What came of the contact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactOutcome {
    /// Spoke with them (or they answered the message).
    Reached,
    LeftMessage,
    NoAnswer,
    /// The task is done (a form sent, a visit held, a refill relayed).
    Completed,
    Other,
}

impl ContactOutcome {
    pub const ALL: [ContactOutcome; 5] =
        [ContactOutcome::Reached, ContactOutcome::LeftMessage, ContactOutcome::NoAnswer, ContactOutcome::Completed, ContactOutcome::Other];

    pub fn code(self) -> &'static str {
        match self {
            ContactOutcome::Reached => "reached",
            ContactOutcome::LeftMessage => "left_message",
            ContactOutcome::NoAnswer => "no_answer",
            ContactOutcome::Completed => "completed",
            ContactOutcome::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ContactOutcome::Reached => "Reached",
            ContactOutcome::LeftMessage => "Left message",
            ContactOutcome::NoAnswer => "No answer",
            ContactOutcome::Completed => "Completed",
            ContactOutcome::Other => "Other",
        }
    }
}

choice_impl!(Direction, Party, ContactMethod, Purpose, ContactOutcome);

/// One logged contact about a patient.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub id: String,
    /// The record's revision: raised by one at each checked write (`model::revision`).
    #[serde(default)]
    pub rev: u64,
    pub patient_id: String,
    /// The local date of the contact (see the module notes).
    pub date: NaiveDate,
    /// The local time it started, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<NaiveTime>,
    /// 1 to [`MAX_MINUTES`].
    pub minutes: u16,
    #[serde(default)]
    pub direction: Direction,
    pub with: Party,
    pub method: ContactMethod,
    pub purpose: Purpose,
    pub outcome: ContactOutcome,
    /// Follow up on this date (the work queue shows it then).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up: Option<NaiveDate>,
    /// The coordinator who logged it (the name in settings, at the time).
    #[serde(default)]
    pub by: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Record for Contact {
    const STORE: &'static str = "contacts";
    fn id(&self) -> &str {
        &self.id
    }
}

impl Contact {
    /// A two-way contact with the patient or their family or caregiver: reached (by any
    /// means but a letter: a message counts once they answer), or completed live (a call,
    /// a visit, a video call). What transitional care asks for within 2 business days.
    pub fn is_interactive(&self) -> bool {
        self.with.is_patient_side()
            && match self.outcome {
                ContactOutcome::Reached => self.method != ContactMethod::Letter,
                ContactOutcome::Completed => self.method.is_live(),
                _ => false,
            }
    }

    /// An outgoing try to reach the patient or their family by any means but a letter,
    /// whatever came of it: two of them count as the effort when no one is reached.
    pub fn is_attempt(&self) -> bool {
        self.with.is_patient_side() && self.direction == Direction::Outgoing && self.method != ContactMethod::Letter
    }

    /// The order of the log: date, then time (unknown first), then when it was logged.
    pub fn sort_key(&self) -> (NaiveDate, Option<NaiveTime>, Timestamp) {
        (self.date, self.time, self.created_at)
    }

    /// The form's text for this contact (to edit it).
    pub fn to_draft(&self) -> ContactDraft {
        ContactDraft {
            date: self.date.to_string(),
            time: self.time.map(|t| format!("{:02}:{:02}", t.hour(), t.minute())).unwrap_or_default(),
            minutes: self.minutes.to_string(),
            direction: self.direction.code().into(),
            with: self.with.code().into(),
            method: self.method.code().into(),
            purpose: self.purpose.code().into(),
            outcome: self.outcome.code().into(),
            follow_up: self.follow_up.map(|d| d.to_string()).unwrap_or_default(),
            note: self.note.clone(),
        }
    }

    /// Names of the fields that differ, for the change journal (never the values).
    pub fn changed_fields(&self, other: &Contact) -> Vec<&'static str> {
        let mut out = Vec::new();
        let mut differs = |same: bool, name| {
            if !same {
                out.push(name);
            }
        };
        differs(self.date == other.date && self.time == other.time, "date");
        differs(self.minutes == other.minutes, "minutes");
        differs(self.direction == other.direction, "direction");
        differs(self.with == other.with, "with");
        differs(self.method == other.method, "method");
        differs(self.purpose == other.purpose, "purpose");
        differs(self.outcome == other.outcome, "outcome");
        differs(self.follow_up == other.follow_up, "follow up");
        differs(self.note == other.note, "note");
        out
    }

    /// What is wrong with a stored contact (a backup's): the rules of the form that do not
    /// depend on the day it is checked.
    pub fn check(&self) -> Result<(), String> {
        if !(1..=MAX_MINUTES).contains(&self.minutes) {
            return Err(format!("minutes {} is not a whole number from 1 to {MAX_MINUTES}", self.minutes));
        }
        if let Some(f) = self.follow_up.filter(|f| *f < self.date) {
            return Err(format!("follow up on {f} is before the date of the contact ({})", self.date));
        }
        Ok(())
    }
}

const MINUTES_RULE: &str = "Minutes must be a whole number from 1 to 240.";

/// The minutes a timer started at `start` and stopped at `stop` fills in: the time rounded
/// to the nearest minute, at least 1 and at most [`MAX_MINUTES`].
pub fn timer_minutes(start: Timestamp, stop: Timestamp) -> u16 {
    let seconds = (stop - start).num_seconds().max(0);
    let minutes = (seconds + 30) / 60;
    minutes.clamp(1, MAX_MINUTES.into()) as u16
}

/// The fields of the contact form, for messages shown next to a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ContactField {
    Date,
    Time,
    Minutes,
    Direction,
    With,
    Method,
    Purpose,
    Outcome,
    FollowUp,
    Note,
}

/// The contact form as typed. Choices hold their codes; a blank direction, party, method
/// or outcome reads as outgoing, the patient, a phone call, reached; the purpose must be
/// chosen. Dates are `YYYY-MM-DD` or `MM/DD/YYYY`; the time is optional.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContactDraft {
    pub date: String,
    pub time: String,
    pub minutes: String,
    pub direction: String,
    pub with: String,
    pub method: String,
    pub purpose: String,
    pub outcome: String,
    pub follow_up: String,
    pub note: String,
}

impl Default for ContactDraft {
    /// An outgoing phone call that reached the patient, nothing else filled in.
    fn default() -> ContactDraft {
        ContactDraft {
            date: String::new(),
            time: String::new(),
            minutes: String::new(),
            direction: Direction::Outgoing.code().into(),
            with: Party::Patient.code().into(),
            method: ContactMethod::Phone.code().into(),
            purpose: String::new(),
            outcome: ContactOutcome::Reached.code().into(),
            follow_up: String::new(),
            note: String::new(),
        }
    }
}

/// A checked contact form: everything a [`Contact`] needs but its id, patient, author and
/// times.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidContact {
    pub date: NaiveDate,
    pub time: Option<NaiveTime>,
    pub minutes: u16,
    pub direction: Direction,
    pub with: Party,
    pub method: ContactMethod,
    pub purpose: Purpose,
    pub outcome: ContactOutcome,
    pub follow_up: Option<NaiveDate>,
    pub note: String,
}

impl ContactDraft {
    /// Checks every field and returns all problems at once, each in the coordinator's words:
    /// the date is required and not after `today`; minutes a whole number from 1 to 240;
    /// the follow-up not before the contact's date; dates within 1900–2200.
    pub fn validate(&self, today: NaiveDate) -> Result<ValidContact, Vec<(ContactField, String)>> {
        use ContactField as F;
        let mut errors: Vec<(ContactField, String)> = Vec::new();

        let date = match dates::date_field("Date", &self.date, Some(today)) {
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                errors.push((F::Date, "Date is required.".into()));
                None
            }
            Err(e) => {
                errors.push((F::Date, e));
                None
            }
        };
        let time = match self.time.trim() {
            "" => None,
            s => super::appointment::parse_time(s).or_else(|| {
                errors.push((F::Time, format!("Time '{s}' is not a time of day (for example 9:30 or 2:15 PM).")));
                None
            }),
        };
        let minutes = match self.minutes.trim().parse::<u16>() {
            Ok(m) if (1..=MAX_MINUTES).contains(&m) => m,
            _ => {
                errors.push((F::Minutes, MINUTES_RULE.into()));
                0
            }
        };
        fn choice<T: super::choice::Choice>(errors: &mut Vec<(ContactField, String)>, field: ContactField, label: &str, text: &str, blank: T) -> T {
            by_code_or(text, blank).unwrap_or_else(|| {
                errors.push((field, format!("{label} '{}' is not one CareCoord knows.", text.trim())));
                blank
            })
        }
        let direction = choice(&mut errors, F::Direction, "Direction", &self.direction, Direction::Outgoing);
        let with = choice(&mut errors, F::With, "With", &self.with, Party::Patient);
        let method = choice(&mut errors, F::Method, "Method", &self.method, ContactMethod::Phone);
        let outcome = choice(&mut errors, F::Outcome, "Outcome", &self.outcome, ContactOutcome::Reached);
        let purpose = match self.purpose.trim() {
            "" => {
                errors.push((F::Purpose, "Choose the purpose of the contact.".into()));
                Purpose::Other
            }
            s => by_code(s).unwrap_or_else(|| {
                errors.push((F::Purpose, format!("Purpose '{s}' is not one CareCoord knows.")));
                Purpose::Other
            }),
        };
        let follow_up = match dates::date_field("Follow up on", &self.follow_up, None) {
            Ok(Some(f)) if date.is_some_and(|d| f < d) => {
                errors.push((F::FollowUp, format!("Follow up on {f} is before the date of the contact ({}).", date.unwrap_or(f))));
                None
            }
            Ok(f) => f,
            Err(e) => {
                errors.push((F::FollowUp, e));
                None
            }
        };
        let note = self.note.trim().to_string();
        if note.chars().count() > NOTE_MAX {
            errors.push((F::Note, "Note is longer than 2,000 characters.".into()));
        }
        match date {
            Some(date) if errors.is_empty() => Ok(ValidContact { date, time, minutes, direction, with, method, purpose, outcome, follow_up, note }),
            _ => Err(errors),
        }
    }
}

impl ValidContact {
    /// A new contact of `patient_id`, logged by `by` at `now`.
    pub fn into_new(self, id: String, patient_id: &str, by: &str, now: Timestamp) -> Contact {
        let ValidContact { date, time, minutes, direction, with, method, purpose, outcome, follow_up, note } = self;
        Contact {
            id,
            rev: 0,
            patient_id: patient_id.trim().into(),
            date,
            time,
            minutes,
            direction,
            with,
            method,
            purpose,
            outcome,
            follow_up,
            by: by.trim().into(),
            note,
            created_at: now,
            updated_at: now,
        }
    }

    /// `contact` edited with this form at `now` (its id, patient, author and revision stay).
    pub fn apply_to(self, contact: &Contact, now: Timestamp) -> Contact {
        let mut c = self.into_new(contact.id.clone(), &contact.patient_id, &contact.by, contact.created_at);
        c.rev = contact.rev;
        c.updated_at = now;
        c
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::patient::tests::{at, day};
    use crate::model::revision::Revised;

    /// A contact of `patient` on `date` at `time` ("23:59"), of `minutes`, by Dana.
    pub(crate) fn contact(patient: &str, date: NaiveDate, time: &str, minutes: u16) -> Contact {
        let draft = ContactDraft { date: date.to_string(), time: time.into(), minutes: minutes.to_string(), purpose: "care_plan_update".into(), ..Default::default() };
        draft.validate(day(2100, 1, 1)).unwrap().into_new(format!("{patient}-{date}-{time}-{minutes}"), patient, "Dana", at(2026, 1, 1))
    }

    fn draft(date: &str, minutes: &str) -> ContactDraft {
        ContactDraft { date: date.into(), minutes: minutes.into(), purpose: "medication_review".into(), ..Default::default() }
    }

    fn fields(errors: &[(ContactField, String)]) -> Vec<ContactField> {
        errors.iter().map(|(f, _)| *f).collect()
    }

    #[test]
    fn a_draft_becomes_a_contact_with_the_defaults() {
        let today = day(2026, 11, 23);
        let v = ContactDraft { time: "2:05 pm".into(), note: " refill relayed ".into(), follow_up: "12/01/2026".into(), ..draft("2026-11-23", " 12 ") }
            .validate(today)
            .unwrap();
        assert_eq!((v.date, v.time, v.minutes), (today, NaiveTime::from_hms_opt(14, 5, 0), 12));
        assert_eq!((v.direction, v.with, v.method, v.purpose, v.outcome), (Direction::Outgoing, Party::Patient, ContactMethod::Phone, Purpose::MedicationReview, ContactOutcome::Reached));
        assert_eq!((v.follow_up, v.note.as_str()), (Some(day(2026, 12, 1)), "refill relayed"));
        let c = v.into_new("c1".into(), " p1 ", " Dana ", at(2026, 11, 23));
        assert_eq!((c.id(), c.patient_id.as_str(), c.by.as_str(), c.rev), ("c1", "p1", "Dana", 0));
        assert_eq!(<Contact as Record>::STORE, "contacts");
        // Every choice the form offers (its value is the stored code) reads back.
        for w in Party::ALL {
            for m in ContactMethod::ALL {
                let v = ContactDraft { with: w.code().into(), method: m.code().into(), ..draft("2026-11-01", "5") }.validate(today).unwrap();
                assert_eq!((v.with, v.method), (w, m));
            }
        }
        let blank = ContactDraft { direction: " ".into(), with: "".into(), method: "".into(), outcome: "".into(), ..draft("2026-11-01", "5") };
        let v = blank.validate(today).unwrap();
        assert_eq!((v.direction, v.with, v.method, v.outcome), (Direction::Outgoing, Party::Patient, ContactMethod::Phone, ContactOutcome::Reached));
    }

    #[test]
    fn minutes_are_a_whole_number_from_1_to_240() {
        let today = day(2026, 11, 23);
        for ok in ["1", "240", "20"] {
            assert!(draft("2026-11-23", ok).validate(today).is_ok(), "{ok}");
        }
        for bad in ["0", "241", "", "12.5", "-3", "ten", "65536"] {
            let errs = draft("2026-11-23", bad).validate(today).unwrap_err();
            assert_eq!(errs, vec![(ContactField::Minutes, "Minutes must be a whole number from 1 to 240.".to_string())], "{bad}");
        }
    }

    #[test]
    fn dates_are_checked_in_the_coordinators_words() {
        let today = day(2026, 11, 23);
        let err = |d: ContactDraft| d.validate(today).unwrap_err();
        assert_eq!(err(draft("", "5")), vec![(ContactField::Date, "Date is required.".to_string())]);
        assert_eq!(err(draft("2026-11-24", "5")), vec![(ContactField::Date, "Date 2026-11-24 is in the future.".to_string())]);
        assert_eq!(err(draft("2026-02-30", "5")), vec![(ContactField::Date, "Date '2026-02-30' is not a date.".to_string())]);
        assert_eq!(err(draft("1899-12-31", "5")), vec![(ContactField::Date, "Date '1899-12-31' is outside 1900–2200.".to_string())]);
        assert_eq!(
            err(ContactDraft { follow_up: "2026-11-20".into(), ..draft("2026-11-21", "5") }),
            vec![(ContactField::FollowUp, "Follow up on 2026-11-20 is before the date of the contact (2026-11-21).".to_string())]
        );
        assert!(ContactDraft { follow_up: "2026-11-21".into(), ..draft("2026-11-21", "5") }.validate(today).is_ok(), "the same day is fine");
        assert!(ContactDraft { follow_up: "2027-01-05".into(), ..draft("2026-11-21", "5") }.validate(today).is_ok(), "a follow-up is in the future");
        assert_eq!(err(ContactDraft { follow_up: "2300-01-01".into(), ..draft("2026-11-21", "5") })[0].1, "Follow up on '2300-01-01' is outside 1900–2200.");
        assert_eq!(err(ContactDraft { time: "25:00".into(), ..draft("2026-11-21", "5") })[0].1, "Time '25:00' is not a time of day (for example 9:30 or 2:15 PM).");
    }

    #[test]
    fn every_problem_is_named_at_once() {
        let d = ContactDraft {
            date: "soon".into(),
            minutes: "0".into(),
            direction: "sideways".into(),
            with: "neighbour".into(),
            method: "pigeon".into(),
            purpose: "".into(),
            outcome: "maybe".into(),
            note: "x".repeat(NOTE_MAX + 1),
            ..Default::default()
        };
        use ContactField as F;
        let errs = d.validate(day(2026, 11, 23)).unwrap_err();
        assert_eq!(fields(&errs), [F::Date, F::Minutes, F::Direction, F::With, F::Method, F::Outcome, F::Purpose, F::Note]);
        assert_eq!(errs[3].1, "With 'neighbour' is not one CareCoord knows.");
        assert_eq!(errs[6].1, "Choose the purpose of the contact.");
    }

    #[test]
    fn interactive_contacts_and_attempts() {
        let base = contact("p", day(2026, 11, 2), "", 5);
        let with = |w, m, o, d| Contact { with: w, method: m, outcome: o, direction: d, ..base.clone() };
        use ContactMethod as M;
        use ContactOutcome as O;
        use Direction::*;
        // Reached the patient or family, by any means but a letter.
        assert!(with(Party::Patient, M::Phone, O::Reached, Outgoing).is_interactive());
        assert!(with(Party::Family, M::Portal, O::Reached, Incoming).is_interactive(), "they answered the message");
        assert!(with(Party::Patient, M::InPerson, O::Completed, Outgoing).is_interactive());
        assert!(!with(Party::Patient, M::Email, O::Completed, Outgoing).is_interactive(), "a message sent is not two-way");
        assert!(!with(Party::Patient, M::Letter, O::Reached, Outgoing).is_interactive());
        assert!(!with(Party::Patient, M::Phone, O::LeftMessage, Outgoing).is_interactive());
        assert!(!with(Party::Pharmacy, M::Phone, O::Reached, Outgoing).is_interactive());
        // Attempts: outgoing tries to reach the patient side, whatever came of them.
        assert!(with(Party::Patient, M::Phone, O::NoAnswer, Outgoing).is_attempt());
        assert!(with(Party::Family, M::Text, O::LeftMessage, Outgoing).is_attempt());
        assert!(!with(Party::Patient, M::Phone, O::Reached, Incoming).is_attempt());
        assert!(!with(Party::Patient, M::Letter, O::Other, Outgoing).is_attempt());
        assert!(!with(Party::Payer, M::Phone, O::NoAnswer, Outgoing).is_attempt());
    }

    #[test]
    fn an_edit_keeps_who_and_when_and_names_the_changed_fields() {
        let c = contact("p", day(2026, 11, 2), "09:30", 5);
        let mut d = c.to_draft();
        assert_eq!((d.time.as_str(), d.minutes.as_str(), d.purpose.as_str()), ("09:30", "5", "care_plan_update"));
        assert_eq!(d.validate(day(2026, 11, 23)).unwrap().apply_to(&c, at(2026, 11, 3)), Contact { updated_at: at(2026, 11, 3), ..c.clone() });
        d.minutes = "25".into();
        d.note = "called back".into();
        let edited = d.validate(day(2026, 11, 23)).unwrap().apply_to(&c, at(2026, 11, 3));
        assert_eq!((edited.id.as_str(), edited.by.as_str(), edited.created_at, edited.minutes), (c.id.as_str(), "Dana", c.created_at, 25));
        assert_eq!(c.changed_fields(&edited), vec!["minutes", "note"]);
    }

    #[test]
    fn the_timer_rounds_to_the_nearest_minute() {
        let start = at(2026, 11, 23);
        let after = |s: i64| timer_minutes(start, start + chrono::Duration::seconds(s));
        assert_eq!((after(0), after(29), after(89), after(90), after(12 * 60 + 10)), (1, 1, 1, 2, 12));
        assert_eq!(after(10 * 3600), MAX_MINUTES);
        assert_eq!(timer_minutes(start, start - chrono::Duration::seconds(600)), 1, "a clock set back");
    }

    #[test]
    fn a_contact_is_a_revised_record_that_reads_with_defaults() {
        let json = r#"{"id":"c1","patient_id":"p","date":"2026-11-30","minutes":12,"with":"family","method":"phone","purpose":"other","outcome":"reached","created_at":"2026-11-30T10:00:00Z","updated_at":"2026-11-30T10:00:00Z"}"#;
        let mut c: Contact = serde_json::from_str(json).unwrap();
        assert_eq!((c.rev, c.time, c.direction, c.follow_up, c.by.as_str()), (0, None, Direction::Outgoing, None, ""));
        assert!(c.check().is_ok());
        c.set_rev(2);
        assert_eq!(c.rev(), 2);
        let back: Contact = serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
        assert_eq!(back, c);
        assert_eq!(Contact { minutes: 0, ..c.clone() }.check().unwrap_err(), "minutes 0 is not a whole number from 1 to 240");
        assert_eq!(
            Contact { follow_up: Some(day(2026, 11, 1)), ..c }.check().unwrap_err(),
            "follow up on 2026-11-01 is before the date of the contact (2026-11-30)"
        );
    }
}
