//! The recall list as CSV, for mail merges and payer reports.

use super::csv_cell::{LineEnd, SafeCsv};
use crate::model::recall::RecallEntry;

/// Writes the recall list with a header line; dates are ISO (YYYY-MM-DD). Cells that a
/// spreadsheet would run as a formula are neutralised (see [`super::csv_cell`]).
pub fn write(entries: &[RecallEntry]) -> String {
    let mut w = SafeCsv::new(["patient", "phone", "item", "due_since", "attempts", "last_attempt", "last_outcome"], LineEnd::Lf);
    for e in entries {
        let (last_date, last_outcome) = match e.last_attempt {
            Some((d, o)) => (d.to_string(), o.label().to_string()),
            None => (String::new(), String::new()),
        };
        w.row([
            e.patient_name.as_str(),
            &e.phone,
            &e.item_label,
            &e.due_since.map(|d| d.to_string()).unwrap_or_default(),
            &e.attempts.to_string(),
            &last_date,
            &last_outcome,
        ]);
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::patient::tests::day;
    use crate::model::recall::OutreachOutcome;

    #[test]
    fn writes_one_row_per_entry_quoting_names_with_commas() {
        let entry = RecallEntry {
            patient_id: "a".into(),
            patient_name: "Lima, Ana".into(),
            phone: "617-555-0100".into(),
            item: "hba1c".into(),
            item_label: "HbA1c".into(),
            due_since: Some(day(2026, 5, 1)),
            attempts: 2,
            last_attempt: Some((day(2026, 11, 9), OutreachOutcome::LeftMessage)),
        };
        let text = write(&[entry]);
        assert_eq!(
            text,
            "patient,phone,item,due_since,attempts,last_attempt,last_outcome\n\"Lima, Ana\",617-555-0100,HbA1c,2026-05-01,2,2026-11-09,Left message\n"
        );
        assert_eq!(write(&[]).lines().count(), 1);
    }

    #[test]
    fn a_name_written_as_a_formula_stays_text() {
        let entry = RecallEntry {
            patient_id: "a".into(),
            patient_name: "=HYPERLINK(\"http://x\",\"y\"), Ana".into(),
            phone: "+1 617 555 0100".into(),
            item: "hba1c".into(),
            item_label: "HbA1c".into(),
            due_since: None,
            attempts: 0,
            last_attempt: None,
        };
        let line = write(&[entry]).lines().nth(1).unwrap_or_default().to_string();
        assert_eq!(line, "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\"), Ana\",\"'+1 617 555 0100\",HbA1c,,0,,");
    }
}
