//! The quick-start snapshots of the [`snapshotted`] stores and the generations that say
//! whether a snapshot is current.

use std::marker::PhantomData;

use rexie::TransactionMode;
use serde::{de::DeserializeOwned, Serialize};
use wasm_bindgen::JsValue;

use super::batch::to_json;
use super::read::{for_each_stored, from_stored_all, RECORD_SEPARATOR};
use super::{Db, Result, StorageError, META_STORE, SNAPSHOT_STORE};
use crate::model::stores;
use crate::model::{Listed, Patient};
use crate::web::mark;

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

/// Whether `R`'s snapshot is kept in two parts ([`Listed::FIRST_PART`] says where the first ends).
fn in_parts<R: Listed>() -> bool {
    R::FIRST_PART != usize::MAX
}

/// What a snapshot of `R`'s store built at generation `gen` starts with: the generation,
/// and for a store whose records are held without some of their parts ([`Listed::TRIMMED`])
/// the word `listed`, for one kept in two parts the words `in parts`, so a snapshot of
/// another shape from an older version is not taken for one.
fn snapshot_tag<R: Listed>(gen: u64) -> String {
    if R::TRIMMED {
        format!("{gen} listed")
    } else if in_parts::<R>() {
        format!("{gen} in parts")
    } else {
        gen.to_string()
    }
}

impl Db {
    /// Every patient, from the snapshot when it is current, else from the records. Also
    /// returns the generation they belong to and whether the snapshot was used.
    pub async fn load_patients(&self) -> Result<(Vec<Patient>, u64, bool)> {
        self.load_snapshotted().await
    }

    /// Stores `patients` (in the panel's name order) as the snapshot of generation `gen`,
    /// unless another write has changed the patients since (then nothing is written and
    /// `false` is returned).
    pub async fn save_patients_snapshot(&self, patients: &[Patient], gen: u64) -> Result<bool> {
        let mut sorted = patients.to_vec();
        Patient::sort_list(&mut sorted);
        self.save_snapshot(&sorted, gen).await
    }

    /// Every record of a [`snapshotted`] store as lists hold it ([`Listed::listed`]: a
    /// referral without its history), from its snapshot when it is current, else from the
    /// records; with the generation they belong to and whether the snapshot was used.
    pub async fn load_snapshotted<R: Listed + DeserializeOwned>(&self) -> Result<(Vec<R>, u64, bool)> {
        let parts = self.load_in_parts::<R>().await?;
        let (mut list, gen, from_snapshot) = (parts.first, parts.gen, parts.from_snapshot);
        match self.load_rest(parts.rest).await? {
            RestOf::More(more) => {
                list.extend(more);
                Ok((list, gen, from_snapshot))
            }
            RestOf::Everything(all, gen) => Ok((all, gen, false)),
        }
    }

    /// [`Db::load_snapshotted`] in two steps: the first part of the snapshot (its first
    /// [`Listed::FIRST_PART`] records in [`Listed::sort_list`] order: the newest 1,000
    /// referrals, the first 100 patients by name; one small value) read and parsed now, the
    /// rest by [`Db::load_rest`]. A part is used only while it was built at the store's
    /// current generation.
    pub async fn load_in_parts<R: Listed + DeserializeOwned>(&self) -> Result<InParts<R>> {
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
        mark(&format!("carecoord:{}-snapshot-got", R::STORE));
        if let Some(first) = self.snapshot_part::<R>(R::STORE, snapshot, gen).await {
            let rest = Rest { gen, whole: !in_parts::<R>(), _of: PhantomData };
            return Ok(InParts { first, rest, gen, from_snapshot: true });
        }
        // No current snapshot: the records themselves (all of them, in their list order),
        // and the generation they were read at.
        let (list, gen) = self.listed_from_records::<R>(&doing, false).await?;
        Ok(InParts { first: list, rest: Rest { gen, whole: true, _of: PhantomData }, gen, from_snapshot: false })
    }

    /// The rest of [`Db::load_in_parts`]: the snapshot's second part when it was built at the
    /// same generation as the first, else every record read again.
    pub async fn load_rest<R: Listed + DeserializeOwned>(&self, rest: Rest<R>) -> Result<RestOf<R>> {
        if rest.whole {
            return Ok(RestOf::More(Vec::new()));
        }
        let doing = format!("read the {}", R::STORE);
        let key = rest_key(R::STORE);
        let tx = self.tx(&[SNAPSHOT_STORE], TransactionMode::ReadOnly, &doing)?;
        let value = async { tx.store(SNAPSHOT_STORE)?.get(JsValue::from_str(&key)).await }.await.map_err(|e| StorageError::from_idb(&doing, e))?;
        drop(tx);
        if let Some(more) = self.snapshot_part::<R>(&key, value, rest.gen).await {
            return Ok(RestOf::More(more));
        }
        let (list, gen) = self.listed_from_records::<R>(&doing, false).await?;
        Ok(RestOf::Everything(list, gen))
    }

    /// One part of a snapshot, parsed, if it is there, opens and was built at `gen`.
    async fn snapshot_part<R: Listed + DeserializeOwned>(&self, key: &str, value: Option<JsValue>, gen: u64) -> Option<Vec<R>> {
        let text = self.open_snapshot(key, value?).await?;
        // Split in JS, then cross into wasm 2,000 records at a time: a snapshot of many
        // megabytes is never copied into wasm memory whole.
        let mut parts: Vec<JsValue> = text.split(RECORD_SEPARATOR).iter().collect();
        if parts.is_empty() || !parts[0].as_string().is_some_and(|b| b == snapshot_tag::<R>(gen)) {
            return None;
        }
        parts.remove(0);
        mark(&format!("carecoord:{key}-snapshot-split"));
        from_stored_all(parts).ok()
    }

    /// Every record of `R`'s store as lists hold it, in their list order, and the
    /// generation they were read at. In the background (`in_steps`) the page gets a turn
    /// between chunks of 2,000: 30,000 referrals are never one long task.
    async fn listed_from_records<R: Listed + DeserializeOwned>(&self, doing: &str, in_steps: bool) -> Result<(Vec<R>, u64)> {
        let (gen, values) = self.opened_at_generation(R::STORE, doing).await?;
        let mut list = Vec::with_capacity(values.len());
        if in_steps {
            for chunk in values.chunks(2_000) {
                for_each_stored::<R>(chunk.to_vec(), |r| list.push(r.listed()))?;
                crate::web::sleep(0).await;
            }
        } else {
            for_each_stored::<R>(values, |r| list.push(r.listed()))?;
        }
        R::sort_list(&mut list);
        Ok((list, gen))
    }

    /// Rebuilds the snapshot of `R`'s store from the records on disk at one generation:
    /// what every tab's writes left there, never one tab's memory (a tab that missed
    /// another's new patient cannot drop it from the snapshot). The records and their
    /// generation are read in one transaction, opened, sealed when the store is, and stored
    /// only if the generation is still the same (else a later rebuild follows the later
    /// write). A store kept in two parts ([`Listed::FIRST_PART`]: the patients, the
    /// referrals) or whose records are held without some of their parts ([`Listed::TRIMMED`])
    /// crosses into wasm a chunk at a time, each record written again as listed, in list
    /// order; any other is joined in JS, no record crossing.
    pub async fn rebuild_snapshot<R: Listed + Serialize + DeserializeOwned>(&self) -> Result<()> {
        let doing = format!("save the quick-start copy of the {}", R::STORE);
        if R::TRIMMED || in_parts::<R>() {
            let (list, gen) = self.listed_from_records::<R>(&doing, true).await?;
            return self.save_snapshot(&list, gen).await.map(|_| ());
        }
        let (gen, values) = self.opened_at_generation(R::STORE, &doing).await?;
        let parts = js_sys::Array::new_with_length(0);
        parts.push(&JsValue::from_str(&snapshot_tag::<R>(gen)));
        for v in values.iter().filter(|v| v.is_string()) {
            parts.push(v);
        }
        let value = self.seal_snapshot(R::STORE, R::STORE, &parts.join(RECORD_SEPARATOR)).await?;
        self.put_snapshot::<R>(vec![(R::STORE.to_string(), value)], gen, &doing).await.map(|_| ())
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

    /// Stores `records` (as lists hold them, [`Listed::listed`], in their list order) as the
    /// snapshot of their store at generation `gen`, in its parts, unless another write has
    /// changed the store since (then nothing is written and `false` is returned).
    pub async fn save_snapshot<R: Listed + Serialize>(&self, records: &[R], gen: u64) -> Result<bool> {
        let doing = format!("save the quick-start copy of the {}", R::STORE);
        let (first, rest) = records.split_at(R::FIRST_PART.min(records.len()));
        let mut parts = vec![(R::STORE.to_string(), snapshot_value(first, gen))];
        if in_parts::<R>() {
            parts.push((rest_key(R::STORE), snapshot_value(rest, gen)));
        }
        let mut sealed = Vec::with_capacity(parts.len());
        for (key, text) in parts {
            let value = self.seal_snapshot(R::STORE, &key, &js_sys::JsString::from(text)).await?;
            sealed.push((key, value));
        }
        self.put_snapshot::<R>(sealed, gen, &doing).await
    }

    /// [`Db::save_snapshot`]'s first (or only) part with the value already made by
    /// [`snapshot_value`].
    pub async fn save_snapshot_value<R: Listed>(&self, value: String, gen: u64) -> Result<bool> {
        let doing = format!("save the quick-start copy of the {}", R::STORE);
        let value = self.seal_snapshot(R::STORE, R::STORE, &js_sys::JsString::from(value)).await?;
        self.put_snapshot::<R>(vec![(R::STORE.to_string(), value)], gen, &doing).await
    }

    /// Stores the parts of `R`'s snapshot (key, value) if the store is still at generation `gen`.
    async fn put_snapshot<R: Listed>(&self, parts: Vec<(String, JsValue)>, gen: u64, doing: &str) -> Result<bool> {
        let tx = self.tx(&[META_STORE, SNAPSHOT_STORE], TransactionMode::ReadWrite, doing)?;
        let written = async {
            let now = read_generation(&tx.store(META_STORE)?, R::STORE).await?;
            if now != gen {
                return Ok(false);
            }
            let snapshots = tx.store(SNAPSHOT_STORE)?;
            for (key, value) in &parts {
                snapshots.put(value, Some(&JsValue::from_str(key))).await?;
            }
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

/// The key of a snapshot's second part in the snapshots store.
fn rest_key(store: &str) -> String {
    format!("{store}:rest")
}

/// A snapshotted store's records as read by [`Db::load_in_parts`]: the first part parsed,
/// the rest to read with [`Db::load_rest`].
pub struct InParts<R> {
    pub first: Vec<R>,
    pub rest: Rest<R>,
    /// The generation of the store they belong to.
    pub gen: u64,
    /// Whether they came from the quick-start snapshot.
    pub from_snapshot: bool,
}

/// What is left to read after [`InParts::first`].
pub struct Rest<R> {
    gen: u64,
    /// Nothing is left: the first part was everything.
    whole: bool,
    _of: PhantomData<R>,
}

impl<R> Rest<R> {
    /// Whether anything is left to read (the first part was not everything).
    pub fn is_empty(&self) -> bool {
        self.whole
    }
}

/// What [`Db::load_rest`] read.
pub enum RestOf<R> {
    /// The records after the first part.
    More(Vec<R>),
    /// The second part was gone or from another generation: every record, read again, and
    /// the generation they belong to (they replace the first part).
    Everything(Vec<R>, u64),
}

/// A snapshot as stored: its tag (the generation), then each record as lists hold it (in
/// [`Listed::list_order`] when built from disk), all joined by the record separator.
pub fn snapshot_value<R: Listed + Serialize>(records: &[R], gen: u64) -> String {
    let mut value = snapshot_tag::<R>(gen);
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
