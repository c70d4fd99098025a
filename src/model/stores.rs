//! Every store of the coordinator's records, declared once.
//!
//! [`data_stores!`](crate::data_stores) hands the list to a macro of the caller's, one
//! entry per store: the store's field name (also its IndexedDB name, checked by a test
//! against `Record::STORE`), its record type, the noun a message names one record by, who
//! owns it (`patient`: the record is a patient; `patient_id`: it belongs to the patient
//! its `patient_id` names, and goes with them; `none`), whether it is read through a
//! quick-start snapshot (`snapshot` or `plain`), and whether its records are encrypted
//! when the device is protected by a passphrase (`private`; `public`: the resource
//! directory, which the waiting-room kiosk reads without the passphrase). The store lists, the upgrade, the backup's
//! contents, read and write, Replace and Merge, the delete-patient cascade and snapshot
//! invalidation all come from it (see ARCHITECTURE.md for adding a store).
//!
//! What a record must satisfy to come in from a backup beyond its shape is
//! [`BackupCheck`], implemented here for every stored type.

use chrono::NaiveDate;

use super::appointment::Appointment;
use super::care::{CareEvent, CareRule};
use super::directory::{Organization, Service};
use super::recall::OutreachAttempt;
use super::referral::{Referral, ReferralSettings};
use super::{Change, Condition, Patient, Record};

/// Calls `$then!` with the declaration of every data store, in backup order.
#[macro_export]
macro_rules! data_stores {
    ($then:ident) => {
        $then! {
            patients: $crate::model::Patient, "Patient", patient, snapshot, private;
            changes: $crate::model::Change, "Change", none, plain, private;
            conditions: $crate::model::Condition, "Condition", patient_id, plain, private;
            care_events: $crate::model::care::CareEvent, "Care event", patient_id, plain, private;
            care_rules: $crate::model::care::CareRule, "Care rule", none, plain, private;
            appointments: $crate::model::appointment::Appointment, "Appointment", patient_id, plain, private;
            outreach: $crate::model::recall::OutreachAttempt, "Outreach attempt", patient_id, plain, private;
            referrals: $crate::model::referral::Referral, "Referral", patient_id, snapshot, private;
            organizations: $crate::model::directory::Organization, "Organization", none, plain, public;
            services: $crate::model::directory::Service, "Service", none, plain, public;
            encounters: $crate::model::encounter::Encounter, "Encounter", patient_id, plain, private;
            contacts: $crate::model::contact::Contact, "Contact", patient_id, plain, private;
            transitions: $crate::model::transition::Transition, "Transition", patient_id, plain, private;
            refills: $crate::model::refill::RefillRequest, "Refill request", patient_id, plain, private;
            queue_marks: $crate::model::work_queue::QueueMark, "Work queue mark", patient_id, plain, private;
        }
    };
}

/// Who a store's records belong to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Owner {
    /// The records are the patients.
    Patient,
    /// Each record names its patient in `patient_id` and is deleted with them.
    ByPatientId,
    /// Not about one patient (the journal, the rules, the directory).
    None,
}

/// One data store as declared in [`data_stores!`](crate::data_stores).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StoreSpec {
    pub name: &'static str,
    /// "Patient", "Care event": how a message names one record.
    pub noun: &'static str,
    pub owner: Owner,
    /// Read at start through a quick-start snapshot (the stores that grow to tens of
    /// thousands of records).
    pub snapshot: bool,
    /// Encrypted at rest when the device is protected by a passphrase.
    pub private: bool,
}

macro_rules! owner {
    (patient) => {
        Owner::Patient
    };
    (patient_id) => {
        Owner::ByPatientId
    };
    (none) => {
        Owner::None
    };
}

macro_rules! private {
    (private) => {
        true
    };
    (public) => {
        false
    };
}

macro_rules! snapshot {
    (snapshot) => {
        true
    };
    (plain) => {
        false
    };
}

macro_rules! specs {
    ($($field:ident : $ty:ty, $noun:literal, $owner:ident, $snap:ident, $privacy:ident;)*) => {
        /// Every record of every data store: what a backup holds and what a Replace or
        /// Merge writes. One list per store, named as the store.
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct BackupContents {
            $(pub $field: Vec<$ty>,)*
        }

        /// Every data store, in backup order.
        pub const STORES: &[StoreSpec] = &[$(StoreSpec { name: <$ty as Record>::STORE, noun: $noun, owner: owner!($owner), snapshot: snapshot!($snap), private: private!($privacy) },)*];
        /// The names of the data stores, in backup order: every one is exported.
        pub const DATA_STORES: &[&str] = &[$(<$ty as Record>::STORE,)*];
        #[cfg(test)]
        const FIELD_NAMES: &[(&str, &str)] = &[$((stringify!($field), <$ty as Record>::STORE),)*];
    };
}
crate::data_stores!(specs);

/// The names of the stores read through a quick-start snapshot.
pub fn snapshotted() -> impl Iterator<Item = &'static str> {
    STORES.iter().filter(|s| s.snapshot).map(|s| s.name)
}

/// Whether `store`'s records are encrypted when the device is protected (every store about
/// a patient, and their snapshots; not the resource directory).
pub fn is_private(store: &str) -> bool {
    STORES.iter().find(|s| s.name == store).is_none_or(|s| s.private)
}

/// How a message names one record of `store` ("Care event"), or "Record".
pub fn noun(store: &str) -> &'static str {
    STORES.iter().find(|s| s.name == store).map_or("Record", |s| s.noun)
}

/// What a record must satisfy to come in from a backup, beyond its shape: the same rules
/// as the forms, where a form makes it. `n` is its place in the store (from 1), for the
/// message.
pub trait BackupCheck {
    fn check_in_backup(&self, _n: usize, _today: NaiveDate) -> Result<(), String> {
        Ok(())
    }
}

impl BackupCheck for Patient {
    fn check_in_backup(&self, n: usize, today: NaiveDate) -> Result<(), String> {
        self.check(today).map_err(|errs| {
            let reasons: Vec<String> = errs.iter().map(|e| e.message.trim_end_matches('.').to_string()).collect();
            format!("Patient {n} ({}): {}.", self.sort_name(), reasons.join("; "))
        })
    }
}

impl BackupCheck for Referral {
    fn check_in_backup(&self, n: usize, today: NaiveDate) -> Result<(), String> {
        self.check(today, &ReferralSettings::default()).map_err(|errs| {
            let reasons: Vec<String> = errs.iter().map(|e| e.message.trim_end_matches('.').to_string()).collect();
            format!("Referral {n} (to {}): {}.", self.referred_to, reasons.join("; "))
        })
    }
}

impl BackupCheck for Service {
    fn check_in_backup(&self, n: usize, _today: NaiveDate) -> Result<(), String> {
        if self.name.trim().is_empty() {
            Err(format!("Service {n}: the name is missing."))
        } else {
            Ok(())
        }
    }
}

impl BackupCheck for Change {}
impl BackupCheck for Condition {}
impl BackupCheck for CareEvent {}
impl BackupCheck for CareRule {}
impl BackupCheck for Appointment {}
impl BackupCheck for OutreachAttempt {}
impl BackupCheck for Organization {}
impl BackupCheck for super::encounter::Encounter {}
impl BackupCheck for super::work_queue::QueueMark {}

impl BackupCheck for super::contact::Contact {
    fn check_in_backup(&self, n: usize, _today: NaiveDate) -> Result<(), String> {
        self.check().map_err(|e| format!("Contact {n}: {e}."))
    }
}

impl BackupCheck for super::transition::Transition {
    fn check_in_backup(&self, n: usize, _today: NaiveDate) -> Result<(), String> {
        self.check().map_err(|e| format!("Transition {n}: {e}."))
    }
}

impl BackupCheck for super::refill::RefillRequest {
    fn check_in_backup(&self, n: usize, _today: NaiveDate) -> Result<(), String> {
        self.check().map_err(|e| format!("Refill request {n}: {e}."))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_declared_field_is_its_stores_name_and_names_are_unique() {
        for (field, store) in FIELD_NAMES {
            assert_eq!(field, store, "a backup field must carry the store's own name");
        }
        let mut names: Vec<&str> = DATA_STORES.to_vec();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), DATA_STORES.len());
    }

    #[test]
    fn the_declaration_says_who_owns_what() {
        assert_eq!(snapshotted().collect::<Vec<_>>(), ["patients", "referrals"]);
        let owned: Vec<&str> = STORES.iter().filter(|s| s.owner == Owner::ByPatientId).map(|s| s.name).collect();
        assert_eq!(
            owned,
            ["conditions", "care_events", "appointments", "outreach", "referrals", "encounters", "contacts", "transitions", "refills", "queue_marks"]
        );
        assert_eq!(noun("care_events"), "Care event");
        assert_eq!(noun("nope"), "Record");
    }

    #[test]
    fn only_the_directory_stays_in_clear_under_a_passphrase() {
        let public: Vec<&str> = STORES.iter().filter(|s| !s.private).map(|s| s.name).collect();
        assert_eq!(public, ["organizations", "services"]);
        assert!(is_private("patients") && is_private("changes"));
        assert!(is_private("a store not declared"), "unknown means private");
    }
}
