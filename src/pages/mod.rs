//! One file per page (route). Pages read the state and call its mutations; no rules here.

pub mod care_rules;
pub mod data;
pub mod import_patients;
pub mod import_resources;
pub mod kiosk;
pub mod panel;
pub mod patient;
pub mod recalls;
pub mod referral;
pub mod referrals;
pub mod registry;
pub mod resources;
pub mod settings;
pub mod today;

/// "12,345": numbers as the coordinator reads them.
pub fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "1 patient", "12 patients".
pub fn count_of(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// "14 Mar 1962": dates as the coordinator reads them.
pub fn show_date(d: chrono::NaiveDate) -> String {
    crate::model::dates::short(d)
}

/// A stored time in the coordinator's local time: "23 Nov 2026, 14:05".
pub fn show_time(t: crate::model::Timestamp) -> String {
    crate::model::dates::short_time(t.with_timezone(&chrono::Local).naive_local())
}
