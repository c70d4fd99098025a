//! Several tabs on one device (`storage::tabs`), as far as one page can show it: two
//! connections to one database, the message a write posts, a newer version's upgrade, and
//! an upgrade blocked by an older connection. Headless Chromium (wasm-bindgen-test).
#![cfg(target_arch = "wasm32")]

use std::cell::Cell;
use std::rc::Rc;

use carecoord::model::{Change, ChangeAction, Patient, PatientDraft, Record};
use carecoord::model::schema::SCHEMA_VERSION;
use carecoord::storage::tabs::{self, Fresh, StoreWritten, TabMessage};
use carecoord::storage::{self, WriteBatch};
use chrono::{NaiveDate, TimeZone, Utc};
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn patient(id: &str, first: &str, last: &str) -> Patient {
    PatientDraft { first_name: first.into(), last_name: last.into(), date_of_birth: "1970-05-05".into(), ..Default::default() }
        .validate(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap())
        .unwrap()
        .into_new(id.into(), Utc.with_ymd_and_hms(2026, 11, 1, 9, 0, 0).unwrap())
}

fn journal(p: &Patient, action: ChangeAction, nonce: &str) -> Change {
    Change::of(p, action, Utc.with_ymd_and_hms(2026, 11, 1, 9, 0, 0).unwrap(), "Dana", "", nonce)
}

async fn fresh_name(name: &str) -> String {
    storage::delete(name).await.unwrap();
    name.to_string()
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms).unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}

/// The next message on a channel object of its own (as another tab would have), as text.
fn next_message(channel: &web_sys::BroadcastChannel) -> JsFuture {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let on = Closure::once_into_js(move |ev: web_sys::MessageEvent| {
            let _ = resolve.call1(&JsValue::NULL, &ev.data());
        });
        channel.set_onmessage(Some(on.unchecked_ref()));
    });
    JsFuture::from(promise)
}

#[wasm_bindgen_test]
async fn a_write_through_one_connection_is_read_again_through_another() {
    let name = fresh_name("t-tabs-two").await;
    let a = storage::open(&name).await.unwrap();
    let b = storage::open(&name).await.unwrap();
    let p = patient("a0000000-0000-4000-8000-0000000000a1", "María", "Núñez");
    let mut batch = WriteBatch::new();
    batch.add(&p).journal(&journal(&p, ChangeAction::Created, "01"));
    a.write(&batch, "save").await.unwrap();

    let got = b.reread::<Patient>(&[p.id.clone(), "not-stored".into()]).await.unwrap();
    assert_eq!(got, vec![(p.id.clone(), Some(p.clone())), ("not-stored".to_string(), None)]);

    // Deleted in A: B's copy loses it.
    let mut held = vec![p.clone()];
    let mut batch = WriteBatch::new();
    batch.delete_patient_everywhere(&p.id).journal(&journal(&p, ChangeAction::Deleted, "02"));
    a.write(&batch, "delete").await.unwrap();
    let written = StoreWritten { store: Patient::STORE.into(), ids: vec![p.id.clone()], ..Default::default() };
    b.fresh::<Patient>(&written).await.unwrap().apply_to(&mut held);
    assert!(held.is_empty());
    let everything = StoreWritten { store: Patient::STORE.into(), everything: true, ..Default::default() };
    assert!(matches!(b.fresh::<Patient>(&everything).await.unwrap(), Fresh::Everything(all) if all.is_empty()));
    a.close();
    b.close();
}

#[wasm_bindgen_test]
async fn a_write_is_announced_with_its_stores_and_ids_and_no_values() {
    let name = fresh_name("t-tabs-message").await;
    let db = storage::open(&name).await.unwrap();
    let other_tab = web_sys::BroadcastChannel::new(tabs::CHANNEL).unwrap();

    let p = patient("b0000000-0000-4000-8000-0000000000b2", "Zenaida", "Quispe");
    let heard = next_message(&other_tab);
    let mut batch = WriteBatch::new();
    batch.add(&p).journal(&journal(&p, ChangeAction::Created, "01"));
    db.write(&batch, "save").await.unwrap();
    let text = heard.await.unwrap().as_string().expect("a text message");
    assert!(!text.contains("Zenaida") && !text.contains("Quispe") && !text.contains("1970"), "no value in {text}");
    let message: TabMessage = serde_json::from_str(&text).unwrap();
    assert_eq!(message.db, name);
    let patients = message.stores.iter().find(|s| s.store == Patient::STORE).expect("the patients store");
    assert_eq!(patients.ids, vec![p.id.clone()]);
    assert!(!patients.everything);
    assert!(patients.generation.is_some(), "the patients store has a snapshot generation");
    assert!(message.stores.iter().any(|s| s.store == Change::STORE));

    // A clear says "everything in the store", with no ids.
    let heard = next_message(&other_tab);
    let mut batch = WriteBatch::new();
    batch.clear(Patient::STORE).put(&p);
    db.write(&batch, "replace").await.unwrap();
    let message: TabMessage = serde_json::from_str(&heard.await.unwrap().as_string().unwrap()).unwrap();
    let patients = message.stores.iter().find(|s| s.store == Patient::STORE).unwrap();
    assert!(patients.everything && patients.ids.is_empty());

    // A patient deleted with what is theirs: every record deleted is named.
    let heard = next_message(&other_tab);
    let mut batch = WriteBatch::new();
    batch.delete_patient_everywhere(&p.id);
    db.write(&batch, "delete").await.unwrap();
    let message: TabMessage = serde_json::from_str(&heard.await.unwrap().as_string().unwrap()).unwrap();
    assert_eq!(message.stores.iter().find(|s| s.store == Patient::STORE).unwrap().ids, vec![p.id.clone()]);

    // The listener hears the other tab's messages about its database only.
    let got = Rc::new(std::cell::RefCell::new(Vec::new()));
    let sink = got.clone();
    let listener = tabs::listen(&name, move |m| sink.borrow_mut().push(m)).expect("BroadcastChannel");
    let mine = TabMessage { db: name.clone(), stores: vec![StoreWritten { store: "patients".into(), ids: vec!["x".into()], ..Default::default() }], lock: false };
    let theirs = TabMessage { db: "another-database".into(), ..mine.clone() };
    other_tab.post_message(&JsValue::from_str(&serde_json::to_string(&theirs).unwrap())).unwrap();
    other_tab.post_message(&JsValue::from_str(&serde_json::to_string(&mine).unwrap())).unwrap();
    for _ in 0..50 {
        if !got.borrow().is_empty() {
            break;
        }
        sleep(20).await;
    }
    sleep(50).await;
    assert_eq!(*got.borrow(), vec![mine]);
    drop(listener);
    other_tab.close();
    db.close();
}

#[wasm_bindgen_test]
async fn a_newer_version_closes_the_old_connection_and_it_refuses_writes() {
    let name = fresh_name("t-tabs-upgrade").await;
    let old = storage::open(&name).await.unwrap();
    let told = Rc::new(Cell::new(false));
    let t = told.clone();
    old.on_outdated(move || t.set(true));

    // A "newer tab": the same stores at a higher version. It must not wait for the old one.
    let mut builder = rexie::Rexie::builder(&name).version(SCHEMA_VERSION + 1);
    for store in storage::ALL_STORES {
        builder = builder.add_object_store(rexie::ObjectStore::new(store));
    }
    let newer = builder.build().await.expect("the upgrade goes on");
    assert!(told.get() && old.is_outdated());

    let p = patient("c0000000-0000-4000-8000-0000000000c3", "Ana", "Lima");
    let mut batch = WriteBatch::new();
    batch.add(&p);
    let refused = old.write(&batch, "save").await.unwrap_err();
    assert!(refused.message.starts_with(tabs::OUTDATED), "{}", refused.message);
    newer.close();
    old.close();
    storage::delete(&name).await.unwrap();
}

/// Opens `name` at `version` with a plain connection that ignores `versionchange`, as an
/// old tab that does not let go would.
async fn stubborn_connection(name: &str, version: u32) -> web_sys::IdbDatabase {
    let factory = web_sys::window().unwrap().indexed_db().unwrap().unwrap();
    let request = factory.open_with_u32(name, version).unwrap();
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let r = request.clone();
        let on = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = resolve.call1(&JsValue::NULL, &r.result().unwrap());
        });
        request.set_onsuccess(Some(on.unchecked_ref()));
    });
    JsFuture::from(promise).await.unwrap().dyn_into().unwrap()
}

#[wasm_bindgen_test]
async fn a_blocked_upgrade_says_so_and_goes_on_when_the_old_tab_closes() {
    let name = fresh_name("t-tabs-blocked").await;
    let stubborn = stubborn_connection(&name, SCHEMA_VERSION - 1).await;
    let blocked = Rc::new(Cell::new(false));
    let b = blocked.clone();
    let opening = storage::open_in_tab(&name, move || b.set(true));
    let close_later = async {
        sleep(tabs::BLOCKED_AFTER_MS + 500).await;
        let said = blocked.get();
        stubborn.close();
        said
    };
    let (db, said) = futures::join!(opening, close_later);
    assert!(said, "the blocked open said so while it waited");
    let db = db.expect("the open goes on once the old tab closed");
    assert_eq!(db.schema_version().await.unwrap(), Some(SCHEMA_VERSION));
    db.close();
}

