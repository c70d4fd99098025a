//! A new version of CareCoord, downloaded by the service worker and waiting: offered with
//! **Reload** (switch now) or **Later** (it starts the next time CareCoord is opened after
//! every tab of it has closed).

use leptos::prelude::*;

use super::Held;
use crate::web::sw;

/// Provided as context by `App` for the coordinator's app, and by `KioskMain` for the kiosk
/// (which takes a waiting version when it starts over after a while without a touch).
#[derive(Clone, Copy)]
pub struct AppUpdate {
    offered: Held<bool>,
}

impl AppUpdate {
    /// Registers the service worker at `worker_url` (`sw::WORKER_URL` or
    /// `sw::KIOSK_WORKER_URL`) and provides the offer (none until a new version waits).
    pub fn start(worker_url: &'static str) -> AppUpdate {
        let update = AppUpdate { offered: Held::new(false) };
        provide_context(update);
        let offered = update.offered.write;
        sw::register(worker_url, move || offered.set(true));
        update
    }

    /// Whether a new version waits and the coordinator has not put it off.
    pub fn offered(self) -> ReadSignal<bool> {
        *self.offered
    }

    /// Switches to the new version: the page loads again under it.
    pub fn reload(self) {
        sw::use_new_version();
    }

    /// Puts it off: the message goes, and the new version starts at the next start.
    pub fn later(self) {
        self.offered.write.set(false);
    }
}
