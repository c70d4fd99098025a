//! The shape of stored records over time, and how older shapes are brought up to date.
//!
//! The same migrations run on the browser's database right after it opens (in `storage`)
//! and on an older backup file before it is imported (in `io::backup`).

use serde_json::Value;

use super::{Patient, Record};

/// The version of the record shapes this build reads and writes.
///
/// History:
/// - 1: first pilot. A patient's language was one text, "Spanish (interpreter)".
/// - 2: `preferred_language` and `interpreter_needed` are separate fields.
/// - 3: the registry: `conditions`, `care_events` and `care_rules` stores (older data has none).
/// - 4: a `snapshots` store, a read cache of the panel (not data: never backed up).
/// - 5: `appointments` (with their pre-visit checklist and calls) and `outreach` (recall
///   attempts) stores; patients gain a `profile` (need level, flags, CCM consent, care team)
///   that older records simply lack (it reads as empty).
/// - 6: a `referrals` store (each referral carries its own history of changes).
/// - 7: the resource directory: `organizations` and `services` (HSDS 3 shaped, each service
///   carrying its locations, phones, schedules and taxonomy terms).
/// - 8: every record carries a revision (`rev`, read as 0 when absent); a problem-list
///   entry's id is a random UUID and the file's key for it is its `source_id` (older ids,
///   made from the file's keys, could carry a diagnosis code: they are replaced as the
///   database opens or a backup is imported, where a random id can be made); the values of
///   private stores may be sealed (`storage::vault`); an `encounters` store (visits,
///   admissions and discharges from the EHR's history).
/// - 9: the coordinator's day: `contacts` (the contact log with minutes), `transitions`
///   (hospital stays and their clocks), `refills` (refill requests) and `queue_marks` (work
///   queue items done or snoozed) stores; a care profile may list the months the patient is
///   marked complex (`complex_months`, read as none when absent).
pub const SCHEMA_VERSION: u32 = 9;

/// The stores that hold the coordinator's records, in backup order (declared once, in
/// `model::stores`).
pub use super::stores::DATA_STORES;

/// Brings one record of `store` from `from_version` to [`SCHEMA_VERSION`].
/// The record is changed in place; an error says why it cannot be read.
pub fn migrate_record(store: &str, from_version: u32, record: &mut Value) -> Result<(), String> {
    if from_version < 2 && store == Patient::STORE {
        split_language(record)?;
    }
    Ok(())
}

/// v1 → v2: `language: "Spanish (interpreter)"` becomes `preferred_language: "Spanish"`,
/// `interpreter_needed: true`.
fn split_language(record: &mut Value) -> Result<(), String> {
    let obj = record.as_object_mut().ok_or("the record is not an object")?;
    let language = match obj.remove("language") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s,
        Some(other) => return Err(format!("language {other} is not text")),
    };
    let trimmed = language.trim();
    let (name, interpreter) = match trimmed.strip_suffix("(interpreter)") {
        Some(name) => (name.trim().to_string(), true),
        None => (trimmed.to_string(), false),
    };
    obj.entry("preferred_language").or_insert(Value::String(name));
    obj.entry("interpreter_needed").or_insert(Value::Bool(interpreter));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn v1_language_is_split() {
        let mut r = json!({"id": "1", "language": "Spanish (interpreter)"});
        migrate_record("patients", 1, &mut r).unwrap();
        assert_eq!(r, json!({"id": "1", "preferred_language": "Spanish", "interpreter_needed": true}));

        let mut r = json!({"id": "2", "language": "English"});
        migrate_record("patients", 1, &mut r).unwrap();
        assert_eq!(r, json!({"id": "2", "preferred_language": "English", "interpreter_needed": false}));

        let mut r = json!({"id": "3"});
        migrate_record("patients", 1, &mut r).unwrap();
        assert_eq!(r["preferred_language"], "");
    }

    #[test]
    fn current_records_and_other_stores_are_untouched() {
        let original = json!({"id": "1", "language": "kept", "preferred_language": "Somali"});
        let mut r = original.clone();
        migrate_record("patients", SCHEMA_VERSION, &mut r).unwrap();
        assert_eq!(r, original);
        migrate_record("changes", 1, &mut r).unwrap();
        assert_eq!(r, original);
    }

    #[test]
    fn a_record_that_is_not_an_object_is_refused() {
        assert!(migrate_record("patients", 1, &mut json!([1, 2])).is_err());
        assert!(migrate_record("patients", 1, &mut json!({"language": 5})).is_err());
    }
}
