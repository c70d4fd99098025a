//! The schedule slice: appointments (with their pre-visit checklists and calls) and recall
//! outreach.

use leptos::prelude::*;

use super::{Core, Failure, Held, SaveError};
use crate::model::appointment::{self, Appointment, AppointmentDraft};
use crate::model::recall::OutreachAttempt;
use crate::model::{upsert_by_id, Change, ChangeAction, Panel, Record};
use crate::pages::count_of;
use crate::storage::WriteBatch;
use crate::web;

#[derive(Clone, Copy)]
pub struct ScheduleState {
    core: Core,
    panel: ReadSignal<Panel>,
    appointments_held: Held<Vec<Appointment>>,
    outreach_held: Held<Vec<OutreachAttempt>>,
    /// Every appointment on the schedule.
    pub appointments: ReadSignal<Vec<Appointment>>,
    /// Every recall outreach attempt.
    pub outreach: ReadSignal<Vec<OutreachAttempt>>,
}

impl ScheduleState {
    pub(super) fn new(core: Core, panel: ReadSignal<Panel>) -> ScheduleState {
        let (appointments, outreach) = (Held::new(Vec::new()), Held::new(Vec::new()));
        ScheduleState { core, panel, appointments_held: appointments, outreach_held: outreach, appointments: *appointments, outreach: *outreach }
    }

    pub(super) fn loaded(self, appointments: Vec<Appointment>, outreach: Vec<OutreachAttempt>) {
        self.appointments_held.write.set(appointments);
        self.outreach_held.write.set(outreach);
    }

    pub(super) fn write_appointments(self) -> RwSignal<Vec<Appointment>> {
        self.appointments_held.write
    }

    pub(super) fn write_outreach(self) -> RwSignal<Vec<OutreachAttempt>> {
        self.outreach_held.write
    }

    pub(super) fn forget_patient(self, patient_id: &str) {
        self.appointments_held.write.update(|list| list.retain(|a| a.patient_id != patient_id));
        self.outreach_held.write.update(|list| list.retain(|o| o.patient_id != patient_id));
    }

    /// Draws the schedule again as held (after a failed change, controls go back to the
    /// stored values).
    pub fn show_as_stored(self) {
        self.appointments_held.write.notify();
    }

    /// Puts a new appointment on the schedule.
    pub async fn add(self, draft: AppointmentDraft) -> Result<Appointment, SaveError<String>> {
        self.core.all_read().await?;
        let (date, time) = draft.validate().map_err(SaveError::Fields)?;
        if self.panel.with_untracked(|p| p.get(draft.patient_id.trim()).is_none()) {
            return Err(Failure::refused("This patient is no longer on the panel.").into());
        }
        let appointment = draft.into_new(web::new_id(), date, time, web::now());
        if self.appointments.with_untracked(|list| appointment::is_duplicate(list, &appointment)) {
            return Err(SaveError::Fields(vec!["This patient already has a visit at that date and time.".into()]));
        }
        self.put(std::slice::from_ref(&appointment), ChangeAction::Created, "added to the schedule").await?;
        Ok(appointment)
    }

    /// Changes an appointment's checklist or call log: `change` is applied to the
    /// appointment as stored at that moment (not to the copy a card was drawn from), so two
    /// quick ticks both stay (it may be applied again, if another write came in between).
    /// `what` goes into the journal.
    pub async fn update(self, id: String, change: impl Fn(&mut Appointment), what: &str) -> Result<(), Failure> {
        let apply = |a: &mut Appointment| {
            change(a);
            Ok(())
        };
        let (appointment, _) = self.core.update(&id, apply, what, "This appointment", "save the appointment").await?;
        self.appointments_held.write.update(|all| upsert_by_id(all, [appointment]));
        Ok(())
    }

    /// Adds imported appointments in one transaction.
    pub async fn import(self, appointments: Vec<Appointment>) -> Result<String, Failure> {
        self.core.all_read().await?;
        let n = appointments.len();
        self.put(&appointments, ChangeAction::Imported, "imported").await?;
        Ok(format!("Imported {} to the schedule.", count_of(n, "appointment", "appointments")))
    }

    async fn put(self, list: &[Appointment], action: ChangeAction, what: &str) -> Result<(), Failure> {
        let mut batch = WriteBatch::new();
        batch.put_all(list);
        match list {
            [one] => batch.journal(&self.core.change(one, action, what)),
            many => batch.journal(&Change::new(
                Appointment::STORE,
                Change::BATCH,
                action,
                web::now(),
                &self.core.by(),
                format!("{} appointments {what}", many.len()),
                &web::nonce(),
            )),
        };
        self.core.write(&batch, "save the appointment").await?;
        self.appointments_held.write.update(|all| upsert_by_id(all, list.iter().cloned()));
        Ok(())
    }

    /// Takes an appointment off the schedule.
    pub async fn delete(self, id: String) -> Result<(), Failure> {
        let Some(a) = self.appointments.with_untracked(|l| l.iter().find(|a| a.id == id).cloned()) else {
            return Err(Failure::refused("This appointment is no longer on the schedule."));
        };
        let mut batch = WriteBatch::new();
        batch.delete::<Appointment>(&id).journal(&self.core.change(&a, ChangeAction::Deleted, ""));
        self.core.write(&batch, "remove the appointment").await?;
        self.appointments_held.write.update(|l| l.retain(|a| a.id != id));
        Ok(())
    }

    /// Records a recall outreach attempt.
    pub async fn record_outreach(self, attempt: OutreachAttempt) -> Result<(), Failure> {
        let patient = self.panel.with_untracked(|p| p.get(&attempt.patient_id).cloned()).ok_or_else(|| Failure::refused("This patient is no longer on the panel."))?;
        let summary = format!("recall: {} {} on {}", attempt.item, attempt.outcome.label().to_lowercase(), attempt.date);
        let mut batch = WriteBatch::new();
        batch.add(&attempt).journal(&self.core.change(&patient, ChangeAction::Updated, summary));
        self.core.write(&batch, "record the outreach").await?;
        self.outreach_held.write.update(|l| l.push(attempt));
        Ok(())
    }
}
