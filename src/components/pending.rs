//! A write in flight: the button that started it is disabled, and a second click (or a
//! second Enter) while it runs does nothing. Every button that writes uses one.

use std::future::Future;

use leptos::prelude::*;

/// Whether a write started from one control is still running.
#[derive(Clone, Copy)]
pub struct Pending(RwSignal<bool>);

impl Default for Pending {
    fn default() -> Self {
        Self::new()
    }
}

impl Pending {
    pub fn new() -> Pending {
        Pending(RwSignal::new(false))
    }

    /// For `disabled=`: true while the write runs.
    pub fn get(self) -> bool {
        self.0.get()
    }

    /// Runs `write` unless one is already running; the control is disabled until it ends.
    pub fn run(self, write: impl Future<Output = ()> + 'static) {
        if self.0.get_untracked() {
            return;
        }
        self.0.set(true);
        leptos::task::spawn_local_scoped(async move {
            write.await;
            self.0.try_set(false);
        });
    }
}
