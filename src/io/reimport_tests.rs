//! Importing the same real sample files again (see ../shared/testdata/README.md), through
//! the readers and `model::patient_import::plan_import`, as the import page does: CareCoord
//! chooses its own ids, and what the coordinator added in between stays. The care history
//! imported with them (`model::history_import::plan_history`) follows them and is not
//! written twice.

use std::collections::{HashMap, HashSet};

use crate::io::care_history;
use crate::model::care::default_rules;
use crate::model::encounter::EncounterClass;
use crate::model::history_import::plan_history;

use crate::io::patients_csv::{detect_and_parse, PatientImport};
use crate::model::patient::tests::{at, day};
use crate::model::patient_import::{plan_import, ImportPlan};
use crate::model::profile::ProfileDraft;
use crate::model::registry::Registry;
use crate::model::{ids, upsert_by_id, Condition, Panel, Patient, Timestamp};

const SYNTHEA_PATIENTS: &str = include_str!("../../../shared/testdata/synthea-csv/patients.csv");
const SYNTHEA_CONDITIONS: &str = include_str!("../../../shared/testdata/synthea-csv/conditions.csv");
const SYNTHEA_OBSERVATIONS: &str = include_str!("../../../shared/testdata/synthea-csv/observations.csv");
const SYNTHEA_IMMUNIZATIONS: &str = include_str!("../../../shared/testdata/synthea-csv/immunizations.csv");
const SYNTHEA_ENCOUNTERS: &str = include_str!("../../../shared/testdata/synthea-csv/encounters.csv");
const FHIR_PATIENTS: &str = include_str!("../../../shared/testdata/fhir-ndjson/Patient.000.ndjson");
const FHIR_CONDITIONS: &str = include_str!("../../../shared/testdata/fhir-ndjson/Condition.000.ndjson");
const BUSTER: &str = include_str!("../../../shared/testdata/fhir-bundle/Buster_Hoeger_ad2e3fc5-2b5d-4cb9-8d03-9ea0f4ac8423.json");

/// What is stored: the panel and the registry.
struct Stored {
    panel: Panel,
    registry: Registry,
}

impl Stored {
    fn empty() -> Stored {
        Stored { panel: Panel::new(Vec::new()), registry: Registry::new(Vec::new(), Vec::new(), Vec::new()) }
    }

    /// After writing `plan`, as `AppState::import_patients` does in memory.
    fn with(&self, plan: &ImportPlan) -> Stored {
        let mut patients = self.panel.patients().to_vec();
        upsert_by_id(&mut patients, plan.new.iter().cloned().chain(plan.updated.iter().map(|u| u.patient.clone())));
        let mut conditions: Vec<Condition> = self.registry.all_conditions().cloned().collect();
        upsert_by_id(&mut conditions, plan.conditions.iter().cloned());
        Stored { panel: Panel::new(patients), registry: Registry::new(conditions, Vec::new(), Vec::new()) }
    }

    fn plan(&self, import: PatientImport, now: Timestamp) -> ImportPlan {
        plan_import(&self.panel, &self.registry, import.patients, import.conditions, uuids(), now)
    }

    fn by_source(&self, source_id: &str) -> &Patient {
        self.panel.patients().iter().find(|p| p.source_id == source_id).expect("the patient is on the panel")
    }
}

/// Random-looking UUIDs, as `web::new_id` gives them.
fn uuids() -> impl FnMut() -> String {
    let mut n: u8 = 0;
    move || {
        n = n.wrapping_add(1);
        let mut bytes = [0x5a_u8; 16];
        bytes[0] = n;
        bytes[15] = n.wrapping_mul(7);
        ids::uuid_v4(bytes)
    }
}

fn read(files: &[(&str, &str)], now: Timestamp) -> PatientImport {
    let files: Vec<(String, String)> = files.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect();
    let mut no_ids = || String::from("unused");
    detect_and_parse(&files, day(2026, 11, 23), now, &mut no_ids).expect("the sample reads")
}

/// The coordinator's work on one patient (by record id): a care profile, notes and a phone.
fn coordinator_works_on(stored: &Stored, id: &str) -> (Stored, Patient) {
    let mut p = stored.panel.get(id).expect("the patient is on the panel").clone();
    let draft = ProfileDraft {
        need_level: "3".into(),
        reason: "two ED visits".into(),
        flags: "transport barrier".into(),
        ccm_consent_on: "2026-11-24".into(),
        care_team: "RN Kim; SW Lopez".into(),
    };
    p.profile = draft.apply(&p.profile, day(2026, 11, 24)).expect("a valid profile");
    p.notes = "Prefers calls after 2 pm; daughter translates.".into();
    p.phone = "617-555-0142".into();
    p.updated_at = at(2026, 11, 24);
    let mut patients = stored.panel.patients().to_vec();
    upsert_by_id(&mut patients, [p.clone()]);
    let registry = Registry::new(stored.registry.all_conditions().cloned().collect(), Vec::new(), Vec::new());
    (Stored { panel: Panel::new(patients), registry }, p)
}

/// The whole story for one set of sample files: import onto an empty panel, the
/// coordinator's work on `who`, the same files again, then the files with `who`'s street
/// (`street`, found once in the file `file`) changed.
fn keeps_the_coordinators_work(files: &[(&str, &str)], who: &str, street_in: &str) {
    // First import: CareCoord's own ids; the files' ids kept as source ids.
    let first = read(files, at(2026, 11, 23));
    let file_ids: HashSet<String> = first.patients.iter().map(|p| p.id.clone()).collect();
    let plan = Stored::empty().plan(first.clone(), at(2026, 11, 23));
    assert_eq!(plan.new.len(), first.patients.len());
    assert!(plan.updated.is_empty() && plan.unchanged.is_empty() && plan.duplicates.is_empty());
    for p in &plan.new {
        assert!(ids::is_uuid(&p.id), "{}", p.id);
        assert!(!file_ids.contains(&p.id), "the file's id is not the record id");
        assert!(file_ids.contains(&p.source_id));
    }
    assert_eq!(plan.new.iter().map(|p| p.source_id.clone()).collect::<HashSet<_>>(), file_ids);
    let record_ids: HashSet<&str> = plan.new.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(plan.conditions.len(), first.conditions.len());
    assert!(plan.conditions.iter().all(|c| record_ids.contains(c.patient_id.as_str())));
    let stored = Stored::empty().with(&plan);

    let id = stored.by_source(who).id.clone();
    let (stored, worked) = coordinator_works_on(&stored, &id);
    let first_created = worked.created_at;

    // The same files again: nothing changes, nothing is written.
    let again = stored.plan(read(files, at(2026, 12, 1)), at(2026, 12, 1));
    let changed: Vec<(String, Vec<&str>)> = again.updated.iter().map(|u| (u.patient.full_name(), u.fields.clone())).collect();
    assert!(changed.is_empty(), "no field changes: {changed:?}");
    assert!(again.new.is_empty() && again.duplicates.is_empty());
    assert_eq!(again.unchanged.len(), first.patients.len());
    assert!(again.unchanged.contains(&worked.id));
    assert!(again.conditions.is_empty());
    assert_eq!(again.conditions_unchanged, first.conditions.len());
    assert!(again.is_empty());
    assert_eq!(again.update_summary(), None);
    let stored = stored.with(&again);
    assert_eq!(stored.by_source(who), &worked, "profile, notes, phone and created_at are kept");

    // A new street for that patient in the file: the address changes, nothing else.
    let (file, text) = files.iter().find(|(n, _)| *n == street_in).copied().expect("the file with the street");
    let street = &worked.address.line;
    assert_eq!(text.matches(street.as_str()).count(), 1, "'{street}' is in {file} once");
    let moved_text = text.replace(street.as_str(), "77 Changed Street");
    let moved_files: Vec<(&str, &str)> = files.iter().map(|&(n, t)| if n == file { (n, moved_text.as_str()) } else { (n, t) }).collect();
    let moved = stored.plan(read(&moved_files, at(2026, 12, 2)), at(2026, 12, 2));
    assert!(moved.new.is_empty());
    assert_eq!(moved.updated.len(), 1);
    let u = &moved.updated[0];
    assert_eq!(u.fields, vec!["address"]);
    assert_eq!(u.patient.address.line, "77 Changed Street");
    assert_eq!(u.patient.id, worked.id);
    assert_eq!(u.patient.profile, worked.profile);
    assert_eq!((u.patient.notes.as_str(), u.patient.phone.as_str()), (worked.notes.as_str(), "617-555-0142"));
    assert_eq!(u.patient.created_at, first_created);
    assert_eq!(u.patient.updated_at, at(2026, 12, 2));
    assert_eq!(moved.update_summary().as_deref(), Some("Will update 1 patient: address (1)."));
    assert_eq!(moved.unchanged.len(), first.patients.len() - 1);
    assert!(moved.conditions.is_empty());
}

#[test]
fn synthea_csv_again_keeps_the_coordinators_work() {
    let files = [("patients.csv", SYNTHEA_PATIENTS), ("conditions.csv", SYNTHEA_CONDITIONS)];
    keeps_the_coordinators_work(&files, "3edac2e3-d223-6fae-d515-daf96ef6bc76", "patients.csv");
}

#[test]
fn fhir_ndjson_again_keeps_the_coordinators_work() {
    // The file has a phone for this patient: the coordinator's newer one stays, since the
    // file's has not changed since the first import.
    let files = [("Patient.000.ndjson", FHIR_PATIENTS), ("Condition.000.ndjson", FHIR_CONDITIONS)];
    keeps_the_coordinators_work(&files, "6a4160eb-a793-2f86-2302-378626f46cce", "Patient.000.ndjson");
}

#[test]
fn fhir_bundle_again_keeps_the_coordinators_work() {
    // Buster's MRN (a 36-character UUID, not his Patient.id) is kept in the notes by the
    // reader; the coordinator's notes replace it, and the same file does not bring it back.
    keeps_the_coordinators_work(&[("buster.json", BUSTER)], "e4531916-b162-4f4b-90c2-ce37e132b8d4", "buster.json");
}

/// Records imported before source ids were kept have the file's id as their record id.
fn as_imported_before(import: &PatientImport) -> Stored {
    let patients: Vec<Patient> = import
        .patients
        .iter()
        .cloned()
        .map(|mut p| {
            p.source_id.clear();
            p.source_digests.clear();
            p
        })
        .collect();
    Stored { panel: Panel::new(patients), registry: Registry::new(import.conditions.clone(), Vec::new(), Vec::new()) }
}

#[test]
fn records_imported_before_source_ids_are_found_by_their_id() {
    let files = [("patients.csv", SYNTHEA_PATIENTS), ("conditions.csv", SYNTHEA_CONDITIONS)];
    let import = read(&files, at(2026, 11, 1));
    // The old record's id is Synthea's Id.
    let (stored, worked) = coordinator_works_on(&as_imported_before(&import), "3edac2e3-d223-6fae-d515-daf96ef6bc76");
    let plan = stored.plan(read(&files, at(2026, 12, 1)), at(2026, 12, 1));
    assert!(plan.new.is_empty() && plan.duplicates.is_empty(), "{} new", plan.new.len());
    assert!(plan.updated.is_empty(), "Synthea has no phone or notes: nothing changes");
    assert_eq!(plan.unchanged.len(), import.patients.len());
    assert!(plan.conditions.is_empty(), "their conditions keep their ids");
    assert_eq!(stored.with(&plan).panel.get(&worked.id), Some(&worked));

    // FHIR: the file has phones, and these old records no digests of what it said, so the
    // file's phone counts as news once (then the digests are kept).
    let fhir = [("Patient.000.ndjson", FHIR_PATIENTS), ("Condition.000.ndjson", FHIR_CONDITIONS)];
    let import = read(&fhir, at(2026, 11, 1));
    let plan = as_imported_before(&import).plan(read(&fhir, at(2026, 12, 1)), at(2026, 12, 1));
    assert!(plan.new.is_empty());
    assert_eq!(plan.unchanged.len(), import.patients.len());
    assert!(plan.conditions.is_empty());
}

/// UUIDs that do not repeat, however many are asked for.
fn many_uuids() -> impl FnMut() -> String {
    let mut n: u32 = 0;
    move || {
        n += 1;
        let mut bytes = [0xa5_u8; 16];
        bytes[..4].copy_from_slice(&n.to_be_bytes());
        ids::uuid_v4(bytes)
    }
}

#[test]
fn synthea_care_history_follows_its_patients_and_is_not_written_twice() {
    let patient_files = [("patients.csv", SYNTHEA_PATIENTS), ("conditions.csv", SYNTHEA_CONDITIONS)];
    let patients = Stored::empty().plan(read(&patient_files, at(2026, 11, 23)), at(2026, 11, 23));
    let history_files: Vec<(String, String)> =
        [("observations.csv", SYNTHEA_OBSERVATIONS), ("immunizations.csv", SYNTHEA_IMMUNIZATIONS), ("encounters.csv", SYNTHEA_ENCOUNTERS)]
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
    let history = care_history::parse(&history_files, &default_rules(), at(2026, 11, 23)).expect("the sample reads");
    assert!(!history.events.is_empty() && !history.encounters.is_empty());

    // Imported with the patients: found through the ids the patient plan chose. The two
    // deceased patients the patient reader leaves out are not on the panel.
    let empty = Stored::empty();
    let plan = plan_history(&empty.panel, &empty.registry, history.events.clone(), history.encounters.clone(), &patients.chosen, many_uuids());
    let missing: Vec<String> = plan.not_in_panel.iter().map(ToString::to_string).collect();
    assert_eq!(
        missing,
        vec![
            "Patient 'c2d1b552-0725-58ca-03fa-158d3437c06c' of the file is not on the panel: 3 care events and 19 encounters not imported.",
            "Patient '261ad2a4-7c6f-da54-6a5b-3441beab9a6a' of the file is not on the panel: 3 care events and 6 encounters not imported.",
        ]
    );
    assert!(plan.not_in_panel.iter().all(|m| !patients.chosen.contains_key(&m.key) && SYNTHEA_PATIENTS.contains(&format!("\n{},", m.key))));
    let (events_left, encounters_left) = plan.not_in_panel.iter().fold((0, 0), |(e, n), m| (e + m.events, n + m.encounters));
    assert_eq!((plan.events.len(), plan.events_already), (history.events.len() - events_left, 0));
    let record_ids: HashSet<&str> = patients.new.iter().map(|p| p.id.as_str()).collect();
    assert!(plan.events.iter().all(|e| record_ids.contains(e.patient_id.as_str()) && ids::is_uuid(&e.id) && !e.source_id.is_empty()));
    assert!(plan.encounters.iter().all(|e| record_ids.contains(e.patient_id.as_str()) && ids::is_uuid(&e.id)));
    // Every emergency visit and hospital stay, and one other visit per patient at most.
    let acute = |e: &&crate::model::encounter::Encounter| matches!(e.class, EncounterClass::Emergency | EncounterClass::Inpatient);
    let on_panel = |e: &&crate::model::encounter::Encounter| patients.chosen.contains_key(&e.patient_id);
    assert_eq!(plan.encounters.iter().filter(acute).count(), history.encounters.iter().filter(on_panel).filter(acute).count());
    let mut routine: HashMap<&str, usize> = HashMap::new();
    plan.encounters.iter().filter(|e| !acute(e)).for_each(|e| *routine.entry(e.patient_id.as_str()).or_default() += 1);
    assert!(routine.values().all(|&n| n == 1));
    assert_eq!(plan.encounters.len() + plan.encounters_not_kept + encounters_left, history.encounters.len());
    assert!(plan.encounters.len() < history.encounters.len() / 4, "{} of {}", plan.encounters.len(), history.encounters.len());

    // The same files again, the patients on the panel now: nothing is written.
    let stored = empty.with(&patients);
    let registry = Registry::new(Vec::new(), plan.events.clone(), Vec::new()).with_encounters(plan.encounters.clone());
    let again = plan_history(&stored.panel, &registry, history.events.clone(), history.encounters, &HashMap::new(), many_uuids());
    assert!(again.is_empty());
    assert_eq!(again.not_in_panel, plan.not_in_panel);
    assert_eq!(again.events_already, plan.events.len());
    assert_eq!((again.encounters_already, again.encounters_not_kept), (plan.encounters.len(), plan.encounters_not_kept));
    assert_eq!(
        again.confirmation(),
        "Nothing new to import for the patients on the panel: their events in these files are already stored. \
         2 patients of these files are not on the panel; their care history was not imported."
    );
}
