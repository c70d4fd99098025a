//! The chronic-care month as CSV, for the billing office: one row per eligible patient.

use super::csv_cell::{LineEnd, SafeCsv};
use crate::model::care_time::{codes_text, CareMonth};
use crate::model::dates::YearMonth;

/// The file name for `month`: "carecoord-care-time-2026-11.csv".
pub fn file_name(month: YearMonth) -> String {
    format!("carecoord-care-time-{month}.csv")
}

/// Writes every eligible patient of the month (with or without time logged) in name order:
/// `patient,mrn,month,minutes,codes,staff,dates`. Codes are "99490, 99439 x2"; staff and
/// dates (ISO) are separated by "; ". Cells that a spreadsheet would run as a formula are
/// neutralised (see [`super::csv_cell`]).
pub fn write(month: &CareMonth) -> String {
    let mut w = SafeCsv::new(["patient", "mrn", "month", "minutes", "codes", "staff", "dates"], LineEnd::Lf);
    let code = month.month.code();
    for r in &month.eligible {
        let dates: Vec<String> = r.dates.iter().map(|d| d.to_string()).collect();
        w.row([r.name.as_str(), &r.mrn, &code, &r.minutes.to_string(), &codes_text(&r.codes), &r.staff.join("; "), &dates.join("; ")]);
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::care_time::CareRow;
    use crate::model::patient::tests::day;

    fn row(name: &str, mrn: &str, minutes: u32, codes: Vec<(&'static str, u32)>) -> CareRow {
        CareRow {
            patient_id: "p".into(),
            name: name.into(),
            mrn: mrn.into(),
            minutes,
            complex: false,
            codes,
            staff: vec!["Dana".into(), "Sam".into()],
            dates: vec![day(2026, 11, 3), day(2026, 11, 17)],
            contacts: 3,
            not_eligible: vec![],
        }
    }

    #[test]
    fn one_row_per_eligible_patient() {
        let month = YearMonth::parse("2026-11").unwrap();
        let m = CareMonth {
            month,
            eligible: vec![row("Lima, Ana", "MRN-1", 65, vec![("99490", 1), ("99439", 2)]), CareRow { staff: vec![], dates: vec![], ..row("Reis, Zé", "", 0, vec![]) }],
            others: vec![row("Costa, Rui", "MRN-9", 30, vec![])],
        };
        assert_eq!(
            write(&m),
            "patient,mrn,month,minutes,codes,staff,dates\n\
             \"Lima, Ana\",MRN-1,2026-11,65,\"99490, 99439 x2\",\"Dana; Sam\",\"2026-11-03; 2026-11-17\"\n\
             \"Reis, Zé\",,2026-11,0,,,\n"
        );
        assert_eq!(file_name(month), "carecoord-care-time-2026-11.csv");
    }

    #[test]
    fn a_name_written_as_a_formula_stays_text() {
        let m = CareMonth { month: YearMonth::parse("2026-11").unwrap(), eligible: vec![row("=HYPERLINK(\"x\")", "-1", 20, vec![("99490", 1)])], others: vec![] };
        let line = write(&m).lines().nth(1).unwrap_or_default().to_string();
        assert!(line.starts_with("\"'=HYPERLINK(\"\"x\"\")\",\"'-1\",2026-11,20,99490,"), "{line}");
    }
}
