//! This device's own records (kiosk lock, settings) and WebCrypto, in headless Chromium.
#![cfg(target_arch = "wasm32")]

use carecoord::model::ids::hex;
use carecoord::model::kiosk::{KioskLock, LockState, PinHash, PIN_ITERATIONS};
use carecoord::storage::{commit_refused, crypto, device, settings};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn pbkdf2_sha256_matches_the_published_vectors() {
    // RFC 6070's inputs with SHA-256 (as published with RFC 7914 and by the PBKDF2 test suites).
    let one = crypto::pbkdf2_sha256("password", b"salt", 1).await.unwrap();
    assert_eq!(hex(&one), "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b");
    let many = crypto::pbkdf2_sha256("password", b"salt", 4096).await.unwrap();
    assert_eq!(hex(&many), "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a");
    // RFC 7914 section 11, first 32 bytes.
    let rfc = crypto::pbkdf2_sha256("passwd", b"salt", 1).await.unwrap();
    assert_eq!(hex(&rfc), "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc");
}

#[wasm_bindgen_test]
async fn a_pin_hashed_at_the_real_cost_matches_only_itself() {
    let salt = [9u8; 16];
    let derived = crypto::pbkdf2_sha256("2468", &salt, PIN_ITERATIONS).await.unwrap();
    let pin = PinHash { salt: hex(&salt), iterations: PIN_ITERATIONS, hash: hex(&derived) };
    assert!(pin.matches(&crypto::pbkdf2_sha256("2468", &salt, PIN_ITERATIONS).await.unwrap()));
    assert!(!pin.matches(&crypto::pbkdf2_sha256("2469", &salt, PIN_ITERATIONS).await.unwrap()));
}

#[wasm_bindgen_test]
fn the_kiosk_lock_fails_closed() {
    device::remove(device::KIOSK_KEY);
    assert!(!device::kiosk_lock().is_locked());
    device::set(device::KIOSK_KEY, "{broken").unwrap();
    assert_eq!(device::kiosk_lock(), LockState::Unreadable);
    let pin = PinHash { salt: hex(&[1u8; 16]), iterations: PIN_ITERATIONS, hash: hex(&[2u8; 32]) };
    let locked = KioskLock::default().with_pin(pin).start().unwrap();
    device::save_kiosk_lock(&locked).unwrap();
    assert_eq!(device::kiosk_lock(), LockState::Locked(locked.clone()));
    device::save_kiosk_lock(&locked.after_right()).unwrap();
    assert!(!device::kiosk_lock().is_locked());
    device::remove(device::KIOSK_KEY);
}

#[wasm_bindgen_test]
fn unreadable_settings_give_the_defaults_with_a_notice_and_an_old_pin_is_dropped() {
    device::set("carecoord.settings", "{not json").unwrap();
    let (s, notice) = settings::load();
    assert_eq!(s, Default::default());
    assert!(notice.unwrap().contains("defaults are in use"));

    device::set("carecoord.settings", r#"{"coordinator_name":"Dana","kiosk_pin_hash":"9f3a0c11d2e4b5a6"}"#).unwrap();
    let (s, notice) = settings::load();
    assert_eq!(s.coordinator_name, "Dana");
    assert!(notice.unwrap().contains("Set the PIN again"));
    assert!(!device::get("carecoord.settings").unwrap().contains("kiosk_pin_hash"), "the weak hash is gone from the device");
    assert_eq!(settings::load().1, None, "said once");
    device::remove("carecoord.settings");
}

#[wasm_bindgen_test]
fn a_refused_commit_on_a_full_device_says_so() {
    assert!(commit_refused(Some(99.0e6), Some(100.0e6), 1_000_000).starts_with("this device is full"));
    assert!(!commit_refused(Some(10.0e6), Some(100.0e9), 1_000).starts_with("this device is full"));
    assert!(!commit_refused(None, None, 1_000).starts_with("this device is full"));
}

#[wasm_bindgen_test]
async fn the_kiosk_database_holds_one_whole_directory_and_its_note() {
    use carecoord::model::kiosk_directory::{DirectorySource, HeldDirectory};
    use carecoord::storage::kiosk_db;
    const NAME: &str = "carecoord-kiosk-test";
    let _ = kiosk_db::delete(NAME).await;
    let db = kiosk_db::open(NAME).await.unwrap();
    let empty = db.load().await.unwrap();
    assert_eq!((empty.text, empty.held), (None, None));

    let first = HeldDirectory::published("[1]", Some(1_000), 1);
    db.replace("[1]", &first).await.unwrap();
    let second = HeldDirectory::handover(2_000, 2);
    db.replace(r#"[{"id":"o","name":"Org","services":[]}]"#, &second).await.unwrap();
    let held = db.load().await.unwrap();
    assert_eq!(held.text.as_deref(), Some(r#"[{"id":"o","name":"Org","services":[]}]"#));
    assert_eq!(held.held.as_ref().map(|h| h.source), Some(DirectorySource::Device));
    assert_eq!(held.held, Some(second));
    db.close();
    kiosk_db::delete(NAME).await.unwrap();
}
