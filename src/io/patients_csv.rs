//! Patient lists as CSV: Synthea's `patients.csv` (columns found by header name, so both the
//! 3.0 layout and later ones with MIDDLE/FIPS/INCOME are read) with its `conditions.csv`, and
//! CareCoord's own template ([`TEMPLATE_HEADER`]). [`detect_and_parse`] looks at the files the
//! coordinator chose and picks the reader (these two, or FHIR R4 JSON in [`super::fhir`]).
//!
//! The whole file is checked before anything is written: the result lists the patients that
//! can be imported and, for every other row, its line as a spreadsheet shows it (the header
//! is line 1) and why.
//!
//! Conditions are one entry per problem, as in every reader (see [`super::import`], which
//! also holds what the readers return). Where things are: Synthea's files in `synthea`,
//! the template in `template`, choosing the reader here. Everything is used from here,
//! `io::patients_csv::...`.

use std::collections::HashSet;

use chrono::NaiveDate;

use super::csv_read::CsvText;
use super::import::{finish, lower_first, strip_bom};
use crate::model::Timestamp;

mod synthea;
mod template;

pub use super::import::{FileProblem, PatientImport, RowProblem};
pub use synthea::{parse_synthea, parse_synthea_conditions, write_synthea};
pub use template::{parse_template, template_csv, TEMPLATE_HEADER};
use template::template_column;

// ------------------------------------------------------------------------------------------
// Choosing the reader

/// What a chosen file is, judged by its content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    SyntheaPatients,
    SyntheaConditions,
    Template,
    Fhir,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::SyntheaPatients => "Synthea patients.csv",
            Kind::SyntheaConditions => "Synthea conditions.csv",
            Kind::Template => "CareCoord template",
            Kind::Fhir => "FHIR JSON",
        }
    }
}

fn not_a_patient_list(name: &str) -> FileProblem {
    FileProblem(format!(
        "{name} is not a patient list CareCoord reads: expected the CareCoord CSV template, Synthea patients.csv \
         (with conditions.csv), or FHIR R4 Patient/Condition JSON."
    ))
}

pub fn kind_of(name: &str, text: &str) -> Result<Kind, FileProblem> {
    let t = strip_bom(text).trim_start();
    if t.is_empty() {
        return Err(FileProblem(format!("{name} is empty.")));
    }
    if t.starts_with('{') {
        if t.contains("\"resourceType\"") {
            return Ok(Kind::Fhir);
        }
        if t.contains("\"carecoord-backup\"") {
            return Err(FileProblem(format!("{name} is a CareCoord backup, not a patient list: use Import backup to restore it.")));
        }
        return Err(not_a_patient_list(name));
    }
    let csv = CsvText::new(t);
    let header: HashSet<String> = match csv.rows().header() {
        Ok(h) => h.iter().map(template_column).collect(),
        Err((line, why)) => return Err(FileProblem(format!("{name}: line {line}: {why}."))),
    };
    let has = |n: &str| header.contains(n);
    if ["id", "birthdate", "first", "last"].iter().all(|n| has(n)) {
        return Ok(Kind::SyntheaPatients);
    }
    if ["first_name", "last_name", "date_of_birth"].iter().all(|n| has(n)) {
        return Ok(Kind::Template);
    }
    // Synthea's conditions.csv exactly (its medications, devices, careplans... files share
    // START,STOP,PATIENT,CODE,DESCRIPTION but have more columns).
    let conditions_only = ["start", "stop", "patient", "encounter", "system", "code", "description"];
    if ["start", "patient", "code", "description"].iter().all(|n| has(n)) && header.iter().all(|h| conditions_only.contains(&h.as_str())) {
        return Ok(Kind::SyntheaConditions);
    }
    Err(not_a_patient_list(name))
}

/// A file problem from a reader, named by the file: "patients.csv: line 1: …".
fn named(name: &str, problem: FileProblem) -> FileProblem {
    FileProblem(format!("{name}: {}", lower_first(&problem.0)))
}

/// Marks rows as coming from the file `name`.
fn tag_rows(rows: &mut [RowProblem], name: &str) {
    let place = format!(" (in {name})");
    for r in rows {
        r.message = finish(&r.message, &place);
    }
}

/// Reads the files the coordinator chose for "Import patients", deciding by content:
/// - a CSV header with `Id,BIRTHDATE,FIRST,LAST`: Synthea `patients.csv`, with at most one
///   Synthea `conditions.csv` (`START,STOP,PATIENT,…`) beside it;
/// - a CSV header with `first_name,last_name,date_of_birth`: CareCoord's template (alone);
/// - JSON with a `resourceType` (a Bundle, a resource, or NDJSON): FHIR R4, any number of
///   files (e.g. `Patient.000.ndjson` and `Condition.000.ndjson`), see [`super::fhir`].
///
/// Anything else, kinds mixed, or a `conditions.csv` without its `patients.csv` is a
/// [`FileProblem`] naming the file. When several files are read, each bad or skipped row
/// says which file it is in: "Line 4: stop 2001-01-01 is before start 2002-01-01 (in conditions.csv)."
pub fn detect_and_parse(
    files: &[(String, String)],
    today: NaiveDate,
    now: Timestamp,
    new_id: &mut dyn FnMut() -> String,
) -> Result<PatientImport, FileProblem> {
    if files.is_empty() {
        return Err(FileProblem("No file was chosen.".into()));
    }
    let kinds = files.iter().map(|(name, text)| kind_of(name, text)).collect::<Result<Vec<_>, _>>()?;
    let count = |k: Kind| kinds.iter().filter(|&&x| x == k).count();
    let first = |k: Kind| kinds.iter().position(|&x| x == k);

    if count(Kind::Fhir) == files.len() {
        let named_texts: Vec<(&str, &str)> = files.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
        return super::fhir::parse_named(&named_texts, today, now);
    }
    let distinct: HashSet<Kind> = kinds.iter().copied().collect();
    let synthea_pair = distinct.iter().all(|k| matches!(k, Kind::SyntheaPatients | Kind::SyntheaConditions));
    if distinct.len() > 1 && !synthea_pair {
        let list: Vec<String> = files.iter().zip(&kinds).map(|((n, _), k)| format!("{n}: {}", k.label())).collect();
        return Err(FileProblem(format!("These files are of different kinds ({}): import one kind at a time.", list.join("; "))));
    }
    if let Some(i) = first(Kind::Template) {
        if files.len() > 1 {
            return Err(FileProblem("Choose one CareCoord template file at a time.".into()));
        }
        let (name, text) = &files[i];
        return parse_template(text, today, now, new_id).map_err(|p| named(name, p));
    }
    let Some(p) = first(Kind::SyntheaPatients) else {
        let name = &files[first(Kind::SyntheaConditions).unwrap_or(0)].0;
        return Err(FileProblem(format!(
            "{name} is a Synthea conditions.csv: choose it together with the patients.csv it belongs to."
        )));
    };
    if count(Kind::SyntheaPatients) > 1 || count(Kind::SyntheaConditions) > 1 {
        return Err(FileProblem("Choose one Synthea patients.csv at a time, with at most one conditions.csv.".into()));
    }
    let (p_name, p_text) = &files[p];
    let mut import = parse_synthea(p_text, today, now).map_err(|e| named(p_name, e))?;
    if let Some(c) = first(Kind::SyntheaConditions) {
        let (c_name, c_text) = &files[c];
        tag_rows(&mut import.problems, p_name);
        tag_rows(&mut import.skipped, p_name);
        let (problems, skipped) = (import.problems.len(), import.skipped.len());
        parse_synthea_conditions(c_text, &mut import, now).map_err(|e| named(c_name, e))?;
        tag_rows(&mut import.problems[problems..], c_name);
        tag_rows(&mut import.skipped[skipped..], c_name);
    }
    Ok(import)
}

#[cfg(test)]
mod tests;
