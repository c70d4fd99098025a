//! FHIR R4 `Observation`, `Immunization`, `Procedure` and `Encounter` resources, from a
//! Bundle, a single resource or NDJSON, read with `io::fhir`'s reader (one resource at a
//! time) and its helpers.
//!
//! - An event's source id is `<resourceType>/<id>` (`Observation/37663719-…`); a resource
//!   without an id gets a key built like a Synthea row's.
//! - A blood pressure panel (85354-9, or Synthea's older 55284-4) gives one event from its
//!   systolic and diastolic components; separate systolic and diastolic Observations of the
//!   same patient, encounter and time are combined as in Synthea's CSV.
//! - `entered-in-error` is skipped, and so are a cancelled Observation or Encounter, an
//!   Observation only `registered` (no result yet) and a Procedure not yet done
//!   (`preparation`, `in-progress`, …); an Immunization or Procedure marked `not-done` is a
//!   decline, its `statusReason` the note.
//! - The patient is the FILE's: `Patient/<id>`, or in a transaction Bundle the Patient
//!   whose `fullUrl` the reference names (`urn:uuid:<id>`).

use std::collections::HashMap;

use chrono::NaiveDate;
use serde_json::Value;

use super::{event_time, number_text, value_of, written_number, At, Collector, Found, Half};
use crate::io::fhir::{array, fhir_date, last_segment, patient_id, read_text, text, Found as Resource};
use crate::io::import::FileProblem;
use crate::model::care::EventOutcome;
use crate::model::care_codes::{self, Mapping, Terminology, ValueRule};
use crate::model::dates;
use crate::model::encounter::{Encounter, EncounterClass};

/// Reads one FHIR text into `c`. `by_url` maps the `fullUrl` of every Patient seen so far
/// (in any file) to its id.
pub(super) fn read(c: &mut Collector, file: usize, name: &str, text: &str, by_url: &mut HashMap<String, String>) -> Result<(), FileProblem> {
    read_text(file, name, text, &mut |r| resource(c, name, r, by_url))
}

/// Reads NDJSON lines into `c`: `text` is whole lines that come after `lines_before` lines of
/// the file (a chunk of it, see `io::care_history`).
pub(super) fn read_lines(
    c: &mut Collector,
    file: usize,
    name: &str,
    text: &str,
    lines_before: u64,
    by_url: &mut HashMap<String, String>,
) -> Result<(), FileProblem> {
    crate::io::fhir::read_lines(file, name, text, lines_before, &mut |r| resource(c, name, r, by_url))
}

fn resource(c: &mut Collector, name: &str, r: Resource, by_url: &mut HashMap<String, String>) {
    let at = At { file: name, line: r.place.line, entry: r.place.entry };
    let kind = r.kind().to_string();
    let v = &r.resource;
    match kind.as_str() {
        "Patient" => {
            if let (Some(url), Some(id)) = (&r.full_url, text(v, "id")) {
                by_url.insert(url.clone(), id.to_string());
            }
        }
        "Observation" => observation(c, &at, v, by_url),
        "Immunization" => event(c, &at, v, by_url, Kind::Immunization),
        "Procedure" => event(c, &at, v, by_url, Kind::Procedure),
        "Encounter" => encounter(c, &at, v, by_url),
        _ => {} // other resources are not care history
    }
}

/// "Observation 37663719-…", or "an Observation" when it has no id.
fn label(kind: &str, v: &Value) -> String {
    match text(v, "id") {
        Some(id) => format!("{kind} {id}"),
        None if kind.starts_with(['A', 'E', 'I', 'O', 'U']) => format!("an {kind}"),
        None => format!("a {kind}"),
    }
}

/// The entry of the first coding the mapping knows; else the first coding (system, code,
/// display) to count as unmapped, or `None` when there is no coding at all.
fn mapped(codeable: Option<&Value>) -> Result<&'static Mapping, Option<(String, String, String)>> {
    let Some(codeable) = codeable else { return Err(None) };
    let codings = array(codeable, "coding");
    for coding in codings {
        let system = text(coding, "system").and_then(Terminology::parse);
        if let (Some(system), Some(code)) = (system, text(coding, "code")) {
            if let Some(m) = care_codes::lookup(system, code) {
                return Ok(m);
            }
        }
    }
    let first = codings.iter().find(|c| text(c, "code").is_some());
    match first {
        Some(coding) => {
            let raw = text(coding, "system").unwrap_or("");
            let system = Terminology::parse(raw).map_or_else(|| if raw.is_empty() { "(no system)".to_string() } else { raw.to_string() }, |t| t.label().to_string());
            let display = text(coding, "display").or_else(|| text(codeable, "text")).unwrap_or("");
            Err(Some((system, text(coding, "code").unwrap_or("").to_string(), display.to_string())))
        }
        None => Err(None),
    }
}

/// The file's patient id a reference member (`subject`, `patient`) points at.
fn patient(v: &Value, keys: &[&str], by_url: &HashMap<String, String>) -> Option<String> {
    let reference = keys.iter().find_map(|k| v.get(*k).and_then(|s| text(s, "reference")))?;
    Some(patient_id(reference, by_url)).filter(|p| !p.is_empty())
}

/// The id of the encounter a resource points at ("" when none).
fn encounter_ref(v: &Value) -> String {
    v.get("encounter").and_then(|e| text(e, "reference")).map(last_segment).unwrap_or_default()
}

/// The first of these dateTime members (or `<member>.start` for a Period) that is present.
fn when<'a>(v: &'a Value, members: &[&str]) -> Option<&'a str> {
    members.iter().find_map(|m| text(v, m).or_else(|| v.get(*m).and_then(|p| text(p, "start"))))
}

/// A FHIR date or dateTime's date (a year or a month alone is its first day), within
/// 1900–2200; the error is the reason.
fn event_date(raw: &str) -> Result<NaiveDate, String> {
    match fhir_date(raw) {
        None => Err(format!("the date '{raw}' is not a date")),
        Some(d) if !dates::date_in_range(d) => Err(dates::outside_range("the date", raw)),
        Some(d) => Ok(d),
    }
}

/// `<kind>/<id>`, or without an id a key of the patient, encounter, code and time.
fn source_id(kind: &str, v: &Value, patient: &str, encounter: &str, code: &str, when: &str) -> String {
    match text(v, "id") {
        Some(id) => format!("{kind}/{id}"),
        None => format!("fhir-{}:{patient}:{encounter}:{code}:{when}", kind.to_ascii_lowercase()),
    }
}

/// A number value: `valueQuantity.value`, `valueInteger`, or a `valueString` that is one.
fn number(v: &Value) -> Option<f64> {
    v.get("valueQuantity")
        .and_then(|q| q.get("value"))
        .and_then(Value::as_f64)
        .or_else(|| v.get("valueInteger").and_then(Value::as_f64))
        .or_else(|| text(v, "valueString").and_then(|s| crate::model::text::parse_number(s.trim())))
        .filter(|x| x.is_finite())
}

/// The value as written: a number, else a `valueString`.
fn value_text(v: &Value) -> Option<String> {
    number(v).map(number_text).or_else(|| text(v, "valueString").and_then(written_number))
}

/// A blood pressure reading in mmHg.
fn reading(x: f64) -> Option<u32> {
    (0.0..1000.0).contains(&x).then(|| x.round() as u32)
}

/// The text of a CodeableConcept: its `text`, else its first coding's display or code.
fn concept_text(c: Option<&Value>) -> String {
    let Some(c) = c else { return String::new() };
    text(c, "text")
        .or_else(|| array(c, "coding").iter().find_map(|k| text(k, "display").or_else(|| text(k, "code"))))
        .unwrap_or("")
        .to_string()
}

/// What the resource is coded as, or why it is not read (counted as unmapped, or a problem).
fn coded(c: &mut Collector, at: &At, v: &Value, member: &str, label: &str) -> Option<&'static Mapping> {
    match mapped(v.get(member)) {
        Ok(m) => Some(m),
        Err(Some((system, code, display))) => {
            c.unmapped(&system, &code, &display);
            None
        }
        Err(None) => {
            c.problem(at, &format!("{label} has no code"));
            None
        }
    }
}

fn observation(c: &mut Collector, at: &At, v: &Value, by_url: &HashMap<String, String>) {
    let label = label("Observation", v);
    let Some(mapping) = coded(c, at, v, "code", &label) else { return };
    let status = text(v, "status").unwrap_or("");
    if matches!(status, "entered-in-error" | "cancelled") {
        return c.skip(at, &format!("{label} ({}) is marked {status}, not imported", mapping.description));
    }
    if status == "registered" {
        return c.skip(at, &format!("{label} ({}) is registered, without a result yet, not imported", mapping.description));
    }
    let Some(patient) = patient(v, &["subject"], by_url) else {
        return c.problem(at, &format!("{label} has no subject (patient)"));
    };
    let Some(written) = when(v, &["effectiveDateTime", "effectivePeriod", "effectiveInstant"]) else {
        return c.problem(at, &format!("{label} ({}) has no date (effective)", mapping.description));
    };
    let date = match event_date(written) {
        Ok(d) => d,
        Err(why) => return c.problem(at, &format!("{label}: {why}")),
    };
    let encounter = encounter_ref(v);
    let id = source_id("Observation", v, &patient, &encounter, mapping.code, written);
    let value = match mapping.value {
        ValueRule::BloodPressurePanel => {
            let (mut sys, mut dia) = (None, None);
            for component in array(v, "component") {
                let Ok(m) = mapped(component.get("code")) else { continue };
                let r = number(component).and_then(reading);
                match m.value {
                    ValueRule::Systolic => sys = sys.or(r),
                    ValueRule::Diastolic => dia = dia.or(r),
                    _ => {}
                }
            }
            match (sys, dia) {
                (Some(s), Some(d)) => Some(format!("{s}/{d}")),
                (Some(s), None) => Some(format!("{s}/?")),
                (None, Some(d)) => Some(format!("?/{d}")),
                (None, None) => {
                    return c.skip(at, &format!("{label}: the blood pressure has neither a systolic nor a diastolic value, not imported"));
                }
            }
        }
        ValueRule::Systolic | ValueRule::Diastolic => {
            let (half, word) = if mapping.value == ValueRule::Systolic { (Half::Systolic, "systolic") } else { (Half::Diastolic, "diastolic") };
            let Some(r) = number(v).and_then(reading) else {
                return c.problem(at, &format!("{label}: the {word} blood pressure has no value in mmHg"));
            };
            let key = (patient.clone(), encounter.clone(), written.to_string());
            return c.bp_half(at, key, half, r, date, id);
        }
        rule => value_of(rule, value_text(v).as_deref()),
    };
    let found = Found {
        item: mapping.item,
        what: mapping.description,
        patient: &patient,
        date,
        value,
        outcome: EventOutcome::Done,
        note: String::new(),
        source_id: id,
    };
    c.event(at, found);
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Immunization,
    Procedure,
}

/// An Immunization or a Procedure.
fn event(c: &mut Collector, at: &At, v: &Value, by_url: &HashMap<String, String>, kind: Kind) {
    let (name, code_member, patient_members, date_members): (&str, &str, &[&str], &[&str]) = match kind {
        Kind::Immunization => ("Immunization", "vaccineCode", &["patient", "subject"], &["occurrenceDateTime", "occurrenceString"]),
        Kind::Procedure => ("Procedure", "code", &["subject"], &["performedDateTime", "performedPeriod", "performedString"]),
    };
    let label = label(name, v);
    let Some(mapping) = coded(c, at, v, code_member, &label) else { return };
    let status = text(v, "status").unwrap_or("completed");
    let outcome = match status {
        "completed" => EventOutcome::Done,
        "not-done" => EventOutcome::Declined,
        "entered-in-error" => return c.skip(at, &format!("{label} ({}) is marked entered-in-error, not imported", mapping.description)),
        other => return c.skip(at, &format!("{label} ({}) is {other}, not done, not imported", mapping.description)),
    };
    let Some(patient) = patient(v, patient_members, by_url) else {
        return c.problem(at, &format!("{label} has no patient"));
    };
    let Some(written) = when(v, date_members) else {
        return c.problem(at, &format!("{label} ({}) has no date", mapping.description));
    };
    let date = match event_date(written) {
        Ok(d) => d,
        Err(why) => return c.problem(at, &format!("{label}: {why}")),
    };
    let encounter = encounter_ref(v);
    let note = if outcome == EventOutcome::Declined { concept_text(v.get("statusReason")) } else { String::new() };
    let found = Found {
        item: mapping.item,
        what: mapping.description,
        patient: &patient,
        date,
        value: value_of(mapping.value, None),
        outcome,
        note,
        source_id: source_id(name, v, &patient, &encounter, mapping.code, written),
    };
    c.event(at, found);
}

fn encounter(c: &mut Collector, at: &At, v: &Value, by_url: &HashMap<String, String>) {
    let label = label("Encounter", v);
    let status = text(v, "status").unwrap_or("");
    if matches!(status, "entered-in-error" | "cancelled") {
        return c.skip(at, &format!("{label} is marked {status}, not imported"));
    }
    let Some(id) = text(v, "id") else {
        return c.problem(at, "an Encounter has no id");
    };
    let Some(patient) = patient(v, &["subject", "patient"], by_url) else {
        return c.problem(at, &format!("{label} has no subject (patient)"));
    };
    let period = v.get("period");
    let mut reasons = Vec::new();
    let start = match period.and_then(|p| text(p, "start")) {
        Some(s) => event_time(s, "start").map_err(|why| reasons.push(why)).ok(),
        None => {
            reasons.push("the start is missing".to_string());
            None
        }
    };
    let stop = period.and_then(|p| text(p, "end")).and_then(|s| event_time(s, "end").map_err(|why| reasons.push(why)).ok());
    if let (Some(a), Some(b)) = (start, stop) {
        if b < a {
            reasons.push("the end is before the start".to_string());
        }
    }
    let Some(start) = start.filter(|_| reasons.is_empty()) else {
        return c.problem(at, &format!("{label}: {}", reasons.join("; ")));
    };
    let class_code = v.get("class").and_then(|k| text(k, "code")).unwrap_or("");
    let kind = array(v, "type").first();
    let code = kind.and_then(|t| array(t, "coding").iter().find_map(|k| text(k, "code"))).unwrap_or("");
    let encounter = Encounter {
        id: id.to_string(),
        rev: 0,
        patient_id: patient,
        source_id: id.to_string(),
        class: EncounterClass::from_fhir(class_code),
        start,
        stop,
        code: code.to_string(),
        description: concept_text(kind),
        reason: concept_text(array(v, "reasonCode").first()),
    };
    c.encounter(at, encounter);
}
