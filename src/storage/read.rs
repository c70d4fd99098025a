//! Reading records: one store, one record, one record's history, and the parsing of what
//! crosses from JS.

use rexie::{KeyRange, TransactionMode};
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;

use super::{Db, Result, StorageError};
use crate::model::{Change, Record};

impl Db {
    /// Every record of `R`'s store, read in one `getAll`.
    pub async fn load_all<R: Record + DeserializeOwned>(&self) -> Result<Vec<R>> {
        let doing = format!("read the {}", R::STORE);
        let tx = self.tx(&[R::STORE], TransactionMode::ReadOnly, &doing)?;
        let store = tx.store(R::STORE).map_err(|e| StorageError::from_idb(&doing, e))?;
        let values = store.get_all(None, None).await.map_err(|e| StorageError::from_idb(&doing, e))?;
        drop(tx);
        from_stored_all(self.open_values(R::STORE, values).await?)
    }

    /// One record by id.
    pub async fn get<R: Record + DeserializeOwned>(&self, id: &str) -> Result<Option<R>> {
        let doing = format!("read a record of {}", R::STORE);
        let tx = self.tx(&[R::STORE], TransactionMode::ReadOnly, &doing)?;
        let store = tx.store(R::STORE).map_err(|e| StorageError::from_idb(&doing, e))?;
        let v = store.get(JsValue::from_str(id)).await.map_err(|e| StorageError::from_idb(&doing, e))?;
        drop(tx);
        match v {
            None => Ok(None),
            Some(v) => from_stored::<R>(&self.open_value(R::STORE, v).await?).map(Some),
        }
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
        drop(tx);
        from_stored_all(self.open_values(Change::STORE, values).await?)
    }
}

/// Separates records when many are read at once; serde_json escapes every control
/// character inside strings, so it never occurs in a stored record.
pub(super) const RECORD_SEPARATOR: &str = "\u{1e}";

/// Records joined into one string per crossing: enough that crossings cost nothing, few
/// enough that the joined text stays small (30,000 referrals are 30 MB of JSON; read at
/// once, the copy and the parse left 150 MB of wasm memory behind).
const RECORDS_PER_CROSSING: usize = 2_000;

/// Every value of `store` as stored (perhaps sealed), read in a transaction already open.
pub(super) async fn raw_all_in(tx: &rexie::Transaction, store: &str, doing: &str) -> Result<Vec<JsValue>> {
    let store = tx.store(store).map_err(|e| StorageError::from_idb(doing, e))?;
    store.get_all(None, None).await.map_err(|e| StorageError::from_idb(doing, e))
}

/// Reads many stored records with one crossing from JS to Rust per [`RECORDS_PER_CROSSING`]
/// (a joined string) instead of one per record: at 10,000 records the crossings, not the
/// parsing, were the cost.
pub(super) fn from_stored_all<R: DeserializeOwned>(values: Vec<JsValue>) -> Result<Vec<R>> {
    let mut out = Vec::with_capacity(values.len());
    for_each_stored(values, |r| out.push(r))?;
    Ok(out)
}

/// [`from_stored_all`] a chunk at a time, each record handed to `each` as it is parsed: only
/// one chunk's records are in memory at once besides what `each` keeps.
pub(super) fn for_each_stored<R: DeserializeOwned>(values: Vec<JsValue>, mut each: impl FnMut(R)) -> Result<()> {
    if values.iter().any(|v| !v.is_string()) {
        return Err(StorageError::new("A stored record is not in the expected form. Export a backup and ask for help."));
    }
    for chunk in values.chunks(RECORDS_PER_CROSSING) {
        let array: js_sys::Array = chunk.iter().collect();
        let joined: String = array.join(RECORD_SEPARATOR).into();
        parse_joined::<R>(&joined)?.into_iter().for_each(&mut each);
    }
    Ok(())
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

pub(super) fn from_stored<R: DeserializeOwned>(value: &JsValue) -> Result<R> {
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
