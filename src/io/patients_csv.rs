//! Patient lists as CSV: Synthea's `patients.csv` (columns found by header name, so both the
//! 3.0 layout and later ones with MIDDLE/FIPS/INCOME are read) with its `conditions.csv`, and
//! CareCoord's own template ([`TEMPLATE_HEADER`]). [`detect_and_parse`] looks at the files the
//! coordinator chose and picks the reader (these two, or FHIR R4 JSON in [`super::fhir`]).
//!
//! The whole file is checked before anything is written: the result lists the patients that
//! can be imported and, for every other row, its line as a spreadsheet shows it (the header
//! is line 1) and why.
//!
//! **Conditions are one entry per problem.** Synthea writes a condition again at many
//! encounters ("Full-time employment (finding)" 32 times for one patient), so every reader
//! here keeps one condition per (patient, code system, code) (per display text when there
//! is no code): its onset is the earliest onset, and it is resolved only if every
//! occurrence is resolved, on the latest resolution date. (Keeping the earliest row as it
//! is would show a problem that is still open today as resolved decades ago.)

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::csv_read::{CsvRows, CsvText};
use crate::model::patient::parse_date;
use crate::model::{ChronicCondition, CodeSystem, Condition, Patient, PatientDraft, Timestamp};

/// A row that will not be imported, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowProblem {
    /// The line in the file (the header is line 1).
    pub line: u64,
    pub message: String,
}

impl std::fmt::Display for RowProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Line {}: {}", self.line, self.message)
    }
}

/// What a patient file holds, checked.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PatientImport {
    /// The file's patients. Readers of files with their own ids (Synthea, FHIR) keep that id
    /// as `source_id` and, for now, as `id`, the key `conditions` point at;
    /// `model::patient_import::plan_import` then chooses CareCoord's ids. Never store
    /// these records without that plan.
    pub patients: Vec<Patient>,
    /// The problem lists of `patients` (every `patient_id` is one of theirs).
    pub conditions: Vec<Condition>,
    /// Rows left out on purpose (deceased patients, the conditions of patients not
    /// imported), with the reason.
    pub skipped: Vec<RowProblem>,
    /// Rows that are wrong.
    pub problems: Vec<RowProblem>,
}

/// Why a whole file cannot be read (as opposed to a bad row).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileProblem(pub String);

impl std::fmt::Display for FileProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Column positions by header name (case-insensitive).
pub(crate) struct Columns(pub(crate) Vec<String>);

impl Columns {
    pub(crate) fn find(&self, name: &str) -> Option<usize> {
        self.0.iter().position(|h| h.trim().eq_ignore_ascii_case(name))
    }

    pub(crate) fn missing<'a>(&self, names: &[&'a str]) -> Vec<&'a str> {
        names.iter().copied().filter(|c| self.find(c).is_none()).collect()
    }
}

/// "the column X is missing" / "the columns X, Y are missing".
pub(crate) fn missing_columns(missing: &[&str]) -> String {
    format!(
        "the column{} {} {} missing",
        if missing.len() == 1 { "" } else { "s" },
        missing.join(", "),
        if missing.len() == 1 { "is" } else { "are" }
    )
}

/// Synthea adds digits to generated names ("Maynard46"); real names have none.
pub(crate) fn synthea_name(s: &str) -> String {
    s.trim().trim_end_matches(|c: char| c.is_ascii_digit()).to_string()
}

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

/// A validation message inside a sentence: "First name is required." → "first name is required".
pub(crate) fn reason(message: &str) -> String {
    lower_first(message.trim_end_matches('.'))
}

/// The next data row's line (the header is line 1), skipping blank rows (the end of a
/// spreadsheet export). A row that cannot be read, or whose quoted field is never closed
/// (see [`super::csv_read`]), goes into `problems` and is skipped.
pub(crate) fn next_row(reader: &mut CsvRows<'_>, record: &mut csv::StringRecord, problems: &mut Vec<RowProblem>, what: &str) -> Option<u64> {
    loop {
        match reader.next(record)? {
            Ok(line) => return Some(line),
            Err(bad) => problems.push(RowProblem { line: bad.line(), message: format!("{}.", bad.reason(what)) }),
        }
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Writes patients in Synthea's `patients.csv` 3.0 layout (for benchmarks and tests).
/// Cells are neutralised like every CSV CareCoord writes (see [`super::csv_cell`]).
pub fn write_synthea(patients: &[Patient]) -> String {
    let mut w = super::csv_cell::SafeCsv::new(
        [
            "Id", "BIRTHDATE", "DEATHDATE", "SSN", "DRIVERS", "PASSPORT", "PREFIX", "FIRST", "LAST", "SUFFIX", "MAIDEN", "MARITAL", "RACE",
            "ETHNICITY", "GENDER", "BIRTHPLACE", "ADDRESS", "CITY", "STATE", "COUNTY", "ZIP", "LAT", "LON", "HEALTHCARE_EXPENSES",
            "HEALTHCARE_COVERAGE",
        ],
        super::csv_cell::LineEnd::Lf,
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

/// The text without a leading byte-order mark (spreadsheets write one).
pub(crate) fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Ends a message with where it came from, when that is more than its line:
/// `finish("date of birth is required", " (in a.csv)")` → "date of birth is required (in a.csv)."
pub(crate) fn finish(message: &str, place: &str) -> String {
    format!("{}{place}.", message.trim_end_matches('.'))
}

// ------------------------------------------------------------------------------------------
// Conditions shared by every reader

/// The part of a condition id that names its code system.
fn system_slug(system: CodeSystem) -> &'static str {
    match system {
        CodeSystem::Snomed => "snomed",
        CodeSystem::Icd10 => "icd10",
        CodeSystem::Other => "other",
    }
}

/// Whether onset `a` is earlier than onset `b` (a known date is earlier than none).
fn earlier(a: Option<NaiveDate>, b: Option<NaiveDate>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a < b,
        (Some(_), None) => true,
        (None, _) => false,
    }
}

/// One condition per (patient, code system, code), or per display text when there is no
/// code (see the module notes): the earliest onset wins (its id and display are kept), and
/// the merged condition is resolved only when every occurrence is, on the latest date.
/// The order is that of first appearance.
pub(crate) fn merge_repeats(conditions: Vec<Condition>) -> Vec<Condition> {
    let mut out: Vec<Condition> = Vec::with_capacity(conditions.len());
    let mut index: HashMap<(String, CodeSystem, String), usize> = HashMap::new();
    for c in conditions {
        let code = c.code.trim();
        let what = if code.is_empty() { format!("text:{}", crate::model::text::fold(&c.display)) } else { code.to_string() };
        let key = (c.patient_id.clone(), c.system, what);
        match index.get(&key) {
            None => {
                index.insert(key, out.len());
                out.push(c);
            }
            Some(&i) => {
                let kept = &mut out[i];
                let resolved = match (kept.resolved, c.resolved) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    _ => None, // still open in at least one occurrence
                };
                if earlier(c.onset, kept.onset) {
                    *kept = c;
                }
                kept.resolved = resolved;
            }
        }
    }
    out
}

/// Conditions of patients that are not imported, counted per patient so that each such
/// patient gets one line in `skipped` (never silently dropped, never one line per row).
#[derive(Default)]
pub(crate) struct Orphans {
    order: Vec<String>,
    /// patient id → (line of the first, how many, where in the file as a message suffix)
    seen: HashMap<String, (u64, usize, String)>,
}

impl Orphans {
    pub(crate) fn add(&mut self, patient_id: &str, line: u64, place: String) {
        match self.seen.get_mut(patient_id) {
            Some(entry) => entry.1 += 1,
            None => {
                self.order.push(patient_id.to_string());
                self.seen.insert(patient_id.to_string(), (line, 1, place));
            }
        }
    }

    /// One `skipped` line per patient, at the line of its first condition; `why` gives the
    /// reason for a patient id.
    pub(crate) fn report(mut self, skipped: &mut Vec<RowProblem>, why: impl Fn(&str) -> String) {
        for pid in std::mem::take(&mut self.order) {
            if let Some((line, n, place)) = self.seen.remove(&pid) {
                let what = if n == 1 {
                    format!("1 condition of patient {pid} is not imported: {}", why(&pid))
                } else {
                    format!("{n} conditions of patient {pid} are not imported: {}", why(&pid))
                };
                skipped.push(RowProblem { line, message: finish(&what, &place) });
            }
        }
    }
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
            format!("{pid}-cond-{}-{code_v}", system_slug(sys))
        };
        found.push(Condition {
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

/// Reads the header row into [`Columns`], each name passed through `norm`.
fn read_header(reader: &mut CsvRows<'_>, norm: impl Fn(&str) -> String) -> Result<Columns, FileProblem> {
    let headers = reader.header().map_err(|(line, why)| FileProblem(format!("Line {line}: {why}.")))?;
    Ok(Columns(headers.iter().map(norm).collect()))
}

// ------------------------------------------------------------------------------------------
// CareCoord's own template

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
fn template_column(h: &str) -> String {
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
                    .map(|(n, (system, code, display))| Condition {
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

// ------------------------------------------------------------------------------------------
// Choosing the reader

/// What a chosen file is, judged by its content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Kind {
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

fn kind_of(name: &str, text: &str) -> Result<Kind, FileProblem> {
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
mod tests {
    use super::*;
    use crate::model::patient::tests::{at, day};
    use crate::model::ChronicCondition;

    const SAMPLE: &str = include_str!("../../../shared/testdata/synthea-csv/patients.csv");

    fn parse(text: &str) -> PatientImport {
        parse_synthea(text, day(2026, 11, 23), at(2026, 11, 23)).unwrap()
    }

    #[test]
    fn reads_the_real_synthea_sample() {
        let got = parse(SAMPLE);
        assert_eq!(got.patients.len() + got.skipped.len(), 27);
        assert_eq!(got.skipped.len(), 2, "two have a DEATHDATE");
        assert!(got.problems.is_empty(), "{:?}", got.problems);
        let first = &got.patients[0];
        assert_eq!(first.id, "3edac2e3-d223-6fae-d515-daf96ef6bc76");
        assert_eq!(first.full_name(), "Maynard Mosciski");
        assert_eq!(first.date_of_birth, day(2014, 10, 6));
        assert_eq!(first.sex, crate::model::Sex::Male);
        assert_eq!(first.address.city, "Somerville");
        assert_eq!(first.address.postal_code, "02155");
        assert!(got.skipped[0].message.starts_with("deceased"));
    }

    #[test]
    fn later_layouts_are_found_by_header_name() {
        let text = "Id,BIRTHDATE,DEATHDATE,SSN,DRIVERS,PASSPORT,PREFIX,FIRST,MIDDLE,LAST,SUFFIX,MAIDEN,MARITAL,RACE,ETHNICITY,GENDER,BIRTHPLACE,ADDRESS,CITY,STATE,COUNTY,FIPS,ZIP,LAT,LON,HEALTHCARE_EXPENSES,HEALTHCARE_COVERAGE,INCOME\n\
                    a1,1980-01-02,,,,,,Ana12,B,Lima34,,,,,,F,,1 Main St,Boston,MA,,,02118,,,,,50000\n";
        let got = parse(text);
        assert_eq!(got.patients[0].full_name(), "Ana Lima");
        assert_eq!(got.patients[0].address.postal_code, "02118");
    }

    #[test]
    fn bad_rows_are_named_by_line_and_the_rest_is_kept() {
        let text = "Id,BIRTHDATE,FIRST,LAST,GENDER\n\
                    a1,1990-02-31,Ana,Lima,F\n\
                    a2,1980-01-01,,Souza,F\n\
                    a3,1980-01-01,Caio,Souza,X\n\
                    a4,1980-01-01,Rui,Costa,M\n\
                    a4,1981-01-01,Rui,Costa,M\n\
                    ,1981-01-01,No,Id,M\n";
        let got = parse(text);
        let lines: Vec<String> = got.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            lines,
            vec![
                "Line 2: date of birth '1990-02-31' is not a date.",
                "Line 3: first name is required.",
                "Line 4: sex 'X' is not one of female, male, other, unknown.",
                "Line 6: the Id a4 appears twice in the file.",
                "Line 7: the Id is empty.",
            ]
        );
        assert_eq!(got.patients.len(), 1);
    }

    #[test]
    fn empty_and_foreign_files_are_refused() {
        assert_eq!(parse_synthea("", day(2026, 1, 1), at(2026, 1, 1)).unwrap_err().0, "The file is empty.");
        let err = parse_synthea("name,dob\nAna,1990-01-01\n", day(2026, 1, 1), at(2026, 1, 1)).unwrap_err();
        assert_eq!(err.0, "Line 1: this is not a Synthea patients.csv: the columns Id, BIRTHDATE, FIRST, LAST are missing.");
        let header_only = parse("Id,BIRTHDATE,FIRST,LAST\n");
        assert!(header_only.patients.is_empty() && header_only.problems.is_empty());
    }

    #[test]
    fn written_csv_reads_back() {
        let got = parse(SAMPLE);
        let again = parse(&write_synthea(&got.patients));
        assert_eq!(again.patients, got.patients);
    }

    const CONDITIONS: &str = include_str!("../../../shared/testdata/synthea-csv/conditions.csv");
    const ENCOUNTERS_HEAD: &str = "Id,START,STOP,PATIENT,ORGANIZATION,PROVIDER,PAYER,ENCOUNTERCLASS,CODE,DESCRIPTION,BASE_ENCOUNTER_COST,TOTAL_CLAIM_COST,PAYER_COVERAGE,REASONCODE,REASONDESCRIPTION\n";
    const FHIR_PATIENTS: &str = include_str!("../../../shared/testdata/fhir-ndjson/Patient.000.ndjson");
    const FHIR_CONDITIONS: &str = include_str!("../../../shared/testdata/fhir-ndjson/Condition.000.ndjson");
    const BUSTER: &str =
        include_str!("../../../shared/testdata/fhir-bundle/Buster_Hoeger_ad2e3fc5-2b5d-4cb9-8d03-9ea0f4ac8423.json");

    fn ids() -> impl FnMut() -> String {
        let mut n = 0;
        move || {
            n += 1;
            format!("new-{n}")
        }
    }

    fn template(text: &str) -> PatientImport {
        parse_template(text, day(2026, 11, 23), at(2026, 11, 23), &mut ids()).unwrap()
    }

    fn detect(files: &[(&str, &str)]) -> Result<PatientImport, FileProblem> {
        let files: Vec<(String, String)> = files.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect();
        detect_and_parse(&files, day(2026, 11, 23), at(2026, 11, 23), &mut ids())
    }

    fn lines(rows: &[RowProblem]) -> Vec<String> {
        rows.iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn reads_the_real_synthea_conditions() {
        let mut got = parse(SAMPLE);
        parse_synthea_conditions(CONDITIONS, &mut got, at(2026, 11, 23)).unwrap();
        assert!(got.problems.is_empty(), "{:?}", got.problems);
        // 438 rows: 15 of the 2 deceased patients; the other 423 hold 162 distinct
        // (patient, code), Synthea repeating a condition at many encounters.
        assert_eq!(got.conditions.len(), 162);
        let ids: HashSet<&str> = got.patients.iter().map(|p| p.id.as_str()).collect();
        assert!(got.conditions.iter().all(|c| ids.contains(c.patient_id.as_str()) && c.system == CodeSystem::Snomed));
        let condition_ids: HashSet<&str> = got.conditions.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(condition_ids.len(), 162);

        // The two deceased patients: their own skipped line, and one for their conditions.
        assert_eq!(
            lines(&got.skipped[2..]),
            vec![
                "Line 4: 3 conditions of patient 261ad2a4-7c6f-da54-6a5b-3441beab9a6a are not imported: the patient is not imported (deceased, a bad row, or not in patients.csv).",
                "Line 91: 12 conditions of patient c2d1b552-0725-58ca-03fa-158d3437c06c are not imported: the patient is not imported (deceased, a bad row, or not in patients.csv).",
            ]
        );

        // Hypertension (SNOMED 59621000) for the 6 patients who have it.
        let hypertensive: HashSet<&str> = got
            .conditions
            .iter()
            .filter(|c| c.code == "59621000")
            .inspect(|c| assert_eq!(c.chronic, Some(ChronicCondition::Hypertension)))
            .map(|c| c.patient_id.as_str())
            .collect();
        assert_eq!(hypertensive.len(), 6);
        // Prediabetes is not diabetes; nobody in this sample has diabetes.
        let prediabetes: Vec<&Condition> = got.conditions.iter().filter(|c| c.code == "15777000").collect();
        assert_eq!(prediabetes.len(), 5);
        assert!(prediabetes.iter().all(|c| c.chronic.is_none()));
        assert!(!got.conditions.iter().any(|c| c.chronic == Some(ChronicCondition::Diabetes)));
        let asthma = got.conditions.iter().find(|c| c.code == "233678006").unwrap();
        assert_eq!(asthma.chronic, Some(ChronicCondition::Asthma));

        // Merged repeats: earliest onset, still open because the last occurrence is.
        let work = got
            .conditions
            .iter()
            .find(|c| c.patient_id == "319af005-46b9-f635-79dd-ec44d34a8c23" && c.code == "160903007")
            .unwrap();
        assert_eq!(work.id, "319af005-46b9-f635-79dd-ec44d34a8c23-cond-snomed-160903007");
        assert_eq!((work.onset, work.resolved), (Some(day(1968, 1, 20)), None));
        let first = &got.conditions[0];
        assert_eq!(first.display, "Acute viral pharyngitis (disorder)");
        assert_eq!((first.onset, first.resolved), (Some(day(2023, 1, 27)), Some(day(2023, 2, 9))));
        assert_eq!((first.created_at, first.updated_at), (at(2026, 11, 23), at(2026, 11, 23)));
    }

    #[test]
    fn synthea_conditions_with_system_and_bad_rows() {
        let mut got = parse("Id,BIRTHDATE,FIRST,LAST\na1,1980-01-02,Ana,Lima\n");
        let text = "START,STOP,PATIENT,ENCOUNTER,SYSTEM,CODE,DESCRIPTION\n\
                    2020-01-01,,a1,e1,SNOMED-CT,44054006,Diabetes mellitus type 2 (disorder)\n\
                    2020-13-01,,a1,e1,SNOMED-CT,59621000,Essential hypertension (disorder)\n\
                    2021-01-01,2020-01-01,a1,e1,ICD-10,J45.909,Asthma\n\
                    2019-01-01,2019-06-01,a1,e2,SNOMED-CT,44054006,Diabetes mellitus type 2 (disorder)\n\
                    2021-01-01,,,e3,SNOMED-CT,1,x\n\
                    2021-01-01,,zz,e3,SNOMED-CT,1,x\n\
                    2021-01-01,,zz,e3,SNOMED-CT,2,y\n\
                    2022-02-02T10:00:00Z,,a1,e4,ICD-10,F33.1,\n";
        parse_synthea_conditions(text, &mut got, at(2026, 1, 1)).unwrap();
        assert_eq!(
            lines(&got.problems),
            vec![
                "Line 3: condition 'Essential hypertension (disorder)': start '2020-13-01' is not a date.",
                "Line 4: condition 'Asthma': stop 2020-01-01 is before start 2021-01-01.",
                "Line 6: the condition's PATIENT is empty.",
            ]
        );
        assert_eq!(
            lines(&got.skipped),
            vec!["Line 7: 2 conditions of patient zz are not imported: the patient is not imported (deceased, a bad row, or not in patients.csv)."]
        );
        assert_eq!(got.conditions.len(), 2);
        let diabetes = &got.conditions[0];
        assert_eq!(diabetes.id, "a1-cond-snomed-44054006");
        assert_eq!((diabetes.onset, diabetes.resolved), (Some(day(2019, 1, 1)), None), "earliest onset, open");
        assert_eq!(diabetes.chronic, Some(ChronicCondition::Diabetes));
        let depression = &got.conditions[1];
        assert_eq!((depression.system, depression.display.as_str()), (CodeSystem::Icd10, "F33.1"));
        assert_eq!(depression.onset, Some(day(2022, 2, 2)));
        assert_eq!(depression.chronic, Some(ChronicCondition::Depression));

        let err = parse_synthea_conditions("PATIENT,CODE\n", &mut got, at(2026, 1, 1)).unwrap_err();
        assert_eq!(err.0, "Line 1: this is not a Synthea conditions.csv: the columns START, DESCRIPTION are missing.");
        assert_eq!(parse_synthea_conditions(" \n", &mut got, at(2026, 1, 1)).unwrap_err().0, "The conditions file is empty.");
    }

    #[test]
    fn the_template_reads_back() {
        assert!(template_csv().starts_with(TEMPLATE_HEADER));
        let got = template(&template_csv());
        assert!(got.problems.is_empty(), "{:?}", got.problems);
        assert_eq!(got.patients.len(), 1);
        let p = &got.patients[0];
        assert_eq!(p.id, "new-1");
        assert_eq!(p.full_name(), "Rosa Example");
        assert_eq!(p.date_of_birth, day(1958, 4, 12));
        assert_eq!(p.sex, crate::model::Sex::Female);
        assert_eq!(p.mrn, "MRN-000123");
        assert_eq!(p.phone, "(555) 010-0123");
        assert_eq!(p.email, "rosa.example@example.org");
        assert_eq!(p.address.one_line(), "12 Elm St, Springfield, MA 01101");
        assert_eq!(p.preferred_language, "Spanish");
        assert!(p.interpreter_needed);
        assert_eq!(p.assigned_provider, "Dr. Rivera");
        assert_eq!(p.notes, "Prefers calls after 2 pm");
        assert_eq!(got.conditions.len(), 2);
        let c = &got.conditions;
        assert_eq!((c[0].id.as_str(), c[0].system, c[0].code.as_str()), ("new-1-cond-1", CodeSystem::Snomed, "44054006"));
        assert_eq!(c[0].chronic, Some(ChronicCondition::Diabetes));
        assert_eq!((c[1].code.as_str(), c[1].display.as_str()), ("", "Hypertension"));
        assert_eq!(c[1].chronic, Some(ChronicCondition::Hypertension));
        assert!(c.iter().all(|c| c.patient_id == "new-1" && c.onset.is_none()));
    }

    #[test]
    fn template_columns_by_name_any_case_and_order() {
        let text = "\u{feff}Last Name,FIRST_NAME,Date of Birth,Extra,Interpreter Needed,Conditions\n\
                    Lima,Ana,03/14/1962,whatever,N,ICD-10|E11.9|Type 2 diabetes; Childhood asthma ;\n\
                    ,,,,,\n";
        let got = template(text);
        assert!(got.problems.is_empty(), "{:?}", got.problems);
        assert_eq!(got.patients[0].full_name(), "Ana Lima");
        assert_eq!(got.patients[0].date_of_birth, day(1962, 3, 14));
        assert!(!got.patients[0].interpreter_needed);
        let chronic: Vec<_> = got.conditions.iter().map(|c| c.chronic).collect();
        assert_eq!(chronic, vec![Some(ChronicCondition::Diabetes), Some(ChronicCondition::Asthma)]);
    }

    #[test]
    fn template_bad_rows_are_named_by_line() {
        let text = format!(
            "{TEMPLATE_HEADER}\n\
             Ana,Lima,1990-02-31,F,M1,,,,,,,,,,,\n\
             ,Souza,1980-01-01,F,M2,,,,,,,,maybe,,,\n\
             Caio,Souza,1980-01-01,X,M3,12,not-an-email,,,,,,,,,\n\
             Rui,Costa,1980-01-01,M,m3,,,,,,,,,,,\n\
             Bia,Reis,1980-01-01,F,,,,,,,,,yes,,,SNOMED|44054006\n\
             \"Eva\",\"Dias, Jr.\",1970-05-05,female,M9,555-0100-99,,\"1 Main St, Apt 2\",Boston,MA,02118,Portuguese,1,Dr. Lee,\"two\nlines\",Hypertension\n\
             Ana,Lima,2027-01-01,F,M1,,,,,,,,,,,\n"
        );
        let got = template(&text);
        assert_eq!(
            lines(&got.problems),
            vec![
                "Line 2: date of birth '1990-02-31' is not a date.",
                "Line 3: interpreter needed 'maybe' is not yes or no; first name is required.",
                "Line 4: sex 'X' is not one of female, male, other, unknown; phone '12' is not a phone number; email 'not-an-email' is not an email address.",
                "Line 5: the MRN m3 appears twice in the file (first on line 4).",
                "Line 6: condition 'SNOMED|44054006' is not SYSTEM|CODE|Display or a name.",
                "Line 9: date of birth 2027-01-01 is in the future; the MRN M1 appears twice in the file (first on line 2).",
            ]
        );
        assert_eq!(got.patients.len(), 1);
        let eva = &got.patients[0];
        assert_eq!((eva.id.as_str(), eva.last_name.as_str()), ("new-1", "Dias, Jr."));
        assert_eq!(eva.address.line, "1 Main St, Apt 2");
        assert_eq!(eva.notes, "two\nlines");
        assert!(eva.interpreter_needed);
        assert_eq!(got.conditions.len(), 1);
    }

    #[test]
    fn template_refuses_empty_and_foreign_files() {
        let refuse = |t: &str| parse_template(t, day(2026, 1, 1), at(2026, 1, 1), &mut ids()).unwrap_err().0;
        assert_eq!(refuse(""), "The file is empty.");
        assert_eq!(refuse("first_name,surname\nAna,Lima\n"), "Line 1: this is not the CareCoord patient template: the columns last_name, date_of_birth are missing.");
        assert!(template(&format!("{TEMPLATE_HEADER}\n")).patients.is_empty());
    }

    #[test]
    fn detect_chooses_the_reader_by_content() {
        // Synthea, in either order, with the conditions tagged by file.
        let got = detect(&[("conditions.csv", CONDITIONS), ("patients.csv", SAMPLE)]).unwrap();
        assert_eq!((got.patients.len(), got.conditions.len(), got.skipped.len()), (25, 162, 4));
        assert_eq!(got.skipped[0].to_string(), "Line 5: deceased (1976-07-25), not added to the panel (in patients.csv).");
        assert!(got.skipped[2].message.ends_with("(in conditions.csv)."), "{}", got.skipped[2]);
        let alone = detect(&[("patients.csv", SAMPLE)]).unwrap();
        assert_eq!((alone.patients.len(), alone.conditions.len()), (25, 0));
        assert_eq!(alone.skipped[0].to_string(), "Line 5: deceased (1976-07-25), not added to the panel.");

        // The template.
        let got = detect(&[("mine.csv", &template_csv())]).unwrap();
        assert_eq!((got.patients.len(), got.conditions.len()), (1, 2));

        // FHIR: NDJSON pair and bundles.
        let got = detect(&[("Patient.000.ndjson", FHIR_PATIENTS), ("Condition.000.ndjson", FHIR_CONDITIONS)]).unwrap();
        assert_eq!((got.patients.len(), got.conditions.len()), (10, 147));
        assert!(got.skipped.iter().any(|s| s.message.ends_with("(in Condition.000.ndjson).")));
        let got = detect(&[("buster.json", BUSTER)]).unwrap();
        assert_eq!(got.patients[0].full_name(), "Buster Hoeger");
        assert_eq!(got.conditions.len(), 2);
    }

    #[test]
    fn detect_refuses_what_it_cannot_read() {
        let refuse = |files: &[(&str, &str)]| detect(files).unwrap_err().0;
        let expected = "people.csv is not a patient list CareCoord reads: expected the CareCoord CSV template, Synthea patients.csv (with conditions.csv), or FHIR R4 Patient/Condition JSON.";
        assert_eq!(refuse(&[("people.csv", "name,dob,phone\nAna,1990-01-01,555\n")]), expected);
        assert_eq!(refuse(&[("empty.csv", "\u{feff}  \n")]), "empty.csv is empty.");
        assert_eq!(refuse(&[]), "No file was chosen.");
        assert!(refuse(&[("encounters.csv", ENCOUNTERS_HEAD)]).starts_with("encounters.csv is not a patient list"));
        assert!(refuse(&[("x.json", "[1, 2]")]).starts_with("x.json is not a patient list"));
        assert_eq!(
            refuse(&[("backup.json", "{\"format\": \"carecoord-backup\", \"schema_version\": 1}")]),
            "backup.json is a CareCoord backup, not a patient list: use Import backup to restore it."
        );
        assert_eq!(
            refuse(&[("conditions.csv", CONDITIONS)]),
            "conditions.csv is a Synthea conditions.csv: choose it together with the patients.csv it belongs to."
        );
        assert_eq!(
            refuse(&[("a.csv", &template_csv()), ("b.json", BUSTER)]),
            "These files are of different kinds (a.csv: CareCoord template; b.json: FHIR JSON): import one kind at a time."
        );
        assert_eq!(refuse(&[("p.csv", SAMPLE), ("q.csv", SAMPLE)]), "Choose one Synthea patients.csv at a time, with at most one conditions.csv.");
        assert_eq!(refuse(&[("bad.json", "{\"resourceType\": \"Bundle\",\n  \"entry\": [\n    {,}\n]}")]), "bad.json: not valid JSON (line 3, column 6).");
    }
}
