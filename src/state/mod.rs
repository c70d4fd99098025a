//! The app's state in memory, one slice per domain, and the one path every change takes:
//! validate → one IndexedDB transaction (with its journal entry) → update the signals →
//! tell the other tabs.
//!
//! Each slice ([`PanelState`], [`RegistryState`], [`ScheduleState`], [`ReferralState`],
//! [`DirectoryState`], [`SettingsState`]) gives views read-only signals and the mutations
//! of its domain. The writable halves are private to this module: no view can set a signal.
//! Changes that span domains (deleting a patient, a backup, a patient import) are methods of
//! [`AppState`].
//!
//! Nothing on screen changes before the transaction has committed; when it fails, the
//! signals are left as they were and the caller shows the [`Failure`].

use std::ops::Deref;
use std::rc::Rc;

use leptos::prelude::*;

use crate::model::appointment::Appointment;
use crate::model::care::{CareEvent, CareRule};
use crate::model::encounter::Encounter;
use crate::model::recall::OutreachAttempt;
use crate::model::referral::Referral;
use crate::model::registry::Registry;
use crate::model::revision::{field_label, rebase, Rebased, Revised};
use crate::model::{Change, ChangeAction, Condition, Panel, Patient, Record};
use crate::storage::{self, Db, RestOf, Updated, WriteBatch};
use crate::web::{self, mark};

mod backup;
mod day;
pub mod device;
mod directory;
mod failure;
pub mod import;
pub mod kiosk;
pub mod kiosk_directory;
mod panel;
pub mod protection;
mod referrals;
mod registry;
mod schedule;
mod settings;
pub mod tabs;
pub mod update;

pub use backup::ImportMode;
pub use day::DayState;
pub use directory::DirectoryState;
pub use failure::{Failure, SaveError};
pub use panel::PanelState;
pub use protection::{Guard, ProtectionState};
pub use referrals::ReferralState;
pub use registry::RegistryState;
pub use schedule::ScheduleState;
pub use settings::SettingsState;

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

/// A value held in memory for the views: they read it through [`Deref`] to a
/// [`ReadSignal`]; only this module can change it.
pub struct Held<T: Send + Sync + 'static> {
    read: ReadSignal<T>,
    write: RwSignal<T>,
}

impl<T: Send + Sync + 'static> Clone for Held<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Held<T> {}

impl<T: Send + Sync + 'static> Held<T> {
    fn new(value: T) -> Held<T> {
        let write = RwSignal::new(value);
        Held { read: write.read_only(), write }
    }
}

impl<T: Send + Sync + 'static> Deref for Held<T> {
    type Target = ReadSignal<T>;
    fn deref(&self) -> &ReadSignal<T> {
        &self.read
    }
}

/// What every slice shares: the database, the start's progress, the notices and who is
/// working (for the journal).
#[derive(Clone, Copy)]
pub(crate) struct Core {
    db: StoredValue<Option<Rc<Db>>, LocalStorage>,
    load: Held<LoadStatus>,
    /// Whether every store has been read (the referrals come last). Every mutation but a
    /// patient's own waits for it, so a record written early is never overwritten by the load.
    all_ready: Held<bool>,
    notice: Held<Option<(Notice, String)>>,
    tab_notice: Held<Option<tabs::TabNotice>>,
    settings: Held<crate::model::settings::Settings>,
}

impl Core {
    fn db(&self) -> Result<Rc<Db>, Failure> {
        self.db.get_value().ok_or_else(|| Failure::refused("The browser's storage is not open yet. Wait a moment and try again."))
    }

    /// Waits (up to 30 seconds) for every store to be read (the panel comes first, the rest
    /// follow).
    async fn all_read(&self) -> Result<(), Failure> {
        self.wait_for(|core| core.all_ready.get_untracked()).await
    }

    /// Waits (up to 30 seconds) for the whole panel to be read.
    async fn loaded(&self) -> Result<(), Failure> {
        self.wait_for(|core| core.load.with_untracked(|l| *l == LoadStatus::Ready)).await
    }

    async fn wait_for(&self, done: impl Fn(&Core) -> bool) -> Result<(), Failure> {
        for _ in 0..1500 {
            if done(self) {
                return Ok(());
            }
            if matches!(self.load.get_untracked(), LoadStatus::Failed(_)) {
                break;
            }
            web::sleep(20).await;
        }
        Err(Failure::refused("CareCoord could not read all its records yet; nothing was changed. Reload the page and try again."))
    }

    /// The coordinator's name, for the journal.
    fn by(&self) -> String {
        self.settings.with_untracked(|s| s.coordinator_name.clone())
    }

    /// A journal entry about `record`, by the coordinator, now.
    fn change<R: Record>(&self, record: &R, action: ChangeAction, summary: impl Into<String>) -> Change {
        Change::of(record, action, web::now(), &self.by(), summary, &web::nonce())
    }

    /// The write of a change made to a copy of a record (a form drawn a while ago): in one
    /// transaction, checked against the record as stored and merged or refused
    /// (`model::revision::rebase`). On a refusal `stale` gets the record as stored, for the
    /// view to show, and the failure names the fields both changed. `what` is "This patient".
    async fn save_revised<R: Revised>(
        &self,
        base: &R,
        mine: R,
        what: &str,
        summary: String,
        doing: &str,
        stale: impl FnOnce(R),
    ) -> Result<(R, storage::Written), Failure> {
        let entry = |r: &R| self.change(r, ChangeAction::Updated, summary.clone());
        let rebase = |current: &mut R| match rebase(base, mine.clone(), current) {
            Rebased::Same(r) | Rebased::Merged(r) => {
                *current = r;
                Ok(())
            }
            Rebased::Conflict(fields) => Err((fields, current.clone())),
        };
        match self.db()?.update::<R, _>(base.id(), rebase, entry, doing).await? {
            Updated::Done(record, written) => Ok((record, written)),
            Updated::Missing => Err(Failure::refused(format!("{what} is no longer stored on this device."))),
            Updated::Refused((fields, current)) => {
                stale(current);
                Err(Failure::stale(what, &fields.iter().map(|f| field_label(f)).collect::<Vec<_>>()))
            }
        }
    }

    /// The read-modify-write of one record as stored (`storage::Db::update`): `change` may
    /// refuse with a message. `what` is "This appointment", for a record that is gone.
    async fn update<R: Revised>(
        &self,
        id: &str,
        change: impl FnMut(&mut R) -> Result<(), String>,
        summary: impl Into<String>,
        what: &str,
        doing: &str,
    ) -> Result<(R, storage::Written), Failure> {
        let summary: String = summary.into();
        let entry = |r: &R| self.change(r, ChangeAction::Updated, summary.clone());
        match self.db()?.update::<R, _>(id, change, entry, doing).await? {
            Updated::Done(record, written) => Ok((record, written)),
            Updated::Missing => Err(Failure::refused(format!("{what} is no longer stored on this device."))),
            Updated::Refused(why) => Err(Failure::Refused(why)),
        }
    }

    /// Writes a batch in one transaction.
    async fn write(&self, batch: &WriteBatch, doing: &str) -> Result<storage::Written, Failure> {
        Ok(self.db()?.write(batch, doing).await?)
    }

    fn say(&self, notice: Notice) {
        let path = web_sys::window().and_then(|w| w.location().pathname().ok()).unwrap_or_default();
        self.notice.write.set(Some((notice, path)));
    }
}

/// A store kept with a quick-start snapshot (patients, referrals): the generation that the
/// records in memory match, and the rebuild of the snapshot a little after the last change.
#[derive(Clone, Copy)]
struct Snapshotted {
    gen: StoredValue<u64>,
    /// Bumped by each request for a new snapshot; only the latest is carried out.
    request: StoredValue<u32>,
}

impl Snapshotted {
    fn new() -> Snapshotted {
        Snapshotted { gen: StoredValue::new(0), request: StoredValue::new(0) }
    }

    /// This tab wrote the store at `gen`: rebuild the snapshot from disk a few seconds after
    /// the last change, in the background, so the next reload reads one value instead of
    /// one per record.
    fn written<R: crate::model::Listed + serde::Serialize + serde::de::DeserializeOwned + 'static>(self, core: Core, gen: u64) {
        self.gen.set_value(gen);
        let request = self.request;
        request.update_value(|n| *n += 1);
        let asked = request.get_value();
        set_timeout(
            move || {
                if request.get_value() != asked {
                    return; // a later change asked again
                }
                let Ok(db) = core.db() else { return };
                leptos::task::spawn_local(async move {
                    mark(&format!("carecoord:snapshot-start-{}", R::STORE));
                    match db.rebuild_snapshot::<R>().await {
                        Ok(()) => mark(&format!("carecoord:snapshot-saved-{}", R::STORE)),
                        // Only a cache: the records themselves are safe. Say so in the console.
                        Err(e) => web_sys::console::warn_1(&wasm_bindgen::JsValue::from_str(&e.message)),
                    }
                });
            },
            std::time::Duration::from_millis(2500),
        );
    }

    /// Another tab wrote the store at `gen`: this tab's copy matches it now, and that tab
    /// builds the snapshot, so one this tab had planned at an older generation is called off.
    fn heard(self, gen: Option<u64>) {
        let Some(gen) = gen else { return };
        if gen > self.gen.get_value() {
            self.gen.set_value(gen);
            self.request.update_value(|n| *n += 1);
        }
    }
}

/// Shared state, provided as context by [`crate::app::App`].
#[derive(Clone, Copy)]
pub struct AppState {
    core: Core,
    pub panel: PanelState,
    pub registry: RegistryState,
    pub schedule: ScheduleState,
    pub day: DayState,
    pub referrals: ReferralState,
    pub directory: DirectoryState,
    pub settings: SettingsState,
    pub protection: ProtectionState,
}

impl AppState {
    /// Creates the state, provides it as context and starts reading the database.
    pub fn start(db_name: &'static str) -> AppState {
        mark("carecoord:app-start");
        let state = AppState::new();
        leptos::task::spawn_local_scoped(async move {
            if let Err(e) = state.open_and_load(db_name).await {
                state.core.load.write.set(LoadStatus::Failed(e.message));
                state.protection.not_opened();
            }
        });
        state
    }

    fn new() -> AppState {
        let (settings, settings_notice) = storage::settings::load();
        device::DeviceStatus::start(settings_notice);
        let core = Core {
            db: StoredValue::new_local(None),
            load: Held::new(LoadStatus::Loading),
            all_ready: Held::new(false),
            notice: Held::new(None),
            tab_notice: Held::new(None),
            settings: Held::new(settings),
        };
        let panel = PanelState::new(core);
        let state = AppState {
            core,
            panel,
            registry: RegistryState::new(core, *panel),
            schedule: ScheduleState::new(core, *panel),
            day: DayState::new(core, *panel),
            referrals: ReferralState::new(core, *panel),
            directory: DirectoryState::new(core),
            settings: SettingsState::new(core),
            protection: ProtectionState::new(core),
        };
        provide_context(state);
        state
    }

    async fn open_and_load(self, db_name: &'static str) -> Result<(), storage::StorageError> {
        let db = self.open_in_tab(db_name).await?;
        mark("carecoord:db-open");
        self.core.db.set_value(Some(db.clone()));
        if self.protection.check(&db).await? {
            mark("carecoord:protection-checked");
            self.load_records(db).await
        } else {
            mark("carecoord:locked");
            Ok(()) // locked: the records are read after the passphrase (`unlock`)
        }
    }

    /// Tries the passphrase on the lock screen; the right one reads the records.
    pub async fn unlock(self, passphrase: String) -> Result<(), Failure> {
        self.protection.unlock(passphrase).await?;
        let db = self.core.db()?;
        mark("carecoord:unlocked");
        // Idle time counts from the unlock, before anything is read.
        self.protection.watch_idle();
        if let Err(e) = self.load_records(db.clone()).await {
            self.core.load.write.set(LoadStatus::Failed(e.message.clone()));
            return Err(e.into());
        }
        // Turning protection on or off was interrupted: go on with it.
        let state = self;
        leptos::task::spawn_local_scoped(async move {
            if let Err(e) = state.protection.finish_phase(&db).await {
                state.say_failed(&e);
            }
        });
        Ok(())
    }

    async fn load_records(self, db: Rc<Db>) -> Result<(), storage::StorageError> {
        // The first patients by name (the snapshot's first part) are drawn on the panel page
        // while the rest are read; every other page waits for the whole panel.
        let parts = db.load_in_parts::<Patient>().await?;
        let (mut patients, mut gen, mut from_snapshot) = (parts.first, parts.gen, parts.from_snapshot);
        if !parts.rest.is_empty() {
            self.panel.first_rows(patients.clone());
            mark("carecoord:panel-first-rows");
            match db.load_rest(parts.rest).await? {
                RestOf::More(more) => patients.extend(more),
                RestOf::Everything(all, at) => (patients, gen, from_snapshot) = (all, at, false),
            }
        }
        mark("carecoord:patients-read");
        let panel = Panel::new(patients);
        mark("carecoord:panel-built");
        self.panel.loaded(panel, gen, from_snapshot);
        self.core.load.write.set(LoadStatus::Ready);
        self.panel.whole();
        mark("carecoord:panel-loaded");
        // The newest referrals next (the work list's first rows: a small part of their
        // quick-start snapshot), the rest of them once the other stores are read.
        let referrals = db.load_in_parts::<Referral>().await?;
        let (gen, from_snapshot) = (referrals.gen, referrals.from_snapshot);
        self.referrals.loaded_first(referrals.first);
        mark("carecoord:referrals-first");
        // The panel is on screen first; the registry follows (gap counts show "…" until then).
        let conditions: Vec<Condition> = db.load_all().await?;
        let events: Vec<CareEvent> = db.load_all().await?;
        let rules: Vec<CareRule> = db.load_all().await?;
        let appointments: Vec<Appointment> = db.load_all().await?;
        let outreach: Vec<OutreachAttempt> = db.load_all().await?;
        let encounters: Vec<Encounter> = db.load_all().await?;
        self.registry.loaded(Registry::new(conditions, events, rules).with_encounters(encounters));
        self.schedule.loaded(appointments, outreach);
        mark("carecoord:registry-read");
        self.day.loaded(db.load_all().await?, db.load_all().await?, db.load_all().await?, db.load_all().await?);
        mark("carecoord:day-read");
        self.directory.load(&db).await?;
        mark("carecoord:directory-read");
        // The rest of the referrals last: at 30,000 they take a few hundred milliseconds to
        // parse, and nothing above waits.
        self.referrals.loaded(db.load_rest(referrals.rest).await?, gen, from_snapshot);
        mark("carecoord:referrals-read");
        self.core.all_ready.write.set(true);
        mark("carecoord:all-read");
        Ok(())
    }

    /// After a write: the panel and the referrals in memory match the generations it
    /// created, and their quick-start snapshots are rebuilt a little later.
    fn written(&self, w: &storage::Written) {
        self.panel.written(w);
        self.referrals.written(w);
    }

    /// Where the start is in reading the stores.
    pub fn load(&self) -> ReadSignal<LoadStatus> {
        *self.core.load
    }

    /// Whether every store has been read.
    pub fn all_ready(&self) -> ReadSignal<bool> {
        *self.core.all_ready
    }

    /// The latest notice and the path of the page it was given on: it shows on that page only.
    pub fn notice(&self) -> ReadSignal<Option<(Notice, String)>> {
        *self.core.notice
    }

    /// What the shell must say about other tabs (an upgrade blocked by an older tab, or this
    /// tab's database closed by a newer tab's upgrade).
    pub fn tab_notice(&self) -> ReadSignal<Option<tabs::TabNotice>> {
        *self.core.tab_notice
    }

    /// Shows a notice on the current page.
    pub fn say(&self, notice: Notice) {
        self.core.say(notice);
    }

    /// Shows a failure the way every failure is shown: as an alert on the current page.
    pub fn say_failed(&self, failure: &Failure) {
        self.core.say(Notice::Failed(failure.to_string()));
    }

    /// The coordinator has read the notice.
    pub fn dismiss_notice(&self) {
        self.core.notice.write.set(None);
    }

    /// The journal entries about one record, oldest first.
    pub async fn history(self, entity_id: String) -> Result<Vec<Change>, Failure> {
        Ok(self.core.db()?.history(&entity_id).await?)
    }
}
