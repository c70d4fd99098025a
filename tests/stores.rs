//! Every store declared in `model::stores`, against real IndexedDB in headless Chromium:
//! each one round-trips through a backup file, is emptied by a Replace, and (when it
//! belongs to a patient) is cleaned when the patient is deleted, as the declaration says.
#![cfg(target_arch = "wasm32")]

mod common;

use carecoord::io::{backup, synth};
use carecoord::model::stores::{BackupContents, Owner, STORES};
use carecoord::model::{Change, ChangeAction};
use carecoord::storage::{self, Updated, WriteBatch};
use chrono::Utc;
use common::{every_store, today};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

async fn fresh(name: &str) -> storage::Db {
    storage::delete(name).await.unwrap();
    storage::open(name).await.unwrap()
}

#[wasm_bindgen_test]
async fn every_declared_store_round_trips_through_a_backup_and_is_emptied_by_replace() {
    let db = fresh("t-stores-backup").await;
    let written = every_store();
    for (store, n) in written.counts() {
        assert!(n > 0, "the sample has no record for {store}");
    }
    assert_eq!(written.counts().len(), STORES.len(), "the sample covers every declared store");

    // Through a backup file: written, parsed back, stored, read back from disk.
    let file = backup::write(&written, Utc::now());
    let parsed = backup::parse(&file, today()).unwrap();
    assert_eq!(parsed.contents, written);
    let mut batch = WriteBatch::new();
    batch.put_contents(&parsed.contents);
    db.write(&batch, "import").await.unwrap();
    let on_disk = db.load_contents().await.unwrap();
    let sorted = |mut c: BackupContents| {
        c.patients.sort_by(|a, b| a.id.cmp(&b.id));
        c.changes.sort_by(|a, b| a.id.cmp(&b.id));
        c.conditions.sort_by(|a, b| a.id.cmp(&b.id));
        c.care_events.sort_by(|a, b| a.id.cmp(&b.id));
        c.care_rules.sort_by(|a, b| a.id.cmp(&b.id));
        c.appointments.sort_by(|a, b| a.id.cmp(&b.id));
        c.outreach.sort_by(|a, b| a.id.cmp(&b.id));
        c.referrals.sort_by(|a, b| a.id.cmp(&b.id));
        c.organizations.sort_by(|a, b| a.id.cmp(&b.id));
        c.services.sort_by(|a, b| a.id.cmp(&b.id));
        c
    };
    assert_eq!(sorted(on_disk), sorted(written));

    // Replace with an empty backup: every declared store is emptied.
    let mut replace = WriteBatch::new();
    for store in carecoord::model::schema::DATA_STORES {
        replace.clear(store);
    }
    replace.put_contents(&BackupContents::default());
    db.write(&replace, "replace").await.unwrap();
    for (store, n) in db.load_contents().await.unwrap().counts() {
        assert_eq!(n, 0, "{store} was not emptied by Replace");
    }
    db.close();
}

#[wasm_bindgen_test]
async fn deleting_a_patient_cleans_every_store_that_belongs_to_a_patient() {
    let db = fresh("t-stores-cascade").await;
    let c = every_store();
    let (gone, kept) = (c.patients[0].id.clone(), c.patients[1].id.clone());
    let mut batch = WriteBatch::new();
    batch.put_contents(&c);
    db.write(&batch, "seed").await.unwrap();

    let mut delete = WriteBatch::new();
    delete.delete_patient_everywhere(&gone);
    let written = db.write(&delete, "delete the patient").await.unwrap();
    assert!(written.patients().is_some(), "the patients' snapshot generation moves");

    let after = db.load_contents().await.unwrap();
    let before: std::collections::HashMap<&str, usize> = c.counts().into_iter().collect();
    for spec in STORES {
        let n = after.counts().into_iter().find(|(s, _)| *s == spec.name).unwrap().1;
        match spec.owner {
            Owner::None => assert_eq!(n, before[spec.name], "{} is not about one patient and stays whole", spec.name),
            Owner::Patient | Owner::ByPatientId => assert!(n < before[spec.name], "{} still holds the deleted patient's records", spec.name),
        }
    }
    assert!(after.patients.iter().all(|p| p.id != gone) && after.patients.iter().any(|p| p.id == kept));
    assert!(after.conditions.iter().all(|x| x.patient_id == kept));
    assert!(after.care_events.iter().all(|x| x.patient_id == kept));
    assert!(after.appointments.iter().all(|x| x.patient_id == kept));
    assert!(after.outreach.iter().all(|x| x.patient_id == kept));
    assert!(after.referrals.iter().all(|x| x.patient_id == kept) && !after.referrals.is_empty());
    db.close();
}

#[wasm_bindgen_test]
async fn two_overlapping_read_modify_writes_on_one_record_both_stay() {
    use carecoord::model::appointment::{Appointment, ChecklistItem};
    let db = fresh("t-stores-update").await;
    let c = every_store();
    let visit = c.appointments[0].clone();
    let mut batch = WriteBatch::new();
    batch.put_all(&c.patients).put_all(std::slice::from_ref(&visit));
    db.write(&batch, "seed").await.unwrap();

    let now = Utc::now();
    let journal = |nonce: &'static str| move |a: &Appointment| Change::of(a, ChangeAction::Updated, now, "Dana", "checklist", nonce);
    // Both start before either commits: each applies its own change to the record as stored.
    let (first, second) = futures::join!(
        db.update::<Appointment, ()>(&visit.id, |a| Ok(a.checklist.set(ChecklistItem::ALL[0], true)), journal("a"), "tick"),
        db.update::<Appointment, ()>(&visit.id, |a| Ok(a.checklist.set(ChecklistItem::ALL[1], true)), journal("b"), "tick"),
    );
    assert!(matches!(first.unwrap(), Updated::Done(..)) && matches!(second.unwrap(), Updated::Done(..)));
    let stored: Appointment = db.get(&visit.id).await.unwrap().unwrap();
    assert!(stored.checklist.get(ChecklistItem::ALL[0]) && stored.checklist.get(ChecklistItem::ALL[1]), "both ticks stay");
    assert_eq!(stored.rev, visit.rev + 2, "each write raises the revision");
    assert_eq!(db.history(&visit.id).await.unwrap().len(), 2, "each change is journaled");

    // A change that refuses: nothing is written, not even the journal entry.
    let refused = db.update::<Appointment, &str>(&visit.id, |_| Err("no"), journal("d"), "tick").await.unwrap();
    assert!(matches!(refused, Updated::Refused("no")));
    let after: Appointment = db.get(&visit.id).await.unwrap().unwrap();
    assert_eq!(after, stored);
    assert_eq!(db.history(&visit.id).await.unwrap().len(), 2);

    // A record that is not there: nothing is written, and the caller is told.
    assert!(matches!(db.update::<Appointment, ()>("no-such-visit", |_| Ok(()), journal("c"), "tick").await.unwrap(), Updated::Missing));
    db.close();
}


#[wasm_bindgen_test]
async fn a_tab_that_missed_a_new_patient_cannot_drop_it_from_the_snapshot() {
    use carecoord::model::Patient;
    let name = "t-stores-vanishing";
    storage::delete(name).await.unwrap();
    // Two tabs: B opened (and read the panel) before A added P.
    let a = storage::open(name).await.unwrap();
    let b = storage::open(name).await.unwrap();
    let now = Utc::now();
    let people = synth::patients(2, 11, now);
    let (p, q) = (people[0].clone(), people[1].clone());
    let b_memory: Vec<Patient> = b.load_patients().await.unwrap().0;
    assert!(b_memory.is_empty());

    let mut add_p = WriteBatch::new();
    add_p.put(&p);
    a.write(&add_p, "add P").await.unwrap();
    // B, still without P in memory, saves Q and then rebuilds the quick-start snapshot.
    let mut add_q = WriteBatch::new();
    add_q.put(&q);
    b.write(&add_q, "add Q").await.unwrap();
    b.rebuild_snapshot::<Patient>().await.unwrap();

    // A reload (a third connection) reads the snapshot: both patients are there.
    let reader = storage::open(name).await.unwrap();
    let (loaded, _, from_snapshot) = reader.load_patients().await.unwrap();
    assert!(from_snapshot, "the snapshot is current and used");
    let mut ids: Vec<String> = loaded.into_iter().map(|x| x.id).collect();
    ids.sort();
    let mut expected = vec![p.id.clone(), q.id.clone()];
    expected.sort();
    assert_eq!(ids, expected, "P is not lost by a tab that never saw it");
    // And a backup read from disk has both too.
    assert_eq!(reader.load_contents().await.unwrap().patients.len(), 2);
    for db in [a, b, reader] {
        db.close();
    }
}

#[wasm_bindgen_test]
async fn the_patients_snapshot_starts_with_the_panel_first_rows() {
    use carecoord::model::panel::FIRST_ROWS;
    use carecoord::model::{Listed, Panel, PanelSort, Patient};
    use carecoord::storage::RestOf;
    let db = fresh("t-stores-first-rows").await;
    let people = synth::patients(FIRST_ROWS * 2 + 37, 5, Utc::now());
    let mut batch = WriteBatch::new();
    for p in &people {
        batch.put(p);
    }
    db.write(&batch, "seed").await.unwrap();
    db.rebuild_snapshot::<Patient>().await.unwrap();

    // The first part: the panel's first rows by name, and only those.
    let parts = db.load_in_parts::<Patient>().await.unwrap();
    assert!(parts.from_snapshot && !parts.rest.is_empty());
    let whole = Panel::new(people.clone());
    let first_ids: Vec<String> = whole.search("", PanelSort::Name)[..FIRST_ROWS].iter().map(|&i| whole.at(i).id.clone()).collect();
    assert_eq!(parts.first.iter().map(|p| p.id.clone()).collect::<Vec<_>>(), first_ids);
    // The rest completes the panel, in the same order.
    let RestOf::More(more) = db.load_rest(parts.rest).await.unwrap() else { panic!("the rest is read again from the records") };
    let mut all = parts.first;
    all.extend(more);
    let mut sorted = people.clone();
    Patient::sort_list(&mut sorted);
    assert_eq!(all, sorted);

    // A change makes both parts stale: every record is read (in the same order).
    let mut batch = WriteBatch::new();
    batch.put(&people[0]);
    db.write(&batch, "touch").await.unwrap();
    let parts = db.load_in_parts::<Patient>().await.unwrap();
    assert!(!parts.from_snapshot && parts.rest.is_empty());
    assert_eq!(parts.first, sorted);
    db.close();
}

/// Everything in `store` as text: a plain value's JSON, a sealed value's fields and bytes.
async fn raw_text(db: &storage::Db, store: &str) -> String {
    let mut text = String::new();
    for (key, value) in db.raw_values(store).await.unwrap() {
        text.push_str(&key);
        let json = js_sys::JSON::stringify(&value).map(String::from).unwrap_or_default();
        text.push_str(&json);
        if let Some(c) = js_sys::Reflect::get(&value, &"c".into()).ok().and_then(|c| c.dyn_into::<js_sys::Uint8Array>().ok()) {
            text.push_str(&String::from_utf8_lossy(&c.to_vec()));
        }
    }
    text
}

#[wasm_bindgen_test]
async fn with_protection_on_no_stored_value_holds_a_name_an_mrn_or_a_birth_date() {
    use carecoord::model::Patient;
    use carecoord::storage::crypto;
    let db = fresh("t-stores-protected").await;
    let c = every_store();
    // Written in clear first, with a quick-start snapshot: then protection is turned on.
    let mut batch = WriteBatch::new();
    batch.put_contents(&c);
    db.write(&batch, "seed").await.unwrap();
    db.rebuild_snapshot::<Patient>().await.unwrap();
    let (protection, key) = crypto::new_protection("correct horse battery").await.unwrap();
    db.save_protection(Some(&protection)).await.unwrap();
    db.use_key(key, true);
    db.reseal_all(true, |_| {}).await.unwrap();
    // And a change after it, with a new snapshot.
    let p = c.patients[0].clone();
    let journal = |r: &Patient| Change::of(r, ChangeAction::Updated, Utc::now(), "Dana", "phone", "n-protected");
    db.update::<Patient, ()>(&p.id, |r| Ok(r.phone = "555-0101".into()), journal, "edit").await.unwrap();
    db.rebuild_snapshot::<Patient>().await.unwrap();
    db.rebuild_snapshot::<carecoord::model::referral::Referral>().await.unwrap();

    let mut secrets: Vec<String> = c.patients.iter().flat_map(|p| [p.first_name.clone(), p.last_name.clone(), p.mrn.clone(), p.date_of_birth.to_string()]).collect();
    secrets.extend(c.conditions.iter().flat_map(|x| [x.code.clone(), x.display.clone()]));
    secrets.extend(c.referrals.iter().map(|r| r.reason.clone()).filter(|r| !r.is_empty()));
    assert!(!c.referrals.is_empty());
    for store in storage::ALL_STORES {
        let text = raw_text(&db, store).await;
        for secret in &secrets {
            assert!(!text.contains(secret.as_str()), "{store} holds {secret:?} in clear");
        }
    }
    // The directory stays in clear (the kiosk reads it without the passphrase).
    assert!(raw_text(&db, "services").await.contains(&c.services[0].name));

    // With the key, everything reads back as written; the snapshot is used.
    let (patients, _, from_snapshot) = db.load_patients().await.unwrap();
    assert!(from_snapshot);
    assert_eq!(patients.iter().find(|x| x.id == p.id).unwrap().phone, "555-0101");
    let (referrals, _, from_snapshot) = db.load_snapshotted::<carecoord::model::referral::Referral>().await.unwrap();
    assert!(from_snapshot, "both parts of the sealed referral snapshot open");
    assert_eq!(referrals.len(), c.referrals.len());
    let back = db.load_contents().await.unwrap();
    assert_eq!(back.conditions, c.conditions);
    let ids = |list: &[carecoord::model::referral::Referral]| {
        let mut v: Vec<String> = list.iter().map(|r| format!("{r:?}")).collect();
        v.sort();
        v
    };
    assert_eq!(ids(&back.referrals), ids(&c.referrals));
    // Without it, nothing about a patient can be read, and the message says why.
    db.forget_key();
    let locked = db.load_all::<carecoord::model::Condition>().await.unwrap_err();
    assert!(locked.message.contains("CareCoord is locked"), "{}", locked.message);
    assert_eq!(db.load_all::<carecoord::model::directory::Service>().await.unwrap().len(), c.services.len());
    db.close();
}

/// A fresh database protected by `passphrase`, holding the every-store sample (sealed).
async fn protected(name: &str, passphrase: &str) -> (storage::Db, BackupContents, carecoord::model::protection::Protection) {
    let db = fresh(name).await;
    let c = every_store();
    let (protection, key) = storage::crypto::new_protection(passphrase).await.unwrap();
    db.save_protection(Some(&protection)).await.unwrap();
    db.use_key(key, true);
    let mut batch = WriteBatch::new();
    batch.put_contents(&c);
    db.write(&batch, "seed").await.unwrap();
    (db, c, protection)
}

#[wasm_bindgen_test]
async fn only_the_right_passphrase_opens_the_key_and_a_change_of_passphrase_keeps_every_record() {
    use carecoord::model::Patient;
    use carecoord::storage::crypto;
    let (db, c, protection) = protected("t-stores-passphrase", "first passphrase").await;

    assert!(crypto::unwrap_key(&protection, "first passphrasE").await.unwrap().is_none(), "a wrong passphrase does not unlock");
    assert!(crypto::rewrap(&protection, "wrong", "second passphrase").await.unwrap().is_none(), "nor change it");
    let changed = crypto::rewrap(&protection, "first passphrase", "second passphrase").await.unwrap().unwrap();
    assert_eq!(changed.phase, protection.phase);
    db.save_protection(Some(&changed)).await.unwrap();

    db.forget_key();
    let stored = db.protection().await.unwrap().unwrap();
    assert!(crypto::unwrap_key(&stored, "first passphrase").await.unwrap().is_none(), "the old passphrase no longer opens it");
    let key = crypto::unwrap_key(&stored, "second passphrase").await.unwrap().expect("the new one does");
    db.use_key(key, true);
    let back = db.load_contents().await.unwrap();
    assert_eq!(back.patients.len(), c.patients.len());
    assert_eq!(back.appointments, c.appointments);
    assert_eq!(db.get::<Patient>(&c.patients[1].id).await.unwrap(), Some(c.patients[1].clone()));
    db.close();
}

#[wasm_bindgen_test]
async fn a_flipped_byte_in_a_protected_value_is_refused_naming_the_store() {
    use carecoord::model::Patient;
    let (db, c, _) = protected("t-stores-tampered", "correct horse battery").await;

    let id = c.patients[0].id.clone();
    let (_, value) = db.raw_values("patients").await.unwrap().into_iter().find(|(k, _)| *k == id).unwrap();
    let bytes: js_sys::Uint8Array = js_sys::Reflect::get(&value, &"c".into()).unwrap().dyn_into().unwrap();
    let at = bytes.length() / 2;
    bytes.set_index(at, bytes.get_index(at) ^ 0x01);
    db.put_raw("patients", &id, &value).await.unwrap();

    let refused = db.get::<Patient>(&id).await.unwrap_err();
    assert!(refused.message.starts_with("A protected record (patient) could not be decrypted"), "{}", refused.message);
    assert!(db.load_all::<Patient>().await.is_err(), "the whole read is refused, never half a panel");
    // The other records are untouched.
    assert_eq!(db.get::<Patient>(&c.patients[1].id).await.unwrap(), Some(c.patients[1].clone()));
    db.close();
}
