//! The registry slice: problem lists, care events and the care-gap rules.

use std::ops::Deref;

use leptos::prelude::*;

use super::{Core, Failure, Held};
use crate::model::care::{CareEvent, CareRule, EventOutcome};
use crate::model::encounter::Encounter;
use crate::model::registry::Registry;
use crate::model::{upsert_by_id, ChangeAction, Condition, Panel};
use crate::storage::WriteBatch;

/// The registry: read it through [`Deref`] (`state.registry.with(|r| …)`).
#[derive(Clone, Copy)]
pub struct RegistryState {
    core: Core,
    panel: ReadSignal<Panel>,
    registry: Held<Registry>,
    /// Whether the registry stores have been read (they follow the panel at start).
    pub ready: ReadSignal<bool>,
    set_ready: RwSignal<bool>,
}

impl Deref for RegistryState {
    type Target = ReadSignal<Registry>;
    fn deref(&self) -> &ReadSignal<Registry> {
        &self.registry
    }
}

impl RegistryState {
    pub(super) fn new(core: Core, panel: ReadSignal<Panel>) -> RegistryState {
        let ready = Held::new(false);
        RegistryState { core, panel, registry: Held::new(Registry::default()), ready: *ready, set_ready: ready.write }
    }

    pub(super) fn loaded(self, registry: Registry) {
        self.registry.write.set(registry);
        self.set_ready.set(true);
    }

    pub(super) fn write(self) -> RwSignal<Registry> {
        self.registry.write
    }

    pub(super) fn forget_patient(self, patient_id: &str) {
        self.registry.write.update(|r| r.forget_patient(patient_id));
    }

    pub(super) fn put_conditions(self, conditions: Vec<Condition>) {
        self.registry.write.update(|r| {
            for c in conditions {
                r.put_condition(c);
            }
        });
    }

    /// Care events and encounters just imported (written already).
    pub(super) fn put_history(self, events: Vec<CareEvent>, encounters: Vec<Encounter>) {
        if events.is_empty() && encounters.is_empty() {
            return;
        }
        self.registry.write.update(|r| {
            for e in events {
                r.put_event(e);
            }
            for e in encounters {
                r.put_encounter(e);
            }
        });
    }

    /// Records a care event (a test done, declined or excluded) for a patient.
    pub async fn record_care(self, event: CareEvent) -> Result<(), Failure> {
        self.core.all_read().await?;
        let patient = self.panel.with_untracked(|p| p.get(&event.patient_id).cloned()).ok_or_else(|| Failure::refused("This patient is no longer on the panel."))?;
        let summary = match event.outcome {
            EventOutcome::Done => format!("care: {} on {}", event.item, event.date),
            other => format!("care: {} {} on {}", event.item, other.label().to_lowercase(), event.date),
        };
        let mut batch = WriteBatch::new();
        batch.add(&event).journal(&self.core.change(&patient, ChangeAction::Updated, summary));
        self.core.write(&batch, "record the care event").await?;
        self.registry.write.update(|r| r.put_event(event));
        Ok(())
    }

    /// Saves a care-gap rule (new or changed), journaled with the fields that changed. The
    /// whole rule table is written, so a clinic still on the defaults keeps every other rule.
    pub async fn save_rule(self, rule: CareRule, summary: String) -> Result<(), Failure> {
        self.core.all_read().await?;
        let mut rules = self.registry.with_untracked(|r| r.rules().to_vec());
        let action = if rules.iter().any(|x| x.id == rule.id) { ChangeAction::Updated } else { ChangeAction::Created };
        upsert_by_id(&mut rules, [rule.clone()]);
        let mut batch = WriteBatch::new();
        batch.put_all(&rules).journal(&self.core.change(&rule, action, summary));
        self.core.write(&batch, "save the care-gap rule").await?;
        self.registry.write.update(|r| r.set_rules(rules));
        Ok(())
    }
}
