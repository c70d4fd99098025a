//! The chronic-care month: the minutes logged for each patient in a calendar month (from
//! the contact log) and the Chronic Care Management codes they reach.
//!
//! The rules (Medicare, `DOMAIN.md`): 99490 at 20 minutes, then 99439 for each further full
//! 20 (at 40 and 60), at most twice; a patient marked complex for the month
//! (`CareProfile::complex_months`) bills 99487 at 60 minutes, then 99489 for each further
//! full 30 (at 90, 120, …), with no cap. Under 60 minutes a complex month bills as a
//! non-complex one (99490, 99439), so the time is not lost. Eligible: two or more registry
//! chronic conditions active at some time in the month, and CCM consent on file by the
//! month's last day; other patients with time logged are shown apart.
//!
//! A contact counts in the month of its local date (`Contact::date`: see `model::contact`),
//! so a call at 23:59 on 30 November is November's and one at 00:00 on 1 December is
//! December's.

use chrono::{Datelike, NaiveDate};

use super::contact::Contact;
use super::dates::YearMonth;
use super::ids::QuickMap;
use super::panel::PanelSort;
use super::registry::Registry;
use super::{Panel, Patient};

/// How close below a threshold a patient is listed as close to it.
pub const CLOSE_MINUTES: u32 = 5;

/// Non-complex CCM, the first 20 minutes.
pub const CCM_FIRST: &str = "99490";
/// Non-complex CCM, each further 20 minutes (at most [`CCM_MORE_MAX`]).
pub const CCM_MORE: &str = "99439";
/// Complex CCM, the first 60 minutes.
pub const COMPLEX_FIRST: &str = "99487";
/// Complex CCM, each further 30 minutes.
pub const COMPLEX_MORE: &str = "99489";
/// The most units of 99439 in a month.
pub const CCM_MORE_MAX: u32 = 2;

/// The codes `minutes` in a month reach, each with its units: non-complex 99490 at 20 and
/// 99439 for each further full 20 (two at most); complex 99487 at 60 and 99489 for each
/// further full 30. A complex month under 60 minutes gets the non-complex codes.
pub fn codes(minutes: u32, complex: bool) -> Vec<(&'static str, u32)> {
    if complex && minutes >= 60 {
        let more = (minutes - 60) / 30;
        let mut out = vec![(COMPLEX_FIRST, 1)];
        if more > 0 {
            out.push((COMPLEX_MORE, more));
        }
        return out;
    }
    if minutes < 20 {
        return Vec::new();
    }
    let more = ((minutes - 20) / 20).min(CCM_MORE_MAX);
    let mut out = vec![(CCM_FIRST, 1)];
    if more > 0 {
        out.push((CCM_MORE, more));
    }
    out
}

/// "99490, 99439 x2" ("" for none).
pub fn codes_text(codes: &[(&str, u32)]) -> String {
    let parts: Vec<String> = codes.iter().map(|&(code, units)| if units == 1 { code.to_string() } else { format!("{code} x{units}") }).collect();
    parts.join(", ")
}

/// The next number of minutes that reaches a code, with that code: 20 (99490), 40 and 60
/// (99439) when not complex, and nothing past 60; when complex, 60 (99487) and every 30
/// after (99489), the non-complex steps before 60.
pub fn next_threshold(minutes: u32, complex: bool) -> Option<(u32, &'static str)> {
    match minutes {
        0..20 => Some((20, CCM_FIRST)),
        20..40 => Some((40, CCM_MORE)),
        40..60 if complex => Some((60, COMPLEX_FIRST)),
        40..60 => Some((60, CCM_MORE)),
        _ if complex => Some((60 + ((minutes - 60) / 30 + 1) * 30, COMPLEX_MORE)),
        _ => None,
    }
}

/// Days left in `month` from `today`, today included: 3 on the 28th of a 30-day month; 0
/// once the month is over; the whole month before it starts.
pub fn days_left(month: YearMonth, today: NaiveDate) -> u32 {
    let from = today.max(month.first_day());
    let last = month.last_day();
    if from > last {
        0
    } else {
        (last - from).num_days() as u32 + 1
    }
}

/// The minutes logged for each patient in `month`, by patient id.
pub fn minutes_by_patient(contacts: &[Contact], month: YearMonth) -> QuickMap<&str, u32> {
    let mut out: QuickMap<&str, u32> = QuickMap::default();
    for c in contacts.iter().filter(|c| month.contains(c.date)) {
        *out.entry(c.patient_id.as_str()).or_default() += u32::from(c.minutes);
    }
    out
}

/// Why a patient's time in a month cannot be billed as chronic care management.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotEligible {
    /// Fewer than two registry chronic conditions in the month (how many there were).
    FewConditions(usize),
    /// No CCM consent on file by the month's end.
    NoConsent,
}

impl NotEligible {
    /// "1 chronic condition (2 needed)", "No CCM consent on file".
    pub fn label(self) -> String {
        match self {
            NotEligible::FewConditions(1) => "1 chronic condition (2 needed)".into(),
            NotEligible::FewConditions(n) => format!("{n} chronic conditions (2 needed)"),
            NotEligible::NoConsent => "No CCM consent on file".into(),
        }
    }
}

/// Whether `patient` is eligible for chronic care management in `month`: two or more
/// registry chronic conditions active at some time in the month, and consent on file by
/// its last day. Every reason it is not, fewest conditions first.
pub fn eligibility(patient: &Patient, registry: &Registry, month: YearMonth) -> Result<(), Vec<NotEligible>> {
    let (first, last) = (month.first_day(), month.last_day());
    let mut seen = 0u8;
    for c in registry.conditions_of(&patient.id) {
        if let Some(chronic) = c.chronic.filter(|_| c.onset.is_none_or(|o| o <= last) && c.resolved.is_none_or(|r| r > first)) {
            seen |= 1 << (chronic as u8);
        }
    }
    let mut why = Vec::new();
    let count = seen.count_ones() as usize;
    if count < 2 {
        why.push(NotEligible::FewConditions(count));
    }
    if patient.profile.ccm_consent_on.is_none_or(|d| d > last) {
        why.push(NotEligible::NoConsent);
    }
    if why.is_empty() {
        Ok(())
    } else {
        Err(why)
    }
}

/// One patient's month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CareRow {
    pub patient_id: String,
    /// "Núñez, María".
    pub name: String,
    pub mrn: String,
    pub minutes: u32,
    /// Marked complex for the month.
    pub complex: bool,
    /// The codes reached, with their units (see [`codes`]).
    pub codes: Vec<(&'static str, u32)>,
    /// Who logged the time, each once, sorted.
    pub staff: Vec<String>,
    /// The dates of the contacts, each once, oldest first.
    pub dates: Vec<NaiveDate>,
    /// How many contacts.
    pub contacts: usize,
    /// Why the time cannot be billed (empty for an eligible patient).
    pub not_eligible: Vec<NotEligible>,
}

/// A patient close to a threshold: `short_by` minutes (1 to [`CLOSE_MINUTES`]) below
/// `threshold`, which reaches `code`, with `days_left` in the month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NearThreshold {
    pub patient_id: String,
    pub name: String,
    pub minutes: u32,
    pub threshold: u32,
    pub code: &'static str,
    pub short_by: u32,
    pub days_left: u32,
}

/// The chronic-care month: every eligible patient (with or without time logged), and the
/// others with time logged, each list in name order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CareMonth {
    pub month: YearMonth,
    pub eligible: Vec<CareRow>,
    pub others: Vec<CareRow>,
}

/// One patient's contacts in the month, as they are counted.
#[derive(Clone, Default)]
struct Tally {
    minutes: u32,
    contacts: usize,
    /// Indices into the month's staff names.
    staff: Vec<u32>,
    /// Bit `d - 1` set: a contact on day `d`.
    days: u32,
}

impl CareMonth {
    /// The month's rows from the panel, the registry and every contact: one pass over the
    /// contacts (tallied by the patient's place on the panel, each coordinator's name kept
    /// once), one over the panel in name order.
    pub fn build(panel: &Panel, registry: &Registry, contacts: &[Contact], month: YearMonth) -> CareMonth {
        let place: QuickMap<&str, usize> = panel.patients().iter().enumerate().map(|(i, p)| (p.id.as_str(), i)).collect();
        let mut tallies: Vec<Tally> = vec![Tally::default(); panel.len()];
        let mut staff_names: Vec<&str> = Vec::new();
        let mut staff_index: QuickMap<&str, u32> = QuickMap::default();
        for c in contacts.iter().filter(|c| month.contains(c.date)) {
            let Some(&i) = place.get(c.patient_id.as_str()) else { continue };
            let t = &mut tallies[i];
            t.minutes += u32::from(c.minutes);
            t.contacts += 1;
            t.days |= 1 << (c.date.day0() & 31);
            let by = c.by.trim();
            // Most contacts are by someone already counted for the patient.
            if !by.is_empty() && !t.staff.iter().any(|&n| staff_names[n as usize] == by) {
                let n = *staff_index.entry(by).or_insert_with(|| {
                    staff_names.push(by);
                    (staff_names.len() - 1) as u32
                });
                t.staff.push(n);
            }
        }
        let first = month.first_day();
        let mut eligible = Vec::new();
        let mut others = Vec::new();
        for i in panel.search("", PanelSort::Name) {
            let p = panel.at(i);
            let tally = std::mem::take(&mut tallies[i as usize]);
            let why = eligibility(p, registry, month).err().unwrap_or_default();
            if !why.is_empty() && tally.contacts == 0 {
                continue;
            }
            let mut staff: Vec<String> = tally.staff.iter().map(|&n| staff_names[n as usize].to_string()).collect();
            staff.sort_unstable();
            let dates = (0..31u32).filter(|d| tally.days & (1 << d) != 0).filter_map(|d| first.checked_add_days(chrono::Days::new(d.into()))).collect();
            let complex = p.profile.is_complex_in(month);
            let minutes = tally.minutes;
            let row = CareRow {
                patient_id: p.id.clone(),
                name: p.sort_name(),
                mrn: p.mrn.clone(),
                minutes,
                complex,
                codes: if why.is_empty() { codes(minutes, complex) } else { Vec::new() },
                staff,
                dates,
                contacts: tally.contacts,
                not_eligible: why,
            };
            if row.not_eligible.is_empty() {
                eligible.push(row);
            } else {
                others.push(row);
            }
        }
        CareMonth { month, eligible, others }
    }

    /// The eligible patients within [`CLOSE_MINUTES`] below their next threshold, with the
    /// days left in the month from `today`; none once the month is over. Fewest minutes
    /// short first, then by name.
    pub fn close_to_threshold(&self, today: NaiveDate) -> Vec<NearThreshold> {
        let days_left = days_left(self.month, today);
        if days_left == 0 {
            return Vec::new();
        }
        let mut out: Vec<NearThreshold> = self
            .eligible
            .iter()
            .filter_map(|r| {
                let (threshold, code) = next_threshold(r.minutes, r.complex)?;
                let short_by = threshold - r.minutes;
                (short_by <= CLOSE_MINUTES).then(|| NearThreshold {
                    patient_id: r.patient_id.clone(),
                    name: r.name.clone(),
                    minutes: r.minutes,
                    threshold,
                    code,
                    short_by,
                    days_left,
                })
            })
            .collect();
        out.sort_by_key(|n| n.short_by);
        out
    }

    /// How many eligible patients reached at least one code.
    pub fn billable(&self) -> usize {
        self.eligible.iter().filter(|r| !r.codes.is_empty()).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::condition::tests::diabetes;
    use crate::model::contact::tests::contact;
    use crate::model::patient::tests::{day, patient};
    use crate::model::{ChronicCondition, Condition};

    fn month(s: &str) -> YearMonth {
        YearMonth::parse(s).unwrap()
    }

    fn hypertension(patient_id: &str) -> Condition {
        Condition { id: format!("{patient_id}-c2"), code: "59621000".into(), display: "Essential hypertension".into(), chronic: Some(ChronicCondition::Hypertension), ..diabetes(patient_id) }
    }

    /// Ana (eligible: two conditions, consent), Rui (consent, one condition), Lia (two
    /// conditions, no consent), Bo (eligible, complex in November 2026).
    fn clinic() -> (Panel, Registry) {
        let mut ana = patient("a", "Ana", "Lima", "1950-01-01");
        ana.mrn = "MRN-1".into();
        ana.profile.ccm_consent_on = Some(day(2026, 1, 5));
        let mut rui = patient("r", "Rui", "Costa", "1960-01-01");
        rui.profile.ccm_consent_on = Some(day(2026, 1, 5));
        let lia = patient("l", "Lia", "Souza", "1970-01-01");
        let mut bo = patient("b", "Bo", "Berg", "1940-01-01");
        bo.profile.ccm_consent_on = Some(day(2026, 11, 30));
        bo.profile.set_complex(month("2026-11"), true);
        let conditions = vec![diabetes("a"), hypertension("a"), diabetes("r"), diabetes("l"), hypertension("l"), diabetes("b"), hypertension("b")];
        (Panel::new(vec![ana, rui, lia, bo]), Registry::new(conditions, vec![], vec![]))
    }

    #[test]
    fn non_complex_thresholds() {
        assert_eq!(codes(0, false), vec![]);
        assert_eq!(codes(19, false), vec![]);
        assert_eq!(codes(20, false), vec![("99490", 1)]);
        assert_eq!(codes(39, false), vec![("99490", 1)]);
        assert_eq!(codes(40, false), vec![("99490", 1), ("99439", 1)]);
        assert_eq!(codes(59, false), vec![("99490", 1), ("99439", 1)]);
        assert_eq!(codes(60, false), vec![("99490", 1), ("99439", 2)]);
        assert_eq!(codes(89, false), vec![("99490", 1), ("99439", 2)]);
        assert_eq!(codes(90, false), vec![("99490", 1), ("99439", 2)], "99439 at most twice");
        assert_eq!(codes(500, false), vec![("99490", 1), ("99439", 2)]);
    }

    #[test]
    fn complex_thresholds() {
        assert_eq!(codes(19, true), vec![], "a complex month under 60 bills as a non-complex one");
        assert_eq!(codes(20, true), vec![("99490", 1)]);
        assert_eq!(codes(40, true), vec![("99490", 1), ("99439", 1)]);
        assert_eq!(codes(59, true), vec![("99490", 1), ("99439", 1)]);
        assert_eq!(codes(60, true), vec![("99487", 1)]);
        assert_eq!(codes(89, true), vec![("99487", 1)]);
        assert_eq!(codes(90, true), vec![("99487", 1), ("99489", 1)]);
        assert_eq!(codes(119, true), vec![("99487", 1), ("99489", 1)]);
        assert_eq!(codes(120, true), vec![("99487", 1), ("99489", 2)]);
        assert_eq!(codes(240, true), vec![("99487", 1), ("99489", 6)], "no cap on 99489");
        assert_eq!(codes_text(&codes(60, false)), "99490, 99439 x2");
        assert_eq!(codes_text(&codes(90, true)), "99487, 99489");
        assert_eq!(codes_text(&[]), "");
    }

    #[test]
    fn the_next_threshold_and_its_code() {
        assert_eq!(next_threshold(0, false), Some((20, "99490")));
        assert_eq!(next_threshold(19, false), Some((20, "99490")));
        assert_eq!(next_threshold(20, false), Some((40, "99439")));
        assert_eq!(next_threshold(59, false), Some((60, "99439")));
        assert_eq!(next_threshold(60, false), None, "nothing more to reach");
        assert_eq!(next_threshold(59, true), Some((60, "99487")));
        assert_eq!(next_threshold(60, true), Some((90, "99489")));
        assert_eq!(next_threshold(89, true), Some((90, "99489")));
        assert_eq!(next_threshold(90, true), Some((120, "99489")));
        // Every threshold is where the codes change.
        for complex in [false, true] {
            for m in 0..300 {
                if let Some((t, _)) = next_threshold(m, complex) {
                    assert_eq!(codes(t - 1, complex), codes(m, complex), "{m} {complex}");
                    assert_ne!(codes(t, complex), codes(t - 1, complex), "{t} {complex}");
                }
            }
        }
    }

    #[test]
    fn days_left_counts_today() {
        let nov = month("2026-11");
        assert_eq!(days_left(nov, day(2026, 11, 28)), 3);
        assert_eq!(days_left(nov, day(2026, 11, 30)), 1);
        assert_eq!(days_left(nov, day(2026, 12, 1)), 0);
        assert_eq!(days_left(nov, day(2026, 10, 15)), 30, "before the month: all of it");
    }

    #[test]
    fn a_contact_counts_in_the_month_of_its_local_date() {
        let contacts = [
            contact("a", day(2026, 10, 31), "23:59", 7),
            contact("a", day(2026, 11, 1), "00:00", 11),
            contact("a", day(2026, 11, 30), "23:59", 9),
            contact("a", day(2026, 12, 1), "00:00", 13),
            contact("r", day(2026, 11, 15), "", 4),
        ];
        let nov = minutes_by_patient(&contacts, month("2026-11"));
        assert_eq!((nov["a"], nov["r"]), (20, 4));
        assert_eq!(minutes_by_patient(&contacts, month("2026-10"))["a"], 7);
        assert_eq!(minutes_by_patient(&contacts, month("2026-12"))["a"], 13);
        let (panel, registry) = clinic();
        let m = CareMonth::build(&panel, &registry, &contacts, month("2026-11"));
        let ana = m.eligible.iter().find(|r| r.patient_id == "a").unwrap();
        assert_eq!((ana.minutes, ana.contacts, ana.codes.clone()), (20, 2, vec![("99490", 1)]));
        assert_eq!(ana.dates, vec![day(2026, 11, 1), day(2026, 11, 30)]);
    }

    #[test]
    fn the_month_shows_eligible_patients_and_the_others_apart() {
        let (panel, registry) = clinic();
        let mut contacts = vec![
            contact("a", day(2026, 11, 3), "10:00", 12),
            contact("a", day(2026, 11, 3), "15:00", 13),
            contact("r", day(2026, 11, 4), "", 30),
            contact("b", day(2026, 11, 20), "", 55),
            contact("b", day(2026, 11, 21), "", 36),
            contact("gone", day(2026, 11, 21), "", 36),
        ];
        contacts[1].by = "Sam".into();
        let m = CareMonth::build(&panel, &registry, &contacts, month("2026-11"));
        let names: Vec<&str> = m.eligible.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["Berg, Bo", "Lima, Ana"], "every eligible patient, in name order");
        let ana = &m.eligible[1];
        assert_eq!((ana.minutes, ana.mrn.as_str(), ana.complex), (25, "MRN-1", false));
        assert_eq!(ana.codes, vec![("99490", 1)]);
        assert_eq!(ana.staff, vec!["Dana".to_string(), "Sam".to_string()]);
        assert_eq!(ana.dates, vec![day(2026, 11, 3)]);
        let bo = &m.eligible[0];
        assert_eq!((bo.minutes, bo.complex, bo.codes.clone()), (91, true, vec![("99487", 1), ("99489", 1)]));
        // Rui has time but one condition; Lia has no time and is not listed; the contact of
        // a patient no longer on the panel is not counted.
        assert_eq!(m.others.len(), 1);
        assert_eq!((m.others[0].name.as_str(), m.others[0].minutes), ("Costa, Rui", 30));
        assert_eq!(m.others[0].not_eligible, vec![NotEligible::FewConditions(1)]);
        assert!(m.others[0].codes.is_empty(), "no codes for time that cannot be billed");
        assert_eq!(m.billable(), 2);
        // Not complex in December, and nothing logged then.
        let dec = CareMonth::build(&panel, &registry, &contacts, month("2026-12"));
        assert!(dec.eligible.iter().all(|r| r.minutes == 0 && !r.complex && r.codes.is_empty()));
        assert!(dec.others.is_empty());
    }

    #[test]
    fn eligibility_needs_two_conditions_in_the_month_and_consent_by_its_end() {
        let (panel, registry) = clinic();
        let nov = month("2026-11");
        assert_eq!(eligibility(panel.get("a").unwrap(), &registry, nov), Ok(()));
        assert_eq!(eligibility(panel.get("l").unwrap(), &registry, nov), Err(vec![NotEligible::NoConsent]));
        assert_eq!(eligibility(panel.get("b").unwrap(), &registry, nov), Ok(()), "consent on the last day counts");
        assert_eq!(eligibility(panel.get("b").unwrap(), &registry, month("2026-10")), Err(vec![NotEligible::NoConsent]));
        let lone = patient("z", "Zé", "Reis", "1980-01-01");
        assert_eq!(eligibility(&lone, &registry, nov), Err(vec![NotEligible::FewConditions(0), NotEligible::NoConsent]));
        // A condition resolved during the month still counts for it; resolved before, not.
        let mut hyp = hypertension("a");
        hyp.resolved = Some(day(2026, 11, 10));
        let r = Registry::new(vec![diabetes("a"), hyp.clone()], vec![], vec![]);
        assert_eq!(eligibility(panel.get("a").unwrap(), &r, nov), Ok(()));
        assert_eq!(eligibility(panel.get("a").unwrap(), &r, month("2026-12")), Err(vec![NotEligible::FewConditions(1)]));
        // Two entries of one condition are one condition.
        let twice = Registry::new(vec![diabetes("a"), Condition { id: "x".into(), ..diabetes("a") }], vec![], vec![]);
        assert_eq!(eligibility(panel.get("a").unwrap(), &twice, nov), Err(vec![NotEligible::FewConditions(1)]));
        assert_eq!(NotEligible::FewConditions(1).label(), "1 chronic condition (2 needed)");
        assert_eq!(NotEligible::FewConditions(0).label(), "0 chronic conditions (2 needed)");
    }

    #[test]
    fn who_is_close_to_a_threshold() {
        let (panel, registry) = clinic();
        let contacts = [contact("a", day(2026, 11, 3), "", 16), contact("b", day(2026, 11, 3), "", 57), contact("r", day(2026, 11, 3), "", 19)];
        let m = CareMonth::build(&panel, &registry, &contacts, month("2026-11"));
        let close = m.close_to_threshold(day(2026, 11, 28));
        let shape: Vec<(&str, u32, u32, &str, u32)> = close.iter().map(|n| (n.name.as_str(), n.minutes, n.threshold, n.code, n.short_by)).collect();
        assert_eq!(shape, [("Berg, Bo", 57, 60, "99487", 3), ("Lima, Ana", 16, 20, "99490", 4)], "Rui is not eligible");
        assert!(close.iter().all(|n| n.days_left == 3));
        assert!(m.close_to_threshold(day(2026, 12, 1)).is_empty(), "the month is over");
        // 5 short is close; 6 short is not.
        let at = |minutes| CareMonth::build(&panel, &registry, &[contact("a", day(2026, 11, 3), "", minutes)], month("2026-11"));
        assert_eq!(at(15).close_to_threshold(day(2026, 11, 1)).len(), 1);
        assert_eq!(at(14).close_to_threshold(day(2026, 11, 1)).len(), 0);
        assert_eq!(at(20).close_to_threshold(day(2026, 11, 1)).len(), 0, "at the threshold: 20 short of the next");
    }

    /// `cargo test --release --lib care_time -- --ignored --nocapture`
    #[test]
    #[ignore]
    fn a_month_of_10000_patients_and_200000_contacts_is_quick() {
        let now = crate::model::patient::tests::at(2026, 11, 1);
        let patients = crate::io::synth::patients(10_000, 7, now);
        let conditions = crate::io::synth::conditions(&patients, 7, now);
        let ids: Vec<String> = patients.iter().map(|p| p.id.clone()).collect();
        let contacts = crate::io::synth_contacts::contacts(&ids, 200_000, 7, day(2026, 11, 1), 30);
        let panel = Panel::new(patients);
        let registry = Registry::new(conditions, vec![], vec![]);
        let nov = month("2026-11");
        // The best of 20 runs: the machine running the tests may be busy with others.
        let mut best = std::time::Duration::MAX;
        let mut m = CareMonth { month: nov, eligible: vec![], others: vec![] };
        for _ in 0..20 {
            drop(m);
            let start = std::time::Instant::now();
            m = CareMonth::build(&panel, &registry, &contacts, nov);
            best = best.min(start.elapsed());
        }
        println!(
            "FIGURE care month: {} ms for 10,000 patients and 200,000 contacts ({} eligible, {} others, {} in the month)",
            best.as_secs_f64() * 1000.0,
            m.eligible.len(),
            m.others.len(),
            m.eligible.iter().chain(&m.others).map(|r| r.contacts).sum::<usize>()
        );
        assert!(best.as_millis() < 100, "{best:?}");
    }
}
