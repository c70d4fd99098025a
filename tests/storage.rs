//! The storage layer against real IndexedDB, in headless Chromium (wasm-bindgen-test).
#![cfg(target_arch = "wasm32")]

use carecoord::model::{Change, ChangeAction, Patient, PatientDraft, Record};
use carecoord::storage::{self, WriteBatch, ALL_STORES, META_STORE};
use chrono::{NaiveDate, TimeZone, Utc};
use rexie::{ObjectStore, Rexie, TransactionMode};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn patient(id: &str, first: &str, last: &str) -> Patient {
    PatientDraft { first_name: first.into(), last_name: last.into(), date_of_birth: "1970-05-05".into(), ..Default::default() }
        .validate(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap())
        .unwrap()
        .into_new(id.into(), Utc.with_ymd_and_hms(2026, 11, 1, 9, 0, 0).unwrap())
}

fn created(p: &Patient, nonce: &str) -> Change {
    Change::of(p, ChangeAction::Created, Utc.with_ymd_and_hms(2026, 11, 1, 9, 0, 0).unwrap(), "Dana", "", nonce)
}

/// A fresh database name per test, removed first in case an earlier run left it.
async fn fresh(name: &str) -> String {
    storage::delete(name).await.unwrap();
    name.to_string()
}

#[wasm_bindgen_test]
async fn a_new_database_has_every_store_and_the_current_schema() {
    let name = fresh("t-open").await;
    let db = storage::open(&name).await.unwrap();
    let mut stores = db.store_names();
    stores.sort();
    let mut expected: Vec<String> = ALL_STORES.iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(stores, expected);
    assert_eq!(db.schema_version().await.unwrap(), Some(carecoord::model::schema::SCHEMA_VERSION));
    assert!(db.load_all::<Patient>().await.unwrap().is_empty());
    db.close();
}

#[wasm_bindgen_test]
async fn put_get_history_and_delete() {
    let name = fresh("t-put").await;
    let db = storage::open(&name).await.unwrap();
    let a = patient("a0000000-0000-4000-8000-000000000001", "María", "Núñez");
    let b = patient("b0000000-0000-4000-8000-000000000002", "Ana", "Lima");
    let mut batch = WriteBatch::new();
    batch.add(&a).add(&b).journal(&created(&a, "01")).journal(&created(&b, "02"));
    db.write(&batch, "save").await.unwrap();

    assert_eq!(db.get::<Patient>(&a.id).await.unwrap(), Some(a.clone()));
    let mut all = db.load_all::<Patient>().await.unwrap();
    all.sort_by(|x, y| x.id.cmp(&y.id));
    assert_eq!(all, vec![a.clone(), b.clone()]);

    let history = db.history(&a.id).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].entity_id, a.id);
    assert_eq!(history[0].by, "Dana");

    let mut batch = WriteBatch::new();
    batch.delete::<Patient>(&a.id);
    db.write(&batch, "delete").await.unwrap();
    assert_eq!(db.get::<Patient>(&a.id).await.unwrap(), None);
    assert_eq!(db.load_all::<Patient>().await.unwrap(), vec![b]);
    db.close();
}

#[wasm_bindgen_test]
async fn a_failed_transaction_leaves_nothing_behind() {
    let name = fresh("t-fail").await;
    let db = storage::open(&name).await.unwrap();
    let a = patient("a0000000-0000-4000-8000-000000000001", "María", "Núñez");
    let mut batch = WriteBatch::new();
    batch.add(&a).journal(&created(&a, "01"));
    db.write(&batch, "save").await.unwrap();

    // One transaction: a new patient, an edit of `a`, a journal entry, and an `add` of a
    // patient whose id is already stored, which IndexedDB refuses.
    let c = patient("c0000000-0000-4000-8000-000000000003", "Carla", "Souza");
    let mut a_edit = a.clone();
    a_edit.phone = "617-555-0100".into();
    let mut batch = WriteBatch::new();
    batch.put(&c).put(&a_edit).journal(&created(&c, "03")).add(&a);
    let err = db.write(&batch, "save the patients").await.unwrap_err();
    assert!(err.message.starts_with("Could not save the patients"), "{}", err.message);
    assert!(err.message.ends_with("Nothing was changed."), "{}", err.message);

    assert_eq!(db.load_all::<Patient>().await.unwrap(), vec![a.clone()], "the edit and the new patient were rolled back");
    assert_eq!(db.get::<Patient>(&c.id).await.unwrap(), None);
    assert_eq!(db.load_all::<Change>().await.unwrap().len(), 1, "no journal entry from the failed write");
    db.close();
}

#[wasm_bindgen_test]
async fn clear_and_put_all_replace_a_store_in_one_write() {
    let name = fresh("t-replace").await;
    let db = storage::open(&name).await.unwrap();
    let olds: Vec<Patient> = (0..50).map(|i| patient(&format!("old-{i:03}"), "Old", "Patient")).collect();
    let mut batch = WriteBatch::new();
    batch.put_all(&olds);
    db.write(&batch, "import").await.unwrap();
    let news: Vec<Patient> = (0..20).map(|i| patient(&format!("new-{i:03}"), "New", "Patient")).collect();
    let mut batch = WriteBatch::new();
    batch.clear(Patient::STORE).put_all(&news);
    db.write(&batch, "replace").await.unwrap();
    let mut stored = db.load_all::<Patient>().await.unwrap();
    stored.sort_by(|x, y| x.id.cmp(&y.id));
    assert_eq!(stored, news);
    db.close();
}

/// Builds a database as the first pilot (schema 1) left it: only `meta` and `patients`,
/// a patient whose language is one text, and schema version 1 in `meta`.
async fn make_v1_database(name: &str) {
    let rexie = Rexie::builder(name)
        .version(1)
        .add_object_store(ObjectStore::new(META_STORE))
        .add_object_store(ObjectStore::new("patients"))
        .build()
        .await
        .unwrap();
    let tx = rexie.transaction(&[META_STORE, "patients"], TransactionMode::ReadWrite).unwrap();
    let v1 = serde_json::json!({
        "id": "p1", "first_name": "Ana", "last_name": "Lima", "date_of_birth": "1970-05-05",
        "language": "Portuguese (interpreter)",
        "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"
    });
    tx.store("patients").unwrap().put(&JsValue::from_str(&v1.to_string()), Some(&JsValue::from_str("p1"))).await.unwrap();
    tx.store(META_STORE).unwrap().put(&JsValue::from_f64(1.0), Some(&JsValue::from_str("schema_version"))).await.unwrap();
    tx.done().await.unwrap();
    rexie.close();
}

#[wasm_bindgen_test]
async fn opening_an_older_database_migrates_records_and_keeps_every_store() {
    let name = fresh("t-migrate").await;
    make_v1_database(&name).await;

    let db = storage::open(&name).await.unwrap();
    for store in ALL_STORES {
        assert!(db.store_names().iter().any(|s| s == store), "store {store} missing after upgrade");
    }
    assert_eq!(db.schema_version().await.unwrap(), Some(carecoord::model::schema::SCHEMA_VERSION));
    let patients = db.load_all::<Patient>().await.unwrap();
    assert_eq!(patients.len(), 1);
    assert_eq!(patients[0].preferred_language, "Portuguese");
    assert!(patients[0].interpreter_needed);
    db.close();

    // Opening again changes nothing more.
    let db = storage::open(&name).await.unwrap();
    assert_eq!(db.load_all::<Patient>().await.unwrap(), patients);
    db.close();
}

#[wasm_bindgen_test]
async fn the_panel_snapshot_is_used_only_while_current() {
    let name = fresh("t-snapshot").await;
    let db = storage::open(&name).await.unwrap();
    let a = patient("a0000000-0000-4000-8000-000000000001", "María", "Núñez");
    let mut batch = WriteBatch::new();
    batch.add(&a);
    let gen = db.write(&batch, "save").await.unwrap().patients().expect("a patients write returns its generation");

    // No snapshot yet: read from the records.
    let (patients, g, from_snapshot) = db.load_patients().await.unwrap();
    assert_eq!((patients, g, from_snapshot), (vec![a.clone()], gen, false));

    // A snapshot at the current generation is used.
    assert!(db.save_patients_snapshot(std::slice::from_ref(&a), gen).await.unwrap());
    assert_eq!(db.load_patients().await.unwrap(), (vec![a.clone()], gen, true));

    // A write to the patients makes it stale: the records are read again.
    let b = patient("b0000000-0000-4000-8000-000000000002", "Ana", "Lima");
    let mut batch = WriteBatch::new();
    batch.add(&b);
    let gen2 = db.write(&batch, "save").await.unwrap().patients().unwrap();
    assert_eq!(gen2, gen + 1);
    let (mut patients, g, from_snapshot) = db.load_patients().await.unwrap();
    patients.sort_by(|x, y| x.id.cmp(&y.id));
    assert_eq!((patients, g, from_snapshot), (vec![a.clone(), b.clone()], gen2, false));

    // A snapshot built from an older state is refused.
    assert!(!db.save_patients_snapshot(std::slice::from_ref(&a), gen).await.unwrap());
    assert!(!db.load_patients().await.unwrap().2);

    // Writes that do not touch patients leave the generation (and a snapshot) alone.
    assert!(db.save_patients_snapshot(&[a.clone(), b.clone()], gen2).await.unwrap());
    let mut batch = WriteBatch::new();
    batch.journal(&created(&a, "09"));
    assert_eq!(db.write(&batch, "journal").await.unwrap().patients(), None);
    assert!(db.load_patients().await.unwrap().2);
    db.close();
}

#[wasm_bindgen_test]
async fn the_referrals_have_their_own_snapshot_and_generation() {
    use carecoord::model::referral::Referral;
    use carecoord::model::Listed;
    let name = fresh("t-ref-snapshot").await;
    let db = storage::open(&name).await.unwrap();
    let list = carecoord::io::synth_referrals::referrals(&["p1".to_string()], 3, 2, NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
    let mut batch = WriteBatch::new();
    batch.put_all(&list);
    let written = db.write(&batch, "save").await.unwrap();
    let gen = written.of(Referral::STORE).expect("a referrals write returns its generation");
    assert_eq!(written.patients(), None, "the patients generation is not touched");

    let (mut read, g, from_snapshot) = db.load_snapshotted::<Referral>().await.unwrap();
    read.sort_by(|a, b| a.id.cmp(&b.id));
    let mut expected: Vec<Referral> = list.iter().cloned().map(Listed::listed).collect();
    expected.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!((read.clone(), g, from_snapshot), (expected.clone(), gen, false));
    assert!(db.save_snapshot(&read, gen).await.unwrap());
    assert_eq!(db.load_snapshotted::<Referral>().await.unwrap(), (read.clone(), gen, true));

    // A patient write leaves the referrals snapshot current; a referral write makes it stale.
    let mut batch = WriteBatch::new();
    batch.add(&patient("c0000000-0000-4000-8000-000000000003", "Ana", "Lima"));
    db.write(&batch, "save").await.unwrap();
    assert!(db.load_snapshotted::<Referral>().await.unwrap().2);
    let mut batch = WriteBatch::new();
    batch.delete::<Referral>(&list[0].id);
    assert_eq!(db.write(&batch, "delete").await.unwrap().of(Referral::STORE), Some(gen + 1));
    let (after, _, from_snapshot) = db.load_snapshotted::<Referral>().await.unwrap();
    assert!(!from_snapshot);
    assert_eq!(after.len(), 2);
    db.close();
}

#[wasm_bindgen_test]
async fn the_referral_list_is_read_without_histories_and_each_whole_record_on_demand() {
    use carecoord::model::referral::Referral;
    use carecoord::model::Listed;
    let name = fresh("t-ref-list").await;
    let db = storage::open(&name).await.unwrap();
    let mut list = carecoord::io::synth_referrals::referrals(&["p1".to_string()], 40, 3, NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
    list.sort_by(|a, b| a.id.cmp(&b.id));
    let mut batch = WriteBatch::new();
    batch.put_all(&list);
    let gen = db.write(&batch, "save").await.unwrap().of(Referral::STORE).unwrap();
    let listed: Vec<Referral> = list.iter().cloned().map(Listed::listed).collect();
    let sorted = |(mut l, g, s): (Vec<Referral>, u64, bool)| {
        l.sort_by(|a, b| a.id.cmp(&b.id));
        (l, g, s)
    };

    // A snapshot of whole records (as an older version stored it) is not taken for the list.
    let whole = list.iter().fold(gen.to_string(), |v, r| v + "\u{1e}" + &serde_json::to_string(r).unwrap());
    assert!(db.save_snapshot_value::<Referral>(whole, gen).await.unwrap());
    assert_eq!(sorted(db.load_snapshotted::<Referral>().await.unwrap()), (listed.clone(), gen, false));

    // Rebuilt from disk, the snapshot holds the list fields only, and is used while current.
    db.rebuild_snapshot::<Referral>().await.unwrap();
    assert_eq!(sorted(db.load_snapshotted::<Referral>().await.unwrap()), (listed.clone(), gen, true));

    // The whole record, history and all, is still on disk, read one at a time.
    for r in &list {
        assert!(!r.history.is_empty());
        assert_eq!(db.get::<Referral>(r.id()).await.unwrap().as_ref(), Some(r));
    }

    // A move (a read-modify-write of the record as stored) keeps the history and makes the
    // list snapshot stale.
    let first = &list[0];
    let to = carecoord::model::referral::allowed_next(first.status).first().copied();
    if let Some(to) = to {
        let entry = |r: &Referral| Change::of(r, ChangeAction::Updated, Utc::now(), "Dana", "status", "n1");
        let change = |r: &mut Referral| {
            *r = r.move_to(to, "Dana", Utc::now(), "")?;
            Ok(())
        };
        let updated = db.update::<Referral, String>(first.id(), change, entry, "move").await.unwrap();
        let storage::Updated::Done(after, _) = updated else { panic!("the referral is stored") };
        assert_eq!(after.history.len(), first.history.len() + 1, "the history as stored, one move longer");
        let (read, _, from_snapshot) = db.load_snapshotted::<Referral>().await.unwrap();
        assert!(!from_snapshot, "stale after the write");
        let again = read.iter().find(|r| r.id == first.id).unwrap();
        assert_eq!((again.status, again.history.len()), (to, 0));
    }
    db.close();
}

#[wasm_bindgen_test]
async fn the_newest_referrals_come_first_and_the_rest_only_from_the_same_generation() {
    use carecoord::model::referral::Referral;
    use carecoord::model::Listed;
    use carecoord::storage::RestOf;
    let name = fresh("t-ref-parts").await;
    let db = storage::open(&name).await.unwrap();
    let list = carecoord::io::synth_referrals::referrals(&["p1".to_string()], 1_100, 5, NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
    let mut batch = WriteBatch::new();
    batch.put_all(&list);
    let gen = db.write(&batch, "save").await.unwrap().of(Referral::STORE).unwrap();
    let mut newest: Vec<Referral> = list.iter().cloned().map(Listed::listed).collect();
    newest.sort_by(Referral::newest_first);
    db.rebuild_snapshot::<Referral>().await.unwrap();

    // The first part: the newest 1,000, in the work list's order; then the other 100.
    let parts = db.load_in_parts::<Referral>().await.unwrap();
    assert_eq!((parts.gen, parts.from_snapshot), (gen, true));
    assert_eq!(parts.first, newest[..1_000]);
    let RestOf::More(more) = db.load_rest(parts.rest).await.unwrap() else { panic!("the second part is current") };
    assert_eq!(more, newest[1_000..]);

    // A write (and a new snapshot) between the two reads: the second part is of another
    // generation, so every referral is read again instead, at the new generation.
    let parts = db.load_in_parts::<Referral>().await.unwrap();
    let mut batch = WriteBatch::new();
    batch.delete::<Referral>(&newest[1_050].id);
    let gen2 = db.write(&batch, "delete").await.unwrap().of(Referral::STORE).unwrap();
    db.rebuild_snapshot::<Referral>().await.unwrap();
    match db.load_rest(parts.rest).await.unwrap() {
        RestOf::Everything(all, g) => {
            assert_eq!((all.len(), g), (1_099, gen2));
            assert!(all.iter().all(|r| r.history.is_empty()));
        }
        RestOf::More(_) => panic!("a second part of another generation was used"),
    }
    db.close();
}

#[wasm_bindgen_test]
async fn a_problem_whose_id_carried_a_diagnosis_code_gets_a_random_id_as_the_database_opens() {
    use carecoord::model::Condition;
    let name = fresh("t-migrate-condition-ids").await;
    let db = storage::open(&name).await.unwrap();
    // As schema 7 stored it: the id made from the file's keys, the SNOMED code in it.
    let v7 = serde_json::json!({
        "id": "p1-cond-snomed-44054006", "patient_id": "p1", "system": "snomed", "code": "44054006",
        "display": "Diabetes mellitus type 2", "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"
    });
    db.put_raw("conditions", "p1-cond-snomed-44054006", &JsValue::from_str(&v7.to_string())).await.unwrap();
    db.put_raw(META_STORE, "schema_version", &JsValue::from_f64(7.0)).await.unwrap();
    db.close();

    let db = storage::open(&name).await.unwrap();
    let keys: Vec<String> = db.raw_values("conditions").await.unwrap().into_iter().map(|(k, _)| k).collect();
    assert_eq!(keys.len(), 1);
    assert!(carecoord::model::ids::is_uuid(&keys[0]), "the key says nothing: {}", keys[0]);
    let c: Condition = db.get(&keys[0]).await.unwrap().unwrap();
    assert_eq!((c.source_id.as_str(), c.code.as_str(), c.patient_id.as_str()), ("snomed-44054006", "44054006", "p1"));
    db.close();
}
