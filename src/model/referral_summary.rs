//! The referral summary for a period: how many referrals were made, how many came back, and
//! how long the loop took, overall, by kind and by destination.

use chrono::NaiveDate;

use super::referral::{Referral, ReferralKind, ReferralStatus};
use super::text;

/// The figures for one group of referrals.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SummaryLine {
    /// Referrals created in the period (drafts never sent and entries in error left out).
    pub made: usize,
    /// Of those, how many are completed.
    pub completed: usize,
    /// Of those, how many have the report back and routed to the referring provider.
    pub loop_closed: usize,
    /// Median days from the date created to the appointment, over those with one.
    pub median_days_to_appointment: Option<f64>,
    /// Median days from the date created to the report received, over those with one.
    pub median_days_to_report: Option<f64>,
}

impl SummaryLine {
    fn of(referrals: &[&Referral]) -> SummaryLine {
        let days = |pick: fn(&Referral) -> Option<NaiveDate>| -> Vec<i64> {
            referrals.iter().filter_map(|r| pick(r).map(|d| (d - r.created).num_days())).collect()
        };
        SummaryLine {
            made: referrals.len(),
            completed: referrals.iter().filter(|r| r.status == ReferralStatus::Completed).count(),
            loop_closed: referrals.iter().filter(|r| r.loop_closed()).count(),
            median_days_to_appointment: median(days(|r| r.appointment)),
            median_days_to_report: median(days(|r| r.report_received)),
        }
    }
}

/// The summary of the referrals created from `from` to `to` (both included).
#[derive(Clone, Debug, PartialEq)]
pub struct ReferralSummary {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub all: SummaryLine,
    /// Both kinds, specialty first, even when a kind has none.
    pub by_kind: Vec<(ReferralKind, SummaryLine)>,
    /// One line per destination (names compared ignoring case and accents, shown as first
    /// written), most referrals first, then by name.
    pub by_destination: Vec<(String, SummaryLine)>,
}

/// The median of `values` as days: the middle value, or the mean of the two middle values
/// when there is an even number of them (so 2 and 5 give 3.5); `None` when there are none.
pub fn median(mut values: Vec<i64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let mid = values.len() / 2;
    Some(if values.len() % 2 == 1 { values[mid] as f64 } else { (values[mid - 1] + values[mid]) as f64 / 2.0 })
}

/// Whether a referral counts as "made": sent at some point, and not a mistake.
fn counts_as_made(r: &Referral) -> bool {
    !matches!(r.status, ReferralStatus::Draft | ReferralStatus::EnteredInError)
}

/// The summary of the referrals created from `from` to `to` (both included). Referrals still
/// in draft and those entered in error are not counted.
pub fn summary<'a>(referrals: impl IntoIterator<Item = &'a Referral>, from: NaiveDate, to: NaiveDate) -> ReferralSummary {
    let chosen: Vec<&Referral> = referrals.into_iter().filter(|r| r.created >= from && r.created <= to && counts_as_made(r)).collect();

    let by_kind = ReferralKind::ALL
        .into_iter()
        .map(|k| {
            let of_kind: Vec<&Referral> = chosen.iter().copied().filter(|r| r.kind == k).collect();
            (k, SummaryLine::of(&of_kind))
        })
        .collect();

    // Group by folded name, keeping the first spelling seen.
    let mut groups: Vec<(String, String, Vec<&Referral>)> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for r in &chosen {
        let key = text::fold(r.referred_to.trim());
        let i = *index.entry(key.clone()).or_insert_with(|| {
            groups.push((key, r.referred_to.trim().to_string(), Vec::new()));
            groups.len() - 1
        });
        groups[i].2.push(r);
    }
    let mut by_destination: Vec<(String, SummaryLine)> = groups.into_iter().map(|(_, name, rs)| (name, SummaryLine::of(&rs))).collect();
    by_destination.sort_by(|a, b| b.1.made.cmp(&a.1.made).then_with(|| text::fold(&a.0).cmp(&text::fold(&b.0))));

    ReferralSummary { from, to, all: SummaryLine::of(&chosen), by_kind, by_destination }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::patient::tests::day;
    use crate::model::referral::tests::referral;
    use ReferralStatus as S;

    #[test]
    fn medians_of_odd_and_even_counts() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![7]), Some(7.0));
        assert_eq!(median(vec![9, 1, 4]), Some(4.0));
        assert_eq!(median(vec![5, 2]), Some(3.5));
        assert_eq!(median(vec![10, 2, 6, 4]), Some(5.0));
    }

    #[test]
    fn figures_by_hand() {
        // Four specialty referrals to two cardiology spellings and one to a food bank, in
        // November 2026; one more before the period, a draft and an error inside it.
        let mut a = referral("2026-11-02", S::Completed);
        a.referred_to = "Boston Cardiology".into();
        a.appointment = Some(day(2026, 11, 12)); // 10 days
        a.report_received = Some(day(2026, 11, 16)); // 14 days
        a.routed_to_provider = Some(day(2026, 11, 17));
        let mut b = referral("2026-11-03", S::InProgress);
        b.referred_to = "boston cardiology ".into();
        b.appointment = Some(day(2026, 11, 7)); // 4 days
        b.report_received = Some(day(2026, 11, 23)); // 20 days, not routed
        let mut c = referral("2026-11-10", S::Accepted);
        c.referred_to = "Dr. Cho".into();
        c.appointment = Some(day(2026, 11, 30)); // 20 days
        let mut d = referral("2026-11-20", S::Requested);
        d.referred_to = "Dr. Cho".into();
        let mut e = referral("2026-11-30", S::Completed);
        e.kind = ReferralKind::Community;
        e.referred_to = "Food Bank".into();
        e.report_received = Some(day(2026, 12, 2)); // 2 days
        e.routed_to_provider = Some(day(2026, 12, 2));
        let before = referral("2026-10-31", S::Completed);
        let draft = referral("2026-11-15", S::Draft);
        let error = referral("2026-11-16", S::EnteredInError);
        let all = [a, b, c, d, e, before, draft, error];

        let s = summary(&all, day(2026, 11, 1), day(2026, 11, 30));
        assert_eq!(
            s.all,
            SummaryLine {
                made: 5,
                completed: 2,
                loop_closed: 2,
                median_days_to_appointment: Some(10.0), // 4, 10, 20
                median_days_to_report: Some(14.0),      // 2, 14, 20
            }
        );
        assert_eq!(s.by_kind[0].0, ReferralKind::Specialty);
        assert_eq!(
            s.by_kind[0].1,
            SummaryLine { made: 4, completed: 1, loop_closed: 1, median_days_to_appointment: Some(10.0), median_days_to_report: Some(17.0) }
        );
        assert_eq!(
            s.by_kind[1].1,
            SummaryLine { made: 1, completed: 1, loop_closed: 1, median_days_to_appointment: None, median_days_to_report: Some(2.0) }
        );
        let names: Vec<(&str, usize)> = s.by_destination.iter().map(|(n, l)| (n.as_str(), l.made)).collect();
        assert_eq!(names, vec![("Boston Cardiology", 2), ("Dr. Cho", 2), ("Food Bank", 1)]);
        let cardio = &s.by_destination[0].1;
        assert_eq!(cardio.median_days_to_appointment, Some(7.0), "mean of 4 and 10");
        assert_eq!(cardio.median_days_to_report, Some(17.0), "mean of 14 and 20");
        assert_eq!(cardio.loop_closed, 1);
        assert_eq!(s.by_destination[1].1.median_days_to_report, None);

        let empty = summary(&all, day(2025, 1, 1), day(2025, 1, 31));
        assert_eq!(empty.all, SummaryLine::default());
        assert!(empty.by_destination.is_empty());
        assert_eq!(empty.by_kind.len(), 2);
    }
}
