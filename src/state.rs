//! The app's state in memory and the one path every change takes:
//! validate → one IndexedDB transaction (with its journal entry) → update the signals.
//!
//! Nothing on screen changes before the transaction has committed; when it fails, the
//! signals are left as they were and the caller shows the error.

use std::rc::Rc;

use leptos::prelude::*;

use crate::io::backup::{self, Backup, BackupContents};
use crate::model::settings::Settings;
use crate::model::{Change, ChangeAction, FieldError, Panel, Patient, PatientDraft, PatientField, Record};
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
    pub panel: RwSignal<Panel>,
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
            panel: RwSignal::new(Panel::default()),
            load: RwSignal::new(LoadStatus::Loading),
            settings: RwSignal::new(storage::settings::load()),
            notice: RwSignal::new(None),
        };
        provide_context(state);
        leptos::task::spawn_local_scoped(async move {
            match state.open_and_load(db_name).await {
                Ok(()) => state.load.set(LoadStatus::Ready),
                Err(e) => state.load.set(LoadStatus::Failed(e.message)),
            }
        });
        state
    }

    async fn open_and_load(self, db_name: &str) -> Result<(), storage::StorageError> {
        let db = storage::open(db_name).await?;
        let patients: Vec<Patient> = db.load_all().await?;
        self.db.set_value(Some(Rc::new(db)));
        self.panel.set(Panel::new(patients));
        mark("carecoord:panel-loaded");
        Ok(())
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
        db.write(&batch, "save the patient").await.map_err(|e| SaveError::Storage(e.message))?;
        self.panel.update(|panel| panel.upsert(patient.clone()));
        Ok(patient)
    }

    /// Deletes a patient and journals it.
    pub async fn delete_patient(self, id: String) -> Result<Patient, String> {
        let patient = self.panel.with_untracked(|p| p.get(&id).cloned()).ok_or("This patient is no longer on the panel.")?;
        let now = web::now();
        let mut batch = WriteBatch::new();
        batch
            .delete::<Patient>(&id)
            .journal(&Change::of(&patient, ChangeAction::Deleted, now, &self.by(), "", &web::nonce()));
        self.db()?.write(&batch, "delete the patient").await.map_err(|e| e.message)?;
        self.panel.update(|p| {
            p.remove(&id);
        });
        Ok(patient)
    }

    /// The journal entries about one record, oldest first.
    pub async fn history(self, entity_id: String) -> Result<Vec<Change>, String> {
        self.db()?.history(&entity_id).await.map_err(|e| e.message)
    }

    /// Everything stored, as a backup file's name and text.
    pub async fn export_backup(self) -> Result<(String, String, usize), String> {
        let db = self.db()?;
        let changes: Vec<Change> = db.load_all().await.map_err(|e| e.message)?;
        let contents = BackupContents { patients: self.panel.with_untracked(|p| p.patients().to_vec()), changes };
        let text = backup::write(&contents, web::now());
        Ok((backup::file_name(web::today()), text, contents.patients.len()))
    }

    /// Writes a checked backup in one transaction: all of it or nothing.
    pub async fn import_backup(self, backup: Backup, mode: ImportMode) -> Result<String, String> {
        let BackupContents { patients, changes } = backup.contents;
        let now = web::now();
        let how = match mode {
            ImportMode::Replace => "replacing everything",
            ImportMode::Merge => "merged by id",
        };
        let summary = format!("backup: {} patients, {how}", patients.len());
        let mut batch = WriteBatch::new();
        if mode == ImportMode::Replace {
            batch.clear(Patient::STORE).clear(Change::STORE);
        }
        batch.put_all(&patients).put_all(&changes).journal(&Change::new(
            Patient::STORE,
            Change::BATCH,
            ChangeAction::Imported,
            now,
            &self.by(),
            summary,
            &web::nonce(),
        ));
        self.db()?.write(&batch, "import the backup").await.map_err(|e| e.message)?;
        let count = patients.len();
        match mode {
            ImportMode::Replace => self.panel.set(Panel::new(patients)),
            ImportMode::Merge => self.panel.update(|p| p.upsert_all(patients)),
        }
        Ok(format!("Imported {count} patients from the backup ({how})."))
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
