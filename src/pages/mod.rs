//! One file per page (route). Pages read the state and call its mutations; no rules here.

pub mod care_codes;
pub mod care_rules;
pub mod care_time;
pub mod data;
pub mod import_patients;
pub mod import_resources;
pub mod kiosk;
pub mod kiosk_mode;
pub mod lock;
pub mod on_demand;
pub mod panel;
pub mod patient;
pub mod protection;
pub mod recalls;
pub mod referral;
pub mod referrals;
pub mod registry;
pub mod resources;
pub mod settings;
pub mod today;

pub use crate::model::text::{count_of, thousands};

/// "14 Mar 1962": dates as the coordinator reads them.
pub fn show_date(d: chrono::NaiveDate) -> String {
    crate::model::dates::short(d)
}

/// A stored time in the coordinator's local time: "23 Nov 2026, 14:05". Never panics: the
/// browser's offset at that moment (JavaScript gives minutes west of UTC; an invalid date
/// gives NaN, read as 0) goes to `dates::local_time_text`, which shows a time it cannot
/// place in local time as UTC.
pub fn show_time(t: crate::model::Timestamp) -> String {
    let at = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(t.timestamp_millis() as f64));
    let west = at.get_timezone_offset();
    let west = if west.is_finite() { west as i32 } else { js_sys::Date::new_0().get_timezone_offset() as i32 };
    crate::model::dates::local_time_text(t, west.saturating_neg())
}
