//! The app's state in memory and the one path every change takes:
//! validate → one IndexedDB transaction (with its journal entry) → update the signals.
//!
//! Nothing on screen changes before the transaction has committed; when it fails, the
//! signals are left as they were and the caller shows the error.

use std::rc::Rc;

use leptos::prelude::*;

use crate::io::backup::{self, Backup, BackupContents};
use crate::io::patients_csv::PatientImport;
use crate::model::settings::Settings;
use crate::model::care::{CareEvent, CareRule, EventOutcome};
use crate::model::registry::Registry;
use crate::model::{Change, ChangeAction, Condition, FieldError, Panel, Patient, PatientDraft, PatientField, Record};
use crate::storage::{self, Db, WriteBatch};
use crate::web;

/// Where the app is in reading the browser's storage at start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadStatus {
    Loading,
    Ready,
    Failed(String),
}

/// A message for the coordinator after an action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// A confirmation, read out politely (`role="status"`).
    Done(String),
    /// A failure that must be read (`role="alert"`).
    Failed(String),
}

/// Why a patient was not saved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveError {
    /// The form has problems; each is shown next to its field.
    Fields(Vec<FieldError>),
    /// The browser's storage refused the write.
    Storage(String),
}

/// How an imported backup meets what is already stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportMode {
    /// Everything stored now is replaced by the backup.
    Replace,
    /// Records are added, or updated when the id is already stored.
    Merge,
}

/// Shared state, provided as context by [`crate::app::App`].
#[derive(Clone, Copy)]
pub struct AppState {
    db: StoredValue<Option<Rc<Db>>, LocalStorage>,
    /// The generation of the patients store that the in-memory panel matches.
    patients_gen: StoredValue<u64>,
    /// Bumped by each request for a new panel snapshot; only the latest is carried out.
    snapshot_request: StoredValue<u32>,
    pub panel: RwSignal<Panel>,
    /// Conditions, care events and care-gap rules.
    pub registry: RwSignal<Registry>,
    /// Whether the registry stores have been read (they follow the panel at start).
    pub registry_ready: RwSignal<bool>,
    pub load: RwSignal<LoadStatus>,
    pub settings: RwSignal<Settings>,
    /// The latest notice and the path of the page it was given on: it shows on that page only.
    pub notice: RwSignal<Option<(Notice, String)>>,
}

impl AppState {
    /// Creates the state, provides it as context and starts reading the database.
    pub fn start(db_name: &'static str) -> AppState {
        mark("carecoord:app-start");
        let state = AppState {
            db: StoredValue::new_local(None),
            patients_gen: StoredValue::new(0),
            snapshot_request: StoredValue::new(0),
            panel: RwSignal::new(Panel::default()),
            registry: RwSignal::new(Registry::default()),
            registry_ready: RwSignal::new(false),
            load: RwSignal::new(LoadStatus::Loading),
            settings: RwSignal::new(storage::settings::load()),
            notice: RwSignal::new(None),
        };
        provide_context(state);
        leptos::task::spawn_local_scoped(async move {
            match state.open_and_load(db_name).await {
                Ok(()) => {}
                Err(e) => state.load.set(LoadStatus::Failed(e.message)),
            }
        });
        state
    }

    async fn open_and_load(self, db_name: &str) -> Result<(), storage::StorageError> {
        let db = Rc::new(storage::open(db_name).await?);
        mark("carecoord:db-open");
        let (patients, gen, from_snapshot) = db.load_patients().await?;
        mark("carecoord:patients-read");
        self.db.set_value(Some(db.clone()));
        self.patients_gen.set_value(gen);
        let panel = Panel::new(patients);
        mark("carecoord:panel-built");
        self.panel.set(panel);
        self.load.set(LoadStatus::Ready);
        mark("carecoord:panel-loaded");
        if !from_snapshot {
            self.refresh_snapshot();
        }
        // The panel is on screen first; the registry follows (gap counts show "…" until then).
        let conditions: Vec<Condition> = db.load_all().await?;
        let events: Vec<CareEvent> = db.load_all().await?;
        let rules: Vec<CareRule> = db.load_all().await?;
        self.registry.set(Registry::new(conditions, events, rules));
        self.registry_ready.set(true);
        Ok(())
    }

    /// After a write to the patients store: the panel in memory matches the next generation,
    /// and the quick-start snapshot is rebuilt a little later.
    fn patients_written(&self, gen: Option<u64>) {
        if let Some(gen) = gen {
            self.patients_gen.set_value(gen);
            self.refresh_snapshot();
        }
    }

    /// Saves the panel as one snapshot a few seconds after the last change, in the
    /// background, so the next reload reads one value instead of one per patient.
    fn refresh_snapshot(&self) {
        let state = *self;
        state.snapshot_request.update_value(|n| *n += 1);
        let request = state.snapshot_request.get_value();
        set_timeout(
            move || {
                if state.snapshot_request.get_value() != request {
                    return; // a later change asked again
                }
                let Ok(db) = state.db() else { return };
                let patients = state.panel.with_untracked(|p| p.patients().to_vec());
                let gen = state.patients_gen.get_value();
                leptos::task::spawn_local(async move {
                    if let Err(e) = db.save_patients_snapshot(&patients, gen).await {
                        // Only a cache: the records themselves are safe. Say so in the console.
                        web_sys::console::warn_1(&wasm_bindgen::JsValue::from_str(&e.message));
                    }
                });
            },
            std::time::Duration::from_millis(2500),
        );
    }

    /// Waits (up to 20 seconds) for the registry, which is read just after the panel at start.
    async fn registry_read(&self) -> Result<(), String> {
        for _ in 0..1000 {
            if self.registry_ready.get_untracked() {
                return Ok(());
            }
            if matches!(self.load.get_untracked(), LoadStatus::Failed(_)) {
                break;
            }
            web::sleep(20).await;
        }
        Err("CareCoord could not read the problem lists and care events; nothing was changed. Reload the page and try again.".into())
    }

    fn db(&self) -> Result<Rc<Db>, String> {
        self.db
            .get_value()
            .ok_or_else(|| "The browser's storage is not open yet. Wait a moment and try again.".to_string())
    }

    /// Shows a notice on the current page.
    pub fn say(&self, notice: Notice) {
        let path = web_sys::window().and_then(|w| w.location().pathname().ok()).unwrap_or_default();
        self.notice.set(Some((notice, path)));
    }

    fn by(&self) -> String {
        self.settings.with_untracked(|s| s.coordinator_name.clone())
    }

    /// Saves a new patient (`existing_id` is `None`) or changes to one.
    pub async fn save_patient(self, draft: PatientDraft, existing_id: Option<String>) -> Result<Patient, SaveError> {
        let today = web::today();
        let valid = draft.validate(today).map_err(SaveError::Fields)?;
        let existing = match &existing_id {
            Some(id) => Some(
                self.panel
                    .with_untracked(|p| p.get(id).cloned())
                    .ok_or_else(|| SaveError::Storage("This patient is no longer on the panel.".into()))?,
            ),
            None => None,
        };
        if let Some(other) = self.panel.with_untracked(|p| p.mrn_taken_by(&valid.mrn, existing_id.as_deref()).cloned()) {
            return Err(SaveError::Fields(vec![FieldError {
                field: PatientField::Mrn,
                message: format!("MRN {} already belongs to {}.", other.mrn, other.full_name()),
            }]));
        }
        let now = web::now();
        let mut batch = WriteBatch::new();
        let patient = match &existing {
            None => {
                let p = valid.into_new(web::new_id(), now);
                batch.add(&p).journal(&Change::of(&p, ChangeAction::Created, now, &self.by(), "", &web::nonce()));
                p
            }
            Some(old) => {
                let p = valid.into_update(old, now);
                let fields = old.changed_fields(&p);
                if fields.is_empty() {
                    return Ok(old.clone());
                }
                batch.put(&p).journal(&Change::of(&p, ChangeAction::Updated, now, &self.by(), fields.join(", "), &web::nonce()));
                p
            }
        };
        let db = self.db().map_err(SaveError::Storage)?;
        let gen = db.write(&batch, "save the patient").await.map_err(|e| SaveError::Storage(e.message))?;
        self.panel.update(|panel| panel.upsert(patient.clone()));
        self.patients_written(gen);
        Ok(patient)
    }

    /// Deletes a patient and journals it.
    pub async fn delete_patient(self, id: String) -> Result<Patient, String> {
        self.registry_read().await?;
        let patient = self.panel.with_untracked(|p| p.get(&id).cloned()).ok_or("This patient is no longer on the panel.")?;
        let now = web::now();
        let mut batch = WriteBatch::new();
        batch
            .delete::<Patient>(&id)
            .journal(&Change::of(&patient, ChangeAction::Deleted, now, &self.by(), "", &web::nonce()));
        self.registry.with_untracked(|r| {
            for c in r.conditions_of(&id) {
                batch.delete::<Condition>(&c.id);
            }
            for e in r.events_of(&id) {
                batch.delete::<CareEvent>(&e.id);
            }
        });
        let gen = self.db()?.write(&batch, "delete the patient").await.map_err(|e| e.message)?;
        self.registry.update(|r| r.forget_patient(&id));
        self.panel.update(|p| {
            p.remove(&id);
        });
        self.patients_written(gen);
        Ok(patient)
    }

    /// The journal entries about one record, oldest first.
    pub async fn history(self, entity_id: String) -> Result<Vec<Change>, String> {
        self.db()?.history(&entity_id).await.map_err(|e| e.message)
    }

    /// Everything stored, as a backup file's name and text.
    pub async fn export_backup(self) -> Result<(String, String, usize), String> {
        self.registry_read().await?;
        let db = self.db()?;
        let changes: Vec<Change> = db.load_all().await.map_err(|e| e.message)?;
        let (conditions, care_events) =
            self.registry.with_untracked(|r| (r.all_conditions().cloned().collect(), r.all_events().cloned().collect()));
        let care_rules: Vec<CareRule> = db.load_all().await.map_err(|e| e.message)?;
        let contents = BackupContents { patients: self.panel.with_untracked(|p| p.patients().to_vec()), changes, conditions, care_events, care_rules };
        let text = backup::write(&contents, web::now());
        Ok((backup::file_name(web::today()), text, contents.patients.len()))
    }

    /// Writes a checked backup in one transaction: all of it or nothing.
    pub async fn import_backup(self, backup: Backup, mode: ImportMode) -> Result<String, String> {
        self.registry_read().await?;
        let BackupContents { patients, changes, conditions, care_events, care_rules } = backup.contents;
        let now = web::now();
        let how = match mode {
            ImportMode::Replace => "replacing everything",
            ImportMode::Merge => "merged by id",
        };
        let summary = format!("backup: {} patients, {how}", patients.len());
        let mut batch = WriteBatch::new();
        if mode == ImportMode::Replace {
            batch
                .clear(Patient::STORE)
                .clear(Change::STORE)
                .clear(Condition::STORE)
                .clear(CareEvent::STORE)
                .clear(CareRule::STORE);
        }
        batch
            .put_all(&patients)
            .put_all(&changes)
            .put_all(&conditions)
            .put_all(&care_events)
            .put_all(&care_rules)
            .journal(&Change::new(
            Patient::STORE,
            Change::BATCH,
            ChangeAction::Imported,
            now,
            &self.by(),
            summary,
            &web::nonce(),
        ));
        let gen = self.db()?.write(&batch, "import the backup").await.map_err(|e| e.message)?;
        let count = patients.len();
        match mode {
            ImportMode::Replace => {
                self.registry.set(Registry::new(conditions, care_events, care_rules));
                self.panel.set(Panel::new(patients));
            }
            ImportMode::Merge => {
                let db = self.db()?;
                let rules: Vec<CareRule> = db.load_all().await.map_err(|e| e.message)?;
                self.registry.update(|r| {
                    for c in conditions {
                        r.put_condition(c);
                    }
                    for e in care_events {
                        r.put_event(e);
                    }
                    r.set_rules(rules);
                });
                self.panel.update(|p| p.upsert_all(patients));
            }
        }
        self.patients_written(gen);
        Ok(format!("Imported {count} patients from the backup ({how})."))
    }

    /// Writes checked patients and their conditions in one transaction. Patients already on
    /// the panel with the same id are updated; `skip` lists ids not to write (likely duplicates).
    pub async fn import_patients(self, import: PatientImport, skip: Vec<String>) -> Result<String, String> {
        self.registry_read().await?;
        let patients: Vec<Patient> = import.patients.into_iter().filter(|p| !skip.contains(&p.id)).collect();
        let conditions: Vec<Condition> = import.conditions.into_iter().filter(|c| !skip.contains(&c.patient_id)).collect();
        let mut batch = WriteBatch::new();
        batch.put_all(&patients).put_all(&conditions).journal(&Change::new(
            Patient::STORE,
            Change::BATCH,
            ChangeAction::Imported,
            web::now(),
            &self.by(),
            format!("{} patients, {} conditions", patients.len(), conditions.len()),
            &web::nonce(),
        ));
        let gen = self.db()?.write(&batch, "import the patients").await.map_err(|e| e.message)?;
        let message = format!("Imported {} patients and {} conditions.", patients.len(), conditions.len());
        self.registry.update(|r| {
            for c in conditions {
                r.put_condition(c);
            }
        });
        self.panel.update(|p| p.upsert_all(patients));
        self.patients_written(gen);
        Ok(message)
    }

    /// Records a care event (a test done, declined or excluded) for a patient.
    pub async fn record_care(self, event: CareEvent) -> Result<(), String> {
        self.registry_read().await?;
        let patient = self.panel.with_untracked(|p| p.get(&event.patient_id).cloned()).ok_or("This patient is no longer on the panel.")?;
        let summary = match event.outcome {
            EventOutcome::Done => format!("care: {} on {}", event.item, event.date),
            other => format!("care: {} {} on {}", event.item, other.label().to_lowercase(), event.date),
        };
        let mut batch = WriteBatch::new();
        batch.add(&event).journal(&Change::of(&patient, ChangeAction::Updated, web::now(), &self.by(), summary, &web::nonce()));
        self.db()?.write(&batch, "record the care event").await.map_err(|e| e.message)?;
        self.registry.update(|r| r.put_event(event));
        Ok(())
    }

    /// Saves the per-device settings.
    pub fn save_settings(self, settings: Settings) -> Result<(), String> {
        let settings = settings.validated()?;
        storage::settings::save(&settings)?;
        self.settings.set(settings);
        Ok(())
    }
}

/// A `performance.mark`, for the benchmarks.
pub fn mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}
