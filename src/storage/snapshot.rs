//! The quick-start snapshots of the [`snapshotted`] stores and the generations that say
//! whether a snapshot is current.

use rexie::TransactionMode;
use serde::{de::DeserializeOwned, Serialize};
use wasm_bindgen::JsValue;

use super::batch::to_json;
use super::read::{from_stored_all, RECORD_SEPARATOR};
use super::{Db, Result, StorageError, META_STORE, SNAPSHOT_STORE};
use crate::model::stores;
use crate::model::{Patient, Record};

/// The stores read at start through a snapshot (one value in [`SNAPSHOT_STORE`] under the
/// store's name): the two that grow to tens of thousands of records. For each, `meta` holds
/// a counter (`"{store}_generation"`) raised by every write that touches the store, in the
/// same transaction; a snapshot is used only when it was built at the current count.
pub fn snapshotted() -> impl Iterator<Item = &'static str> {
    stores::snapshotted()
}

pub(super) fn generation_key(store: &str) -> String {
    format!("{store}_generation")
}

impl Db {
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
            let snapshot = tx.store(SNAPSHOT_STORE)?.get(JsValue::from_str(R::STORE)).await?;
            Ok::<_, rexie::Error>((gen, snapshot))
        }
        .await
        .map_err(|e| StorageError::from_idb(&doing, e))?;
        drop(tx);
        let snapshot = match snapshot {
            Some(value) => self.open_snapshot(R::STORE, value).await,
            None => None,
        };
        if let Some(snapshot) = snapshot {
            // Split in JS, then cross into wasm 2,000 records at a time: the 30 MB string of
            // 30,000 referrals is never copied into wasm memory whole.
            let parts: Vec<JsValue> = snapshot.split(RECORD_SEPARATOR).iter().collect();
            if let Some((built_at, records)) = parts.split_first() {
                if built_at.as_string().and_then(|b| b.parse::<u64>().ok()) == Some(gen) {
                    if let Ok(list) = from_stored_all(records.to_vec()) {
                        return Ok((list, gen, true));
                    }
                }
            }
        }
        // No current snapshot: the records themselves, and the generation they were read at.
        let (gen, values) = self.opened_at_generation(R::STORE, &doing).await?;
        Ok((from_stored_all(values)?, gen, false))
    }

    /// Rebuilds the snapshot of `R`'s store from the records on disk at one generation:
    /// what every tab's writes left there, never one tab's memory (a tab that missed
    /// another's new patient cannot drop it from the snapshot). The records and their
    /// generation are read in one transaction, opened and joined (in JS: none crosses into
    /// wasm), sealed when the store is, and stored only if the generation is still the
    /// same (else a later rebuild follows the later write).
    pub async fn rebuild_snapshot<R: Record>(&self) -> Result<()> {
        let doing = format!("save the quick-start copy of the {}", R::STORE);
        let (gen, values) = self.opened_at_generation(R::STORE, &doing).await?;
        let parts = js_sys::Array::new_with_length(0);
        parts.push(&JsValue::from_str(&gen.to_string()));
        for v in values.iter().filter(|v| v.is_string()) {
            parts.push(v);
        }
        let value = self.seal_snapshot(R::STORE, &parts.join(RECORD_SEPARATOR)).await?;
        self.put_snapshot::<R>(value, gen, &doing).await.map(|_| ())
    }

    /// Every record of snapshotted `store` and the generation they belong to, read in one
    /// transaction and opened (decrypted) after it: JS strings of JSON.
    async fn opened_at_generation(&self, store: &str, doing: &str) -> Result<(u64, Vec<JsValue>)> {
        let tx = self.tx(&[META_STORE, store], TransactionMode::ReadOnly, doing)?;
        let (gen, values) = async {
            let gen = read_generation(&tx.store(META_STORE)?, store).await?;
            let values = tx.store(store)?.get_all(None, None).await?;
            Ok::<_, rexie::Error>((gen, values))
        }
        .await
        .map_err(|e| StorageError::from_idb(doing, e))?;
        drop(tx);
        Ok((gen, self.open_values(store, values).await?))
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
        let value = self.seal_snapshot(R::STORE, &js_sys::JsString::from(value)).await?;
        self.put_snapshot::<R>(value, gen, &doing).await
    }

    /// Stores `value` as `R`'s snapshot if the store is still at generation `gen`.
    async fn put_snapshot<R: Record>(&self, value: JsValue, gen: u64, doing: &str) -> Result<bool> {
        let tx = self.tx(&[META_STORE, SNAPSHOT_STORE], TransactionMode::ReadWrite, doing)?;
        let written = async {
            let now = read_generation(&tx.store(META_STORE)?, R::STORE).await?;
            if now != gen {
                return Ok(false);
            }
            tx.store(SNAPSHOT_STORE)?.put(&value, Some(&JsValue::from_str(R::STORE))).await?;
            Ok::<_, rexie::Error>(true)
        }
        .await
        .map_err(|e| StorageError::from_idb(doing, e))?;
        match tx.done().await {
            Ok(r) if r.is_committed() => Ok(written),
            Ok(_) => Ok(false),
            Err(e) => Err(StorageError::from_idb(doing, e)),
        }
    }
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

/// Raises `store`'s generation by one in `meta` (inside the caller's readwrite
/// transaction) and returns the new one: every write that touches a snapshotted store, and
/// a migration, makes the snapshot built before it stale.
pub(super) async fn raise_generation(meta: &rexie::Store, store: &str) -> rexie::Result<u64> {
    let gen = read_generation(meta, store).await? + 1;
    meta.put(&JsValue::from_f64(gen as f64), Some(&JsValue::from_str(&generation_key(store)))).await?;
    Ok(gen)
}

/// A store's generation in the `meta` store (0 before the first write).
pub(super) async fn read_generation(meta: &rexie::Store, store: &str) -> rexie::Result<u64> {
    Ok(meta.get(JsValue::from_str(&generation_key(store))).await?.and_then(|v| v.as_f64()).map_or(0, |v| v as u64))
}
