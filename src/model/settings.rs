//! Per-device settings: who is using this device, for which clinic, and the clinic's
//! referral clocks.

use serde::{Deserialize, Serialize};

use chrono::NaiveDate;

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
    /// The clinic's holidays: not business days for the transition-of-care clocks and
    /// refill due dates (weekends never are).
    pub holidays: Vec<NaiveDate>,
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
            holidays: Vec::new(),
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
            holidays: {
                let mut h = self.holidays.clone();
                h.sort_unstable();
                h.dedup();
                h
            },
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

/// The holidays as typed in Settings, one date per line (or separated by commas):
/// `2026-12-25`, or `12/25/2026`. Blank lines are ignored; a line that is not a date in
/// 1900–2200 is refused by its line: "Line 2: '2026-02-30' is not a date."
pub fn parse_holidays(text: &str) -> Result<Vec<NaiveDate>, String> {
    let mut days = Vec::new();
    for (n, line) in text.lines().enumerate() {
        for part in line.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            match super::dates::parse_date(part).filter(|d| super::dates::date_in_range(*d)) {
                Some(d) => days.push(d),
                None => return Err(format!("Line {}: '{part}' is not a date (write it as 2026-12-25).", n + 1)),
            }
        }
    }
    days.sort_unstable();
    days.dedup();
    Ok(days)
}

/// The holidays as Settings shows them, one per line.
pub fn holidays_text(days: &[NaiveDate]) -> String {
    days.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holidays_are_read_one_per_line_and_refused_by_line() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(parse_holidays("2026-12-25\n\n 2026-11-26 , 2026-12-25\n01/01/2027").unwrap(), vec![d("2026-11-26"), d("2026-12-25"), d("2027-01-01")]);
        assert_eq!(parse_holidays("2026-12-25\n2026-02-30"), Err("Line 2: '2026-02-30' is not a date (write it as 2026-12-25).".into()));
        assert_eq!(parse_holidays("").unwrap(), Vec::<NaiveDate>::new());
        assert_eq!(holidays_text(&[d("2026-11-26"), d("2026-12-25")]), "2026-11-26\n2026-12-25");
        let old: Settings = serde_json::from_str(r#"{"coordinator_name":"Dana"}"#).unwrap();
        assert!(old.holidays.is_empty());
    }

    #[test]
    fn older_settings_get_the_new_defaults() {
        let s: Settings = serde_json::from_str(r#"{"coordinator_name":"Dana"}"#).unwrap();
        assert_eq!(s.review_after_months, 12);
        assert_eq!(s.referral.specialty_reply_days, 14);
    }
}
