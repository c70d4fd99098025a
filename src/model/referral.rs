//! Closed-loop referrals: a referral out to a specialist or a community resource, followed
//! until the report (or the outcome) is back with the referring provider.
//!
//! The status follows FHIR `Task` as the Gravity Project's SDOH Clinical Care guide uses it
//! ([`ReferralStatus`], moved only along [`allowed_next`]); the clinic-side facts that close
//! the loop (prior authorization, records forwarded, appointment, report received and routed
//! to the provider) sit beside it. Every change is kept in the record's own `history`, so one
//! write stores the change and its history together. Overdue rules ([`Referral::overdue`])
//! take "today" and the clinic's [`ReferralSettings`]. The work list's filter and counts are
//! [`ReferralFilter`] and [`counts`]; the summary for a period is in `referral_summary`.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use super::patient::parse_date;
use super::{dates, Record, Timestamp};

/// Who the patient is referred to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferralKind {
    /// A specialist or another practice.
    #[default]
    Specialty,
    /// A community resource (food, housing, transportation...), often from the directory.
    Community,
}

impl ReferralKind {
    pub const ALL: [ReferralKind; 2] = [ReferralKind::Specialty, ReferralKind::Community];

    /// The stored code (`specialty`, `community`).
    pub fn code(self) -> &'static str {
        match self {
            ReferralKind::Specialty => "specialty",
            ReferralKind::Community => "community",
        }
    }

    /// What the coordinator reads.
    pub fn label(self) -> &'static str {
        match self {
            ReferralKind::Specialty => "Specialty",
            ReferralKind::Community => "Community resource",
        }
    }

    /// Reads a code (as [`ReferralKind::code`] writes it), ignoring case and spaces.
    pub fn parse(s: &str) -> Option<ReferralKind> {
        Self::ALL.into_iter().find(|k| k.code().eq_ignore_ascii_case(s.trim()))
    }

    /// Position in [`ReferralKind::ALL`] (for per-kind counts).
    pub fn index(self) -> usize {
        self as usize
    }
}

/// How soon the patient must be seen (FHIR `request-priority`, without "asap").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    #[default]
    Routine,
    Urgent,
    Stat,
}

impl Urgency {
    pub const ALL: [Urgency; 3] = [Urgency::Routine, Urgency::Urgent, Urgency::Stat];

    /// The stored code, also the FHIR priority code (`routine`, `urgent`, `stat`).
    pub fn code(self) -> &'static str {
        match self {
            Urgency::Routine => "routine",
            Urgency::Urgent => "urgent",
            Urgency::Stat => "stat",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Urgency::Routine => "Routine",
            Urgency::Urgent => "Urgent",
            Urgency::Stat => "Stat (immediately)",
        }
    }

    /// Reads a code; an empty text is routine.
    pub fn parse(s: &str) -> Option<Urgency> {
        let s = s.trim();
        if s.is_empty() {
            return Some(Urgency::Routine);
        }
        Self::ALL.into_iter().find(|u| u.code().eq_ignore_ascii_case(s))
    }
}

/// Where the referral stands: the FHIR `Task` status codes, stored as FHIR writes them
/// (`in-progress`, `on-hold`, `entered-in-error`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReferralStatus {
    /// Written but not yet sent.
    #[default]
    Draft,
    /// Sent; no answer yet.
    Requested,
    Accepted,
    /// The receiver turned it down.
    Rejected,
    Cancelled,
    InProgress,
    OnHold,
    Completed,
    Failed,
    EnteredInError,
}

use ReferralStatus as S;

impl ReferralStatus {
    pub const ALL: [ReferralStatus; 10] =
        [S::Draft, S::Requested, S::Accepted, S::Rejected, S::Cancelled, S::InProgress, S::OnHold, S::Completed, S::Failed, S::EnteredInError];

    /// The FHIR `Task.status` code.
    pub fn code(self) -> &'static str {
        match self {
            S::Draft => "draft",
            S::Requested => "requested",
            S::Accepted => "accepted",
            S::Rejected => "rejected",
            S::Cancelled => "cancelled",
            S::InProgress => "in-progress",
            S::OnHold => "on-hold",
            S::Completed => "completed",
            S::Failed => "failed",
            S::EnteredInError => "entered-in-error",
        }
    }

    /// What the coordinator reads.
    pub fn label(self) -> &'static str {
        match self {
            S::Draft => "Draft (not sent)",
            S::Requested => "Requested (awaiting reply)",
            S::Accepted => "Accepted",
            S::Rejected => "Rejected by receiver",
            S::Cancelled => "Cancelled",
            S::InProgress => "In progress",
            S::OnHold => "On hold",
            S::Completed => "Completed",
            S::Failed => "Failed (did not happen)",
            S::EnteredInError => "Entered in error",
        }
    }

    /// Reads a FHIR code.
    pub fn parse(s: &str) -> Option<ReferralStatus> {
        Self::ALL.into_iter().find(|st| st.code().eq_ignore_ascii_case(s.trim()))
    }

    /// Position in [`ReferralStatus::ALL`] (for per-status counts).
    pub fn index(self) -> usize {
        self as usize
    }

    /// No further work: rejected, cancelled, completed, failed or entered in error.
    pub fn is_terminal(self) -> bool {
        matches!(self, S::Rejected | S::Cancelled | S::Completed | S::Failed | S::EnteredInError)
    }

    /// Sent and not finished: requested, accepted, in progress or on hold. Only these can
    /// be overdue.
    pub fn is_active(self) -> bool {
        !self.is_terminal() && self != S::Draft
    }
}

/// The statuses a referral in `status` may move to (FHIR Task as the Gravity Project uses it):
/// draft → requested | cancelled; requested → accepted | rejected | cancelled;
/// accepted → in-progress | cancelled; in-progress → on-hold | completed | failed | cancelled;
/// on-hold → in-progress | cancelled; and any status but entered-in-error → entered-in-error.
pub fn allowed_next(status: ReferralStatus) -> &'static [ReferralStatus] {
    match status {
        S::Draft => &[S::Requested, S::Cancelled, S::EnteredInError],
        S::Requested => &[S::Accepted, S::Rejected, S::Cancelled, S::EnteredInError],
        S::Accepted => &[S::InProgress, S::Cancelled, S::EnteredInError],
        S::InProgress => &[S::OnHold, S::Completed, S::Failed, S::Cancelled, S::EnteredInError],
        S::OnHold => &[S::InProgress, S::Cancelled, S::EnteredInError],
        S::Rejected | S::Cancelled | S::Completed | S::Failed => &[S::EnteredInError],
        S::EnteredInError => &[],
    }
}

/// Whether a referral may move from `from` to `to` (never to the status it already has).
pub fn can_move(from: ReferralStatus, to: ReferralStatus) -> bool {
    allowed_next(from).contains(&to)
}

/// Prior authorization from the patient's insurer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PriorAuthStatus {
    #[default]
    NotNeeded,
    Requested,
    Approved,
    Denied,
}

impl PriorAuthStatus {
    pub const ALL: [PriorAuthStatus; 4] =
        [PriorAuthStatus::NotNeeded, PriorAuthStatus::Requested, PriorAuthStatus::Approved, PriorAuthStatus::Denied];

    /// The stored code (`not_needed`, `requested`, `approved`, `denied`).
    pub fn code(self) -> &'static str {
        match self {
            PriorAuthStatus::NotNeeded => "not_needed",
            PriorAuthStatus::Requested => "requested",
            PriorAuthStatus::Approved => "approved",
            PriorAuthStatus::Denied => "denied",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PriorAuthStatus::NotNeeded => "Not needed",
            PriorAuthStatus::Requested => "Requested",
            PriorAuthStatus::Approved => "Approved",
            PriorAuthStatus::Denied => "Denied",
        }
    }

    /// Reads a code; an empty text is "not needed".
    pub fn parse(s: &str) -> Option<PriorAuthStatus> {
        let s = s.trim();
        if s.is_empty() {
            return Some(PriorAuthStatus::NotNeeded);
        }
        Self::ALL.into_iter().find(|p| p.code().eq_ignore_ascii_case(s))
    }
}

/// The prior authorization of a referral.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PriorAuth {
    pub status: PriorAuthStatus,
    /// The insurer's authorization number (empty until known).
    pub number: String,
    /// When it was requested; required once it is requested, approved or denied.
    pub requested: Option<NaiveDate>,
}

impl PriorAuth {
    /// "Not needed", "Requested 2026-11-02", "Approved (PA-77, requested 2026-11-02)".
    pub fn describe(&self) -> String {
        let label = self.status.label();
        match (self.status, self.number.is_empty(), self.requested) {
            (PriorAuthStatus::NotNeeded, _, _) | (_, true, None) => label.to_string(),
            (PriorAuthStatus::Requested, true, Some(d)) => format!("{label} {}", dates::iso(d)),
            (_, true, Some(d)) => format!("{label} (requested {})", dates::iso(d)),
            (_, false, None) => format!("{label} ({})", self.number),
            (_, false, Some(d)) => format!("{label} ({}, requested {})", self.number, dates::iso(d)),
        }
    }
}

/// What came of a community referral, as the big closed-loop platforms code it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommunityOutcome {
    GotHelp,
    CouldNotContact,
    NotEligible,
    NoCapacity,
    NoLongerInterested,
    ReferredElsewhere,
}

impl CommunityOutcome {
    pub const ALL: [CommunityOutcome; 6] = [
        CommunityOutcome::GotHelp,
        CommunityOutcome::CouldNotContact,
        CommunityOutcome::NotEligible,
        CommunityOutcome::NoCapacity,
        CommunityOutcome::NoLongerInterested,
        CommunityOutcome::ReferredElsewhere,
    ];

    pub fn code(self) -> &'static str {
        match self {
            CommunityOutcome::GotHelp => "got_help",
            CommunityOutcome::CouldNotContact => "could_not_contact",
            CommunityOutcome::NotEligible => "not_eligible",
            CommunityOutcome::NoCapacity => "no_capacity",
            CommunityOutcome::NoLongerInterested => "no_longer_interested",
            CommunityOutcome::ReferredElsewhere => "referred_elsewhere",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CommunityOutcome::GotHelp => "Got help",
            CommunityOutcome::CouldNotContact => "Couldn't contact the patient",
            CommunityOutcome::NotEligible => "Not eligible",
            CommunityOutcome::NoCapacity => "No capacity",
            CommunityOutcome::NoLongerInterested => "No longer interested",
            CommunityOutcome::ReferredElsewhere => "Referred elsewhere",
        }
    }

    /// Reads a code.
    pub fn parse(s: &str) -> Option<CommunityOutcome> {
        Self::ALL.into_iter().find(|o| o.code().eq_ignore_ascii_case(s.trim()))
    }
}

/// What happened in one entry of a referral's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ReferralEventKind {
    Created,
    StatusChanged { from: ReferralStatus, to: ReferralStatus },
    /// Names of the changed fields ("appointment, notes"), never their values.
    FieldsChanged { fields: Vec<String> },
    Note,
}

/// One entry of a referral's history: what, when, who, and the coordinator's note.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralEvent {
    pub at: Timestamp,
    /// The coordinator's name from settings, as it was at the time.
    #[serde(default)]
    pub by: String,
    pub kind: ReferralEventKind,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

impl ReferralEvent {
    /// "Requested (awaiting reply) → Accepted by Dana: spoke to their front desk".
    pub fn describe(&self) -> String {
        let what = match &self.kind {
            ReferralEventKind::Created => "Created".to_string(),
            ReferralEventKind::StatusChanged { from, to } => format!("{} → {}", from.label(), to.label()),
            ReferralEventKind::FieldsChanged { fields } => format!("Changed {}", fields.join(", ")),
            ReferralEventKind::Note => "Note".to_string(),
        };
        let mut out = what;
        if !self.by.is_empty() {
            out = format!("{out} by {}", self.by);
        }
        if !self.note.is_empty() {
            out = format!("{out}: {}", self.note);
        }
        out
    }
}

/// A clinic's referral clocks. Kept with the clinic's settings; every field has a default
/// so older settings load.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReferralSettings {
    /// Calendar days a specialist has to reply (default 14).
    pub specialty_reply_days: u32,
    /// Business days (Monday to Friday) a community resource has to reply (default 2).
    pub community_reply_business_days: u32,
    /// Days a prior authorization may stay requested before it is overdue (default 5).
    pub prior_auth_overdue_days: u32,
    /// Days after the appointment the report is expected (default 7).
    pub report_after_appointment_days: u32,
}

impl Default for ReferralSettings {
    fn default() -> Self {
        ReferralSettings { specialty_reply_days: 14, community_reply_business_days: 2, prior_auth_overdue_days: 5, report_after_appointment_days: 7 }
    }
}

impl ReferralSettings {
    /// The expected-reply date of a referral of `kind` created on `created`: 14 calendar days
    /// for a specialist, 2 business days for a community resource (see [`add_business_days`]).
    pub fn default_expected_reply(&self, kind: ReferralKind, created: NaiveDate) -> NaiveDate {
        match kind {
            ReferralKind::Specialty => add_days(created, self.specialty_reply_days),
            ReferralKind::Community => add_business_days(created, self.community_reply_business_days),
        }
    }

    /// Checks that every clock is between 1 and 365 days.
    pub fn validated(&self) -> Result<ReferralSettings, String> {
        for (label, v) in [
            ("Days for a specialist's reply", self.specialty_reply_days),
            ("Business days for a community resource's reply", self.community_reply_business_days),
            ("Days for a prior authorization", self.prior_auth_overdue_days),
            ("Days for the report after the appointment", self.report_after_appointment_days),
        ] {
            if !(1..=365).contains(&v) {
                return Err(format!("{label} must be between 1 and 365 (not {v})."));
            }
        }
        Ok(*self)
    }
}

fn add_days(d: NaiveDate, n: u32) -> NaiveDate {
    d.checked_add_days(Days::new(n.into())).unwrap_or(NaiveDate::MAX)
}

/// `d` plus `n` business days, counting only Monday to Friday (no holiday calendar): from a
/// Friday, Saturday or Sunday, 1 business day is the Monday and 2 the Tuesday; from a
/// Thursday, 2 is the Monday. `n = 0` gives `d` itself, even on a weekend.
pub fn add_business_days(d: NaiveDate, n: u32) -> NaiveDate {
    let mut day = d;
    let mut left = n;
    while left > 0 {
        day = add_days(day, 1);
        if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    day
}

/// Why a referral is overdue (see [`Referral::overdue`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OverdueReason {
    /// Sent on `sent`, no reply by `expected`.
    NoReply { sent: NaiveDate, expected: NaiveDate },
    /// Seen on `appointment`, no report back by `expected`.
    NoReport { appointment: NaiveDate, expected: NaiveDate },
    /// Prior authorization requested on `requested`, no decision by `expected`.
    PriorAuthPending { requested: NaiveDate, expected: NaiveDate },
}

/// "10 Nov".
fn day_month(d: NaiveDate) -> String {
    let s = dates::short(d);
    s.rsplit_once(' ').map(|(dm, _)| dm.to_string()).unwrap_or_default()
}

impl OverdueReason {
    /// "No reply since 10 Nov (expected by 12 Nov)".
    pub fn label(&self) -> String {
        match *self {
            OverdueReason::NoReply { sent, expected } => {
                format!("No reply since {} (expected by {})", day_month(sent), day_month(expected))
            }
            OverdueReason::NoReport { appointment, expected } => {
                format!("No report since the appointment on {} (expected by {})", day_month(appointment), day_month(expected))
            }
            OverdueReason::PriorAuthPending { requested, expected } => {
                format!("Prior authorization pending since {} (expected by {})", day_month(requested), day_month(expected))
            }
        }
    }
}

/// A referral of one patient.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Referral {
    pub id: String,
    pub patient_id: String,
    #[serde(default)]
    pub kind: ReferralKind,
    /// The specialist, practice or service, as the coordinator names it.
    pub referred_to: String,
    /// The directory service (HSDS `service.id`) when the referral is to one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_id: Option<String>,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub urgency: Urgency,
    #[serde(default)]
    pub referring_provider: String,
    #[serde(default)]
    pub status: ReferralStatus,
    /// The date the referral was made (the clocks run from it).
    pub created: NaiveDate,
    /// A reply is expected by this date (default from [`ReferralSettings`]).
    pub expected_reply: NaiveDate,
    #[serde(default)]
    pub prior_auth: PriorAuth,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub records_forwarded: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appointment: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_received: Option<NaiveDate>,
    /// The date the report was passed to the referring provider: the loop is closed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routed_to_provider: Option<NaiveDate>,
    /// Community referrals only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<CommunityOutcome>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    /// Every change, oldest first.
    #[serde(default)]
    pub history: Vec<ReferralEvent>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Record for Referral {
    const STORE: &'static str = "referrals";
    fn id(&self) -> &str {
        &self.id
    }
}

impl Referral {
    /// The receiver has answered: the status moved beyond "requested" (accepted, declined,
    /// in progress...), or an appointment or a report is recorded.
    pub fn has_reply(&self) -> bool {
        !matches!(self.status, S::Draft | S::Requested) || self.appointment.is_some() || self.report_received.is_some()
    }

    /// The loop is closed: the report is back and routed to the referring provider.
    pub fn loop_closed(&self) -> bool {
        self.report_received.is_some() && self.routed_to_provider.is_some()
    }

    /// Each overdue rule, without allocating: `[no reply, no report, prior authorization]`.
    fn overdue_checks(&self, today: NaiveDate, settings: &ReferralSettings) -> [Option<OverdueReason>; 3] {
        if !self.status.is_active() {
            return [None; 3];
        }
        let no_reply = (!self.has_reply() && today > self.expected_reply)
            .then_some(OverdueReason::NoReply { sent: self.created, expected: self.expected_reply });
        let no_report = match (self.appointment, self.report_received) {
            (Some(appointment), None) => {
                let expected = add_days(appointment, settings.report_after_appointment_days);
                (today > expected).then_some(OverdueReason::NoReport { appointment, expected })
            }
            _ => None,
        };
        let prior_auth = match (self.prior_auth.status, self.prior_auth.requested) {
            (PriorAuthStatus::Requested, Some(requested)) => {
                let expected = add_days(requested, settings.prior_auth_overdue_days);
                (today > expected).then_some(OverdueReason::PriorAuthPending { requested, expected })
            }
            _ => None,
        };
        [no_reply, no_report, prior_auth]
    }

    /// Why the referral is overdue on `today` (empty when it is not). Only active referrals
    /// (sent, not finished) are ever overdue, for any of:
    /// - no reply (see [`Referral::has_reply`]) and the expected-reply date has passed;
    /// - an appointment more than `report_after_appointment_days` ago (default 7: overdue
    ///   from the 8th day after) and no report received;
    /// - prior authorization requested more than `prior_auth_overdue_days` ago (default 5)
    ///   and neither approved nor denied.
    ///
    /// On the last allowed day itself the referral is due, not overdue.
    pub fn overdue(&self, today: NaiveDate, settings: &ReferralSettings) -> Vec<OverdueReason> {
        self.overdue_checks(today, settings).into_iter().flatten().collect()
    }

    /// Whether [`Referral::overdue`] has any reason; allocates nothing.
    pub fn is_overdue(&self, today: NaiveDate, settings: &ReferralSettings) -> bool {
        self.overdue_checks(today, settings).iter().any(Option::is_some)
    }

    /// For the Today page: a draft not yet sent, an overdue referral, or an active one whose
    /// reply is expected today (and not yet in) or whose appointment is today.
    pub fn needs_action_today(&self, today: NaiveDate, settings: &ReferralSettings) -> bool {
        if self.status == S::Draft {
            return true;
        }
        self.status.is_active()
            && ((self.expected_reply == today && !self.has_reply()) || self.appointment == Some(today) || self.is_overdue(today, settings))
    }

    /// The referral moved to `to` by `who` at `now`, with the note in its history; refused in
    /// the coordinator's words when the move is not allowed (see [`allowed_next`]).
    pub fn move_to(&self, to: ReferralStatus, who: &str, now: Timestamp, note: &str) -> Result<Referral, String> {
        let from = self.status;
        if from == to {
            return Err(format!("The referral is already “{}”.", from.label()));
        }
        if !can_move(from, to) {
            return Err(match from {
                S::EnteredInError => "This referral was entered in error; its status can no longer change.".to_string(),
                f if f.is_terminal() => format!(
                    "This referral is “{}”, which is final; it can only be marked “{}”.",
                    f.label(),
                    S::EnteredInError.label()
                ),
                f => format!("A referral that is “{}” can go to {}, not to “{}”.", f.label(), or_list(allowed_next(f)), to.label()),
            });
        }
        let mut r = self.clone();
        r.status = to;
        r.updated_at = now;
        r.history.push(ReferralEvent { at: now, by: who.trim().to_string(), kind: ReferralEventKind::StatusChanged { from, to }, note: note.trim().to_string() });
        Ok(r)
    }

    /// The referral with a note in its history (nothing else changes).
    pub fn add_note(&self, who: &str, now: Timestamp, note: &str) -> Referral {
        let mut r = self.clone();
        r.updated_at = now;
        r.history.push(ReferralEvent { at: now, by: who.trim().to_string(), kind: ReferralEventKind::Note, note: note.trim().to_string() });
        r
    }

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

/// "“Accepted”, “Rejected by receiver” or “Cancelled”".
fn or_list(statuses: &[ReferralStatus]) -> String {
    let quoted: Vec<String> = statuses.iter().map(|s| format!("“{}”", s.label())).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

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
                Some(d) if !super::dates::date_in_range(d) => {
                    err(field, format!("{}.", super::dates::outside_range(label, text)));
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
        Referral {
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

/// The work list's filter. Every part left empty (`None`, `false`) lets everything through.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReferralFilter {
    pub status: Option<ReferralStatus>,
    pub kind: Option<ReferralKind>,
    pub overdue_only: bool,
    /// The referring provider, compared ignoring case and surrounding spaces.
    pub provider: Option<String>,
    pub patient_id: Option<String>,
    /// Created on or after this date.
    pub from: Option<NaiveDate>,
    /// Created on or before this date.
    pub to: Option<NaiveDate>,
}

impl ReferralFilter {
    /// Everything but status, kind and overdue (the parts [`counts`] counts by).
    fn matches_base(&self, r: &Referral) -> bool {
        self.from.is_none_or(|d| r.created >= d)
            && self.to.is_none_or(|d| r.created <= d)
            && self.patient_id.as_deref().is_none_or(|p| r.patient_id == p)
            && self.provider.as_deref().is_none_or(|p| r.referring_provider.trim().eq_ignore_ascii_case(p.trim()))
    }

    /// Whether `r` passes every part of the filter. Allocates nothing.
    pub fn matches(&self, r: &Referral, today: NaiveDate, settings: &ReferralSettings) -> bool {
        self.status.is_none_or(|s| r.status == s)
            && self.kind.is_none_or(|k| r.kind == k)
            && self.matches_base(r)
            && (!self.overdue_only || r.is_overdue(today, settings))
    }
}

/// How many referrals each choice of the filter would show, the other choices staying as
/// they are.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReferralCounts {
    /// Indexed by [`ReferralStatus::index`]: the filter with its status set to that status.
    pub by_status: [usize; 10],
    /// Indexed by [`ReferralKind::index`]: the filter with its kind set to that kind.
    pub by_kind: [usize; 2],
    /// The filter with "overdue only" on.
    pub overdue: usize,
    /// The filter as it is (the length of the list shown).
    pub total: usize,
}

impl ReferralCounts {
    pub fn status(&self, s: ReferralStatus) -> usize {
        self.by_status[s.index()]
    }

    pub fn kind(&self, k: ReferralKind) -> usize {
        self.by_kind[k.index()]
    }
}

/// Counts for the work list's filter buttons in one pass over `referrals` (see
/// [`ReferralCounts`]).
pub fn counts<'a>(
    referrals: impl IntoIterator<Item = &'a Referral>,
    filter: &ReferralFilter,
    today: NaiveDate,
    settings: &ReferralSettings,
) -> ReferralCounts {
    let mut c = ReferralCounts::default();
    for r in referrals {
        if !filter.matches_base(r) {
            continue;
        }
        let overdue = r.is_overdue(today, settings);
        let status_ok = filter.status.is_none_or(|s| r.status == s);
        let kind_ok = filter.kind.is_none_or(|k| r.kind == k);
        let overdue_ok = !filter.overdue_only || overdue;
        if kind_ok && overdue_ok {
            c.by_status[r.status.index()] += 1;
        }
        if status_ok && overdue_ok {
            c.by_kind[r.kind.index()] += 1;
        }
        if status_ok && kind_ok {
            c.overdue += usize::from(overdue);
            c.total += usize::from(overdue_ok);
        }
    }
    c
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::patient::tests::{at, day};

    pub fn settings() -> ReferralSettings {
        ReferralSettings::default()
    }

    /// A valid draft form: a specialty referral created on `created`.
    pub fn form(created: &str) -> ReferralDraft {
        ReferralDraft {
            patient_id: "p1".into(),
            kind: "specialty".into(),
            referred_to: "Boston Cardiology Associates".into(),
            reason: "Palpitations".into(),
            referring_provider: "Dr. Amara Okafor".into(),
            created: created.into(),
            ..Default::default()
        }
    }

    /// A referral made from `form(created)` (a draft), moved to `status` along allowed steps.
    pub fn referral(created: &str, status: ReferralStatus) -> Referral {
        let r = form(created).validate(day(2030, 1, 1), &settings()).unwrap().into_new(format!("r-{created}"), "Dana", at(2026, 1, 1));
        let path: &[ReferralStatus] = match status {
            S::Draft => &[],
            S::Requested => &[S::Requested],
            S::Accepted => &[S::Requested, S::Accepted],
            S::Rejected => &[S::Requested, S::Rejected],
            S::Cancelled => &[S::Cancelled],
            S::InProgress => &[S::Requested, S::Accepted, S::InProgress],
            S::OnHold => &[S::Requested, S::Accepted, S::InProgress, S::OnHold],
            S::Completed => &[S::Requested, S::Accepted, S::InProgress, S::Completed],
            S::Failed => &[S::Requested, S::Accepted, S::InProgress, S::Failed],
            S::EnteredInError => &[S::EnteredInError],
        };
        path.iter().fold(r, |r, s| r.move_to(*s, "Dana", at(2026, 1, 2), "").unwrap())
    }

    #[test]
    fn every_pair_of_statuses_follows_the_table() {
        // (from, every status it may move to)
        let table: [(ReferralStatus, &[ReferralStatus]); 10] = [
            (S::Draft, &[S::Requested, S::Cancelled, S::EnteredInError]),
            (S::Requested, &[S::Accepted, S::Rejected, S::Cancelled, S::EnteredInError]),
            (S::Accepted, &[S::InProgress, S::Cancelled, S::EnteredInError]),
            (S::Rejected, &[S::EnteredInError]),
            (S::Cancelled, &[S::EnteredInError]),
            (S::InProgress, &[S::OnHold, S::Completed, S::Failed, S::Cancelled, S::EnteredInError]),
            (S::OnHold, &[S::InProgress, S::Cancelled, S::EnteredInError]),
            (S::Completed, &[S::EnteredInError]),
            (S::Failed, &[S::EnteredInError]),
            (S::EnteredInError, &[]),
        ];
        let mut pairs = 0;
        for (from, allowed) in table {
            for to in ReferralStatus::ALL {
                assert_eq!(can_move(from, to), allowed.contains(&to), "{from:?} → {to:?}");
                let moved = referral("2026-01-05", from).move_to(to, "Dana", at(2026, 1, 3), "");
                assert_eq!(moved.is_ok(), allowed.contains(&to), "move_to {from:?} → {to:?}");
                pairs += 1;
            }
            let mut listed = allowed_next(from).to_vec();
            listed.sort();
            let mut expected = allowed.to_vec();
            expected.sort();
            assert_eq!(listed, expected, "allowed_next({from:?})");
            assert_eq!(from.is_terminal(), allowed.len() <= 1, "terminal statuses can only be marked in error: {from:?}");
        }
        assert_eq!(pairs, 100);
        assert_eq!(ReferralStatus::ALL.iter().filter(|s| s.is_active()).count(), 4);
    }

    #[test]
    fn refused_moves_say_why() {
        let sent = referral("2026-01-05", S::Requested);
        assert_eq!(
            sent.move_to(S::Completed, "Dana", at(2026, 1, 3), "").unwrap_err(),
            "A referral that is “Requested (awaiting reply)” can go to “Accepted”, “Rejected by receiver”, “Cancelled” or “Entered in error”, not to “Completed”."
        );
        assert_eq!(sent.move_to(S::Requested, "Dana", at(2026, 1, 3), "").unwrap_err(), "The referral is already “Requested (awaiting reply)”.");
        let done = referral("2026-01-05", S::Completed);
        assert_eq!(
            done.move_to(S::InProgress, "Dana", at(2026, 1, 3), "").unwrap_err(),
            "This referral is “Completed”, which is final; it can only be marked “Entered in error”."
        );
        let wrong = referral("2026-01-05", S::EnteredInError);
        assert!(wrong.move_to(S::Draft, "Dana", at(2026, 1, 3), "").unwrap_err().contains("entered in error"));
    }

    #[test]
    fn moves_are_kept_in_the_history_with_who_when_and_note() {
        let r = referral("2026-01-05", S::Draft);
        assert_eq!(r.history.len(), 1);
        assert_eq!(r.history[0].kind, ReferralEventKind::Created);
        let sent = r.move_to(S::Requested, " Dana ", at(2026, 1, 6), " faxed ").unwrap();
        assert_eq!(sent.status, S::Requested);
        assert_eq!(sent.updated_at, at(2026, 1, 6));
        let e = sent.history.last().unwrap();
        assert_eq!(e.kind, ReferralEventKind::StatusChanged { from: S::Draft, to: S::Requested });
        assert_eq!((e.at, e.by.as_str(), e.note.as_str()), (at(2026, 1, 6), "Dana", "faxed"));
        assert_eq!(e.describe(), "Draft (not sent) → Requested (awaiting reply) by Dana: faxed");
        assert_eq!(r.status, S::Draft, "the original is untouched");
        let noted = sent.add_note("Dana", at(2026, 1, 7), "Called the office");
        assert_eq!(noted.history.last().unwrap().describe(), "Note by Dana: Called the office");
    }

    #[test]
    fn business_days_skip_weekends() {
        // 2026-11-20 is a Friday.
        let fri = day(2026, 11, 20);
        assert_eq!(fri.weekday(), Weekday::Fri);
        let cases = [
            (day(2026, 11, 16), 2, day(2026, 11, 18)), // Monday → Wednesday
            (day(2026, 11, 18), 2, day(2026, 11, 20)), // Wednesday → Friday
            (day(2026, 11, 19), 2, day(2026, 11, 23)), // Thursday → Monday
            (fri, 2, day(2026, 11, 24)),               // Friday → Tuesday
            (day(2026, 11, 21), 2, day(2026, 11, 24)), // Saturday → Tuesday
            (day(2026, 11, 22), 2, day(2026, 11, 24)), // Sunday → Tuesday
            (fri, 1, day(2026, 11, 23)),               // Friday → Monday
            (day(2026, 11, 21), 1, day(2026, 11, 23)), // Saturday → Monday
            (fri, 5, day(2026, 11, 27)),               // a whole week
            (fri, 10, day(2026, 12, 4)),               // two weeks, across a month
            (day(2026, 12, 31), 2, day(2027, 1, 4)),   // Thursday, across a year
            (day(2026, 11, 21), 0, day(2026, 11, 21)), // zero days: the day itself
        ];
        for (from, n, expected) in cases {
            assert_eq!(add_business_days(from, n), expected, "{from} + {n}");
        }
        let s = settings();
        assert_eq!(s.default_expected_reply(ReferralKind::Community, fri), day(2026, 11, 24));
        assert_eq!(s.default_expected_reply(ReferralKind::Community, day(2026, 11, 21)), day(2026, 11, 24));
        assert_eq!(s.default_expected_reply(ReferralKind::Specialty, fri), day(2026, 12, 4), "14 calendar days");
        // Never lands on a weekend, from any day.
        for n in 0..21 {
            let d = add_business_days(day(2026, 11, 1) + Days::new(n), 2);
            assert!(!matches!(d.weekday(), Weekday::Sat | Weekday::Sun), "{d}");
        }
    }

    #[test]
    fn settings_have_defaults_and_are_checked() {
        let s: ReferralSettings = serde_json::from_str(r#"{"specialty_reply_days": 10}"#).unwrap();
        assert_eq!(s, ReferralSettings { specialty_reply_days: 10, ..ReferralSettings::default() });
        assert_eq!(serde_json::from_str::<ReferralSettings>("{}").unwrap(), settings());
        assert!(s.validated().is_ok());
        let bad = ReferralSettings { prior_auth_overdue_days: 0, ..s };
        assert_eq!(bad.validated().unwrap_err(), "Days for a prior authorization must be between 1 and 365 (not 0).");
    }

    #[test]
    fn no_reply_is_overdue_the_day_after_the_expected_date() {
        let s = settings();
        // Created Tuesday 10 Nov 2026, 14 days: expected Tuesday 24 Nov.
        let r = referral("2026-11-10", S::Requested);
        assert_eq!(r.expected_reply, day(2026, 11, 24));
        assert!(r.overdue(day(2026, 11, 24), &s).is_empty(), "due, not overdue, on the day");
        assert!(r.needs_action_today(day(2026, 11, 24), &s), "a reply expected today needs action");
        assert!(!r.needs_action_today(day(2026, 11, 23), &s));
        let reasons = r.overdue(day(2026, 11, 25), &s);
        assert_eq!(reasons, vec![OverdueReason::NoReply { sent: day(2026, 11, 10), expected: day(2026, 11, 24) }]);
        assert_eq!(reasons[0].label(), "No reply since 10 Nov (expected by 24 Nov)");
        assert!(r.is_overdue(day(2026, 11, 25), &s));
        assert!(r.needs_action_today(day(2026, 11, 25), &s));

        // A reply stops the clock: accepted, or an appointment or a report on file.
        let late = day(2026, 12, 1);
        assert!(!referral("2026-11-10", S::Accepted).is_overdue(late, &s));
        let mut booked = r.clone();
        booked.appointment = Some(day(2026, 12, 20));
        assert!(booked.has_reply() && !booked.is_overdue(late, &s));
        let mut reported = r.clone();
        reported.report_received = Some(day(2026, 11, 30));
        assert!(!reported.is_overdue(late, &s));

        // Community: 2 business days. Created Friday 20 Nov → expected Tuesday 24 Nov.
        let mut f = form("2026-11-20");
        f.kind = "community".into();
        f.referred_to = "Greater Boston Food Bank".into();
        let c = f.validate(day(2026, 11, 30), &s).unwrap().into_new("c".into(), "Dana", at(2026, 11, 20));
        assert_eq!(c.expected_reply, day(2026, 11, 24));
        let c = c.move_to(S::Requested, "Dana", at(2026, 11, 20), "").unwrap();
        assert!(!c.is_overdue(day(2026, 11, 24), &s));
        assert_eq!(c.overdue(day(2026, 11, 25), &s)[0].label(), "No reply since 20 Nov (expected by 24 Nov)");
    }

    #[test]
    fn only_active_referrals_are_overdue() {
        let s = settings();
        let long_after = day(2027, 6, 1);
        for status in ReferralStatus::ALL {
            let mut r = referral("2026-11-10", status);
            r.appointment = Some(day(2026, 11, 12));
            r.prior_auth = PriorAuth { status: PriorAuthStatus::Requested, number: String::new(), requested: Some(day(2026, 11, 10)) };
            assert_eq!(r.is_overdue(long_after, &s), status.is_active(), "{status:?}");
            assert_eq!(r.needs_action_today(long_after, &s), status.is_active() || status == S::Draft, "{status:?}");
        }
    }

    #[test]
    fn no_report_is_overdue_from_the_eighth_day_after_the_appointment() {
        let s = settings();
        let mut r = referral("2026-11-02", S::InProgress);
        r.appointment = Some(day(2026, 11, 10));
        assert!(r.needs_action_today(day(2026, 11, 10), &s), "appointment today");
        assert!(!r.is_overdue(day(2026, 11, 17), &s), "exactly 7 days after: not yet overdue");
        let reasons = r.overdue(day(2026, 11, 18), &s);
        assert_eq!(reasons, vec![OverdueReason::NoReport { appointment: day(2026, 11, 10), expected: day(2026, 11, 17) }]);
        assert_eq!(reasons[0].label(), "No report since the appointment on 10 Nov (expected by 17 Nov)");
        r.report_received = Some(day(2026, 11, 18));
        assert!(!r.is_overdue(day(2026, 11, 18), &s));
        // The clock is configurable.
        r.report_received = None;
        let s3 = ReferralSettings { report_after_appointment_days: 3, ..s };
        assert!(!r.is_overdue(day(2026, 11, 13), &s3));
        assert!(r.is_overdue(day(2026, 11, 14), &s3));
    }

    #[test]
    fn prior_authorization_is_overdue_after_five_days_without_a_decision() {
        let s = settings();
        let mut r = referral("2026-11-02", S::Accepted);
        r.prior_auth = PriorAuth { status: PriorAuthStatus::Requested, number: String::new(), requested: Some(day(2026, 11, 3)) };
        assert!(!r.is_overdue(day(2026, 11, 8), &s), "5 days: not yet");
        let reasons = r.overdue(day(2026, 11, 9), &s);
        assert_eq!(reasons, vec![OverdueReason::PriorAuthPending { requested: day(2026, 11, 3), expected: day(2026, 11, 8) }]);
        assert_eq!(reasons[0].label(), "Prior authorization pending since 3 Nov (expected by 8 Nov)");
        for decided in [PriorAuthStatus::Approved, PriorAuthStatus::Denied] {
            r.prior_auth.status = decided;
            assert!(!r.is_overdue(day(2026, 12, 9), &s));
        }
    }

    #[test]
    fn several_reasons_at_once_in_a_fixed_order() {
        let s = settings();
        let mut r = referral("2026-11-02", S::Requested);
        r.prior_auth = PriorAuth { status: PriorAuthStatus::Requested, number: "PA-1".into(), requested: Some(day(2026, 11, 2)) };
        let reasons = r.overdue(day(2026, 12, 1), &s);
        assert!(matches!(reasons.as_slice(), [OverdueReason::NoReply { .. }, OverdueReason::PriorAuthPending { .. }]), "{reasons:?}");
    }

    #[test]
    fn a_valid_form_makes_a_draft_referral() {
        let s = settings();
        let v = form("2026-11-10").validate(day(2026, 11, 23), &s).unwrap();
        assert_eq!(v.expected_reply, day(2026, 11, 24), "default from settings");
        assert_eq!(v.urgency, Urgency::Routine);
        assert_eq!(v.prior_auth, PriorAuth::default());
        assert_eq!(v.service_id, None);
        let mut f = form("");
        f.expected_reply = "12/01/2026".into();
        f.service_id = " svc-1 ".into();
        let v = f.validate(day(2026, 11, 23), &s).unwrap();
        assert_eq!(v.created, day(2026, 11, 23), "empty means today");
        assert_eq!(v.expected_reply, day(2026, 12, 1));
        assert_eq!(v.service_id.as_deref(), Some("svc-1"));
        let r = v.into_new("r1".into(), "Dana", at(2026, 11, 23));
        assert_eq!(r.status, S::Draft);
        assert!(r.needs_action_today(day(2026, 11, 23), &s), "a draft is not yet sent");
        assert!(r.check(day(2026, 11, 23), &s).is_ok());
    }

    fn errors(f: &ReferralDraft) -> Vec<(ReferralField, String)> {
        f.validate(day(2026, 11, 23), &settings()).unwrap_err().into_iter().map(|e| (e.field, e.message)).collect()
    }

    #[test]
    fn required_fields_and_bad_choices_are_named() {
        let f = ReferralDraft { kind: "dental".into(), urgency: "asap".into(), prior_auth: "maybe".into(), outcome: "happy".into(), ..Default::default() };
        assert_eq!(
            errors(&f),
            vec![
                (ReferralField::Patient, "Choose the patient this referral is for.".into()),
                (ReferralField::Kind, "Kind 'dental' is not one of specialty, community.".into()),
                (ReferralField::ReferredTo, "Referred to is required.".into()),
                (ReferralField::Reason, "Reason is required.".into()),
                (ReferralField::Urgency, "Urgency 'asap' is not one of routine, urgent, stat.".into()),
                (ReferralField::PriorAuth, "Prior authorization 'maybe' is not one of not needed, requested, approved, denied.".into()),
                (ReferralField::Outcome, "Outcome 'happy' is not one of the community outcomes.".into()),
            ]
        );
    }

    #[test]
    fn dates_must_be_dates_and_in_order() {
        let mut f = form("2026-11-10");
        f.expected_reply = "2026-02-31".into();
        f.appointment = "soon".into();
        assert_eq!(
            errors(&f),
            vec![
                (ReferralField::ExpectedReply, "Expected reply by '2026-02-31' is not a date.".into()),
                (ReferralField::Appointment, "Appointment 'soon' is not a date.".into()),
            ]
        );

        let mut f = form("2026-11-10");
        f.appointment = "9999-12-31".into();
        assert_eq!(errors(&f), vec![(ReferralField::Appointment, "Appointment '9999-12-31' is outside 1900–2200.".into())]);

        let mut f = form("2026-11-10");
        f.expected_reply = "2026-11-09".into();
        f.records_forwarded = "2026-11-01".into();
        f.appointment = "2026-11-20".into();
        f.report_received = "2026-11-19".into();
        f.routed_to_provider = "2026-11-18".into();
        assert_eq!(
            errors(&f),
            vec![
                (ReferralField::ExpectedReply, "Expected reply by 2026-11-09 is before the date created (2026-11-10).".into()),
                (ReferralField::RecordsForwarded, "Records forwarded 2026-11-01 is before the date created (2026-11-10).".into()),
                (ReferralField::ReportReceived, "Report received 2026-11-19 is before the appointment (2026-11-20).".into()),
                (ReferralField::RoutedToProvider, "Routed to provider 2026-11-18 is before the report was received (2026-11-19).".into()),
            ]
        );

        let mut f = form("2026-11-24");
        f.routed_to_provider = "2026-11-20".into();
        assert_eq!(
            errors(&f),
            vec![
                (ReferralField::Created, "Date created 2026-11-24 is in the future.".into()),
                (ReferralField::RoutedToProvider, "Routed to provider needs the date the report was received.".into()),
            ]
        );
        // An appointment may be in the future; the expected reply may be the day created.
        let mut f = form("2026-11-20");
        f.appointment = "2026-12-15".into();
        f.expected_reply = "2026-11-20".into();
        assert!(f.validate(day(2026, 11, 23), &settings()).is_ok());
    }

    #[test]
    fn prior_authorization_and_outcome_rules() {
        let mut f = form("2026-11-10");
        f.prior_auth = "requested".into();
        assert_eq!(errors(&f), vec![(ReferralField::PriorAuthRequested, "Give the date the prior authorization was requested.".into())]);
        f.prior_auth_requested = "2026-11-11".into();
        f.prior_auth_number = " PA-77 ".into();
        let v = f.validate(day(2026, 11, 23), &settings()).unwrap();
        assert_eq!(v.prior_auth, PriorAuth { status: PriorAuthStatus::Requested, number: "PA-77".into(), requested: Some(day(2026, 11, 11)) });
        assert_eq!(v.prior_auth.describe(), "Requested (PA-77, requested 2026-11-11)");
        assert_eq!(PriorAuth { number: String::new(), ..v.prior_auth.clone() }.describe(), "Requested 2026-11-11");
        assert_eq!(PriorAuth::default().describe(), "Not needed");
        // "Not needed" drops a stray number or date.
        f.prior_auth = "not_needed".into();
        assert_eq!(f.validate(day(2026, 11, 23), &settings()).unwrap().prior_auth, PriorAuth::default());

        let mut f = form("2026-11-10");
        f.outcome = "got_help".into();
        assert_eq!(errors(&f), vec![(ReferralField::Outcome, "An outcome is kept for community referrals only.".into())]);
        f.kind = "community".into();
        assert_eq!(f.validate(day(2026, 11, 23), &settings()).unwrap().outcome, Some(CommunityOutcome::GotHelp));
    }

    #[test]
    fn edits_name_the_changed_fields_in_the_history() {
        let s = settings();
        let r = referral("2026-11-10", S::Accepted);
        let mut f = r.to_draft();
        assert_eq!(r.apply_edit(&f, day(2026, 11, 23), &s, "Dana", at(2026, 11, 23), "").unwrap(), r, "no change, no entry");
        let noted = r.apply_edit(&f, day(2026, 11, 23), &s, "Dana", at(2026, 11, 23), "Left a message").unwrap();
        assert_eq!(noted.history.last().unwrap().kind, ReferralEventKind::Note);

        f.appointment = "2026-12-01".into();
        f.notes = "Bring the Holter results.".into();
        let e = r.apply_edit(&f, day(2026, 11, 23), &s, "Dana", at(2026, 11, 23), "Booked by phone").unwrap();
        assert_eq!((e.id.as_str(), e.status, e.created_at), (r.id.as_str(), r.status, r.created_at));
        assert_eq!(e.updated_at, at(2026, 11, 23));
        assert_eq!(e.history.len(), r.history.len() + 1);
        let last = e.history.last().unwrap();
        assert_eq!(last.kind, ReferralEventKind::FieldsChanged { fields: vec!["appointment".into(), "notes".into()] });
        assert_eq!(last.describe(), "Changed appointment, notes by Dana: Booked by phone");

        f.reason = " ".into();
        let errs = r.apply_edit(&f, day(2026, 11, 23), &s, "Dana", at(2026, 11, 23), "").unwrap_err();
        assert_eq!(errs[0].to_string(), "Reason is required.");
    }

    #[test]
    fn stores_fhir_codes_and_loads_older_records() {
        let mut r = referral("2026-11-10", S::OnHold);
        r.outcome = None;
        let json = serde_json::to_string(&r).unwrap();
        assert!(json.contains(r#""status":"on-hold""#), "{json}");
        assert!(json.contains(r#""type":"status_changed","from":"in-progress","to":"on-hold""#), "{json}");
        assert_eq!(serde_json::from_str::<Referral>(&json).unwrap(), r);
        assert_eq!(serde_json::to_string(&S::EnteredInError).unwrap(), r#""entered-in-error""#);
        for s in ReferralStatus::ALL {
            assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{}\"", s.code()));
            assert_eq!(ReferralStatus::parse(s.code()), Some(s));
            assert!(!s.label().is_empty());
        }
        // A record with only the essentials loads, the rest defaulted.
        let old = r#"{"id":"r9","patient_id":"p1","referred_to":"Dr. Cho","created":"2026-01-05","expected_reply":"2026-01-19",
            "created_at":"2026-01-05T09:30:00Z","updated_at":"2026-01-05T09:30:00Z"}"#;
        let r: Referral = serde_json::from_str(old).unwrap();
        assert_eq!((r.kind, r.status, r.urgency), (ReferralKind::Specialty, S::Draft, Urgency::Routine));
        assert!(r.history.is_empty() && r.appointment.is_none() && r.service_id.is_none());
        assert_eq!(Referral::STORE, "referrals");
        assert_eq!(r.id(), "r9");
    }

    #[test]
    fn every_choice_has_a_label_and_reads_back_its_code() {
        for k in ReferralKind::ALL {
            assert_eq!(ReferralKind::parse(k.code()), Some(k));
            assert!(!k.label().is_empty());
        }
        for u in Urgency::ALL {
            assert_eq!(Urgency::parse(u.code()), Some(u));
            assert!(!u.label().is_empty());
        }
        for p in PriorAuthStatus::ALL {
            assert_eq!(PriorAuthStatus::parse(p.code()), Some(p));
            assert!(!p.label().is_empty());
        }
        for o in CommunityOutcome::ALL {
            assert_eq!(CommunityOutcome::parse(o.code()), Some(o));
            assert_eq!(serde_json::to_string(&o).unwrap(), format!("\"{}\"", o.code()));
            assert!(!o.label().is_empty());
        }
    }

    #[test]
    fn the_filter_and_its_counts() {
        let s = settings();
        let today = day(2026, 12, 1);
        let mut list = vec![
            referral("2026-11-02", S::Requested), // overdue (expected 16 Nov)
            referral("2026-11-25", S::Requested), // not overdue
            referral("2026-11-03", S::Accepted),
            referral("2026-11-04", S::Completed),
            referral("2026-10-01", S::Draft),
        ];
        list[1].kind = ReferralKind::Community;
        list[1].referring_provider = "Dr. Ben Hadley".into();
        list[2].patient_id = "p2".into();

        let all = ReferralFilter::default();
        assert!(list.iter().all(|r| all.matches(r, today, &s)));
        let c = counts(&list, &all, today, &s);
        assert_eq!((c.total, c.overdue), (5, 1));
        assert_eq!((c.status(S::Requested), c.status(S::Draft), c.status(S::OnHold)), (2, 1, 0));
        assert_eq!((c.kind(ReferralKind::Specialty), c.kind(ReferralKind::Community)), (4, 1));

        let sent = ReferralFilter { status: Some(S::Requested), ..Default::default() };
        let c = counts(&list, &sent, today, &s);
        assert_eq!((c.total, c.overdue), (2, 1));
        assert_eq!(c.status(S::Accepted), 1, "status counts ignore the status chosen");
        assert_eq!(c.kind(ReferralKind::Community), 1, "kind counts keep the status chosen");

        let overdue = ReferralFilter { overdue_only: true, ..Default::default() };
        let shown: Vec<_> = list.iter().filter(|r| overdue.matches(r, today, &s)).map(|r| r.created).collect();
        assert_eq!(shown, vec![day(2026, 11, 2)]);
        let c = counts(&list, &overdue, today, &s);
        assert_eq!((c.total, c.overdue, c.status(S::Requested), c.status(S::Accepted)), (1, 1, 1, 0));

        let november = ReferralFilter { from: Some(day(2026, 11, 1)), to: Some(day(2026, 11, 4)), ..Default::default() };
        assert_eq!(counts(&list, &november, today, &s).total, 3, "from and to are inclusive");
        let hadley = ReferralFilter { provider: Some(" dr. ben HADLEY".into()), ..Default::default() };
        assert_eq!(counts(&list, &hadley, today, &s).total, 1);
        let p2 = ReferralFilter { patient_id: Some("p2".into()), kind: Some(ReferralKind::Specialty), ..Default::default() };
        let c = counts(&list, &p2, today, &s);
        assert_eq!((c.total, c.status(S::Accepted), c.kind(ReferralKind::Community)), (1, 1, 0));
    }
}
