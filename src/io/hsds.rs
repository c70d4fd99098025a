//! Open Referral HSDS files in and out of the resource directory.
//!
//! Reads (all through [`import_files`], which takes what the coordinator chose):
//! - **HSDS 3.x JSON** ([`parse_json`]): one service (`service_full.json`), one
//!   organization with its services (`organization_full.json`), one service at a location
//!   (`service_at_location_full.json`), an array of any of these, or a paginated list
//!   (`{"contents": [...]}`); also `tabular.json` (the CSV tables keyed by file name).
//! - **The HSDS tabular package** ([`parse_tabular`]): the CSV files (and `datapackage.json`,
//!   which may name them differently), rows joined by their `*_id` columns. Both HSDS 3.x
//!   (`service_at_location.csv`, `addresses.csv`, `schedules.csv` with `byday`,
//!   `attributes.csv` + `taxonomy_terms.csv`) and HSDS 1.1 (`services_at_location.csv`,
//!   `physical_addresses.csv`, `regular_schedules.csv` with `weekday` 1 = Monday,
//!   `services_taxonomy.csv` + `taxonomy.csv`, `eligibility.csv`, the `language` column)
//!   are read by the same code: columns are found by name, with the 1.1 names as aliases.
//! - **A zip** of either ([`unzip`]: stored and deflated entries).
//!
//! Joins: a service's locations come from service-at-location rows; its phones, schedules
//! and languages from rows with its `service_id` (or its service-at-location id); when a
//! service has none of its own, those of its locations, then (phones) of its organization.
//! Files the directory does not use (funding, contacts, accessibility, ...) are named in
//! [`DirectoryImport::notes`], as is every row that links to nothing.
//!
//! The whole input is checked before anything is returned: [`DirectoryImport`] holds the
//! services and organizations that can be saved, every bad row in
//! [`DirectoryImport::problems`] ("services.csv line 4: minimum age 'ten' is not a number")
//! (a service with a problem is not imported; a bad phone, schedule or location row is left
//! off its service), and the likely duplicates of services already in the directory (same
//! id, or same name and address, folded) so the page can offer to merge.
//!
//! Writes: [`export_json`] (an array of HSDS 3 organizations, each with its services) and
//! [`export_tabular`] (the CSV package with `datapackage.json`, cells safe to open in a
//! spreadsheet, see [`super::csv_cell`]). The categories are written as taxonomy terms of
//! the taxonomy `CareCoord`, which the import reads back as categories, and a service
//! whose organization is missing gets one made up and flagged for review, so export →
//! import gives the same services, every one of them.
//!
//! Where things are: the field readers both formats share in `fields`, the JSON reader in
//! `json`, the CSV package in `tabular`, the export in `export`; a zip is opened by
//! [`super::zip::unzip`]. Everything is used from here, `io::hsds::...`.

use std::collections::{HashMap, HashSet};

use crate::model::directory::{Organization, Service};
use crate::model::text::fold;
use tabular::base_name;

mod export;
mod fields;
mod json;
mod tabular;

pub use super::import::FileProblem;
pub use super::zip::unzip;
pub use export::{export_json, export_tabular, MADE_UP_ORGANIZATION};
pub use json::{parse_hsds3_json, parse_json};
pub use tabular::parse_tabular;

/// Something wrong (or left out) in one place of one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportProblem {
    pub file: String,
    /// The line as a spreadsheet shows it (the header is line 1), for CSV.
    pub line: Option<u64>,
    /// Where in a JSON file ("service 2 (Community Counselling)"), or empty.
    pub place: String,
    pub message: String,
}

impl std::fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.place.is_empty()) {
            (Some(n), _) => write!(f, "{} line {}: {}", self.file, n, self.message),
            (None, false) => write!(f, "{}, {}: {}", self.file, self.place, self.message),
            (None, true) => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// How many records an import holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportCounts {
    pub organizations: usize,
    pub services: usize,
    /// Distinct locations of the services.
    pub locations: usize,
}

/// Why an imported service looks like one already in the directory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DuplicateReason {
    /// The same HSDS id: importing replaces it.
    SameId,
    /// Another id, but the same name and address (case and accents ignored).
    SameNameAndAddress,
}

/// An imported service that is probably one the directory already has.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Duplicate {
    /// Index into [`DirectoryImport::services`].
    pub new: usize,
    pub existing_id: String,
    pub existing_name: String,
    pub reason: DuplicateReason,
}

/// What the chosen files hold, checked: the preview the page shows before saving.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DirectoryImport {
    /// "HSDS 3 JSON", "HSDS 3 CSV package", "HSDS 1.1 CSV package".
    pub format: String,
    pub organizations: Vec<Organization>,
    pub services: Vec<Service>,
    pub counts: ImportCounts,
    /// Rows that are wrong; their service (or the phone, schedule, ... itself) is not imported.
    pub problems: Vec<ImportProblem>,
    /// Files and rows not used, or used in part, with the reason.
    pub notes: Vec<ImportProblem>,
    pub duplicates: Vec<Duplicate>,
}

impl DirectoryImport {
    fn finish(mut self, existing: &[Service]) -> DirectoryImport {
        let locations: HashSet<&str> = self.services.iter().flat_map(|s| s.locations.iter().map(|l| l.id.as_str())).collect();
        self.counts = ImportCounts { organizations: self.organizations.len(), services: self.services.len(), locations: locations.len() };
        self.duplicates = find_duplicates(&self.services, existing);
        for o in self.organizations.iter().filter(|o| o.description.starts_with(MADE_UP_ORGANIZATION)) {
            let message = format!(
                "organization '{}' was named by the CareCoord export that wrote this file (it had no record of it); check its name and details.",
                o.name
            );
            self.notes.push(ImportProblem { file: self.format.clone(), line: None, place: String::new(), message });
        }
        self
    }
}

/// The folded name and address a duplicate is recognised by.
pub fn duplicate_key(s: &Service) -> String {
    let squash = |t: &str| fold(t).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ");
    let address = s.address().map(|a| format!("{} {}", a.address_1, a.city)).unwrap_or_default();
    format!("{}|{}", squash(&s.name), squash(&address))
}

/// The services of `new` that are probably already in `existing`.
pub fn find_duplicates(new: &[Service], existing: &[Service]) -> Vec<Duplicate> {
    let by_id: HashMap<&str, &Service> = existing.iter().map(|s| (s.id.as_str(), s)).collect();
    let mut by_key: HashMap<String, &Service> = HashMap::new();
    for s in existing {
        by_key.entry(duplicate_key(s)).or_insert(s);
    }
    let mut out = Vec::new();
    for (i, s) in new.iter().enumerate() {
        let (found, reason) = match by_id.get(s.id.as_str()) {
            Some(e) => (Some(*e), DuplicateReason::SameId),
            None => (by_key.get(&duplicate_key(s)).copied(), DuplicateReason::SameNameAndAddress),
        };
        if let Some(e) = found {
            out.push(Duplicate { new: i, existing_id: e.id.clone(), existing_name: e.name.clone(), reason });
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// What the coordinator chose

/// Reads the files chosen on the import page: one HSDS JSON file, the CSV files with
/// `datapackage.json`, or a zip of any of these.
pub fn import_files(files: &[(String, Vec<u8>)], existing: &[Service]) -> Result<DirectoryImport, FileProblem> {
    let mut texts: Vec<(String, String)> = Vec::new();
    let mut notes = Vec::new();
    let read = |name: &str, bytes: &[u8], notes: &mut Vec<ImportProblem>| -> Result<(String, String), FileProblem> {
        let decoded = super::text::decode(bytes, &base_name(name))?;
        if decoded.note.is_some() {
            let message = "it was not UTF-8; read it as Windows-1252 (Excel's encoding). Check accented names in the preview.".to_string();
            notes.push(ImportProblem { file: base_name(name), line: None, place: String::new(), message });
        }
        Ok((name.to_string(), decoded.text))
    };
    for (name, bytes) in files {
        if bytes.starts_with(b"PK\x03\x04") || base_name(name).ends_with(".zip") {
            let entries = unzip(bytes).map_err(|e| FileProblem(format!("{}: {e}", base_name(name))))?;
            for (entry, data) in entries {
                texts.push(read(&entry, &data, &mut notes)?);
            }
        } else {
            texts.push(read(name, bytes, &mut notes)?);
        }
    }
    // A whole-package problem of files that came in a zip names the zip.
    let zips: Vec<String> = files.iter().filter(|(n, b)| b.starts_with(b"PK\x03\x04") || base_name(n).ends_with(".zip")).map(|(n, _)| base_name(n)).collect();
    let in_zip = |p: FileProblem| -> FileProblem {
        if zips.is_empty() {
            return p;
        }
        let mut c = p.0.chars();
        let message: String = c.next().map(|f| f.to_lowercase().chain(c).collect()).unwrap_or_default();
        FileProblem(format!("{}: {message}", zips.join(", ")))
    };
    if texts.is_empty() {
        let none = if zips.is_empty() { "No files were chosen." } else { "The zip holds no files." };
        return Err(in_zip(FileProblem(none.into())));
    }
    let is_csv = |n: &str| base_name(n).ends_with(".csv");
    let json: Vec<&(String, String)> = texts.iter().filter(|(n, _)| base_name(n).ends_with(".json") && base_name(n) != "datapackage.json").collect();
    let mut out = if texts.iter().any(|(n, _)| is_csv(n)) {
        for (n, _) in &json {
            notes.push(ImportProblem { file: base_name(n), line: None, place: String::new(), message: "a JSON file among CSV files; not used (import it on its own).".into() });
        }
        let csv: Vec<(String, String)> = texts.iter().filter(|(n, _)| !json.iter().any(|(j, _)| j == n)).cloned().collect();
        parse_tabular(&csv, existing).map_err(in_zip)?
    } else if json.len() == 1 {
        parse_json(&base_name(&json[0].0), &json[0].1, existing)?
    } else if json.len() > 1 {
        return Err(in_zip(FileProblem("Choose one HSDS JSON file at a time.".into())));
    } else {
        return Err(in_zip(FileProblem(
            "These are not HSDS files. Choose the HSDS CSV files with datapackage.json, a zip of them, or one HSDS JSON file.".into(),
        )));
    };
    out.notes.extend(notes);
    Ok(out)
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod export_tests;
