//! Small per-device settings in localStorage (through gloo-storage). Records never go here.

use gloo_storage::{LocalStorage, Storage};

use crate::model::settings::{Settings, LEGACY_PIN_FIELD};

use super::device;

const KEY: &str = "carecoord.settings";

/// The settings saved on this device, or the defaults with a notice saying why they are in
/// use (settings that cannot be read) or what changed (a kiosk PIN kept in the old, weak
/// form is dropped and must be set again).
pub fn load() -> (Settings, Option<String>) {
    let Some(raw) = device::get(KEY) else { return (Settings::default(), None) };
    let unreadable = "The settings on this device could not be read, so the defaults are in use. Check them in Settings and save them again.";
    let Ok(mut value) = serde_json::from_str::<serde_json::Value>(&raw) else { return (Settings::default(), Some(unreadable.into())) };
    let legacy_pin = value.as_object_mut().and_then(|o| o.remove(LEGACY_PIN_FIELD)).is_some_and(|v| v.as_str().is_some_and(|s| !s.is_empty()));
    let Ok(settings) = serde_json::from_value::<Settings>(value) else { return (Settings::default(), Some(unreadable.into())) };
    if legacy_pin {
        let _ = save(&settings);
        let notice = "The kiosk PIN was kept in an older, weaker form and has been removed. Set the PIN again in Settings before starting kiosk mode.";
        return (settings, Some(notice.into()));
    }
    (settings, None)
}

/// Saves the settings on this device.
pub fn save(settings: &Settings) -> Result<(), String> {
    device::check_available()?;
    LocalStorage::set(KEY, settings).map_err(|e| format!("Could not save the settings on this device: {e}."))
}
