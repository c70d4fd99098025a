//! Synthea's `patients.csv` ([`parse_synthea`], and [`write_synthea`] for benchmarks) and
//! its `conditions.csv` ([`parse_synthea_conditions`]).

use std::collections::HashSet;

use chrono::NaiveDate;

use crate::io::csv_read::CsvText;
use crate::io::import::{
    merge_repeats, missing_columns, next_row, read_header, reason, strip_bom, synthea_name, FileProblem, Orphans, PatientImport, RowProblem,
};
use crate::model::dates::parse_date;
use crate::model::{ChronicCondition, CodeSystem, Condition, Patient, PatientDraft, Timestamp};

/// Reads Synthea's `patients.csv`. `now` stamps the new records; `today` checks dates.
pub fn parse_synthea(text: &str, today: NaiveDate, now: Timestamp) -> Result<PatientImport, FileProblem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(FileProblem("The file is empty.".into()));
    }
    let csv = CsvText::new(text);
    let mut reader = csv.rows();
    let cols = read_header(&mut reader, str::to_string)?;
    let missing = cols.missing(&["Id", "BIRTHDATE", "FIRST", "LAST"]);
    if !missing.is_empty() {
        return Err(FileProblem(format!("Line 1: this is not a Synthea patients.csv: {}.", missing_columns(&missing))));
    }
    let col = |name: &str| cols.find(name);
    let (id, birth, death, first, last, gender) =
        (col("Id").unwrap(), col("BIRTHDATE").unwrap(), col("DEATHDATE"), col("FIRST").unwrap(), col("LAST").unwrap(), col("GENDER"));
    let (address, city, state, zip) = (col("ADDRESS"), col("CITY"), col("STATE"), col("ZIP"));

    let mut out = PatientImport::default();
    let mut seen = std::collections::HashSet::new();
    let mut record = csv::StringRecord::new();
    while let Some(line) = next_row(&mut reader, &mut record, &mut out.problems, "row") {
        let get = |i: Option<usize>| i.and_then(|i| record.get(i)).unwrap_or("").trim();
        let death_date = get(death);
        if !death_date.is_empty() {
            out.skipped.push(RowProblem { line, message: format!("deceased ({death_date}), not added to the panel.") });
            continue;
        }
        let draft = PatientDraft {
            first_name: synthea_name(get(Some(first))),
            last_name: synthea_name(get(Some(last))),
            date_of_birth: get(Some(birth)).to_string(),
            sex: get(gender).to_string(),
            address_line: get(address).to_string(),
            city: get(city).to_string(),
            state: get(state).to_string(),
            postal_code: get(zip).to_string(),
            ..Default::default()
        };
        let pid = get(Some(id)).to_string();
        if pid.is_empty() {
            out.problems.push(RowProblem { line, message: "the Id is empty.".into() });
            continue;
        }
        match draft.validate(today) {
            Err(errors) => {
                let reasons: Vec<String> = errors.iter().map(|e| reason(&e.message)).collect();
                out.problems.push(RowProblem { line, message: format!("{}.", reasons.join("; ")) });
            }
            Ok(_) if !seen.insert(pid.clone()) => {
                out.problems.push(RowProblem { line, message: format!("the Id {pid} appears twice in the file.") });
            }
            Ok(valid) => {
                // `id` stays the file's Id until `model::patient_import::plan_import` gives
                // the patient a CareCoord id; the conditions below point at it meanwhile.
                let mut p = valid.into_new(pid.clone(), now);
                p.source_id = pid;
                out.patients.push(p);
            }
        }
    }
    Ok(out)
}

/// Writes patients in Synthea's `patients.csv` 3.0 layout (for benchmarks and tests).
/// Cells are neutralised like every CSV CareCoord writes (see [`crate::io::csv_cell`]).
pub fn write_synthea(patients: &[Patient]) -> String {
    let mut w = crate::io::csv_cell::SafeCsv::new(
        [
            "Id", "BIRTHDATE", "DEATHDATE", "SSN", "DRIVERS", "PASSPORT", "PREFIX", "FIRST", "LAST", "SUFFIX", "MAIDEN", "MARITAL", "RACE",
            "ETHNICITY", "GENDER", "BIRTHPLACE", "ADDRESS", "CITY", "STATE", "COUNTY", "ZIP", "LAT", "LON", "HEALTHCARE_EXPENSES",
            "HEALTHCARE_COVERAGE",
        ],
        crate::io::csv_cell::LineEnd::Lf,
    );
    for p in patients {
        let gender = match p.sex {
            crate::model::Sex::Female => "F",
            crate::model::Sex::Male => "M",
            _ => "",
        };
        let dob = p.date_of_birth.to_string();
        w.row([
            p.id.as_str(), &dob, "", "", "", "", "", &p.first_name, &p.last_name, "", "", "", "", "", gender, "",
            &p.address.line, &p.address.city, &p.address.state, "", &p.address.postal_code, "", "", "", "",
        ]);
    }
    w.finish()
}

/// A date cell of a condition: empty is none; `YYYY-MM-DD`, `MM/DD/YYYY` or a timestamp
/// whose date part is one of those.
fn condition_date(value: &str, label: &str, reasons: &mut Vec<String>) -> Option<NaiveDate> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    let parsed = parse_date(v).or_else(|| v.split_once('T').and_then(|(d, _)| parse_date(d)));
    match parsed {
        None => reasons.push(format!("{label} '{v}' is not a date")),
        Some(d) if !crate::model::dates::date_in_range(d) => reasons.push(crate::model::dates::outside_range(label, v)),
        Some(_) => {}
    }
    parsed
}

/// Reads Synthea's `conditions.csv` into `import`, for the patients already in it (read
/// `patients.csv` first with [`parse_synthea`]). Columns are found by header name, so the
/// 3.0 layout `START,STOP,PATIENT,ENCOUNTER,CODE,DESCRIPTION` and later ones with `SYSTEM`
/// are both read; without `SYSTEM` (or with it empty) codes are SNOMED CT.
///
/// - START is the onset, STOP the resolution (either may be empty).
/// - Repeats of the same code for a patient become one condition (see the module notes).
/// - Ids are `<patient id>-cond-<system>-<code>`, so importing the same file again updates
///   the same records.
/// - Rows of patients that are not in `import.patients` (the deceased ones `parse_synthea`
///   skipped, bad rows, or patients missing from the file) are not imported; each such
///   patient gets one line in `import.skipped`.
/// - Bad dates and rows without a patient or a code are `import.problems`, by line.
pub fn parse_synthea_conditions(text: &str, import: &mut PatientImport, now: Timestamp) -> Result<(), FileProblem> {
    let text = strip_bom(text);
    if text.trim().is_empty() {
        return Err(FileProblem("The conditions file is empty.".into()));
    }
    let csv = CsvText::new(text);
    let mut reader = csv.rows();
    let cols = read_header(&mut reader, |h| h.to_string())?;
    let missing = cols.missing(&["START", "PATIENT", "CODE", "DESCRIPTION"]);
    if !missing.is_empty() {
        return Err(FileProblem(format!("Line 1: this is not a Synthea conditions.csv: {}.", missing_columns(&missing))));
    }
    let col = |name: &str| cols.find(name);
    let (start, stop, patient, system, code, description) =
        (col("START"), col("STOP"), col("PATIENT"), col("SYSTEM"), col("CODE"), col("DESCRIPTION"));

    let known: HashSet<String> = import.patients.iter().map(|p| p.id.clone()).collect();
    let mut found = Vec::new();
    let mut orphans = Orphans::default();
    let mut uncoded = 0usize;
    let mut record = csv::StringRecord::new();
    while let Some(line) = next_row(&mut reader, &mut record, &mut import.problems, "condition row") {
        let get = |i: Option<usize>| i.and_then(|i| record.get(i)).unwrap_or("").trim();
        let pid = get(patient);
        if pid.is_empty() {
            import.problems.push(RowProblem { line, message: "the condition's PATIENT is empty.".into() });
            continue;
        }
        if !known.contains(pid) {
            orphans.add(pid, line, String::new());
            continue;
        }
        let (code_v, display) = (get(code), get(description));
        if code_v.is_empty() && display.is_empty() {
            import.problems.push(RowProblem { line, message: "the condition has neither a CODE nor a DESCRIPTION.".into() });
            continue;
        }
        let mut reasons = Vec::new();
        let onset = condition_date(get(start), "start", &mut reasons);
        let resolved = condition_date(get(stop), "stop", &mut reasons);
        if let (Some(a), Some(b)) = (onset, resolved) {
            if b < a {
                reasons.push(format!("stop {b} is before start {a}"));
            }
        }
        let label = if display.is_empty() { code_v } else { display };
        if !reasons.is_empty() {
            import.problems.push(RowProblem { line, message: format!("condition '{label}': {}.", reasons.join("; ")) });
            continue;
        }
        let sys = match get(system) {
            "" => CodeSystem::Snomed,
            s => CodeSystem::parse(s),
        };
        let id = if code_v.is_empty() {
            uncoded += 1;
            format!("{pid}-cond-text-{uncoded}")
        } else {
            format!("{pid}-cond-{}-{code_v}", sys.code())
        };
        found.push(Condition { source_id: String::new(), rev: 0,
            id,
            patient_id: pid.to_string(),
            system: sys,
            code: code_v.to_string(),
            display: label.to_string(),
            onset,
            resolved,
            chronic: ChronicCondition::classify(sys, code_v, label),
            created_at: now,
            updated_at: now,
        });
    }
    let mut all = std::mem::take(&mut import.conditions);
    all.extend(found);
    import.conditions = merge_repeats(all);
    orphans.report(&mut import.skipped, |_| "the patient is not imported (deceased, a bad row, or not in patients.csv)".into());
    Ok(())
}
