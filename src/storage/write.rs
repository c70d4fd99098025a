//! Writing: [`Db::write`] (a whole [`WriteBatch`]) and [`Db::update`] (one record as it is
//! on disk), each committed in one transaction with its journal entry.
//!
//! Values of private stores are sealed before the transaction opens (an IndexedDB
//! transaction ends when it waits on a crypto promise), so a read-modify-write reads and
//! opens the record first and then, in the readwrite transaction, checks that the stored
//! value is still the one it read before it writes (and starts again if not).

use rexie::TransactionMode;
use wasm_bindgen::JsValue;

use super::batch::to_json;
use super::read::from_stored;
use super::snapshot::{raise_generation, snapshotted};
use super::vault::{is_sealed, same_value, sealed_owner};
use super::{refused_at_commit, tabs, Db, Result, StorageError, WriteBatch, Written, META_STORE};
use crate::model::revision::Revised;
use crate::model::stores::{Owner, STORES};
use crate::model::{Change, Record};

/// How many times a read-modify-write starts again when other writes keep changing its
/// record between its read and its write.
const UPDATE_ATTEMPTS: usize = 8;

impl Db {
    /// Reads record `id` of `R`'s store, lets `change` change it (or refuse, with a reason
    /// of its own) and puts it back, its revision raised by one, with the journal entry
    /// `journal` makes of the result. The change applies to the record as it is on disk at
    /// that moment, never to a copy taken when a view was drawn, so two quick changes to
    /// one record both stay: the write commits only if the stored value is still the one
    /// the change was applied to, and otherwise the change is applied again to the newer
    /// one. A change made to such a copy checks its revision in `change` (see
    /// `model::revision::rebase`). When there is no such record, or `change` refuses,
    /// nothing is written.
    pub async fn update<R: Revised, E>(
        &self,
        id: &str,
        mut change: impl FnMut(&mut R) -> std::result::Result<(), E>,
        mut journal: impl FnMut(&R) -> Change,
        doing: &str,
    ) -> Result<Updated<R, E>> {
        let snapshotted_store = snapshotted().any(|s| s == R::STORE);
        let mut stores = vec![R::STORE, Change::STORE];
        if snapshotted_store {
            stores.push(META_STORE);
        }
        for _ in 0..UPDATE_ATTEMPTS {
            // Read and open the record as stored now.
            let read = self.tx(&[R::STORE], TransactionMode::ReadOnly, doing)?;
            let raw = read.store(R::STORE).map_err(|e| StorageError::from_idb(doing, e))?.get(JsValue::from_str(id)).await.map_err(|e| StorageError::from_idb(doing, e))?;
            drop(read);
            let Some(raw) = raw else { return Ok(Updated::Missing) };
            let seen = raw.clone();
            let mut record: R = from_stored(&self.open_value(R::STORE, raw).await?)?;
            let rev = record.rev();
            if let Err(refused) = change(&mut record) {
                return Ok(Updated::Refused(refused));
            }
            record.set_rev(rev + 1);
            let entry = journal(&record);
            let json = to_json(&record);
            let bytes = json.len();
            let value = self.seal_value(R::STORE, id, &json).await?;
            let entry_value = self.seal_value(Change::STORE, entry.id(), &to_json(&entry)).await?;

            // Write it if nothing else has since.
            let tx = self.tx(&stores, TransactionMode::ReadWrite, doing)?;
            let outcome = async {
                let store = tx.store(R::STORE)?;
                let now = store.get(JsValue::from_str(id)).await?;
                if !now.is_some_and(|now| same_value(&now, &seen)) {
                    return Ok(None); // changed (or deleted) in between: read it again
                }
                store.put(&value, Some(&JsValue::from_str(id))).await?;
                tx.store(Change::STORE)?.add(&entry_value, Some(&JsValue::from_str(entry.id()))).await?;
                let mut written = Written::default();
                if snapshotted_store {
                    written.0.push((R::STORE, raise_generation(&tx.store(META_STORE)?, R::STORE).await?));
                }
                Ok::<_, rexie::Error>(Some(written))
            }
            .await;
            match outcome {
                Ok(Some(written)) => match tx.done().await {
                    Ok(r) if r.is_committed() => {
                        tabs::announce_one(self, R::STORE, id, &written);
                        return Ok(Updated::Done(record, written));
                    }
                    Ok(_) => return Err(refused_at_commit(doing, bytes).await),
                    Err(e) => return Err(StorageError::from_idb(doing, e)),
                },
                Ok(None) => {
                    let _ = tx.abort().await;
                }
                Err(e) => {
                    let _ = tx.abort().await;
                    return Err(StorageError::from_idb(doing, e));
                }
            }
        }
        Err(StorageError::new(format!("Could not {doing}: the record kept changing in another window. Nothing was changed; try again.")))
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
        // Sealed (when the device is protected) before the transaction opens.
        let mut prepared: Vec<(bool, &'static str, Vec<(JsValue, Option<JsValue>)>)> = Vec::new();
        for (ops, add) in [(&batch.adds, true), (&batch.puts, false)] {
            for name in &stores {
                let records: Vec<(String, String)> = ops.iter().filter(|op| op.0 == *name).map(|(_, id, json)| (id.clone(), json.clone())).collect();
                if records.is_empty() {
                    continue;
                }
                let keys: Vec<JsValue> = records.iter().map(|(id, _)| JsValue::from_str(id)).collect();
                let values = self.seal_values(name, records).await?;
                prepared.push((add, name, values.into_iter().zip(keys).map(|(v, k)| (v, Some(k))).collect()));
            }
        }
        let tx = self.tx(&stores, TransactionMode::ReadWrite, doing)?;
        let mut cascaded = Vec::new();
        let outcome = async {
            let mut new_gen = Written::default();
            for store in touched {
                new_gen.0.push((store, raise_generation(&tx.store(META_STORE)?, store).await?));
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
            for (add, name, items) in prepared {
                let store = tx.store(name)?;
                if add {
                    store.add_all(items.into_iter()).await?;
                } else {
                    store.put_all(items.into_iter()).await?;
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
                Ok(_) => Err(refused_at_commit(doing, batch.bytes()).await),
                Err(e) => Err(StorageError::from_idb(doing, e)),
            },
            Err(e) => {
                let _ = tx.abort().await;
                Err(StorageError::from_idb(doing, e))
            }
        }
    }
}

/// What [`Db::update`] did.
#[derive(Debug)]
pub enum Updated<R, E> {
    /// Stored, with the generations the write created.
    Done(R, Written),
    /// There is no record with that id: nothing was written.
    Missing,
    /// The change refused, for its reason: nothing was written.
    Refused(E),
}

/// Deletes a patient and every record that belongs to them, in a readwrite transaction
/// that covers every store the declaration marks as owned. A sealed record names its
/// owner in clear, so this needs no key. Every record deleted is added to `deleted` (for
/// the other tabs).
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
                    let owned = if is_sealed(&value) {
                        let (id, patient_id) = sealed_owner(&value);
                        Some(Owned { id, patient_id })
                    } else {
                        value.as_string().and_then(|text| serde_json::from_str::<Owned>(&text).ok())
                    };
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
