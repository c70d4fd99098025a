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
//!
//! Where things are: the coded choices in `codes`, the status machine in `status`, the
//! record and its history in `record`, the clocks and overdue rules in `overdue`, the form
//! in `form`, the work list's filter and counts in `filter`. Everything is used from here,
//! `model::referral::...`.

mod codes;
mod filter;
mod form;
mod overdue;
mod record;
mod status;

pub use codes::{CommunityOutcome, PriorAuth, PriorAuthStatus, ReferralKind, Urgency};
pub use filter::{counts, ReferralCounts, ReferralFilter};
pub use form::{ReferralDraft, ReferralField, ReferralFieldError, ValidReferral};
pub use overdue::{add_business_days, ActionReason, OverdueReason, ReferralSettings};
pub use record::{Referral, ReferralEvent, ReferralEventKind};
pub use status::{allowed_next, can_move, ReferralStatus};

#[cfg(test)]
pub(crate) mod tests;
