//! The browser's database (IndexedDB, through rexie) and per-device settings (localStorage).
//!
//! **Architecture Invariant:** this is the only module that touches IndexedDB or `JsValue`
//! for records. Everything above it deals in `model` types and [`StorageError`]s.
//!
//! Layout: one object store per kind of record, out-of-line string keys (the record id), and
//! each value one JSON string (`serde_json`), which reads back faster than a structured JS
//! object and lets migrations work on plain `serde_json::Value`s. The `meta` store holds the
//! schema version of the records on disk. A change and its journal entry are written in one
//! transaction ([`Db::write`]): both land, or neither does.

pub mod crypto;
pub mod device;
pub mod kiosk_db;
pub mod settings;
pub mod tabs;

mod batch;
mod migrate;
mod read;
mod snapshot;
mod vault;
mod write;

use rexie::{ObjectStore, Rexie, TransactionMode};
use wasm_bindgen::JsValue;

use crate::model::schema::{DATA_STORES, SCHEMA_VERSION};
use crate::model::stores::BackupContents;
use crate::model::Record;

pub use batch::{WriteBatch, Written};
pub use write::Updated;
use read::{from_stored, from_stored_all, raw_all_in};
pub use snapshot::{snapshot_value, snapshotted, InParts, Rest, RestOf};

/// The database the app uses. Tests open others by name.
pub const DB_NAME: &str = "carecoord";

/// The store holding the schema version.
pub const META_STORE: &str = "meta";

/// A read cache of the whole panel as one JSON string, so a reload reads one value instead
/// of one per patient. Never backed up; rebuilt from the records whenever it is stale.
pub const SNAPSHOT_STORE: &str = "snapshots";

macro_rules! all_stores {
    ($($field:ident : $ty:ty, $noun:literal, $owner:ident, $snap:ident, $privacy:ident;)*) => {
        /// Every object store: the two of the storage layer's own and every data store of
        /// the declaration (`model::stores`). IndexedDB deletes a store that an upgrade
        /// does not list, so a store is never taken out of the declaration; a store no
        /// longer used would stay listed here.
        pub const ALL_STORES: &[&str] = &[META_STORE, SNAPSHOT_STORE, $(<$ty as Record>::STORE,)*];

        impl WriteBatch {
            /// Adds or replaces every record of `contents` (a backup's Replace or Merge).
            pub fn put_contents(&mut self, contents: &BackupContents) -> &mut Self {
                $(self.put_all(&contents.$field);)*
                self
            }
        }

        impl Db {
            /// Every data store read from disk in one transaction: what a backup holds,
            /// as it is on disk now (not as one tab has it in memory).
            pub async fn load_contents(&self) -> Result<BackupContents> {
                let doing = "read everything stored";
                let tx = self.tx(DATA_STORES, TransactionMode::ReadOnly, doing)?;
                $(let $field = raw_all_in(&tx, <$ty as Record>::STORE, doing).await?;)*
                drop(tx);
                // Opened (decrypted) after the transaction: it cannot wait on anything else.
                let mut contents = BackupContents::default();
                $(contents.$field = from_stored_all(self.open_values(<$ty as Record>::STORE, $field).await?)?;)*
                Ok(contents)
            }
        }
    };
}
crate::data_stores!(all_stores);

const SCHEMA_KEY: &str = "schema_version";

/// A failure of the browser's storage, with a message for the coordinator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StorageError {
    pub message: String,
}

impl std::fmt::Display for StorageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl StorageError {
    fn new(message: impl Into<String>) -> StorageError {
        StorageError { message: message.into() }
    }

    /// Turns rexie's error ("idb error") into words; the technical detail goes to the console.
    fn from_idb(doing: &str, e: rexie::Error) -> StorageError {
        let detail = match &e {
            rexie::Error::IdbError(inner) => inner.to_string(),
            other => other.to_string(),
        };
        web_sys::console::error_1(&JsValue::from_str(&format!("storage: {doing}: {detail}")));
        let why = if detail.contains("QuotaExceeded") {
            DEVICE_FULL
        } else if detail.contains("VersionError") {
            "this browser's data was saved by a newer version of CareCoord. Reload the page to get the newer version."
        } else if detail.contains("ConstraintError") {
            "a record with the same id is already stored."
        } else if detail.contains("InvalidStateError") || detail.contains("UnknownError") {
            "the browser's storage is not available (private window, or storage blocked in the settings)."
        } else {
            "the browser's storage refused it."
        };
        StorageError::new(format!("Could not {doing}: {why} Nothing was changed."))
    }
}

type Result<T> = std::result::Result<T, StorageError>;

const DEVICE_FULL: &str = "this device is full: the browser has no room left for this site's data. Export a backup, then free space on the device or in the browser's settings.";

/// Why the browser refused a transaction at commit, from how full this site's storage is:
/// a change that would not fit in what is left means the device is full.
pub fn commit_refused(usage: Option<f64>, quota: Option<f64>, change_bytes: usize) -> &'static str {
    match (usage, quota) {
        (Some(used), Some(quota)) if quota - used < (change_bytes as f64) * 2.0 + quota * 0.02 => DEVICE_FULL,
        _ => "the browser cancelled the change (the device may be out of space, or the browser is closing).",
    }
}

/// The error for a transaction the browser aborted at commit. The browser does not pass the
/// cause on, but a full device is by far the likeliest: ask how full it is.
async fn refused_at_commit(doing: &str, change_bytes: usize) -> StorageError {
    let (usage, quota) = device::estimate().await;
    StorageError::new(format!("Could not {doing}: {} Nothing was saved.", commit_refused(usage, quota, change_bytes)))
}

/// An open database.
pub struct Db {
    rexie: Rexie,
    /// The data key while the app is unlocked (`vault`).
    vault: vault::VaultCell,
    /// Hears another tab's upgrade of the database (`tabs`).
    watch: tabs::VersionWatch,
}

/// Opens (creating or upgrading) the database `name` and brings its records to the current
/// schema, in one transaction, before anything reads them.
pub async fn open(name: &str) -> Result<Db> {
    open_in_tab(name, || {}).await
}

/// [`open`], calling `on_blocked` if the open waits (past `tabs::BLOCKED_AFTER_MS`) for an
/// older tab to let the upgrade go on; it goes on waiting.
pub async fn open_in_tab(name: &str, on_blocked: impl FnOnce() + 'static) -> Result<Db> {
    let mut builder = Rexie::builder(name).version(SCHEMA_VERSION);
    for store in ALL_STORES {
        builder = builder.add_object_store(ObjectStore::new(store));
    }
    let rexie = tabs::build_or_say_blocked(builder, on_blocked).await.map_err(|e| StorageError::from_idb("open the browser's storage", e))?;
    let watch = tabs::VersionWatch::start(name, SCHEMA_VERSION).await;
    let db = Db { rexie, vault: Default::default(), watch };
    db.migrate().await?;
    Ok(db)
}

/// Deletes the database `name` (tests, and "erase everything on this device").
pub async fn delete(name: &str) -> Result<()> {
    Rexie::delete(name).await.map_err(|e| StorageError::from_idb("delete the browser's storage", e))
}

impl Db {
    /// The object stores the open database has.
    pub fn store_names(&self) -> Vec<String> {
        self.rexie.store_names()
    }

    pub fn close(self) {
        self.rexie.close();
    }

    fn tx(&self, stores: &[&str], mode: TransactionMode, doing: &str) -> Result<rexie::Transaction> {
        self.refuse_if_outdated()?;
        self.rexie.transaction(stores, mode).map_err(|e| StorageError::from_idb(doing, e))
    }
}
