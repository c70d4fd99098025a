//! The registry: each patient's problem list, care events and encounters, the clinic's
//! care-gap rules, and the figures built from them (gaps per patient, open gaps per
//! condition, the last visit, the last result of an item).
//!
//! Encounters are few per patient: the import keeps only the emergency visits, the hospital
//! stays and the latest other visit (`model::history_import`).

use std::collections::HashMap;

use chrono::NaiveDate;

use super::care::{self, CareEvent, CareRule, EventOutcome, GapResult};
use super::encounter::Encounter;
use super::{ChronicCondition, Condition, Panel, Patient};

/// Conditions, care events and encounters by patient, and the rules in force.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Registry {
    conditions: HashMap<String, Vec<Condition>>,
    events: HashMap<String, Vec<CareEvent>>,
    encounters: HashMap<String, Vec<Encounter>>,
    rules: Vec<CareRule>,
}

/// How many patients with a condition have each rule's gap open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConditionSummary {
    pub condition: ChronicCondition,
    pub patients: usize,
    /// (rule label, patients with that gap open), in rule order.
    pub open_by_rule: Vec<(String, usize)>,
}

impl Registry {
    /// A registry; with no stored rules, the default rule table is used.
    pub fn new(conditions: Vec<Condition>, events: Vec<CareEvent>, rules: Vec<CareRule>) -> Registry {
        let mut r = Registry::default();
        r.set_rules(rules);
        for c in conditions {
            r.conditions.entry(c.patient_id.clone()).or_default().push(c);
        }
        for e in events {
            r.events.entry(e.patient_id.clone()).or_default().push(e);
        }
        r
    }

    /// The registry with these encounters too (as read from the store).
    pub fn with_encounters(mut self, encounters: Vec<Encounter>) -> Registry {
        for e in encounters {
            self.encounters.entry(e.patient_id.clone()).or_default().push(e);
        }
        self
    }

    pub fn rules(&self) -> &[CareRule] {
        &self.rules
    }

    /// The care items of the rules in use, as (item code, label), by label, each item once
    /// (several rules can share an item, as blood pressure does).
    pub fn rule_items(&self) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = self.rules.iter().filter(|r| r.enabled).map(|r| (r.item.clone(), r.label.clone())).collect();
        v.sort_by(|a, b| a.1.cmp(&b.1));
        v.dedup_by(|a, b| a.0 == b.0);
        v
    }

    /// What the coordinator calls a care item: the label of the first rule for it
    /// ("HbA1c"), else its code in words ("kidney screen").
    pub fn item_label(&self, item: &str) -> String {
        self.rules.iter().find(|rule| rule.item == item).map_or_else(|| item.replace('_', " "), |rule| rule.label.clone())
    }

    /// Puts stored rules in force (the defaults when none are stored).
    pub fn set_rules(&mut self, rules: Vec<CareRule>) {
        self.rules = if rules.is_empty() { care::default_rules() } else { rules };
    }

    pub fn conditions_of(&self, patient_id: &str) -> &[Condition] {
        self.conditions.get(patient_id).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn events_of(&self, patient_id: &str) -> &[CareEvent] {
        self.events.get(patient_id).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn encounters_of(&self, patient_id: &str) -> &[Encounter] {
        self.encounters.get(patient_id).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn all_conditions(&self) -> impl Iterator<Item = &Condition> {
        self.conditions.values().flatten()
    }

    pub fn all_events(&self) -> impl Iterator<Item = &CareEvent> {
        self.events.values().flatten()
    }

    pub fn all_encounters(&self) -> impl Iterator<Item = &Encounter> {
        self.encounters.values().flatten()
    }

    /// Adds or replaces a condition (by id).
    pub fn put_condition(&mut self, c: Condition) {
        let list = self.conditions.entry(c.patient_id.clone()).or_default();
        list.retain(|x| x.id != c.id);
        list.push(c);
    }

    /// Adds or replaces a care event (by id).
    pub fn put_event(&mut self, e: CareEvent) {
        let list = self.events.entry(e.patient_id.clone()).or_default();
        list.retain(|x| x.id != e.id);
        list.push(e);
    }

    /// Adds or replaces an encounter (by id).
    pub fn put_encounter(&mut self, e: Encounter) {
        let list = self.encounters.entry(e.patient_id.clone()).or_default();
        list.retain(|x| x.id != e.id);
        list.push(e);
    }

    /// Drops everything recorded about a patient (when the patient is deleted).
    pub fn forget_patient(&mut self, patient_id: &str) {
        self.conditions.remove(patient_id);
        self.events.remove(patient_id);
        self.encounters.remove(patient_id);
    }

    /// The patient's latest encounter of any kind that started on or before `today` (the
    /// UTC date of its start); a booked visit still to come is not a visit.
    pub fn last_visit(&self, patient_id: &str, today: NaiveDate) -> Option<&Encounter> {
        self.encounters_of(patient_id).iter().filter(|e| e.start.date_naive() <= today).max_by_key(|e| e.start)
    }

    /// The patient's latest event of `item` that was done (the latest date; on the same date
    /// the one recorded last), e.g. the last HbA1c with its value. Declines and exclusions
    /// are not results.
    pub fn last_result(&self, patient_id: &str, item: &str) -> Option<&CareEvent> {
        self.events_of(patient_id)
            .iter()
            .filter(|e| e.item == item && e.outcome == EventOutcome::Done)
            .max_by_key(|e| (e.date, e.created_at))
    }

    /// The registry conditions a patient has active on `today`.
    pub fn chronic_of(&self, patient_id: &str, today: NaiveDate) -> Vec<ChronicCondition> {
        let mut out: Vec<ChronicCondition> =
            self.conditions_of(patient_id).iter().filter(|c| c.active_on(today)).filter_map(|c| c.chronic).collect();
        out.sort();
        out.dedup();
        out
    }

    /// Every applicable care item of `patient` with its status on `today`.
    pub fn gaps(&self, patient: &Patient, today: NaiveDate) -> Vec<GapResult> {
        care::evaluate(patient, self.conditions_of(&patient.id), self.events_of(&patient.id), &self.rules, today)
    }

    /// Open-gap counts per patient id: (open, overdue).
    pub fn gap_counts(&self, panel: &Panel, today: NaiveDate) -> HashMap<String, (u16, u16)> {
        panel
            .patients()
            .iter()
            .map(|p| {
                let gaps = self.gaps(p, today);
                let open = gaps.iter().filter(|g| g.is_open()).count() as u16;
                let overdue = gaps.iter().filter(|g| g.status == care::GapStatus::Overdue).count() as u16;
                (p.id.clone(), (open, overdue))
            })
            .collect()
    }

    /// Per chronic condition: how many patients have it and how many have each gap open.
    pub fn summary(&self, panel: &Panel, today: NaiveDate) -> Vec<ConditionSummary> {
        // Per condition: its rules, the patients counted, and the open count per rule.
        let mut tally: Vec<(ChronicCondition, Vec<&CareRule>, usize, Vec<usize>)> = ChronicCondition::ALL
            .iter()
            .map(|&c| {
                let rules: Vec<&CareRule> = self.rules.iter().filter(|r| r.enabled && r.conditions.contains(&c)).collect();
                let open = vec![0; rules.len()];
                (c, rules, 0, open)
            })
            .collect();
        // Each patient's gaps are worked out once, whatever the number of their conditions.
        for p in panel.patients() {
            let chronic = self.chronic_of(&p.id, today);
            if chronic.is_empty() {
                continue;
            }
            let gaps = self.gaps(p, today);
            for (condition, rules, patients, open) in tally.iter_mut() {
                if !chronic.contains(condition) {
                    continue;
                }
                *patients += 1;
                for (i, rule) in rules.iter().enumerate() {
                    if gaps.iter().any(|g| g.rule_id == rule.id && g.is_open()) {
                        open[i] += 1;
                    }
                }
            }
        }
        tally
            .into_iter()
            .map(|(condition, rules, patients, open)| ConditionSummary {
                condition,
                patients,
                open_by_rule: rules.iter().zip(open).map(|(r, n)| (r.label.clone(), n)).collect(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::patient::tests::{at, day, patient};
    use crate::model::condition::tests::diabetes;
    use crate::model::encounter::EncounterClass;

    fn hba1c(pid: &str, date: NaiveDate) -> CareEvent {
        CareEvent { source_id: String::new(), rev: 0,
            id: format!("{pid}-e1"),
            patient_id: pid.into(),
            item: care::items::HBA1C.into(),
            date,
            value: Some("7.1".into()),
            outcome: EventOutcome::Done,
            note: String::new(),
            created_at: at(2026, 1, 1),
        }
    }

    #[test]
    fn recording_an_hba1c_closes_the_gap_and_the_summary_counts_it() {
        let today = day(2026, 11, 23);
        let panel = Panel::new(vec![patient("a", "Ana", "Lima", "1960-01-01"), patient("b", "Rui", "Costa", "1970-01-01")]);
        let mut reg = Registry::new(vec![diabetes("a"), diabetes("b")], vec![], vec![]);
        let open_hba1c = |reg: &Registry, id: &str| {
            reg.gaps(panel.get(id).unwrap(), today).iter().any(|g| g.item == care::items::HBA1C && g.is_open())
        };
        assert!(open_hba1c(&reg, "a"));
        let s = &reg.summary(&panel, today)[0];
        assert_eq!(s.condition, ChronicCondition::Diabetes);
        assert_eq!(s.patients, 2);
        assert_eq!(s.open_by_rule.iter().find(|(l, _)| l == "HbA1c").unwrap().1, 2);

        reg.put_event(hba1c("a", day(2026, 11, 1)));
        assert!(!open_hba1c(&reg, "a"));
        assert!(open_hba1c(&reg, "b"));
        let s = &reg.summary(&panel, today)[0];
        assert_eq!(s.open_by_rule.iter().find(|(l, _)| l == "HbA1c").unwrap().1, 1);
        let counts = reg.gap_counts(&panel, today);
        assert!(counts["a"].0 < counts["b"].0);

        assert_eq!(reg.chronic_of("a", today), vec![ChronicCondition::Diabetes]);
        reg.forget_patient("a");
        assert!(reg.chronic_of("a", today).is_empty());
    }

    #[test]
    fn rule_items_are_the_enabled_items_once_each_by_label() {
        let mut rules = care::default_rules();
        let hba1c = rules.iter_mut().find(|r| r.id == "diabetes-hba1c").unwrap();
        hba1c.enabled = false;
        let items = Registry::new(Vec::new(), Vec::new(), rules.clone()).rule_items();
        assert!(!items.iter().any(|(code, _)| code == care::items::HBA1C));
        let labels: Vec<&str> = items.iter().map(|(_, l)| l.as_str()).collect();
        let mut sorted = labels.clone();
        sorted.sort();
        assert_eq!(labels, sorted);
        let codes: std::collections::HashSet<&str> = items.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(codes.len(), items.len(), "each item once");
        let enabled: std::collections::HashSet<&str> = rules.iter().filter(|r| r.enabled).map(|r| r.item.as_str()).collect();
        assert_eq!(codes, enabled);
    }

    // Caleb651 Pagac496 of ../shared/testdata/synthea-csv, as imported under record id "rec-caleb".
    fn caleb_hba1c(written: &str, value: &str) -> CareEvent {
        let date = crate::model::dates::parse_timestamp(written).unwrap().date_naive();
        CareEvent {
            id: format!("id-{written}"),
            source_id: format!("synthea-observation:5f8d3e13-bc80-dd66-0f1b-d24f9692a697:e:4548-4:{written}"),
            value: Some(value.into()),
            ..hba1c("rec-caleb", date)
        }
    }

    fn caleb_visit(id: &str, start: &str, class: EncounterClass) -> Encounter {
        Encounter {
            id: id.into(),
            rev: 0,
            patient_id: "rec-caleb".into(),
            source_id: id.into(),
            class,
            start: crate::model::dates::parse_timestamp(start).unwrap(),
            stop: None,
            code: String::new(),
            description: String::new(),
            reason: String::new(),
        }
    }

    #[test]
    fn the_last_visit_is_the_latest_encounter_started_by_today() {
        let reg = Registry::new(vec![], vec![], vec![]).with_encounters(vec![
            caleb_visit("921c384b-7f9d-4bb9-99cf-1ac27f59a9ce", "2023-07-21T06:01:15Z", EncounterClass::Emergency),
            caleb_visit("dc644b80-0d99-5205-e4a0-02c408ed7c39", "2024-01-21T06:01:15Z", EncounterClass::Wellness),
            caleb_visit("653a9a03-0a5d-cb31-f0ce-5e8857ad44be", "2023-12-31T06:01:15Z", EncounterClass::Ambulatory),
            caleb_visit("booked", "2026-12-01T14:00:00Z", EncounterClass::Ambulatory),
        ]);
        let last = |today| reg.last_visit("rec-caleb", today).map(|e| e.id.as_str());
        assert_eq!(last(day(2026, 11, 23)), Some("dc644b80-0d99-5205-e4a0-02c408ed7c39"), "the booked visit is to come");
        assert_eq!(last(day(2024, 1, 21)), Some("dc644b80-0d99-5205-e4a0-02c408ed7c39"), "today counts");
        assert_eq!(last(day(2024, 1, 20)), Some("653a9a03-0a5d-cb31-f0ce-5e8857ad44be"));
        assert_eq!(last(day(2026, 12, 1)), Some("booked"));
        assert_eq!(last(day(2023, 1, 1)), None);
        assert_eq!(reg.last_visit("someone-else", day(2026, 11, 23)), None);
        assert_eq!(reg.all_encounters().count(), 4);

        // put_encounter replaces by id; forgetting the patient forgets their encounters.
        let mut reg = reg;
        let mut moved = caleb_visit("booked", "2026-12-02T14:00:00Z", EncounterClass::Virtual);
        moved.rev = 1;
        reg.put_encounter(moved.clone());
        assert_eq!(reg.encounters_of("rec-caleb").len(), 4);
        assert!(reg.encounters_of("rec-caleb").contains(&moved));
        reg.forget_patient("rec-caleb");
        assert!(reg.encounters_of("rec-caleb").is_empty());
        assert_eq!(reg, Registry::new(vec![], vec![], vec![]), "nothing else was there");
    }

    #[test]
    fn an_item_is_named_by_its_rule_else_by_its_code() {
        let r = Registry::new(vec![], vec![], vec![]);
        assert_eq!(r.item_label(crate::model::care::items::HBA1C), "HbA1c");
        assert_eq!(r.item_label("no_such_item"), "no such item");
    }

    #[test]
    fn the_last_result_is_the_latest_done_with_its_value() {
        let mut declined = caleb_hba1c("2024-06-01T10:00:00Z", "");
        declined.value = None;
        declined.outcome = EventOutcome::Declined;
        let mut reg = Registry::new(
            vec![],
            vec![
                caleb_hba1c("2023-11-26T06:01:15Z", "6.2"),
                caleb_hba1c("2024-01-21T06:01:15Z", "6.3"),
                caleb_hba1c("2023-05-07T06:01:15Z", "5.9"),
                declined,
            ],
            vec![],
        );
        let last = |reg: &Registry| reg.last_result("rec-caleb", care::items::HBA1C).map(|e| (e.date, e.value.clone()));
        assert_eq!(last(&reg), Some((day(2024, 1, 21), Some("6.3".to_string()))), "a decline is not a result");
        assert_eq!(reg.last_result("rec-caleb", care::items::BLOOD_PRESSURE), None);

        // The same date: the one recorded last.
        let mut retyped = caleb_hba1c("2024-01-21T06:01:15Z", "6.4");
        retyped.id = "typed".into();
        retyped.source_id.clear();
        retyped.created_at = at(2026, 2, 1);
        reg.put_event(retyped);
        assert_eq!(last(&reg), Some((day(2024, 1, 21), Some("6.4".to_string()))));
    }

    #[test]
    fn stored_rules_replace_the_defaults() {
        let mut rules = care::default_rules();
        rules.truncate(2);
        let reg = Registry::new(vec![], vec![], rules.clone());
        assert_eq!(reg.rules(), rules.as_slice());
        assert_eq!(Registry::new(vec![], vec![], vec![]).rules().len(), care::default_rules().len());
    }
}
