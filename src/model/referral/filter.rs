//! The work list's filter ([`ReferralFilter`]) and the counts on its buttons ([`counts`]).

use chrono::NaiveDate;

use super::{Referral, ReferralKind, ReferralSettings, ReferralStatus};

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
