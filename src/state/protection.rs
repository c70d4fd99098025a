//! The protection slice: passphrase protection of this device's records (encryption at
//! rest, `storage::vault`) and the lock.
//!
//! Locking reloads every tab of CareCoord: the page, the wasm memory with it, the data key
//! and every decrypted record are gone, and the reloaded page finds the device protected
//! and shows the lock screen. Nothing about a patient is read until the passphrase opens
//! the data key.

use leptos::prelude::*;
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::JsCast;

use super::{Core, Failure, Held};
use crate::model::kiosk::wait_text;
use crate::model::protection::{check_idle_minutes, check_new_passphrase, Phase, Protection};
use crate::storage::{crypto, tabs, Db};
use crate::web;

/// Where protection stands for this tab.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Guard {
    /// Not known yet (the database is opening).
    Checking,
    /// The device is not protected.
    Off,
    /// Protected and locked: nothing about a patient has been read.
    Locked,
    /// Protected, and unlocked in this tab.
    Unlocked,
}

#[derive(Clone, Copy)]
pub struct ProtectionState {
    core: Core,
    guard: Held<Guard>,
    record: Held<Option<Protection>>,
    /// Turning protection on or off, under way: what it has done so far.
    work: Held<Option<String>>,
}

impl ProtectionState {
    pub(super) fn new(core: Core) -> ProtectionState {
        ProtectionState { core, guard: Held::new(Guard::Checking), record: Held::new(None), work: Held::new(None) }
    }

    pub fn guard(self) -> ReadSignal<Guard> {
        *self.guard
    }

    /// Minutes without a key press, click or touch before the app locks.
    pub fn idle_minutes(self) -> Option<u32> {
        self.record.with(|r| r.as_ref().map(|p| p.idle_minutes))
    }

    /// "Encrypting the stored records… 1,500 done", while it lasts.
    pub fn work(self) -> ReadSignal<Option<String>> {
        *self.work
    }

    /// At start, once the database is open: whether the app may read the records now.
    pub(super) async fn check(self, db: &Db) -> Result<bool, crate::storage::StorageError> {
        let record = db.protection().await?;
        let open = record.is_none();
        self.guard.write.set(if open { Guard::Off } else { Guard::Locked });
        self.record.write.set(record);
        Ok(open)
    }

    /// The database could not be opened: the app shows why (nothing can be read, locked or not).
    pub(super) fn not_opened(self) {
        if self.guard.get_untracked() == Guard::Checking {
            self.guard.write.set(Guard::Off);
        }
    }

    /// Turns protection on: a new data key wrapped under `passphrase`, then every stored
    /// record about a patient encrypted in place (resumed at the next unlock if this tab
    /// closes first). Other tabs reload, and show the lock screen.
    pub async fn protect(self, passphrase: String, repeat: String) -> Result<(), Failure> {
        check_new_passphrase(&passphrase, &repeat).map_err(Failure::Refused)?;
        self.core.all_read().await?;
        let db = self.core.db()?;
        if db.protection().await?.is_some() {
            return Err(Failure::refused("This device is already protected by a passphrase."));
        }
        let (record, key) = crypto::new_protection(&passphrase).await.map_err(Failure::Storage)?;
        db.save_protection(Some(&record)).await?;
        db.use_key(key, true);
        self.record.write.set(Some(record));
        self.guard.write.set(Guard::Unlocked);
        tabs::announce_lock(&db);
        self.watch_idle();
        self.finish_phase(&db).await?;
        // A write another tab had in flight as the lock message reached it may have landed
        // in clear after its store was done: one more pass a little later seals it.
        let sweep = db.clone();
        leptos::task::spawn_local(async move {
            web::sleep(3_000).await;
            if let Err(e) = sweep.reseal_all(true, |_| {}).await {
                web_sys::console::warn_1(&wasm_bindgen::JsValue::from_str(&e.message));
            }
        });
        Ok(())
    }

    /// Carries on turning protection on or off, as the record says, to the end.
    pub(super) async fn finish_phase(self, db: &Db) -> Result<(), Failure> {
        let Some(mut record) = self.record.get_untracked() else { return Ok(()) };
        let seal = match record.phase {
            Phase::On => return Ok(()),
            Phase::Encrypting => true,
            Phase::Decrypting => false,
        };
        let what = if seal { "Encrypting" } else { "Decrypting" };
        self.work.write.set(Some(format!("{what} the stored records…")));
        let work = self.work.write;
        let done = db.reseal_all(seal, |n| work.set(Some(format!("{what} the stored records… {} done", crate::pages::thousands(n))))).await;
        self.work.write.set(None);
        done?;
        if seal {
            record.phase = Phase::On;
            db.save_protection(Some(&record)).await?;
            self.record.write.set(Some(record));
        } else {
            db.save_protection(None).await?;
            db.forget_key();
            self.record.write.set(None);
            self.guard.write.set(Guard::Off);
            tabs::announce_lock(db);
        }
        Ok(())
    }

    /// Tries `passphrase`. The right one opens the data key for this tab (the caller then
    /// reads the records); a wrong one is counted on the device, with a growing wait after
    /// five, as the kiosk PIN.
    pub async fn unlock(self, passphrase: String) -> Result<(), Failure> {
        let db = self.core.db()?;
        let Some(mut record) = db.protection().await? else {
            self.guard.write.set(Guard::Off);
            return Ok(());
        };
        let now = web::now_ms();
        if let Some(seconds) = record.tries.seconds_to_wait(now) {
            return Err(Failure::Refused(format!("Too many wrong passphrases. Try again in {}.", wait_text(seconds))));
        }
        match crypto::unwrap_key(&record, &passphrase).await.map_err(Failure::Storage)? {
            None => {
                record.tries = record.tries.after_wrong(now);
                db.save_protection(Some(&record)).await?;
                let wait = record.tries.seconds_to_wait(now).map(|s| format!(" Too many wrong passphrases: try again in {}.", wait_text(s))).unwrap_or_default();
                Err(Failure::Refused(format!("That passphrase is not right.{wait}")))
            }
            Some(key) => {
                if record.tries != Default::default() {
                    record.tries = Default::default();
                    db.save_protection(Some(&record)).await?;
                }
                db.use_key(key, record.phase != Phase::Decrypting);
                self.record.write.set(Some(record));
                self.guard.write.set(Guard::Unlocked);
                Ok(())
            }
        }
    }

    /// Locks every tab of CareCoord now.
    pub fn lock_now(self) {
        if let Ok(db) = self.core.db() {
            tabs::announce_lock(&db);
        }
        web::reload();
    }

    /// Wraps the same data key under a new passphrase: instant, no record changes.
    pub async fn change(self, current: String, passphrase: String, repeat: String) -> Result<(), Failure> {
        check_new_passphrase(&passphrase, &repeat).map_err(Failure::Refused)?;
        let db = self.core.db()?;
        let record = db.protection().await?.ok_or_else(|| Failure::refused("This device is not protected by a passphrase."))?;
        let changed = crypto::rewrap(&record, &current, &passphrase).await.map_err(Failure::Storage)?;
        let changed = changed.ok_or_else(|| Failure::refused("The current passphrase is not right; the passphrase was not changed."))?;
        db.save_protection(Some(&changed)).await?;
        self.record.write.set(Some(changed));
        Ok(())
    }

    /// Turns protection off: `passphrase` checked, then every record decrypted in place and
    /// the protection record removed.
    pub async fn turn_off(self, passphrase: String) -> Result<(), Failure> {
        self.core.all_read().await?;
        let db = self.core.db()?;
        let mut record = db.protection().await?.ok_or_else(|| Failure::refused("This device is not protected by a passphrase."))?;
        if crypto::unwrap_key(&record, &passphrase).await.map_err(Failure::Storage)?.is_none() {
            return Err(Failure::refused("That passphrase is not right; protection is still on."));
        }
        record.phase = Phase::Decrypting;
        db.save_protection(Some(&record)).await?;
        db.set_sealing(false);
        self.record.write.set(Some(record));
        tabs::announce_lock(&db);
        self.finish_phase(&db).await
    }

    /// Sets the idle minutes before the app locks.
    pub async fn set_idle_minutes(self, text: String) -> Result<u32, Failure> {
        let minutes = check_idle_minutes(&text).map_err(Failure::Refused)?;
        let db = self.core.db()?;
        let mut record = db.protection().await?.ok_or_else(|| Failure::refused("This device is not protected by a passphrase."))?;
        record.idle_minutes = minutes;
        db.save_protection(Some(&record)).await?;
        self.record.write.set(Some(record));
        Ok(minutes)
    }

    /// Locks the app after the idle minutes without a key press, click, touch or scroll.
    /// Checked every few seconds against the clock, so a laptop that slept past the limit
    /// locks as soon as it wakes.
    pub(super) fn watch_idle(self) {
        let Some(window) = web_sys::window() else { return };
        let last = std::rc::Rc::new(std::cell::Cell::new(js_sys::Date::now()));
        let seen = last.clone();
        let active = Closure::<dyn Fn()>::new(move || seen.set(js_sys::Date::now()));
        for event in ["keydown", "pointerdown", "wheel", "touchstart"] {
            let _ = window.add_event_listener_with_callback(event, active.as_ref().unchecked_ref());
        }
        let check = Closure::<dyn Fn()>::new(move || {
            if self.guard.try_get_untracked() != Some(Guard::Unlocked) {
                return;
            }
            let Some(minutes) = self.record.try_with_untracked(|r| r.as_ref().map(|p| p.idle_minutes)).flatten() else { return };
            if js_sys::Date::now() - last.get() >= f64::from(minutes) * 60_000.0 {
                self.lock_now();
            }
        });
        let _ = window.set_interval_with_callback_and_timeout_and_arguments_0(check.as_ref().unchecked_ref(), 5_000);
        // For the life of the page.
        active.forget();
        check.forget();
    }
}
