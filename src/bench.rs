//! Benchmark hooks, compiled only with the `bench` feature (`make bench`). They run the
//! app's real code paths (io, model, storage) at clinic scale and are called from
//! `bench/run.mjs` through `window.wasmBindings`.

use wasm_bindgen::prelude::*;

use crate::io::{backup, patients_csv, synth};
use crate::model::{Change, ChangeAction, Panel, Patient, Record};
use crate::storage::{self, WriteBatch, DB_NAME};
use crate::web;

/// The database the import benchmark writes into (not the app's).
const IMPORT_DB: &str = "carecoord-bench-import";

fn js_err(e: impl std::fmt::Display) -> JsValue {
    JsValue::from_str(&e.to_string())
}

/// Replaces the app's patients with `n` synthetic ones from `seed`.
#[wasm_bindgen]
pub async fn bench_seed(n: u32, seed: u32) -> Result<(), JsValue> {
    let patients = synth::patients(n as usize, seed as u64, web::now());
    let conditions = synth::conditions(&patients, seed as u64, web::now());
    let db = storage::open(DB_NAME).await.map_err(js_err)?;
    let mut batch = WriteBatch::new();
    for store in crate::model::schema::DATA_STORES {
        batch.clear(store);
    }
    batch.put_all(&patients).put_all(&conditions);
    let result = db.write(&batch, "seed the benchmark").await.map(|_| ()).map_err(js_err);
    db.close();
    result
}

/// `n` synthetic patients from `seed` in Synthea's patients.csv layout.
#[wasm_bindgen]
pub fn bench_csv(n: u32, seed: u32) -> String {
    patients_csv::write_synthea(&synth::patients(n as usize, seed as u64, web::now()))
}

/// The same patients as [`bench_csv`], as a JSON array of stored records (for the plain JS reference).
#[wasm_bindgen]
pub fn bench_records_json(n: u32, seed: u32) -> String {
    let csv = bench_csv(n, seed);
    let parsed = patients_csv::parse_synthea(&csv, web::today(), web::now()).expect("generated CSV parses");
    serde_json::to_string(&parsed.patients).expect("records serialize")
}

/// Imports a Synthea patients.csv the way the app does: parse and check every row, write all
/// patients and a journal entry in one transaction, build the in-memory panel. Returns the
/// number of patients written.
#[wasm_bindgen]
pub async fn bench_import_csv(text: String) -> Result<u32, JsValue> {
    let parsed = patients_csv::parse_synthea(&text, web::today(), web::now()).map_err(js_err)?;
    if !parsed.problems.is_empty() {
        return Err(js_err(&parsed.problems[0]));
    }
    let db = storage::open(IMPORT_DB).await.map_err(js_err)?;
    let now = web::now();
    let mut batch = WriteBatch::new();
    batch.clear(Patient::STORE).put_all(&parsed.patients).journal(&Change::new(
        Patient::STORE,
        Change::BATCH,
        ChangeAction::Imported,
        now,
        "bench",
        format!("{} patients", parsed.patients.len()),
        &web::nonce(),
    ));
    let result = db.write(&batch, "import the patients").await.map(|_| ()).map_err(js_err);
    db.close();
    result?;
    let panel = Panel::new(parsed.patients);
    Ok(panel.len() as u32)
}

/// Exports the app's database as a backup the way the Data page does; returns its length in bytes.
#[wasm_bindgen]
pub async fn bench_export() -> Result<u32, JsValue> {
    let db = storage::open(DB_NAME).await.map_err(js_err)?;
    let contents = backup::BackupContents {
        patients: db.load_all().await.map_err(js_err)?,
        changes: db.load_all().await.map_err(js_err)?,
        conditions: db.load_all().await.map_err(js_err)?,
        care_events: db.load_all().await.map_err(js_err)?,
        care_rules: db.load_all().await.map_err(js_err)?,
        appointments: db.load_all().await.map_err(js_err)?,
        outreach: db.load_all().await.map_err(js_err)?,
        referrals: db.load_all().await.map_err(js_err)?,
        organizations: db.load_all().await.map_err(js_err)?,
        services: db.load_all().await.map_err(js_err)?,
    };
    db.close();
    let text = backup::write(&contents, web::now());
    Ok(text.len() as u32)
}

/// Bytes of WebAssembly linear memory in use by the module.
#[wasm_bindgen]
pub fn bench_wasm_memory_bytes() -> f64 {
    wasm_bindgen::memory().unchecked_into::<js_sys::WebAssembly::Memory>().buffer().unchecked_into::<js_sys::ArrayBuffer>().byte_length() as f64
}

/// The store name the plain-JS reference reads, so both read the same records.
#[wasm_bindgen]
pub fn bench_patient_store() -> String {
    Patient::STORE.to_string()
}
