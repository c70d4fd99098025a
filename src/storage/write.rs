//! Writing: [`Db::write`] (a whole [`WriteBatch`]) and [`Db::update`] (one record as it is
//! on disk), each in one transaction with its journal entry.

use rexie::TransactionMode;

use wasm_bindgen::JsValue;

use super::batch::to_json;
use super::read::from_stored;
use super::snapshot::{raise_generation, snapshotted};
use super::{refused_at_commit, tabs, Db, Result, StorageError, WriteBatch, Written, META_STORE};
use crate::model::stores::{Owner, STORES};
use crate::model::revision::Revised;
use crate::model::{Change, Record};

impl Db {
    /// Reads record `id` of `R`'s store, lets `change` change it (or refuse, with a reason
    /// of its own) and puts it back, its revision raised by one, with the journal entry
    /// `journal` makes of the result: all in one readwrite transaction. The change applies
    /// to the record as it is on disk at that moment, never to a copy taken when a view was
    /// drawn, so two quick changes to one record both stay; a change made to such a copy
    /// checks its revision in `change` (see `model::revision::rebase`). When there is no
    /// such record, or `change` refuses, nothing is written.
    pub async fn update<R: Revised, E>(
        &self,
        id: &str,
        change: impl FnOnce(&mut R) -> std::result::Result<(), E>,
        journal: impl FnOnce(&R) -> Change,
        doing: &str,
    ) -> Result<Updated<R, E>> {
        let snapshotted_store = snapshotted().any(|s| s == R::STORE);
        let mut stores = vec![R::STORE, Change::STORE];
        if snapshotted_store {
            stores.push(META_STORE);
        }
        let tx = self.tx(&stores, TransactionMode::ReadWrite, doing)?;
        let mut bytes = 0;
        let outcome = async {
            let store = tx.store(R::STORE)?;
            let Some(value) = store.get(JsValue::from_str(id)).await? else { return Ok(Ok(Updated::Missing)) };
            let mut record: R = match from_stored(&value) {
                Ok(r) => r,
                Err(e) => return Ok(Err(e)),
            };
            let rev = record.rev();
            if let Err(refused) = change(&mut record) {
                return Ok(Ok(Updated::Refused(refused)));
            }
            record.set_rev(rev + 1);
            let json = to_json(&record);
            bytes = json.len();
            store.put(&JsValue::from_str(&json), Some(&JsValue::from_str(id))).await?;
            let entry = journal(&record);
            tx.store(Change::STORE)?.add(&JsValue::from_str(&to_json(&entry)), Some(&JsValue::from_str(entry.id()))).await?;
            let mut written = Written::default();
            if snapshotted_store {
                written.0.push((R::STORE, raise_generation(&tx.store(META_STORE)?, R::STORE).await?));
            }
            Ok::<_, rexie::Error>(Ok(Updated::Done(record, written)))
        }
        .await;
        match outcome {
            Ok(Ok(Updated::Done(record, written))) => match tx.done().await {
                Ok(r) if r.is_committed() => {
                    tabs::announce_one(self, R::STORE, id, &written);
                    Ok(Updated::Done(record, written))
                }
                Ok(_) => Err(refused_at_commit(doing, bytes).await),
                Err(e) => Err(StorageError::from_idb(doing, e)),
            },
            Ok(Ok(nothing)) => {
                let _ = tx.abort().await;
                Ok(nothing)
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
