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
pub mod settings;
pub mod tabs;

use rexie::{KeyRange, ObjectStore, Rexie, TransactionMode};
use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;
use wasm_bindgen::JsValue;

use crate::model::schema::{self, DATA_STORES, SCHEMA_VERSION};
use crate::model::stores::{self, BackupContents, Owner, STORES};
use crate::model::{Change, Patient, Record};

/// The database the app uses. Tests open others by name.
pub const DB_NAME: &str = "carecoord";

/// The store holding the schema version.
pub const META_STORE: &str = "meta";

/// A read cache of the whole panel as one JSON string, so a reload reads one value instead
/// of one per patient. Never backed up; rebuilt from the records whenever it is stale.
pub const SNAPSHOT_STORE: &str = "snapshots";

macro_rules! all_stores {
    ($($field:ident : $ty:ty, $noun:literal, $owner:ident, $snap:ident;)*) => {
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
                let mut contents = BackupContents::default();
                $(contents.$field = read_all_in(&tx, <$ty as Record>::STORE, doing).await?;)*
                Ok(contents)
            }
        }
    };
}
crate::data_stores!(all_stores);

const SCHEMA_KEY: &str = "schema_version";

/// The stores read at start through a snapshot (one value in [`SNAPSHOT_STORE`] under the
/// store's name): the two that grow to tens of thousands of records. For each, `meta` holds
/// a counter (`"{store}_generation"`) raised by every write that touches the store, in the
/// same transaction; a snapshot is used only when it was built at the current count.
pub fn snapshotted() -> impl Iterator<Item = &'static str> {
    stores::snapshotted()
}

fn generation_key(store: &str) -> String {
    format!("{store}_generation")
}

/// The generations a committed write created, for the snapshotted stores it touched.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Written(Vec<(&'static str, u64)>);

impl Written {
    /// The new generation of `store`, if the write touched it.
    pub fn of(&self, store: &str) -> Option<u64> {
        self.0.iter().find(|(s, _)| *s == store).map(|(_, g)| *g)
    }

    /// The patients store's new generation, if the write touched it.
    pub fn patients(&self) -> Option<u64> {
        self.of(Patient::STORE)
    }

    /// One store at one generation (for a snapshot to build after a read from the records).
    pub fn of_one(store: &'static str, gen: u64) -> Written {
        Written(vec![(store, gen)])
    }
}

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

/// A set of changes written in one transaction: all of them, or none.
#[derive(Default)]
pub struct WriteBatch {
    clears: Vec<&'static str>,
    /// Patients deleted with every record that belongs to them (`model::stores::Owner`).
    cascades: Vec<String>,
    deletes: Vec<(&'static str, String)>,
    adds: Vec<(&'static str, String, String)>,
    puts: Vec<(&'static str, String, String)>,
}

impl WriteBatch {
    pub fn new() -> WriteBatch {
        WriteBatch::default()
    }

    /// Empties a whole store first (a backup import that replaces everything).
    pub fn clear(&mut self, store: &'static str) -> &mut Self {
        self.clears.push(store);
        self
    }

    /// Adds a new record; the write fails if a record with its id is already stored.
    pub fn add<R: Record + Serialize>(&mut self, record: &R) -> &mut Self {
        self.adds.push((R::STORE, record.id().to_string(), to_json(record)));
        self
    }

    /// Adds or replaces a record.
    pub fn put<R: Record + Serialize>(&mut self, record: &R) -> &mut Self {
        self.puts.push((R::STORE, record.id().to_string(), to_json(record)));
        self
    }

    /// Adds or replaces many records.
    pub fn put_all<'a, R: Record + Serialize + 'a>(&mut self, records: impl IntoIterator<Item = &'a R>) -> &mut Self {
        self.puts.extend(records.into_iter().map(|r| (R::STORE, r.id().to_string(), to_json(r))));
        self
    }

    /// Deletes a patient and, in the same transaction, every record of every store the
    /// declaration says belongs to a patient (`model::stores`), as they are on disk then.
    pub fn delete_patient_everywhere(&mut self, patient_id: &str) -> &mut Self {
        self.cascades.push(patient_id.to_string());
        self
    }

    /// Deletes a record of `R`'s store.
    pub fn delete<R: Record>(&mut self, id: &str) -> &mut Self {
        self.deletes.push((R::STORE, id.to_string()));
        self
    }

    /// The size of the records in the batch, as stored.
    pub fn bytes(&self) -> usize {
        self.adds.iter().chain(self.puts.iter()).map(|(_, id, json)| id.len() + json.len()).sum()
    }

    /// Records the change in the journal, in the same transaction.
    pub fn journal(&mut self, change: &Change) -> &mut Self {
        self.add(change)
    }

    fn stores(&self) -> Vec<&'static str> {
        let mut stores: Vec<&'static str> = self
            .clears
            .iter()
            .copied()
            .chain(self.deletes.iter().map(|d| d.0))
            .chain(STORES.iter().filter(|s| !self.cascades.is_empty() && s.owner != Owner::None).map(|s| s.name))
            .chain(self.adds.iter().chain(&self.puts).map(|p| p.0))
            .collect();
        stores.sort_unstable();
        stores.dedup();
        stores
    }
}

fn to_json<R: Serialize>(record: &R) -> String {
    serde_json::to_string(record).expect("records always serialize")
}

/// An open database.
pub struct Db {
    rexie: Rexie,
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
    let db = Db { rexie, watch };
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

    /// The schema version written in the `meta` store.
    pub async fn schema_version(&self) -> Result<Option<u32>> {
        let tx = self.tx(&[META_STORE], TransactionMode::ReadOnly, "read the schema version")?;
        let store = tx.store(META_STORE).map_err(|e| StorageError::from_idb("read the schema version", e))?;
        let v = store
            .get(JsValue::from_str(SCHEMA_KEY))
            .await
            .map_err(|e| StorageError::from_idb("read the schema version", e))?;
        Ok(v.and_then(|v| v.as_f64()).map(|v| v as u32))
    }

    /// Every record of `R`'s store, read in one `getAll`.
    pub async fn load_all<R: Record + DeserializeOwned>(&self) -> Result<Vec<R>> {
        let doing = format!("read the {}", R::STORE);
        let tx = self.tx(&[R::STORE], TransactionMode::ReadOnly, &doing)?;
        let store = tx.store(R::STORE).map_err(|e| StorageError::from_idb(&doing, e))?;
        let values = store.get_all(None, None).await.map_err(|e| StorageError::from_idb(&doing, e))?;
        from_stored_all(values)
    }

    /// One record by id.
    pub async fn get<R: Record + DeserializeOwned>(&self, id: &str) -> Result<Option<R>> {
        let doing = format!("read a record of {}", R::STORE);
        let tx = self.tx(&[R::STORE], TransactionMode::ReadOnly, &doing)?;
        let store = tx.store(R::STORE).map_err(|e| StorageError::from_idb(&doing, e))?;
        let v = store.get(JsValue::from_str(id)).await.map_err(|e| StorageError::from_idb(&doing, e))?;
        v.map(|v| from_stored::<R>(&v)).transpose()
    }

    /// Every journal entry about one record, oldest first.
    pub async fn history(&self, entity_id: &str) -> Result<Vec<Change>> {
        let doing = "read the history of changes";
        let (lo, hi) = Change::history_range(entity_id);
        let range = KeyRange::bound(&JsValue::from_str(&lo), &JsValue::from_str(&hi), Some(false), Some(false))
            .map_err(|e| StorageError::from_idb(doing, e.into()))?;
        let tx = self.tx(&[Change::STORE], TransactionMode::ReadOnly, doing)?;
        let store = tx.store(Change::STORE).map_err(|e| StorageError::from_idb(doing, e))?;
        let values = store.get_all(Some(range), None).await.map_err(|e| StorageError::from_idb(doing, e))?;
        from_stored_all(values)
    }

    /// Reads record `id` of `R`'s store, applies `change` to it and puts it back with the
    /// journal entry `journal` makes of the result, all in one readwrite transaction: the
    /// change applies to the record as it is on disk at that moment, never to a copy taken
    /// when a view was drawn, so two quick changes to one record both stay. `Ok(None)` when
    /// there is no such record (nothing is written).
    pub async fn update<R: Record + Serialize + DeserializeOwned>(
        &self,
        id: &str,
        change: impl FnOnce(&mut R),
        journal: impl FnOnce(&R) -> Change,
        doing: &str,
    ) -> Result<Option<(R, Written)>> {
        let snapshotted_store = snapshotted().any(|s| s == R::STORE);
        let mut stores = vec![R::STORE, Change::STORE];
        if snapshotted_store {
            stores.push(META_STORE);
        }
        let tx = self.tx(&stores, TransactionMode::ReadWrite, doing)?;
        let outcome = async {
            let store = tx.store(R::STORE)?;
            let Some(value) = store.get(JsValue::from_str(id)).await? else { return Ok(Ok(None)) };
            let mut record: R = match from_stored(&value) {
                Ok(r) => r,
                Err(e) => return Ok(Err(e)),
            };
            change(&mut record);
            store.put(&JsValue::from_str(&to_json(&record)), Some(&JsValue::from_str(id))).await?;
            let entry = journal(&record);
            tx.store(Change::STORE)?.add(&JsValue::from_str(&to_json(&entry)), Some(&JsValue::from_str(entry.id()))).await?;
            let mut written = Written::default();
            if snapshotted_store {
                let meta = tx.store(META_STORE)?;
                let gen = read_generation(&meta, R::STORE).await?;
                meta.put(&JsValue::from_f64((gen + 1) as f64), Some(&JsValue::from_str(&generation_key(R::STORE)))).await?;
                written.0.push((R::STORE, gen + 1));
            }
            Ok::<_, rexie::Error>(Ok(Some((record, written))))
        }
        .await;
        match outcome {
            Ok(Ok(Some(done))) => match tx.done().await {
                Ok(r) if r.is_committed() => {
                    tabs::announce_one(self, R::STORE, id, &done.1);
                    Ok(Some(done))
                }
                Ok(_) => {
                    let report = device::report().await;
                    Err(StorageError::new(format!("Could not {doing}: {} Nothing was saved.", commit_refused(report.usage, report.quota, 0))))
                }
                Err(e) => Err(StorageError::from_idb(doing, e)),
            },
            Ok(Ok(None)) => {
                let _ = tx.done().await;
                Ok(None)
            }
            Ok(Err(e)) => {
                let _ = tx.abort().await;
                Err(e)
            }
            Err(e) => {
                let _ = tx.abort().await;
                Err(StorageError::from_idb(doing, e))
            }
        }
    }

    /// Writes the whole batch in one transaction and waits until it is committed. On any
    /// failure the transaction is aborted and nothing of the batch is stored. Returns the
    /// generations it created for the [`snapshotted`] stores it touched.
    pub async fn write(&self, batch: &WriteBatch, doing: &str) -> Result<Written> {
        let mut stores = batch.stores();
        if stores.is_empty() {
            return Ok(Written::default());
        }
        let touched: Vec<&'static str> = snapshotted().filter(|s| stores.contains(s)).collect();
        if !touched.is_empty() {
            stores.push(META_STORE);
        }
        let tx = self.tx(&stores, TransactionMode::ReadWrite, doing)?;
        let mut cascaded = Vec::new();
        let outcome = async {
            let mut new_gen = Written::default();
            for store in touched {
                let meta = tx.store(META_STORE)?;
                let gen = read_generation(&meta, store).await?;
                meta.put(&JsValue::from_f64((gen + 1) as f64), Some(&JsValue::from_str(&generation_key(store)))).await?;
                new_gen.0.push((store, gen + 1));
            }
            for name in &batch.clears {
                tx.store(name)?.clear().await?;
            }
            for patient_id in &batch.cascades {
                delete_patient_records(&tx, patient_id, &mut cascaded).await?;
            }
            for (name, id) in &batch.deletes {
                tx.store(name)?.delete(JsValue::from_str(id)).await?;
            }
            for (ops, add) in [(&batch.adds, true), (&batch.puts, false)] {
                for name in &stores {
                    let items = ops
                        .iter()
                        .filter(|op| op.0 == *name)
                        .map(|(_, id, json)| (JsValue::from_str(json), Some(JsValue::from_str(id))));
                    let store = tx.store(name)?;
                    if add {
                        store.add_all(items).await?;
                    } else {
                        store.put_all(items).await?;
                    }
                }
            }
            Ok::<_, rexie::Error>(new_gen)
        }
        .await;
        match outcome {
            Ok(new_gen) => match tx.done().await {
                Ok(result) if result.is_committed() => {
                    tabs::announce_batch(self, batch, &cascaded, &new_gen);
                    Ok(new_gen)
                }
                Ok(_) => {
                    // The browser aborted it at commit; the cause is not passed on, but a full
                    // device is by far the likeliest. Ask how full it is.
                    let report = device::report().await;
                    Err(StorageError::new(format!("Could not {doing}: {} Nothing was saved.", commit_refused(report.usage, report.quota, batch.bytes()))))
                }
                Err(e) => Err(StorageError::from_idb(doing, e)),
            },
            Err(e) => {
                let _ = tx.abort().await;
                Err(StorageError::from_idb(doing, e))
            }
        }
    }

    /// Every patient, from the snapshot when it is current, else from the records. Also
    /// returns the generation they belong to and whether the snapshot was used.
    pub async fn load_patients(&self) -> Result<(Vec<Patient>, u64, bool)> {
        self.load_snapshotted().await
    }

    /// Stores `patients` as the snapshot of generation `gen`, unless another write has
    /// changed the patients since (then nothing is written and `false` is returned).
    pub async fn save_patients_snapshot(&self, patients: &[Patient], gen: u64) -> Result<bool> {
        self.save_snapshot(patients, gen).await
    }

    /// Every record of a [`snapshotted`] store, from its snapshot when it is current, else
    /// from the records; with the generation they belong to and whether the snapshot was used.
    pub async fn load_snapshotted<R: Record + DeserializeOwned>(&self) -> Result<(Vec<R>, u64, bool)> {
        let doing = format!("read the {}", R::STORE);
        let tx = self.tx(&[META_STORE, SNAPSHOT_STORE], TransactionMode::ReadOnly, &doing)?;
        let (gen, snapshot) = async {
            let gen = read_generation(&tx.store(META_STORE)?, R::STORE).await?;
            let snapshot = tx.store(SNAPSHOT_STORE)?.get(JsValue::from_str(R::STORE)).await?.filter(JsValue::is_string);
            Ok::<_, rexie::Error>((gen, snapshot))
        }
        .await
        .map_err(|e| StorageError::from_idb(&doing, e))?;
        if let Some(snapshot) = snapshot {
            // Split in JS, then cross into wasm 2,000 records at a time: the 30 MB string of
            // 30,000 referrals is never copied into wasm memory whole.
            let parts: Vec<JsValue> = js_sys::JsString::from(snapshot).split(RECORD_SEPARATOR).iter().collect();
            if let Some((built_at, records)) = parts.split_first() {
                if built_at.as_string().and_then(|b| b.parse::<u64>().ok()) == Some(gen) {
                    if let Ok(list) = from_stored_all(records.to_vec()) {
                        return Ok((list, gen, true));
                    }
                }
            }
        }
        // No current snapshot: the records themselves, and the generation they were read at.
        let tx = self.tx(&[META_STORE, R::STORE], TransactionMode::ReadOnly, &doing)?;
        let (gen, values) = async {
            let gen = read_generation(&tx.store(META_STORE)?, R::STORE).await?;
            let values = tx.store(R::STORE)?.get_all(None, None).await?;
            Ok::<_, rexie::Error>((gen, values))
        }
        .await
        .map_err(|e| StorageError::from_idb(&doing, e))?;
        Ok((from_stored_all(values)?, gen, false))
    }

    /// Rebuilds the snapshot of `R`'s store from the records on disk, in one transaction
    /// with the generation it is tagged with: what every tab's writes left there, never one
    /// tab's memory (a tab that missed another's new patient cannot drop it from the
    /// snapshot). The records are joined in JS; none crosses into wasm.
    pub async fn rebuild_snapshot<R: Record>(&self) -> Result<()> {
        let doing = format!("save the quick-start copy of the {}", R::STORE);
        let tx = self.tx(&[META_STORE, SNAPSHOT_STORE, R::STORE], TransactionMode::ReadWrite, &doing)?;
        let outcome = async {
            let gen = read_generation(&tx.store(META_STORE)?, R::STORE).await?;
            let values = tx.store(R::STORE)?.get_all(None, None).await?;
            let parts = js_sys::Array::new_with_length(0);
            parts.push(&JsValue::from_str(&gen.to_string()));
            for v in values.iter().filter(|v| v.is_string()) {
                parts.push(v);
            }
            let value: JsValue = parts.join(RECORD_SEPARATOR).into();
            tx.store(SNAPSHOT_STORE)?.put(&value, Some(&JsValue::from_str(R::STORE))).await?;
            Ok::<_, rexie::Error>(())
        }
        .await;
        match outcome {
            Ok(()) => match tx.done().await {
                Ok(r) if r.is_committed() => Ok(()),
                Ok(_) => Err(StorageError::new(format!("Could not {doing}: the browser cancelled it."))),
                Err(e) => Err(StorageError::from_idb(&doing, e)),
            },
            Err(e) => {
                let _ = tx.abort().await;
                Err(StorageError::from_idb(&doing, e))
            }
        }
    }

    /// Stores `records` as the snapshot of their store at generation `gen`, unless another
    /// write has changed the store since (then nothing is written and `false` is returned).
    pub async fn save_snapshot<R: Record + Serialize>(&self, records: &[R], gen: u64) -> Result<bool> {
        self.save_snapshot_value::<R>(snapshot_value(records, gen), gen).await
    }

    /// [`Db::save_snapshot`] with the value already made by [`snapshot_value`] (so the caller
    /// can serialize in place instead of cloning 30,000 records first).
    pub async fn save_snapshot_value<R: Record>(&self, value: String, gen: u64) -> Result<bool> {
        let doing = format!("save the quick-start copy of the {}", R::STORE);
        let tx = self.tx(&[META_STORE, SNAPSHOT_STORE], TransactionMode::ReadWrite, &doing)?;
        let written = async {
            let now = read_generation(&tx.store(META_STORE)?, R::STORE).await?;
            if now != gen {
                return Ok(false);
            }
            tx.store(SNAPSHOT_STORE)?.put(&JsValue::from_str(&value), Some(&JsValue::from_str(R::STORE))).await?;
            Ok::<_, rexie::Error>(true)
        }
        .await
        .map_err(|e| StorageError::from_idb(&doing, e))?;
        match tx.done().await {
            Ok(r) if r.is_committed() => Ok(written),
            Ok(_) => Ok(false),
            Err(e) => Err(StorageError::from_idb(&doing, e)),
        }
    }

    fn tx(&self, stores: &[&str], mode: TransactionMode, doing: &str) -> Result<rexie::Transaction> {
        self.refuse_if_outdated()?;
        self.rexie.transaction(stores, mode).map_err(|e| StorageError::from_idb(doing, e))
    }

    /// Brings every record on disk to [`SCHEMA_VERSION`], in one transaction with the new
    /// version number, so a half-migrated database cannot exist.
    async fn migrate(&self) -> Result<()> {
        let doing = "update the stored records to this version of CareCoord";
        let mut stores: Vec<&str> = DATA_STORES.to_vec();
        stores.push(META_STORE);
        let tx = self.tx(&stores, TransactionMode::ReadWrite, doing)?;
        let outcome = async {
            let meta = tx.store(META_STORE)?;
            let on_disk = meta.get(JsValue::from_str(SCHEMA_KEY)).await?.and_then(|v| v.as_f64()).map(|v| v as u32);
            let from = match on_disk {
                Some(v) if v >= SCHEMA_VERSION => return Ok(Ok(())),
                Some(v) => v,
                // No version written: a new database (nothing to migrate) or one from
                // before the meta store was filled in, which was schema 1.
                None => 1,
            };
            for name in DATA_STORES {
                let store = tx.store(name)?;
                let keys = store.get_all_keys(None, None).await?;
                let values = store.get_all(None, None).await?;
                let mut migrated = Vec::with_capacity(values.len());
                for (i, value) in values.iter().enumerate() {
                    let mut record: Value = match value.as_string().map(|s| serde_json::from_str(&s)) {
                        Some(Ok(v)) => v,
                        _ => return Ok(Err(format!("record {} of {name} is not readable", i + 1))),
                    };
                    if let Err(e) = schema::migrate_record(name, from, &mut record) {
                        return Ok(Err(format!("record {} of {name}: {e}", i + 1)));
                    }
                    migrated.push((JsValue::from_str(&record.to_string()), Some(keys[i].clone())));
                }
                store.put_all(migrated.into_iter()).await?;
            }
            // Snapshots were built from records in the old shape: raise each snapshotted
            // store's generation so that none of them is used again.
            for store in snapshotted() {
                let gen = read_generation(&meta, store).await?;
                meta.put(&JsValue::from_f64((gen + 1) as f64), Some(&JsValue::from_str(&generation_key(store)))).await?;
            }
            meta.put(&JsValue::from_f64(SCHEMA_VERSION as f64), Some(&JsValue::from_str(SCHEMA_KEY))).await?;
            Ok::<_, rexie::Error>(Ok(()))
        }
        .await;
        match outcome {
            Ok(Ok(())) => match tx.done().await {
                Ok(r) if r.is_committed() => Ok(()),
                Ok(_) => Err(StorageError::new(format!("Could not {doing}: the browser cancelled it."))),
                Err(e) => Err(StorageError::from_idb(doing, e)),
            },
            Ok(Err(problem)) => {
                let _ = tx.abort().await;
                Err(StorageError::new(format!("Could not {doing}: {problem}. Nothing was changed.")))
            }
            Err(e) => {
                let _ = tx.abort().await;
                Err(StorageError::from_idb(doing, e))
            }
        }
    }
}

/// Separates records when many are read at once; serde_json escapes every control
/// character inside strings, so it never occurs in a stored record.
const RECORD_SEPARATOR: &str = "\u{1e}";

/// Records joined into one string per crossing: enough that crossings cost nothing, few
/// enough that the joined text stays small (30,000 referrals are 30 MB of JSON; read at
/// once, the copy and the parse left 150 MB of wasm memory behind).
const RECORDS_PER_CROSSING: usize = 2_000;

/// Reads many stored records with one crossing from JS to Rust per [`RECORDS_PER_CROSSING`]
/// (a joined string) instead of one per record: at 10,000 records the crossings, not the
/// parsing, were the cost.
/// Deletes a patient and every record that belongs to them, in a readwrite transaction
/// that covers every store the declaration marks as owned.
/// Every record deleted is added to `deleted` (for the other tabs).
async fn delete_patient_records(tx: &rexie::Transaction, patient_id: &str, deleted: &mut Vec<(&'static str, String)>) -> rexie::Result<()> {
    #[derive(serde::Deserialize)]
    struct Owned {
        id: String,
        #[serde(default)]
        patient_id: String,
    }
    for spec in STORES.iter().filter(|s| s.owner != Owner::None) {
        let store = tx.store(spec.name)?;
        match spec.owner {
            Owner::None => {}
            Owner::Patient => store.delete(JsValue::from_str(patient_id)).await?,
            Owner::ByPatientId => {
                for value in store.get_all(None, None).await? {
                    let owned = value.as_string().and_then(|text| serde_json::from_str::<Owned>(&text).ok());
                    if let Some(o) = owned.filter(|o| o.patient_id == patient_id) {
                        store.delete(JsValue::from_str(&o.id)).await?;
                        deleted.push((spec.name, o.id));
                    }
                }
            }
        }
    }
    Ok(())
}

/// Every record of `store`, read in a transaction already open.
async fn read_all_in<R: DeserializeOwned>(tx: &rexie::Transaction, store: &str, doing: &str) -> Result<Vec<R>> {
    let store = tx.store(store).map_err(|e| StorageError::from_idb(doing, e))?;
    let values = store.get_all(None, None).await.map_err(|e| StorageError::from_idb(doing, e))?;
    from_stored_all(values)
}

fn from_stored_all<R: DeserializeOwned>(values: Vec<JsValue>) -> Result<Vec<R>> {
    if values.iter().any(|v| !v.is_string()) {
        return Err(StorageError::new("A stored record is not in the expected form. Export a backup and ask for help."));
    }
    let mut out = Vec::with_capacity(values.len());
    for chunk in values.chunks(RECORDS_PER_CROSSING) {
        let array: js_sys::Array = chunk.iter().collect();
        let joined: String = array.join(RECORD_SEPARATOR).into();
        out.extend(parse_joined::<R>(&joined)?);
    }
    Ok(out)
}

/// Records written one after another, separated by [`RECORD_SEPARATOR`].
fn parse_joined<R: DeserializeOwned>(joined: &str) -> Result<Vec<R>> {
    if joined.is_empty() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for text in joined.split(RECORD_SEPARATOR) {
        match serde_json::from_str(text) {
            Ok(record) => out.push(record),
            Err(e) => return Err(unreadable::<R>(&e)),
        }
    }
    Ok(out)
}

/// A snapshot as stored: the generation, then each record as stored, all joined by the
/// record separator.
pub fn snapshot_value<R: Serialize>(records: &[R], gen: u64) -> String {
    let mut value = gen.to_string();
    for r in records {
        value.push_str(RECORD_SEPARATOR);
        value.push_str(&to_json(r));
    }
    value
}

/// A store's generation in the `meta` store (0 before the first write).
async fn read_generation(meta: &rexie::Store, store: &str) -> rexie::Result<u64> {
    Ok(meta.get(JsValue::from_str(&generation_key(store))).await?.and_then(|v| v.as_f64()).map_or(0, |v| v as u64))
}

fn from_stored<R: DeserializeOwned>(value: &JsValue) -> Result<R> {
    let text = value
        .as_string()
        .ok_or_else(|| StorageError::new("A stored record is not in the expected form. Export a backup and ask for help."))?;
    serde_json::from_str(&text).map_err(|e| unreadable::<R>(&e))
}

/// A stored record that does not parse. The console gets where and what kind of problem,
/// never serde's own text, which quotes the value it choked on.
fn unreadable<R>(e: &serde_json::Error) -> StorageError {
    let kind = std::any::type_name::<R>().rsplit("::").next().unwrap_or("record");
    let detail = format!("storage: unreadable {kind}: {:?} error at line {}, column {}", e.classify(), e.line(), e.column());
    web_sys::console::error_1(&JsValue::from_str(&detail));
    StorageError::new("A stored record could not be read. Export a backup and ask for help.")
}
