//! The settings slice: this device's settings (kept in localStorage, not in the database).

use std::ops::Deref;

use leptos::prelude::*;

use super::{Core, Failure};
use crate::model::settings::Settings;
use crate::storage;

/// The settings: read them through [`Deref`] (`state.settings.with(|s| …)`).
#[derive(Clone, Copy)]
pub struct SettingsState {
    core: Core,
}

impl Deref for SettingsState {
    type Target = ReadSignal<Settings>;
    fn deref(&self) -> &ReadSignal<Settings> {
        &self.core.settings
    }
}

impl SettingsState {
    pub(super) fn new(core: Core) -> SettingsState {
        SettingsState { core }
    }

    /// Checks and saves the per-device settings.
    pub fn save(self, settings: Settings) -> Result<(), Failure> {
        let settings = settings.validated().map_err(Failure::Refused)?;
        storage::settings::save(&settings).map_err(Failure::Storage)?;
        self.core.settings.write.set(settings);
        Ok(())
    }
}
