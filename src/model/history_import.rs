//! Care history from the EHR imported for the patients on the panel.
//!
//! The reader (`io::care_history`) gives every care event and encounter the file's own
//! key as `source_id` and the FILE's patient key as `patient_id` (Synthea's `PATIENT`, the
//! FHIR Patient id, the template's MRN). [`plan_history`] decides what is written:
//! - **whose it is**, found once per patient key, in this order: the patient imported in
//!   the same go (the patient plan's [`ImportPlan::chosen`](super::patient_import::ImportPlan::chosen));
//!   the patient on the panel whose `source_id` is the key; one whose `id` is the key and
//!   who has no other source id (records imported before source ids were kept); the one
//!   patient whose MRN is the key (spaces around and case ignored; an MRN two patients
//!   share finds neither). A key that finds nobody is listed in
//!   [`HistoryPlan::not_in_panel`] with what it had; none of it is written;
//! - **care events**: a new one gets a CareCoord id (the file's key stays its
//!   `source_id`); one already stored for that patient with the same `source_id` is not
//!   written again, nor is a second copy in the files (the first is kept). Importing the
//!   same files twice writes nothing the second time (an event recorded in CareCoord has
//!   no source id, so it never stands for one of the files');
//! - **encounters**: only what the app uses is kept, so their store stays small: every
//!   emergency visit and hospital stay (transitions of care start from them) and, for each
//!   patient, the latest other visit in the files, if it started after every encounter
//!   already stored for them (it is their last visit). The older visits are counted in
//!   [`HistoryPlan::encounters_not_kept`], not written. One already stored is not written
//!   again.
//!
//! How many events of each care item the files hold is `io::care_history`'s
//! `CareHistory::summary`; the plan only counts what it writes and what it leaves out.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use super::care::CareEvent;
use super::encounter::Encounter;
use super::ids::{fnv1a, FNV_OFFSET, FNV_PRIME};
use super::registry::Registry;
use super::text::count_of;
use super::{Panel, Timestamp};

/// A patient of the files that is not on the panel, and what the files had for them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotOnPanel {
    /// The file's patient id (the MRN for CareCoord's template).
    pub key: String,
    pub events: usize,
    pub encounters: usize,
}

impl std::fmt::Display for NotOnPanel {
    /// "Patient 'b9c610cd-…' of the file is not on the panel: 37 care events and 12
    /// encounters not imported."
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let events = count_of(self.events, "care event", "care events");
        let encounters = count_of(self.encounters, "encounter", "encounters");
        let what = match (self.events, self.encounters) {
            (_, 0) => events,
            (0, _) => encounters,
            _ => format!("{events} and {encounters}"),
        };
        write!(f, "Patient '{}' of the file is not on the panel: {what} not imported.", self.key)
    }
}

/// What importing care history will write (see the module notes).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HistoryPlan {
    /// Care events to add, with CareCoord ids and record ids of their patients.
    pub events: Vec<CareEvent>,
    /// Encounters to add, likewise.
    pub encounters: Vec<Encounter>,
    /// Care events already stored (or a second copy in the files): not written.
    pub events_already: usize,
    /// Encounters already stored (or a second copy in the files): not written.
    pub encounters_already: usize,
    /// Older routine visits left out (only the latest is kept).
    pub encounters_not_kept: usize,
    /// Patients of the files not on the panel: most rows first, then by key.
    pub not_in_panel: Vec<NotOnPanel>,
}

impl HistoryPlan {
    /// Whether there is nothing to write.
    pub fn is_empty(&self) -> bool {
        self.events.is_empty() && self.encounters.is_empty()
    }

    /// The journal summary (counts only, no names or values): "212 care events, 31 encounters".
    pub fn journal_summary(&self) -> String {
        format!(
            "{}, {}",
            count_of(self.events.len(), "care event", "care events"),
            count_of(self.encounters.len(), "encounter", "encounters")
        )
    }

    /// The confirmation once written: "Imported 212 care events and 31 encounters.", with
    /// how many patients of the files are not on the panel when some are not.
    pub fn confirmation(&self) -> String {
        let mut sentence = if !self.is_empty() {
            format!(
                "Imported {} and {}.",
                count_of(self.events.len(), "care event", "care events"),
                count_of(self.encounters.len(), "encounter", "encounters")
            )
        } else if self.not_in_panel.is_empty() {
            "Nothing new to import: every event in these files is already stored.".to_string()
        } else if self.events_already + self.encounters_already == 0 {
            "Nothing was imported.".to_string()
        } else {
            "Nothing new to import for the patients on the panel: their events in these files are already stored.".to_string()
        };
        match self.not_in_panel.len() {
            0 => {}
            1 => sentence.push_str(" 1 patient of these files is not on the panel; their care history was not imported."),
            n => sentence.push_str(&format!(
                " {} of these files are not on the panel; their care history was not imported.",
                count_of(n, "patient", "patients")
            )),
        }
        sentence
    }
}

/// The rows of the files that are written (`to`: the patient each goes to, by its place in
/// `record_ids`; `None`: not written), with their record's id, a new CareCoord id and no
/// revision yet. `fields` reaches each row's patient id, id and revision.
fn to_records<R>(
    rows: Vec<R>,
    to: Vec<Option<usize>>,
    record_ids: &[&str],
    new_id: &mut impl FnMut() -> String,
    fields: impl Fn(&mut R) -> (&mut String, &mut String, &mut u64),
) -> Vec<R> {
    rows.into_iter()
        .zip(to)
        .filter_map(|(mut row, to)| {
            let record_id = record_ids[to?];
            let (patient_id, id, rev) = fields(&mut row);
            // The file's key's room is reused: no allocation for each of 400,000 rows.
            patient_id.clear();
            patient_id.push_str(record_id);
            *id = new_id();
            *rev = 0;
            Some(row)
        })
        .collect()
}

/// Decides what importing `events` and `encounters` (as `io::care_history` returns them)
/// writes (see the module notes). `chosen` maps the file's patient ids to the record ids
/// of patients imported in the same go; `new_id` gives the ids of what is added.
pub fn plan_history(
    panel: &Panel,
    registry: &Registry,
    events: Vec<CareEvent>,
    encounters: Vec<Encounter>,
    chosen: &HashMap<String, String>,
    mut new_id: impl FnMut() -> String,
) -> HistoryPlan {
    let mut plan = HistoryPlan::default();
    // First what happens to each row, borrowing the files' keys (400,000 events are not
    // copied); then the rows are moved into the plan.
    let mut whose = Whose::new(panel, registry, chosen, events.len(), encounters.len());
    let mut missing: HashMap<&str, (usize, usize), Fast> = HashMap::default();

    // The patient of each event to write (by position).
    let mut event_to: Vec<Option<usize>> = Vec::with_capacity(events.len());
    for e in &events {
        let to = match whose.find(&e.patient_id) {
            None => {
                missing.entry(&e.patient_id).or_default().0 += 1;
                None
            }
            Some(i) if !e.source_id.is_empty() && !whose.events.insert((i, &e.source_id)) => {
                plan.events_already += 1;
                None
            }
            found => found,
        };
        event_to.push(to);
    }

    // The patient of each encounter to write, and the latest routine visit of each patient.
    let mut encounter_to: Vec<Option<usize>> = vec![None; encounters.len()];
    let mut latest_routine: HashMap<usize, usize> = HashMap::new();
    for (n, enc) in encounters.iter().enumerate() {
        let Some(i) = whose.find(&enc.patient_id) else {
            missing.entry(&enc.patient_id).or_default().1 += 1;
            continue;
        };
        if !enc.source_id.is_empty() && !whose.encounters.insert((i, &enc.source_id)) {
            plan.encounters_already += 1;
        } else if enc.class.is_acute() {
            encounter_to[n] = Some(i);
        } else {
            // The first of equal starts stays the latest.
            let latest = latest_routine.entry(i).or_insert(n);
            if encounters[*latest].start < enc.start {
                *latest = n;
            }
            plan.encounters_not_kept += 1;
        }
    }
    for (i, n) in latest_routine {
        if whose.patients[i].latest_stored.is_none_or(|t| encounters[n].start > t) {
            encounter_to[n] = Some(i);
            plan.encounters_not_kept -= 1;
        }
    }

    plan.not_in_panel = missing.into_iter().map(|(key, (events, encounters))| NotOnPanel { key: key.to_string(), events, encounters }).collect();
    plan.not_in_panel.sort_by(|a, b| (b.events + b.encounters).cmp(&(a.events + a.encounters)).then_with(|| a.key.cmp(&b.key)));

    let record_ids = whose.record_ids();
    plan.events = to_records(events, event_to, &record_ids, &mut new_id, |e| (&mut e.patient_id, &mut e.id, &mut e.rev));
    plan.encounters = to_records(encounters, encounter_to, &record_ids, &mut new_id, |e| (&mut e.patient_id, &mut e.id, &mut e.rev));
    plan
}

/// A patient the files have history for: on the panel, or imported in the same go.
struct Found<'a> {
    record_id: &'a str,
    /// When the latest encounter stored for them started.
    latest_stored: Option<Timestamp>,
}

/// Finds the patient a file's patient key names (see the module notes), once per key, and
/// keeps the source ids each patient has: stored (`'a`), then taken from the files (`'f`).
struct Whose<'a, 'f> {
    registry: &'a Registry,
    panel: &'a Panel,
    chosen: &'a HashMap<String, String>,
    by_source: HashMap<&'a str, &'a str>,
    /// Folded MRN → the one patient with it (`None`: several have it).
    by_mrn: HashMap<String, Option<&'a str>>,
    /// Each key seen → its patient (a position in `patients`), or none; and the last one,
    /// since a file's rows come patient by patient.
    keys: HashMap<&'f str, Option<usize>, Fast>,
    last: Option<(&'f str, Option<usize>)>,
    /// Record id → position in `patients` (two keys may name one patient).
    records: HashMap<&'a str, usize>,
    patients: Vec<Found<'a>>,
    /// (patient, source id) of the events and encounters stored or taken.
    events: HashSet<(usize, &'f str), Fast>,
    encounters: HashSet<(usize, &'f str), Fast>,
}

impl<'a: 'f, 'f> Whose<'a, 'f> {
    fn new(panel: &'a Panel, registry: &'a Registry, chosen: &'a HashMap<String, String>, events: usize, encounters: usize) -> Self {
        let by_source =
            panel.patients().iter().filter(|p| !p.source_id.is_empty()).map(|p| (p.source_id.as_str(), p.id.as_str())).collect();
        let mut by_mrn: HashMap<String, Option<&str>> = HashMap::new();
        for p in panel.patients() {
            let mrn = fold_mrn(&p.mrn);
            if !mrn.is_empty() {
                by_mrn.entry(mrn).and_modify(|only| *only = None).or_insert(Some(p.id.as_str()));
            }
        }
        Whose {
            registry,
            panel,
            chosen,
            by_source,
            by_mrn,
            keys: HashMap::default(),
            last: None,
            records: HashMap::new(),
            patients: Vec::new(),
            events: HashSet::with_capacity_and_hasher(events, Fast::default()),
            encounters: HashSet::with_capacity_and_hasher(encounters, Fast::default()),
        }
    }

    /// The position in `patients` of the patient `key` names, if any.
    fn find(&mut self, key: &'f str) -> Option<usize> {
        if let Some((last, found)) = self.last {
            if last == key {
                return found;
            }
        }
        let found = match self.keys.get(key) {
            Some(&found) => found,
            None => {
                let found = self.record_id(key).map(|id| self.patient(id));
                self.keys.insert(key, found);
                found
            }
        };
        self.last = Some((key, found));
        found
    }

    /// The position in `patients` of the patient with this record id, added with what is
    /// stored for them when first seen.
    fn patient(&mut self, record_id: &'a str) -> usize {
        if let Some(&i) = self.records.get(record_id) {
            return i;
        }
        let i = self.patients.len();
        let stored = self.registry.encounters_of(record_id);
        self.patients.push(Found { record_id, latest_stored: stored.iter().map(|e| e.start).max() });
        self.records.insert(record_id, i);
        let events = self.registry.events_of(record_id);
        self.events.extend(events.iter().filter(|e| !e.source_id.is_empty()).map(|e| (i, e.source_id.as_str())));
        self.encounters.extend(stored.iter().filter(|e| !e.source_id.is_empty()).map(|e| (i, e.source_id.as_str())));
        i
    }

    fn record_id(&self, key: &str) -> Option<&'a str> {
        if let Some(id) = self.chosen.get(key) {
            return Some(id.as_str());
        }
        if let Some(&id) = self.by_source.get(key) {
            return Some(id);
        }
        if let Some(p) = self.panel.get(key).filter(|p| p.source_id.is_empty() || p.source_id == key) {
            return Some(p.id.as_str());
        }
        self.by_mrn.get(&fold_mrn(key)).copied().flatten()
    }

    /// The record id of each patient found, by position (the files' keys no longer borrowed).
    fn record_ids(self) -> Vec<&'a str> {
        self.patients.into_iter().map(|p| p.record_id).collect()
    }
}

/// How the files' keys are hashed in the maps above: 64-bit FNV-1a ([`fnv1a`]), twice as
/// fast as the standard hasher here (400,000 keys of some 90 bytes), which guards against
/// keys crafted to collide: no concern for the coordinator's own files.
type Fast = BuildHasherDefault<Fnv>;

struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(FNV_OFFSET)
    }
}

impl Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        self.0 = fnv1a(self.0, FNV_PRIME, bytes.iter().copied());
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// An MRN as compared: spaces around and case ignored.
fn fold_mrn(mrn: &str) -> String {
    mrn.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::care::{items, EventOutcome};
    use crate::model::dates::parse_timestamp;
    use crate::model::patient::tests::{at, patient};
    use crate::model::encounter::EncounterClass;
    use crate::model::Patient;

    // Patients and rows of ../shared/testdata/synthea-csv.
    /// Caleb651 Pagac496: three HbA1c results, six encounters in 2023–2024.
    const CALEB: &str = "5f8d3e13-bc80-dd66-0f1b-d24f9692a697";
    /// The first patient of patients.csv.
    const MAYNARD: &str = "3edac2e3-d223-6fae-d515-daf96ef6bc76";
    const OF_3A2F: &str = "3a2fa41c-32a1-ca99-ecd8-fdacae38fc3e";
    const OF_38DD: &str = "38ddd8f0-92c9-be23-af25-de672103903b";
    const OF_1CD7: &str = "1cd7cc0a-2e2a-c167-1207-cad02d69328e";
    const OF_D1AB: &str = "d1abe87e-9e6a-ad7e-7bcc-e9edf404a8e7";

    /// An HbA1c row of observations.csv as `io::care_history` reads it: the file's keys.
    fn hba1c(patient: &str, encounter: &str, written: &str, value: &str) -> CareEvent {
        let key = format!("synthea-observation:{patient}:{encounter}:4548-4:{written}");
        CareEvent {
            id: key.clone(),
            rev: 0,
            patient_id: patient.into(),
            source_id: key,
            item: items::HBA1C.into(),
            date: parse_timestamp(written).unwrap().date_naive(),
            value: Some(value.into()),
            outcome: EventOutcome::Done,
            note: String::new(),
            created_at: at(2026, 11, 23),
        }
    }

    /// The HbA1c rows of the sample, as read.
    fn sample_hba1c() -> Vec<CareEvent> {
        vec![
            hba1c(OF_3A2F, "d3862223-2f2c-87b7-8a08-3ce13a6db97c", "2023-08-11T18:37:13Z", "6.4"),
            hba1c(OF_38DD, "4dc18f03-0e60-a21a-d816-8d6deef696b9", "2023-08-05T19:09:58Z", "6.0"),
            hba1c(OF_1CD7, "594d54a8-e1d2-f4b3-a16e-6b99081f1bf5", "2023-10-26T05:20:38Z", "6.3"),
            hba1c(CALEB, "5141c7dc-40ba-0f07-ac07-5b175045b7ea", "2023-05-07T06:01:15Z", "5.9"),
            hba1c(CALEB, "a79bfee9-bd26-0e2b-d2ce-958f8929adf5", "2023-11-26T06:01:15Z", "6.2"),
            hba1c(CALEB, "dc644b80-0d99-5205-e4a0-02c408ed7c39", "2024-01-21T06:01:15Z", "6.3"),
        ]
    }

    /// A row of encounters.csv as read.
    fn encounter(id: &str, patient: &str, start: &str, class: &str, code: &str, description: &str) -> Encounter {
        let start = parse_timestamp(start).unwrap();
        Encounter {
            id: id.into(),
            rev: 0,
            patient_id: patient.into(),
            source_id: id.into(),
            class: EncounterClass::read(class),
            start,
            stop: Some(start + chrono::Duration::minutes(15)),
            code: code.into(),
            description: description.into(),
            reason: String::new(),
        }
    }

    /// Caleb's last six encounters in encounters.csv, in file order.
    fn caleb_encounters() -> Vec<Encounter> {
        vec![
            encounter("5141c7dc-40ba-0f07-ac07-5b175045b7ea", CALEB, "2023-05-07T06:01:15Z", "outpatient", "185349003", "Encounter for check up (procedure)"),
            encounter("921c384b-7f9d-4bb9-99cf-1ac27f59a9ce", CALEB, "2023-07-21T06:01:15Z", "emergency", "50849002", "Emergency Room Admission"),
            encounter("a8b5b034-1331-08fb-e7cb-a64ae81ac3c6", CALEB, "2023-11-26T06:01:15Z", "outpatient", "185349003", "Encounter for check up (procedure)"),
            encounter("a79bfee9-bd26-0e2b-d2ce-958f8929adf5", CALEB, "2023-11-21T16:01:15Z", "ambulatory", "185345009", "Encounter for symptom"),
            encounter("653a9a03-0a5d-cb31-f0ce-5e8857ad44be", CALEB, "2023-12-31T06:01:15Z", "ambulatory", "390906007", "Follow-up encounter"),
            encounter("dc644b80-0d99-5205-e4a0-02c408ed7c39", CALEB, "2024-01-21T06:01:15Z", "wellness", "162673000", "General examination of patient (procedure)"),
        ]
    }

    fn on_panel(id: &str, source_id: &str, mrn: &str) -> Patient {
        let mut p = patient(id, "Caleb", "Pagac", "1971-05-16");
        p.source_id = source_id.into();
        p.mrn = mrn.into();
        p
    }

    fn ids() -> impl FnMut() -> String {
        let mut n = 0;
        move || {
            n += 1;
            format!("uuid-{n}")
        }
    }

    fn empty_registry() -> Registry {
        Registry::new(Vec::new(), Vec::new(), Vec::new())
    }

    fn no_one_chosen() -> HashMap<String, String> {
        HashMap::new()
    }

    /// The registry after writing `plan`.
    fn stored(registry: &Registry, plan: &HistoryPlan) -> Registry {
        let mut r = registry.clone();
        plan.events.iter().cloned().for_each(|e| r.put_event(e));
        plan.encounters.iter().cloned().for_each(|e| r.put_encounter(e));
        r
    }

    fn whose(plan: &HistoryPlan) -> Vec<(&str, &str)> {
        plan.events.iter().map(|e| (e.patient_id.as_str(), e.value.as_deref().unwrap_or(""))).collect()
    }

    #[test]
    fn file_patients_are_found_by_chosen_id_source_id_old_record_id_or_mrn() {
        let panel = Panel::new(vec![
            on_panel("rec-caleb", CALEB, ""),
            on_panel(OF_3A2F, "", ""),                   // imported before source ids were kept
            on_panel(OF_1CD7, "fhir-other-system", ""), // the same id from another source: not them
            on_panel("rec-mrn", "", "MRN-0042"),
            on_panel("rec-twin-1", "", "MRN-7"),
            on_panel("rec-twin-2", "", "mrn-7"),
        ]);
        // The sample's 38dd… is imported in the same go, as a new record.
        let chosen = HashMap::from([(OF_38DD.to_string(), "rec-new".to_string())]);
        let mut events = sample_hba1c();
        // The template's rows are keyed by MRN, as typed.
        let mut by_mrn = hba1c(" mrn-0042 ", "", "2024-02-01", "7.1");
        by_mrn.source_id = "template:MRN-0042:hba1c:2024-02-01".into();
        let mut twin = hba1c("MRN-7", "", "2024-02-01", "8.0");
        twin.source_id = "template:MRN-7:hba1c:2024-02-01".into();
        events.extend([by_mrn, twin]);

        let plan = plan_history(&panel, &empty_registry(), events, Vec::new(), &chosen, ids());
        assert_eq!(
            whose(&plan),
            vec![(OF_3A2F, "6.4"), ("rec-new", "6.0"), ("rec-caleb", "5.9"), ("rec-caleb", "6.2"), ("rec-caleb", "6.3"), ("rec-mrn", "7.1")]
        );
        let new_ids: Vec<&str> = plan.events.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(new_ids, ["uuid-1", "uuid-2", "uuid-3", "uuid-4", "uuid-5", "uuid-6"]);
        assert!(plan.events[0].source_id.starts_with("synthea-observation:3a2fa41c-"), "the file's key is kept inside");
        let missing: Vec<(&str, usize)> = plan.not_in_panel.iter().map(|m| (m.key.as_str(), m.events)).collect();
        assert_eq!(missing, vec![(OF_1CD7, 1), ("MRN-7", 1)], "an MRN two patients share finds neither");

        // The chosen id comes first, even over a patient on the panel with that source id.
        let chosen = HashMap::from([(CALEB.to_string(), "rec-other".to_string())]);
        let plan = plan_history(&panel, &empty_registry(), sample_hba1c(), Vec::new(), &chosen, ids());
        assert!(plan.events.iter().filter(|e| e.source_id.contains(CALEB)).all(|e| e.patient_id == "rec-other"));
    }

    #[test]
    fn importing_the_same_history_again_writes_nothing() {
        let panel = Panel::new(vec![on_panel("rec-caleb", CALEB, ""), on_panel("rec-3a2f", OF_3A2F, "")]);
        let mut events = sample_hba1c();
        // The same row in a second file: the first is kept.
        let mut copy = events[0].clone();
        copy.value = Some("9.9".into());
        events.push(copy);
        let encounters = caleb_encounters();
        let first = plan_history(&panel, &empty_registry(), events.clone(), encounters.clone(), &no_one_chosen(), ids());
        assert_eq!(whose(&first), vec![("rec-3a2f", "6.4"), ("rec-caleb", "5.9"), ("rec-caleb", "6.2"), ("rec-caleb", "6.3")]);
        assert_eq!(first.events_already, 1, "the second copy");
        assert_eq!((first.encounters.len(), first.encounters_not_kept), (2, 4));
        assert_eq!(first.confirmation(), "Imported 4 care events and 2 encounters. 2 patients of these files are not on the panel; their care history was not imported.");

        let registry = stored(&empty_registry(), &first);
        let again = plan_history(&panel, &registry, events, encounters, &no_one_chosen(), ids());
        assert!(again.is_empty());
        assert_eq!(again.events_already, 5);
        assert_eq!((again.encounters_already, again.encounters_not_kept), (2, 4));
        assert_eq!(again.not_in_panel, first.not_in_panel);

        // With every patient on the panel, the message says so plainly.
        let all = Panel::new(vec![on_panel("rec-caleb", CALEB, "")]);
        let caleb: Vec<CareEvent> = sample_hba1c().into_iter().filter(|e| e.patient_id == CALEB).collect();
        let again = plan_history(&all, &registry, caleb, caleb_encounters(), &no_one_chosen(), ids());
        assert_eq!((again.events_already, again.not_in_panel.len()), (3, 0));
        assert_eq!(again.confirmation(), "Nothing new to import: every event in these files is already stored.");
        assert_eq!(again.journal_summary(), "0 care events, 0 encounters");
    }

    #[test]
    fn every_acute_encounter_is_kept_and_only_the_latest_routine_one() {
        let panel = Panel::new(vec![on_panel("rec-caleb", CALEB, ""), on_panel("rec-d1ab", OF_D1AB, "")]);
        let mut encounters = caleb_encounters();
        encounters.extend([
            encounter("ed92da32-1355-5df9-d901-f4dec92a2517", OF_D1AB, "2004-03-13T10:50:53Z", "inpatient", "183452005", "Encounter Inpatient"),
            encounter("7dfbcba2-d1c2-5693-cf47-c5d5b53d9405", OF_D1AB, "2004-08-28T10:50:53Z", "emergency", "50849002", "Emergency Room Admission"),
            encounter("a44bdff9-2050-12e6-206f-45d01bea6c1c", OF_D1AB, "2023-03-10T10:50:53Z", "emergency", "183460006", "Obstetric emergency hospital admission"),
            encounter("b07d596f-5933-e007-1940-f3d0675023e4", OF_D1AB, "2024-01-26T10:50:53Z", "outpatient", "185347001", "Encounter for problem (procedure)"),
            // Same start: the first in the file is the one kept.
            encounter("bed484e6-9c4b-ad68-22fe-9da13d6c23e1", OF_D1AB, "2024-01-26T10:50:53Z", "outpatient", "308335008", "Patient encounter procedure"),
        ]);
        let plan = plan_history(&panel, &empty_registry(), Vec::new(), encounters, &no_one_chosen(), ids());
        let kept: Vec<(&str, &str, &str)> =
            plan.encounters.iter().map(|e| (e.patient_id.as_str(), e.source_id.as_str(), e.id.as_str())).collect();
        assert_eq!(
            kept,
            vec![
                ("rec-caleb", "921c384b-7f9d-4bb9-99cf-1ac27f59a9ce", "uuid-1"),
                ("rec-caleb", "dc644b80-0d99-5205-e4a0-02c408ed7c39", "uuid-2"),
                ("rec-d1ab", "ed92da32-1355-5df9-d901-f4dec92a2517", "uuid-3"),
                ("rec-d1ab", "7dfbcba2-d1c2-5693-cf47-c5d5b53d9405", "uuid-4"),
                ("rec-d1ab", "a44bdff9-2050-12e6-206f-45d01bea6c1c", "uuid-5"),
                ("rec-d1ab", "b07d596f-5933-e007-1940-f3d0675023e4", "uuid-6"),
            ],
            "in file order"
        );
        assert_eq!(plan.encounters_not_kept, 5);
        assert_eq!(plan.journal_summary(), "0 care events, 6 encounters");

        // Stored: Caleb's wellness visit of 2024-01-21. A file without it has only older
        // routine visits: none is kept; its emergency visit is.
        let registry = stored(&empty_registry(), &plan);
        let older: Vec<Encounter> = caleb_encounters().into_iter().filter(|e| e.class != EncounterClass::Wellness).collect();
        let plan = plan_history(&panel, &registry, Vec::new(), older, &no_one_chosen(), ids());
        assert!(plan.is_empty());
        assert_eq!((plan.encounters_already, plan.encounters_not_kept), (1, 4));

        // A later visit is kept (an ambulatory one on 2024-03-01, not in the sample).
        let mut later = caleb_encounters();
        later.push(encounter("later-visit", CALEB, "2024-03-01T09:00:00Z", "ambulatory", "185349003", "Encounter for check up (procedure)"));
        let plan = plan_history(&panel, &registry, Vec::new(), later, &no_one_chosen(), ids());
        let kept: Vec<&str> = plan.encounters.iter().map(|e| e.source_id.as_str()).collect();
        assert_eq!(kept, ["later-visit"]);
        assert_eq!((plan.encounters_already, plan.encounters_not_kept), (2, 4));
    }

    #[test]
    fn patients_not_on_the_panel_are_listed_most_rows_first() {
        let panel = Panel::new(vec![on_panel("rec-3a2f", OF_3A2F, "")]);
        let mut encounters = caleb_encounters();
        encounters.push(encounter("57f2562b-445c-f11c-ba40-edc55af3c84f", MAYNARD, "2023-01-27T16:17:47Z", "ambulatory", "185345009", "Encounter for symptom"));
        let plan = plan_history(&panel, &empty_registry(), sample_hba1c(), encounters, &no_one_chosen(), ids());
        assert_eq!(plan.events.len(), 1);
        let listed: Vec<String> = plan.not_in_panel.iter().map(ToString::to_string).collect();
        assert_eq!(
            listed,
            vec![
                format!("Patient '{CALEB}' of the file is not on the panel: 3 care events and 6 encounters not imported."),
                format!("Patient '{OF_1CD7}' of the file is not on the panel: 1 care event not imported."),
                format!("Patient '{OF_38DD}' of the file is not on the panel: 1 care event not imported."),
                format!("Patient '{MAYNARD}' of the file is not on the panel: 1 encounter not imported."),
            ],
            "most rows first, then by key"
        );
        assert_eq!(plan.encounters_not_kept, 0, "only the panel's patients' visits are counted there");
        assert_eq!(
            plan.confirmation(),
            "Imported 1 care event and 0 encounters. 4 patients of these files are not on the panel; their care history was not imported."
        );

        let nobody = plan_history(&Panel::new(Vec::new()), &empty_registry(), sample_hba1c(), Vec::new(), &no_one_chosen(), ids());
        assert!(nobody.is_empty());
        assert_eq!(
            nobody.confirmation(),
            "Nothing was imported. 4 patients of these files are not on the panel; their care history was not imported."
        );
    }

    #[test]
    fn events_a_coordinator_recorded_are_never_taken_for_the_files() {
        // Recorded in CareCoord: no source id. The file's same result is still written.
        let panel = Panel::new(vec![on_panel("rec-3a2f", OF_3A2F, "")]);
        let mut typed = hba1c(OF_3A2F, "d3862223-2f2c-87b7-8a08-3ce13a6db97c", "2023-08-11T18:37:13Z", "6.4");
        typed.source_id.clear();
        typed.patient_id = "rec-3a2f".into();
        let registry = Registry::new(Vec::new(), vec![typed], Vec::new());
        let plan = plan_history(&panel, &registry, sample_hba1c(), Vec::new(), &no_one_chosen(), ids());
        assert_eq!((plan.events.len(), plan.events_already), (1, 0));
    }
}
