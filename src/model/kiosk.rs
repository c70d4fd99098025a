//! The waiting-room kiosk lock: a state of the device, not a page.
//!
//! Once kiosk mode is started, every path of the app shows the kiosk until the right PIN
//! is entered. The lock is kept on the device apart from the other settings, so that
//! settings that cannot be read never open it: a lock record that cannot be read counts as
//! locked ("fail closed"), and the only way out is clearing the site's data, which erases
//! the device. There is no back door.
//!
//! The PIN is kept as PBKDF2-SHA256 ([`PIN_ITERATIONS`] iterations, a random 16-byte salt);
//! the hashing itself is the browser's WebCrypto (`storage::crypto`). After
//! [`FREE_TRIES`] wrong tries each further try waits, the wait doubling from 30 seconds up
//! to 15 minutes ([`wait_after`]); the wait is kept in the record, so it survives a reload.

use serde::{Deserialize, Serialize};

use super::ids::{hex, unhex};

/// PBKDF2-SHA256 iterations for a new PIN (OWASP's figure for PBKDF2-HMAC-SHA256).
pub const PIN_ITERATIONS: u32 = 600_000;
/// Bytes of random salt for a new PIN.
pub const SALT_BYTES: usize = 16;
/// Wrong tries allowed before each further one waits.
pub const FREE_TRIES: u32 = 5;
/// The first wait, in milliseconds; it doubles with each further wrong try.
const FIRST_WAIT_MS: i64 = 30_000;
/// The longest wait, in milliseconds.
const MAX_WAIT_MS: i64 = 15 * 60_000;

/// A PIN as kept on the device: never the digits, only PBKDF2-SHA256 of them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinHash {
    /// The salt, in hex.
    pub salt: String,
    pub iterations: u32,
    /// The 32-byte derived key, in hex.
    pub hash: String,
}

impl PinHash {
    /// Whether `derived` (PBKDF2 of a typed PIN with this salt and count) is this PIN.
    /// Compares every byte, so the time taken says nothing about where they differ.
    pub fn matches(&self, derived: &[u8]) -> bool {
        let expected = hex(derived);
        expected.len() == self.hash.len() && expected.bytes().zip(self.hash.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
    }

    /// The salt's bytes, or `None` when the record was damaged.
    pub fn salt_bytes(&self) -> Option<Vec<u8>> {
        unhex(&self.salt)
    }
}

/// The kiosk lock record of this device.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct KioskLock {
    /// Kiosk mode is on: every path shows the kiosk.
    pub locked: bool,
    /// The PIN that ends it (`None`: not set yet; kiosk mode cannot start without one).
    pub pin: Option<PinHash>,
    /// Wrong PINs since the last right one, and the wait they earned.
    #[serde(flatten)]
    pub tries: Tries,
}

/// Wrong secrets (a kiosk PIN, a passphrase) in a row, and the wait they have earned:
/// after [`FREE_TRIES`], 30 seconds, doubling with each wrong one up to 15 minutes. Kept
/// with the lock it guards, so a reload does not reset it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Tries {
    /// Wrong tries since the last right one.
    pub failures: u32,
    /// No secret is checked before this time (milliseconds since 1970, UTC).
    pub wait_until_ms: i64,
}

impl Tries {
    /// Whole seconds (rounded up) before the next try is checked, if it must wait.
    pub fn seconds_to_wait(&self, now_ms: i64) -> Option<i64> {
        let left = self.wait_until_ms.saturating_sub(now_ms);
        (left > 0).then(|| (left + 999) / 1000)
    }

    /// After a wrong try at `now_ms`.
    pub fn after_wrong(&self, now_ms: i64) -> Tries {
        let failures = self.failures.saturating_add(1);
        let wait = wait_after(failures);
        Tries { failures, wait_until_ms: if wait > 0 { now_ms.saturating_add(wait) } else { 0 } }
    }
}

/// What the device's lock record says, read before anything else at start-up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LockState {
    /// Kiosk mode is off (no record, or a record that says so).
    Open(KioskLock),
    /// Kiosk mode is on.
    Locked(KioskLock),
    /// A lock record is there but cannot be read: treated as locked, with no PIN that can
    /// end it.
    Unreadable,
}

impl LockState {
    /// Reads the stored record: `None` when there is none.
    pub fn from_stored(raw: Option<&str>) -> LockState {
        match raw {
            None => LockState::Open(KioskLock::default()),
            // Only an object is a lock record (serde would read `[]` as all defaults).
            Some(text) if !text.trim_start().starts_with('{') => LockState::Unreadable,
            Some(text) => match serde_json::from_str::<KioskLock>(text) {
                Ok(lock) if lock.pin.as_ref().is_some_and(|p| p.salt_bytes().is_none() || p.iterations == 0) => LockState::Unreadable,
                Ok(lock) if lock.locked => LockState::Locked(lock),
                Ok(lock) => LockState::Open(lock),
                Err(_) => LockState::Unreadable,
            },
        }
    }

    /// Whether every path must show the kiosk.
    pub fn is_locked(&self) -> bool {
        !matches!(self, LockState::Open(_))
    }
}

/// Checks a typed PIN: 4 to 8 digits (spaces around it are ignored).
pub fn check_pin(pin: &str) -> Result<&str, String> {
    let pin = pin.trim();
    if !(4..=8).contains(&pin.len()) || !pin.bytes().all(|b| b.is_ascii_digit()) {
        return Err("The PIN must be 4 to 8 digits.".into());
    }
    Ok(pin)
}

/// How long the try after `failures` wrong ones must wait, in milliseconds.
pub fn wait_after(failures: u32) -> i64 {
    if failures < FREE_TRIES {
        return 0;
    }
    let doublings = (failures - FREE_TRIES).min(16);
    (FIRST_WAIT_MS << doublings).min(MAX_WAIT_MS)
}

impl KioskLock {
    /// A new PIN: the lock record keeps its state, and the count of wrong tries restarts.
    pub fn with_pin(&self, pin: PinHash) -> KioskLock {
        KioskLock { pin: Some(pin), tries: Tries::default(), ..self.clone() }
    }

    /// Kiosk mode on; refused while no PIN is set.
    pub fn start(&self) -> Result<KioskLock, String> {
        if self.pin.is_none() {
            return Err("Set a kiosk PIN first: it is the only way out of kiosk mode.".into());
        }
        Ok(KioskLock { locked: true, ..self.clone() })
    }

    /// Seconds still to wait before a PIN is checked, if any.
    pub fn seconds_to_wait(&self, now_ms: i64) -> Option<i64> {
        self.tries.seconds_to_wait(now_ms)
    }

    /// After a wrong PIN: one more failure, and the wait it brings.
    pub fn after_wrong(&self, now_ms: i64) -> KioskLock {
        KioskLock { tries: self.tries.after_wrong(now_ms), ..self.clone() }
    }

    /// After the right PIN: kiosk mode off, the count of wrong tries cleared.
    pub fn after_right(&self) -> KioskLock {
        KioskLock { locked: false, tries: Tries::default(), ..self.clone() }
    }
}

/// "4 minutes 30 seconds", "30 seconds", "1 minute".
pub fn wait_text(seconds: i64) -> String {
    let (m, s) = (seconds / 60, seconds % 60);
    let unit = |n: i64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    match (m, s) {
        (0, s) => unit(s, "second", "seconds"),
        (m, 0) => unit(m, "minute", "minutes"),
        (m, s) => format!("{} {}", unit(m, "minute", "minutes"), unit(s, "second", "seconds")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pin() -> PinHash {
        PinHash { salt: "00112233445566778899aabbccddeeff".into(), iterations: PIN_ITERATIONS, hash: hex(&[7u8; 32]) }
    }

    #[test]
    fn pins_are_four_to_eight_digits() {
        assert!(check_pin("12a4").is_err());
        assert!(check_pin("123").is_err());
        assert!(check_pin("123456789").is_err());
        assert!(check_pin("١٢٣٤").is_err(), "only ASCII digits");
        assert_eq!(check_pin(" 2468 "), Ok("2468"));
        assert_eq!(check_pin("12345678"), Ok("12345678"));
    }

    #[test]
    fn no_record_is_open_and_a_damaged_record_stays_locked() {
        assert_eq!(LockState::from_stored(None), LockState::Open(KioskLock::default()));
        assert_eq!(LockState::from_stored(Some("{not json")), LockState::Unreadable);
        assert_eq!(LockState::from_stored(Some("[]")), LockState::Unreadable);
        assert!(LockState::from_stored(Some("garbage")).is_locked());
        let bad_salt = r#"{"locked":false,"pin":{"salt":"zz","iterations":600000,"hash":"00"}}"#;
        assert_eq!(LockState::from_stored(Some(bad_salt)), LockState::Unreadable);
        let locked = KioskLock::default().with_pin(pin()).start().unwrap();
        let text = serde_json::to_string(&locked).unwrap();
        assert_eq!(LockState::from_stored(Some(&text)), LockState::Locked(locked.clone()));
        let open = serde_json::to_string(&locked.after_right()).unwrap();
        assert!(!LockState::from_stored(Some(&open)).is_locked());
    }

    #[test]
    fn kiosk_mode_needs_a_pin_first() {
        assert!(KioskLock::default().start().is_err());
        assert!(KioskLock::default().with_pin(pin()).start().unwrap().locked);
    }

    #[test]
    fn waits_double_from_30_seconds_to_15_minutes_after_five_wrong_tries() {
        let waits: Vec<i64> = (0..=12).map(wait_after).collect();
        assert_eq!(waits, [0, 0, 0, 0, 0, 30_000, 60_000, 120_000, 240_000, 480_000, 900_000, 900_000, 900_000]);
        assert_eq!(wait_after(u32::MAX), 900_000);
        let mut lock = KioskLock::default().with_pin(pin()).start().unwrap();
        let now = 1_000_000;
        for _ in 0..4 {
            lock = lock.after_wrong(now);
            assert_eq!(lock.seconds_to_wait(now), None);
        }
        lock = lock.after_wrong(now);
        assert_eq!(lock.tries.failures, 5);
        assert_eq!(lock.seconds_to_wait(now), Some(30));
        assert_eq!(lock.seconds_to_wait(now + 29_001), Some(1));
        assert_eq!(lock.seconds_to_wait(now + 30_000), None);
        lock = lock.after_wrong(now + 30_000);
        assert_eq!(lock.seconds_to_wait(now + 30_000), Some(60));
        let open = lock.after_right();
        assert!(!open.locked);
        assert_eq!(open.tries, Tries::default());
        assert!(open.pin.is_some(), "the PIN stays for next time");
    }

    #[test]
    fn a_pin_matches_only_its_own_bytes() {
        let p = pin();
        assert!(p.matches(&[7u8; 32]));
        assert!(!p.matches(&[7u8; 31]));
        let mut other = [7u8; 32];
        other[31] = 8;
        assert!(!p.matches(&other));
        assert_eq!(p.salt_bytes().unwrap().len(), SALT_BYTES);
    }

    #[test]
    fn waits_read_as_words() {
        assert_eq!(wait_text(30), "30 seconds");
        assert_eq!(wait_text(1), "1 second");
        assert_eq!(wait_text(60), "1 minute");
        assert_eq!(wait_text(270), "4 minutes 30 seconds");
        assert_eq!(wait_text(900), "15 minutes");
    }
}
