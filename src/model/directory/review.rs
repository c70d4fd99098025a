//! Review dates: which services are due for someone to check their information again.

use chrono::{Months, NaiveDate};

use super::Service;
use crate::model::text::fold;

/// How many months after its last check a service is due for review, unless the clinic
/// sets another number.
pub const REVIEW_MONTHS_DEFAULT: u32 = 12;

/// Whether `service` is due for review on `today`: never checked, or checked `months` or
/// more months ago (checked 2025-03-10 with 12 months: due from 2026-03-10).
pub fn needs_review(service: &Service, today: NaiveDate, months: u32) -> bool {
    match service.last_verified() {
        None => true,
        Some(d) => d.checked_add_months(Months::new(months)).is_none_or(|due| today >= due),
    }
}

/// The services due for review (indexes into `services`), never-checked first, then the
/// longest unchecked; ties by name.
pub fn review_list(services: &[Service], today: NaiveDate, months: u32) -> Vec<usize> {
    let mut out: Vec<usize> = (0..services.len()).filter(|&i| needs_review(&services[i], today, months)).collect();
    out.sort_by(|&a, &b| {
        let (sa, sb) = (&services[a], &services[b]);
        sa.last_verified().cmp(&sb.last_verified()).then_with(|| fold(&sa.name).cmp(&fold(&sb.name)))
    });
    out
}

