//! Components mounted in headless Chromium (wasm-bindgen-test): click, wait, read the DOM.
#![cfg(target_arch = "wasm32")]

mod common;

use carecoord::components::patient_form::PatientForm;
use carecoord::model::{Patient, PatientDraft};
use carecoord::state::{AppState, LoadStatus};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Waits up to two seconds for `cond`.
async fn until(what: &str, cond: impl Fn() -> bool) {
    for _ in 0..100 {
        if cond() {
            return;
        }
        carecoord::web::sleep(20).await;
    }
    panic!("timed out waiting for {what}");
}

fn text_of(root: &web_sys::Element) -> String {
    root.text_content().unwrap_or_default()
}

fn type_into(id: &str, value: &str) {
    let input: web_sys::HtmlInputElement = document().get_element_by_id(id).unwrap().unchecked_into();
    input.set_value(value);
    input.dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &{
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        init
    }).unwrap()).unwrap();
}

fn click_button(root: &web_sys::Element, label: &str) {
    let buttons = root.query_selector_all("button").unwrap();
    for i in 0..buttons.length() {
        let b: web_sys::HtmlElement = buttons.get(i).unwrap().unchecked_into();
        if b.text_content().unwrap_or_default().trim() == label {
            b.click();
            return;
        }
    }
    panic!("no button {label}");
}

#[wasm_bindgen_test]
async fn patient_form_shows_field_errors_then_saves_to_the_panel() {
    carecoord::storage::delete("t-components").await.unwrap();
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    let saved = RwSignal::new(None::<Patient>);
    let state = StoredValue::new(None::<AppState>);
    let handle = leptos::mount::mount_to(root.clone().unchecked_into(), move || {
        let s = AppState::start("t-components");
        state.set_value(Some(s));
        let on_saved = Callback::new(move |p: Patient| saved.set(Some(p)));
        view! { <PatientForm initial=PatientDraft::default() on_saved=on_saved on_cancel=Callback::new(|_| {})/> }
    });
    let state = state.get_value().unwrap();
    until("the database to open", || state.load().get_untracked() == LoadStatus::Ready).await;

    click_button(&root, "Save");
    until("field errors", || text_of(&root).contains("First name is required.")).await;
    let text = text_of(&root);
    assert!(text.contains("Last name is required."));
    assert!(text.contains("Date of birth is required."));
    assert!(text.contains("Not saved: 3 fields to fix"));
    assert_eq!(document().active_element().unwrap().id(), "pf-first-name", "focus moves to the first field to fix");
    assert!(saved.get_untracked().is_none());
    assert_eq!(state.panel.with_untracked(|p| p.len()), 0);

    type_into("pf-first-name", "María");
    type_into("pf-last-name", "Núñez");
    type_into("pf-dob", "1990-02-28");
    click_button(&root, "Save");
    until("the save", || saved.get_untracked().is_some()).await;
    let p = saved.get_untracked().unwrap();
    assert_eq!(p.full_name(), "María Núñez");
    assert_eq!(state.panel.with_untracked(|panel| panel.get(&p.id).cloned()), Some(p.clone()));
    assert!(!text_of(&root).contains("is required"), "errors are cleared after a good save");

    // It is on disk, not only in memory.
    let db = carecoord::storage::open("t-components").await.unwrap();
    assert_eq!(db.get::<Patient>(&p.id).await.unwrap(), Some(p));
    db.close();
    handle.forget();
}

#[wasm_bindgen_test]
async fn the_kiosk_shows_the_copy_its_own_database_holds() {
    use carecoord::model::kiosk_directory::HeldDirectory;
    use carecoord::state::kiosk_directory::KioskDirectoryState;
    use carecoord::storage::kiosk_db;
    const NAME: &str = "t-kiosk-own";
    let _ = kiosk_db::delete(NAME).await;
    let (orgs, services) = carecoord::io::synth_directory::directory(3, 1, chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
    let db = kiosk_db::open(NAME).await.unwrap();
    db.replace(&carecoord::io::hsds::export_json(&orgs, &services), &HeldDirectory::handover(1_000, services.len())).await.unwrap();
    db.close();

    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    let state = StoredValue::new(None::<KioskDirectoryState>);
    // No published file at this address: the kiosk keeps what it holds.
    let handle = leptos::mount::mount_to(root.clone().unchecked_into(), move || {
        state.set_value(Some(KioskDirectoryState::start(NAME, "/no-directory-published-here.json")));
        view! { <p>"kiosk"</p> }
    });
    let state = state.get_value().unwrap();
    until("the kiosk to load", || state.load().get_untracked() == LoadStatus::Ready).await;
    until("the directory to show", || state.catalog().with_untracked(|c| c.len()) == 3).await;
    let mut names: Vec<String> = state.catalog().with_untracked(|c| c.services().iter().map(|s| s.name.clone()).collect());
    let mut expected: Vec<String> = services.iter().map(|s| s.name.clone()).collect();
    names.sort();
    expected.sort();
    assert_eq!(names, expected);
    carecoord::web::sleep(200).await;
    assert_eq!(state.catalog().with_untracked(|c| c.len()), 3, "a missing published file changes nothing");
    handle.forget();
}

/// Starts the app's state on a fresh database `name` and waits until every store is read.
async fn started(name: &'static str) -> AppState {
    carecoord::storage::delete(name).await.unwrap();
    let root = document().create_element("div").unwrap();
    let state = StoredValue::new(None::<AppState>);
    let handle = leptos::mount::mount_to(root.unchecked_into(), move || {
        state.set_value(Some(AppState::start(name)));
    });
    handle.forget();
    let state = state.get_value().unwrap();
    until("every store to be read", || state.all_ready().get_untracked()).await;
    state
}

/// What another window does: a change written straight to the store (its revision raised).
async fn changed_elsewhere(name: &str, id: &str, change: impl Fn(&mut Patient)) {
    use carecoord::model::{Change, ChangeAction};
    let db = carecoord::storage::open(name).await.unwrap();
    let now = carecoord::web::now();
    let apply = |p: &mut Patient| {
        change(p);
        Ok::<(), ()>(())
    };
    let done = db.update::<Patient, ()>(id, apply, |p| Change::of(p, ChangeAction::Updated, now, "Other window", "phone", "n-elsewhere"), "edit").await.unwrap();
    assert!(matches!(done, carecoord::storage::Updated::Done(..)));
    db.close();
}

#[wasm_bindgen_test]
async fn a_change_to_an_older_copy_is_merged_when_fields_differ_and_refused_when_they_overlap() {
    use carecoord::state::{Failure, SaveError};
    let name = "t-components-revisions";
    let state = started(name).await;
    let draft = PatientDraft { first_name: "Ada".into(), last_name: "Byron".into(), date_of_birth: "1960-12-10".into(), ..Default::default() };
    let base = state.panel.save(draft, None).await.unwrap();

    // Another window changes the phone; this one, drawn before, changes the notes: both stay.
    changed_elsewhere(name, &base.id, |p| p.phone = "555-0101".into()).await;
    let mut mine = base.to_draft();
    mine.notes = "Prefers mornings".into();
    let merged = state.panel.save(mine, Some(base.clone())).await.unwrap();
    assert_eq!((merged.phone.as_str(), merged.notes.as_str()), ("555-0101", "Prefers mornings"));
    let db = carecoord::storage::open(name).await.unwrap();
    let stored: Patient = db.get(&base.id).await.unwrap().unwrap();
    assert_eq!(stored, merged, "what is stored is what the panel shows");
    assert_eq!(stored.rev, base.rev + 2);
    db.close();

    // Another window changes the phone again; a save from the old copy that changes the
    // phone too is refused, and what is stored is left as it was.
    changed_elsewhere(name, &base.id, |p| p.phone = "555-0199".into()).await;
    let mut stale = merged.to_draft();
    stale.phone = "555-0000".into();
    let refused = state.panel.save(stale, Some(merged.clone())).await;
    let Err(SaveError::Failed(Failure::Stale(message))) = refused else { panic!("expected a stale refusal, got {refused:?}") };
    assert!(message.starts_with("This patient was changed in another window"), "{message}");
    assert!(message.contains("phone"), "{message}");
    let db = carecoord::storage::open(name).await.unwrap();
    let stored: Patient = db.get(&base.id).await.unwrap().unwrap();
    db.close();
    assert_eq!(stored.phone, "555-0199", "the other window's change stays");
    assert_eq!(state.panel.with_untracked(|p| p.get(&base.id).map(|p| p.phone.clone())), Some("555-0199".into()), "the panel shows what is stored");
}

#[wasm_bindgen_test]
async fn the_state_deletes_a_patient_from_every_slice_and_merges_or_replaces_a_backup() {
    use carecoord::io::{backup, synth};
    use carecoord::model::stores::BackupContents;
    use carecoord::state::ImportMode;
    let name = "t-components-slices";
    carecoord::storage::delete(name).await.unwrap();
    let c = common::every_store();
    let db = carecoord::storage::open(name).await.unwrap();
    let mut batch = carecoord::storage::WriteBatch::new();
    batch.put_contents(&c);
    db.write(&batch, "seed").await.unwrap();
    db.close();
    let root = document().create_element("div").unwrap();
    let state = StoredValue::new(None::<AppState>);
    leptos::mount::mount_to(root.unchecked_into(), move || state.set_value(Some(AppState::start(name)))).forget();
    let state = state.get_value().unwrap();
    until("every store to be read", || state.all_ready().get_untracked()).await;
    let (gone, kept) = (c.patients[0].id.clone(), c.patients[1].id.clone());

    // The cascade: gone from every slice, and from disk.
    state.delete_patient(gone.clone()).await.unwrap();
    assert!(state.panel.with_untracked(|p| p.get(&gone).is_none() && p.get(&kept).is_some()));
    assert!(state.registry.with_untracked(|r| r.all_conditions().all(|x| x.patient_id == kept)));
    assert!(state.registry.with_untracked(|r| r.all_events().all(|x| x.patient_id == kept)));
    assert!(state.schedule.appointments.with_untracked(|l| !l.is_empty() && l.iter().all(|a| a.patient_id == kept)));
    assert!(state.schedule.outreach.with_untracked(|l| !l.is_empty() && l.iter().all(|a| a.patient_id == kept)));
    assert!(state.referrals.with_untracked(|l| !l.is_empty() && l.iter().all(|r| r.patient_id == kept)));
    let db = carecoord::storage::open(name).await.unwrap();
    let on_disk = db.load_contents().await.unwrap();
    db.close();
    assert!(on_disk.referrals.iter().all(|r| r.patient_id == kept));

    // Merge: the backup's patient is added; every other slice keeps what it held.
    let newcomer = synth::patients(1, 99, carecoord::web::now());
    let only_newcomer = BackupContents { patients: newcomer.clone(), ..Default::default() };
    let file = backup::parse(&backup::write(&only_newcomer, carecoord::web::now()), common::today()).unwrap();
    let held = |s: AppState| (s.schedule.appointments.with_untracked(Vec::len), s.referrals.with_untracked(Vec::len), s.directory.with_untracked(|d| d.len()));
    let before = held(state);
    state.import_backup(file.clone(), ImportMode::Merge).await.unwrap();
    assert!(state.panel.with_untracked(|p| p.len() == 2 && p.get(&newcomer[0].id).is_some()));
    assert_eq!(held(state), before);

    // Replace: every slice holds what the backup holds, and nothing else.
    state.import_backup(file, ImportMode::Replace).await.unwrap();
    assert!(state.panel.with_untracked(|p| p.len() == 1 && p.get(&newcomer[0].id).is_some()));
    assert_eq!(held(state), (0, 0, 0));
    assert!(state.registry.with_untracked(|r| r.all_conditions().next().is_none() && r.all_events().next().is_none()));
    assert!(state.schedule.outreach.with_untracked(Vec::is_empty));
}
