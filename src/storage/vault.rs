//! Encryption at rest: the data key this connection holds while the coordinator has
//! unlocked the app, and the sealing and opening of stored values.
//!
//! A value of a private store (`model::stores::is_private`: everything about a patient,
//! the journal and the snapshots; not the resource directory) is kept either in clear (a
//! JSON string, as always) or sealed: a plain JS object
//! `{ v: 1, s: <schema version>, i: <record id>, o: <owner patient id or "">, c: <IV ‖ AES-GCM ciphertext ‖ tag> }`.
//! The record's id and its owner's id are random UUIDs and say nothing about anyone; they
//! stay in clear so that keys, the history range and the delete-patient cascade work
//! without the key. The ciphertext is bound to its store and id (the GCM additional data),
//! so a value moved to another record does not open.
//!
//! Every crypto call is a promise, and an IndexedDB transaction ends when it waits on
//! anything else: values are sealed before a transaction opens and opened after it ends
//! (see `write.rs` for how a read-modify-write stays safe across the two).

use std::cell::RefCell;

use js_sys::{Array, Object, Promise, Reflect, Uint8Array};
use rexie::TransactionMode;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::crypto::AesKey;
use super::{Db, Result, StorageError, META_STORE};
use crate::model::protection::{Protection, IV_BYTES};
use crate::model::schema::{self, SCHEMA_VERSION};
use crate::model::stores::{is_private, noun, Owner, STORES};

/// The key this connection holds, and whether new values are sealed with it.
#[derive(Default)]
pub(super) struct Vault {
    key: Option<AesKey>,
    /// New and changed values of private stores are sealed (protection on, or being
    /// turned on); while it is being turned off, values are opened but written in clear.
    seal: bool,
}

const PROTECTION_KEY: &str = Protection::KEY;

fn prop(value: &JsValue, name: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// Whether a stored value is sealed (not a JSON string).
pub(super) fn is_sealed(value: &JsValue) -> bool {
    !value.is_string() && value.is_object()
}

/// What a stored value is, for comparing it before and after (a read-modify-write's check
/// that nothing wrote the record in between): the text of a plain value, the IV of a
/// sealed one (fresh at every seal).
pub(super) fn fingerprint(value: &JsValue) -> String {
    if let Some(text) = value.as_string() {
        return text;
    }
    let c = prop(value, "c");
    match c.dyn_ref::<Uint8Array>() {
        Some(bytes) if bytes.length() as usize >= IV_BYTES => crate::model::ids::hex(&bytes.subarray(0, IV_BYTES as u32).to_vec()),
        _ => String::new(),
    }
}

/// Whether two values read from the store are the same stored value: a plain one by its
/// text (compared in JS, not copied into wasm), a sealed one by its IV.
pub(super) fn same_value(a: &JsValue, b: &JsValue) -> bool {
    if a.is_string() {
        a == b
    } else {
        is_sealed(b) && fingerprint(a) == fingerprint(b)
    }
}

/// The owner patient id a sealed value carries in clear ("" for none).
pub(super) fn sealed_owner(value: &JsValue) -> (String, String) {
    (prop(value, "i").as_string().unwrap_or_default(), prop(value, "o").as_string().unwrap_or_default())
}

fn aad(store: &str, id: &str) -> Vec<u8> {
    format!("carecoord/{store}/{id}").into_bytes()
}

fn damaged(store: &str) -> StorageError {
    StorageError::new(format!(
        "A protected record ({}) could not be decrypted: it was changed or damaged outside CareCoord. Nothing was changed. Restore it from a backup.",
        noun(store).to_lowercase()
    ))
}

fn locked(store: &str) -> StorageError {
    StorageError::new(format!("CareCoord is locked: unlock it to read the {}.", store.replace('_', " ")))
}

impl Db {
    /// Holds `key` for this connection; `seal` says whether new values are sealed with it.
    pub fn use_key(&self, key: AesKey, seal: bool) {
        *self.vault.borrow_mut() = Vault { key: Some(key), seal };
    }

    /// Whether new values are sealed (protection on or being turned on).
    pub fn set_sealing(&self, seal: bool) {
        self.vault.borrow_mut().seal = seal;
    }

    /// Drops the key (the app locks by reloading, which drops everything; this is for tests
    /// and for turning protection off).
    pub fn forget_key(&self) {
        *self.vault.borrow_mut() = Vault::default();
    }

    pub fn holds_key(&self) -> bool {
        self.vault.borrow().key.is_some()
    }

    fn key(&self) -> Option<AesKey> {
        self.vault.borrow().key.clone()
    }

    fn seals(&self, store: &str) -> Option<AesKey> {
        let vault = self.vault.borrow();
        (vault.seal && is_private(store)).then(|| vault.key.clone()).flatten()
    }

    /// The protection record, if the device is protected (it is in clear: it holds the
    /// wrapped key, never the key).
    pub async fn protection(&self) -> Result<Option<Protection>> {
        let doing = "read whether this device is protected";
        let tx = self.tx(&[META_STORE], TransactionMode::ReadOnly, doing)?;
        let value = tx.store(META_STORE).map_err(|e| StorageError::from_idb(doing, e))?.get(JsValue::from_str(PROTECTION_KEY)).await.map_err(|e| StorageError::from_idb(doing, e))?;
        match value.and_then(|v| v.as_string()) {
            None => Ok(None),
            Some(text) => serde_json::from_str(&text)
                .map(Some)
                .map_err(|_| StorageError::new("This device's protection record is damaged, so its data cannot be unlocked. Restore from a backup.")),
        }
    }

    /// Keeps (or, with `None`, removes) the protection record.
    pub async fn save_protection(&self, protection: Option<&Protection>) -> Result<()> {
        let doing = "save the protection settings";
        let tx = self.tx(&[META_STORE], TransactionMode::ReadWrite, doing)?;
        let meta = tx.store(META_STORE).map_err(|e| StorageError::from_idb(doing, e))?;
        let key = JsValue::from_str(PROTECTION_KEY);
        let done = match protection {
            Some(p) => meta.put(&JsValue::from_str(&serde_json::to_string(p).unwrap_or_default()), Some(&key)).await.map(|_| ()),
            None => meta.delete(key).await,
        };
        done.map_err(|e| StorageError::from_idb(doing, e))?;
        match tx.done().await {
            Ok(r) if r.is_committed() => Ok(()),
            Ok(_) => Err(StorageError::new(format!("Could not {doing}: the browser cancelled it."))),
            Err(e) => Err(StorageError::from_idb(doing, e)),
        }
    }

    /// The stored form of record `id` of `store` (its JSON `json`): sealed when this
    /// connection seals that store, else the JSON string.
    pub(super) async fn seal_value(&self, store: &str, id: &str, json: &str) -> Result<JsValue> {
        let mut sealed = self.seal_values(store, vec![(id.to_string(), json.to_string())]).await?;
        Ok(sealed.pop().unwrap_or(JsValue::UNDEFINED))
    }

    /// [`Db::seal_value`] for many records of one store, all encrypted at once.
    pub(super) async fn seal_values(&self, store: &str, records: Vec<(String, String)>) -> Result<Vec<JsValue>> {
        let Some(key) = self.seals(store) else {
            return Ok(records.into_iter().map(|(_, json)| JsValue::from_str(&json)).collect());
        };
        let by_patient = STORES.iter().any(|s| s.name == store && s.owner == Owner::ByPatientId);
        let fail = |_| StorageError::new("The browser could not encrypt the record; nothing was changed.");
        let promises = Array::new();
        let mut heads = Vec::with_capacity(records.len());
        for (id, json) in &records {
            let iv = super::crypto::random::<IV_BYTES>().map_err(StorageError::new)?;
            let promise = key.encrypt_promise(&iv, &Uint8Array::from(json.as_bytes()), &aad(store, id)).map_err(fail)?;
            promises.push(&promise);
            let owner = if by_patient { owner_of(json) } else { String::new() };
            heads.push((id, owner, iv));
        }
        let results: Array = JsFuture::from(Promise::all(&promises)).await.map_err(fail)?.unchecked_into();
        let mut out = Vec::with_capacity(records.len());
        for ((id, owner, iv), sealed) in heads.into_iter().zip(results.iter()) {
            out.push(sealed_object(id, &owner, &iv_then(&iv, &Uint8Array::new(&sealed))));
        }
        Ok(out)
    }

    /// A stored value of `store` as JSON text (a JS string): a plain value as it is, a
    /// sealed one opened (and brought to this schema if it was sealed by an older version).
    pub(super) async fn open_value(&self, store: &str, value: JsValue) -> Result<JsValue> {
        let mut opened = self.open_values(store, vec![value]).await?;
        Ok(opened.pop().unwrap_or(JsValue::UNDEFINED))
    }

    /// [`Db::open_value`] for many values of one store, decrypted all at once and kept in
    /// JS (the joined read in `read.rs` then crosses into wasm 2,000 at a time).
    pub(super) async fn open_values(&self, store: &str, mut values: Vec<JsValue>) -> Result<Vec<JsValue>> {
        let sealed: Vec<usize> = (0..values.len()).filter(|&i| is_sealed(&values[i])).collect();
        if sealed.is_empty() {
            return Ok(values);
        }
        let key = self.key().ok_or_else(|| locked(store))?;
        let promises = Array::new();
        for &i in &sealed {
            let v = &values[i];
            let (id, _) = sealed_owner(v);
            let c: Uint8Array = prop(v, "c").dyn_into().map_err(|_| damaged(store))?;
            if (c.length() as usize) < IV_BYTES + 16 {
                return Err(damaged(store));
            }
            let iv = c.subarray(0, IV_BYTES as u32);
            let body = c.subarray(IV_BYTES as u32, c.length());
            let promise = key.decrypt_promise(&iv, &body, &aad(store, &id)).map_err(|_| damaged(store))?;
            promises.push(&promise);
        }
        let results: Array = JsFuture::from(Promise::all(&promises)).await.map_err(|_| damaged(store))?.unchecked_into();
        let decode = Utf8Decoder::new().ok_or_else(|| damaged(store))?;
        for (&i, plain) in sealed.iter().zip(results.iter()) {
            let text = decode.text(&plain).ok_or_else(|| damaged(store))?;
            let version = prop(&values[i], "s").as_f64().map_or(SCHEMA_VERSION, |v| v as u32);
            values[i] = if version < SCHEMA_VERSION {
                let text = text.as_string().ok_or_else(|| damaged(store))?;
                JsValue::from_str(&migrated(store, version, &text)?)
            } else {
                text
            };
        }
        Ok(values)
    }
}

/// `TextDecoder.decode` called so that the text stays a JS string: the joined read in
/// `read.rs` takes JS strings, and a copy into wasm and back for each of 30,000 records
/// (what `web_sys`'s `decode` returning a `String` would do) is the cost of a cold load.
struct Utf8Decoder {
    decoder: web_sys::TextDecoder,
    decode: js_sys::Function,
}

impl Utf8Decoder {
    fn new() -> Option<Utf8Decoder> {
        let decoder = web_sys::TextDecoder::new().ok()?;
        let decode = Reflect::get(&decoder, &JsValue::from_str("decode")).ok()?.dyn_into().ok()?;
        Some(Utf8Decoder { decoder, decode })
    }

    /// The text of `bytes` (an ArrayBuffer), as a JS string.
    fn text(&self, bytes: &JsValue) -> Option<JsValue> {
        self.decode.call1(&self.decoder, bytes).ok().filter(JsValue::is_string)
    }
}

/// A record sealed by an older version, brought to this schema as it is read (a migration
/// cannot decrypt inside its transaction; the next write stores the new shape).
fn migrated(store: &str, from: u32, text: &str) -> Result<String> {
    let mut value: serde_json::Value = serde_json::from_str(text).map_err(|_| damaged(store))?;
    schema::migrate_record(store, from, &mut value).map_err(|e| StorageError::new(format!("A protected record of the {store} could not be updated: {e}.")))?;
    Ok(value.to_string())
}

/// A sealed value's bytes: the IV, then what `SubtleCrypto.encrypt` gave (ciphertext ‖ tag).
fn iv_then(iv: &[u8], body: &Uint8Array) -> Uint8Array {
    let c = Uint8Array::new_with_length((IV_BYTES as u32) + body.length());
    c.set(&Uint8Array::from(iv), 0);
    c.set(body, IV_BYTES as u32);
    c
}

fn sealed_object(id: &str, owner: &str, c: &Uint8Array) -> JsValue {
    let o = Object::new();
    let set = |k: &str, v: &JsValue| {
        let _ = Reflect::set(&o, &JsValue::from_str(k), v);
    };
    set("v", &JsValue::from_f64(1.0));
    set("s", &JsValue::from_f64(f64::from(SCHEMA_VERSION)));
    set("i", &JsValue::from_str(id));
    set("o", &JsValue::from_str(owner));
    set("c", c);
    o.into()
}

/// The `patient_id` of a record's JSON ("" when it has none).
fn owner_of(json: &str) -> String {
    #[derive(serde::Deserialize)]
    struct Owned {
        #[serde(default)]
        patient_id: String,
    }
    serde_json::from_str::<Owned>(json).map(|o| o.patient_id).unwrap_or_default()
}

/// Seals or opens a whole snapshot, or one part of it (one large value under `part`, its key
/// in the snapshots store: the snapshotted store's name for the first part). `aad` names the
/// part; whether it is sealed follows the snapshotted store.
impl Db {
    pub(super) async fn seal_snapshot(&self, store: &str, part: &str, text: &js_sys::JsString) -> Result<JsValue> {
        let Some(key) = self.seals(store) else { return Ok(text.into()) };
        let fail = |_| StorageError::new("The browser could not encrypt the quick-start copy.");
        let encoder = web_sys::TextEncoder::new().map_err(fail)?;
        let plain = encoder.encode_with_input(&String::from(text));
        let iv = super::crypto::random::<IV_BYTES>().map_err(StorageError::new)?;
        let promise = key.encrypt_promise(&iv, &Uint8Array::from(&plain[..]), &aad("snapshots", part)).map_err(fail)?;
        let body = Uint8Array::new(&JsFuture::from(promise).await.map_err(fail)?);
        Ok(sealed_object(store, "", &iv_then(&iv, &body)))
    }

    /// A snapshot's text: `None` when it is sealed and cannot be opened (no key, or damaged:
    /// then the records themselves are read instead).
    pub(super) async fn open_snapshot(&self, part: &str, value: JsValue) -> Option<js_sys::JsString> {
        if let Some(text) = value.dyn_ref::<js_sys::JsString>() {
            return Some(text.clone());
        }
        if !is_sealed(&value) || prop(&value, "s").as_f64() != Some(f64::from(SCHEMA_VERSION)) {
            return None;
        }
        let key = self.key()?;
        let c: Uint8Array = prop(&value, "c").dyn_into().ok()?;
        if (c.length() as usize) < IV_BYTES + 16 {
            return None;
        }
        let promise = key.decrypt_promise(&c.subarray(0, IV_BYTES as u32), &c.subarray(IV_BYTES as u32, c.length()), &aad("snapshots", part)).ok()?;
        let plain = JsFuture::from(promise).await.ok()?;
        Utf8Decoder::new()?.text(&plain)?.dyn_into().ok()
    }
}

/// Kept so a `RefCell<Vault>` can sit in `Db`.
pub(super) type VaultCell = RefCell<Vault>;

/// Records resealed per transaction pair while protection is turned on or off.
const RESEAL_CHUNK: usize = 500;

impl Db {
    /// Brings every value of every private store to the form `seal` says (sealed, or in
    /// clear), a chunk at a time: each chunk is read, sealed or opened outside any
    /// transaction, and put back only where the stored value is still the one read (a write
    /// from the app meanwhile already has the right form). Can stop anywhere and be run
    /// again: it finds what is left. The snapshots are dropped (rebuilt from the records).
    /// `progress` hears how many values were changed so far.
    pub async fn reseal_all(&self, seal: bool, mut progress: impl FnMut(usize)) -> Result<()> {
        let doing = if seal { "encrypt the stored records" } else { "decrypt the stored records" };
        if seal && !self.holds_key() {
            return Err(locked("records"));
        }
        let mut done = 0;
        for spec in STORES.iter().filter(|s| s.private) {
            let store = spec.name;
            // Each pass reads the store once and changes what is left in the other form, a
            // chunk per transaction; a pass after one that changed something finds what the
            // app wrote meanwhile in the old form (normally nothing).
            loop {
                let todo: Vec<(JsValue, JsValue)> = self.keyed_values(store, doing).await?.into_iter().filter(|(_, v)| is_sealed(v) != seal).collect();
                if todo.is_empty() {
                    break;
                }
                for chunk in todo.chunks(RESEAL_CHUNK) {
                    let news = if seal {
                        let records = chunk.iter().map(|(k, v)| (k.as_string().unwrap_or_default(), v.as_string().unwrap_or_default())).collect();
                        self.seal_values(store, records).await?
                    } else {
                        self.open_values(store, chunk.iter().map(|(_, v)| v.clone()).collect()).await?
                    };
                    let tx = self.tx(&[store], TransactionMode::ReadWrite, doing)?;
                    let outcome = async {
                        let s = tx.store(store)?;
                        for ((key, old), new) in chunk.iter().zip(&news) {
                            let now = s.get(key.clone()).await?;
                            if now.is_some_and(|now| same_value(&now, old)) {
                                s.put(new, Some(key)).await?;
                            }
                        }
                        Ok::<_, rexie::Error>(())
                    }
                    .await;
                    if let Err(e) = outcome {
                        let _ = tx.abort().await;
                        return Err(StorageError::from_idb(doing, e));
                    }
                    match tx.done().await {
                        Ok(r) if r.is_committed() => {}
                        _ => return Err(StorageError::new(format!("Could not {doing}: the browser cancelled it. Open CareCoord again to go on."))),
                    }
                    done += chunk.len();
                    progress(done);
                }
            }
        }
        let tx = self.tx(&[super::SNAPSHOT_STORE], TransactionMode::ReadWrite, doing)?;
        let snapshots = tx.store(super::SNAPSHOT_STORE).map_err(|e| StorageError::from_idb(doing, e))?;
        snapshots.clear().await.map_err(|e| StorageError::from_idb(doing, e))?;
        let _ = tx.done().await;
        Ok(())
    }
}

impl Db {
    /// Every value of `store` exactly as stored (sealed or not), with its key: for tests
    /// that look at what is on disk, and for the benchmarks.
    pub async fn raw_values(&self, store: &str) -> Result<Vec<(String, JsValue)>> {
        let values = self.keyed_values(store, "read the stored values").await?;
        Ok(values.into_iter().map(|(k, v)| (k.as_string().unwrap_or_default(), v)).collect())
    }

    /// Every key of `store` with its value as stored, read in one transaction.
    async fn keyed_values(&self, store: &str, doing: &str) -> Result<Vec<(JsValue, JsValue)>> {
        let tx = self.tx(&[store], TransactionMode::ReadOnly, doing)?;
        let s = tx.store(store).map_err(|e| StorageError::from_idb(doing, e))?;
        let keys = s.get_all_keys(None, None).await.map_err(|e| StorageError::from_idb(doing, e))?;
        let values = s.get_all(None, None).await.map_err(|e| StorageError::from_idb(doing, e))?;
        Ok(keys.into_iter().zip(values).collect())
    }

    /// Overwrites one value exactly as given: for tests of what a damaged value does.
    pub async fn put_raw(&self, store: &str, key: &str, value: &JsValue) -> Result<()> {
        let doing = "write a stored value";
        let tx = self.tx(&[store], TransactionMode::ReadWrite, doing)?;
        let s = tx.store(store).map_err(|e| StorageError::from_idb(doing, e))?;
        s.put(value, Some(&JsValue::from_str(key))).await.map_err(|e| StorageError::from_idb(doing, e))?;
        tx.done().await.map(|_| ()).map_err(|e| StorageError::from_idb(doing, e))
    }
}
