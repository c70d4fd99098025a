//! Deterministic synthetic referrals for benchmarks and demonstrations: the same seed gives
//! the same referrals, a realistic mix of specialists and community resources at every
//! stage of the loop, some of them overdue.

use chrono::{Days, NaiveDate, TimeZone};

use super::synth::Rng;
use crate::model::ids;
use crate::model::referral::{
    CommunityOutcome, PriorAuth, PriorAuthStatus, Referral, ReferralEvent, ReferralEventKind, ReferralKind, ReferralSettings,
    ReferralStatus, Urgency,
};
use crate::model::Timestamp;

/// (specialist or practice, reasons)
const SPECIALISTS: &[(&str, &[&str])] = &[
    ("Boston Cardiology Associates", &["Palpitations", "Chest pain on exertion", "New murmur"]),
    ("Dr. Priya Iyer, Endocrinology", &["Uncontrolled type 2 diabetes", "Thyroid nodule"]),
    ("Harbor Eye Care", &["Diabetic retinal exam", "Blurred vision"]),
    ("Dr. Jérôme Lefèvre, Gastroenterology", &["Screening colonoscopy", "Iron-deficiency anemia"]),
    ("South End Orthopedics", &["Knee pain", "Low back pain with sciatica"]),
    ("Riverside Behavioral Health", &["Depression, PHQ-9 of 16", "Anxiety"]),
    ("Dr. Omar Haddad, Nephrology", &["eGFR 38, rising uACR"]),
    ("Bay State Dermatology", &["Changing mole", "Psoriasis"]),
];

/// (community resource, directory service id, reasons)
const RESOURCES: &[(&str, &str, &[&str])] = &[
    ("Greater Boston Food Bank", "svc-food-bank", &["Food insecurity (Hunger Vital Sign positive)"]),
    ("Chelsea Housing Help Desk", "svc-housing-desk", &["Behind on rent", "Unsafe housing"]),
    ("MassRides Medical Transport", "svc-transport", &["No transport to appointments"]),
    ("Fuel Assistance Program", "svc-fuel", &["Cannot pay heating bill"]),
    ("Elder Services of the Merrimack Valley", "svc-elder", &["Needs help at home"]),
    ("Community Legal Aid", "svc-legal", &["Eviction notice"]),
];

const PROVIDERS: &[&str] = &["Dr. Amara Okafor", "Dr. Ben Hadley", "Dr. Carmen Ruiz", "Dr. Daniel Cho", "NP Gloria Santos"];

fn plus(d: NaiveDate, n: usize) -> NaiveDate {
    d + Days::new(n as u64)
}

/// 09:00 UTC plus `minutes` on `d`.
fn time_on(d: NaiveDate, minutes: usize) -> Timestamp {
    chrono::Utc.from_utc_datetime(&d.and_hms_opt(9, 0, 0).expect("9:00 exists")) + chrono::Duration::minutes(minutes as i64)
}

/// `n` referrals of `patient_ids` (which must not be empty) from `seed`, created over the
/// year before `today`: about 60% to specialists, 40% to community resources; drafts,
/// referrals still waiting (some overdue), booked, reported, closed, declined, cancelled and
/// failed; prior authorizations (some pending too long). Each has the history of its moves.
/// Every one passes [`Referral::check`] on `today` with the default settings.
pub fn referrals(patient_ids: &[String], n: usize, seed: u64, today: NaiveDate) -> Vec<Referral> {
    use ReferralStatus as S;
    let settings = ReferralSettings::default();
    let mut rng = Rng::new(seed ^ 0x5EF3_4A15);
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let age = if rng.chance(50) { rng.below(60) } else { 60 + rng.below(305) };
        let created = today - Days::new(age as u64);
        let kind = if rng.chance(60) { ReferralKind::Specialty } else { ReferralKind::Community };
        let (referred_to, service_id, reason) = match kind {
            ReferralKind::Specialty => {
                let (name, reasons) = *rng.pick(SPECIALISTS);
                (name, None, *rng.pick(reasons))
            }
            ReferralKind::Community => {
                let (name, service, reasons) = *rng.pick(RESOURCES);
                (name, rng.chance(70).then(|| service.to_string()), *rng.pick(reasons))
            }
        };
        let urgency = match rng.below(100) {
            0..=79 => Urgency::Routine,
            80..=94 => Urgency::Urgent,
            _ => Urgency::Stat,
        };
        let who = *rng.pick(&["Dana Reyes", "Sam Okoro"]);
        let mut r = Referral { rev: 0,
            id: ids::uuid_v4(rng.bytes16()),
            patient_id: rng.pick(patient_ids).clone(),
            kind,
            referred_to: referred_to.to_string(),
            service_id,
            reason: reason.to_string(),
            urgency,
            referring_provider: rng.pick(PROVIDERS).to_string(),
            status: S::Draft,
            created,
            expected_reply: settings.default_expected_reply(kind, created),
            prior_auth: PriorAuth::default(),
            records_forwarded: None,
            appointment: None,
            report_received: None,
            routed_to_provider: None,
            outcome: None,
            notes: if rng.chance(15) { "Patient prefers a Spanish-speaking contact.".to_string() } else { String::new() },
            history: vec![ReferralEvent { at: time_on(created, 0), by: who.to_string(), kind: ReferralEventKind::Created, note: String::new() }],
            created_at: time_on(created, 0),
            updated_at: time_on(created, 0),
        };

        // The days each step takes, from the date created.
        let reply = 1 + rng.below(match kind {
            ReferralKind::Specialty => 18,
            ReferralKind::Community => 4,
        });
        let appointment = reply + 2 + rng.below(35);
        let report = appointment + rng.below(14);
        let routed = report + rng.below(3);
        let reached = |days: usize| plus(created, days) <= today;

        // Where this referral's story ends.
        let mut path: Vec<(ReferralStatus, usize)> = Vec::new();
        let roll = rng.below(100);
        if roll < 3 {
            // A draft not yet sent.
        } else if roll < 5 {
            path = vec![(S::Requested, 0), (S::EnteredInError, 0)];
        } else if roll < 12 || !reached(reply) {
            // Still waiting for a reply: overdue once the expected date has passed.
            path = vec![(S::Requested, 0)];
        } else if roll < 16 {
            path = vec![(S::Requested, 0), (S::Rejected, reply)];
        } else if roll < 20 {
            path = vec![(S::Requested, 0), (S::Cancelled, reply)];
        } else {
            path = vec![(S::Requested, 0), (S::Accepted, reply)];
            if kind == ReferralKind::Specialty && rng.chance(70) {
                r.records_forwarded = Some(plus(created, (reply.min(2)).min(age)));
            }
            r.appointment = Some(plus(created, appointment));
            if reached(appointment) {
                path.push((S::InProgress, appointment));
                let reported = rng.chance(85);
                if reported && reached(report) {
                    r.report_received = Some(plus(created, report));
                    if reached(routed) {
                        r.routed_to_provider = Some(plus(created, routed));
                        path.push((S::Completed, routed));
                        if kind == ReferralKind::Community {
                            r.outcome = Some(*rng.pick(&CommunityOutcome::ALL));
                        }
                    }
                } else if !reported && rng.chance(30) {
                    path.push((S::Failed, appointment));
                } else if rng.chance(20) {
                    path.push((S::OnHold, appointment));
                }
            }
        }

        if kind == ReferralKind::Specialty && rng.chance(25) && !path.is_empty() {
            let requested = plus(created, 1.min(age));
            let decided = reached(reply) && rng.chance(80);
            r.prior_auth = PriorAuth {
                status: match (decided, rng.chance(90)) {
                    (false, _) => PriorAuthStatus::Requested,
                    (true, true) => PriorAuthStatus::Approved,
                    (true, false) => PriorAuthStatus::Denied,
                },
                number: if decided { format!("PA-{:06}", rng.below(1_000_000)) } else { String::new() },
                requested: Some(requested),
            };
        }

        for (step, (to, days)) in path.into_iter().enumerate() {
            let at = time_on(plus(created, days), 30 + step);
            r = r.move_to(to, who, at, "").expect("the synthetic paths follow the allowed moves");
        }
        out.push(r);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::patient::tests::day;
    use crate::model::referral::{counts, ReferralFilter};

    fn patient_ids() -> Vec<String> {
        (0..200).map(|i| format!("p{i}")).collect()
    }

    #[test]
    fn same_seed_same_referrals_every_one_valid_and_a_realistic_mix() {
        let today = day(2026, 11, 23);
        let s = ReferralSettings::default();
        let a = referrals(&patient_ids(), 3000, 7, today);
        assert_eq!(a, referrals(&patient_ids(), 3000, 7, today));
        assert_ne!(a, referrals(&patient_ids(), 3000, 8, today));
        for r in &a {
            assert!(r.check(today, &s).is_ok(), "{:?}\n{r:?}", r.check(today, &s));
            assert!(ids::is_uuid(&r.id));
            assert!(r.history.windows(2).all(|w| w[0].at <= w[1].at), "history in order: {r:?}");
            assert_eq!(r.updated_at, r.history.last().unwrap().at);
        }
        let c = counts(&a, &ReferralFilter::default(), today, &s);
        for status in ReferralStatus::ALL {
            assert!(c.status(status) > 0, "some {status:?}: {c:?}");
        }
        let overdue_share = c.overdue * 100 / c.total;
        assert!((5..=40).contains(&overdue_share), "some overdue, not most: {overdue_share}%");
        let community = c.kind(ReferralKind::Community) * 100 / c.total;
        assert!((30..=50).contains(&community), "{community}% community");
        assert!(a.iter().any(|r| r.loop_closed()));
        assert!(a.iter().any(|r| r.outcome.is_some()));
        assert!(a.iter().any(|r| r.prior_auth.status == PriorAuthStatus::Requested && r.is_overdue(today, &s)));
    }

    /// The app holds referrals without their history (`Listed`): everything the work list,
    /// its counts, the overdue rules, the summary, the CSV log and the work queue show is the
    /// same as from the whole records.
    #[test]
    fn a_referral_without_its_history_lists_counts_and_summarizes_the_same() {
        use crate::model::referral_summary::summary;
        use crate::model::{work_queue, Listed};
        let today = day(2026, 11, 23);
        let s = ReferralSettings::default();
        let whole = referrals(&patient_ids(), 3000, 7, today);
        let listed: Vec<Referral> = whole.iter().cloned().map(Listed::listed).collect();
        for (w, l) in whole.iter().zip(&listed) {
            assert!(l.history.is_empty() && !w.history.is_empty());
            assert_eq!(Referral { history: w.history.clone(), ..l.clone() }, *w, "only the history is left out");
            assert_eq!(w.overdue(today, &s), l.overdue(today, &s));
            assert_eq!(w.needs_action(today, &s), l.needs_action(today, &s));
        }
        for filter in [ReferralFilter::default(), ReferralFilter { overdue_only: true, ..Default::default() }] {
            assert_eq!(counts(&whole, &filter, today, &s), counts(&listed, &filter, today, &s));
        }
        assert_eq!(summary(&whole, day(2026, 1, 1), today), summary(&listed, day(2026, 1, 1), today));
        assert_eq!(work_queue::referral_items(&whole, today, &s), work_queue::referral_items(&listed, today, &s));
        let name = |_: &str| (String::from("Núñez, María"), String::from("MRN1"));
        assert_eq!(crate::io::referrals_csv::write(whole.iter(), name, today, &s), crate::io::referrals_csv::write(listed.iter(), name, today, &s));
    }
}

