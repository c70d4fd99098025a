//! Synthea's CSV: `observations.csv`, `immunizations.csv`, `procedures.csv` and
//! `encounters.csv`, columns found by header name (any case), read a row at a time.
//!
//! Synthea's rows have no id: an event's source id is built from the file kind, the
//! patient, the encounter, the code and the date as written (see the module notes of
//! `io::care_history`). Codes are LOINC (observations), CVX (immunizations) and SNOMED CT
//! (procedures) unless a `SYSTEM` column says otherwise.

use super::{bp_reading, event_date, event_time, value_of, At, Collector, FileKind, Found, Half};
use crate::io::import::{missing_columns, Columns, FileProblem};
use crate::model::care::EventOutcome;
use crate::model::care_codes::{self, Terminology, ValueRule};
use crate::model::encounter::{Encounter, EncounterClass};

/// A header cell as the Synthea readers keep it (found by [`Columns::find`], any case).
pub(super) fn header_name(h: &str) -> String {
    h.trim().to_string()
}

/// How a Synthea file's rows are read, made once from its header: the file kind and the
/// places of its columns.
pub(super) enum Rows {
    Events(EventFile, EventColumns),
    Encounters([Option<usize>; ENCOUNTER_COLUMNS.len()]),
}

impl Rows {
    /// The rows of a file of `kind` whose header is `cols`, or why it is not that file: a
    /// column it needs is missing.
    pub(super) fn open(kind: FileKind, name: &str, cols: &Columns) -> Result<Rows, FileProblem> {
        let (what, required, rows): (&str, Vec<&str>, Rows) = match kind {
            FileKind::SyntheaObservations => (
                "observations.csv",
                vec!["DATE", "PATIENT", "CODE", "VALUE"],
                Rows::Events(EventFile { kind: "observation", system: Terminology::Loinc }, EventColumns::new(cols, "DATE")),
            ),
            FileKind::SyntheaImmunizations => (
                "immunizations.csv",
                vec!["DATE", "PATIENT", "CODE"],
                Rows::Events(EventFile { kind: "immunization", system: Terminology::Cvx }, EventColumns::new(cols, "DATE")),
            ),
            FileKind::SyntheaProcedures => {
                // Synthea 3.0 starts a procedure at START; older versions write its DATE.
                let date = if cols.find("START").is_some() { "START" } else { "DATE" };
                let f = EventFile { kind: "procedure", system: Terminology::Snomed };
                ("procedures.csv", vec![date, "PATIENT", "CODE"], Rows::Events(f, EventColumns::new(cols, date)))
            }
            FileKind::SyntheaEncounters => {
                ("encounters.csv", vec!["Id", "START", "PATIENT"], Rows::Encounters(ENCOUNTER_COLUMNS.map(|n| cols.find(n))))
            }
            FileKind::Fhir | FileKind::Template => return Err(FileProblem(format!("{name} is not a Synthea CSV file."))),
        };
        let missing = cols.missing(&required);
        if !missing.is_empty() {
            return Err(FileProblem(format!("{name}: line 1: this is not a Synthea {what}: {}.", missing_columns(&missing))));
        }
        Ok(rows)
    }

    /// Reads one row, at `line` of the file.
    pub(super) fn row(&self, c: &mut Collector, name: &str, record: &csv::StringRecord, line: u64) {
        match self {
            Rows::Events(f, cols) => event_row(c, f, name, cols, record, line),
            Rows::Encounters(places) => encounter_row(c, name, places, record, line),
        }
    }
}

/// A cell at a column's place, trimmed ("" when the column or the cell is missing).
fn cell(record: &csv::StringRecord, at: Option<usize>) -> &str {
    at.and_then(|i| record.get(i)).unwrap_or("").trim()
}

/// What the three event files share: what a row is (also its file kind in source ids), its
/// default code system.
pub(super) struct EventFile {
    kind: &'static str,
    system: Terminology,
}

/// The places of an event file's columns.
pub(super) struct EventColumns {
    date: Option<usize>,
    patient: Option<usize>,
    encounter: Option<usize>,
    system: Option<usize>,
    code: Option<usize>,
    description: Option<usize>,
    value: Option<usize>,
}

impl EventColumns {
    fn new(cols: &Columns, date: &str) -> EventColumns {
        EventColumns {
            date: cols.find(date),
            patient: cols.find("PATIENT"),
            encounter: cols.find("ENCOUNTER"),
            system: cols.find("SYSTEM"),
            code: cols.find("CODE"),
            description: cols.find("DESCRIPTION"),
            value: cols.find("VALUE"),
        }
    }
}

/// One row of an event file (observation, immunization or procedure).
fn event_row(c: &mut Collector, f: &EventFile, name: &str, cols: &EventColumns, record: &csv::StringRecord, line: u64) {
    let at = At { file: name, line, entry: None };
    let code = cell(record, cols.code);
    let description = cell(record, cols.description);
    // The SYSTEM cell when there is one; a system CareCoord does not map is counted as it is written.
    let system = match cell(record, cols.system) {
        "" => Ok(f.system),
        s => Terminology::parse(s).ok_or(s),
    };
    let system = match system {
        Ok(s) => s,
        Err(other) => {
            c.unmapped(other, code, description);
            return;
        }
    };
    if code.is_empty() {
        c.problem(&at, "the CODE is empty");
        return;
    }
    let Some(mapping) = care_codes::lookup(system, code) else {
        c.unmapped(system.label(), code, description);
        return;
    };
    let patient = cell(record, cols.patient);
    if patient.is_empty() {
        c.problem(&at, &format!("the PATIENT of this {} is empty", f.kind));
        return;
    }
    let written = cell(record, cols.date);
    let date = match event_date(written, "date") {
        Ok(d) => d,
        Err(why) => return c.problem(&at, &why),
    };
    let encounter = cell(record, cols.encounter);
    let value = cell(record, cols.value);
    let half = match mapping.value {
        ValueRule::Systolic => Some((Half::Systolic, "systolic")),
        ValueRule::Diastolic => Some((Half::Diastolic, "diastolic")),
        _ => None,
    };
    if let Some((half, label)) = half {
        let Some(reading) = bp_reading(value) else {
            return c.problem(&at, &format!("the {label} blood pressure '{value}' is not a number"));
        };
        // Both halves share the key (Synthea writes them with the same DATE and ENCOUNTER)
        // and the source id of the pair, as a panel: 85354-9.
        let source_id = format!("synthea-{}:{patient}:{encounter}:85354-9:{written}", f.kind);
        let key = (patient.to_string(), encounter.to_string(), written.to_string());
        c.bp_half(&at, key, half, reading, date, source_id);
        return;
    }
    let found = Found {
        item: mapping.item,
        what: mapping.description,
        patient,
        date,
        value: value_of(mapping.value, Some(value)),
        outcome: EventOutcome::Done,
        note: String::new(),
        source_id: format!("synthea-{}:{patient}:{encounter}:{}:{written}", f.kind, mapping.code),
    };
    c.event(&at, found);
}

/// The columns of `encounters.csv` CareCoord reads: `Id,START,STOP,PATIENT,ORGANIZATION,
/// PROVIDER,PAYER,ENCOUNTERCLASS,CODE,DESCRIPTION,…,REASONCODE,REASONDESCRIPTION`.
const ENCOUNTER_COLUMNS: [&str; 9] = ["Id", "START", "STOP", "PATIENT", "ENCOUNTERCLASS", "CODE", "DESCRIPTION", "REASONCODE", "REASONDESCRIPTION"];

/// One row of `encounters.csv`: every row is an encounter.
fn encounter_row(c: &mut Collector, name: &str, places: &[Option<usize>; ENCOUNTER_COLUMNS.len()], record: &csv::StringRecord, line: u64) {
    let at = At { file: name, line, entry: None };
    let get = |n: &str| ENCOUNTER_COLUMNS.iter().position(|x| *x == n).map_or("", |i| cell(record, places[i]));
    let (id, patient) = (get("Id"), get("PATIENT"));
    if id.is_empty() {
        return c.problem(&at, "the encounter's Id is empty");
    }
    if patient.is_empty() {
        return c.problem(&at, &format!("the PATIENT of encounter {id} is empty"));
    }
    let mut reasons = Vec::new();
    let start = event_time(get("START"), "start").map_err(|why| reasons.push(why)).ok();
    let stop = match get("STOP") {
        "" => None,
        s => event_time(s, "stop").map_err(|why| reasons.push(why)).ok(),
    };
    if let (Some(a), Some(b)) = (start, stop) {
        if b < a {
            reasons.push(format!("the stop {} is before the start {}", get("STOP"), get("START")));
        }
    }
    let Some(start) = start.filter(|_| reasons.is_empty()) else {
        return c.problem(&at, &format!("encounter {id}: {}", reasons.join("; ")));
    };
    let reason = match (get("REASONDESCRIPTION"), get("REASONCODE")) {
        ("", code) => code,
        (description, _) => description,
    };
    let encounter = Encounter {
        id: id.to_string(),
        rev: 0,
        patient_id: patient.to_string(),
        source_id: id.to_string(),
        class: EncounterClass::read(get("ENCOUNTERCLASS")),
        start,
        stop,
        code: get("CODE").to_string(),
        description: get("DESCRIPTION").to_string(),
        reason: reason.to_string(),
    };
    c.encounter(&at, encounter);
}
