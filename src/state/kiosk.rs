//! The kiosk lock's one write path: set the PIN, start kiosk mode, try a PIN to leave it.
//!
//! The lock record is read from the device at each step, never kept from when a view was
//! drawn, so two tries cannot both be counted as the first.

use crate::model::ids::hex;
use crate::model::kiosk::{check_pin, KioskLock, LockState, PinHash, PIN_ITERATIONS, SALT_BYTES};
use crate::storage::{crypto, device};
use crate::web;

/// Whether a PIN to leave kiosk mode is set on this device.
pub fn pin_is_set() -> bool {
    match device::kiosk_lock() {
        LockState::Open(lock) | LockState::Locked(lock) => lock.pin.is_some(),
        LockState::Unreadable => true,
    }
}

/// Sets (or changes) the PIN that leaves kiosk mode.
pub async fn set_pin(pin: &str) -> Result<(), String> {
    let pin = check_pin(pin)?.to_string();
    let salt = web::random_bytes::<SALT_BYTES>();
    let derived = crypto::pbkdf2_sha256(&pin, &salt, PIN_ITERATIONS).await?;
    let hash = PinHash { salt: hex(&salt), iterations: PIN_ITERATIONS, hash: hex(&derived) };
    match device::kiosk_lock() {
        LockState::Open(current) => device::save_kiosk_lock(&current.with_pin(hash)),
        _ => Err("Kiosk mode is on on this device; the PIN can only be changed after leaving it.".into()),
    }
}

/// Starts kiosk mode: recorded on the device first, then the kiosk replaces this page, so
/// there is no history to go back to. Refused while no PIN is set.
pub fn start() -> Result<(), String> {
    if let LockState::Open(current) = device::kiosk_lock() {
        device::save_kiosk_lock(&current.start()?)?;
    }
    web::replace_location(web::KIOSK_PATH);
    Ok(())
}

/// Why a PIN did not end kiosk mode.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refused {
    /// Not 4 to 8 digits (not counted as a try: it can never be right).
    NotAPin(String),
    /// The wrong PIN; `wait` seconds before the next try is checked, if any.
    Wrong { wait: Option<i64> },
    /// Too many wrong tries: this many seconds before a PIN is checked again.
    Wait(i64),
    /// The lock record cannot be read: nothing but clearing the site's data ends it.
    Unreadable,
    /// The browser could not hash, or the record could not be kept.
    Failed(String),
}

/// Tries `pin`. The right one ends kiosk mode and loads the coordinator's app in place of
/// the kiosk; a wrong one is counted on the device (so a reload does not reset the wait).
pub async fn try_pin(pin: &str) -> Result<(), Refused> {
    let lock = locked()?;
    if let Some(seconds) = lock.seconds_to_wait(web::now_ms()) {
        return Err(Refused::Wait(seconds));
    }
    let pin = check_pin(pin).map_err(Refused::NotAPin)?.to_string();
    let Some(stored) = lock.pin.clone() else { return Err(Refused::Unreadable) };
    let salt = stored.salt_bytes().ok_or(Refused::Unreadable)?;
    let derived = crypto::pbkdf2_sha256(&pin, &salt, stored.iterations).await.map_err(Refused::Failed)?;
    // Read the record again: the hash took a moment, and another try may have been counted.
    let lock = locked()?;
    let now = web::now_ms();
    if let Some(seconds) = lock.seconds_to_wait(now) {
        return Err(Refused::Wait(seconds));
    }
    if lock.pin.as_ref().is_some_and(|p| *p == stored && p.matches(&derived)) {
        device::save_kiosk_lock(&lock.after_right()).map_err(Refused::Failed)?;
        web::replace_location("/");
        return Ok(());
    }
    let next = lock.after_wrong(now);
    device::save_kiosk_lock(&next).map_err(Refused::Failed)?;
    Err(Refused::Wrong { wait: next.seconds_to_wait(now) })
}

/// Seconds to wait before a PIN is checked, as the device's record says now.
pub fn seconds_to_wait() -> Option<i64> {
    match device::kiosk_lock() {
        LockState::Locked(lock) => lock.seconds_to_wait(web::now_ms()),
        _ => None,
    }
}

fn locked() -> Result<KioskLock, Refused> {
    match device::kiosk_lock() {
        LockState::Locked(lock) => Ok(lock),
        LockState::Unreadable => Err(Refused::Unreadable),
        // Kiosk mode was ended meanwhile (in another tab): nothing to unlock.
        LockState::Open(_) => {
            web::replace_location("/");
            Err(Refused::Failed("Kiosk mode has already ended on this device.".into()))
        }
    }
}
