//! CareCoord's own template for care events: [`TEMPLATE_HEADER`] (`mrn,item,date,value`), the
//! file to download ([`template_csv`]) and its reader.
//!
//! `item` is a care item's code (`hba1c`) or the label of a rule in force for it
//! ("HbA1c", "Flu vaccine"), any case; `date` is `YYYY-MM-DD` or `MM/DD/YYYY`; `value` is
//! optional, as the record-care form takes it ("7.2", "150/95", "colonoscopy"). The patient
//! is the MRN (matched to the panel later). Every event is "done". An event's source id is
//! `template:<mrn>:<item>:<date>`, so the same row imported again is the same event.

use std::collections::HashMap;

use super::{event_date, At, Collector, Found};
use crate::io::import::{missing_columns, Columns, FileProblem};
use crate::model::care::{CareRule, EventOutcome};
use crate::model::text::fold;

/// The header of CareCoord's care history template.
pub const TEMPLATE_HEADER: &str = "mrn,item,date,value";

/// The template to download: the header and example rows for a fictional patient.
pub fn template_csv() -> String {
    format!("{TEMPLATE_HEADER}\nMRN-000123,hba1c,2026-05-01,7.2\nMRN-000123,Blood pressure,2026-05-01,150/95\nMRN-000123,influenza_vaccine,10/02/2025,\n")
}

/// A header cell as the template reader compares it: "Item", "ITEM " → "item".
pub(super) fn header_name(h: &str) -> String {
    h.trim().to_ascii_lowercase().replace([' ', '-'], "_")
}

/// How the template's rows are read, made once from its header: the columns, the items a
/// row may name, and the first line of each (MRN, item, date), to name a repeat.
pub(super) struct Rows {
    cols: Columns,
    items: HashMap<String, String>,
    first: HashMap<String, u64>,
}

impl Rows {
    /// The rows of a template whose header is `cols`; `rules` are the rules in force (their
    /// items and labels name the items a row may have).
    pub(super) fn open(name: &str, cols: Columns, rules: &[CareRule]) -> Result<Rows, FileProblem> {
        let missing = cols.missing(&["mrn", "item", "date"]);
        if !missing.is_empty() {
            return Err(FileProblem(format!(
                "{name}: line 1: this is not the CareCoord care history template: {}. The first line should be: {TEMPLATE_HEADER}",
                missing_columns(&missing)
            )));
        }
        Ok(Rows { cols, items: super::item_names(rules), first: HashMap::new() })
    }

    /// Reads one row, at `line` of the file.
    pub(super) fn row(&mut self, c: &mut Collector, name: &str, record: &csv::StringRecord, line: u64) {
        let at = At { file: name, line, entry: None };
        let get = |n: &str| self.cols.find(n).and_then(|i| record.get(i)).unwrap_or("").trim();
        let (mrn, item_text, date_text, value) = (get("mrn"), get("item"), get("date"), get("value"));
        let mut reasons = Vec::new();
        if mrn.is_empty() {
            reasons.push("the MRN is empty".to_string());
        }
        let item = match self.items.get(&fold(item_text)) {
            Some(item) => Some(item.clone()),
            None if item_text.is_empty() => {
                reasons.push("the item is empty".to_string());
                None
            }
            None => {
                reasons.push(format!("the item '{item_text}' is not a care item CareCoord knows"));
                None
            }
        };
        let date = event_date(date_text, "date").map_err(|why| reasons.push(why)).ok();
        let (Some(item), Some(date), true) = (item, date, reasons.is_empty()) else {
            return c.problem(&at, &reasons.join("; "));
        };
        let key = format!("{mrn}:{item}:{date}");
        if let Some(earlier) = self.first.get(&key) {
            return c.problem(&at, &format!("{item_text} on {date} for MRN {mrn} is already on line {earlier}"));
        }
        self.first.insert(key.clone(), line);
        let found = Found {
            item: &item,
            what: item_text,
            patient: mrn,
            date,
            value: Some(value.to_string()).filter(|v| !v.is_empty()),
            outcome: EventOutcome::Done,
            note: String::new(),
            source_id: format!("template:{key}"),
        };
        c.event(&at, found);
    }
}
