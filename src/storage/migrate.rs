//! Bringing the records on disk to the current schema ([`Db::migrate`]).

use rexie::TransactionMode;
use serde_json::Value;
use wasm_bindgen::JsValue;

use super::snapshot::{raise_generation, snapshotted};
use super::{Db, Result, StorageError, META_STORE, SCHEMA_KEY};
use crate::model::schema::{self, DATA_STORES, SCHEMA_VERSION};
use crate::model::{Condition, Record};

impl Db {
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
    /// Brings every record on disk to [`SCHEMA_VERSION`], in one transaction with the new
    /// version number, so a half-migrated database cannot exist.
    pub(super) async fn migrate(&self) -> Result<()> {
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
                    if super::vault::is_sealed(value) {
                        continue; // brought to this schema as it is opened (`vault`)
                    }
                    let mut record: Value = match value.as_string().map(|s| serde_json::from_str(&s)) {
                        Some(Ok(v)) => v,
                        _ => return Ok(Err(format!("record {} of {name} is not readable", i + 1))),
                    };
                    if let Err(e) = schema::migrate_record(name, from, &mut record) {
                        return Ok(Err(format!("record {} of {name}: {e}", i + 1)));
                    }
                    let mut key = keys[i].clone();
                    if *name == Condition::STORE {
                        // A problem's id made from the file's keys becomes a random one.
                        if let Ok(mut c) = serde_json::from_value::<Condition>(record.clone()) {
                            if !c.has_opaque_id() {
                                store.delete(key).await?;
                                c.rekey(crate::web::new_id());
                                key = JsValue::from_str(&c.id);
                                record = serde_json::to_value(&c).unwrap_or(record);
                            }
                        }
                    }
                    migrated.push((JsValue::from_str(&record.to_string()), Some(key)));
                }
                store.put_all(migrated.into_iter()).await?;
            }
            // Snapshots were built from records in the old shape: raise each snapshotted
            // store's generation so that none of them is used again.
            for store in snapshotted() {
                raise_generation(&meta, store).await?;
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
