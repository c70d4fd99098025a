//! The day's schedule as CSV, as clinics export it from the practice-management system:
//! one row per visit with the date, time, the patient (by MRN, or by name and date of birth)
//! the provider and the visit type. See [`TEMPLATE_HEADER`].
//!
//! The whole file is checked first; each bad row is named by its line (the header is line 1)
//! and nothing is written unless the coordinator goes on.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::csv_read::CsvText;
use super::import::{missing_columns, next_row, reason, strip_bom, Columns, FileProblem, RowProblem};
use crate::model::appointment::{is_duplicate, Appointment, AppointmentDraft};
use crate::model::dates::parse_date;
use crate::model::{dates, text, Panel, Timestamp};

/// The header of the template offered for download.
pub const TEMPLATE_HEADER: &str = "date,time,mrn,last_name,first_name,date_of_birth,provider,visit_type";

/// A template with one example row.
pub fn template_csv() -> String {
    format!("{TEMPLATE_HEADER}\n2026-11-23,09:30,MRN0001234,Núñez,María,1990-02-28,Dr. Shah,Follow-up\n")
}

/// What an appointments file holds, checked against the panel.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AppointmentImport {
    pub appointments: Vec<Appointment>,
    /// Rows already on the schedule (same patient, date and time): left out.
    pub already_scheduled: Vec<RowProblem>,
    pub problems: Vec<RowProblem>,
}

/// Reads an appointments CSV. `new_id` gives each appointment its id.
pub fn parse(text: &str, panel: &Panel, existing: &[Appointment], now: Timestamp, mut new_id: impl FnMut() -> String) -> Result<AppointmentImport, FileProblem> {
    let text = strip_bom(text);
    if text.trim().is_empty() {
        return Err(FileProblem("The file is empty: it has no header and no appointments.".into()));
    }
    let csv = CsvText::new(text);
    let mut reader = csv.rows();
    let headers = reader.header().map_err(|(line, why)| FileProblem(format!("Line {line}: {why}.")))?;
    let cols = Columns(headers.iter().map(str::to_string).collect());
    let missing = cols.missing(&["date", "time"]);
    if !missing.is_empty() {
        return Err(FileProblem(format!("This is not an appointments file: {}. The first line should be: {TEMPLATE_HEADER}", missing_columns(&missing))));
    }
    let has_mrn = cols.find("mrn").is_some();
    let has_name = cols.missing(&["last_name", "first_name", "date_of_birth"]).is_empty();
    if !has_mrn && !has_name {
        return Err(FileProblem("The file does not say who each visit is for: it needs an mrn column, or last_name, first_name and date_of_birth.".into()));
    }
    // Patients by MRN and by (folded name, date of birth).
    let mut by_mrn: HashMap<String, &str> = HashMap::new();
    let mut by_name: HashMap<(String, NaiveDate), &str> = HashMap::new();
    for p in panel.patients() {
        if !p.mrn.trim().is_empty() {
            by_mrn.insert(p.mrn.trim().to_ascii_lowercase(), &p.id);
        }
        by_name.insert((text::fold(&format!("{} {}", p.first_name, p.last_name)), p.date_of_birth), &p.id);
    }
    let field = |record: &csv::StringRecord, name: &str| cols.find(name).and_then(|i| record.get(i)).unwrap_or("").trim().to_string();

    let mut out = AppointmentImport::default();
    let mut record = csv::StringRecord::new();
    while let Some(line) = next_row(&mut reader, &mut record, &mut out.problems, "row") {
        let mrn = field(&record, "mrn");
        let (first, last, dob) = (field(&record, "first_name"), field(&record, "last_name"), field(&record, "date_of_birth"));
        let patient_id = if !mrn.is_empty() {
            match by_mrn.get(&mrn.to_ascii_lowercase()) {
                Some(id) => id.to_string(),
                None => {
                    out.problems.push(RowProblem { line, message: format!("no patient with MRN '{mrn}' is on the panel.") });
                    continue;
                }
            }
        } else if !last.is_empty() || !first.is_empty() {
            let Some(born) = parse_date(&dob) else {
                let message = if dob.is_empty() {
                    format!("{first} {last} has no MRN and no date of birth, so the patient cannot be found.")
                } else {
                    format!("date of birth '{dob}' is not a date.")
                };
                out.problems.push(RowProblem { line, message });
                continue;
            };
            match by_name.get(&(text::fold(&format!("{first} {last}")), born)) {
                Some(id) => id.to_string(),
                None => {
                    out.problems.push(RowProblem { line, message: format!("no patient named {first} {last} born {dob} is on the panel.") });
                    continue;
                }
            }
        } else {
            out.problems.push(RowProblem { line, message: "the row does not say who the visit is for (no MRN and no name).".into() });
            continue;
        };
        let draft = AppointmentDraft {
            patient_id,
            date: field(&record, "date"),
            time: field(&record, "time"),
            provider: field(&record, "provider"),
            visit_type: field(&record, "visit_type"),
        };
        match draft.validate() {
            Err(problems) => {
                let reasons: Vec<String> = problems.iter().map(|p| reason(p)).collect();
                out.problems.push(RowProblem { line, message: format!("{}.", reasons.join("; ")) });
            }
            Ok((date, _)) if !dates::date_in_range(date) => {
                out.problems.push(RowProblem { line, message: format!("{}.", dates::outside_range("date", &draft.date)) });
            }
            Ok((date, time)) => {
                let a = draft.into_new(new_id(), date, time, now);
                if is_duplicate(existing, &a) || is_duplicate(&out.appointments, &a) {
                    out.already_scheduled.push(RowProblem { line, message: "this visit is already on the schedule.".into() });
                } else {
                    out.appointments.push(a);
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::patient::tests::patient;

    fn panel() -> Panel {
        let mut a = patient("p1", "María", "Núñez", "1990-02-28");
        a.mrn = "MRN0001234".into();
        let b = patient("p2", "Liz", "Conn", "1986-11-28");
        Panel::new(vec![a, b])
    }

    fn now() -> Timestamp {
        "2026-11-22T18:00:00Z".parse().unwrap()
    }

    fn read(text: &str, existing: &[Appointment]) -> Result<AppointmentImport, FileProblem> {
        let mut n = 0;
        parse(text, &panel(), existing, now(), || {
            n += 1;
            format!("a{n}")
        })
    }

    #[test]
    fn the_template_reads_back_and_finds_the_patient_by_mrn() {
        let out = read(&template_csv(), &[]).unwrap();
        assert_eq!(out.problems, vec![]);
        assert_eq!(out.appointments.len(), 1);
        let a = &out.appointments[0];
        assert_eq!((a.patient_id.as_str(), a.time_text().as_str(), a.provider.as_str()), ("p1", "9:30 AM", "Dr. Shah"));
    }

    #[test]
    fn patients_are_found_by_name_and_birth_date_ignoring_accents() {
        let csv = "date,time,first_name,last_name,date_of_birth,provider\n2026-11-23,2:15 PM,maria,NUNEZ,02/28/1990,Dr. Shah\n2026-11-23,10:00,Liz,Conn,1986-11-28,\n";
        let out = read(csv, &[]).unwrap();
        assert_eq!(out.problems, vec![]);
        assert_eq!(out.appointments.iter().map(|a| a.patient_id.as_str()).collect::<Vec<_>>(), vec!["p1", "p2"]);
    }

    #[test]
    fn bad_rows_are_named_by_line_and_the_rest_are_kept() {
        let csv = "date,time,mrn,last_name,first_name,date_of_birth,provider,visit_type\n\
                   2026-11-23,09:30,MRN0001234,,,,Dr. Shah,Follow-up\n\
                   2026-11-23,09:45,MRN9999999,,,,Dr. Shah,\n\
                   2026-02-30,25:00,MRN0001234,,,,,\n\
                   2026-11-23,11:00,,Conn,Liz,1986-13-01,,\n\
                   2026-11-23,11:00,,Doe,Jane,1980-01-01,,\n\
                   2026-11-23,11:00,,,,,,\n\
                   2026-11-23,09:30,MRN0001234,,,,Dr. Shah,Follow-up\n";
        let out = read(csv, &[]).unwrap();
        let lines: Vec<String> = out.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            vec![
                "Line 3: no patient with MRN 'MRN9999999' is on the panel.",
                "Line 4: date '2026-02-30' is not a date; time '25:00' is not a time of day (for example 9:30 or 2:15 PM).",
                "Line 5: date of birth '1986-13-01' is not a date.",
                "Line 6: no patient named Jane Doe born 1980-01-01 is on the panel.",
                "Line 7: the row does not say who the visit is for (no MRN and no name).",
            ]
        );
        assert_eq!(out.appointments.len(), 1);
        assert_eq!(out.already_scheduled.iter().map(|p| p.line).collect::<Vec<_>>(), vec![8]);
        // Importing the same file again: everything is already on the schedule.
        let again = read(csv, &out.appointments).unwrap();
        assert!(again.appointments.is_empty());
    }

    #[test]
    fn empty_and_foreign_files_are_refused_whole() {
        assert!(read("", &[]).unwrap_err().0.contains("empty"));
        assert!(read("name,phone\nA,1\n", &[]).unwrap_err().0.contains("the columns date, time are missing"));
        assert!(read("date,time,provider\n2026-11-23,9:00,X\n", &[]).unwrap_err().0.contains("who each visit is for"));
        let header_only = read(&format!("{TEMPLATE_HEADER}\n"), &[]).unwrap();
        assert!(header_only.appointments.is_empty() && header_only.problems.is_empty());
    }
}
