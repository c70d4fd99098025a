//! Per-device settings: who is using this device, for which clinic, and the clinic's
//! referral clocks.

use serde::{Deserialize, Serialize};

use super::referral::ReferralSettings;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Written into the change journal as "by whom".
    pub coordinator_name: String,
    /// Printed on sheets and letters.
    pub clinic_name: String,
    /// When a referral's reply, report or prior authorization is overdue.
    pub referral: ReferralSettings,
    /// Directory services not verified for this many months are flagged for review.
    pub review_after_months: u32,
    /// A hash of the PIN that leaves kiosk mode (empty: no PIN set). See [`pin_hash`].
    pub kiosk_pin_hash: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            coordinator_name: String::new(),
            clinic_name: String::new(),
            referral: ReferralSettings::default(),
            review_after_months: super::directory::REVIEW_MONTHS_DEFAULT,
            kiosk_pin_hash: String::new(),
        }
    }
}

/// A kiosk PIN as kept in settings: 4 to 8 digits, hashed (FNV-1a 64 over a fixed salt).
/// This keeps the PIN out of plain sight on a shared tablet; it is a deterrent for the
/// waiting room, not protection against someone with the browser's developer tools.
pub fn pin_hash(pin: &str) -> Result<String, String> {
    let pin = pin.trim();
    if !(4..=8).contains(&pin.len()) || !pin.bytes().all(|b| b.is_ascii_digit()) {
        return Err("The PIN must be 4 to 8 digits.".into());
    }
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in "carecoord-kiosk:".bytes().chain(pin.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    Ok(format!("{h:016x}"))
}

impl Settings {
    /// Trims the fields and checks their length.
    pub fn validated(&self) -> Result<Settings, String> {
        let s = Settings {
            coordinator_name: self.coordinator_name.trim().to_string(),
            clinic_name: self.clinic_name.trim().to_string(),
            referral: self.referral.validated()?,
            review_after_months: self.review_after_months,
            kiosk_pin_hash: self.kiosk_pin_hash.clone(),
        };
        if !(1..=120).contains(&s.review_after_months) {
            return Err(format!("Months before a resource needs review must be between 1 and 120 (not {}).", s.review_after_months));
        }
        if s.coordinator_name.chars().count() > 80 || s.clinic_name.chars().count() > 120 {
            return Err("Names are limited to 80 characters (coordinator) and 120 (clinic).".into());
        }
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_are_digits_and_hashed() {
        assert!(pin_hash("12a4").is_err());
        assert!(pin_hash("123").is_err());
        assert!(pin_hash("123456789").is_err());
        let h = pin_hash(" 2468 ").unwrap();
        assert_eq!(h, pin_hash("2468").unwrap());
        assert_ne!(h, pin_hash("2469").unwrap());
        assert!(!h.contains("2468"));
    }

    #[test]
    fn older_settings_get_the_new_defaults() {
        let s: Settings = serde_json::from_str(r#"{"coordinator_name":"Dana"}"#).unwrap();
        assert_eq!(s.review_after_months, 12);
        assert_eq!(s.referral.specialty_reply_days, 14);
        assert!(s.kiosk_pin_hash.is_empty());
    }
}
