//! The clinic's referral clocks ([`ReferralSettings`]) and when a referral is overdue
//! ([`Referral::overdue`], with business days for community resources).

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::ReferralStatus as S;
use super::{PriorAuthStatus, Referral, ReferralKind};
use crate::model::dates;

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
/// Thursday, 2 is the Monday. `n = 0` gives `d` itself, even on a weekend. (The count with
/// the clinic's holidays is `transition::add_business_days`.)
pub fn add_business_days(d: NaiveDate, n: u32) -> NaiveDate {
    crate::model::transition::add_business_days(d, n, &[])
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

/// Why a referral needs action today (see [`Referral::needs_action`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActionReason {
    /// Overdue, for this (its first) reason.
    Overdue(OverdueReason),
    /// A draft, not sent yet.
    Draft,
    /// Its reply is expected today, or its appointment is today.
    DueToday,
}

impl ActionReason {
    /// What the Today page says: "No reply since 10 Nov (expected by 12 Nov)",
    /// "Draft: not sent yet", "Reply or appointment due today".
    pub fn label(&self) -> String {
        match self {
            ActionReason::Overdue(o) => o.label(),
            ActionReason::Draft => "Draft: not sent yet".into(),
            ActionReason::DueToday => "Reply or appointment due today".into(),
        }
    }
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

impl Referral {
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

    /// For the Today page: why the referral needs action on `today`, if it does: overdue
    /// (its first reason), a draft not yet sent, or an active one whose reply is expected
    /// today (and not yet in) or whose appointment is today.
    pub fn needs_action(&self, today: NaiveDate, settings: &ReferralSettings) -> Option<ActionReason> {
        if self.status == S::Draft {
            return Some(ActionReason::Draft);
        }
        if !self.status.is_active() {
            return None;
        }
        if let Some(o) = self.overdue_checks(today, settings).into_iter().flatten().next() {
            return Some(ActionReason::Overdue(o));
        }
        ((self.expected_reply == today && !self.has_reply()) || self.appointment == Some(today)).then_some(ActionReason::DueToday)
    }

    /// Whether [`Referral::needs_action`] has a reason.
    pub fn needs_action_today(&self, today: NaiveDate, settings: &ReferralSettings) -> bool {
        self.needs_action(today, settings).is_some()
    }
}
