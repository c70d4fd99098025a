//! FHIR R4 JSON: `Patient` and `Condition` resources, as a `Bundle` (Synthea's transaction
//! bundles, one patient each, referencing it as `urn:uuid:<id>`), as a single resource, or
//! as NDJSON (bulk export: one resource per line, `Patient.000.ndjson` and
//! `Condition.000.ndjson` given together, referencing `Patient/<id>`).
//!
//! Every other resource type is ignored here; [`read_text`], which hands every resource of
//! a text to its caller one at a time, is also how `io::care_history` reads FHIR. Where a
//! problem is:
//! - NDJSON: `line` is the line in the file;
//! - a Bundle: `line` is the entry's number (the first entry is 1) and the message says
//!   "bundle entry N", since a pretty-printed bundle has no line per resource;
//! - when several files are read together, the message also names the file.
//!
//! Patients are checked like the patient form. An identifier that is not a valid MRN here
//! (Synthea's MRNs are 36-character UUIDs, longer than the 30 the form allows), or a phone,
//! email or postal code the form would refuse, does not cost the patient: the patient is
//! imported without it and the value is kept in the notes. Deceased patients are skipped;
//! conditions are merged per code like every reader (see [`super::import`]).

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde_json::Value;

use super::import::{finish, merge_repeats, reason, strip_bom, synthea_name, FileProblem, Orphans, PatientImport, RowProblem};
use crate::model::patient::ValidPatient;
use crate::model::{ChronicCondition, CodeSystem, Condition, PatientDraft, PatientField, Timestamp};

/// Reads FHIR R4 JSON texts (each a Bundle, a resource or NDJSON) into patients and their
/// conditions. Conditions may come in a different text from their patients, in any order.
pub fn parse(texts: &[&str], today: NaiveDate, now: Timestamp) -> Result<PatientImport, FileProblem> {
    let files: Vec<(&str, &str)> = texts.iter().map(|t| ("", *t)).collect();
    parse_named(&files, today, now)
}

/// Where a resource is, for messages.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Place {
    pub(crate) file: usize,
    /// NDJSON line, else the bundle entry number, else 1.
    pub(crate) line: u64,
    /// The bundle entry number, when the resource is in a Bundle.
    pub(crate) entry: Option<usize>,
}

/// One resource read from a text, with where it is and, in a Bundle, its entry's `fullUrl`.
pub(crate) struct Found {
    pub(crate) place: Place,
    pub(crate) resource: Value,
    pub(crate) full_url: Option<String>,
}

impl Found {
    /// The resource's `resourceType`.
    pub(crate) fn kind(&self) -> &str {
        self.resource.get("resourceType").and_then(Value::as_str).unwrap_or("")
    }
}

#[derive(Default)]
struct Collected {
    patients: Vec<Found>,
    conditions: Vec<Found>,
}

impl Collected {
    /// Keeps the patients and conditions; every other resource is not read.
    fn keep(&mut self, f: Found) {
        match f.kind() {
            "Patient" => self.patients.push(f),
            "Condition" => self.conditions.push(f),
            _ => {}
        }
    }
}

/// "Line 3: …" for an unnamed text, "Condition.000.ndjson: line 3: …" for a named one.
fn whole(name: &str, message: String) -> FileProblem {
    if name.is_empty() {
        let mut c = message.chars();
        let capital: String = c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default();
        FileProblem(capital)
    } else {
        FileProblem(format!("{name}: {message}"))
    }
}

/// [`parse`] with file names, so that messages can say which file (used by
/// `patients_csv::detect_and_parse`).
pub(crate) fn parse_named(files: &[(&str, &str)], today: NaiveDate, now: Timestamp) -> Result<PatientImport, FileProblem> {
    let mut found = Collected::default();
    for (i, (name, text)) in files.iter().enumerate() {
        read_text(i, name, strip_bom(text), &mut |f| found.keep(f))?;
    }
    let names: Vec<&str> = files.iter().map(|(n, _)| *n).collect();
    let suffix = |p: Place| {
        let file = if names.len() > 1 && !names[p.file].is_empty() { Some(names[p.file]) } else { None };
        match (p.entry, file) {
            (Some(e), Some(f)) => format!(" (bundle entry {e} in {f})"),
            (Some(e), None) => format!(" (bundle entry {e})"),
            (None, Some(f)) => format!(" (in {f})"),
            (None, None) => String::new(),
        }
    };
    let row = |p: Place, message: &str| RowProblem { line: p.line, message: finish(message, &suffix(p)) };

    let mut out = PatientImport::default();
    // fullUrl → patient id, for `urn:uuid:` references in transaction bundles.
    let mut by_url: HashMap<String, String> = HashMap::new();
    // Patients in the files that are not imported, and why.
    let mut left_out: HashMap<String, &'static str> = HashMap::new();
    let mut seen = HashSet::new();
    for f in &found.patients {
        let r = &f.resource;
        let id = text(r, "id")
            .map(str::to_string)
            .or_else(|| f.full_url.as_deref().map(last_segment))
            .unwrap_or_default();
        if let Some(url) = &f.full_url {
            by_url.insert(url.clone(), id.clone());
        }
        if id.is_empty() {
            out.problems.push(row(f.place, "a Patient has no id."));
            continue;
        }
        if let Some(when) = deceased(r) {
            out.skipped.push(row(f.place, &format!("Patient {id}: deceased{when}, not added to the panel.")));
            left_out.insert(id, "the patient is deceased");
            continue;
        }
        if !seen.insert(id.clone()) {
            out.problems.push(row(f.place, &format!("Patient {id} appears twice.")));
            continue;
        }
        match validate_keeping(patient_draft(r), &id, today) {
            Ok(valid) => {
                // `id` stays the Patient.id until `model::patient_import::plan_import` gives
                // the patient a CareCoord id; the conditions below point at it meanwhile.
                let mut p = valid.into_new(id.clone(), now);
                p.source_id = id;
                out.patients.push(p);
            }
            Err(reasons) => {
                out.problems.push(row(f.place, &format!("Patient {id}: {}.", reasons.join("; "))));
                left_out.insert(id, "the patient's record has a problem");
            }
        }
    }

    let imported: HashSet<&str> = out.patients.iter().map(|p| p.id.as_str()).collect();
    let mut orphans = Orphans::default();
    let mut conditions = Vec::new();
    let mut unnamed: HashMap<String, usize> = HashMap::new();
    let mut condition_ids: HashMap<String, (String, CodeSystem, String)> = HashMap::new();
    for f in &found.conditions {
        let r = &f.resource;
        let cid = text(r, "id").unwrap_or("").to_string();
        let label = if cid.is_empty() { "a Condition".to_string() } else { format!("Condition {cid}") };
        let Some(reference) = r.get("subject").and_then(|s| text(s, "reference")) else {
            out.problems.push(row(f.place, &format!("{label} has no subject (patient).")));
            continue;
        };
        let pid = patient_id(reference, &by_url);
        if let Some(status) = verification(r).filter(|s| *s == "entered-in-error" || *s == "refuted") {
            out.skipped.push(row(f.place, &format!("{label} is marked {status}, not imported.")));
            continue;
        }
        if !imported.contains(pid.as_str()) {
            orphans.add(&pid, f.place.line, suffix(f.place));
            continue;
        }
        let Some((system, code, display)) = coded(r) else {
            out.problems.push(row(f.place, &format!("{label} has no code.")));
            continue;
        };
        let mut reasons = Vec::new();
        let onset = date_field(r, &["onsetDateTime"], ("onsetPeriod", "start"), "onset", &mut reasons);
        let resolved = date_field(r, &["abatementDateTime"], ("abatementPeriod", "end"), "abatement", &mut reasons);
        if let (Some(a), Some(b)) = (onset, resolved) {
            if b < a {
                reasons.push(format!("abatement {b} is before onset {a}"));
            }
        }
        if !reasons.is_empty() {
            out.problems.push(row(f.place, &format!("{label} ('{display}'): {}.", reasons.join("; "))));
            continue;
        }
        let id = if cid.is_empty() {
            let n = unnamed.entry(pid.clone()).or_default();
            *n += 1;
            format!("{pid}-cond-{n}")
        } else {
            cid
        };
        // The same id again is the same problem repeated (merged below) only when it is for
        // the same patient and code; otherwise one record would silently replace the other.
        let what = if code.is_empty() { format!("text:{}", crate::model::text::fold(&display)) } else { code.clone() };
        match condition_ids.get(&id) {
            Some(first) if *first != (pid.clone(), system, what.clone()) => {
                out.problems.push(row(f.place, &format!("Condition {id} appears twice, for another patient or code; the second is left out.")));
                continue;
            }
            Some(_) => {}
            None => {
                condition_ids.insert(id.clone(), (pid.clone(), system, what));
            }
        }
        conditions.push(Condition { source_id: String::new(), rev: 0,
            id,
            patient_id: pid,
            chronic: ChronicCondition::classify(system, &code, &display),
            system,
            code,
            display,
            onset,
            resolved,
            created_at: now,
            updated_at: now,
        });
    }
    out.conditions = merge_repeats(conditions);
    orphans.report(&mut out.skipped, |pid| left_out.get(pid).copied().unwrap_or("the patient is not in these files").to_string());
    Ok(out)
}

/// Reads one text: a JSON document (Bundle or resource) or NDJSON, handing every resource
/// in it (a Bundle's entries one by one) to `visit` as it is read, so that a large NDJSON
/// file is never held as JSON values all at once.
pub(crate) fn read_text(file: usize, name: &str, text: &str, visit: &mut dyn FnMut(Found)) -> Result<(), FileProblem> {
    if text.trim().is_empty() {
        return Err(whole(name, "the file is empty.".into()));
    }
    let whole_error = match serde_json::from_str::<Value>(text) {
        Ok(v) => return collect(v, Place { file, line: 1, entry: None }, None, true, name, visit),
        Err(e) => e,
    };
    // More than one JSON value: NDJSON, if its first line is a JSON object on its own.
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let ndjson = text.lines().filter(|l| !l.trim().is_empty()).nth(1).is_some() && object_line(first);
    if !ndjson {
        return Err(whole(name, format!("not valid JSON (line {}, column {}).", whole_error.line(), whole_error.column())));
    }
    read_lines(file, name, text, 0, visit)
}

/// Whether a line is a JSON object on its own: the first line of NDJSON (with another line
/// after it; a text of that one line alone is a JSON document).
pub(crate) fn object_line(line: &str) -> bool {
    serde_json::from_str::<Value>(line).is_ok_and(|v| v.is_object())
}

/// Reads NDJSON lines (`text`, whole lines) that come after `lines_before` lines of the file,
/// handing every resource to `visit`: how [`read_text`] reads NDJSON, and how
/// `io::care_history` reads it a chunk at a time.
pub(crate) fn read_lines(file: usize, name: &str, text: &str, lines_before: u64, visit: &mut dyn FnMut(Found)) -> Result<(), FileProblem> {
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let line_no = lines_before + n as u64 + 1;
        let v = serde_json::from_str::<Value>(line)
            .map_err(|e| whole(name, format!("line {line_no}: not valid JSON (column {}).", e.column())))?;
        collect(v, Place { file, line: line_no, entry: None }, None, false, name, visit)?;
    }
    Ok(())
}

/// Hands a resource (or a Bundle's entries) to `visit`.
fn collect(v: Value, place: Place, full_url: Option<String>, whole_doc: bool, name: &str, visit: &mut dyn FnMut(Found)) -> Result<(), FileProblem> {
    let kind = v.get("resourceType").and_then(Value::as_str).map(str::to_string);
    match kind.as_deref() {
        Some("Bundle") => {
            let entries = match v {
                Value::Object(mut bundle) => match bundle.remove("entry") {
                    Some(Value::Array(entries)) => entries,
                    _ => Vec::new(),
                },
                _ => Vec::new(),
            };
            for (k, mut e) in entries.into_iter().enumerate() {
                let url = e.get("fullUrl").and_then(Value::as_str).map(str::to_string);
                let Some(resource) = e.get_mut("resource").map(Value::take) else { continue };
                let line = if whole_doc { k as u64 + 1 } else { place.line };
                collect(resource, Place { file: place.file, line, entry: Some(k + 1) }, url, whole_doc, name, visit)?;
            }
        }
        Some(_) => visit(Found { place, resource: v, full_url }),
        None if place.entry.is_some() => {} // an entry without a resource type: nothing to read
        None if whole_doc => return Err(whole(name, "this JSON is not FHIR: it has no resourceType.".into())),
        None => return Err(whole(name, format!("line {}: not a FHIR resource (no resourceType).", place.line))),
    }
    Ok(())
}

/// A string member of a JSON object, trimmed, if present and not empty.
pub(crate) fn text<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty())
}

pub(crate) fn array<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[])
}

/// The last path segment: "urn:uuid:abc" → "abc", "http://x/Patient/abc" → "abc".
pub(crate) fn last_segment(s: &str) -> String {
    s.rsplit(['/', ':']).next().unwrap_or(s).to_string()
}

/// The patient id a `subject.reference` points at.
pub(crate) fn patient_id(reference: &str, by_url: &HashMap<String, String>) -> String {
    let reference = reference.trim();
    if let Some(id) = by_url.get(reference) {
        return id.clone();
    }
    if let Some((_, rest)) = reference.rsplit_once("Patient/") {
        return rest.split('/').next().unwrap_or(rest).to_string();
    }
    reference.strip_prefix("urn:uuid:").unwrap_or(reference).to_string()
}

/// " (1989-05-09)" or "" when the patient is deceased; `None` when alive.
fn deceased(r: &Value) -> Option<String> {
    if let Some(when) = text(r, "deceasedDateTime") {
        return Some(format!(" ({})", when.split('T').next().unwrap_or(when)));
    }
    match r.get("deceasedBoolean").and_then(Value::as_bool) {
        Some(true) => Some(String::new()),
        _ => None,
    }
}

/// A FHIR date or dateTime as a date: its date part; "1980-05" and "1980" are the first
/// day of that month or year.
pub(crate) fn fhir_date(s: &str) -> Option<NaiveDate> {
    let d = s.trim().split('T').next()?;
    let full = match d.len() {
        10 => d.to_string(),
        7 => format!("{d}-01"),
        4 => format!("{d}-01-01"),
        _ => return None,
    };
    crate::model::dates::parse_date(&full)
}

/// The first of the `keys` (dateTime members) or `period.member` present, as a date.
fn date_field(r: &Value, keys: &[&str], period: (&str, &str), label: &str, reasons: &mut Vec<String>) -> Option<NaiveDate> {
    let raw = keys.iter().find_map(|k| text(r, k)).or_else(|| r.get(period.0).and_then(|p| text(p, period.1)))?;
    let d = fhir_date(raw);
    match d {
        None => reasons.push(format!("{label} '{raw}' is not a date")),
        Some(day) if !crate::model::dates::date_in_range(day) => reasons.push(crate::model::dates::outside_range(label, raw)),
        Some(_) => {}
    }
    d
}

/// `verificationStatus` code, if any.
fn verification(r: &Value) -> Option<&str> {
    let vs = r.get("verificationStatus")?;
    array(vs, "coding").iter().find_map(|c| text(c, "code"))
}

/// The condition's code: SNOMED CT if present, else ICD-10, else the first coding; a
/// condition with only `code.text` gets no code. `None` when there is neither.
fn coded(r: &Value) -> Option<(CodeSystem, String, String)> {
    let code = r.get("code")?;
    let codings = array(code, "coding");
    let system_of = |c: &Value| CodeSystem::parse(text(c, "system").unwrap_or(""));
    let pick = codings
        .iter()
        .find(|c| system_of(c) == CodeSystem::Snomed)
        .or_else(|| codings.iter().find(|c| system_of(c) == CodeSystem::Icd10))
        .or_else(|| codings.first());
    let (system, value) = match pick {
        Some(c) => (system_of(c), text(c, "code").unwrap_or("").to_string()),
        None => (CodeSystem::Other, String::new()),
    };
    let display = pick
        .and_then(|c| text(c, "display"))
        .or_else(|| text(code, "text"))
        .map(str::to_string)
        .unwrap_or_else(|| value.clone());
    if value.is_empty() && display.is_empty() {
        None
    } else {
        Some((system, value, display))
    }
}

/// The form's fields from a Patient resource (names without Synthea's digits).
fn patient_draft(r: &Value) -> PatientDraft {
    let names = array(r, "name");
    let name = ["official", "usual"]
        .iter()
        .find_map(|u| names.iter().find(|n| text(n, "use") == Some(u)))
        .or_else(|| names.first());
    let (mut first_name, mut last_name) = (String::new(), String::new());
    if let Some(n) = name {
        first_name = array(n, "given")
            .iter()
            .filter_map(Value::as_str)
            .map(synthea_name)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        last_name = text(n, "family").map(synthea_name).unwrap_or_default();
        if first_name.is_empty() && last_name.is_empty() {
            if let Some((given, family)) = text(n, "text").and_then(|t| t.rsplit_once(' ')) {
                first_name = given.trim().to_string();
                last_name = family.trim().to_string();
            }
        }
    }

    let telecom = array(r, "telecom");
    let contact = |system: &str| {
        telecom
            .iter()
            .filter(|t| text(t, "system") == Some(system) && text(t, "use") != Some("old"))
            .find_map(|t| text(t, "value"))
            .unwrap_or("")
            .to_string()
    };

    let addresses = array(r, "address");
    let address = addresses.iter().find(|a| text(a, "use") == Some("home")).or_else(|| addresses.first());
    let part = |key: &str| address.and_then(|a| text(a, key)).unwrap_or("").to_string();
    let line = address
        .map(|a| array(a, "line").iter().filter_map(Value::as_str).map(str::trim).filter(|s| !s.is_empty()).collect::<Vec<_>>().join(", "))
        .unwrap_or_default();

    let communication = array(r, "communication");
    let language = communication
        .iter()
        .find(|c| c.get("preferred").and_then(Value::as_bool) == Some(true))
        .or_else(|| communication.first())
        .and_then(|c| c.get("language"))
        .and_then(|l| {
            text(l, "text").or_else(|| {
                let coding = array(l, "coding").first()?;
                text(coding, "display").or_else(|| text(coding, "code"))
            })
        })
        .unwrap_or("")
        .to_string();

    let mrn = array(r, "identifier")
        .iter()
        .find(|i| i.get("type").is_some_and(|t| array(t, "coding").iter().any(|c| text(c, "code") == Some("MR"))))
        .and_then(|i| text(i, "value"))
        .unwrap_or("")
        .to_string();

    let birth = text(r, "birthDate").unwrap_or("");
    PatientDraft {
        first_name,
        last_name,
        date_of_birth: fhir_date(birth).map(|d| d.to_string()).unwrap_or_else(|| birth.to_string()),
        sex: text(r, "gender").unwrap_or("").to_string(),
        mrn,
        phone: contact("phone"),
        email: contact("email"),
        address_line: line,
        city: part("city"),
        state: part("state"),
        postal_code: part("postalCode"),
        preferred_language: language,
        ..Default::default()
    }
}

/// Validates like the form, but an MRN, phone, email or postal code the form would refuse
/// is moved into the notes instead of refusing the patient. An MRN that is the
/// Patient.id itself (Synthea's) is kept as the patient's source id already, so it is
/// dropped rather than repeated in the notes.
fn validate_keeping(mut draft: PatientDraft, source_id: &str, today: NaiveDate) -> Result<ValidPatient, Vec<String>> {
    let errors = match draft.validate(today) {
        Ok(valid) => return Ok(valid),
        Err(errors) => errors,
    };
    let mut kept = Vec::new();
    let mut moved = false;
    for e in &errors {
        if e.field == PatientField::Mrn && draft.mrn.trim() == source_id.trim() {
            draft.mrn.clear();
            moved = true;
            continue;
        }
        let (label, value) = match e.field {
            PatientField::Mrn => ("MRN", &mut draft.mrn),
            PatientField::Phone => ("phone", &mut draft.phone),
            PatientField::Email => ("email", &mut draft.email),
            PatientField::PostalCode => ("postal code", &mut draft.postal_code),
            _ => continue,
        };
        kept.push(format!("{label} {}", std::mem::take(value).trim()));
        moved = true;
    }
    if !moved {
        return Err(errors.iter().map(|e| reason(&e.message)).collect());
    }
    if !kept.is_empty() {
        draft.notes = format!("From the imported file, not valid in CareCoord's fields: {}.", kept.join("; "));
    }
    draft.validate(today).map_err(|errors| errors.iter().map(|e| reason(&e.message)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::patient::tests::{at, day};
    use crate::model::{ChronicCondition, Sex};

    const PATIENTS: &str = include_str!("../../../shared/testdata/fhir-ndjson/Patient.000.ndjson");
    const CONDITIONS: &str = include_str!("../../../shared/testdata/fhir-ndjson/Condition.000.ndjson");
    const BUSTER: &str =
        include_str!("../../../shared/testdata/fhir-bundle/Buster_Hoeger_ad2e3fc5-2b5d-4cb9-8d03-9ea0f4ac8423.json");
    const LIZ: &str = include_str!("../../../shared/testdata/fhir-bundle/Liz_Conn_27c911c6-f045-4ffa-af5d-6eba57ac94b2.json");

    fn read(texts: &[&str]) -> PatientImport {
        parse(texts, day(2026, 11, 23), at(2026, 11, 23)).unwrap()
    }

    fn refused(texts: &[&str]) -> String {
        parse(texts, day(2026, 11, 23), at(2026, 11, 23)).unwrap_err().0
    }

    #[test]
    fn reads_the_bulk_ndjson_sample() {
        let got = read(&[PATIENTS, CONDITIONS]);
        assert!(got.problems.is_empty(), "{:?}", got.problems);
        assert_eq!(got.patients.len(), 10);
        let deceased: Vec<&RowProblem> = got.skipped.iter().filter(|s| s.message.contains(": deceased")).collect();
        assert_eq!(deceased.len(), 3, "{:?}", got.skipped);
        assert_eq!(deceased[0].to_string(), "Line 1: Patient 129c6ac7-8d06-89de-ad63-0204a93e76c3: deceased (1989-05-09), not added to the panel.");

        let p = got.patients.iter().find(|p| p.id.starts_with("6a4160eb")).expect("Yvone Cummings is imported");
        assert_eq!(p.full_name(), "Yvone Janina Cummings");
        assert_eq!(p.sex, Sex::Female);
        assert_eq!(p.date_of_birth, day(1963, 7, 15));
        assert_eq!(p.phone, "555-897-2109");
        assert_eq!(p.address.line, "184 Christiansen Fork Suite 97");
        assert_eq!(p.address.city, "Overland Park");
        assert_eq!(p.address.state, "KS");
        assert_eq!(p.preferred_language, "English (United States)");
        // Synthea's MRN is a 36-character UUID, the Patient.id itself: kept as the source
        // id (not refused, and not repeated in the notes).
        assert_eq!(p.mrn, "");
        assert_eq!(p.source_id, p.id);
        assert_eq!(p.notes, "");
        let hypertension: Vec<&Condition> = got.conditions.iter().filter(|c| c.chronic == Some(ChronicCondition::Hypertension)).collect();
        assert_eq!(hypertension.len(), 1);
        assert_eq!(hypertension[0].patient_id, p.id);
        assert_eq!(hypertension[0].code, "59621000");
        assert_eq!(hypertension[0].system, CodeSystem::Snomed);
        assert_eq!(hypertension[0].onset, Some(day(1985, 9, 16)));

        // Every condition belongs to an imported patient; repeats are merged.
        let ids: HashSet<&str> = got.patients.iter().map(|p| p.id.as_str()).collect();
        assert!(got.conditions.iter().all(|c| ids.contains(c.patient_id.as_str())));
        let keys: HashSet<(&str, &str)> = got.conditions.iter().map(|c| (c.patient_id.as_str(), c.code.as_str())).collect();
        assert_eq!(keys.len(), got.conditions.len());
        // Prediabetes is not diabetes, and the only type 2 diabetic (SNOMED 44054006) of
        // the sample is one of the deceased, so nobody imported has diabetes.
        assert!(got.conditions.iter().any(|c| c.code == "15777000" && c.chronic.is_none()));
        assert!(!got.conditions.iter().any(|c| c.chronic == Some(ChronicCondition::Diabetes)));
        let asthma = got.conditions.iter().find(|c| c.code == "233678006").expect("childhood asthma");
        assert_eq!((asthma.onset, asthma.resolved), (Some(day(2007, 6, 5)), Some(day(2021, 9, 20))));
        assert_eq!(asthma.chronic, Some(ChronicCondition::Asthma));

        // The deceased patients' conditions: one skipped line each, never silently.
        let dropped: Vec<&RowProblem> = got.skipped.iter().filter(|s| s.message.contains("not imported: the patient is deceased")).collect();
        assert_eq!(dropped.len(), 3, "{:?}", got.skipped);
        assert_eq!(dropped[1].message, "219 conditions of patient 79a66c97-6131-3213-f3c9-4606946ab056 are not imported: the patient is deceased.");
        // 555 rows: 49 + 219 + 6 of the deceased; the other 281 hold 147 distinct (patient, code).
        assert_eq!(got.conditions.len(), 147);
    }

    #[test]
    fn the_diabetic_in_the_ndjson_sample_is_deceased() {
        // The sample's only SNOMED 44054006 row belongs to a deceased patient; with the
        // death date removed from that patient, the real row is read and classified.
        let lines: Vec<&str> = CONDITIONS.lines().filter(|l| l.contains("\"44054006\"")).collect();
        assert_eq!(lines.len(), 1);
        assert!(lines[0].contains("Patient/79a66c97"));
        let alive = PATIENTS.lines().find(|l| l.contains("\"id\":\"79a66c97") || l.contains("\"id\": \"79a66c97")).unwrap();
        let alive = alive.replace("deceasedDateTime", "x_deceased");
        let got = read(&[&alive, lines[0]]);
        assert_eq!(got.patients.len(), 1);
        assert_eq!(got.conditions.len(), 1);
        assert_eq!(got.conditions[0].chronic, Some(ChronicCondition::Diabetes));
        assert_eq!(got.conditions[0].onset, Some(day(1969, 5, 31)));
    }

    #[test]
    fn condition_files_may_come_first() {
        let a = read(&[PATIENTS, CONDITIONS]);
        let b = read(&[CONDITIONS, PATIENTS]);
        assert_eq!(a.patients, b.patients);
        assert_eq!(a.conditions, b.conditions);
    }

    #[test]
    fn reads_the_two_transaction_bundles() {
        let got = read(&[BUSTER, LIZ]);
        assert!(got.problems.is_empty() && got.skipped.is_empty(), "{:?} {:?}", got.problems, got.skipped);
        assert_eq!(got.patients.len(), 2);
        let buster = &got.patients[0];
        assert_eq!(buster.id, "e4531916-b162-4f4b-90c2-ce37e132b8d4");
        assert_eq!(buster.full_name(), "Buster Hoeger");
        assert_eq!(buster.sex, Sex::Male);
        assert_eq!(buster.date_of_birth, day(1988, 3, 16));
        assert_eq!(buster.address.city, "Amherst");
        assert_eq!(buster.address.postal_code, "01002");
        assert_eq!(buster.preferred_language, "English");
        let liz = &got.patients[1];
        assert_eq!(liz.full_name(), "Liz Conn", "the official name, not the maiden one");
        assert_eq!(liz.sex, Sex::Female);
        assert_eq!(liz.date_of_birth, day(1986, 11, 28));
        assert_eq!(liz.address.city, "Beverly");

        let of = |p: &str| got.conditions.iter().filter(|c| c.patient_id == p).collect::<Vec<_>>();
        // Buster: chronic sinusitis, and viral sinusitis twice (2011, 2017) merged into one.
        let b = of(&buster.id);
        assert_eq!(b.len(), 2);
        assert_eq!(b[0].id, "6e0f715c-f1da-49b9-912d-536127e27653");
        assert_eq!(b[0].display, "Chronic sinusitis (disorder)");
        assert_eq!((b[0].onset, b[0].resolved), (Some(day(1994, 9, 2)), None));
        assert_eq!(b[1].code, "444814009");
        assert_eq!(b[1].id, "55cfe76c-c918-402d-b99b-89cf61dc27ef", "the earliest occurrence's id");
        assert_eq!((b[1].onset, b[1].resolved), (Some(day(2011, 10, 4)), Some(day(2017, 11, 22))));
        assert!(b.iter().all(|c| c.chronic.is_none()));
        let l = of(&liz.id);
        assert_eq!(l.len(), 1);
        assert_eq!(l[0].code, "38341003");
        assert_eq!(l[0].chronic, Some(ChronicCondition::Hypertension));
        assert_eq!(l[0].onset, Some(day(2005, 7, 29)));
        assert_eq!(l[0].created_at, at(2026, 11, 23));
    }

    #[test]
    fn bad_json_is_named_by_line() {
        assert_eq!(refused(&["{\"resourceType\": \"Bundle\",\n  \"entry\": [\n    {,}\n]}"]), "Not valid JSON (line 3, column 6).");
        let nd = "{\"resourceType\":\"Patient\",\"id\":\"a\"}\n{\"resourceType\":\"Patient\",\"id\":\"b\"}\n{\"resourceType\":\"Patient\",\n";
        assert_eq!(refused(&[nd]), "Line 3: not valid JSON (column 26).");
        assert_eq!(refused(&[""]), "The file is empty.");
        assert_eq!(refused(&["{\"format\": \"x\"}"]), "This JSON is not FHIR: it has no resourceType.");
        let named = parse_named(&[("a.ndjson", nd)], day(2026, 1, 1), at(2026, 1, 1)).unwrap_err().0;
        assert_eq!(named, "a.ndjson: line 3: not valid JSON (column 26).");
    }

    #[test]
    fn bad_rows_say_where_they_are() {
        let nd = [
            r#"{"resourceType":"Patient","id":"p1","name":[{"family":"Lima","given":["Ana"]}],"birthDate":"1990-02-31","gender":"female"}"#,
            r#"{"resourceType":"Observation","id":"o1"}"#,
            "",
            r#"{"resourceType":"Patient","id":"p2","name":[{"family":"Souza","given":["Caio"]}],"birthDate":"1980-01-01","gender":"male","deceasedBoolean":true}"#,
            r#"{"resourceType":"Patient","id":"p3","name":[{"family":"Costa","given":["Rui"]}],"birthDate":"1970","gender":"male","telecom":[{"system":"phone","value":"12"}]}"#,
            r#"{"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/p3"},"code":{"text":"Asthma"},"onsetDateTime":"2020-13-01"}"#,
            r#"{"resourceType":"Condition","id":"c2","subject":{"reference":"Patient/p1"},"code":{"text":"Asthma"}}"#,
            r#"{"resourceType":"Condition","id":"c3","subject":{"reference":"Patient/zz"},"code":{"text":"Asthma"}}"#,
            r#"{"resourceType":"Condition","id":"c4","subject":{"reference":"Patient/p3"},"code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"J45.909"}]}}"#,
            r#"{"resourceType":"Condition","id":"c5","subject":{"reference":"Patient/p3"}}"#,
        ]
        .join("\n");
        let got = read(&[&nd]);
        let problems: Vec<String> = got.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            problems,
            vec![
                "Line 1: Patient p1: date of birth '1990-02-31' is not a date.",
                "Line 6: Condition c1 ('Asthma'): onset '2020-13-01' is not a date.",
                "Line 10: Condition c5 has no code.",
            ]
        );
        let skipped: Vec<String> = got.skipped.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            skipped,
            vec![
                "Line 4: Patient p2: deceased, not added to the panel.",
                "Line 7: 1 condition of patient p1 is not imported: the patient's record has a problem.",
                "Line 8: 1 condition of patient zz is not imported: the patient is not in these files.",
            ]
        );
        assert_eq!(got.patients.len(), 1);
        let p3 = &got.patients[0];
        assert_eq!(p3.date_of_birth, day(1970, 1, 1), "a year alone is its first day");
        assert_eq!(p3.phone, "");
        assert_eq!(p3.notes, "From the imported file, not valid in CareCoord's fields: phone 12.");
        assert_eq!(got.conditions.len(), 1);
        assert_eq!(got.conditions[0].system, CodeSystem::Icd10);
        assert_eq!(got.conditions[0].display, "J45.909");
        assert_eq!(got.conditions[0].chronic, Some(ChronicCondition::Asthma));
    }

    #[test]
    fn bundle_problems_say_entry_and_file() {
        let bundle = r#"{"resourceType":"Bundle","type":"collection","entry":[
            {"fullUrl":"urn:uuid:x1","resource":{"resourceType":"Organization","id":"o"}},
            {"fullUrl":"urn:uuid:x2","resource":{"resourceType":"Patient","name":[{"family":"Lima","given":["Ana"]}],"birthDate":"2030-01-01"}},
            {"fullUrl":"urn:uuid:x3","resource":{"resourceType":"Patient","id":"x3","name":[{"family":"Reis","given":["Bia"]}],"birthDate":"1999-09-09"}},
            {"fullUrl":"urn:uuid:c1","resource":{"resourceType":"Condition","subject":{"reference":"urn:uuid:x3"},"code":{"text":"Depression"},"onsetDateTime":"2019"}}
        ]}"#;
        let got = read(&[bundle]);
        let problems: Vec<String> = got.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(problems, vec!["Line 2: Patient x2: date of birth 2030-01-01 is in the future (bundle entry 2)."]);
        assert_eq!(got.patients.len(), 1);
        assert_eq!(got.conditions[0].id, "x3-cond-1");
        assert_eq!(got.conditions[0].onset, Some(day(2019, 1, 1)));
        assert_eq!(got.conditions[0].chronic, Some(ChronicCondition::Depression));

        let two = parse_named(&[("a.json", bundle), ("b.json", BUSTER)], day(2026, 11, 23), at(2026, 11, 23)).unwrap();
        assert_eq!(two.problems[0].to_string(), "Line 2: Patient x2: date of birth 2030-01-01 is in the future (bundle entry 2 in a.json).");
        assert_eq!(two.patients.len(), 2);
    }

    #[test]
    fn one_condition_id_for_two_problems_and_far_dates_are_refused_by_line() {
        // Found by the fuzz tier: two lines with one id but different codes made two records
        // with the same id (the second would silently replace the first when saved).
        let patients = r#"{"resourceType":"Patient","id":"p1","name":[{"family":"Lima","given":["Ana"]}],"birthDate":"1970-01-01"}"#;
        let conditions = [
            r#"{"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/p1"},"code":{"coding":[{"system":"http://snomed.info/sct","code":"59621000"}]}}"#,
            r#"{"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/p1"},"code":{"coding":[{"system":"http://snomed.info/sct","code":"59621000"}]},"onsetDateTime":"2001-01-01"}"#,
            r#"{"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/p1"},"code":{"coding":[{"system":"http://snomed.info/sct","code":"44054006"}]}}"#,
            r#"{"resourceType":"Condition","id":"c2","subject":{"reference":"Patient/p1"},"code":{"text":"Asthma"},"onsetDateTime":"1850-01-01"}"#,
        ]
        .join("\n");
        let got = read(&[&format!("{patients}\n{conditions}\n")]);
        let problems: Vec<String> = got.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            problems,
            vec![
                "Line 4: Condition c1 appears twice, for another patient or code; the second is left out.",
                "Line 5: Condition c2 ('Asthma'): onset '1850-01-01' is outside 1900–2200.",
            ]
        );
        assert_eq!(got.conditions.len(), 1, "the repeat of the same problem is merged");
        assert_eq!(got.conditions[0].onset, Some(day(2001, 1, 1)));
    }
}
