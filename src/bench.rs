//! Benchmark hooks, compiled only with the `bench` feature (`make bench`). They run the
//! app's real code paths (io, model, storage) at clinic scale and are called from
//! `bench/run.mjs` through `window.wasmBindings`.

use wasm_bindgen::prelude::*;

use chrono::{Datelike, NaiveDate};
use serde_json::{json, Map};

use crate::io::{backup, hsds, patients_csv, referrals_csv, synth, synth_directory, synth_referrals};
use crate::model::catalog::Catalog;
use crate::model::directory::{Category, DirectoryQuery};
use crate::model::referral::{counts, Referral, ReferralFilter, ReferralKind, ReferralSettings, ReferralStatus};
use crate::model::patient_import::{plan_import, ImportPlan};
use crate::model::referral_summary::summary;
use crate::model::registry::Registry;
use crate::model::{Change, ChangeAction, Panel, PanelSort, Patient, Record};
use crate::model::protection::Phase;
use crate::storage::{self, crypto, WriteBatch, DB_NAME};
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
    serde_json::to_string(&onto_empty_panel(parsed).new).expect("records serialize")
}

/// What the app's import does with a parsed file before writing it: CareCoord ids for the
/// patients, the file's ids kept as source ids (see `model::patient_import`).
fn onto_empty_panel(parsed: patients_csv::PatientImport) -> ImportPlan {
    let registry = Registry::new(Vec::new(), Vec::new(), Vec::new());
    plan_import(&Panel::new(Vec::new()), &registry, parsed.patients, parsed.conditions, web::new_id, web::now())
}

/// Imports a Synthea patients.csv the way the app does: parse and check every row, write all
/// patients and a journal entry in one transaction, build the in-memory panel. Returns the
/// number of patients written.
#[wasm_bindgen]
pub async fn bench_import_csv(text: String) -> Result<u32, JsValue> {
    let db = storage::open(IMPORT_DB).await.map_err(js_err)?;
    let count = import_into(&db, &text).await;
    db.close();
    count
}

/// [`bench_import_csv`] into a database protected by a passphrase (every record sealed as
/// it is written). The key is made first, untimed (its PBKDF2 is the unlock's cost); returns
/// the milliseconds of the import itself.
#[wasm_bindgen]
pub async fn bench_import_csv_protected(text: String) -> Result<f64, JsValue> {
    let db = storage::open(IMPORT_DB).await.map_err(js_err)?;
    let (_, key) = crypto::new_protection("bench passphrase").await.map_err(js_err)?;
    db.use_key(key, true);
    let t0 = js_sys::Date::now();
    let count = import_into(&db, &text).await;
    let t = js_sys::Date::now() - t0;
    db.close();
    count.map(|_| t)
}

/// Turns passphrase protection on for the app's database as Settings does (a new data key,
/// every stored record encrypted in place). Returns the milliseconds it took.
#[wasm_bindgen]
pub async fn bench_protect(passphrase: String) -> Result<f64, JsValue> {
    let db = storage::open(DB_NAME).await.map_err(js_err)?;
    let t0 = js_sys::Date::now();
    let (mut record, key) = crypto::new_protection(&passphrase).await.map_err(js_err)?;
    db.save_protection(Some(&record)).await.map_err(js_err)?;
    db.use_key(key, true);
    db.reseal_all(true, |_| {}).await.map_err(js_err)?;
    record.phase = Phase::On;
    db.save_protection(Some(&record)).await.map_err(js_err)?;
    db.close();
    Ok(js_sys::Date::now() - t0)
}

/// Turns it off again: every record decrypted in place, the protection record removed.
#[wasm_bindgen]
pub async fn bench_unprotect(passphrase: String) -> Result<(), JsValue> {
    let db = storage::open(DB_NAME).await.map_err(js_err)?;
    let record = db.protection().await.map_err(js_err)?.ok_or_else(|| js_err("not protected"))?;
    let key = crypto::unwrap_key(&record, &passphrase).await.map_err(js_err)?.ok_or_else(|| js_err("wrong passphrase"))?;
    db.use_key(key, false);
    db.reseal_all(false, |_| {}).await.map_err(js_err)?;
    db.save_protection(None).await.map_err(js_err)?;
    db.close();
    Ok(())
}

async fn import_into(db: &storage::Db, text: &str) -> Result<u32, JsValue> {
    let parsed = patients_csv::parse_synthea(text, web::today(), web::now()).map_err(js_err)?;
    if !parsed.problems.is_empty() {
        return Err(js_err(&parsed.problems[0]));
    }
    let plan = onto_empty_panel(parsed);
    let now = web::now();
    let mut batch = WriteBatch::new();
    batch.clear(Patient::STORE).put_all(&plan.new).journal(&Change::new(
        Patient::STORE,
        Change::BATCH,
        ChangeAction::Imported,
        now,
        "bench",
        format!("{} patients", plan.new.len()),
        &web::nonce(),
    ));
    db.write(&batch, "import the patients").await.map_err(js_err)?;
    let panel = Panel::new(plan.new);
    Ok(panel.len() as u32)
}

/// Exports the app's database as a backup the way the Data page does; returns its length in bytes.
#[wasm_bindgen]
pub async fn bench_export() -> Result<u32, JsValue> {
    let db = storage::open(DB_NAME).await.map_err(js_err)?;
    let contents = db.load_contents().await.map_err(js_err)?;
    db.close();
    let text = backup::write(&contents, web::now());
    Ok(text.len() as u32)
}

/// A Synthea-shaped `observations.csv` of about `rows` rows for the patients
/// [`bench_seed`]`(n, seed)` stores, as pieces of about 64 KB (never one string in the
/// module's memory): the browser makes a `File` of them for the import.
#[wasm_bindgen]
pub fn bench_observations(n: u32, seed: u32, rows: u32) -> js_sys::Array {
    let keys = synth::patient_keys(&synth::patients(n as usize, seed as u64, web::now()));
    let pieces = js_sys::Array::new();
    for piece in synth::observations_csv(&keys, rows as usize, seed as u64) {
        pieces.push(&JsValue::from_str(&piece));
    }
    pieces
}

/// Adds `n` contacts over November 2026 to the patients [`bench_seed`]`(patients, seed)`
/// stored, and CCM consent (1 Nov 2026) to every one of them, for the Care time page.
/// Returns the milliseconds `CareMonth::build` takes for November over what was stored
/// (the model alone, the best of 5), for the figure beside the page's.
#[wasm_bindgen]
pub async fn bench_seed_contacts(patients: u32, n: u32, seed: u32) -> Result<f64, JsValue> {
    use crate::model::care_time::CareMonth;
    use crate::model::dates::YearMonth;
    let now = web::now();
    let mut list = synth::patients(patients as usize, seed as u64, now);
    let conditions = synth::conditions(&list, seed as u64, now);
    let first = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).ok_or_else(|| js_err("date"))?;
    for p in &mut list {
        p.profile.ccm_consent_on = Some(first);
    }
    let ids: Vec<String> = list.iter().map(|p| p.id.clone()).collect();
    let contacts = crate::io::synth_contacts::contacts(&ids, n as usize, seed as u64, first, 30);
    let db = storage::open(DB_NAME).await.map_err(js_err)?;
    let mut batch = WriteBatch::new();
    batch.put_all(&list).put_all(&contacts);
    let result = db.write(&batch, "seed the contacts").await.map(|_| ()).map_err(js_err);
    db.close();
    result?;
    let panel = crate::model::Panel::new(list);
    let registry = crate::model::registry::Registry::new(conditions, Vec::new(), Vec::new());
    let month = YearMonth::parse("2026-11").ok_or_else(|| js_err("month"))?;
    Ok((0..5).map(|_| timed(|| CareMonth::build(&panel, &registry, &contacts, month)).0).fold(f64::MAX, f64::min))
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

// ---------------------------------------------------------------------------------------
// Referrals and the resource directory at scale

/// Repetitions of each timed step in [`bench_referral_ops`] and [`bench_directory_ops`]
/// (the median is reported).
const REPS: usize = 7;

fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

/// Milliseconds `f` takes, with its result (kept so the work is not optimized away).
fn timed<T>(f: impl FnOnce() -> T) -> (f64, T) {
    let t0 = now_ms();
    let out = f();
    (now_ms() - t0, out)
}

fn median(mut xs: Vec<f64>) -> f64 {
    if xs.is_empty() {
        return 0.0;
    }
    xs.sort_by(f64::total_cmp);
    let m = xs.len() / 2;
    if xs.len() % 2 == 1 { xs[m] } else { (xs[m - 1] + xs[m]) / 2.0 }
}

fn p95(mut xs: Vec<f64>) -> f64 {
    if xs.is_empty() {
        return 0.0;
    }
    xs.sort_by(f64::total_cmp);
    let i = ((0.95 * xs.len() as f64).ceil() as usize).clamp(1, xs.len()) - 1;
    xs[i]
}

/// The median of [`REPS`] runs of `f` (which must give the same `check` value every time).
fn median_of<T: PartialEq + std::fmt::Debug>(mut f: impl FnMut() -> T) -> (f64, T) {
    let (t, first) = timed(&mut f);
    let mut times = vec![t];
    for _ in 1..REPS {
        let (t, again) = timed(&mut f);
        assert_eq!(again, first, "the same work gives the same answer");
        times.push(t);
    }
    (median(times), first)
}

/// Seeds the app's referrals store with `n` synthetic referrals from `seed` for the patients
/// already stored (by [`bench_seed`]), replacing any referrals there, in one transaction.
/// Returns how many were written.
#[wasm_bindgen]
pub async fn bench_seed_referrals(n: u32, seed: u32) -> Result<u32, JsValue> {
    let db = storage::open(DB_NAME).await.map_err(js_err)?;
    let result = async {
        let patients: Vec<Patient> = db.load_all().await.map_err(js_err)?;
        if patients.is_empty() {
            return Err(js_err("no patients stored: call bench_seed first"));
        }
        let ids: Vec<String> = patients.into_iter().map(|p| p.id).collect();
        let referrals = synth_referrals::referrals(&ids, n as usize, seed as u64, web::today());
        let mut batch = WriteBatch::new();
        batch.clear(Referral::STORE).put_all(&referrals);
        db.write(&batch, "seed the referrals").await.map_err(js_err)?;
        Ok(referrals.len() as u32)
    }
    .await;
    db.close();
    result
}

/// Reads every stored referral the way the app does at start (its quick-start snapshot when
/// current, else one `getAll` through rexie; `serde_json` per record); returns the
/// milliseconds from the database being open to every referral parsed.
#[wasm_bindgen]
pub async fn bench_read_referrals() -> Result<f64, JsValue> {
    let db = storage::open(DB_NAME).await.map_err(js_err)?;
    let t0 = now_ms();
    let read = db.load_snapshotted::<Referral>().await.map(|(list, _, _)| list);
    let t = now_ms() - t0;
    db.close();
    let read = read.map_err(js_err)?;
    if read.is_empty() {
        return Err(js_err("no referrals stored: call bench_seed_referrals first"));
    }
    Ok(t)
}

/// The work list's rows for `filter`, as the `/referrals` page computes them: the indexes
/// that pass, newest first.
fn work_list(list: &[Referral], filter: &ReferralFilter, today: NaiveDate, s: &ReferralSettings) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..list.len()).filter(|&i| filter.matches(&list[i], today, s)).collect();
    idx.sort_by(|&a, &b| list[b].created.cmp(&list[a].created).then_with(|| list[b].created_at.cmp(&list[a].created_at)));
    idx
}

/// `n` synthetic referrals (for about n / 3 synthetic patients, at most 10,000) built in
/// memory, then the work list's computations timed (median of 7, in ms): the list with the
/// default filter, Overdue only, a status + kind + provider filter, the counts beside the
/// filter buttons, the year's summary and the CSV log of all. JSON: `{"figures": {name:
/// ms}, "facts": {...}}`.
#[wasm_bindgen]
pub fn bench_referral_ops(n: u32, seed: u32) -> String {
    let today = web::today();
    let s = ReferralSettings::default();
    let patients = synth::patients((n as usize / 3).clamp(1, 10_000), seed as u64, web::now());
    let ids: Vec<String> = patients.iter().map(|p| p.id.clone()).collect();
    let panel = Panel::new(patients);
    let list = synth_referrals::referrals(&ids, n as usize, seed as u64, today);

    let mut figures = Map::new();
    let mut put = |name: &str, ms: f64| {
        figures.insert(name.to_string(), json!(ms));
    };
    let all = ReferralFilter::default();
    let overdue = ReferralFilter { overdue_only: true, ..Default::default() };
    let narrow = ReferralFilter {
        status: Some(ReferralStatus::Requested),
        kind: Some(ReferralKind::Specialty),
        provider: Some("Dr. Amara Okafor".into()),
        ..Default::default()
    };
    let (t, shown_all) = median_of(|| work_list(&list, &all, today, &s).len());
    put("filter_all_ms", t);
    let (t, shown_overdue) = median_of(|| work_list(&list, &overdue, today, &s).len());
    put("filter_overdue_ms", t);
    let (t, shown_narrow) = median_of(|| work_list(&list, &narrow, today, &s).len());
    put("filter_status_kind_provider_ms", t);
    let (t, c) = median_of(|| counts(list.iter(), &all, today, &s));
    put("counts_ms", t);
    let (t, _) = median_of(|| counts(list.iter(), &overdue, today, &s));
    put("counts_overdue_ms", t);
    let year_start = NaiveDate::from_ymd_opt(today.year() - 1, today.month(), 1).unwrap_or(today);
    let (t, made) = median_of(|| summary(list.iter(), year_start, today).all.made);
    put("summary_year_ms", t);
    let (t, csv_len) = median_of(|| {
        referrals_csv::write(list.iter(), |id| panel.get(id).map(|p| (p.sort_name(), p.mrn.clone())).unwrap_or_default(), today, &s).len()
    });
    put("csv_ms", t);

    assert_eq!(shown_all, list.len());
    assert_eq!(shown_overdue, c.overdue);
    json!({
        "figures": figures,
        "facts": {
            "referrals": list.len(), "patients": panel.len(), "overdue": c.overdue, "narrow": shown_narrow,
            "made_in_year": made, "csv_bytes": csv_len,
        },
    })
    .to_string()
}

/// What a coordinator types, letter by letter, in the directory search (each prefix is one
/// keystroke); "pantri", "houseing" and "counsleing" are misspelt on purpose.
const TYPED: &[&str] = &["food pantry", "pantri", "houseing", "legal aid", "counsleing", "springfield food"];

/// `n` synthetic services (and their organizations) from `seed`: the catalog and its search
/// index built (timed), then searches timed as a coordinator types them (every prefix of
/// [`TYPED`], median of 7 per keystroke; median, p95 and the slowest keystroke reported),
/// a category button with no text, "open now" at a fixed Saturday 01:00 and a Tuesday
/// 10:00, a language filter with text; and the HSDS 3 JSON export of the whole directory
/// and its import back (into an empty directory, and over the same directory: every
/// service a likely duplicate). JSON: `{"figures": {name: ms}, "facts": {...}}`.
#[wasm_bindgen]
pub fn bench_directory_ops(n: u32, seed: u32) -> String {
    let today = web::today();
    let (orgs, services) = synth_directory::directory(n as usize, seed as u64, today);
    let mut figures = Map::new();
    let mut put = |name: &str, ms: f64| {
        figures.insert(name.to_string(), json!(ms));
    };

    let mut builds = Vec::new();
    let mut catalog = None;
    for _ in 0..REPS {
        let (o, s) = (orgs.clone(), services.clone());
        let (t, c) = timed(|| Catalog::new(o, s));
        builds.push(t);
        catalog = Some(c);
    }
    let catalog = catalog.expect("built at least once");
    put("index_build_ms", median(builds));
    let index = catalog.index();

    let saturday_night = NaiveDate::from_ymd_opt(2026, 5, 16).and_then(|d| d.and_hms_opt(1, 0, 0)).expect("valid time");
    let tuesday_morning = NaiveDate::from_ymd_opt(2026, 5, 12).and_then(|d| d.and_hms_opt(10, 0, 0)).expect("valid time");
    let search = |q: &DirectoryQuery| median_of(|| index.search(q, tuesday_morning).len());

    let mut per_key = Vec::new();
    let mut first_letter = 0.0;
    for phrase in TYPED {
        for (end, _) in phrase.char_indices().skip(1).chain([(phrase.len(), ' ')]) {
            let text = &phrase[..end];
            let (t, _) = search(&DirectoryQuery { text: text.to_string(), ..Default::default() });
            if end == 1 && phrase.starts_with('f') {
                first_letter = t;
            }
            per_key.push(t);
        }
    }
    let keystrokes = per_key.len();
    put("search_first_letter_ms", first_letter);
    put("search_median_ms", median(per_key.clone()));
    put("search_p95_ms", p95(per_key.clone()));
    put("search_max_ms", per_key.iter().copied().fold(0.0, f64::max));

    let (t, food) = search(&DirectoryQuery { category: Some(Category::Food), ..Default::default() });
    put("search_category_ms", t);
    let (t, open_night) = median_of(|| index.search(&DirectoryQuery { open_now: true, ..Default::default() }, saturday_night).len());
    put("search_open_now_night_ms", t);
    let (t, open_day) = search(&DirectoryQuery { open_now: true, ..Default::default() });
    put("search_open_now_day_ms", t);
    let (t, spanish) = search(&DirectoryQuery { text: "food".into(), language: Some("Spanish".into()), ..Default::default() });
    put("search_language_ms", t);

    let (t, json_len) = median_of(|| hsds::export_json(catalog.organizations(), catalog.services()).len());
    put("hsds_export_ms", t);
    let file = vec![("directory.json".to_string(), hsds::export_json(catalog.organizations(), catalog.services()).into_bytes())];
    let (t, imported) = median_of(|| hsds::import_files(&file, &[]).map(|i| (i.services.len(), i.problems.len())).map_err(|e| e.0));
    put("hsds_import_ms", t);
    let (t, duplicates) = median_of(|| hsds::import_files(&file, catalog.services()).map(|i| i.duplicates.len()).map_err(|e| e.0));
    put("hsds_reimport_over_existing_ms", t);
    let (imported, problems) = imported.expect("the export imports");
    assert_eq!(imported, services.len(), "every service comes back");

    json!({
        "figures": figures,
        "facts": {
            "services": catalog.len(), "organizations": catalog.organizations().len(), "words": index.vocabulary_len(),
            "keystrokes": keystrokes, "food": food, "open_saturday_night": open_night, "open_tuesday_morning": open_day,
            "food_in_spanish": spanish, "json_bytes": json_len, "import_problems": problems,
            "duplicates_over_existing": duplicates.unwrap_or(0),
        },
    })
    .to_string()
}

/// The panel's search in memory at `n` synthetic patients (no rendering): building the
/// panel (search keys and sort order), building its search index, and the search call for
/// every prefix of what a coordinator types (a name, "ngu", an MRN, a phone number, a date
/// of birth), median of 7 per keystroke, then the median, p95 and slowest keystroke.
/// JSON: `{"figures": {name: ms}, "facts": {...}}`.
#[wasm_bindgen]
pub fn bench_panel_search_ops(n: u32, seed: u32) -> String {
    const TYPED: [&str; 5] = ["garcia", "ngu", "mrn1000042", "617-45", "03/14/19"];
    let patients = synth::patients(n as usize, seed as u64, web::now());
    let mut figures = Map::new();
    let mut put = |name: &str, ms: f64| {
        figures.insert(name.to_string(), json!(ms));
    };
    let (mut builds, mut indexes) = (Vec::new(), Vec::new());
    let mut panel = Panel::default();
    for _ in 0..REPS {
        let list = patients.clone();
        let (t, built) = timed(|| Panel::new(list));
        builds.push(t);
        indexes.push(timed(|| built.prepare_search()).0);
        panel = built;
    }
    put("panel_build_ms", median(builds));
    put("index_build_ms", median(indexes));
    let entries = panel.search_index_entries();
    let mut per_key = Vec::new();
    let mut found = Map::new();
    for word in TYPED {
        for end in word.char_indices().map(|(i, c)| i + c.len_utf8()) {
            let (t, hits) = median_of(|| panel.search(&word[..end], PanelSort::Name).len());
            per_key.push(t);
            found.insert(word[..end].to_string(), json!(hits));
        }
    }
    put("search_call_median_ms", median(per_key.clone()));
    put("search_call_p95_ms", p95(per_key.clone()));
    put("search_call_max_ms", per_key.iter().copied().fold(0.0, f64::max));
    json!({ "figures": figures, "facts": { "patients": n, "index_entries": entries, "found": found } }).to_string()
}
