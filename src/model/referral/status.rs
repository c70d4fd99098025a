//! Where a referral stands: [`ReferralStatus`] (FHIR `Task` status codes) and the moves
//! allowed between them ([`allowed_next`]).

use serde::{Deserialize, Serialize};

use crate::model::choice::{by_code, choice_impl};

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
        by_code(s)
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

choice_impl!(ReferralStatus);

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
