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
}

/// The field under which versions before the kiosk lock kept a weak (FNV) hash of the
/// kiosk PIN. Such a hash is dropped on upgrade and the PIN must be set again; the PIN now
/// lives in the kiosk lock record (`model::kiosk`).
pub const LEGACY_PIN_FIELD: &str = "kiosk_pin_hash";

impl Default for Settings {
    fn default() -> Self {
        Settings {
            coordinator_name: String::new(),
            clinic_name: String::new(),
            referral: ReferralSettings::default(),
            review_after_months: super::directory::REVIEW_MONTHS_DEFAULT,
        }
    }
}

impl Settings {
    /// Trims the fields and checks their length.
    pub fn validated(&self) -> Result<Settings, String> {
        let s = Settings {
            coordinator_name: self.coordinator_name.trim().to_string(),
            clinic_name: self.clinic_name.trim().to_string(),
            referral: self.referral.validated()?,
            review_after_months: self.review_after_months,
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
    fn older_settings_get_the_new_defaults() {
        let s: Settings = serde_json::from_str(r#"{"coordinator_name":"Dana"}"#).unwrap();
        assert_eq!(s.review_after_months, 12);
        assert_eq!(s.referral.specialty_reply_days, 14);
    }
}
