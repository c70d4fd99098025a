//! What the coordinator must know about this device's storage: settings that could not be
//! read, a browser that keeps data only for this window, and whether the browser promised
//! to keep the data (with usage and quota, shown on the Data page).

use leptos::prelude::*;

use crate::storage::device::{self, StorageReport};

/// Provided as context by the coordinator's app.
#[derive(Clone, Copy)]
pub struct DeviceStatus {
    /// Why the settings in use are not the ones saved (defaults in use, PIN dropped).
    pub settings_notice: RwSignal<Option<String>>,
    /// The browser's answer about this site's storage, once it has given it.
    pub storage: RwSignal<Option<StorageReport>>,
}

impl DeviceStatus {
    /// Provides the status and asks the browser, once the page is up, to keep this site's
    /// data persistently; then reads what the browser says of it.
    pub fn start(settings_notice: Option<String>) -> DeviceStatus {
        let status = DeviceStatus { settings_notice: RwSignal::new(settings_notice), storage: RwSignal::new(None) };
        provide_context(status);
        leptos::task::spawn_local_scoped(async move {
            device::ask_to_persist().await;
            status.storage.set(Some(device::report().await));
        });
        status
    }

    /// Reads usage and quota again (after an import or an export, say).
    pub fn refresh(self) {
        leptos::task::spawn_local_scoped(async move {
            self.storage.set(Some(device::report().await));
        });
    }

    /// The coordinator has read the settings notice.
    pub fn dismiss_settings_notice(self) {
        self.settings_notice.set(None);
    }
}
