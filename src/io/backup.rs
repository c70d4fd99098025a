//! The backup file: one JSON document holding every store.
//!
//! ```json
//! { "format": "carecoord-backup", "schema_version": 2, "exported_at": "2026-11-23T14:05:00Z",
//!   "app_version": "0.1.0", "stores": { "patients": [ ... ], "changes": [ ... ] } }
//! ```
//!
//! [`parse`] checks the whole file before anything is written: format, version (older ones
//! are migrated, newer ones refused), every record's shape and rules, and duplicate ids.

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::model::schema::{self, DATA_STORES, SCHEMA_VERSION};
use crate::model::stores::{self, BackupCheck};
use crate::model::{dates, Record, Timestamp};

/// The value of the top-level `format` field.
pub const FORMAT: &str = "carecoord-backup";

/// How many problems a refusal lists before it says "and N more".
const MAX_LISTED: usize = 10;

macro_rules! contents {
    ($($field:ident : $ty:ty, $noun:literal, $owner:ident, $snap:ident, $privacy:ident;)*) => {
        #[derive(Serialize)]
        struct StoresOut<'a> {
            $($field: &'a [$ty],)*
        }

        impl BackupContents {
            fn out(&self) -> StoresOut<'_> {
                StoresOut { $($field: &self.$field,)* }
            }

            /// Reads every store of the file, in declaration order, noting every problem.
            fn read(stores: &mut Map<String, Value>, version: u32, today: NaiveDate, problems: &mut Problems) -> BackupContents {
                BackupContents { $($field: read_store(stores, version, problems, |r: &$ty, n| r.check_in_backup(n, today)),)* }
            }

            /// How many records of each store, by store name.
            pub fn counts(&self) -> Vec<(&'static str, usize)> {
                vec![$((<$ty as Record>::STORE, self.$field.len()),)*]
            }
        }
    };
}
crate::data_stores!(contents);

/// Everything a backup holds, checked and brought to the current schema.
pub use crate::model::stores::BackupContents;

/// A parsed backup, with what the file says about itself.
#[derive(Clone, Debug, PartialEq)]
pub struct Backup {
    pub schema_version: u32,
    pub exported_at: Timestamp,
    pub contents: BackupContents,
}

/// Why a file cannot be imported. Nothing has been written when this is returned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupError {
    /// One line per problem, in the coordinator's words.
    pub problems: Vec<String>,
    /// How many problems there were in all (more than `problems` holds when many).
    pub total: usize,
}

impl BackupError {
    fn one(message: impl Into<String>) -> BackupError {
        BackupError { problems: vec![message.into()], total: 1 }
    }
}

impl std::fmt::Display for BackupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.problems.join(" "))?;
        if self.total > self.problems.len() {
            write!(f, " … and {} more problems.", self.total - self.problems.len())?;
        }
        Ok(())
    }
}

/// The file name for a backup made on `date` (the coordinator's local date).
pub fn file_name(date: NaiveDate) -> String {
    format!("carecoord-backup-{}.json", date)
}

#[derive(Serialize)]
struct BackupOut<'a> {
    format: &'static str,
    schema_version: u32,
    exported_at: Timestamp,
    app_version: &'static str,
    stores: StoresOut<'a>,
}

/// Writes a backup of `contents` made at `exported_at`.
pub fn write(contents: &BackupContents, exported_at: Timestamp) -> String {
    let out = BackupOut {
        format: FORMAT,
        schema_version: SCHEMA_VERSION,
        exported_at,
        app_version: env!("CARGO_PKG_VERSION"),
        stores: contents.out(),
    };
    serde_json::to_string(&out).expect("backup records always serialize")
}

/// Reads and checks a whole backup file. `today` is the coordinator's date, for the rules
/// that depend on it (a date of birth in the future).
pub fn parse(text: &str, today: NaiveDate) -> Result<Backup, BackupError> {
    if text.trim().is_empty() {
        return Err(BackupError::one("The file is empty: it is not a CareCoord backup."));
    }
    let root: Value = serde_json::from_str(text).map_err(|e| {
        BackupError::one(format!(
            "The file is not a CareCoord backup: it is not valid JSON (line {}, column {}).",
            e.line(),
            e.column()
        ))
    })?;
    let mut root = match root {
        Value::Object(map) => map,
        _ => return Err(BackupError::one("The file is not a CareCoord backup: it does not hold a JSON object.")),
    };
    if root.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(BackupError::one(format!(
            "The file is not a CareCoord backup: it has no \"format\": \"{FORMAT}\"."
        )));
    }
    let version = match root.get("schema_version").and_then(Value::as_u64) {
        Some(v) if v >= 1 => v as u32,
        _ => return Err(BackupError::one("The backup has no valid \"schema_version\" (a whole number from 1).")),
    };
    if version > SCHEMA_VERSION {
        return Err(BackupError::one(format!(
            "This backup was made by a newer version of CareCoord (schema {version}); this app reads schema {SCHEMA_VERSION} and older. Update the app, then import it again."
        )));
    }
    let exported_text = root.get("exported_at").and_then(Value::as_str).unwrap_or("");
    let exported_at = exported_text
        .parse::<Timestamp>()
        .map_err(|_| BackupError::one("The backup has no valid \"exported_at\" time."))?;
    if !dates::timestamp_in_range(exported_at) {
        return Err(BackupError::one(format!("The backup's {}.", dates::outside_range("exported_at", exported_text))));
    }
    let mut stores = match root.remove("stores") {
        Some(Value::Object(map)) => map,
        _ => return Err(BackupError::one("The backup has no \"stores\" object.")),
    };

    let mut problems = Problems::default();
    for name in stores.keys() {
        if !DATA_STORES.contains(&name.as_str()) {
            problems.push(format!("The backup has a store \"{name}\" that this app does not know."));
        }
    }
    let contents = BackupContents::read(&mut stores, version, today, &mut problems);

    problems.into_result(Backup {
        schema_version: version,
        exported_at,
        contents,
    })
}

#[derive(Default)]
struct Problems {
    listed: Vec<String>,
    total: usize,
}

impl Problems {
    fn push(&mut self, message: String) {
        if self.listed.len() < MAX_LISTED {
            self.listed.push(message);
        }
        self.total += 1;
    }

    fn into_result<T>(self, value: T) -> Result<T, BackupError> {
        if self.total == 0 {
            Ok(value)
        } else {
            Err(BackupError { problems: self.listed, total: self.total })
        }
    }
}

/// Reads every record of `R`'s store: migrates, deserializes, runs `check`, refuses empty
/// and duplicate ids.
fn read_store<R: Record + serde::de::DeserializeOwned>(
    stores: &mut Map<String, Value>,
    version: u32,
    problems: &mut Problems,
    check: impl Fn(&R, usize) -> Result<(), String>,
) -> Vec<R> {
    let noun = stores::noun(R::STORE);
    let items = match stores.remove(R::STORE) {
        None | Some(Value::Null) => return Vec::new(),
        Some(Value::Array(items)) => items,
        Some(_) => {
            problems.push(format!("The \"{}\" store is not a list of records.", R::STORE));
            return Vec::new();
        }
    };
    let mut out = Vec::with_capacity(items.len());
    let mut seen = HashSet::with_capacity(items.len());
    for (i, mut item) in items.into_iter().enumerate() {
        let n = i + 1;
        if let Err(e) = schema::migrate_record(R::STORE, version, &mut item) {
            problems.push(format!("{noun} {n}: {e}."));
            continue;
        }
        if let Some(problem) = check_dates(&item).or_else(|| date_out_of_range(&item)) {
            problems.push(format!("{noun} {n}: {problem}."));
            continue;
        }
        // Through the text form: the same deserializer the storage layer uses, so the wasm
        // carries one per record type instead of two.
        match serde_json::from_str::<R>(&item.to_string()) {
            Err(e) => problems.push(format!("{noun} {n}: {}.", describe_serde(&e))),
            Ok(record) => {
                if let Err(message) = check(&record, n) {
                    problems.push(message);
                } else if record.id().trim().is_empty() {
                    problems.push(format!("{noun} {n}: the id is empty."));
                } else if !seen.insert(record.id().to_string()) {
                    problems.push(format!("{noun} {n}: the id {} appears twice.", record.id()));
                } else {
                    out.push(record);
                }
            }
        }
    }
    out
}

/// Calendar-date fields, by name, so a bad one is named rather than reported by serde.
const DATE_FIELDS: [(&str, &str); 1] = [("date_of_birth", "date of birth")];

fn check_dates(item: &Value) -> Option<String> {
    DATE_FIELDS.iter().find_map(|(field, label)| match item.get(field) {
        Some(Value::String(s)) if s.parse::<NaiveDate>().is_err() => Some(format!("{label} '{s}' is not a date")),
        _ => None,
    })
}

/// The fields of the records that hold a date or a time (at any depth: a referral's
/// `history[].at`, a visit's `calls[].at`, a profile's `set_on`), besides any field whose
/// name ends in `_at`, `_on` or `_date`. Checked by name, so that free text that only looks
/// like a date (a condition code, a note) is left alone; the test
/// `every_date_field_of_every_record_is_checked` fails when a record gains a date field
/// this does not cover.
const DATE_KEYS: &[&str] = &[
    "at", "date", "date_of_birth", "onset", "resolved", "last_modified", "requested", "created", "expected_reply", "records_forwarded",
    "appointment", "report_received", "routed_to_provider", "admitted", "discharged", "summary_received", "summary_routed", "med_rec_done",
    "follow_up", "due_by", "snoozed_until",
];

fn is_date_key(key: &str) -> bool {
    DATE_KEYS.contains(&key) || key.ends_with("_at") || key.ends_with("_on") || key.ends_with("_date")
}

/// The first date or time in a record (see [`DATE_KEYS`]) outside
/// [`dates::FIRST_YEAR`]–[`dates::LAST_YEAR`], named by its place in the record:
/// "created_at '+262142-12-31T23:00:00Z' is outside 1900–2200", "history[2].at '…' is
/// outside 1900–2200". (A time that far out parses, but cannot be shown in local time or
/// added to without overflowing.)
fn date_out_of_range(item: &Value) -> Option<String> {
    /// `key` is the field the value is in (for an array's items, the array's field).
    fn walk(v: &Value, key: &str, path: &mut String) -> Option<String> {
        match v {
            Value::String(s) if is_date_key(key) => {
                year_of(s).filter(|y| !dates::year_in_range(*y)).map(|_| dates::outside_range(path, s))
            }
            Value::Array(items) => items.iter().enumerate().find_map(|(i, x)| {
                let len = path.len();
                path.push_str(&format!("[{}]", i + 1));
                let found = walk(x, key, path);
                path.truncate(len);
                found
            }),
            Value::Object(fields) => fields.iter().find_map(|(k, x)| {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
                let found = walk(x, k, path);
                path.truncate(len);
                found
            }),
            _ => None,
        }
    }
    walk(item, "", &mut String::new())
}

/// The year of a text that is a whole date or date and time as records store them
/// ("2026-11-23", "2026-11-23T09:30:00Z", "+262142-12-31T23:00:00Z"), in UTC; `None` for any
/// other text (a bad date is then reported by the record's own reading).
fn year_of(s: &str) -> Option<i32> {
    if let Ok(t) = s.parse::<Timestamp>() {
        return Some(t.year());
    }
    if let Ok(d) = s.parse::<NaiveDate>() {
        return Some(d.year());
    }
    s.parse::<chrono::NaiveDateTime>().ok().map(|t| t.year())
}

/// serde's message, made readable: "missing field `last_name`" → "the field last_name is missing".
fn describe_serde(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or(rest);
        return format!("the field {field} is missing");
    }
    if ["input contains invalid characters", "premature end of input", "input is out of range"].iter().any(|m| msg.contains(m)) {
        return format!("a date or time is not valid ({msg})");
    }
    msg.replace('`', "")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::patient::tests::{at, day, patient};
    use crate::model::recall::OutreachAttempt;
    use crate::model::{Change, ChangeAction};
    use serde_json::json;

    fn today() -> NaiveDate {
        day(2026, 11, 23)
    }

    fn contents() -> BackupContents {
        let mut a = patient("ad2e3fc5-2b5d-4cb9-8d03-9ea0f4ac8423", "María", "Núñez", "1990-02-28");
        a.interpreter_needed = true;
        a.preferred_language = "Spanish".into();
        a.address.city = "Boston".into();
        let b = patient("27c911c6-f045-4ffa-af5d-6eba57ac94b2", "Liz", "Conn", "1986-11-28");
        a.profile = crate::model::profile::ProfileDraft {
            need_level: "3".into(),
            reason: "two admissions".into(),
            flags: "needs interpreter, transport barrier".into(),
            ccm_consent_on: "2026-10-01".into(),
            care_team: "RN Kim".into(),
        }
        .apply(&Default::default(), today())
        .unwrap();
        let c = Change::of(&a, ChangeAction::Created, at(2026, 11, 2), "Dana", "", "n1");
        let mut visit = crate::model::appointment::AppointmentDraft { patient_id: a.id.clone(), provider: "Dr. Shah".into(), ..Default::default() }
            .into_new("appt-1".into(), today(), chrono::NaiveTime::from_hms_opt(9, 30, 0).unwrap(), at(2026, 11, 20));
        visit.checklist.labs_ordered = true;
        let call = OutreachAttempt { rev: 0,
            id: "o1".into(),
            patient_id: b.id.clone(),
            item: "mammogram".into(),
            date: today(),
            method: crate::model::recall::OutreachMethod::Phone,
            outcome: crate::model::recall::OutreachOutcome::LeftMessage,
            note: String::new(),
            created_at: at(2026, 11, 23),
        };
        let referrals = crate::io::synth_referrals::referrals(&[a.id.clone(), b.id.clone()], 3, 7, today());
        let (organizations, services) = crate::io::synth_directory::directory(4, 9, today());
        a.profile.set_complex(dates::YearMonth::of(today()), true);
        let mut contacts = crate::io::synth_contacts::contacts(&[a.id.clone(), b.id.clone()], 4, 7, day(2026, 11, 1), 20);
        contacts[0].follow_up = Some(day(2026, 12, 1));
        let stay = crate::model::transition::AdmissionDraft { facility: "MGH".into(), admitted: "2026-11-10".into(), reason: "Pneumonia".into() }
            .validate(today())
            .unwrap()
            .into_new("t1".into(), &a.id, at(2026, 11, 10));
        let discharge = crate::model::transition::DischargeDraft { discharged: "2026-11-14".into(), discharged_to: "Home".into(), summary_received: "2026-11-16".into(), high_complexity: true };
        let mut stay = discharge.validate(&stay, today()).unwrap().apply_to(&stay, at(2026, 11, 14));
        stay.summary_routed = Some(day(2026, 11, 17));
        stay.med_rec_done = Some(day(2026, 11, 18));
        stay.visit_date = Some(day(2026, 11, 19));
        let refill = crate::model::refill::RefillDraft { medication: "Metformin 500 mg".into(), requested_on: "2026-11-20".into(), ..Default::default() }
            .validate(today(), &[])
            .unwrap()
            .into_new("rx1".into(), &b.id, "Dana", today(), at(2026, 11, 20))
            .move_to(crate::model::refill::RefillStatus::SentToProvider, "Dana", today(), at(2026, 11, 23), "")
            .unwrap();
        let item = crate::model::work_queue::refill_items(std::slice::from_ref(&refill), day(2026, 11, 30)).remove(0);
        let mark = crate::model::work_queue::QueueMark::new(&item, "m1".into(), "Dana", at(2026, 11, 23));
        let marks = vec![mark.done(today(), at(2026, 11, 23)), crate::model::work_queue::QueueMark { id: "m2".into(), ..mark.snooze("2026-12-01", today(), at(2026, 11, 23)).unwrap() }];
        BackupContents {
            contacts,
            transitions: vec![stay],
            refills: vec![refill],
            queue_marks: marks,
            organizations,
            services,
            referrals,
            patients: vec![a, b],
            changes: vec![c],
            care_rules: crate::model::care::default_rules(),
            appointments: vec![visit],
            outreach: vec![call],
            ..Default::default()
        }
    }

    #[test]
    fn a_schema_4_backup_has_no_appointments_and_patients_without_a_profile() {
        let text = json!({
            "format": "carecoord-backup", "schema_version": 4, "exported_at": "2026-01-01T00:00:00Z",
            "stores": { "patients": [{
                "id": "p1", "first_name": "Liz", "last_name": "Conn", "date_of_birth": "1986-11-28",
                "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"
            }] }
        })
        .to_string();
        let b = parse(&text, today()).unwrap();
        assert_eq!(b.contents.patients[0].profile, Default::default());
        assert!(b.contents.appointments.is_empty() && b.contents.outreach.is_empty());
        assert!(b.contents.referrals.is_empty(), "schema 4 and 5 backups have no referrals");
    }

    #[test]
    fn a_referral_with_a_bad_date_or_status_is_named() {
        let text = write(&contents(), at(2026, 11, 23));
        let mut v: Value = serde_json::from_str(&text).unwrap();
        v["stores"]["referrals"][0]["appointment"] = json!("2026-02-30");
        v["stores"]["referrals"][1]["status"] = json!("lost");
        let problems = refusal(&v.to_string());
        assert!(problems.contains("Referral 1: a date or time is not valid"), "{problems}");
        assert!(problems.contains("Referral 2: unknown variant lost"), "{problems}");
    }

    fn refusal(text: &str) -> String {
        parse(text, today()).unwrap_err().to_string()
    }

    #[test]
    fn round_trip_gives_back_the_same_records() {
        let c = contents();
        let text = write(&c, at(2026, 11, 23));
        let back = parse(&text, today()).unwrap();
        assert_eq!(back.contents, c);
        assert_eq!(back.schema_version, SCHEMA_VERSION);
        assert_eq!(back.exported_at, at(2026, 11, 23));
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["format"], "carecoord-backup");
        assert_eq!(v["schema_version"], SCHEMA_VERSION);
        assert_eq!(v["exported_at"], "2026-11-23T09:30:00Z");
    }

    #[test]
    fn file_name_uses_the_local_date() {
        assert_eq!(file_name(day(2026, 1, 5)), "carecoord-backup-2026-01-05.json");
    }

    #[test]
    fn an_older_schema_is_migrated() {
        let v1 = json!({
            "format": "carecoord-backup", "schema_version": 1, "exported_at": "2026-01-01T00:00:00Z",
            "stores": { "patients": [{
                "id": "p1", "first_name": "Ana", "last_name": "Lima", "date_of_birth": "1970-05-05",
                "language": "Portuguese (interpreter)",
                "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"
            }]}
        });
        let back = parse(&v1.to_string(), today()).unwrap();
        assert_eq!(back.schema_version, 1);
        let p = &back.contents.patients[0];
        assert_eq!(p.preferred_language, "Portuguese");
        assert!(p.interpreter_needed);
        assert!(back.contents.changes.is_empty());
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let text = json!({"format": "carecoord-backup", "schema_version": 99, "exported_at": "2026-01-01T00:00:00Z", "stores": {}}).to_string();
        assert!(refusal(&text).contains("newer version of CareCoord (schema 99)"), "{}", refusal(&text));
    }

    #[test]
    fn malformed_files_are_refused_with_a_reason() {
        assert!(refusal("").contains("empty"));
        assert!(refusal("{ not json").contains("not valid JSON (line 1, column 3)"));
        assert!(refusal("[1,2]").contains("does not hold a JSON object"));
        assert!(refusal(r#"{"format": "something-else"}"#).contains("no \"format\": \"carecoord-backup\""));
        assert!(refusal(r#"{"format": "carecoord-backup", "schema_version": "two"}"#).contains("schema_version"));
        assert!(refusal(r#"{"format": "carecoord-backup", "schema_version": 2, "exported_at": "x"}"#).contains("exported_at"));
        assert!(refusal(r#"{"format": "carecoord-backup", "schema_version": 2, "exported_at": "2026-01-01T00:00:00Z"}"#).contains("no \"stores\""));
    }

    #[test]
    fn every_bad_record_is_named_and_nothing_is_returned() {
        let mut v: Value = serde_json::from_str(&write(&contents(), at(2026, 11, 23))).unwrap();
        v["stores"]["patients"][0]["date_of_birth"] = json!("1990-02-31");
        v["stores"]["patients"][1].as_object_mut().unwrap().remove("last_name");
        v["stores"]["changes"][0]["action"] = json!("exploded");
        v["stores"]["invoices"] = json!([]);
        let err = parse(&v.to_string(), today()).unwrap_err();
        assert_eq!(err.total, 4, "{err}");
        let text = err.to_string();
        assert!(text.contains("store \"invoices\""), "{text}");
        assert!(text.contains("Patient 1: date of birth '1990-02-31' is not a date."), "{text}");
        assert!(text.contains("Patient 2: the field last_name is missing."), "{text}");
        assert!(text.contains("Change 1: unknown variant exploded"), "{text}");
    }

    #[test]
    fn rules_and_duplicate_ids_are_checked() {
        let mut c = contents();
        c.patients[1].first_name = " ".into();
        c.patients.push(c.patients[0].clone());
        let mut nameless = c.patients[0].clone();
        nameless.id = " ".into();
        c.patients.push(nameless);
        let err = parse(&write(&c, at(2026, 11, 23)), today()).unwrap_err();
        assert_eq!(
            err.problems,
            vec![
                "Patient 2 (Conn,  ): First name is required.".to_string(),
                "Patient 3: the id ad2e3fc5-2b5d-4cb9-8d03-9ea0f4ac8423 appears twice.".to_string(),
                "Patient 4: the id is empty.".to_string(),
            ]
        );
    }

    #[test]
    fn times_outside_1900_to_2200_are_refused_where_they_are() {
        let mut v: Value = serde_json::from_str(&write(&contents(), at(2026, 11, 23))).unwrap();
        v["exported_at"] = json!("+262142-12-31T23:00:00Z");
        assert_eq!(refusal(&v.to_string()), "The backup's exported_at '+262142-12-31T23:00:00Z' is outside 1900–2200.");

        let mut v: Value = serde_json::from_str(&write(&contents(), at(2026, 11, 23))).unwrap();
        v["stores"]["patients"][1]["created_at"] = json!("+262142-12-31T23:00:00Z");
        v["stores"]["changes"][0]["at"] = json!("1899-12-31T23:59:59Z");
        v["stores"]["appointments"][0]["date"] = json!("2201-01-01");
        v["stores"]["referrals"][0]["history"][0]["at"] = json!("-0001-01-01T00:00:00Z");
        let err = parse(&v.to_string(), today()).unwrap_err();
        assert_eq!(
            err.problems,
            vec![
                "Patient 2: created_at '+262142-12-31T23:00:00Z' is outside 1900–2200.",
                "Change 1: at '1899-12-31T23:59:59Z' is outside 1900–2200.",
                "Appointment 1: date '2201-01-01' is outside 1900–2200.",
                "Referral 1: history[1].at '-0001-01-01T00:00:00Z' is outside 1900–2200.",
            ]
        );
        // Text that only looks like a date, in a field that is not one, is not a date.
        let mut c = contents();
        c.patients[0].notes = "1850-01-01".into();
        c.outreach[0].note = "+262142-12-31T23:00:00Z".into();
        let back = parse(&write(&c, at(2026, 11, 23)), today());
        assert!(back.is_ok(), "{back:?}");
    }

    #[test]
    fn every_date_field_of_every_record_is_checked() {
        // Every string of a full backup that is a date or a time sits in a field the range
        // check covers, and every such field holds one: a new date field with a name of its
        // own fails here until it is added to DATE_KEYS.
        let mut c = contents();
        c.care_events = vec![serde_json::from_value(json!({
            "id": "e1", "patient_id": c.patients[0].id, "item": "hba1c", "date": "2026-10-01", "outcome": "done",
            "created_at": "2026-10-01T10:00:00Z"
        }))
        .unwrap()];
        c.conditions = vec![serde_json::from_value(json!({
            "id": "c1", "patient_id": c.patients[0].id, "system": "snomed", "code": "44054006", "display": "Diabetes",
            "onset": "2020-01-01", "resolved": "2021-01-01", "created_at": "2026-10-01T10:00:00Z", "updated_at": "2026-10-01T10:00:00Z"
        }))
        .unwrap()];
        let v: Value = serde_json::from_str(&write(&c, at(2026, 11, 23))).unwrap();
        fn walk(v: &Value, key: &str, path: &str, found: &mut Vec<String>) {
            match v {
                // (A time of day, a schedule's opens_at, has no year to check.)
                Value::String(s) if year_of(s).is_some() != is_date_key(key) && s.parse::<chrono::NaiveTime>().is_err() => {
                    found.push(format!("{path} = {s:?}"))
                }
                Value::Array(a) => a.iter().for_each(|x| walk(x, key, path, found)),
                Value::Object(o) => o.iter().for_each(|(k, x)| walk(x, k, &format!("{path}.{k}"), found)),
                _ => {}
            }
        }
        let mut found = Vec::new();
        walk(&v["stores"], "", "stores", &mut found);
        assert!(found.is_empty(), "date fields and the range check disagree: {found:#?}");
        for store in ["patients", "changes", "conditions", "care_events", "appointments", "outreach", "referrals", "services", "contacts", "transitions", "refills", "queue_marks"] {
            assert!(v["stores"][store].as_array().is_some_and(|a| !a.is_empty()), "{store} is in the sample");
        }
    }

    #[test]
    fn many_problems_are_summarised() {
        let bad: Vec<Value> = (0..25).map(|i| json!({"id": format!("x{i}")})).collect();
        let text = json!({"format": "carecoord-backup", "schema_version": 2, "exported_at": "2026-01-01T00:00:00Z", "stores": {"patients": bad}}).to_string();
        let err = parse(&text, today()).unwrap_err();
        assert_eq!(err.total, 25);
        assert_eq!(err.problems.len(), 10);
        assert!(err.to_string().ends_with("… and 15 more problems."));
    }
}
