//! Importing patients and their care history: the files the coordinator chose, read (the
//! long ones a slice at a time), planned against the panel as it is, and written in one
//! transaction. These reach the panel and the registry both, so they are [`AppState`]'s.
//!
//! A patient list (CareCoord's template, Synthea's `patients.csv` with `conditions.csv`,
//! FHIR) and care history (Synthea's `observations.csv`, `immunizations.csv`,
//! `procedures.csv`, `encounters.csv`, FHIR, CareCoord's care history template) may be
//! chosen together or apart: care history chosen with its patient list goes to the patients
//! just imported. A FHIR file is read for both.

use std::sync::Arc;

use chrono::NaiveDate;
use leptos::prelude::*;

use super::{AppState, Failure};
use crate::io::care_history::{self, CareHistory, FileKind, HistoryReader, ItemSummary};
use crate::io::import::FileProblem;
use crate::io::patients_csv::{self, PatientImport};
use crate::io::text;
use crate::model::care::CareRule;
use crate::model::history_import::{plan_history, HistoryPlan};
use crate::model::patient_import::{plan_import, ImportPlan};
use crate::model::care::CareEvent;
use crate::model::transition::{from_encounter, Transition, PERIOD_DAYS};
use crate::model::{Change, ChangeAction, Patient, Record, Timestamp};
use crate::storage::WriteBatch;
use crate::web::{self, FileSlices};

/// How much of a long file is read at a time.
const SLICE_BYTES: usize = 4 * 1024 * 1024;

/// What the chosen files hold, read and checked.
#[derive(Debug, Default)]
pub struct ChosenFiles {
    /// The patient list, when one was chosen.
    pub patients: Option<PatientImport>,
    /// The care history, when any was chosen (or a FHIR file held some).
    pub history: Option<CareHistory>,
    /// How files were decoded, when that matters (not UTF-8).
    pub notes: Vec<String>,
}

/// The preview of an import: what the files hold and what importing them would do now.
#[derive(Clone)]
pub struct ImportPreview {
    pub files: Arc<ChosenFiles>,
    pub patients: Option<Arc<ImportPlan>>,
    pub history: Option<Arc<HistoryPlan>>,
    /// The care events by item ("HbA1c: 212 results for 18 patients").
    pub summary: Vec<ItemSummary>,
}

impl ImportPreview {
    /// The Import button's name: "Import 27 patients and 120 care events".
    pub fn button_label(&self) -> String {
        let patients = self.patients.as_ref().map_or(0, |p| p.new.len() + p.updated.len());
        let conditions = self.patients.as_ref().map_or(0, |p| p.conditions.len());
        let events = self.history.as_ref().map_or(0, |h| h.events.len());
        let mut parts = Vec::new();
        if patients > 0 {
            parts.push(crate::model::text::count_of(patients, "patient", "patients"));
        } else if conditions > 0 {
            parts.push(crate::model::text::count_of(conditions, "condition", "conditions"));
        }
        if events > 0 || self.history.as_ref().is_some_and(|h| !h.encounters.is_empty()) {
            parts.push(crate::model::text::count_of(events, "care event", "care events"));
        }
        if parts.is_empty() {
            return "Import".into();
        }
        format!("Import {}", parts.join(" and "))
    }

    /// Whether there is nothing to write.
    pub fn is_empty(&self) -> bool {
        self.patients.as_ref().is_none_or(|p| p.is_empty()) && self.history.as_ref().is_none_or(|h| h.is_empty())
    }
}

/// What care history files hold beyond their events, as the preview lists it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HistoryCounts {
    /// "LOINC 8302-2 Body Height: 57 records", most frequent first.
    pub unmapped: Vec<String>,
    /// How many records carried a code the mapping does not know.
    pub unmapped_records: usize,
    pub problems: Vec<String>,
    pub skipped: Vec<String>,
}

impl HistoryCounts {
    pub fn of(history: &CareHistory) -> HistoryCounts {
        HistoryCounts {
            unmapped: history
                .unmapped
                .iter()
                .map(|u| format!("{} {} {}: {}", u.system, u.code, u.description, crate::model::text::count_of(u.count, "record", "records")))
                .collect(),
            unmapped_records: history.unmapped.iter().map(|u| u.count).sum(),
            problems: history.problems.iter().map(ToString::to_string).collect(),
            skipped: history.skipped.iter().map(ToString::to_string).collect(),
        }
    }
}

/// What a chosen file is: part of a patient list, or care history of one kind.
enum Part {
    Patients,
    History(FileKind),
}

fn part_of(name: &str, head: &str) -> Result<Part, FileProblem> {
    match care_history::kind_of(name, head) {
        Ok(kind) => Ok(Part::History(kind)),
        Err(history_problem) => match patients_csv::kind_of(name, head) {
            Ok(_) => Ok(Part::Patients),
            // A backup, an empty file, a CSV that cannot be read: the history reader says it best.
            Err(_) if !head.trim_start().starts_with('{') && head.contains(',') => Err(FileProblem(format!(
                "{name} is not a file CareCoord imports here: expected a patient list (CareCoord's patient template, \
                 Synthea patients.csv with conditions.csv, FHIR R4 Patient and Condition) or care history (Synthea \
                 observations.csv, immunizations.csv, procedures.csv or encounters.csv, FHIR R4, or the care history template)."
            ))),
            Err(_) => Err(history_problem),
        },
    }
}

/// Reads the chosen files: patient lists and FHIR whole, care history CSV a slice at a time
/// (never a whole 60 MB file at once), saying how far it is through `progress` and stopping
/// as soon as `cancelled` says so. `rules` are the rules in force (the template may name an
/// item by its rule's label).
pub async fn read_files(
    files: Vec<web_sys::File>,
    rules: &[CareRule],
    today: NaiveDate,
    now: Timestamp,
    progress: impl Fn(String),
    cancelled: impl Fn() -> bool,
) -> Result<ChosenFiles, FileProblem> {
    let stop = || FileProblem("Reading was cancelled.".into());
    let mut chosen = ChosenFiles::default();
    let mut patient_texts: Vec<(String, String)> = Vec::new();
    let mut reader = HistoryReader::new(rules, now);
    let mut any_history = false;
    let total = files.len();
    for (n, file) in files.iter().enumerate() {
        let name = file.name();
        let of = if total > 1 { format!(" (file {} of {total})", n + 1) } else { String::new() };
        progress(format!("Reading {name}{of}…"));
        let mut slices = FileSlices::new(file, SLICE_BYTES).map_err(FileProblem)?;
        let Some(first) = slices.next().await.map_err(FileProblem)? else {
            return Err(FileProblem(format!("{name} is empty.")));
        };
        let head = care_history::head_text(&first);
        match part_of(&name, &head)? {
            Part::History(kind) if kind != FileKind::Fhir => {
                // Care history CSV: a slice at a time.
                any_history = true;
                reader.start_file(&name, &head)?;
                let mut next = Some(first);
                while let Some(bytes) = next {
                    if cancelled() {
                        return Err(stop());
                    }
                    reader.feed_bytes(&bytes)?;
                    if slices.size() > 0.0 {
                        progress(format!("Reading {name}{of}: {}%", ((slices.read() / slices.size()) * 100.0).round() as u32));
                    }
                    next = slices.next().await.map_err(FileProblem)?;
                }
                reader.end_file()?;
            }
            part => {
                // A patient list or FHIR: whole (a Bundle is one JSON document).
                let mut bytes = first;
                while let Some(more) = slices.next().await.map_err(FileProblem)? {
                    if cancelled() {
                        return Err(stop());
                    }
                    bytes.extend_from_slice(&more);
                }
                let decoded = text::decode(&bytes, &name)?;
                drop(bytes);
                chosen.notes.extend(decoded.note);
                if matches!(part, Part::History(_)) {
                    any_history = true;
                    reader.start_file(&name, &decoded.text)?;
                    reader.feed(&decoded.text)?;
                    reader.end_file()?;
                }
                patient_texts.push((name.clone(), decoded.text));
            }
        }
    }
    chosen.notes.extend(reader.notes().iter().cloned());
    if !patient_texts.is_empty() {
        let mut new_id = web::new_id;
        chosen.patients = Some(patients_csv::detect_and_parse(&patient_texts, today, now, &mut new_id)?);
    }
    if any_history {
        let history = reader.finish();
        // FHIR files with patients and no care history: a patient import only.
        let nothing = history.events.is_empty() && history.encounters.is_empty() && history.unmapped.is_empty() && history.problems.is_empty();
        if !(nothing && chosen.patients.is_some()) {
            chosen.history = Some(history);
        }
    }
    Ok(chosen)
}

impl AppState {
    /// What importing `files` would do to the panel and registry as they are now: the
    /// preview. Waits for every store to be read.
    pub async fn plan_files_import(self, files: ChosenFiles) -> Result<ImportPreview, Failure> {
        self.core.all_read().await?;
        let files = Arc::new(files);
        let (patients, history) = self.plan_files(&files, web::now());
        let summary = files.history.as_ref().map(|h| self.registry.with_untracked(|r| h.summary(r.rules()))).unwrap_or_default();
        Ok(ImportPreview { files, patients: patients.map(Arc::new), history: history.map(Arc::new), summary })
    }

    fn plan_files(&self, files: &ChosenFiles, now: Timestamp) -> (Option<ImportPlan>, Option<HistoryPlan>) {
        self.panel.with_untracked(|panel| {
            self.registry.with_untracked(|registry| {
                let patients = files.patients.as_ref().map(|p| plan_import(panel, registry, p.patients.clone(), p.conditions.clone(), web::new_id, now));
                let history = files.history.as_ref().map(|h| {
                    let chosen = patients.as_ref().map(|p| p.chosen.clone()).unwrap_or_default();
                    plan_history(panel, registry, h.events.clone(), h.encounters.clone(), &chosen, web::new_id)
                });
                (patients, history)
            })
        })
    }

    /// Imports checked files in one transaction, planned again against the panel as it is
    /// now: the patients (see `model::patient_import`), then their care events and encounters
    /// (see `model::history_import`). Returns the confirmation and the list of everything
    /// left out.
    pub async fn import_files(self, preview: ImportPreview) -> Result<(String, Vec<String>), Failure> {
        self.core.all_read().await?;
        let now = web::now();
        let files = preview.files;
        let (mut patients, history) = self.plan_files(&files, now);
        let by = self.core.by();
        let mut batch = WriteBatch::new();
        if let Some(plan) = &mut patients {
            for p in &plan.new {
                batch.add(p);
            }
            for u in &mut plan.updated {
                u.patient.rev += 1;
                batch.put(&u.patient).journal(&self.core.change(&u.patient, ChangeAction::Updated, u.fields.join(", ")));
            }
            if !plan.is_empty() {
                batch.put_all(&plan.conditions).journal(&Change::new(Patient::STORE, Change::BATCH, ChangeAction::Imported, now, &by, plan.journal_summary(), &web::nonce()));
            }
        }
        // Emergency visits and hospital stays still within their 30 days start transitions
        // of care (older ones are history only).
        let since = web::today().checked_sub_days(chrono::Days::new(PERIOD_DAYS)).unwrap_or(NaiveDate::MIN);
        let transitions: Vec<Transition> = history
            .iter()
            .flat_map(|h| &h.encounters)
            .filter(|e| e.stop.unwrap_or(e.start).date_naive() >= since)
            .filter_map(|e| from_encounter(e, web::new_id(), |t| t.date_naive(), now))
            .collect();
        batch.put_all(&transitions);
        if let Some(plan) = history.as_ref().filter(|h| !h.is_empty()) {
            batch.put_all(&plan.events).put_all(&plan.encounters);
            batch.journal(&Change::new(CareEvent::STORE, Change::BATCH, ChangeAction::Imported, now, &by, plan.journal_summary(), &web::nonce()));
        }
        let written = if batch.is_empty() { None } else { Some(self.core.write(&batch, "import the files").await?) };

        // Written: the confirmation, and the records in memory.
        let patient_rows = files.patients.iter().flat_map(|p| p.problems.iter().chain(&p.skipped)).map(ToString::to_string);
        let history_rows = files.history.iter().flat_map(|h| h.problems.iter()).map(ToString::to_string);
        let mut sentences = Vec::new();
        let mut list: Vec<String> = Vec::new();
        if let Some(plan) = patients {
            let (sentence, rows) = plan.confirmation(patient_rows.collect());
            sentences.push(sentence);
            list = rows;
            let ImportPlan { new, updated, conditions, .. } = plan;
            self.registry.put_conditions(conditions);
            self.panel.write().update(|p| p.upsert_all(new.into_iter().chain(updated.into_iter().map(|u| u.patient))));
        }
        if let Some(plan) = history {
            let rows: Vec<String> = history_rows.collect();
            let mut sentence = plan.confirmation();
            if !rows.is_empty() {
                sentence.push_str(&format!(" {} of care history could not be read: listed below.", crate::model::text::count_of(rows.len(), "row", "rows")));
            }
            sentences.push(sentence);
            list.extend(rows);
            list.extend(plan.not_in_panel.iter().map(ToString::to_string));
            self.registry.put_history(plan.events, plan.encounters);
            self.day.put_transitions(transitions);
        }
        if let Some(written) = written {
            self.written(&written);
        }
        Ok((sentences.join(" "), list))
    }
}
