//! Patient lists as CSV: Synthea's `patients.csv` (columns found by header name, so both the
//! 3.0 layout and later ones with MIDDLE/FIPS/INCOME are read).
//!
//! The whole file is checked before anything is written: the result lists the patients that
//! can be imported and, for every other row, its line as a spreadsheet shows it (the header
//! is line 1) and why.

use chrono::NaiveDate;

use crate::model::{Patient, PatientDraft, Timestamp};

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
    pub patients: Vec<Patient>,
    /// Rows left out on purpose (deceased patients), with the reason.
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
struct Columns(Vec<String>);

impl Columns {
    fn find(&self, name: &str) -> Option<usize> {
        self.0.iter().position(|h| h.trim().eq_ignore_ascii_case(name))
    }
}

/// Synthea adds digits to generated names ("Maynard46"); real names have none.
fn synthea_name(s: &str) -> String {
    s.trim().trim_end_matches(|c: char| c.is_ascii_digit()).to_string()
}

/// Reads Synthea's `patients.csv`. `now` stamps the new records; `today` checks dates.
pub fn parse_synthea(text: &str, today: NaiveDate, now: Timestamp) -> Result<PatientImport, FileProblem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(FileProblem("The file is empty.".into()));
    }
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| FileProblem(format!("Line 1: the header cannot be read ({e}).")))?
        .iter()
        .map(str::to_string)
        .collect();
    let cols = Columns(headers);
    let required = ["Id", "BIRTHDATE", "FIRST", "LAST"];
    let missing: Vec<&str> = required.iter().copied().filter(|c| cols.find(c).is_none()).collect();
    if !missing.is_empty() {
        return Err(FileProblem(format!(
            "Line 1: this is not a Synthea patients.csv: the column{} {} {} missing.",
            if missing.len() == 1 { "" } else { "s" },
            missing.join(", "),
            if missing.len() == 1 { "is" } else { "are" }
        )));
    }
    let col = |name: &str| cols.find(name);
    let (id, birth, death, first, last, gender) =
        (col("Id").unwrap(), col("BIRTHDATE").unwrap(), col("DEATHDATE"), col("FIRST").unwrap(), col("LAST").unwrap(), col("GENDER"));
    let (address, city, state, zip) = (col("ADDRESS"), col("CITY"), col("STATE"), col("ZIP"));

    let mut out = PatientImport::default();
    let mut seen = std::collections::HashSet::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                out.problems.push(RowProblem { line, message: format!("the row cannot be read ({e}).") });
                continue;
            }
        }
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let get = |i: Option<usize>| i.and_then(|i| record.get(i)).unwrap_or("").trim();
        if record.iter().all(|f| f.trim().is_empty()) {
            continue; // a blank line at the end of a spreadsheet export
        }
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
                let reasons: Vec<String> = errors.iter().map(|e| lower_first(e.message.trim_end_matches('.'))).collect();
                out.problems.push(RowProblem { line, message: format!("{}.", reasons.join("; ")) });
            }
            Ok(_) if !seen.insert(pid.clone()) => {
                out.problems.push(RowProblem { line, message: format!("the Id {pid} appears twice in the file.") });
            }
            Ok(valid) => out.patients.push(valid.into_new(pid, now)),
        }
    }
    Ok(out)
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Writes patients in Synthea's `patients.csv` 3.0 layout (for benchmarks and tests).
pub fn write_synthea(patients: &[Patient]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "Id", "BIRTHDATE", "DEATHDATE", "SSN", "DRIVERS", "PASSPORT", "PREFIX", "FIRST", "LAST", "SUFFIX", "MAIDEN", "MARITAL", "RACE",
        "ETHNICITY", "GENDER", "BIRTHPLACE", "ADDRESS", "CITY", "STATE", "COUNTY", "ZIP", "LAT", "LON", "HEALTHCARE_EXPENSES",
        "HEALTHCARE_COVERAGE",
    ])
    .expect("writing to memory");
    for p in patients {
        let gender = match p.sex {
            crate::model::Sex::Female => "F",
            crate::model::Sex::Male => "M",
            _ => "",
        };
        let dob = p.date_of_birth.format("%Y-%m-%d").to_string();
        w.write_record([
            p.id.as_str(), &dob, "", "", "", "", "", &p.first_name, &p.last_name, "", "", "", "", "", gender, "",
            &p.address.line, &p.address.city, &p.address.state, "", &p.address.postal_code, "", "", "", "",
        ])
        .expect("writing to memory");
    }
    String::from_utf8(w.into_inner().expect("writing to memory")).expect("CSV of UTF-8 strings")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::patient::tests::{at, day};

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
}
