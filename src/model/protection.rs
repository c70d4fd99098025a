//! Passphrase protection: what is kept about it (in the database's `meta` store, in clear,
//! and holding nothing personal), the rules for a passphrase, and the encrypted backup's
//! envelope. The cryptography itself is the browser's (`storage::crypto`).
//!
//! The data key is a random 256-bit AES-GCM key. It is kept only wrapped: encrypted with
//! AES-GCM under a key derived from the passphrase by PBKDF2-SHA256 ([`KDF_ITERATIONS`],
//! a random salt). Changing the passphrase wraps the same data key again, so no record
//! is rewritten.

use serde::{Deserialize, Serialize};

use super::ids::{hex, unhex};
use super::kiosk::Tries;

/// PBKDF2-SHA256 iterations for a passphrase (OWASP 2023 guidance for PBKDF2-SHA256).
pub const KDF_ITERATIONS: u32 = 600_000;
/// Bytes of a PBKDF2 salt.
pub const SALT_BYTES: usize = 16;
/// Bytes of an AES-GCM IV (96 bits).
pub const IV_BYTES: usize = 12;
/// The shortest passphrase accepted.
pub const MIN_PASSPHRASE: usize = 10;
/// Idle minutes before the app locks, unless the coordinator sets another number.
pub const DEFAULT_IDLE_MINUTES: u32 = 10;

/// Where turning protection on or off has got to. Both directions go store by store and can
/// be resumed after an interruption (a closed tab, a crash): records are read in both
/// forms meanwhile.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Existing records are being encrypted; new ones are written encrypted.
    #[default]
    Encrypting,
    /// Every record about a patient is encrypted.
    On,
    /// Records are being decrypted; new ones are written in clear. When done, the
    /// protection record is deleted.
    Decrypting,
}

/// How a key is derived from a passphrase.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kdf {
    /// Always "PBKDF2-SHA256".
    pub name: String,
    pub iterations: u32,
    /// Hex.
    pub salt: String,
}

impl Kdf {
    pub fn new(salt: &[u8]) -> Kdf {
        Kdf { name: "PBKDF2-SHA256".into(), iterations: KDF_ITERATIONS, salt: hex(salt) }
    }

    /// The salt's bytes, when the record is sound (a known KDF, enough iterations).
    pub fn salt_bytes(&self) -> Option<Vec<u8>> {
        (self.name == "PBKDF2-SHA256" && self.iterations >= 100_000).then(|| unhex(&self.salt)).flatten().filter(|s| s.len() >= 16)
    }
}

/// The protection record: kept in the `meta` store under [`Protection::KEY`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Protection {
    pub kdf: Kdf,
    /// The IV the data key was wrapped with (hex).
    pub wrap_iv: String,
    /// The data key, wrapped (AES-GCM ciphertext with its tag, hex).
    pub wrapped_key: String,
    #[serde(default)]
    pub phase: Phase,
    /// Idle minutes before the app locks.
    #[serde(default = "default_idle")]
    pub idle_minutes: u32,
    /// Wrong passphrases in a row, and the wait they have earned.
    #[serde(default)]
    pub tries: Tries,
}

fn default_idle() -> u32 {
    DEFAULT_IDLE_MINUTES
}

impl Protection {
    /// The record's key in the `meta` store.
    pub const KEY: &'static str = "protection";

    pub fn new(kdf: Kdf, wrap_iv: &[u8], wrapped_key: &[u8]) -> Protection {
        Protection { kdf, wrap_iv: hex(wrap_iv), wrapped_key: hex(wrapped_key), phase: Phase::Encrypting, idle_minutes: DEFAULT_IDLE_MINUTES, tries: Tries::default() }
    }

    /// The wrapped data key and its IV, when the record is sound.
    pub fn wrapped(&self) -> Option<(Vec<u8>, Vec<u8>)> {
        let iv = unhex(&self.wrap_iv).filter(|iv| iv.len() == IV_BYTES)?;
        let key = unhex(&self.wrapped_key).filter(|k| k.len() == 32 + 16)?;
        Some((iv, key))
    }
}

/// Checks a new passphrase and its repetition.
pub fn check_new_passphrase(new: &str, repeat: &str) -> Result<(), String> {
    if new.chars().count() < MIN_PASSPHRASE {
        return Err(format!("The passphrase must be at least {MIN_PASSPHRASE} characters. A few unrelated words are easy to remember and hard to guess."));
    }
    if new != repeat {
        return Err("The two passphrases are not the same.".into());
    }
    Ok(())
}

/// Checks the idle minutes typed in Settings.
pub fn check_idle_minutes(text: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(n @ 1..=240) => Ok(n),
        _ => Err("Lock after (minutes) must be a whole number from 1 to 240.".into()),
    }
}

/// The format name of an encrypted backup.
pub const ENCRYPTED_BACKUP_FORMAT: &str = "carecoord-backup-encrypted";

/// An encrypted backup: a small JSON envelope around the plain backup's text, encrypted
/// with AES-GCM under a key derived from the backup's own passphrase.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupEnvelope {
    pub format: String,
    pub version: u32,
    pub kdf: Kdf,
    /// "AES-GCM".
    pub cipher: String,
    /// Hex.
    pub iv: String,
    /// The plain backup's text, encrypted, with the tag (hex).
    pub ciphertext: String,
}

impl BackupEnvelope {
    pub fn new(kdf: Kdf, iv: &[u8], ciphertext: &[u8]) -> BackupEnvelope {
        BackupEnvelope { format: ENCRYPTED_BACKUP_FORMAT.into(), version: 1, kdf, cipher: "AES-GCM".into(), iv: hex(iv), ciphertext: hex(ciphertext) }
    }

    /// The envelope in `text`, if it is one: `Ok(None)` for any other JSON (a plain backup).
    pub fn parse(text: &str) -> Result<Option<BackupEnvelope>, String> {
        #[derive(Deserialize)]
        struct Format {
            #[serde(default)]
            format: String,
        }
        let Ok(Format { format }) = serde_json::from_str::<Format>(text) else { return Ok(None) };
        if format != ENCRYPTED_BACKUP_FORMAT {
            return Ok(None);
        }
        let envelope: BackupEnvelope = serde_json::from_str(text).map_err(|_| "This encrypted backup is damaged: its envelope cannot be read.".to_string())?;
        if envelope.version != 1 || envelope.cipher != "AES-GCM" || envelope.kdf.salt_bytes().is_none() || envelope.parts().is_none() {
            return Err("This encrypted backup was made in a way this version of CareCoord does not know.".into());
        }
        Ok(Some(envelope))
    }

    /// The IV and the ciphertext.
    pub fn parts(&self) -> Option<(Vec<u8>, Vec<u8>)> {
        let iv = unhex(&self.iv).filter(|iv| iv.len() == IV_BYTES)?;
        let ct = unhex(&self.ciphertext).filter(|c| c.len() >= 16)?;
        Some((iv, ct))
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_passphrase_is_long_enough_and_typed_twice_the_same() {
        assert!(check_new_passphrase("short", "short").unwrap_err().contains("at least 10 characters"));
        assert_eq!(check_new_passphrase("correct horse", "correct horse"), Ok(()));
        assert_eq!(check_new_passphrase("correct horse", "correct horsE"), Err("The two passphrases are not the same.".into()));
        assert!(check_new_passphrase("ñandú ñandú", "ñandú ñandú").is_ok(), "counted in characters, not bytes");
    }

    #[test]
    fn idle_minutes_are_1_to_240() {
        assert_eq!(check_idle_minutes(" 10 "), Ok(10));
        assert!(check_idle_minutes("0").is_err());
        assert!(check_idle_minutes("241").is_err());
        assert!(check_idle_minutes("ten").is_err());
    }

    #[test]
    fn an_envelope_round_trips_and_a_plain_backup_is_not_one() {
        let env = BackupEnvelope::new(Kdf::new(&[1; 16]), &[2; 12], &[3; 40]);
        assert_eq!(BackupEnvelope::parse(&env.to_json()), Ok(Some(env.clone())));
        assert_eq!(BackupEnvelope::parse(r#"{"format":"carecoord-backup","version":3}"#), Ok(None));
        assert_eq!(BackupEnvelope::parse("not json"), Ok(None));
        let weak = env.to_json().replace("600000", "1000");
        assert!(BackupEnvelope::parse(&weak).is_err(), "a KDF too weak to trust is refused");
        let cut = r#"{"format":"carecoord-backup-encrypted","version":1}"#;
        assert!(BackupEnvelope::parse(cut).unwrap_err().contains("damaged"));
    }

    #[test]
    fn a_protection_record_with_a_damaged_key_is_not_sound() {
        let p = Protection::new(Kdf::new(&[9; 16]), &[1; 12], &[2; 48]);
        assert!(p.wrapped().is_some());
        assert_eq!(p.idle_minutes, DEFAULT_IDLE_MINUTES);
        let damaged = Protection { wrapped_key: "00ff".into(), ..p };
        assert!(damaged.wrapped().is_none());
    }
}
