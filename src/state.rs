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
use crate::model::appointment::{Appointment, AppointmentDraft};
use crate::model::care::{CareEvent, CareRule, EventOutcome};
use crate::model::profile::ProfileDraft;
use crate::model::recall::OutreachAttempt;
use crate::model::referral::{Referral, ReferralDraft, ReferralFieldError, ReferralStatus};
use crate::model::catalog::Catalog;
use crate::model::directory::{Organization, Service, ServiceDraft, ServiceFieldError};
use crate::model::patient_import::{plan_import, ImportPlan};
use crate::model::registry::Registry;
use crate::model::{upsert_by_id, Change, ChangeAction, Condition, FieldError, Panel, Patient, PatientDraft, PatientField, Record};
use crate::model::schema::DATA_STORES;
use crate::storage::{self, Db, WriteBatch};
use crate::pages::count_of;
use crate::web;

pub mod device;
pub mod kiosk;
pub mod tabs;

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
    /// The generation of the referrals store that the referrals in memory match.
    referrals_gen: StoredValue<u64>,
    referrals_snapshot_request: StoredValue<u32>,
    pub panel: RwSignal<Panel>,
    /// Conditions, care events and care-gap rules.
    pub registry: RwSignal<Registry>,
    /// Whether the registry stores have been read (they follow the panel at start).
    pub registry_ready: RwSignal<bool>,
    /// Every appointment on the schedule (with its pre-visit checklist and calls).
    pub appointments: RwSignal<Vec<Appointment>>,
    /// Every recall outreach attempt.
    pub outreach: RwSignal<Vec<OutreachAttempt>>,
    /// Every referral, with its history.
    pub referrals: RwSignal<Vec<Referral>>,
    /// The community resource directory and its search index.
    pub catalog: RwSignal<Catalog>,
    /// Whether the directory has been read.
    pub catalog_ready: RwSignal<bool>,
    /// Whether every store has been read (the referrals come last). Every mutation waits
    /// for it, so a record written early is never overwritten by the load.
    pub all_ready: RwSignal<bool>,
    pub load: RwSignal<LoadStatus>,
    pub settings: RwSignal<Settings>,
    /// The latest notice and the path of the page it was given on: it shows on that page only.
    pub notice: RwSignal<Option<(Notice, String)>>,
    /// What the shell must say about other tabs (an upgrade blocked by an older tab, or this
    /// tab's database closed by a newer tab's upgrade).
    pub tab_notice: RwSignal<Option<tabs::TabNotice>>,
}

impl AppState {
    /// Creates the state, provides it as context and starts reading the database.
    pub fn start(db_name: &'static str) -> AppState {
        mark("carecoord:app-start");
        let state = AppState::new();
        leptos::task::spawn_local_scoped(async move {
            match state.open_and_load(db_name).await {
                Ok(()) => {}
                Err(e) => state.load.set(LoadStatus::Failed(e.message)),
            }
        });
        state
    }

    /// For the waiting-room kiosk: opens the database and reads the resource directory only.
    /// No patient, referral or registry record is ever read into memory.
    pub fn start_kiosk(db_name: &'static str) -> AppState {
        let state = AppState::new();
        leptos::task::spawn_local_scoped(async move {
            let result = async {
                let db = state.open_in_tab(db_name, tabs::Holds::Directory).await?;
                state.db.set_value(Some(db.clone()));
                state.load_catalog(&db).await?;
                state.load.set(LoadStatus::Ready);
                Ok::<(), storage::StorageError>(())
            };
            if let Err(e) = result.await {
                state.load.set(LoadStatus::Failed(e.message));
            }
        });
        state
    }

    async fn load_catalog(self, db: &Db) -> Result<(), storage::StorageError> {
        let organizations: Vec<Organization> = db.load_all().await?;
        let services: Vec<Service> = db.load_all().await?;
        self.catalog.set(Catalog::new(organizations, services));
        self.catalog_ready.set(true);
        Ok(())
    }

    fn new() -> AppState {
        let (settings, settings_notice) = storage::settings::load();
        device::DeviceStatus::start(settings_notice);
        let state = AppState {
            db: StoredValue::new_local(None),
            patients_gen: StoredValue::new(0),
            snapshot_request: StoredValue::new(0),
            referrals_gen: StoredValue::new(0),
            referrals_snapshot_request: StoredValue::new(0),
            panel: RwSignal::new(Panel::default()),
            registry: RwSignal::new(Registry::default()),
            registry_ready: RwSignal::new(false),
            appointments: RwSignal::new(Vec::new()),
            outreach: RwSignal::new(Vec::new()),
            referrals: RwSignal::new(Vec::new()),
            catalog: RwSignal::new(Catalog::default()),
            catalog_ready: RwSignal::new(false),
            all_ready: RwSignal::new(false),
            load: RwSignal::new(LoadStatus::Loading),
            settings: RwSignal::new(settings),
            notice: RwSignal::new(None),
            tab_notice: RwSignal::new(None),
        };
        provide_context(state);
        state
    }

    async fn open_and_load(self, db_name: &'static str) -> Result<(), storage::StorageError> {
        let db = self.open_in_tab(db_name, tabs::Holds::Everything).await?;
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
            self.written(&storage::Written::of_one(Patient::STORE, gen));
        }
        // The panel is on screen first; the registry follows (gap counts show "…" until then).
        let conditions: Vec<Condition> = db.load_all().await?;
        let events: Vec<CareEvent> = db.load_all().await?;
        let rules: Vec<CareRule> = db.load_all().await?;
        let appointments: Vec<Appointment> = db.load_all().await?;
        let outreach: Vec<OutreachAttempt> = db.load_all().await?;
        self.registry.set(Registry::new(conditions, events, rules));
        self.appointments.set(appointments);
        self.outreach.set(outreach);
        self.registry_ready.set(true);
        self.load_catalog(&db).await?;
        // Referrals last: at 30,000 they take about a second to read, and nothing above waits.
        let (referrals, gen, from_snapshot) = db.load_snapshotted::<Referral>().await?;
        self.referrals.set(referrals);
        self.referrals_gen.set_value(gen);
        if !from_snapshot {
            self.written(&storage::Written::of_one(Referral::STORE, gen));
        }
        self.all_ready.set(true);
        Ok(())
    }

    /// After a write: the panel and the referrals in memory match the generations it
    /// created, and their quick-start snapshots are rebuilt a little later.
    fn written(&self, w: &storage::Written) {
        if let Some(gen) = w.of(Patient::STORE) {
            self.patients_gen.set_value(gen);
            self.refresh_snapshot::<Patient>(self.snapshot_request);
        }
        if let Some(gen) = w.of(Referral::STORE) {
            self.referrals_gen.set_value(gen);
            self.refresh_snapshot::<Referral>(self.referrals_snapshot_request);
        }
    }

    /// Rebuilds a store's snapshot from disk a few seconds after the last change (only the
    /// latest `request` is carried out), in the background, so the next reload reads one
    /// value instead of one per record.
    fn refresh_snapshot<R: Record + 'static>(&self, request: StoredValue<u32>) {
        let state = *self;
        request.update_value(|n| *n += 1);
        let asked = request.get_value();
        set_timeout(
            move || {
                if request.get_value() != asked {
                    return; // a later change asked again
                }
                let Ok(db) = state.db() else { return };
                leptos::task::spawn_local(async move {
                    if let Err(e) = db.rebuild_snapshot::<R>().await {
                        // Only a cache: the records themselves are safe. Say so in the console.
                        web_sys::console::warn_1(&wasm_bindgen::JsValue::from_str(&e.message));
                    }
                });
            },
            std::time::Duration::from_millis(2500),
        );
    }

    /// Waits (up to 30 seconds) for every store to be read (the panel comes first, the rest
    /// follow). Mutations other than a patient's own call this before they write.
    async fn all_read(&self) -> Result<(), String> {
        for _ in 0..1500 {
            if self.all_ready.get_untracked() {
                return Ok(());
            }
            if matches!(self.load.get_untracked(), LoadStatus::Failed(_)) {
                break;
            }
            web::sleep(20).await;
        }
        Err("CareCoord could not read all its records yet; nothing was changed. Reload the page and try again.".into())
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
        self.written(&gen);
        Ok(patient)
    }

    /// Deletes a patient and journals it.
    pub async fn delete_patient(self, id: String) -> Result<Patient, String> {
        self.all_read().await?;
        let patient = self.panel.with_untracked(|p| p.get(&id).cloned()).ok_or("This patient is no longer on the panel.")?;
        let now = web::now();
        let mut batch = WriteBatch::new();
        batch
            .delete_patient_everywhere(&id)
            .journal(&Change::of(&patient, ChangeAction::Deleted, now, &self.by(), "", &web::nonce()));
        let gen = self.db()?.write(&batch, "delete the patient").await.map_err(|e| e.message)?;
        self.registry.update(|r| r.forget_patient(&id));
        self.appointments.update(|list| list.retain(|a| a.patient_id != id));
        self.outreach.update(|list| list.retain(|o| o.patient_id != id));
        self.referrals.update(|list| list.retain(|r| r.patient_id != id));
        self.panel.update(|p| {
            p.remove(&id);
        });
        self.written(&gen);
        Ok(patient)
    }

    /// The journal entries about one record, oldest first.
    pub async fn history(self, entity_id: String) -> Result<Vec<Change>, String> {
        self.db()?.history(&entity_id).await.map_err(|e| e.message)
    }

    /// Everything stored, as a backup file's name and text.
    pub async fn export_backup(self) -> Result<(String, String, usize), String> {
        self.all_read().await?;
        // From disk, every store in one transaction: what is stored, not what this tab holds.
        let contents = self.db()?.load_contents().await.map_err(|e| e.message)?;
        let text = backup::write(&contents, web::now());
        Ok((backup::file_name(web::today()), text, contents.patients.len()))
    }

    /// Writes a checked backup in one transaction: all of it or nothing.
    pub async fn import_backup(self, backup: Backup, mode: ImportMode) -> Result<String, String> {
        self.all_read().await?;
        let now = web::now();
        let how = match mode {
            ImportMode::Replace => "replacing everything",
            ImportMode::Merge => "merged by id",
        };
        let summary = format!("backup: {} patients, {how}", backup.contents.patients.len());
        let mut batch = WriteBatch::new();
        if mode == ImportMode::Replace {
            for store in DATA_STORES {
                batch.clear(store);
            }
        }
        batch.put_contents(&backup.contents).journal(&Change::new(
            Patient::STORE,
            Change::BATCH,
            ChangeAction::Imported,
            now,
            &self.by(),
            summary,
            &web::nonce(),
        ));
        let gen = self.db()?.write(&batch, "import the backup").await.map_err(|e| e.message)?;
        let BackupContents { patients, changes: _, conditions, care_events, care_rules, appointments, outreach, referrals, organizations, services } = backup.contents;
        let count = patients.len();
        match mode {
            ImportMode::Replace => {
                self.registry.set(Registry::new(conditions, care_events, care_rules));
                self.appointments.set(appointments);
                self.outreach.set(outreach);
                self.referrals.set(referrals);
                self.catalog.set(Catalog::new(organizations, services));
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
                self.appointments.update(|list| upsert_by_id(list, appointments));
                self.outreach.update(|list| upsert_by_id(list, outreach));
                self.referrals.update(|list| upsert_by_id(list, referrals));
                let merged = self.catalog.with_untracked(|c| c.with(&organizations, &services));
                self.catalog.set(merged);
                self.panel.update(|p| p.upsert_all(patients));
            }
        }
        self.written(&gen);
        Ok(format!("Imported {} from the backup ({how}).", count_of(count, "patient", "patients")))
    }

    /// What importing `import` would do to the panel as it is now: the preview. Waits for
    /// every store to be read, so that the conditions already stored are known.
    pub async fn plan_patient_import(self, import: &PatientImport) -> Result<ImportPlan, String> {
        self.all_read().await?;
        Ok(self.plan_patients(import.clone(), web::now()))
    }

    fn plan_patients(&self, import: PatientImport, now: crate::model::Timestamp) -> ImportPlan {
        self.panel.with_untracked(|panel| {
            self.registry.with_untracked(|registry| plan_import(panel, registry, import.patients, import.conditions, web::new_id, now))
        })
    }

    /// Imports a checked patient file in one transaction, planned again against the panel as
    /// it is now (see `model::patient_import`): new patients are added with CareCoord ids;
    /// patients already on the panel get only what the file changes (one journal entry each,
    /// naming the fields, never the values); unchanged ones and likely duplicates are not
    /// written. Returns the confirmation and the list of everything left out.
    pub async fn import_patients(self, import: PatientImport) -> Result<(String, Vec<String>), String> {
        self.all_read().await?;
        let left_out: Vec<String> = import.problems.iter().chain(&import.skipped).map(ToString::to_string).collect();
        let now = web::now();
        let plan = self.plan_patients(import, now);
        if plan.is_empty() {
            return Ok(plan.confirmation(left_out));
        }
        let by = self.by();
        let mut batch = WriteBatch::new();
        for p in &plan.new {
            batch.add(p);
        }
        for u in &plan.updated {
            batch.put(&u.patient).journal(&Change::of(&u.patient, ChangeAction::Updated, now, &by, u.fields.join(", "), &web::nonce()));
        }
        batch.put_all(&plan.conditions).journal(&Change::new(
            Patient::STORE,
            Change::BATCH,
            ChangeAction::Imported,
            now,
            &by,
            plan.journal_summary(),
            &web::nonce(),
        ));
        let gen = self.db()?.write(&batch, "import the patients").await.map_err(|e| e.message)?;
        let (message, left_out) = plan.confirmation(left_out);
        let ImportPlan { new, updated, conditions, .. } = plan;
        self.registry.update(|r| {
            for c in conditions {
                r.put_condition(c);
            }
        });
        self.panel.update(|p| p.upsert_all(new.into_iter().chain(updated.into_iter().map(|u| u.patient))));
        self.written(&gen);
        Ok((message, left_out))
    }

    /// Records a care event (a test done, declined or excluded) for a patient.
    pub async fn record_care(self, event: CareEvent) -> Result<(), String> {
        self.all_read().await?;
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

    /// Saves a patient's care profile (need level, flags, CCM consent, care team).
    pub async fn save_profile(self, patient_id: String, draft: ProfileDraft) -> Result<(), Vec<String>> {
        let old = self.panel.with_untracked(|p| p.get(&patient_id).cloned()).ok_or_else(|| vec!["This patient is no longer on the panel.".to_string()])?;
        let profile = draft.apply(&old.profile, web::today())?;
        let fields = old.profile.changed_fields(&profile);
        if fields.is_empty() {
            return Ok(());
        }
        let now = web::now();
        let patient = Patient { profile, updated_at: now, ..old };
        let mut batch = WriteBatch::new();
        batch.put(&patient).journal(&Change::of(&patient, ChangeAction::Updated, now, &self.by(), fields.join(", "), &web::nonce()));
        let gen = self.db().map_err(|e| vec![e])?.write(&batch, "save the care profile").await.map_err(|e| vec![e.message])?;
        self.panel.update(|p| p.upsert(patient));
        self.written(&gen);
        Ok(())
    }

    /// Puts a new appointment on the schedule.
    pub async fn add_appointment(self, draft: AppointmentDraft) -> Result<Appointment, Vec<String>> {
        self.all_read().await.map_err(|e| vec![e])?;
        let (date, time) = draft.validate()?;
        if self.panel.with_untracked(|p| p.get(draft.patient_id.trim()).is_none()) {
            return Err(vec!["This patient is no longer on the panel.".into()]);
        }
        let appointment = draft.into_new(web::new_id(), date, time, web::now());
        if self.appointments.with_untracked(|list| crate::model::appointment::is_duplicate(list, &appointment)) {
            return Err(vec!["This patient already has a visit at that date and time.".into()]);
        }
        self.write_appointments(std::slice::from_ref(&appointment), ChangeAction::Created, "added to the schedule").await.map_err(|e| vec![e])?;
        Ok(appointment)
    }

    /// Changes an appointment's checklist or call log: `change` is applied to the
    /// appointment as stored at that moment (not to the copy a card was drawn from), so two
    /// quick ticks both stay. `what` goes into the journal.
    pub async fn update_appointment(self, id: String, change: impl FnOnce(&mut Appointment), what: &str) -> Result<(), String> {
        let (by, now, nonce) = (self.by(), web::now(), web::nonce());
        let journal = |a: &Appointment| Change::of(a, ChangeAction::Updated, now, &by, what, &nonce);
        let updated = self.db()?.update::<Appointment>(&id, change, journal, "save the appointment").await.map_err(|e| e.message)?;
        let Some((appointment, _)) = updated else { return Err("This appointment is no longer on the schedule.".into()) };
        self.appointments.update(|all| upsert_by_id(all, [appointment]));
        Ok(())
    }

    /// Adds imported appointments in one transaction.
    pub async fn import_appointments(self, appointments: Vec<Appointment>) -> Result<String, String> {
        self.all_read().await?;
        let n = appointments.len();
        self.write_appointments(&appointments, ChangeAction::Imported, "imported").await?;
        Ok(format!("Imported {} to the schedule.", count_of(n, "appointment", "appointments")))
    }

    async fn write_appointments(self, list: &[Appointment], action: ChangeAction, what: &str) -> Result<(), String> {
        let now = web::now();
        let mut batch = WriteBatch::new();
        batch.put_all(list);
        match list {
            [one] => batch.journal(&Change::of(one, action, now, &self.by(), what, &web::nonce())),
            many => batch.journal(&Change::new(Appointment::STORE, Change::BATCH, action, now, &self.by(), format!("{} appointments {what}", many.len()), &web::nonce())),
        };
        self.db()?.write(&batch, "save the appointment").await.map_err(|e| e.message)?;
        self.appointments.update(|all| upsert_by_id(all, list.iter().cloned()));
        Ok(())
    }

    /// Takes an appointment off the schedule.
    pub async fn delete_appointment(self, id: String) -> Result<(), String> {
        let Some(a) = self.appointments.with_untracked(|l| l.iter().find(|a| a.id == id).cloned()) else {
            return Err("This appointment is no longer on the schedule.".into());
        };
        let mut batch = WriteBatch::new();
        batch.delete::<Appointment>(&id).journal(&Change::of(&a, ChangeAction::Deleted, web::now(), &self.by(), "", &web::nonce()));
        self.db()?.write(&batch, "remove the appointment").await.map_err(|e| e.message)?;
        self.appointments.update(|l| l.retain(|a| a.id != id));
        Ok(())
    }

    /// Records a recall outreach attempt.
    pub async fn record_outreach(self, attempt: OutreachAttempt) -> Result<(), String> {
        let patient = self.panel.with_untracked(|p| p.get(&attempt.patient_id).cloned()).ok_or("This patient is no longer on the panel.")?;
        let summary = format!("recall: {} {} on {}", attempt.item, attempt.outcome.label().to_lowercase(), attempt.date);
        let mut batch = WriteBatch::new();
        batch.add(&attempt).journal(&Change::of(&patient, ChangeAction::Updated, web::now(), &self.by(), summary, &web::nonce()));
        self.db()?.write(&batch, "record the outreach").await.map_err(|e| e.message)?;
        self.outreach.update(|l| l.push(attempt));
        Ok(())
    }

    /// Saves a care-gap rule (new or changed), journaled with the fields that changed. The
    /// whole rule table is written, so a clinic still on the defaults keeps every other rule.
    pub async fn save_rule(self, rule: CareRule, summary: String) -> Result<(), String> {
        self.all_read().await?;
        let mut rules = self.registry.with_untracked(|r| r.rules().to_vec());
        let action = if rules.iter().any(|x| x.id == rule.id) { ChangeAction::Updated } else { ChangeAction::Created };
        upsert_by_id(&mut rules, [rule.clone()]);
        let mut batch = WriteBatch::new();
        batch.put_all(&rules).journal(&Change::of(&rule, action, web::now(), &self.by(), summary, &web::nonce()));
        self.db()?.write(&batch, "save the care-gap rule").await.map_err(|e| e.message)?;
        self.registry.update(|r| r.set_rules(rules));
        Ok(())
    }

    /// Saves a new referral; `send_now` marks it requested at once (otherwise it stays a draft).
    pub async fn create_referral(self, draft: ReferralDraft, send_now: bool) -> Result<Referral, Vec<ReferralFieldError>> {
        let storage = |m: String| vec![ReferralFieldError { field: crate::model::referral::ReferralField::Notes, message: m }];
        self.all_read().await.map_err(storage)?;
        let settings = self.settings.with_untracked(|s| s.referral);
        let valid = draft.validate(web::today(), &settings)?;
        if self.panel.with_untracked(|p| p.get(&valid.patient_id).is_none()) {
            return Err(storage("This patient is no longer on the panel.".into()));
        }
        let now = web::now();
        let mut referral = valid.into_new(web::new_id(), &self.by(), now);
        if send_now {
            referral = referral.move_to(ReferralStatus::Requested, &self.by(), now, "").map_err(storage)?;
        }
        self.write_referral(&referral, ChangeAction::Created, format!("referral to {}", referral.referred_to)).await.map_err(storage)?;
        Ok(referral)
    }

    /// Saves the form's changes to a referral, with an optional note.
    pub async fn edit_referral(self, id: String, draft: ReferralDraft, note: String) -> Result<Referral, Vec<ReferralFieldError>> {
        let storage = |m: String| vec![ReferralFieldError { field: crate::model::referral::ReferralField::Notes, message: m }];
        self.all_read().await.map_err(storage)?;
        let old = self.referral(&id).map_err(storage)?;
        let settings = self.settings.with_untracked(|s| s.referral);
        let new = old.apply_edit(&draft, web::today(), &settings, &self.by(), web::now(), &note)?;
        if new != old {
            let what = old.changed_fields(&new).join(", ");
            self.write_referral(&new, ChangeAction::Updated, if what.is_empty() { "note".into() } else { what }).await.map_err(storage)?;
        }
        Ok(new)
    }

    /// Moves a referral to another status (only the allowed moves succeed).
    pub async fn move_referral(self, id: String, to: ReferralStatus, note: String) -> Result<Referral, String> {
        self.all_read().await?;
        let old = self.referral(&id)?;
        let new = old.move_to(to, &self.by(), web::now(), &note)?;
        self.write_referral(&new, ChangeAction::Updated, format!("status {} → {}", old.status.code(), to.code())).await?;
        Ok(new)
    }

    fn referral(&self, id: &str) -> Result<Referral, String> {
        self.referrals.with_untracked(|l| l.iter().find(|r| r.id == id).cloned()).ok_or_else(|| "This referral is no longer stored on this device.".to_string())
    }

    async fn write_referral(self, r: &Referral, action: ChangeAction, summary: String) -> Result<(), String> {
        let mut batch = WriteBatch::new();
        batch.put(r).journal(&Change::of(r, action, web::now(), &self.by(), summary, &web::nonce()));
        let gen = self.db()?.write(&batch, "save the referral").await.map_err(|e| e.message)?;
        self.written(&gen);
        self.referrals.update(|l| upsert_by_id(l, [r.clone()]));
        Ok(())
    }

    /// Saves a new directory service (`existing_id` is `None`) or changes to one. The
    /// organization is found by name or created.
    pub async fn save_service(self, draft: ServiceDraft, existing_id: Option<String>) -> Result<Service, Vec<ServiceFieldError>> {
        let storage = |m: String| vec![ServiceFieldError { field: crate::model::directory::ServiceField::Name, message: m }];
        if !self.catalog_ready.get_untracked() {
            return Err(storage("The resource directory is still being read; try again in a moment.".into()));
        }
        let valid = draft.validate()?;
        let today = web::today();
        let (org, new_org) = match self.catalog.with_untracked(|c| c.organization_named(&draft.organization).cloned()) {
            Some(o) => (o, false),
            None => (Organization { id: web::new_id(), name: draft.organization.trim().to_string(), ..Default::default() }, true),
        };
        let service = match &existing_id {
            None => valid.into_new(web::new_id(), org.id.clone(), today),
            Some(id) => {
                let old = self.catalog.with_untracked(|c| c.service(id).cloned()).ok_or_else(|| storage("This resource is no longer in the directory.".into()))?;
                valid.into_update(&old, org.id.clone(), today)
            }
        };
        let mut batch = WriteBatch::new();
        if new_org {
            batch.put(&org);
        }
        let action = if existing_id.is_some() { ChangeAction::Updated } else { ChangeAction::Created };
        batch.put(&service).journal(&Change::of(&service, action, web::now(), &self.by(), service.name.clone(), &web::nonce()));
        self.db().map_err(storage)?.write(&batch, "save the resource").await.map_err(|e| storage(e.message))?;
        let orgs = if new_org { vec![org] } else { Vec::new() };
        let next = self.catalog.with_untracked(|c| c.with(&orgs, std::slice::from_ref(&service)));
        self.catalog.set(next);
        Ok(service)
    }

    /// Marks a service's information as checked today.
    pub async fn verify_service(self, id: String) -> Result<(), String> {
        let mut s = self.catalog.with_untracked(|c| c.service(&id).cloned()).ok_or("This resource is no longer in the directory.")?;
        s.assured_date = Some(web::today());
        let mut batch = WriteBatch::new();
        batch.put(&s).journal(&Change::of(&s, ChangeAction::Updated, web::now(), &self.by(), "verified", &web::nonce()));
        self.db()?.write(&batch, "mark the resource as verified").await.map_err(|e| e.message)?;
        let next = self.catalog.with_untracked(|c| c.with(&[], &[s]));
        self.catalog.set(next);
        Ok(())
    }

    /// Removes a service from the directory.
    pub async fn delete_service(self, id: String) -> Result<String, String> {
        let s = self.catalog.with_untracked(|c| c.service(&id).cloned()).ok_or("This resource is no longer in the directory.")?;
        let mut batch = WriteBatch::new();
        batch.delete::<Service>(&id).journal(&Change::of(&s, ChangeAction::Deleted, web::now(), &self.by(), s.name.clone(), &web::nonce()));
        self.db()?.write(&batch, "delete the resource").await.map_err(|e| e.message)?;
        let next = self.catalog.with_untracked(|c| c.without(&id));
        self.catalog.set(next);
        Ok(s.name)
    }

    /// Writes an imported directory in one transaction. `merge` maps an imported service's
    /// position to the id of the existing service it replaces (a duplicate the coordinator
    /// chose to merge).
    pub async fn import_directory(self, organizations: Vec<Organization>, mut services: Vec<Service>, merge: Vec<(usize, String)>) -> Result<String, String> {
        if !self.catalog_ready.get_untracked() {
            return Err("The resource directory is still being read; try again in a moment.".into());
        }
        for (i, existing) in merge {
            if let Some(s) = services.get_mut(i) {
                s.id = existing;
            }
        }
        let mut batch = WriteBatch::new();
        batch.put_all(&organizations).put_all(&services).journal(&Change::new(
            Service::STORE,
            Change::BATCH,
            ChangeAction::Imported,
            web::now(),
            &self.by(),
            format!("{} services, {} organizations", services.len(), organizations.len()),
            &web::nonce(),
        ));
        self.db()?.write(&batch, "import the resources").await.map_err(|e| e.message)?;
        let message = format!("Imported {} and {}.", count_of(services.len(), "resource", "resources"), count_of(organizations.len(), "organization", "organizations"));
        let next = self.catalog.with_untracked(|c| c.with(&organizations, &services));
        self.catalog.set(next);
        Ok(message)
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
