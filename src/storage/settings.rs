//! Small per-device settings in localStorage (through gloo-storage). Records never go here.

use gloo_storage::{LocalStorage, Storage};

use crate::model::settings::Settings;

const KEY: &str = "carecoord.settings";

/// The settings saved on this device, or the defaults.
pub fn load() -> Settings {
    LocalStorage::get(KEY).unwrap_or_default()
}

/// Saves the settings on this device.
pub fn save(settings: &Settings) -> Result<(), String> {
    LocalStorage::set(KEY, settings).map_err(|e| format!("Could not save the settings on this device: {e}."))
}
