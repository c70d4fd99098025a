//! What this device keeps outside IndexedDB, in localStorage: the kiosk lock, the settings
//! and the overrides tests use. Records never go there. Also what the browser says of this
//! site's storage: whether it is persistent, how much is used, and whether the window keeps
//! data only until it closes (a private window).
//!
//! localStorage can be missing or blocked (a browser setting, some embedded views); every
//! function here answers that with a value or a message, never a throw.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::model::kiosk::{KioskLock, LockState};

/// localStorage key of the kiosk lock record (`model::kiosk::KioskLock` as JSON).
pub const KIOSK_KEY: &str = "carecoord.kiosk";

const BLOCKED: &str = "This browser does not let CareCoord keep anything on this device: site data (cookies and local storage) is blocked for this site, or the browser is in a mode that allows none.";

fn local() -> Result<web_sys::Storage, String> {
    match web_sys::window().map(|w| w.local_storage()) {
        Some(Ok(Some(storage))) => Ok(storage),
        _ => Err(BLOCKED.to_string()),
    }
}

/// Checks, before anything else starts, that this device's storage can be used at all.
pub fn check_available() -> Result<(), String> {
    let storage = local()?;
    let probe = "carecoord.probe";
    storage.set_item(probe, "1").map_err(|_| BLOCKED.to_string())?;
    let _ = storage.remove_item(probe);
    Ok(())
}

/// The text kept under `key`, or `None` (none, or storage unavailable).
pub fn get(key: &str) -> Option<String> {
    local().ok()?.get_item(key).ok().flatten()
}

/// Keeps `value` under `key`.
pub fn set(key: &str, value: &str) -> Result<(), String> {
    local()?
        .set_item(key, value)
        .map_err(|_| "This device's storage is full or blocked, so the change was not kept.".to_string())
}

/// Removes what is kept under `key`.
pub fn remove(key: &str) {
    if let Ok(storage) = local() {
        let _ = storage.remove_item(key);
    }
}

/// The kiosk lock, read before any store is opened. Storage that cannot be read, or a
/// record that cannot be parsed, counts as locked.
pub fn kiosk_lock() -> LockState {
    match local().map(|s| s.get_item(KIOSK_KEY)) {
        Ok(Ok(raw)) => LockState::from_stored(raw.as_deref()),
        _ => LockState::Unreadable,
    }
}

/// Keeps the kiosk lock record.
pub fn save_kiosk_lock(lock: &KioskLock) -> Result<(), String> {
    let text = serde_json::to_string(lock).map_err(|_| "Could not keep the kiosk settings.".to_string())?;
    set(KIOSK_KEY, &text)
}

/// What the browser says of this site's storage.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StorageReport {
    /// Whether the browser promised not to clear this site's data when space runs low.
    pub persisted: Option<bool>,
    /// Bytes used and available to this site, as the browser estimates them.
    pub usage: Option<f64>,
    pub quota: Option<f64>,
    /// The browser keeps this site's data only until the window closes (a private window).
    pub in_memory_only: bool,
}

fn manager() -> Option<web_sys::StorageManager> {
    let navigator = web_sys::window()?.navigator();
    // Older browsers have no `navigator.storage`.
    js_sys::Reflect::has(&navigator, &JsValue::from_str("storage")).ok()?.then(|| navigator.storage())
}

async fn promise(p: Result<js_sys::Promise, JsValue>) -> Option<JsValue> {
    JsFuture::from(p.ok()?).await.ok()
}

/// Asks the browser to keep this site's data even when space runs low (some browsers ask
/// the person; Chromium decides by itself). Returns whether it is persistent now.
pub async fn ask_to_persist() -> Option<bool> {
    let m = manager()?;
    if promise(m.persisted()).await?.as_bool() == Some(true) {
        return Some(true);
    }
    promise(m.persist()).await?.as_bool()
}

/// Persistence, usage and quota, and whether this looks like a private window.
pub async fn report() -> StorageReport {
    let Some(m) = manager() else { return StorageReport::default() };
    let persisted = promise(m.persisted()).await.and_then(|v| v.as_bool());
    let (usage, quota) = estimate().await;
    StorageReport { persisted, usage, quota, in_memory_only: in_memory_only(quota).await }
}

/// Bytes used by and available to this site, as the browser estimates them.
pub async fn estimate() -> (Option<f64>, Option<f64>) {
    let Some(m) = manager() else { return (None, None) };
    let estimate = promise(m.estimate()).await.map(web_sys::StorageEstimate::unchecked_from_js);
    (estimate.as_ref().and_then(|e| e.get_usage()), estimate.as_ref().and_then(|e| e.get_quota()))
}

/// Browsers do not say outright that a window is private; these are the signs each one
/// gives. Chromium: an incognito profile's quota is a share of memory (under twice the JS
/// heap limit) instead of a share of the disk. Firefox: no service workers in a private
/// window of a secure page. Safari: the origin private file system refuses to open.
async fn in_memory_only(quota: Option<f64>) -> bool {
    let Some(window) = web_sys::window() else { return false };
    let get = |target: &JsValue, name: &str| js_sys::Reflect::get(target, &JsValue::from_str(name)).ok().filter(|v| !v.is_undefined());
    let heap_limit = get(&window.into(), "performance").and_then(|p| get(&p, "memory")).and_then(|m| get(&m, "jsHeapSizeLimit")).and_then(|v| v.as_f64());
    if let (Some(limit), Some(quota)) = (heap_limit, quota) {
        return quota < 2.0 * limit;
    }
    let Some(window) = web_sys::window() else { return false };
    let navigator = window.navigator();
    if window.is_secure_context() && !js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker")).unwrap_or(true) {
        return true;
    }
    if let Some(m) = manager() {
        if let Err(e) = JsFuture::from(m.get_directory()).await {
            let text = js_sys::Reflect::get(&e, &JsValue::from_str("message")).ok().and_then(|m| m.as_string()).unwrap_or_default();
            return text.contains("unknown transient reason");
        }
    }
    false
}
