//! The coordinator's day: the contact log (with its minutes), transitions of care, refill
//! requests and the work queue's done and snoozed marks. Every change is journaled; an edit
//! is saved with the record it was drawn from and checked against the record as stored.

use leptos::prelude::*;

use super::{Core, Failure, Held, SaveError};
use crate::model::contact::{Contact, ContactDraft, ContactField};
use crate::model::refill::{RefillDraft, RefillField, RefillRequest, RefillStatus};
use crate::model::revision::Revised;
use crate::model::transition::{AdmissionDraft, DischargeDraft, Step, Transition, TransitionField};
use crate::model::work_queue::{QueueItem, QueueMark};
use crate::model::{upsert_by_id, ChangeAction, Panel, Record};
use crate::storage::WriteBatch;
use crate::web;

#[derive(Clone, Copy)]
pub struct DayState {
    core: Core,
    panel: ReadSignal<Panel>,
    contacts_held: Held<Vec<Contact>>,
    transitions_held: Held<Vec<Transition>>,
    refills_held: Held<Vec<RefillRequest>>,
    marks_held: Held<Vec<QueueMark>>,
    /// Every logged contact.
    pub contacts: ReadSignal<Vec<Contact>>,
    /// Every admission and discharge.
    pub transitions: ReadSignal<Vec<Transition>>,
    /// Every refill request.
    pub refills: ReadSignal<Vec<RefillRequest>>,
    /// The work queue's items marked done or snoozed.
    pub marks: ReadSignal<Vec<QueueMark>>,
}

impl DayState {
    pub(super) fn new(core: Core, panel: ReadSignal<Panel>) -> DayState {
        let (c, t, r, m) = (Held::new(Vec::new()), Held::new(Vec::new()), Held::new(Vec::new()), Held::new(Vec::new()));
        DayState {
            core,
            panel,
            contacts_held: c,
            transitions_held: t,
            refills_held: r,
            marks_held: m,
            contacts: *c,
            transitions: *t,
            refills: *r,
            marks: *m,
        }
    }

    pub(super) fn loaded(self, contacts: Vec<Contact>, transitions: Vec<Transition>, refills: Vec<RefillRequest>, marks: Vec<QueueMark>) {
        self.contacts_held.write.set(contacts);
        self.transitions_held.write.set(transitions);
        self.refills_held.write.set(refills);
        self.marks_held.write.set(marks);
    }

    pub(super) fn write_contacts(self) -> RwSignal<Vec<Contact>> {
        self.contacts_held.write
    }

    pub(super) fn write_transitions(self) -> RwSignal<Vec<Transition>> {
        self.transitions_held.write
    }

    pub(super) fn write_refills(self) -> RwSignal<Vec<RefillRequest>> {
        self.refills_held.write
    }

    pub(super) fn write_marks(self) -> RwSignal<Vec<QueueMark>> {
        self.marks_held.write
    }

    pub(super) fn forget_patient(self, patient_id: &str) {
        self.contacts_held.write.update(|l| l.retain(|x| x.patient_id != patient_id));
        self.transitions_held.write.update(|l| l.retain(|x| x.patient_id != patient_id));
        self.refills_held.write.update(|l| l.retain(|x| x.patient_id != patient_id));
        self.marks_held.write.update(|l| l.retain(|x| x.patient_id != patient_id));
    }

    fn on_panel(self, patient_id: &str) -> Result<(), Failure> {
        match self.panel.with_untracked(|p| p.get(patient_id).is_some()) {
            true => Ok(()),
            false => Err(Failure::refused("This patient is no longer on the panel.")),
        }
    }

    /// Adds a new record of any of the day's stores, journaled as created.
    async fn add<R: Record + serde::Serialize>(self, record: &R, summary: String, doing: &str) -> Result<(), Failure> {
        self.core.all_read().await?;
        let mut batch = WriteBatch::new();
        batch.add(record).journal(&self.core.change(record, ChangeAction::Created, summary));
        self.core.write(&batch, doing).await?;
        Ok(())
    }

    /// Deletes a record of any of the day's stores, journaled.
    async fn remove<R: Record>(self, record: &R, summary: String, doing: &str) -> Result<(), Failure> {
        let mut batch = WriteBatch::new();
        batch.delete::<R>(record.id()).journal(&self.core.change(record, ChangeAction::Deleted, summary));
        self.core.write(&batch, doing).await?;
        Ok(())
    }

    // -------------------------------------------------------------------------------------
    // Contacts

    /// Logs a contact with a patient (or about them), by the coordinator named in Settings.
    pub async fn log_contact(self, patient_id: String, draft: ContactDraft) -> Result<Contact, SaveError<(ContactField, String)>> {
        let valid = draft.validate(web::today()).map_err(SaveError::Fields)?;
        self.on_panel(&patient_id)?;
        let contact = valid.into_new(web::new_id(), &patient_id, &self.core.by(), web::now());
        let summary = format!("{} minutes, {}", contact.minutes, contact.purpose.label().to_lowercase());
        self.add(&contact, summary, "log the contact").await?;
        self.contacts_held.write.update(|l| l.push(contact.clone()));
        Ok(contact)
    }

    /// Saves an edited contact, checked against the contact as stored (`base` is the one
    /// the form was drawn from).
    pub async fn edit_contact(self, base: Contact, draft: ContactDraft) -> Result<Contact, SaveError<(ContactField, String)>> {
        let valid = draft.validate(web::today()).map_err(SaveError::Fields)?;
        self.core.all_read().await?;
        let mine = valid.apply_to(&base, web::now());
        let summary = base.changed_fields(&mine).join(", ");
        let held = self.contacts_held.write;
        let stale = move |current: Contact| held.update(|l| upsert_by_id(l, [current]));
        let (saved, _) = self.core.save_revised(&base, mine, "This contact", summary, "save the contact", stale).await?;
        held.update(|l| upsert_by_id(l, [saved.clone()]));
        Ok(saved)
    }

    pub async fn delete_contact(self, contact: Contact) -> Result<(), Failure> {
        self.core.all_read().await?;
        let summary = format!("{} minutes on {}", contact.minutes, contact.date);
        self.remove(&contact, summary, "delete the contact").await?;
        self.contacts_held.write.update(|l| l.retain(|c| c.id != contact.id));
        Ok(())
    }

    // -------------------------------------------------------------------------------------
    // Transitions of care

    /// Records an admission (facility, date, reason).
    pub async fn record_admission(self, patient_id: String, draft: AdmissionDraft) -> Result<Transition, SaveError<(TransitionField, String)>> {
        let valid = draft.validate(web::today()).map_err(SaveError::Fields)?;
        self.on_panel(&patient_id)?;
        let t = valid.into_new(web::new_id(), &patient_id, web::now());
        let summary = format!("admitted on {}", t.admitted);
        self.add(&t, summary, "record the admission").await?;
        self.transitions_held.write.update(|l| l.push(t.clone()));
        Ok(t)
    }

    /// Records a stay learnt of after the discharge: the admission and the discharge at once.
    pub async fn record_stay(self, patient_id: String, admission: AdmissionDraft, discharge: DischargeDraft) -> Result<Transition, SaveError<(TransitionField, String)>> {
        let (today, now) = (web::today(), web::now());
        let t = admission.validate(today).map_err(SaveError::Fields)?.into_new(web::new_id(), &patient_id, now);
        let t = discharge.validate(&t, today).map_err(SaveError::Fields)?.apply_to(&t, now);
        self.on_panel(&patient_id)?;
        let summary = format!("admitted on {}, discharged on {}", t.admitted, t.discharged.map(|d| d.to_string()).unwrap_or_default());
        self.add(&t, summary, "record the stay").await?;
        self.transitions_held.write.update(|l| l.push(t.clone()));
        Ok(t)
    }

    /// Records the discharge of an admission, checked against the admission as stored.
    pub async fn record_discharge(self, id: String, draft: DischargeDraft) -> Result<Transition, SaveError<(TransitionField, String)>> {
        let held = self.transitions.with_untracked(|l| l.iter().find(|t| t.id == id).cloned());
        let held = held.ok_or_else(|| Failure::refused("This admission is no longer stored on this device."))?;
        draft.validate(&held, web::today()).map_err(SaveError::Fields)?;
        self.core.all_read().await?;
        let today = web::today();
        let now = web::now();
        let apply = |t: &mut Transition| {
            let valid = draft.validate(t, today).map_err(|e| e.into_iter().map(|(_, m)| m).collect::<Vec<_>>().join(" "))?;
            let rev = t.rev();
            *t = valid.apply_to(t, now);
            t.set_rev(rev);
            Ok(())
        };
        let (saved, _) = self.core.update(&id, apply, "discharged", "This admission", "record the discharge").await?;
        self.transitions_held.write.update(|l| upsert_by_id(l, [saved.clone()]));
        Ok(saved)
    }

    /// Records (or clears, with an empty date) a step after discharge: the summary received
    /// or routed, the medicines reconciled, the visit.
    pub async fn record_step(self, id: String, step: Step, date: String) -> Result<Transition, Failure> {
        self.core.all_read().await?;
        let (today, now) = (web::today(), web::now());
        let apply = |t: &mut Transition| {
            let rev = t.rev();
            *t = t.record_step(step, &date, today, now)?;
            t.set_rev(rev);
            Ok(())
        };
        let summary = format!("{}: {}", step.label().to_lowercase(), if date.trim().is_empty() { "cleared" } else { date.trim() });
        let (saved, _) = self.core.update(&id, apply, summary, "This transition", "save the transition").await?;
        self.transitions_held.write.update(|l| upsert_by_id(l, [saved.clone()]));
        Ok(saved)
    }

    /// Transitions made from imported emergency and inpatient encounters (written with the
    /// import).
    pub(super) fn put_transitions(self, list: Vec<Transition>) {
        if !list.is_empty() {
            self.transitions_held.write.update(|l| upsert_by_id(l, list));
        }
    }

    // -------------------------------------------------------------------------------------
    // Refills

    /// Records a refill request.
    pub async fn add_refill(self, patient_id: String, draft: RefillDraft, holidays: Vec<chrono::NaiveDate>) -> Result<RefillRequest, SaveError<(RefillField, String)>> {
        let today = web::today();
        let valid = draft.validate(today, &holidays).map_err(SaveError::Fields)?;
        self.on_panel(&patient_id)?;
        let r = valid.into_new(web::new_id(), &patient_id, &self.core.by(), today, web::now());
        self.add(&r, "refill requested".into(), "record the refill request").await?;
        self.refills_held.write.update(|l| l.push(r.clone()));
        Ok(r)
    }

    /// Moves a refill request on (requested → sent to provider → approved or denied →
    /// patient told), checked against the request as stored.
    pub async fn move_refill(self, id: String, to: RefillStatus, note: String) -> Result<RefillRequest, Failure> {
        self.core.all_read().await?;
        let (today, now, by) = (web::today(), web::now(), self.core.by());
        let apply = |r: &mut RefillRequest| {
            let rev = r.rev();
            *r = r.move_to(to, &by, today, now, &note)?;
            r.set_rev(rev);
            Ok(())
        };
        let (saved, _) = self.core.update(&id, apply, format!("refill: {}", to.label().to_lowercase()), "This refill request", "save the refill request").await?;
        self.refills_held.write.update(|l| upsert_by_id(l, [saved.clone()]));
        Ok(saved)
    }

    // -------------------------------------------------------------------------------------
    // The work queue

    /// Marks a queue item done (it leaves the queue; the record it is about is not changed).
    pub async fn mark_done(self, item: QueueItem) -> Result<(), Failure> {
        let (today, now) = (web::today(), web::now());
        let mark = self.mark_for(&item).done(today, now);
        self.put_mark(mark, format!("{} marked done", item.kind.label().to_lowercase())).await
    }

    /// Snoozes a queue item until `until` (a date after today).
    pub async fn snooze(self, item: QueueItem, until: String) -> Result<(), Failure> {
        let (today, now) = (web::today(), web::now());
        let mark = self.mark_for(&item).snooze(&until, today, now).map_err(Failure::Refused)?;
        self.put_mark(mark, format!("{} snoozed", item.kind.label().to_lowercase())).await
    }

    fn mark_for(self, item: &QueueItem) -> QueueMark {
        let held = self.marks.with_untracked(|l| l.iter().find(|m| m.key == item.key).cloned());
        held.unwrap_or_else(|| QueueMark::new(item, web::new_id(), &self.core.by(), web::now()))
    }

    async fn put_mark(self, mark: QueueMark, summary: String) -> Result<(), Failure> {
        self.core.all_read().await?;
        let mut batch = WriteBatch::new();
        batch.put(&mark).journal(&self.core.change(&mark, ChangeAction::Updated, summary));
        self.core.write(&batch, "save the work queue").await?;
        self.marks_held.write.update(|l| upsert_by_id(l, [mark]));
        Ok(())
    }
}
