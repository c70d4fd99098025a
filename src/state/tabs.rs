//! Other tabs of CareCoord on this device: their writes, read into this tab's signals, and
//! their upgrades of the database (see `storage::tabs`).

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::JsValue;

use super::{AppState, LoadStatus};
use crate::model::appointment::Appointment;
use crate::model::care::{CareEvent, CareRule};
use crate::model::contact::Contact;
use crate::model::encounter::Encounter;
use crate::model::refill::RefillRequest;
use crate::model::transition::Transition;
use crate::model::work_queue::QueueMark;
use crate::model::catalog::Catalog;
use crate::model::directory::{Organization, Service};
use crate::model::recall::OutreachAttempt;
use crate::model::referral::Referral;
use crate::model::registry::Registry;
use crate::model::{Condition, Panel, Patient, Record};
use crate::storage::tabs::{self, Fresh, TabMessage};
use crate::storage::{self, Db, StorageError};
use crate::web;

/// What the app shell tells the coordinator about other tabs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TabNotice {
    /// This tab's upgrade waits for an older tab to close.
    Blocked,
    /// A newer tab upgraded the database: this one must reload.
    Outdated,
}

impl TabNotice {
    pub fn text(self) -> &'static str {
        match self {
            TabNotice::Blocked => tabs::BLOCKED,
            TabNotice::Outdated => tabs::OUTDATED,
        }
    }
}

impl AppState {
    /// Opens the database, saying so when an older tab blocks the upgrade, and telling the
    /// coordinator when a newer tab's upgrade closes it later. Starts hearing the other
    /// tabs' writes.
    pub(super) async fn open_in_tab(self, db_name: &'static str) -> Result<Rc<Db>, StorageError> {
        let db = storage::open_in_tab(db_name, move || self.core.tab_notice.write.set(Some(TabNotice::Blocked))).await?;
        if self.core.tab_notice.get_untracked() == Some(TabNotice::Blocked) {
            self.core.tab_notice.write.set(None);
        }
        db.on_outdated(move || {
            let _ = self.core.tab_notice.write.try_set(Some(TabNotice::Outdated));
        });
        self.listen_to_other_tabs(db_name);
        Ok(Rc::new(db))
    }

    /// Hears each message another tab posts about `db_name` and, once this tab has read its
    /// stores, reads the records named again, one message after another, in order.
    fn listen_to_other_tabs(self, db_name: &'static str) {
        let queue: Rc<RefCell<VecDeque<TabMessage>>> = Rc::default();
        let busy = Rc::new(Cell::new(false));
        let ready = *self.core.all_ready;
        let listener = tabs::listen(db_name, move |message| {
            if message.lock {
                // Another tab locked, or turned protection on or off: the coordinator's app
                // reloads (dropping every record in memory) and finds out which.
                web::reload();
                return;
            }
            queue.borrow_mut().push_back(message);
            if busy.replace(true) {
                return; // the running task takes it
            }
            let (queue, busy) = (queue.clone(), busy.clone());
            leptos::task::spawn_local(async move {
                // Until the stores are read, the messages wait (the start's reads may
                // have read the records before the write).
                loop {
                    match (ready.try_get_untracked(), self.core.load.try_get_untracked()) {
                        (Some(true), _) => break,
                        (None, _) | (_, None) | (_, Some(LoadStatus::Failed(_))) => {
                            busy.set(false);
                            return;
                        }
                        _ => web::sleep(50).await,
                    }
                }
                loop {
                    let next = queue.borrow_mut().pop_front();
                    let Some(message) = next else { break };
                    if let Err(e) = self.heard(message).await {
                        web_sys::console::warn_1(&JsValue::from_str(&format!("tabs: {}", e.message)));
                    }
                }
                busy.set(false);
            });
        });
        if let Some(listener) = listener {
            let listener = send_wrapper::SendWrapper::new(listener);
            on_cleanup(move || drop(listener));
        }
    }

    /// Brings this tab's signals to what another tab wrote: the records it names (or the
    /// whole store) read again from disk; those no longer stored are taken out.
    async fn heard(self, message: TabMessage) -> Result<(), StorageError> {
        let Some(db) = self.core.db.try_get_value().flatten() else { return Ok(()) };
        let mut registry_changed = false;
        let mut catalog_changed = false;
        for written in &message.stores {
            let store = written.store.as_str();
            match store {
                Patient::STORE => {
                    let fresh = db.fresh::<Patient>(written).await?;
                    self.panel.write().update(|panel| match fresh {
                        Fresh::Everything(all) => *panel = Panel::new(all),
                        Fresh::Records { found, gone } => {
                            for id in &gone {
                                panel.remove(id);
                            }
                            panel.upsert_all(found);
                        }
                    });
                    self.panel.heard(written.generation);
                }
                Referral::STORE => {
                    self.referrals.apply_fresh(db.fresh::<Referral>(written).await?);
                    self.referrals.heard(written.generation);
                }
                Appointment::STORE => refresh(&db, written, self.schedule.write_appointments()).await?,
                OutreachAttempt::STORE => refresh(&db, written, self.schedule.write_outreach()).await?,
                Contact::STORE => refresh(&db, written, self.day.write_contacts()).await?,
                Transition::STORE => refresh(&db, written, self.day.write_transitions()).await?,
                RefillRequest::STORE => refresh(&db, written, self.day.write_refills()).await?,
                QueueMark::STORE => refresh(&db, written, self.day.write_marks()).await?,
                Condition::STORE | CareEvent::STORE | CareRule::STORE | Encounter::STORE => registry_changed = true,
                Organization::STORE | Service::STORE => catalog_changed = true,
                _ => {} // the journal and others are not held in memory
            }
        }
        if registry_changed {
            self.reread_registry(&db, &message).await?;
        }
        if catalog_changed {
            let (mut organizations, mut services) = self.directory.with_untracked(|c| (c.organizations().to_vec(), c.services().to_vec()));
            for written in &message.stores {
                match written.store.as_str() {
                    Organization::STORE => db.fresh::<Organization>(written).await?.apply_to(&mut organizations),
                    Service::STORE => db.fresh::<Service>(written).await?.apply_to(&mut services),
                    _ => {}
                }
            }
            self.directory.set(Catalog::new(organizations, services));
        }
        Ok(())
    }

    /// The registry after another tab changed conditions, care events or rules: those read
    /// again, the rest as held.
    async fn reread_registry(self, db: &Db, message: &TabMessage) -> Result<(), StorageError> {
        let (mut conditions, mut events, mut encounters) = self.registry.with_untracked(|r| {
            (r.all_conditions().cloned().collect::<Vec<_>>(), r.all_events().cloned().collect::<Vec<_>>(), r.all_encounters().cloned().collect::<Vec<_>>())
        });
        let mut rules: Option<Vec<CareRule>> = None;
        for written in &message.stores {
            match written.store.as_str() {
                Condition::STORE => db.fresh::<Condition>(written).await?.apply_to(&mut conditions),
                CareEvent::STORE => db.fresh::<CareEvent>(written).await?.apply_to(&mut events),
                Encounter::STORE => db.fresh::<Encounter>(written).await?.apply_to(&mut encounters),
                // The rule table is small: read it whole (an empty one means the defaults).
                CareRule::STORE => rules = Some(db.load_all().await?),
                _ => {}
            }
        }
        let rules = match rules {
            Some(rules) => rules,
            None => db.load_all().await?,
        };
        self.registry.write().set(Registry::new(conditions, events, rules).with_encounters(encounters));
        Ok(())
    }
}

/// A list held in memory brought up to date with another tab's write to its store.
async fn refresh<R: Record + serde::de::DeserializeOwned + Send + Sync + 'static>(db: &Db, written: &tabs::StoreWritten, list: RwSignal<Vec<R>>) -> Result<(), StorageError> {
    let fresh = db.fresh::<R>(written).await?;
    list.update(|l| fresh.apply_to(l));
    Ok(())
}
