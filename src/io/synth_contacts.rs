//! Deterministic synthetic contacts for benchmarks and demonstrations: the same seed gives
//! the same contact log, a realistic mix of calls, messages and visits of a few minutes
//! each, by a handful of coordinators.

use chrono::{Days, NaiveDate, NaiveTime, TimeZone};

use super::synth::Rng;
use crate::model::contact::{Contact, ContactMethod, ContactOutcome, Direction, Party, Purpose};
use crate::model::ids;

const STAFF: &[&str] = &["Dana Whitfield", "Sam Okoro", "Rosa Jiménez", "Lee Tran"];
const MINUTES: &[u16] = &[2, 3, 5, 5, 7, 8, 10, 12, 15, 20, 25, 30];

/// `n` contacts spread over `patient_ids` (none when there are none) and over the `days`
/// days from `first`, between 08:00 and 17:59, created on the day they are dated.
pub fn contacts(patient_ids: &[String], n: usize, seed: u64, first: NaiveDate, days: u32) -> Vec<Contact> {
    if patient_ids.is_empty() {
        return Vec::new();
    }
    let mut rng = Rng::new(seed ^ 0xCA11);
    let days = days.max(1) as usize;
    (0..n)
        .map(|_| {
            let date = first.checked_add_days(Days::new(rng.below(days) as u64)).unwrap_or(first);
            let time = NaiveTime::from_hms_opt(8 + rng.below(10) as u32, rng.below(60) as u32, 0);
            let with = if rng.chance(70) { Party::Patient } else { *rng.pick(&Party::ALL) };
            let method = if rng.chance(60) { ContactMethod::Phone } else { *rng.pick(&ContactMethod::ALL) };
            let outcome = *rng.pick(&ContactOutcome::ALL);
            let created = chrono::Utc.from_utc_datetime(&date.and_time(time.unwrap_or_default()));
            Contact {
                id: ids::uuid_v4(rng.bytes16()),
                rev: 0,
                patient_id: rng.pick(patient_ids).clone(),
                date,
                time,
                minutes: *rng.pick(MINUTES),
                direction: if rng.chance(75) { Direction::Outgoing } else { Direction::Incoming },
                with,
                method,
                purpose: *rng.pick(&Purpose::ALL),
                outcome,
                follow_up: rng.chance(10).then(|| date + Days::new(7)),
                by: rng.pick(STAFF).to_string(),
                note: String::new(),
                created_at: created,
                updated_at: created,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_valid_contacts() {
        let ids: Vec<String> = (0..20).map(|i| format!("p{i}")).collect();
        let first = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        let a = contacts(&ids, 500, 3, first, 30);
        assert_eq!(a, contacts(&ids, 500, 3, first, 30));
        assert_eq!(a.len(), 500);
        for c in &a {
            assert!(c.check().is_ok(), "{c:?}");
            assert!(c.date >= first && c.date < first + Days::new(30));
            assert!(ids.contains(&c.patient_id));
        }
        assert!(contacts(&[], 5, 3, first, 30).is_empty());
    }
}
