//! The kiosk's own database, `carecoord-kiosk`: the resource directory a waiting-room tablet
//! shows and where that copy came from. Nothing else is in it, and the kiosk binary has no
//! code for any other database or store.
//!
//! One store, `directory`: under `text`, the directory as one HSDS 3 JSON document (what
//! **Export directory** writes, and what the clinic publishes as `directory.json`), and under
//! `held`, the [`HeldDirectory`] note of where it came from. Both are replaced in one
//! transaction, so a kiosk never shows half of one directory and half of another. Keeping
//! the one published form means the kiosk has one reader (`io::hsds::parse_hsds3_json`).

use rexie::{ObjectStore, Rexie, TransactionMode};
use wasm_bindgen::JsValue;

use super::{refused_at_commit, Result, StorageError};
use crate::model::kiosk_directory::HeldDirectory;

/// The kiosk's database name.
pub const KIOSK_DB: &str = "carecoord-kiosk";
const VERSION: u32 = 1;
const STORE: &str = "directory";
const TEXT: &str = "text";
const HELD: &str = "held";

/// An open kiosk database.
pub struct KioskDb {
    rexie: Rexie,
}

/// What the kiosk holds: the directory as HSDS 3 JSON and where it came from (both `None`
/// before the first copy).
pub struct KioskCopy {
    pub text: Option<String>,
    pub held: Option<HeldDirectory>,
}

/// Opens (and on first use creates) the kiosk's database `name` ([`KIOSK_DB`]; tests use
/// their own).
pub async fn open(name: &str) -> Result<KioskDb> {
    let rexie = Rexie::builder(name)
        .version(VERSION)
        .add_object_store(ObjectStore::new(STORE))
        .build()
        .await
        .map_err(|e| StorageError::from_idb("open the kiosk's storage", e))?;
    Ok(KioskDb { rexie })
}

/// Deletes the kiosk database `name` (tests).
pub async fn delete(name: &str) -> Result<()> {
    Rexie::delete(name).await.map_err(|e| StorageError::from_idb("delete the kiosk's storage", e))
}

impl KioskDb {
    /// Closes the connection (so the database can be deleted or upgraded).
    pub fn close(self) {
        self.rexie.close();
    }

    /// What the kiosk holds, read in one transaction.
    pub async fn load(&self) -> Result<KioskCopy> {
        let doing = "read the kiosk's directory";
        let idb = |e| StorageError::from_idb(doing, e);
        let tx = self.rexie.transaction(&[STORE], TransactionMode::ReadOnly).map_err(idb)?;
        let store = tx.store(STORE).map_err(idb)?;
        let text = store.get(JsValue::from_str(TEXT)).await.map_err(idb)?.and_then(|v| v.as_string());
        let held = store.get(JsValue::from_str(HELD)).await.map_err(idb)?.and_then(|v| v.as_string());
        drop(tx);
        // A damaged note of where the copy came from only means the next published file is taken.
        let held = held.and_then(|text| serde_json::from_str(&text).ok());
        Ok(KioskCopy { text, held })
    }

    /// Replaces the copy with `text` (HSDS 3 JSON), noting `held`, in one transaction:
    /// committed as a whole or not at all.
    pub async fn replace(&self, text: &str, held: &HeldDirectory) -> Result<()> {
        let doing = "keep the directory on this kiosk";
        let idb = |e| StorageError::from_idb(doing, e);
        let note = serde_json::to_string(held).map_err(|_| StorageError::new(format!("Could not {doing}. Nothing was changed.")))?;
        let tx = self.rexie.transaction(&[STORE], TransactionMode::ReadWrite).map_err(idb)?;
        let written = async {
            let store = tx.store(STORE)?;
            store.put(&JsValue::from_str(text), Some(&JsValue::from_str(TEXT))).await?;
            store.put(&JsValue::from_str(&note), Some(&JsValue::from_str(HELD))).await?;
            Ok::<(), rexie::Error>(())
        }
        .await;
        match written {
            Ok(()) => match tx.done().await {
                Ok(r) if r.is_committed() => Ok(()),
                Ok(_) => Err(refused_at_commit(doing, text.len() + note.len()).await),
                Err(e) => Err(idb(e)),
            },
            Err(e) => {
                let _ = tx.abort().await;
                Err(idb(e))
            }
        }
    }
}
