//! CareCoord's own patient template: [`TEMPLATE_HEADER`], the file to download
//! ([`template_csv`]) and its reader ([`parse_template`]).

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::io::csv_read::CsvText;
use crate::io::import::{merge_repeats, missing_columns, next_row, read_header, reason, strip_bom, FileProblem, PatientImport, RowProblem};
use crate::model::{ChronicCondition, CodeSystem, Condition, PatientDraft, Timestamp};

/// The header of CareCoord's patient template. `conditions` is a `;`-separated list whose
/// items are `SYSTEM|CODE|Display` (e.g. `SNOMED|44054006|Diabetes mellitus type 2`;
/// SYSTEM as `SNOMED`, `ICD-10` or a FHIR system URI) or just a display name.
pub const TEMPLATE_HEADER: &str = "first_name,last_name,date_of_birth,sex,mrn,phone,email,address,city,state,postal_code,preferred_language,interpreter_needed,assigned_provider,notes,conditions";

/// A fictional patient showing how each column is written.
const TEMPLATE_EXAMPLE: &str = "Rosa,Example,1958-04-12,female,MRN-000123,(555) 010-0123,rosa.example@example.org,12 Elm St,Springfield,MA,01101,Spanish,yes,Dr. Rivera,Prefers calls after 2 pm,SNOMED|44054006|Diabetes mellitus type 2;Hypertension";

/// The template to download: the header and one example row with a fictional patient.
pub fn template_csv() -> String {
    format!("{TEMPLATE_HEADER}\n{TEMPLATE_EXAMPLE}\n")
}

/// A header name as the template reader compares it: "First Name" → "first_name".
pub(super) fn template_column(h: &str) -> String {
    h.trim().to_lowercase().replace([' ', '-'], "_")
}

/// yes/no/true/false/y/n/1/0, or empty (no).
fn yes_no(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "" | "no" | "n" | "false" | "0" => Some(false),
        "yes" | "y" | "true" | "1" => Some(true),
        _ => None,
    }
}

/// The `conditions` cell: `(system, code, display)` per item, or the reasons it is wrong.
fn condition_list(cell: &str) -> Result<Vec<(CodeSystem, String, String)>, Vec<String>> {
    let mut items = Vec::new();
    let mut reasons = Vec::new();
    for item in cell.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        let parts: Vec<&str> = item.splitn(3, '|').map(str::trim).collect();
        match parts.as_slice() {
            [display] => items.push((CodeSystem::Other, String::new(), display.to_string())),
            [system, code, display] if !code.is_empty() || !display.is_empty() => {
                let shown = if display.is_empty() { code } else { display };
                items.push((CodeSystem::parse(system), code.to_string(), shown.to_string()));
            }
            _ => reasons.push(format!("condition '{item}' is not SYSTEM|CODE|Display or a name")),
        }
    }
    if reasons.is_empty() {
        Ok(items)
    } else {
        Err(reasons)
    }
}

/// Reads CareCoord's template ([`TEMPLATE_HEADER`]): columns by header name (any case,
/// "First Name" as well as "first_name"), extra columns ignored; `first_name`, `last_name`
/// and `date_of_birth` are required. Every row is checked like the patient form; an
/// `interpreter_needed` other than yes/no/true/false/y/n/1/0/empty, a badly written
/// condition, or an MRN already used on an earlier row makes the row a problem.
/// New patients get ids from `new_id` (called once per imported patient, in file order);
/// their conditions get `<patient id>-cond-<n>`.
pub fn parse_template(
    text: &str,
    today: NaiveDate,
    now: Timestamp,
    new_id: &mut dyn FnMut() -> String,
) -> Result<PatientImport, FileProblem> {
    let text = strip_bom(text);
    if text.trim().is_empty() {
        return Err(FileProblem("The file is empty.".into()));
    }
    let csv = CsvText::new(text);
    let mut reader = csv.rows();
    let cols = read_header(&mut reader, template_column)?;
    let missing = cols.missing(&["first_name", "last_name", "date_of_birth"]);
    if !missing.is_empty() {
        return Err(FileProblem(format!("Line 1: this is not the CareCoord patient template: {}.", missing_columns(&missing))));
    }
    let col = |name: &str| cols.find(name);
    let address = col("address").or_else(|| col("address_line"));

    let mut out = PatientImport::default();
    let mut mrns: HashMap<String, u64> = HashMap::new();
    let mut record = csv::StringRecord::new();
    while let Some(line) = next_row(&mut reader, &mut record, &mut out.problems, "row") {
        let get = |name: &str| col(name).and_then(|i| record.get(i)).unwrap_or("").trim();
        let mut reasons = Vec::new();
        let interpreter = get("interpreter_needed");
        let interpreter_needed = yes_no(interpreter).unwrap_or_else(|| {
            reasons.push(format!("interpreter needed '{interpreter}' is not yes or no"));
            false
        });
        let draft = PatientDraft {
            first_name: get("first_name").to_string(),
            last_name: get("last_name").to_string(),
            date_of_birth: get("date_of_birth").to_string(),
            sex: get("sex").to_string(),
            mrn: get("mrn").to_string(),
            phone: get("phone").to_string(),
            email: get("email").to_string(),
            address_line: address.and_then(|i| record.get(i)).unwrap_or("").trim().to_string(),
            city: get("city").to_string(),
            state: get("state").to_string(),
            postal_code: get("postal_code").to_string(),
            preferred_language: get("preferred_language").to_string(),
            interpreter_needed,
            assigned_provider: get("assigned_provider").to_string(),
            notes: col("notes").and_then(|i| record.get(i)).unwrap_or("").to_string(),
        };
        let valid = match draft.validate(today) {
            Ok(v) => Some(v),
            Err(errors) => {
                reasons.extend(errors.iter().map(|e| reason(&e.message)));
                None
            }
        };
        let conditions = condition_list(get("conditions")).unwrap_or_else(|bad| {
            reasons.extend(bad);
            Vec::new()
        });
        let mrn = draft.mrn.trim();
        if !mrn.is_empty() {
            match mrns.get(&mrn.to_lowercase()) {
                Some(first) => reasons.push(format!("the MRN {mrn} appears twice in the file (first on line {first})")),
                None => {
                    mrns.insert(mrn.to_lowercase(), line);
                }
            }
        }
        match valid {
            Some(valid) if reasons.is_empty() => {
                let patient = valid.into_new(new_id(), now);
                let listed = conditions
                    .into_iter()
                    .enumerate()
                    .map(|(n, (system, code, display))| Condition { source_id: String::new(), rev: 0,
                        id: format!("{}-cond-{}", patient.id, n + 1),
                        patient_id: patient.id.clone(),
                        chronic: ChronicCondition::classify(system, &code, &display),
                        system,
                        code,
                        display,
                        onset: None,
                        resolved: None,
                        created_at: now,
                        updated_at: now,
                    })
                    .collect();
                out.conditions.extend(merge_repeats(listed));
                out.patients.push(patient);
            }
            _ => out.problems.push(RowProblem { line, message: format!("{}.", reasons.join("; ")) }),
        }
    }
    Ok(out)
}
