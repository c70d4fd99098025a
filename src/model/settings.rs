//! Per-device settings: who is using this device, for which clinic, and the clinic's
//! referral clocks.

use serde::{Deserialize, Serialize};

use super::referral::ReferralSettings;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Written into the change journal as "by whom".
    pub coordinator_name: String,
    /// Printed on sheets and letters.
    pub clinic_name: String,
    /// When a referral's reply, report or prior authorization is overdue.
    pub referral: ReferralSettings,
}

impl Settings {
    /// Trims the fields and checks their length.
    pub fn validated(&self) -> Result<Settings, String> {
        let s = Settings {
            coordinator_name: self.coordinator_name.trim().to_string(),
            clinic_name: self.clinic_name.trim().to_string(),
            referral: self.referral.validated()?,
        };
        if s.coordinator_name.chars().count() > 80 || s.clinic_name.chars().count() > 120 {
            return Err("Names are limited to 80 characters (coordinator) and 120 (clinic).".into());
        }
        Ok(s)
    }
}
