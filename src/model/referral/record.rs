//! The referral record: [`Referral`] with its history ([`ReferralEvent`]), and moving it
//! along the status machine or adding a note.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{allowed_next, can_move, CommunityOutcome, PriorAuth, ReferralKind, ReferralStatus, Urgency};
use super::ReferralStatus as S;
use crate::model::{Record, Timestamp};

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

/// A referral of one patient.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Referral {
    pub id: String,
    /// The record's revision: raised by one at each checked write (`model::revision`).
    #[serde(default)]
    pub rev: u64,
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
    /// A reply is expected by this date (default from [`ReferralSettings`](super::ReferralSettings)).
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

/// The work list, its counts, the overdue rules, the summary and the work queue need
/// everything but the history: a referral is held in memory (and in its store's snapshot)
/// without it, and the referral's page reads the whole record from the store.
impl crate::model::Listed for Referral {
    const TRIMMED: bool = true;
    /// The newest 1,000: more than the work list draws at first (200).
    const FIRST_PART: usize = 1_000;
    fn listed(mut self) -> Referral {
        self.history = Vec::new();
        self
    }
    fn list_order(a: &Referral, b: &Referral) -> std::cmp::Ordering {
        a.newest_first(b)
    }
}

impl Referral {
    /// The work list's order: the newest made first (by date made, then by when entered,
    /// then by id, so the order is the same whatever order they were read in).
    pub fn newest_first(&self, other: &Referral) -> std::cmp::Ordering {
        other.created.cmp(&self.created).then_with(|| other.created_at.cmp(&self.created_at)).then_with(|| self.id.cmp(&other.id))
    }

    /// The receiver has answered: the status moved beyond "requested" (accepted, declined,
    /// in progress...), or an appointment or a report is recorded.
    pub fn has_reply(&self) -> bool {
        !matches!(self.status, S::Draft | S::Requested) || self.appointment.is_some() || self.report_received.is_some()
    }

    /// The loop is closed: the report is back and routed to the referring provider.
    pub fn loop_closed(&self) -> bool {
        self.report_received.is_some() && self.routed_to_provider.is_some()
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
