//! File formats: reading and writing what the coordinator imports and exports.
//!
//! **Architecture Invariant:** `io` is pure. It turns text into checked `model` records and
//! records into text; it never touches IndexedDB, the DOM or the clock (callers pass
//! "today" and "now"). Every problem is reported in the coordinator's words with the place
//! in the file, never as a panic and never by skipping a record silently.

pub mod appointments_csv;
pub mod backup;
pub mod care_history;
pub mod care_time_csv;
pub mod csv_cell;
pub(crate) mod csv_read;
pub mod fhir;
pub mod fhir_referral;
pub mod hsds;
pub mod import;
pub mod patients_csv;
pub mod recall_csv;
pub mod referrals_csv;
pub mod synth;
pub mod synth_contacts;
pub mod synth_directory;
pub mod synth_referrals;
pub mod text;
pub mod zip;

#[cfg(test)]
mod reimport_tests;
