//! What the coordinator must know about this device's storage: settings that could not be
//! read, a browser that keeps data only for this window, and whether the browser promised
//! to keep the data (with usage and quota, shown on the Data page).

use leptos::prelude::*;

use super::Held;
use crate::storage::device::{self, StorageReport};

/// Provided as context by the coordinator's app.
#[derive(Clone, Copy)]
pub struct DeviceStatus {
    settings_notice: Held<Option<String>>,
    storage: Held<Option<StorageReport>>,
}

impl DeviceStatus {
    /// Provides the status and asks the browser, once the page is up, to keep this site's
    /// data persistently; then reads what the browser says of it.
    pub fn start(settings_notice: Option<String>) -> DeviceStatus {
        let status = DeviceStatus { settings_notice: Held::new(settings_notice), storage: Held::new(None) };
        provide_context(status);
        leptos::task::spawn_local_scoped(async move {
            device::ask_to_persist().await;
            status.storage.write.set(Some(device::report().await));
        });
        status
    }

    /// Why the settings in use are not the ones saved (defaults in use, PIN dropped).
    pub fn settings_notice(self) -> ReadSignal<Option<String>> {
        *self.settings_notice
    }

    /// The browser's answer about this site's storage, once it has given it.
    pub fn storage(self) -> ReadSignal<Option<StorageReport>> {
        *self.storage
    }

    /// Reads usage and quota again (after an import or an export, say).
    pub fn refresh(self) {
        leptos::task::spawn_local_scoped(async move {
            self.storage.write.set(Some(device::report().await));
        });
    }

    /// The coordinator has read the settings notice.
    pub fn dismiss_settings_notice(self) {
        self.settings_notice.write.set(None);
    }
}
