//! Pure types and rules of the coordinator's work.
//!
//! **Architecture Invariant:** `model` knows nothing about Leptos, web-sys or IndexedDB.
//! Everything here is plain Rust, tested with plain `#[test]`, and takes "now" and "today"
//! as arguments so that every rule can be checked against any date.

pub mod appointment;
pub mod care;
pub mod care_codes;
pub mod care_time;
pub mod catalog;
pub mod change;
pub mod choice;
pub mod condition;
pub mod contact;
pub mod dates;
pub mod directory;
pub mod encounter;
pub mod history_import;
pub mod i18n;
pub mod ids;
pub mod kiosk;
pub mod kiosk_directory;
pub mod panel;
pub mod panel_filter;
pub mod recall;
pub mod referral;
pub mod referral_summary;
pub mod refill;
pub mod revision;
pub mod registry;
pub mod rule_edit;
pub mod patient;
pub mod patient_import;
pub mod profile;
pub mod protection;
pub mod schema;
pub mod settings;
pub mod stores;
pub mod text;
pub mod transition;
pub mod work_queue;

pub use change::{Change, ChangeAction};
pub use condition::{ChronicCondition, CodeSystem, Condition};
pub use panel::{Panel, PanelSort};
pub use patient::{Address, FieldError, Patient, PatientDraft, PatientField, Sex};

/// A record kept in a store of its own, addressed by a string id.
pub trait Record {
    /// The name of the store that holds this kind of record.
    const STORE: &'static str;
    /// The record's id (a UUID string for records the app creates).
    fn id(&self) -> &str;
}

/// What the app holds in memory of each record of a snapshotted store (`stores`: patients,
/// referrals), and what that store's quick-start snapshot keeps: the whole record, or the
/// record without the parts read only on demand (a referral's history). Every screen that
/// needs the whole record reads it from the store (`ReferralState::full`).
pub trait Listed: Record + Sized {
    /// Whether [`Listed::listed`] leaves anything out.
    const TRIMMED: bool = false;
    /// How many records (in [`Listed::sort_list`] order) the first part of the snapshot
    /// holds, read before the rest: all of them unless said otherwise.
    const FIRST_PART: usize = usize::MAX;
    /// The record as lists hold it.
    fn listed(self) -> Self {
        self
    }
    /// The order of the store's snapshot, so its first records are the first a list shows
    /// (the newest referrals).
    fn list_order(_: &Self, _: &Self) -> std::cmp::Ordering {
        std::cmp::Ordering::Equal
    }
    /// Puts `list` in the snapshot's order ([`Listed::list_order`] unless a store says
    /// otherwise).
    fn sort_list(list: &mut [Self]) {
        list.sort_by(Self::list_order);
    }
}

/// The patients' snapshot is in the panel's name order, so its first part holds the rows
/// the panel shows first, drawn before the rest is read (`state::load_records`).
impl Listed for Patient {
    const FIRST_PART: usize = panel::FIRST_ROWS;
    fn sort_list(list: &mut [Patient]) {
        list.sort_by_cached_key(|p| (panel::sort_name(p), p.id.clone()));
    }
}

/// Replaces the records of `list` that have the id of an incoming one and adds the others.
pub fn upsert_by_id<R: Record>(list: &mut Vec<R>, incoming: impl IntoIterator<Item = R>) {
    for r in incoming {
        match list.iter_mut().find(|x| x.id() == r.id()) {
            Some(slot) => *slot = r,
            None => list.push(r),
        }
    }
}

/// Wall-clock time, stored as UTC and shown in the coordinator's local time.
pub type Timestamp = chrono::DateTime<chrono::Utc>;
