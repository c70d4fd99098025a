//! A patient list imported onto a panel that may already hold some of its patients.
//!
//! The readers in `io` return the file's patients with the file's own id as
//! [`Patient::source_id`] (and, until this plan, as `id` too: the key their conditions
//! point at). [`plan_import`] decides for each of them:
//! - **an update** of the patient already on the panel with that `source_id` (or, for
//!   records imported before source ids were kept, whose `id` is that source id). Only
//!   what the file has (values not empty) *and* has changed since the last import is taken
//!   (each patient keeps a short digest per field of what the file said,
//!   [`Patient::source_digests`]), so the coordinator's work stays: the care profile
//!   always (files never carry it); the phone, email, address, notes... unless the file
//!   has a new value for them. Importing the same file again changes nothing, even where
//!   the coordinator corrected a phone the file still has; a file with a new address
//!   changes the address only. `id` and `created_at` never change;
//! - **unchanged** when the file changes nothing of that patient: not written;
//! - **new** otherwise, with a fresh CareCoord id (a UUID, the one in URLs); a new patient
//!   who looks like one already on the panel (same MRN, or same name and date of birth) is
//!   left out as a likely duplicate.
//!
//! Conditions follow their patient's chosen id; those already stored exactly as the file
//! has them are not written again.
//!
//! Notes are the coordinator's own text: a note that comes from the file (values a reader
//! could not place, see `io::fhir`) is added below them when it is not already there and
//! is news (a note the coordinator deleted does not come back with the same file), never
//! written over them.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::registry::Registry;
use super::text::{count_of, thousands};
use super::{Condition, Panel, Patient, Sex, Timestamp};

/// A patient already on the panel that the file changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatientUpdate {
    /// The record to store: the stored patient with the file's values.
    pub patient: Patient,
    /// What changes, in plain words ("phone", "address"), never the values.
    pub fields: Vec<&'static str>,
}

/// A new patient of the file left out because they look like a patient already on the panel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LikelyDuplicate {
    /// "Ana Lima" as the file has it.
    pub name: String,
    /// The patient on the panel.
    pub existing_name: String,
}

impl std::fmt::Display for LikelyDuplicate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: same MRN or same name and date of birth as {}, already on the panel.", self.name, self.existing_name)
    }
}

/// What importing a file will do to the panel (see the module notes).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportPlan {
    /// Patients to add, with their new ids.
    pub new: Vec<Patient>,
    /// Patients on the panel that the file changes.
    pub updated: Vec<PatientUpdate>,
    /// Ids of the patients on the panel that the file has exactly as stored: not written.
    pub unchanged: Vec<String>,
    /// New patients left out as likely duplicates (their conditions too).
    pub duplicates: Vec<LikelyDuplicate>,
    /// Conditions to write (new, or changed since stored), pointing at the chosen ids.
    pub conditions: Vec<Condition>,
    /// Conditions already stored as the file has them: not written.
    pub conditions_unchanged: usize,
    /// Values of the file that are not used, and why.
    pub notes: Vec<String>,
    /// The file's id of each patient kept (new or on the panel) → the record id chosen for
    /// them: how the care history imported with the file finds them
    /// (`model::history_import`). Patients left out are not in it.
    pub chosen: HashMap<String, String>,
}

impl ImportPlan {
    /// Whether there is nothing to write.
    pub fn is_empty(&self) -> bool {
        self.new.is_empty() && self.updated.is_empty() && self.conditions.is_empty()
    }

    /// How many updated patients each field changes for, most first (ties in the order of
    /// the patient form): `[("address", 12), ("phone", 3)]`.
    pub fn field_counts(&self) -> Vec<(&'static str, usize)> {
        let mut counts: Vec<(&'static str, usize)> = Vec::new();
        for u in &self.updated {
            for f in &u.fields {
                match counts.iter_mut().find(|(name, _)| name == f) {
                    Some(c) => c.1 += 1,
                    None => counts.push((f, 1)),
                }
            }
        }
        counts.sort_by_key(|&(name, n)| (std::cmp::Reverse(n), FIELD_ORDER.iter().position(|f| *f == name)));
        counts
    }

    /// "Will update 12 patients: address (12), phone (3)." or `None` when nobody is updated.
    pub fn update_summary(&self) -> Option<String> {
        if self.updated.is_empty() {
            return None;
        }
        let fields: Vec<String> = self.field_counts().into_iter().map(|(f, n)| format!("{f} ({})", thousands(n))).collect();
        Some(format!("Will update {}: {}.", count_of(self.updated.len(), "patient", "patients"), fields.join(", ")))
    }

    /// The journal summary of the whole import (counts only, no names or values).
    pub fn journal_summary(&self) -> String {
        format!(
            "{} new, {} updated, {} unchanged, {}",
            count_of(self.new.len(), "patient", "patients"),
            thousands(self.updated.len()),
            thousands(self.unchanged.len()),
            count_of(self.conditions.len(), "condition", "conditions")
        )
    }

    /// The confirmation once written, naming what was left out: `left_out` are the rows of
    /// the file not imported (bad rows, rows left out on purpose); the likely duplicates
    /// are added here. Returns the sentence and the whole list:
    /// "Imported 8 patients and 0 conditions. 2 rows were not imported: Line 4: …; Line 7: …"
    pub fn confirmation(&self, left_out: Vec<String>) -> (String, Vec<String>) {
        let imported = format!(
            "Imported {} and {}.",
            count_of(self.new.len(), "patient", "patients"),
            count_of(self.conditions.len(), "condition", "conditions")
        );
        let updated = format!("Updated {} already on the panel.", count_of(self.updated.len(), "patient", "patients"));
        let mut sentence = match (self.new.is_empty() && self.conditions.is_empty(), self.updated.is_empty()) {
            (true, false) => updated,
            (false, false) => format!("{imported} {updated}"),
            (_, true) => imported,
        };
        if !self.unchanged.is_empty() {
            sentence.push_str(&format!(
                " {} already on the panel as in the file.",
                count_of(self.unchanged.len(), "patient was", "patients were")
            ));
        }
        let mut list = left_out;
        list.extend(self.duplicates.iter().map(ToString::to_string));
        const SAID: usize = 3;
        if !list.is_empty() {
            let how_many = count_of(list.len(), "row was", "rows were");
            let said: Vec<&str> = list.iter().take(SAID).map(|s| s.trim_end_matches('.')).collect();
            if list.len() <= SAID {
                sentence.push_str(&format!(" {how_many} not imported: {}.", said.join("; ")));
            } else {
                sentence.push_str(&format!(
                    " {how_many} not imported: {}; and {} more, listed below.",
                    said.join("; "),
                    thousands(list.len() - SAID)
                ));
            }
        }
        (sentence, list)
    }
}

/// The fields in the order of the patient form (the order of [`Patient::changed_fields`]).
const FIELD_ORDER: [&str; 12] = [
    "first name",
    "last name",
    "date of birth",
    "sex",
    "MRN",
    "phone",
    "email",
    "address",
    "preferred language",
    "interpreter",
    "assigned provider",
    "notes",
];

/// Decides what importing `patients` (with their `conditions`, as a reader in `io`
/// returns them) does to `panel` and `registry` (see the module notes). `new_id` gives
/// the ids of new patients; `now` stamps what changes.
pub fn plan_import(
    panel: &Panel,
    registry: &Registry,
    patients: Vec<Patient>,
    conditions: Vec<Condition>,
    mut new_id: impl FnMut() -> String,
    now: Timestamp,
) -> ImportPlan {
    let by_source: HashMap<&str, &Patient> =
        panel.patients().iter().filter(|p| !p.source_id.is_empty()).map(|p| (p.source_id.as_str(), p)).collect();
    let mut plan = ImportPlan::default();
    // The file's id of each patient → the record id chosen (none: left out).
    let mut chosen: HashMap<String, Option<String>> = HashMap::new();
    let mut matched: HashSet<String> = HashSet::new();
    for incoming in patients {
        let key = if incoming.source_id.is_empty() { None } else { Some(incoming.source_id.as_str()) };
        // By source id; else a record imported before source ids were kept, whose id is
        // the file's (a record from another source that happens to have that id is not).
        let existing =
            key.and_then(|k| by_source.get(k).copied().or_else(|| panel.get(k).filter(|p| p.source_id.is_empty() || p.source_id == k)));
        match existing {
            Some(old) if matched.contains(&old.id) => {
                plan.notes.push(format!("{}: a second row for the same patient; not used.", incoming.full_name()));
                chosen.insert(incoming.id.clone(), None);
            }
            Some(old) => {
                matched.insert(old.id.clone());
                chosen.insert(incoming.id.clone(), Some(old.id.clone()));
                let (patient, fields) = update_from_file(old, &incoming, panel, &mut plan.notes, now);
                if fields.is_empty() {
                    plan.unchanged.push(old.id.clone());
                } else {
                    plan.updated.push(PatientUpdate { patient, fields });
                }
            }
            None => {
                if let Some(same) = panel.likely_duplicate(&incoming) {
                    plan.duplicates.push(LikelyDuplicate { name: incoming.full_name(), existing_name: same.full_name() });
                    chosen.insert(incoming.id.clone(), None);
                    continue;
                }
                let mut p = incoming;
                if !p.source_id.is_empty() {
                    p.source_digests = source_digests(&p);
                }
                let file_id = std::mem::replace(&mut p.id, new_id());
                chosen.insert(file_id, Some(p.id.clone()));
                plan.new.push(p);
            }
        }
    }
    for mut c in conditions {
        let Some(Some(record_id)) = chosen.get(&c.patient_id) else { continue };
        // The file's key for the problem becomes its source id; the stored id is a random
        // UUID (kept from the problem already stored under that source id).
        c.rekey(String::new());
        c.patient_id = record_id.clone();
        match registry.conditions_of(record_id).iter().find(|s| s.source_key() == c.source_id) {
            Some(stored) => {
                c.id = stored.id.clone();
                c.rev = stored.rev + 1;
                if same_condition(stored, &c) {
                    plan.conditions_unchanged += 1;
                } else {
                    c.created_at = stored.created_at;
                    c.updated_at = now;
                    plan.conditions.push(c);
                }
            }
            None => {
                c.id = new_id();
                plan.conditions.push(c);
            }
        }
    }
    plan.chosen = chosen.into_iter().filter_map(|(file_id, record_id)| Some((file_id, record_id?))).collect();
    plan
}

/// Whether two conditions say the same (their timestamps aside).
fn same_condition(a: &Condition, b: &Condition) -> bool {
    (a.patient_id.as_str(), a.system, a.code.as_str(), a.display.as_str(), a.onset, a.resolved, a.chronic)
        == (b.patient_id.as_str(), b.system, b.code.as_str(), b.display.as_str(), b.onset, b.resolved, b.chronic)
}

/// The values a file gives a patient, by field (the names of [`Patient::changed_fields`]),
/// as text; a field the file leaves empty is not listed.
fn file_values(p: &Patient) -> Vec<(&'static str, String)> {
    let address = if p.address.is_empty() {
        String::new()
    } else {
        [&p.address.line, &p.address.city, &p.address.state, &p.address.postal_code].map(|s| s.trim()).join("\u{1f}")
    };
    let mut values = vec![
        ("first name", p.first_name.trim().to_string()),
        ("last name", p.last_name.trim().to_string()),
        ("date of birth", p.date_of_birth.to_string()),
        ("sex", if p.sex == Sex::Unknown { String::new() } else { p.sex.code().to_string() }),
        ("MRN", p.mrn.trim().to_string()),
        ("phone", p.phone.trim().to_string()),
        ("email", p.email.trim().to_string()),
        ("address", address),
        ("preferred language", p.preferred_language.trim().to_string()),
        ("interpreter", if p.interpreter_needed { "yes".to_string() } else { String::new() }),
        ("assigned provider", p.assigned_provider.trim().to_string()),
        ("notes", p.notes.trim().to_string()),
    ];
    values.retain(|(_, v)| !v.is_empty());
    values
}

/// A short digest of a value (FNV-1a, 32 bits, as 8 hex digits): enough to tell whether a
/// file's value has changed since the last import, without keeping the value twice.
fn digest(value: &str) -> String {
    format!("{:08x}", super::ids::fnv1a_32(value.bytes()))
}

/// The digests of what the file says about `p`, to keep as [`Patient::source_digests`].
pub fn source_digests(p: &Patient) -> BTreeMap<String, String> {
    file_values(p).into_iter().map(|(name, value)| (name.to_string(), digest(&value))).collect()
}

/// `old` with the values `file` has (see the module notes), and the fields that change.
///
/// A field is taken from the file when the file has a value for it and that value is news:
/// `old` has no digest of the field from an earlier import (records imported before
/// digests were kept, or a field the file did not have then), or the file's value has
/// changed since. A value the file had last time too is not taken again, so a phone the
/// coordinator corrected since stays. An MRN another patient already has is not taken
/// (said in `notes`); notes from the file are added below the coordinator's.
fn update_from_file(old: &Patient, file: &Patient, panel: &Panel, notes: &mut Vec<String>, now: Timestamp) -> (Patient, Vec<&'static str>) {
    let mut p = old.clone();
    for (name, value) in file_values(file) {
        if old.source_digests.get(name) == Some(&digest(&value)) {
            continue; // the file says what it said at the last import
        }
        match name {
            "first name" => p.first_name = file.first_name.clone(),
            "last name" => p.last_name = file.last_name.clone(),
            "date of birth" => p.date_of_birth = file.date_of_birth,
            "sex" => p.sex = file.sex,
            "MRN" if !file.mrn.trim().eq_ignore_ascii_case(old.mrn.trim()) => match panel.mrn_taken_by(&file.mrn, Some(&old.id)) {
                Some(other) => notes.push(format!(
                    "{}: MRN {} already belongs to {}; the MRN is not changed.",
                    old.full_name(),
                    file.mrn.trim(),
                    other.full_name()
                )),
                None => p.mrn = file.mrn.clone(),
            },
            "phone" => p.phone = file.phone.clone(),
            "email" => p.email = file.email.clone(),
            "address" => p.address = file.address.clone(),
            "preferred language" => p.preferred_language = file.preferred_language.clone(),
            "interpreter" => p.interpreter_needed = true,
            "assigned provider" => p.assigned_provider = file.assigned_provider.clone(),
            "notes" if !p.notes.contains(&value) => {
                p.notes = if p.notes.trim().is_empty() { value } else { format!("{}\n\n{value}", p.notes.trim_end()) };
            }
            _ => {}
        }
    }
    let fields = old.changed_fields(&p);
    if !fields.is_empty() {
        p.source_id = file.source_id.clone();
        p.source_digests = source_digests(file);
        p.updated_at = now;
    }
    (p, fields)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::patient::tests::{at, patient};
    use crate::model::CodeSystem;

    #[test]
    fn digests_stay_as_they_were() {
        assert_eq!(digest("Rosa"), "946e6a72");
        assert_eq!(digest(""), "811c9dc5");
    }

    fn from_file(source_id: &str, first: &str, last: &str, dob: &str) -> Patient {
        let mut p = patient(source_id, first, last, dob);
        p.source_id = source_id.into();
        p.created_at = at(2026, 12, 1);
        p.updated_at = at(2026, 12, 1);
        p
    }

    fn ids() -> impl FnMut() -> String {
        let mut n = 0;
        move || {
            n += 1;
            format!("uuid-{n}")
        }
    }

    fn condition(id: &str, patient_id: &str, code: &str) -> Condition {
        Condition { source_id: String::new(), rev: 0,
            id: id.into(),
            patient_id: patient_id.into(),
            system: CodeSystem::Snomed,
            code: code.into(),
            display: code.into(),
            onset: None,
            resolved: None,
            chronic: None,
            created_at: at(2026, 12, 1),
            updated_at: at(2026, 12, 1),
        }
    }

    fn empty_registry() -> Registry {
        Registry::new(Vec::new(), Vec::new(), Vec::new())
    }

    #[test]
    fn new_patients_get_fresh_ids_and_their_conditions_follow() {
        let panel = Panel::new(Vec::new());
        let file = vec![from_file("MRN-77", "Ana", "Lima", "1970-05-05")];
        let conditions = vec![condition("MRN-77-cond-snomed-1", "MRN-77", "1"), condition("fhir-c9", "MRN-77", "2")];
        let plan = plan_import(&panel, &empty_registry(), file, conditions, ids(), at(2026, 12, 1));
        assert_eq!(plan.new.len(), 1);
        assert_eq!((plan.new[0].id.as_str(), plan.new[0].source_id.as_str()), ("uuid-1", "MRN-77"));
        let c: Vec<(&str, &str, &str)> = plan.conditions.iter().map(|c| (c.id.as_str(), c.patient_id.as_str(), c.source_id.as_str())).collect();
        assert_eq!(c, vec![("uuid-2", "uuid-1", "snomed-1"), ("uuid-3", "uuid-1", "fhir-c9")], "ids say nothing; the file's keys are kept inside");
        assert!(plan.updated.is_empty() && plan.unchanged.is_empty());
        assert_eq!(plan.chosen, HashMap::from([("MRN-77".to_string(), "uuid-1".to_string())]));
    }

    #[test]
    fn an_update_takes_only_the_values_the_file_has() {
        let mut stored = from_file("s1", "Ana", "Lima", "1970-05-05");
        stored.id = "rec-1".into();
        stored.created_at = at(2026, 1, 1);
        stored.phone = "617-555-0100".into();
        stored.email = "ana@example.org".into();
        stored.notes = "Prefers calls after 2 pm".into();
        stored.address.line = "1 Elm St".into();
        stored.profile.care_team = "RN Kim".into();
        stored.profile.flags = vec!["transport barrier".into()];
        let panel = Panel::new(vec![stored.clone()]);

        let mut file = from_file("s1", "Ana", "Lima", "1970-05-05");
        file.address.line = "9 Oak Ave".into();
        file.address.city = "Boston".into();
        let plan = plan_import(&panel, &empty_registry(), vec![file.clone()], Vec::new(), ids(), at(2026, 12, 2));
        assert_eq!(plan.updated.len(), 1);
        let u = &plan.updated[0];
        assert_eq!(u.fields, vec!["address"]);
        assert_eq!(u.patient.id, "rec-1");
        assert_eq!(u.patient.created_at, at(2026, 1, 1));
        assert_eq!(u.patient.updated_at, at(2026, 12, 2));
        assert_eq!(u.patient.profile, stored.profile);
        assert_eq!((u.patient.phone.as_str(), u.patient.email.as_str()), ("617-555-0100", "ana@example.org"));
        assert_eq!(u.patient.notes, "Prefers calls after 2 pm");
        assert_eq!(u.patient.address.one_line(), "9 Oak Ave, Boston");
        assert_eq!(plan.update_summary().as_deref(), Some("Will update 1 patient: address (1)."));

        // The same values again: unchanged, nothing to write.
        file.address = stored.address.clone();
        let plan = plan_import(&panel, &empty_registry(), vec![file], Vec::new(), ids(), at(2026, 12, 2));
        assert_eq!(plan.unchanged, vec!["rec-1".to_string()]);
        assert!(plan.is_empty());
        assert_eq!(plan.update_summary(), None);
    }

    #[test]
    fn a_record_imported_before_source_ids_is_found_by_its_id() {
        let legacy = patient("synthea-7", "Rui", "Costa", "1960-01-01"); // id = the file's Id, no source_id
        let panel = Panel::new(vec![legacy]);
        let mut file = from_file("synthea-7", "Rui", "Costa", "1960-01-01");
        file.phone = "617-555-0199".into();
        let conditions = vec![condition("synthea-7-cond-snomed-5", "synthea-7", "5")];
        let plan = plan_import(&panel, &empty_registry(), vec![file], conditions, ids(), at(2026, 12, 2));
        assert!(plan.new.is_empty());
        assert_eq!(plan.updated[0].patient.id, "synthea-7");
        assert_eq!(plan.updated[0].patient.source_id, "synthea-7");
        assert_eq!(plan.updated[0].fields, vec!["phone"]);
        assert_eq!((plan.conditions[0].id.as_str(), plan.conditions[0].source_id.as_str()), ("uuid-1", "snomed-5"));
        assert_eq!(plan.chosen["synthea-7"], "synthea-7");
    }

    #[test]
    fn notes_from_the_file_are_added_below_the_coordinators_once() {
        let mut stored = from_file("s1", "Ana", "Lima", "1970-05-05");
        stored.notes = "Daughter translates".into();
        let panel = Panel::new(vec![stored]);
        let mut file = from_file("s1", "Ana", "Lima", "1970-05-05");
        file.notes = "From the imported file, not valid in CareCoord's fields: phone 12.".into();
        let plan = plan_import(&panel, &empty_registry(), vec![file.clone()], Vec::new(), ids(), at(2026, 12, 2));
        let merged = plan.updated[0].patient.clone();
        assert_eq!(merged.notes, "Daughter translates\n\nFrom the imported file, not valid in CareCoord's fields: phone 12.");
        assert_eq!(plan.updated[0].fields, vec!["notes"]);
        let panel = Panel::new(vec![merged]);
        let again = plan_import(&panel, &empty_registry(), vec![file], Vec::new(), ids(), at(2026, 12, 3));
        assert_eq!(again.unchanged.len(), 1, "not added twice");
    }

    #[test]
    fn what_the_coordinator_corrected_stays_until_the_file_says_something_new() {
        // First import: the file's values, with their digests.
        let mut file = from_file("s1", "Ana", "Lima", "1970-05-05");
        file.phone = "555-897-2109".into();
        file.address.line = "1 Elm St".into();
        file.notes = "From the imported file, not valid in CareCoord's fields: email x.".into();
        let first = plan_import(&Panel::new(Vec::new()), &empty_registry(), vec![file.clone()], Vec::new(), ids(), at(2026, 12, 1));
        let mut stored = first.new[0].clone();
        assert_eq!(
            stored.source_digests.keys().map(String::as_str).collect::<Vec<_>>(),
            vec!["address", "date of birth", "first name", "last name", "notes", "phone"]
        );
        // The coordinator corrects the phone and clears the file's note.
        stored.phone = "617-555-0142".into();
        stored.notes = "Call the daughter first".into();
        let panel = Panel::new(vec![stored.clone()]);

        let same = plan_import(&panel, &empty_registry(), vec![file.clone()], Vec::new(), ids(), at(2026, 12, 2));
        assert_eq!(same.unchanged, vec![stored.id.clone()], "{:?}", same.updated);

        let mut moved = file.clone();
        moved.address.line = "9 Oak Ave".into();
        let plan = plan_import(&panel, &empty_registry(), vec![moved.clone()], Vec::new(), ids(), at(2026, 12, 2));
        assert_eq!(plan.updated[0].fields, vec!["address"]);
        let p = &plan.updated[0].patient;
        assert_eq!((p.phone.as_str(), p.notes.as_str()), ("617-555-0142", "Call the daughter first"));
        assert_eq!(p.source_digests, source_digests(&moved));

        // A new phone in the file is news: it is taken.
        let mut new_phone = file;
        new_phone.phone = "555-000-1111".into();
        let plan = plan_import(&panel, &empty_registry(), vec![new_phone], Vec::new(), ids(), at(2026, 12, 2));
        assert_eq!(plan.updated[0].fields, vec!["phone"]);
        assert_eq!(plan.updated[0].patient.phone, "555-000-1111");
    }

    #[test]
    fn an_mrn_another_patient_has_is_not_taken() {
        let mut a = from_file("s1", "Ana", "Lima", "1970-05-05");
        a.mrn = "MRN-1".into();
        let mut b = patient("b", "Bia", "Reis", "1980-01-01");
        b.mrn = "MRN-2".into();
        let panel = Panel::new(vec![a, b]);
        let mut file = from_file("s1", "Ana", "Lima", "1970-05-05");
        file.mrn = "mrn-2".into();
        let plan = plan_import(&panel, &empty_registry(), vec![file], Vec::new(), ids(), at(2026, 12, 2));
        assert_eq!(plan.unchanged.len(), 1);
        assert_eq!(plan.notes, vec!["Ana Lima: MRN mrn-2 already belongs to Bia Reis; the MRN is not changed."]);
    }

    #[test]
    fn likely_duplicates_are_left_out_with_their_conditions() {
        let panel = Panel::new(vec![patient("rec-1", "María", "Núñez", "1990-02-28")]);
        let file = vec![from_file("other-system-1", "Maria", "Nunez", "1990-02-28"), from_file("s2", "Rui", "Costa", "1960-01-01")];
        let conditions = vec![condition("c1", "other-system-1", "1"), condition("c2", "s2", "2")];
        let plan = plan_import(&panel, &empty_registry(), file, conditions, ids(), at(2026, 12, 2));
        assert_eq!(plan.duplicates, vec![LikelyDuplicate { name: "Maria Nunez".into(), existing_name: "María Núñez".into() }]);
        assert_eq!(plan.new.len(), 1);
        assert_eq!(plan.conditions.len(), 1);
        assert_eq!(plan.conditions[0].source_id, "c2");
        assert_eq!(plan.chosen, HashMap::from([("s2".to_string(), "uuid-1".to_string())]), "the duplicate is not chosen");
    }

    #[test]
    fn conditions_already_stored_are_not_written_again() {
        let stored_patient = from_file("s1", "Ana", "Lima", "1970-05-05");
        let panel = Panel::new(vec![stored_patient]);
        let mut kept = condition("s1-cond-snomed-1", "s1", "1");
        kept.created_at = at(2025, 1, 1);
        let mut changed = condition("s1-cond-snomed-2", "s1", "2");
        changed.created_at = at(2025, 1, 1);
        let registry = Registry::new(vec![kept.clone(), changed.clone()], Vec::new(), Vec::new());
        let mut resolved = condition("s1-cond-snomed-2", "s1", "2");
        resolved.resolved = Some(chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap());
        let file = vec![from_file("s1", "Ana", "Lima", "1970-05-05")];
        let plan = plan_import(&panel, &registry, file, vec![condition("s1-cond-snomed-1", "s1", "1"), resolved], ids(), at(2026, 12, 2));
        assert_eq!(plan.conditions_unchanged, 1);
        assert_eq!(plan.conditions.len(), 1);
        assert_eq!(plan.conditions[0].created_at, at(2025, 1, 1), "the creation time stays");
        assert_eq!(plan.conditions[0].updated_at, at(2026, 12, 2));
        assert!(!plan.is_empty());
    }

    #[test]
    fn field_counts_and_the_confirmation_read_as_words() {
        let mut plan = ImportPlan::default();
        let p = patient("a", "Ana", "Lima", "1970-05-05");
        for fields in [vec!["phone", "address"], vec!["address"], vec!["address", "notes"]] {
            plan.updated.push(PatientUpdate { patient: p.clone(), fields });
        }
        plan.new = vec![p.clone(); 8];
        assert_eq!(plan.field_counts(), vec![("address", 3), ("phone", 1), ("notes", 1)]);
        assert_eq!(plan.update_summary().as_deref(), Some("Will update 3 patients: address (3), phone (1), notes (1)."));

        let (sentence, list) =
            plan.confirmation(vec!["Line 4: the Id is empty.".into(), "Line 7: deceased (2001-01-01), not added to the panel.".into()]);
        assert_eq!(
            sentence,
            "Imported 8 patients and 0 conditions. Updated 3 patients already on the panel. 2 rows were not imported: Line 4: the Id is empty; Line 7: deceased (2001-01-01), not added to the panel."
        );
        assert_eq!(list.len(), 2);

        let plan = ImportPlan { new: vec![p.clone()], unchanged: vec!["b".into()], ..Default::default() };
        let five: Vec<String> = (1..=5).map(|n| format!("Line {n}: bad.")).collect();
        let (sentence, list) = plan.confirmation(five);
        assert_eq!(
            sentence,
            "Imported 1 patient and 0 conditions. 1 patient was already on the panel as in the file. 5 rows were not imported: Line 1: bad; Line 2: bad; Line 3: bad; and 2 more, listed below."
        );
        assert_eq!(list.len(), 5);

        let plan = ImportPlan { updated: vec![PatientUpdate { patient: p.clone(), fields: vec!["phone"] }], ..Default::default() };
        let (sentence, _) = plan.confirmation(Vec::new());
        assert_eq!(sentence, "Updated 1 patient already on the panel.");
        let plan = ImportPlan {
            duplicates: vec![LikelyDuplicate { name: "Maria Nunez".into(), existing_name: "María Núñez".into() }],
            new: vec![p],
            ..Default::default()
        };
        let (sentence, list) = plan.confirmation(Vec::new());
        assert_eq!(
            sentence,
            "Imported 1 patient and 0 conditions. 1 row was not imported: Maria Nunez: same MRN or same name and date of birth as María Núñez, already on the panel."
        );
        assert_eq!(list, vec!["Maria Nunez: same MRN or same name and date of birth as María Núñez, already on the panel."]);
    }
}
