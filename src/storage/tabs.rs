//! Several tabs of CareCoord on one device: what one tab wrote, told to the others, and a
//! newer tab's upgrade of the database.
//!
//! - After every committed write ([`Db::write`], [`Db::update`]) the writing tab posts a
//!   [`TabMessage`] on the `BroadcastChannel` named [`CHANNEL`]: the database, and for each
//!   store it wrote the ids of the records (or "everything in the store" after a clear or a
//!   write of more than [`MOST_IDS`] records). Never a value: the other tabs read the records
//!   themselves from IndexedDB ([`Db::reread`]).
//! - Each open [`Db`] keeps a second, raw connection to its database ([`VersionWatch`];
//!   rexie does not hand out its own) only to hear `versionchange`: a newer tab wants to
//!   upgrade, or the database is being deleted. Then both connections are closed (rexie's
//!   own is closed by the `idb` crate's handler, this one here), so the upgrade goes on, and
//!   the [`Db`] refuses every further transaction with [`OUTDATED`].
//! - rexie's builder does not expose the open request's `blocked` event, so an open that has
//!   not finished after [`BLOCKED_AFTER_MS`] is taken as blocked by an older tab
//!   ([`build_or_say_blocked`]); it goes on waiting.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use rexie::{Rexie, RexieBuilder, TransactionMode};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{BroadcastChannel, IdbDatabase, IdbOpenDbRequest, MessageEvent};

use super::{Db, Result, StorageError, WriteBatch, Written};
use crate::model::Record;

/// The name of the channel every tab of CareCoord listens on.
pub const CHANNEL: &str = "carecoord";

/// A store with more records written at once than this (a backup merged, a big import) is
/// announced as "everything": re-reading it whole is cheaper than thousands of single gets.
pub const MOST_IDS: usize = 200;

/// What a tab whose database was upgraded (or deleted) by another tab says, and answers to
/// any further read or write.
pub const OUTDATED: &str = "CareCoord was updated in another tab: reload";

/// What a tab says while its upgrade waits for an older tab to close its connection.
pub const BLOCKED: &str = "CareCoord is open in another tab with an older version: close that tab to continue.";

/// How long an open may take before it is said to be blocked by an older tab.
pub const BLOCKED_AFTER_MS: i32 = 3_000;

/// What one tab wrote, as posted to the others: store names and record ids, never a value.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TabMessage {
    /// The database written (tests use their own; a tab ignores the others).
    pub db: String,
    pub stores: Vec<StoreWritten>,
    /// Every tab of this database must lock now (reload): the coordinator pressed **Lock
    /// now**, the idle time ran out, or protection was turned on or off.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub lock: bool,
}

/// The records of one store that a write touched.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreWritten {
    pub store: String,
    /// The whole store may have changed (a clear, a backup, a big import): read it all again.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub everything: bool,
    /// The records added, changed or deleted (empty when `everything`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ids: Vec<String>,
    /// The store's new generation, for the stores with a quick-start snapshot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generation: Option<u64>,
}

impl TabMessage {
    /// The message for a committed batch: `cascaded` are the records a patient's deletion
    /// removed with them (found inside the transaction).
    fn of_batch(db: &str, batch: &WriteBatch, cascaded: &[(&'static str, String)], written: &Written) -> TabMessage {
        let records = batch
            .deletes
            .iter()
            .map(|(s, id)| (*s, id))
            .chain(cascaded.iter().map(|(s, id)| (*s, id)))
            .chain(batch.cascades.iter().map(|id| (crate::model::Patient::STORE, id)))
            .chain(batch.adds.iter().chain(&batch.puts).map(|(s, id, _)| (*s, id)));
        let mut message = TabMessage { db: db.to_string(), stores: Vec::new(), lock: false };
        for store in &batch.clears {
            message.entry(store).everything = true;
        }
        for (store, id) in records {
            message.entry(store).ids.push(id.clone());
        }
        for s in &mut message.stores {
            s.ids.sort_unstable();
            s.ids.dedup();
            if s.everything || s.ids.len() > MOST_IDS {
                s.everything = true;
                s.ids.clear();
            }
            s.generation = written.of(&s.store);
        }
        message
    }

    fn entry(&mut self, store: &str) -> &mut StoreWritten {
        match self.stores.iter().position(|s| s.store == store) {
            Some(i) => &mut self.stores[i],
            None => {
                self.stores.push(StoreWritten { store: store.to_string(), ..Default::default() });
                self.stores.last_mut().expect("just pushed")
            }
        }
    }
}

thread_local! {
    /// The page's one channel object: a message posted on it is not delivered back to it,
    /// so a tab never hears its own writes. `None` where the browser has no BroadcastChannel.
    static PAGE_CHANNEL: Option<BroadcastChannel> = BroadcastChannel::new(CHANNEL).ok();
}

/// Tells the other tabs what a committed batch wrote.
pub(super) fn announce_batch(db: &Db, batch: &WriteBatch, cascaded: &[(&'static str, String)], written: &Written) {
    post(&TabMessage::of_batch(&db.rexie.name(), batch, cascaded, written));
}

/// Tells the other tabs that one record of `store` was written.
pub(super) fn announce_one(db: &Db, store: &'static str, id: &str, written: &Written) {
    let one = StoreWritten { store: store.to_string(), everything: false, ids: vec![id.to_string()], generation: written.of(store) };
    post(&TabMessage { db: db.rexie.name(), stores: vec![one], lock: false });
}

/// Tells every other tab of this database to lock (reload) now.
pub fn announce_lock(db: &Db) {
    post(&TabMessage { db: db.rexie.name(), stores: Vec::new(), lock: true });
}

fn post(message: &TabMessage) {
    if message.stores.is_empty() && !message.lock {
        return;
    }
    let text = serde_json::to_string(message).expect("a tab message always serializes");
    PAGE_CHANNEL.with(|c| {
        if let Some(c) = c {
            if let Err(e) = c.post_message(&JsValue::from_str(&text)) {
                web_sys::console::warn_2(&JsValue::from_str("tabs: could not tell the other tabs"), &e);
            }
        }
    });
}

/// Hears the other tabs' messages about database `db` for as long as it is kept; dropping
/// it stops listening.
pub struct TabListener {
    on_message: Closure<dyn FnMut(MessageEvent)>,
}

/// Calls `heard` with each message another tab posts about database `db`. `None` where the
/// browser has no BroadcastChannel.
pub fn listen(db: &str, mut heard: impl FnMut(TabMessage) + 'static) -> Option<TabListener> {
    let db = db.to_string();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        let Some(text) = ev.data().as_string() else { return };
        match serde_json::from_str::<TabMessage>(&text) {
            Ok(m) if m.db == db => heard(m),
            Ok(_) => {}
            Err(_) => web_sys::console::warn_1(&JsValue::from_str("tabs: a message from another tab was not understood")),
        }
    });
    let added = PAGE_CHANNEL.with(|c| c.as_ref().map(|c| c.add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref())));
    match added {
        Some(Ok(())) => Some(TabListener { on_message }),
        _ => None,
    }
}

impl Drop for TabListener {
    fn drop(&mut self) {
        PAGE_CHANNEL.with(|c| {
            if let Some(c) = c {
                let _ = c.remove_event_listener_with_callback("message", self.on_message.as_ref().unchecked_ref());
            }
        });
    }
}

/// A store's records as they are on disk now, after another tab wrote to it.
pub enum Fresh<R> {
    /// The whole store, read again.
    Everything(Vec<R>),
    /// The records named: those still stored, and the ids of those no longer stored.
    Records { found: Vec<R>, gone: Vec<String> },
}

impl<R: Record> Fresh<R> {
    /// Each record turned by `f` (a referral as lists hold it).
    pub fn map(self, f: impl Fn(R) -> R) -> Fresh<R> {
        match self {
            Fresh::Everything(all) => Fresh::Everything(all.into_iter().map(f).collect()),
            Fresh::Records { found, gone } => Fresh::Records { found: found.into_iter().map(f).collect(), gone },
        }
    }

    /// Brings `list` (a store held in memory) to what is on disk.
    pub fn apply_to(self, list: &mut Vec<R>) {
        match self {
            Fresh::Everything(all) => *list = all,
            Fresh::Records { found, gone } => {
                list.retain(|r| !gone.iter().any(|id| id == r.id()));
                crate::model::upsert_by_id(list, found);
            }
        }
    }
}

impl Db {
    /// What another tab's write left in `written.store`, read from disk: the records it
    /// names, or the whole store.
    pub async fn fresh<R: Record + DeserializeOwned>(&self, written: &StoreWritten) -> Result<Fresh<R>> {
        if written.everything {
            return Ok(Fresh::Everything(self.load_all().await?));
        }
        let mut found = Vec::new();
        let mut gone = Vec::new();
        for (id, record) in self.reread::<R>(&written.ids).await? {
            match record {
                Some(r) => found.push(r),
                None => gone.push(id),
            }
        }
        Ok(Fresh::Records { found, gone })
    }

    /// The records `ids` of `R`'s store as they are on disk now, in one transaction: each
    /// with `None` when it is no longer stored (deleted in another tab).
    pub async fn reread<R: Record + DeserializeOwned>(&self, ids: &[String]) -> Result<Vec<(String, Option<R>)>> {
        let doing = format!("read the {} changed in another tab", R::STORE);
        let tx = self.tx(&[R::STORE], TransactionMode::ReadOnly, &doing)?;
        let store = tx.store(R::STORE).map_err(|e| StorageError::from_idb(&doing, e))?;
        let mut raw = Vec::with_capacity(ids.len());
        for id in ids {
            raw.push((id.clone(), store.get(JsValue::from_str(id)).await.map_err(|e| StorageError::from_idb(&doing, e))?));
        }
        drop(tx);
        let mut out = Vec::with_capacity(raw.len());
        for (id, value) in raw {
            let record = match value {
                None => None,
                Some(v) => Some(super::from_stored::<R>(&self.open_value(R::STORE, v).await?)?),
            };
            out.push((id, record));
        }
        Ok(out)
    }

    /// Whether another tab's upgrade (or deletion) of the database has closed this connection.
    pub fn is_outdated(&self) -> bool {
        self.watch.inner.outdated.get()
    }

    /// Calls `then` once when another tab's upgrade closes this connection (at once if it
    /// already has).
    pub fn on_outdated(&self, then: impl FnOnce() + 'static) {
        if self.is_outdated() {
            then();
        } else {
            self.watch.inner.listeners.borrow_mut().push(Box::new(then));
        }
    }

    /// Refuses any transaction once the connection is outdated, with words that say why.
    pub(super) fn refuse_if_outdated(&self) -> Result<()> {
        if self.is_outdated() {
            Err(StorageError::new(format!("{OUTDATED} the page. Nothing was changed.")))
        } else {
            Ok(())
        }
    }
}

/// A second connection to a database, only to hear `versionchange`.
pub(super) struct VersionWatch {
    inner: Rc<WatchInner>,
}

#[derive(Default)]
struct WatchInner {
    outdated: Cell<bool>,
    connection: RefCell<Option<IdbDatabase>>,
    on_change: RefCell<Option<Closure<dyn FnMut(web_sys::Event)>>>,
    listeners: RefCell<Vec<Box<dyn FnOnce()>>>,
}

impl WatchInner {
    fn outdate(&self) {
        self.outdated.set(true);
        if let Some(c) = self.connection.borrow_mut().take() {
            c.set_onversionchange(None);
            c.close();
        }
        let listeners = std::mem::take(&mut *self.listeners.borrow_mut());
        for then in listeners {
            then();
        }
    }
}

impl VersionWatch {
    /// Opens the watching connection to `name` at `version` (the version just opened, so no
    /// upgrade and no wait). If the database has changed since (a newer tab upgraded it, or
    /// it was deleted), the watch starts outdated.
    pub(super) async fn start(name: &str, version: u32) -> VersionWatch {
        let inner = Rc::new(WatchInner::default());
        match open_raw(name, version).await {
            Ok(connection) => {
                let weak: Weak<WatchInner> = Rc::downgrade(&inner);
                let on_change = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
                    if let Some(inner) = weak.upgrade() {
                        inner.outdate();
                    }
                });
                connection.set_onversionchange(Some(on_change.as_ref().unchecked_ref()));
                *inner.connection.borrow_mut() = Some(connection);
                *inner.on_change.borrow_mut() = Some(on_change);
            }
            Err(e) => {
                web_sys::console::warn_2(&JsValue::from_str("tabs: the database changed while it was opened"), &e);
                inner.outdated.set(true);
            }
        }
        VersionWatch { inner }
    }
}

impl Drop for VersionWatch {
    fn drop(&mut self) {
        if let Some(c) = self.inner.connection.borrow_mut().take() {
            c.set_onversionchange(None);
            c.close();
        }
    }
}

/// `indexedDB.open(name, version)` without upgrading: if an upgrade would be needed (the
/// database was deleted meanwhile), it is aborted and the open fails.
async fn open_raw(name: &str, version: u32) -> std::result::Result<IdbDatabase, JsValue> {
    let factory = web_sys::window()
        .ok_or_else(|| JsValue::from_str("no window"))?
        .indexed_db()?
        .ok_or_else(|| JsValue::from_str("no indexedDB"))?;
    let request: IdbOpenDbRequest = factory.open_with_u32(name, version)?;
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let r = request.clone();
        let on_success = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = resolve.call1(&JsValue::NULL, &r.result().unwrap_or(JsValue::NULL));
        });
        let on_error = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = reject.call1(&JsValue::NULL, &JsValue::from_str("the watching connection could not open"));
        });
        let r = request.clone();
        let on_upgrade = Closure::once_into_js(move |_: web_sys::Event| {
            if let Some(tx) = r.transaction() {
                let _ = tx.abort();
            }
        });
        request.set_onsuccess(Some(on_success.unchecked_ref()));
        request.set_onerror(Some(on_error.unchecked_ref()));
        request.set_onupgradeneeded(Some(on_upgrade.unchecked_ref()));
    });
    let db = wasm_bindgen_futures::JsFuture::from(promise).await?;
    db.dyn_into::<IdbDatabase>()
}

/// Opens the database with rexie; if that has not finished after [`BLOCKED_AFTER_MS`] (an
/// older tab holds the database and does not let the upgrade go on), calls `on_blocked`
/// once and goes on waiting.
pub(super) async fn build_or_say_blocked(builder: RexieBuilder, on_blocked: impl FnOnce() + 'static) -> rexie::Result<Rexie> {
    let window = web_sys::window();
    // Kept for the life of the page and made harmless once the open is done: a timer that
    // fires anyway (a cleared timer some test clocks still run) finds nothing to do.
    let done = Rc::new(Cell::new(false));
    let mut on_blocked = Some(on_blocked);
    let seen = done.clone();
    let timer = Closure::<dyn FnMut()>::new(move || {
        if !seen.get() {
            if let Some(say) = on_blocked.take() {
                say();
            }
        }
    });
    let handle = window
        .as_ref()
        .and_then(|w| w.set_timeout_with_callback_and_timeout_and_arguments_0(timer.as_ref().unchecked_ref(), BLOCKED_AFTER_MS).ok());
    let built = builder.build().await;
    done.set(true);
    if let (Some(w), Some(h)) = (window, handle) {
        w.clear_timeout_with_handle(h);
    }
    timer.forget();
    built
}
