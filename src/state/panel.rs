//! The panel slice: the patients, and the changes to them. Deleting a patient and importing
//! a patient file reach other slices too, so they are [`AppState`]'s.

use std::ops::Deref;

use leptos::prelude::*;

use super::{AppState, Core, Failure, Held, SaveError, Snapshotted};
use crate::model::profile::ProfileDraft;
use crate::model::dates::YearMonth;
use crate::model::{ChangeAction, FieldError, Panel, Patient, PatientDraft, PatientField};
use crate::storage::{Updated, WriteBatch, Written};
use crate::web;

/// The panel: read it through [`Deref`] (`state.panel.with(|p| …)`).
#[derive(Clone, Copy)]
pub struct PanelState {
    core: Core,
    panel: Held<Panel>,
    /// The panel holds only its first rows by name (the snapshot's first part) while the
    /// rest is read at start; only the panel page shows anything meanwhile.
    first_rows_only: Held<bool>,
    snapshot: Snapshotted,
}

impl Deref for PanelState {
    type Target = ReadSignal<Panel>;
    fn deref(&self) -> &ReadSignal<Panel> {
        &self.panel
    }
}

impl PanelState {
    pub(super) fn new(core: Core) -> PanelState {
        PanelState { core, panel: Held::new(Panel::default()), first_rows_only: Held::new(false), snapshot: Snapshotted::new() }
    }

    /// The first patients by name (what the panel shows first), read at start before the rest.
    pub(super) fn first_rows(self, first: Vec<Patient>) {
        self.panel.write.set(Panel::new(first));
        self.first_rows_only.write.set(true);
    }

    /// The whole panel is in memory and the start says so ([`LoadStatus::Ready`](super::LoadStatus::Ready)).
    pub(super) fn whole(self) {
        self.first_rows_only.write.set(false);
    }

    /// Whether the panel holds only its first rows, the rest still being read at start.
    pub fn first_rows_only(&self) -> ReadSignal<bool> {
        *self.first_rows_only
    }

    /// The panel as read at start, at generation `gen` of the store.
    pub(super) fn loaded(self, panel: Panel, gen: u64, from_snapshot: bool) {
        self.panel.write.set(panel);
        self.snapshot.gen.set_value(gen);
        if !from_snapshot {
            self.snapshot.written::<Patient>(self.core, gen);
        }
    }

    /// After a write: the panel matches the generation it created.
    pub(super) fn written(self, written: &Written) {
        if let Some(gen) = written.patients() {
            self.snapshot.written::<Patient>(self.core, gen);
        }
    }

    pub(super) fn heard(self, gen: Option<u64>) {
        self.snapshot.heard(gen);
    }

    pub(super) fn write(self) -> RwSignal<Panel> {
        self.panel.write
    }

    /// Saves a new patient (`base` is `None`) or a change to `base`, the patient as the form
    /// was drawn from. A change is checked against the patient as stored: merged when
    /// another window changed other fields meanwhile, refused (and the stored patient put
    /// in the panel) when it changed the same ones.
    pub async fn save(self, draft: PatientDraft, base: Option<Patient>) -> Result<Patient, SaveError<FieldError>> {
        let valid = draft.validate(web::today()).map_err(SaveError::Fields)?;
        // The MRN is checked against the whole panel, never its first rows alone.
        self.core.loaded().await?;
        let base_id = base.as_ref().map(|b| b.id.as_str());
        if let Some(other) = self.panel.with_untracked(|p| p.mrn_taken_by(&valid.mrn, base_id).cloned()) {
            return Err(SaveError::Fields(vec![FieldError {
                field: PatientField::Mrn,
                message: format!("MRN {} already belongs to {}.", other.mrn, other.full_name()),
            }]));
        }
        let now = web::now();
        let (patient, written) = match base {
            None => {
                let p = valid.into_new(web::new_id(), now);
                let mut batch = WriteBatch::new();
                batch.add(&p).journal(&self.core.change(&p, ChangeAction::Created, ""));
                let written = self.core.write(&batch, "save the patient").await?;
                (p, written)
            }
            Some(base) => {
                let mine = valid.into_update(&base, now);
                let fields = base.changed_fields(&mine);
                if fields.is_empty() {
                    return Ok(base);
                }
                let panel = self.panel.write;
                let stale = move |current: Patient| panel.update(|p| p.upsert(current));
                self.core.save_revised(&base, mine, "This patient", fields.join(", "), "save the patient", stale).await?
            }
        };
        self.panel.write.update(|panel| panel.upsert(patient.clone()));
        self.written(&written);
        Ok(patient)
    }

    /// Saves a patient's care profile (need level, flags, CCM consent, care team): the
    /// form's values applied to the profile as stored.
    pub async fn save_profile(self, patient_id: String, draft: ProfileDraft) -> Result<(), SaveError<String>> {
        let today = web::today();
        // The fields changed are known inside the transaction; the journal entry reads them.
        let summary = std::cell::RefCell::new(String::new());
        // Refused with `None` when nothing changed, with the form's problems otherwise.
        let apply = |p: &mut Patient| {
            let profile = draft.apply(&p.profile, today).map_err(Some)?;
            let fields = p.profile.changed_fields(&profile);
            if fields.is_empty() {
                return Err(None);
            }
            *summary.borrow_mut() = fields.join(", ");
            p.profile = profile;
            p.updated_at = web::now();
            Ok(())
        };
        let entry = |p: &Patient| self.core.change(p, ChangeAction::Updated, summary.borrow().clone());
        match self.core.db()?.update::<Patient, _>(&patient_id, apply, entry, "save the care profile").await? {
            Updated::Done(patient, written) => {
                self.panel.write.update(|p| p.upsert(patient));
                self.written(&written);
                Ok(())
            }
            Updated::Missing => Err(Failure::refused("This patient is no longer on the panel.").into()),
            Updated::Refused(None) => Ok(()),
            Updated::Refused(Some(problems)) => Err(SaveError::Fields(problems)),
        }
    }

    /// Marks a patient complex for chronic care management in `month`, or not (the
    /// patient as stored changes, nothing else).
    pub async fn set_complex(self, patient_id: String, month: YearMonth, complex: bool) -> Result<(), Failure> {
        let apply = |p: &mut Patient| {
            p.profile.set_complex(month, complex);
            p.updated_at = web::now();
            Ok(())
        };
        let summary = format!("{} complex for {}", if complex { "marked" } else { "no longer" }, month);
        let (patient, written) = self.core.update(&patient_id, apply, summary, "This patient", "save the complex month").await?;
        self.panel.write.update(|p| p.upsert(patient));
        self.written(&written);
        Ok(())
    }
}

impl AppState {
    /// Deletes a patient, with every record of every store that belongs to them, and
    /// journals it.
    pub async fn delete_patient(self, id: String) -> Result<Patient, Failure> {
        self.core.all_read().await?;
        let patient = self.panel.with_untracked(|p| p.get(&id).cloned()).ok_or_else(|| Failure::refused("This patient is no longer on the panel."))?;
        let mut batch = WriteBatch::new();
        batch.delete_patient_everywhere(&id).journal(&self.core.change(&patient, ChangeAction::Deleted, ""));
        let written = self.core.write(&batch, "delete the patient").await?;
        self.registry.forget_patient(&id);
        self.schedule.forget_patient(&id);
        self.day.forget_patient(&id);
        self.referrals.forget_patient(&id);
        self.panel.write().update(|p| {
            p.remove(&id);
        });
        self.written(&written);
        Ok(patient)
    }
}
