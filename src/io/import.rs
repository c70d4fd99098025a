//! What every patient file reader returns, and the pieces they share.
//!
//! Each reader (`patients_csv` for CareCoord's template and Synthea's CSV, `fhir` for FHIR
//! R4 JSON) returns a [`PatientImport`] (the patients and conditions that can be
//! imported, the rows skipped on purpose, the bad rows by line) or a [`FileProblem`] (the
//! file as a whole cannot be read). Also here: the CSV row helpers (`Columns`,
//! `next_row`), messages in a sentence (`reason`, `finish`), and the handling of
//! conditions every reader shares (`merge_repeats`, `Orphans`).
//!
//! **Conditions are one entry per problem.** Synthea writes a condition again at many
//! encounters ("Full-time employment (finding)" 32 times for one patient), so every reader
//! keeps one condition per (patient, code system, code) (per display text when there
//! is no code): its onset is the earliest onset, and it is resolved only if every
//! occurrence is resolved, on the latest resolution date. (Keeping the earliest row as it
//! is would show a problem that is still open today as resolved decades ago.)

use std::collections::HashMap;

use chrono::NaiveDate;

use super::csv_read::CsvRows;
use crate::model::{CodeSystem, Condition, Patient};

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

/// The text without a leading byte-order mark (spreadsheets write one).
pub(crate) fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Ends a message with where it came from, when that is more than its line:
/// `finish("date of birth is required", " (in a.csv)")` → "date of birth is required (in a.csv)."
pub(crate) fn finish(message: &str, place: &str) -> String {
    format!("{}{place}.", message.trim_end_matches('.'))
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

pub(crate) fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Reads the header row into [`Columns`], each name passed through `norm`.
pub(crate) fn read_header(reader: &mut CsvRows<'_>, norm: impl Fn(&str) -> String) -> Result<Columns, FileProblem> {
    let headers = reader.header().map_err(|(line, why)| FileProblem(format!("Line {line}: {why}.")))?;
    Ok(Columns(headers.iter().map(norm).collect()))
}

// ------------------------------------------------------------------------------------------
// Conditions shared by every reader

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
