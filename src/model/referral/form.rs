//! The referral form: what the coordinator typed ([`ReferralDraft`]), checked into a
//! [`ValidReferral`], and a referral edited with it ([`Referral::apply_edit`]).

use chrono::NaiveDate;

use super::ReferralStatus as S;
use super::{
    CommunityOutcome, PriorAuth, PriorAuthStatus, Referral, ReferralEvent, ReferralEventKind, ReferralKind, ReferralSettings, ReferralStatus,
    Urgency,
};
use crate::model::dates::{self, parse_date};
use crate::model::Timestamp;

/// The fields of the referral form, for messages shown next to a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReferralField {
    Patient,
    Kind,
    ReferredTo,
    Reason,
    Urgency,
    ReferringProvider,
    Created,
    ExpectedReply,
    PriorAuth,
    PriorAuthNumber,
    PriorAuthRequested,
    RecordsForwarded,
    Appointment,
    ReportReceived,
    RoutedToProvider,
    Outcome,
    Notes,
}

/// A message about one field of the referral form, in the coordinator's words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReferralFieldError {
    pub field: ReferralField,
    pub message: String,
}

impl std::fmt::Display for ReferralFieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// What the coordinator typed into the referral form, before it is checked. Choices hold
/// their codes (`specialty`, `urgent`, `requested`...); dates are `YYYY-MM-DD` or
/// `MM/DD/YYYY`; an empty date is "not yet".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReferralDraft {
    pub patient_id: String,
    pub kind: String,
    pub referred_to: String,
    /// The directory service's id, empty when the destination was typed.
    pub service_id: String,
    pub reason: String,
    pub urgency: String,
    pub referring_provider: String,
    /// Empty means today.
    pub created: String,
    /// Empty means the default from settings.
    pub expected_reply: String,
    pub prior_auth: String,
    pub prior_auth_number: String,
    pub prior_auth_requested: String,
    pub records_forwarded: String,
    pub appointment: String,
    pub report_received: String,
    pub routed_to_provider: String,
    pub outcome: String,
    pub notes: String,
}

/// The checked values of a draft: everything a [`Referral`] needs but its id, status,
/// history and timestamps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidReferral {
    pub patient_id: String,
    pub kind: ReferralKind,
    pub referred_to: String,
    pub service_id: Option<String>,
    pub reason: String,
    pub urgency: Urgency,
    pub referring_provider: String,
    pub created: NaiveDate,
    pub expected_reply: NaiveDate,
    pub prior_auth: PriorAuth,
    pub records_forwarded: Option<NaiveDate>,
    pub appointment: Option<NaiveDate>,
    pub report_received: Option<NaiveDate>,
    pub routed_to_provider: Option<NaiveDate>,
    pub outcome: Option<CommunityOutcome>,
    pub notes: String,
}

const TEXT_MAX: usize = 200;
const REASON_MAX: usize = 1_000;
const NOTES_MAX: usize = 10_000;

impl ReferralDraft {
    /// The kind chosen, when its code is one the app knows.
    pub fn kind(&self) -> Option<ReferralKind> {
        ReferralKind::parse(&self.kind)
    }

    /// Whether the referral is to a community resource (which the directory can name).
    pub fn is_community(&self) -> bool {
        self.kind() == Some(ReferralKind::Community)
    }

    /// Sets the destination to `name`; `service` (the directory service of that name, if
    /// any) links a community referral to it. A specialty referral links to none.
    pub fn set_destination(&mut self, name: String, service: Option<String>) {
        self.referred_to = name;
        self.service_id = if self.is_community() { service.unwrap_or_default() } else { String::new() };
    }

    /// Checks every field and returns all problems at once, each in the coordinator's words.
    /// Dates of things that already happened (created, prior authorization requested,
    /// records forwarded, report received, routed) may not be after `today`; the appointment
    /// and the expected reply may be.
    pub fn validate(&self, today: NaiveDate, settings: &ReferralSettings) -> Result<ValidReferral, Vec<ReferralFieldError>> {
        use ReferralField as F;
        let mut errors = Vec::new();
        let mut err = |field, message: String| errors.push(ReferralFieldError { field, message });

        let patient_id = self.patient_id.trim().to_string();
        if patient_id.is_empty() {
            err(F::Patient, "Choose the patient this referral is for.".into());
        }

        let kind = ReferralKind::parse(&self.kind).unwrap_or_else(|| {
            err(F::Kind, format!("Kind '{}' is not one of specialty, community.", self.kind.trim()));
            ReferralKind::Specialty
        });

        let referred_to = self.referred_to.trim().to_string();
        let reason = self.reason.trim().to_string();
        let referring_provider = self.referring_provider.trim().to_string();
        for (field, value, label, required, max) in [
            (F::ReferredTo, &referred_to, "Referred to", true, TEXT_MAX),
            (F::Reason, &reason, "Reason", true, REASON_MAX),
            (F::ReferringProvider, &referring_provider, "Referring provider", false, TEXT_MAX),
        ] {
            if value.is_empty() && required {
                err(field, format!("{label} is required."));
            } else if value.chars().count() > max {
                err(field, format!("{label} is longer than {max} characters."));
            }
        }

        let urgency = Urgency::parse(&self.urgency).unwrap_or_else(|| {
            err(F::Urgency, format!("Urgency '{}' is not one of routine, urgent, stat.", self.urgency.trim()));
            Urgency::Routine
        });

        // A date field: `None` when empty or wrong (and then the error is recorded).
        let mut date = |field, label: &str, text: &str, not_after_today: bool| -> Option<NaiveDate> {
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            match parse_date(text) {
                None => {
                    err(field, format!("{label} '{text}' is not a date."));
                    None
                }
                Some(d) if not_after_today && d > today => {
                    err(field, format!("{label} {d} is in the future."));
                    None
                }
                Some(d) if !dates::date_in_range(d) => {
                    err(field, format!("{}.", dates::outside_range(label, text)));
                    None
                }
                Some(d) => Some(d),
            }
        };
        let created_ok = self.created.trim().is_empty() || parse_date(&self.created).is_some_and(|d| d <= today);
        let created = date(F::Created, "Date created", &self.created, true).unwrap_or(today);
        let expected_text = self.expected_reply.trim();
        let expected_reply = date(F::ExpectedReply, "Expected reply by", expected_text, false);
        let expected_ok = expected_text.is_empty() || expected_reply.is_some();
        let expected_reply = expected_reply.unwrap_or_else(|| settings.default_expected_reply(kind, created));
        let prior_auth_requested = date(F::PriorAuthRequested, "Prior authorization requested", &self.prior_auth_requested, true);
        let records_forwarded = date(F::RecordsForwarded, "Records forwarded", &self.records_forwarded, true);
        let appointment = date(F::Appointment, "Appointment", &self.appointment, false);
        let report_received = date(F::ReportReceived, "Report received", &self.report_received, true);
        let routed_to_provider = date(F::RoutedToProvider, "Routed to provider", &self.routed_to_provider, true);

        // The order of events.
        if created_ok && expected_ok && expected_reply < created {
            err(F::ExpectedReply, format!("Expected reply by {expected_reply} is before the date created ({created})."));
        }
        if created_ok {
            for (field, label, d) in [
                (F::RecordsForwarded, "Records forwarded", records_forwarded),
                (F::Appointment, "Appointment", appointment),
                (F::ReportReceived, "Report received", report_received),
            ] {
                if let Some(d) = d.filter(|d| *d < created) {
                    err(field, format!("{label} {d} is before the date created ({created})."));
                }
            }
        }
        if let (Some(rep), Some(appt)) = (report_received, appointment) {
            if rep < appt {
                err(F::ReportReceived, format!("Report received {rep} is before the appointment ({appt})."));
            }
        }
        if let Some(routed) = routed_to_provider {
            match report_received {
                None if self.report_received.trim().is_empty() => {
                    err(F::RoutedToProvider, "Routed to provider needs the date the report was received.".into())
                }
                Some(rep) if routed < rep => {
                    err(F::RoutedToProvider, format!("Routed to provider {routed} is before the report was received ({rep})."))
                }
                _ => {}
            }
        }

        let prior_status = PriorAuthStatus::parse(&self.prior_auth).unwrap_or_else(|| {
            err(F::PriorAuth, format!("Prior authorization '{}' is not one of not needed, requested, approved, denied.", self.prior_auth.trim()));
            PriorAuthStatus::NotNeeded
        });
        let prior_number = self.prior_auth_number.trim().to_string();
        if prior_number.chars().count() > 50 {
            err(F::PriorAuthNumber, "Prior authorization number is longer than 50 characters.".into());
        }
        if prior_status != PriorAuthStatus::NotNeeded && self.prior_auth_requested.trim().is_empty() {
            err(F::PriorAuthRequested, "Give the date the prior authorization was requested.".into());
        }
        let prior_auth = if prior_status == PriorAuthStatus::NotNeeded {
            PriorAuth::default()
        } else {
            PriorAuth { status: prior_status, number: prior_number, requested: prior_auth_requested }
        };

        let outcome_text = self.outcome.trim();
        let outcome = CommunityOutcome::parse(outcome_text);
        if outcome.is_none() && !outcome_text.is_empty() {
            err(F::Outcome, format!("Outcome '{outcome_text}' is not one of the community outcomes."));
        }
        if outcome.is_some() && kind != ReferralKind::Community {
            err(F::Outcome, "An outcome is kept for community referrals only.".into());
        }

        if self.notes.chars().count() > NOTES_MAX {
            err(F::Notes, format!("Notes are longer than {NOTES_MAX} characters."));
        }

        let service_id = Some(self.service_id.trim().to_string()).filter(|s| !s.is_empty());
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ValidReferral {
            patient_id,
            kind,
            referred_to,
            service_id,
            reason,
            urgency,
            referring_provider,
            created,
            expected_reply,
            prior_auth,
            records_forwarded,
            appointment,
            report_received,
            routed_to_provider,
            outcome,
            notes: self.notes.trim_end().to_string(),
        })
    }
}

impl ValidReferral {
    /// A new referral with this content: a draft (not yet sent) whose history starts with
    /// "Created" by `who` at `now`.
    pub fn into_new(self, id: String, who: &str, now: Timestamp) -> Referral {
        let history = vec![ReferralEvent { at: now, by: who.trim().to_string(), kind: ReferralEventKind::Created, note: String::new() }];
        self.apply(id, S::Draft, history, now, now)
    }

    fn apply(self, id: String, status: ReferralStatus, history: Vec<ReferralEvent>, created_at: Timestamp, updated_at: Timestamp) -> Referral {
        Referral { rev: 0,
            id,
            patient_id: self.patient_id,
            kind: self.kind,
            referred_to: self.referred_to,
            service_id: self.service_id,
            reason: self.reason,
            urgency: self.urgency,
            referring_provider: self.referring_provider,
            status,
            created: self.created,
            expected_reply: self.expected_reply,
            prior_auth: self.prior_auth,
            records_forwarded: self.records_forwarded,
            appointment: self.appointment,
            report_received: self.report_received,
            routed_to_provider: self.routed_to_provider,
            outcome: self.outcome,
            notes: self.notes,
            history,
            created_at,
            updated_at,
        }
    }
}

impl Referral {
    /// The form's text for this referral, to edit it.
    pub fn to_draft(&self) -> ReferralDraft {
        let date = |d: Option<NaiveDate>| d.map(dates::iso).unwrap_or_default();
        ReferralDraft {
            patient_id: self.patient_id.clone(),
            kind: self.kind.code().to_string(),
            referred_to: self.referred_to.clone(),
            service_id: self.service_id.clone().unwrap_or_default(),
            reason: self.reason.clone(),
            urgency: self.urgency.code().to_string(),
            referring_provider: self.referring_provider.clone(),
            created: dates::iso(self.created),
            expected_reply: dates::iso(self.expected_reply),
            prior_auth: self.prior_auth.status.code().to_string(),
            prior_auth_number: self.prior_auth.number.clone(),
            prior_auth_requested: date(self.prior_auth.requested),
            records_forwarded: date(self.records_forwarded),
            appointment: date(self.appointment),
            report_received: date(self.report_received),
            routed_to_provider: date(self.routed_to_provider),
            outcome: self.outcome.map(|o| o.code().to_string()).unwrap_or_default(),
            notes: self.notes.clone(),
        }
    }

    /// Names of the fields that differ between `self` and `other`, for the history (never
    /// their values).
    pub fn changed_fields(&self, other: &Referral) -> Vec<&'static str> {
        let mut out = Vec::new();
        let mut check = |name, same: bool| {
            if !same {
                out.push(name)
            }
        };
        check("patient", self.patient_id == other.patient_id);
        check("kind", self.kind == other.kind);
        check("referred to", self.referred_to == other.referred_to && self.service_id == other.service_id);
        check("reason", self.reason == other.reason);
        check("urgency", self.urgency == other.urgency);
        check("referring provider", self.referring_provider == other.referring_provider);
        check("date created", self.created == other.created);
        check("expected reply", self.expected_reply == other.expected_reply);
        check("prior authorization", self.prior_auth == other.prior_auth);
        check("records forwarded", self.records_forwarded == other.records_forwarded);
        check("appointment", self.appointment == other.appointment);
        check("report received", self.report_received == other.report_received);
        check("routed to provider", self.routed_to_provider == other.routed_to_provider);
        check("outcome", self.outcome == other.outcome);
        check("notes", self.notes == other.notes);
        out
    }

    /// The referral with the form's content, checked as [`ReferralDraft::validate`] does; the
    /// history gains one "changed" entry naming the fields (or a note entry when only a note
    /// is given). Status, id, history and creation time are kept. Nothing changed and no
    /// note gives the referral back as it was.
    pub fn apply_edit(
        &self,
        draft: &ReferralDraft,
        today: NaiveDate,
        settings: &ReferralSettings,
        who: &str,
        now: Timestamp,
        note: &str,
    ) -> Result<Referral, Vec<ReferralFieldError>> {
        let valid = draft.validate(today, settings)?;
        let mut r = valid.apply(self.id.clone(), self.status, self.history.clone(), self.created_at, now);
        let fields = self.changed_fields(&r);
        let note = note.trim();
        if fields.is_empty() {
            return Ok(if note.is_empty() { self.clone() } else { self.add_note(who, now, note) });
        }
        r.history.push(ReferralEvent {
            at: now,
            by: who.trim().to_string(),
            kind: ReferralEventKind::FieldsChanged { fields: fields.into_iter().map(String::from).collect() },
            note: note.to_string(),
        });
        Ok(r)
    }

    /// Checks a stored or imported record against the same rules as the form.
    pub fn check(&self, today: NaiveDate, settings: &ReferralSettings) -> Result<(), Vec<ReferralFieldError>> {
        self.to_draft().validate(today, settings).map(|_| ())
    }
}
