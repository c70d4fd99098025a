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

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, NaiveTime, SecondsFormat, Timelike};
use serde_json::{json, Map, Value};

use super::csv_read::CsvText;
use crate::model::directory::{
    categorize, derived_id, language_code, language_name, parse_byday, parse_time, Address, Category, Location, Organization, Phone,
    Schedule, Service, ServiceStatus, TaxonomyTerm, CARECOORD_TAXONOMY,
};
use crate::model::text::fold;
use crate::model::{dates, Timestamp};

pub use super::patients_csv::FileProblem;

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
// Field readers shared by JSON and CSV

/// A minimum or maximum age: a whole number of years (a JSON number or text).
fn parse_age(text: &str, label: &str) -> Result<Option<u32>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() && (0.0..=150.0).contains(&v) && v.fract() == 0.0 => Ok(Some(v as u32)),
        Ok(_) => Err(format!("{label} '{t}' is not an age in whole years")),
        Err(_) => Err(format!("{label} '{t}' is not a number")),
    }
}

/// A date (`2024-05-31`, a timestamp's date part, or `05/31/2024`), within
/// [`dates::FIRST_YEAR`]–[`dates::LAST_YEAR`].
fn parse_iso_date(text: &str, label: &str) -> Result<Option<NaiveDate>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let day = t.get(..10).unwrap_or(t);
    let parsed = NaiveDate::parse_from_str(day, "%Y-%m-%d").ok().or_else(|| crate::model::patient::parse_date(t));
    match parsed {
        Some(d) if dates::date_in_range(d) => Ok(Some(d)),
        Some(_) => Err(dates::outside_range(label, t)),
        None => Err(format!("{label} '{t}' is not a date (like 2024-05-31)")),
    }
}

/// A date and time (RFC 3339, or without a zone as UTC, or a date alone as its midnight),
/// within [`dates::FIRST_YEAR`]–[`dates::LAST_YEAR`].
fn parse_timestamp(text: &str, label: &str) -> Result<Option<Timestamp>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let parsed = chrono::DateTime::parse_from_rfc3339(t)
        .ok()
        .map(|dt| dt.to_utc())
        .or_else(|| {
            ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M"]
                .iter()
                .find_map(|f| chrono::NaiveDateTime::parse_from_str(t, f).ok())
                .map(|n| n.and_utc())
        });
    match parsed {
        Some(ts) if dates::timestamp_in_range(ts) => Ok(Some(ts)),
        Some(_) => Err(dates::outside_range(label, t)),
        None => match parse_iso_date(t, label) {
            Ok(d) => Ok(d.map(|d| d.and_time(NaiveTime::MIN).and_utc())),
            Err(e) if e.ends_with("is not a date (like 2024-05-31)") => {
                Err(format!("{label} '{t}' is not a date and time (like 2023-03-15T10:30:45Z)"))
            }
            Err(e) => Err(e),
        },
    }
}

fn parse_coordinate(text: &str, label: &str) -> Result<Option<f64>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<f64>().ok().filter(|v| v.is_finite()).map(Some).ok_or_else(|| format!("{label} '{t}' is not a number"))
}

/// A phone number without the stray quotes some exports put around it.
fn clean_number(s: &str) -> String {
    s.trim().trim_matches('"').trim().to_string()
}

/// The scalar fields of a service, read through `get` (a JSON object or a CSV row).
fn service_fields(get: &dyn Fn(&str) -> String) -> (Service, Vec<String>) {
    let mut errors = Vec::new();
    let mut s = Service {
        id: get("id"),
        organization_id: get("organization_id"),
        name: get("name"),
        alternate_name: get("alternate_name"),
        description: get("description"),
        url: get("url"),
        email: get("email"),
        application_process: get("application_process"),
        eligibility: get("eligibility_description"),
        ..Default::default()
    };
    s.fees = Some(get("fees_description")).filter(|f| !f.is_empty()).unwrap_or_else(|| get("fees"));
    if s.id.is_empty() {
        errors.push("the id is empty".to_string());
    }
    if s.name.is_empty() {
        errors.push("the name is empty".to_string());
    }
    let status = get("status");
    match (status.is_empty(), ServiceStatus::parse(&status)) {
        (true, _) => {}
        (false, Some(st)) => s.status = st,
        (false, None) => errors.push(format!("status '{status}' is not active, inactive, defunct or temporarily closed")),
    }
    let mut take = |r: Result<Option<u32>, String>| r.unwrap_or_else(|e| {
        errors.push(e);
        None
    });
    s.minimum_age = take(parse_age(&get("minimum_age"), "minimum age"));
    s.maximum_age = take(parse_age(&get("maximum_age"), "maximum age"));
    if let (Some(a), Some(b)) = (s.minimum_age, s.maximum_age) {
        if a > b {
            errors.push(format!("maximum age {b} is below the minimum age {a}"));
        }
    }
    match parse_iso_date(&get("assured_date"), "assured date") {
        Ok(d) => s.assured_date = d,
        Err(e) => errors.push(e),
    }
    match parse_timestamp(&get("last_modified"), "last modified") {
        Ok(t) => s.last_modified = t,
        Err(e) => errors.push(e),
    }
    (s, errors)
}

fn organization_fields(get: &dyn Fn(&str) -> String) -> (Organization, Vec<String>) {
    let o = Organization {
        id: get("id"),
        name: get("name"),
        alternate_name: get("alternate_name"),
        description: get("description"),
        email: get("email"),
        website: Some(get("website")).filter(|w| !w.is_empty()).unwrap_or_else(|| get("url")),
    };
    let mut errors = Vec::new();
    if o.id.is_empty() {
        errors.push("the id is empty".to_string());
    }
    if o.name.is_empty() {
        errors.push("the name is empty".to_string());
    }
    (o, errors)
}

fn address_fields(get: &dyn Fn(&str) -> String) -> Address {
    Address {
        id: get("id"),
        address_1: get("address_1"),
        address_2: [get("address_2"), get("address_3"), get("address_4")].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(", "),
        city: get("city"),
        state_province: get("state_province"),
        postal_code: get("postal_code"),
        country: get("country"),
    }
}

fn location_fields(get: &dyn Fn(&str) -> String) -> (Location, Vec<String>) {
    let mut errors = Vec::new();
    let mut coord = |k: &str, label: &str| parse_coordinate(&get(k), label).unwrap_or_else(|e| {
        errors.push(e);
        None
    });
    let l = Location {
        id: get("id"),
        name: get("name"),
        location_type: get("location_type"),
        address: Address::default(),
        latitude: coord("latitude", "latitude"),
        longitude: coord("longitude", "longitude"),
    };
    (l, errors)
}

fn phone_fields(get: &dyn Fn(&str) -> String) -> (Phone, Vec<String>) {
    let p = Phone { id: get("id"), number: clean_number(&get("number")), extension: get("extension"), kind: get("type"), description: get("description") };
    let errors = if p.number.is_empty() { vec!["the phone number is empty".to_string()] } else { Vec::new() };
    (p, errors)
}

fn schedule_fields(get: &dyn Fn(&str) -> String) -> (Schedule, Vec<String>) {
    let mut errors = Vec::new();
    let days_text = Some(get("byday")).filter(|d| !d.is_empty()).unwrap_or_else(|| get("weekday"));
    let days = parse_byday(&days_text).unwrap_or_else(|bad| {
        errors.push(format!("'{bad}' is not a day of the week (MO, TU, ... or Monday, ...)"));
        Vec::new()
    });
    let mut time = |k: &str, label: &str| {
        let t = get(k);
        if t.is_empty() {
            return None;
        }
        let parsed = parse_time(&t);
        if parsed.is_none() {
            errors.push(format!("{label} '{t}' is not a time (like 09:00)"));
        }
        parsed
    };
    let opens_at = time("opens_at", "opening time");
    let closes_at = time("closes_at", "closing time");
    (Schedule { id: get("id"), days, opens_at, closes_at, description: get("description") }, errors)
}

fn term_fields(get: &dyn Fn(&str) -> String) -> TaxonomyTerm {
    TaxonomyTerm {
        id: get("id"),
        code: get("code"),
        name: get("name"),
        taxonomy: Some(get("taxonomy")).filter(|t| !t.is_empty()).unwrap_or_else(|| get("vocabulary")),
    }
}

/// CareCoord's own terms become the categories; the rest stay terms.
fn settle_categories(s: &mut Service, terms: Vec<TaxonomyTerm>) {
    let (own, other): (Vec<TaxonomyTerm>, Vec<TaxonomyTerm>) =
        terms.into_iter().partition(|t| t.taxonomy.eq_ignore_ascii_case(CARECOORD_TAXONOMY));
    let mut seen = HashSet::new();
    s.taxonomy_terms = other.into_iter().filter(|t| seen.insert((t.id.clone(), t.code.clone(), t.name.clone()))).collect();
    let mut cats: Vec<Category> = own.iter().filter_map(|t| Category::parse(&t.code)).collect();
    cats.sort();
    cats.dedup();
    s.categories = if cats.is_empty() { categorize(&s.taxonomy_terms, &s.name, &s.description) } else { cats };
}

fn push_unique_by_id<T: Clone>(into: &mut Vec<T>, items: impl IntoIterator<Item = T>, id: impl Fn(&T) -> &str) {
    let mut seen: HashSet<String> = into.iter().map(|x| id(x).to_string()).collect();
    for item in items {
        if id(&item).is_empty() || seen.insert(id(&item).to_string()) {
            into.push(item);
        }
    }
}

/// Adds the languages of `names` that `into` does not have yet (case and accents ignored),
/// in order; a set of folded names keeps this linear for files with thousands of them.
fn add_languages(into: &mut Vec<String>, names: impl IntoIterator<Item = String>) {
    let mut seen: HashSet<String> = into.iter().map(|x| fold(x)).collect();
    for n in names {
        let n = language_name(&n);
        if !n.is_empty() && seen.insert(fold(&n)) {
            into.push(n);
        }
    }
}

// ---------------------------------------------------------------------------------------
// JSON

fn jstr(v: &Value, key: &str) -> String {
    match v.get(key) {
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

fn jarr<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[])
}

fn json_language(v: &Value) -> String {
    Some(jstr(v, "name")).filter(|n| !n.is_empty()).unwrap_or_else(|| jstr(v, "code"))
}

fn json_location(v: &Value) -> (Location, Vec<String>) {
    let (mut l, errors) = location_fields(&|k| jstr(v, k));
    let addresses = jarr(v, "addresses");
    let chosen = addresses.iter().find(|a| jstr(a, "address_type").eq_ignore_ascii_case("physical")).or(addresses.first());
    if let Some(a) = chosen {
        l.address = address_fields(&|k| jstr(a, k));
    }
    (l, errors)
}

struct JsonReader<'a> {
    file: &'a str,
    out: DirectoryImport,
    service_ids: HashSet<String>,
    org_ids: HashSet<String>,
}

impl JsonReader<'_> {
    fn problem(&mut self, place: String, message: String) {
        self.out.problems.push(ImportProblem { file: self.file.to_string(), line: None, place, message });
    }

    fn note(&mut self, place: String, message: String) {
        self.out.notes.push(ImportProblem { file: self.file.to_string(), line: None, place, message });
    }

    fn item(&mut self, v: &Value, place: String) {
        if !v.is_object() {
            self.problem(place, "this is not an HSDS object.".into());
            return;
        }
        let is_org = v.get("services").is_some() || (v.get("status").is_none() && (v.get("website").is_some() || v.get("legal_status").is_some() || v.get("tax_status").is_some()));
        if is_org {
            self.organization(v, &place);
        } else if let Some(service) = v.get("service").filter(|s| s.is_object()) {
            // A service at a location: the service, with this location.
            let extra = v.get("location").map(|l| vec![l.clone()]).unwrap_or_default();
            self.service(service, None, &extra, v, &[], &place);
        } else if v.get("name").is_some() || v.get("id").is_some() {
            self.service(v, None, &[], &Value::Null, &[], &place);
        } else {
            self.problem(place, "this is not an HSDS service or organization (it has no name).".into());
        }
    }

    fn organization(&mut self, v: &Value, place: &str) {
        let (org, errors) = organization_fields(&|k| jstr(v, k));
        let label = if place.is_empty() { format!("organization '{}'", org.name) } else { format!("{place}, organization '{}'", org.name) };
        if !errors.is_empty() {
            self.problem(label, format!("{}; its services are not imported.", errors.join("; ")));
            return;
        }
        if self.org_ids.insert(org.id.clone()) {
            self.out.organizations.push(org.clone());
        }
        for (i, s) in jarr(v, "services").iter().enumerate() {
            let p = format!("{label}, service {}", i + 1);
            self.service(s, Some(&org), &[], &Value::Null, jarr(v, "phones"), &p);
        }
    }

    /// A service object; `extra_locations`, `outer` (the service-at-location it came in) and
    /// `org_phones` (its organization's) add what the service object itself lacks.
    fn service(&mut self, v: &Value, org: Option<&Organization>, extra_locations: &[Value], outer: &Value, org_phones: &[Value], place: &str) {
        let (mut s, mut errors) = service_fields(&|k| jstr(v, k));
        let label = if place.is_empty() { format!("service '{}'", s.name) } else { format!("{place} ('{}')", s.name) };
        // The organization: nested, or the one the service sits in.
        let nested = v.get("organization").filter(|o| o.is_object()).map(|o| organization_fields(&|k| jstr(o, k)));
        match (org, nested) {
            (Some(o), _) => {
                s.organization_id = o.id.clone();
                s.organization_name = o.name.clone();
            }
            (None, Some((o, oe))) if oe.is_empty() => {
                s.organization_id = o.id.clone();
                s.organization_name = o.name.clone();
                if self.org_ids.insert(o.id.clone()) {
                    self.out.organizations.push(o);
                }
            }
            (None, Some((_, oe))) => errors.push(format!("its organization: {}", oe.join("; "))),
            (None, None) => {}
        }
        // Locations, with their phones, schedules and languages as fallbacks.
        let mut location_values: Vec<&Value> = jarr(v, "service_at_locations").iter().filter_map(|sal| sal.get("location")).collect();
        location_values.extend(jarr(v, "locations"));
        location_values.extend(extra_locations);
        let sals: Vec<&Value> = jarr(v, "service_at_locations").iter().chain(std::iter::once(outer)).collect();
        let mut good_locations = Vec::new();
        for lv in &location_values {
            let (l, le) = json_location(lv);
            if le.is_empty() {
                good_locations.push(l);
            } else {
                self.problem(label.clone(), format!("location '{}' is left out: {}.", l.name, le.join("; ")));
            }
        }
        push_unique_by_id(&mut s.locations, good_locations, |l| &l.id);
        let mut phone_errors = Vec::new();
        let mut phones = |values: &mut dyn Iterator<Item = &Value>| -> Vec<Phone> {
            values.filter_map(|p| {
                let (ph, pe) = phone_fields(&|k| jstr(p, k));
                if pe.is_empty() { Some(ph) } else { phone_errors.extend(pe); None }
            }).collect()
        };
        let own: Vec<Phone> = phones(&mut jarr(v, "phones").iter().chain(sals.iter().flat_map(|sal| jarr(sal, "phones"))));
        push_unique_by_id(&mut s.phones, own, |p| &p.id);
        if s.phones.is_empty() {
            let loc: Vec<Phone> = phones(&mut location_values.iter().flat_map(|l| jarr(l, "phones")));
            push_unique_by_id(&mut s.phones, loc, |p| &p.id);
        }
        if s.phones.is_empty() {
            let nested_org_phones = v.get("organization").map(|o| jarr(o, "phones")).unwrap_or(&[]);
            let org_level: Vec<Phone> = phones(&mut nested_org_phones.iter().chain(org_phones));
            push_unique_by_id(&mut s.phones, org_level, |p| &p.id);
        }
        for e in phone_errors {
            self.problem(label.clone(), format!("a phone is left out: {e}."));
        }
        let mut schedule_errors = Vec::new();
        let mut schedules = |values: &mut dyn Iterator<Item = &Value>| -> Vec<Schedule> {
            values.filter_map(|p| {
                let (sc, se) = schedule_fields(&|k| jstr(p, k));
                if se.is_empty() { Some(sc) } else { schedule_errors.extend(se); None }
            }).collect()
        };
        let own: Vec<Schedule> = schedules(&mut jarr(v, "schedules").iter().chain(sals.iter().flat_map(|sal| jarr(sal, "schedules"))));
        push_unique_by_id(&mut s.schedules, own, |p| &p.id);
        if s.schedules.is_empty() {
            let loc: Vec<Schedule> = schedules(&mut location_values.iter().flat_map(|l| jarr(l, "schedules")));
            push_unique_by_id(&mut s.schedules, loc, |p| &p.id);
        }
        for e in schedule_errors {
            self.problem(label.clone(), format!("a schedule is left out: {e}."));
        }
        add_languages(&mut s.languages, jarr(v, "languages").iter().map(json_language));
        if s.languages.is_empty() {
            let more: Vec<String> = location_values
                .iter()
                .flat_map(|l| jarr(l, "languages"))
                .chain(jarr(v, "phones").iter().flat_map(|p| jarr(p, "languages")))
                .map(json_language)
                .collect();
            add_languages(&mut s.languages, more);
        }
        let mut terms: Vec<TaxonomyTerm> = jarr(v, "attributes")
            .iter()
            .filter_map(|a| a.get("taxonomy_term"))
            .chain(jarr(v, "taxonomy_terms"))
            .map(|t| {
                let mut term = term_fields(&|k| jstr(t, k));
                if let Some(detail) = t.get("taxonomy_detail") {
                    let name = jstr(detail, "name");
                    if term.taxonomy.is_empty() && !name.is_empty() {
                        term.taxonomy = name;
                    }
                }
                term
            })
            .collect();
        terms.retain(|t| !t.name.is_empty() || !t.code.is_empty());
        settle_categories(&mut s, terms);

        if !errors.is_empty() {
            self.problem(label, format!("{}.", errors.join("; ")));
        } else if !self.service_ids.insert(s.id.clone()) {
            self.problem(label, format!("the id {} appears twice; the second is left out.", s.id));
        } else {
            self.out.services.push(s);
        }
    }
}

/// Reads one HSDS JSON file (see the module documentation). `file` names it in messages.
pub fn parse_json(file: &str, text: &str, existing: &[Service]) -> Result<DirectoryImport, FileProblem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(FileProblem(format!("{file}: the file is empty.")));
    }
    let value: Value = serde_json::from_str(text)
        .map_err(|e| FileProblem(format!("{file}: this is not JSON (line {}: {e}).", e.line())))?;
    // tabular.json: the CSV tables keyed by file name.
    if let Some(obj) = value.as_object().filter(|o| !o.is_empty() && o.keys().all(|k| k.ends_with(".csv"))) {
        let tables = obj.iter().map(|(name, rows)| (name.clone(), json_rows_to_csv(rows))).collect::<Vec<_>>();
        let mut out = parse_tabular(&tables, existing)?;
        out.format = "HSDS 3 tabular JSON".into();
        for p in out.problems.iter_mut().chain(out.notes.iter_mut()) {
            // Rows of a JSON table are items, not lines.
            if let Some(line) = p.line.take() {
                p.place = format!("row {}", line.saturating_sub(1));
            }
            p.file = format!("{file} ({})", p.file);
        }
        return Ok(out);
    }
    let mut reader = JsonReader { file, out: DirectoryImport { format: "HSDS 3 JSON".into(), ..Default::default() }, service_ids: HashSet::new(), org_ids: HashSet::new() };
    let items: Vec<(&Value, String)> = match &value {
        Value::Array(a) => a.iter().enumerate().map(|(i, v)| (v, format!("item {}", i + 1))).collect(),
        Value::Object(o) if o.get("contents").is_some_and(Value::is_array) => {
            let list = jarr(&value, "contents");
            let total = value.get("total_items").and_then(Value::as_u64);
            if let Some(total) = total.filter(|&t| t as usize > list.len()) {
                reader.note(String::new(), format!("this is page {} of a list of {total}; only its {} item(s) are here.", jstr(&value, "page_number"), list.len()));
            }
            list.iter().enumerate().map(|(i, v)| (v, format!("item {}", i + 1))).collect()
        }
        Value::Object(_) => vec![(&value, String::new())],
        _ => return Err(FileProblem(format!("{file}: this is not HSDS JSON (expected a service, an organization or a list of them)."))),
    };
    for (v, place) in items {
        reader.item(v, place);
    }
    Ok(reader.out.finish(existing))
}

/// The rows of a tabular.json table as CSV text (columns in first-seen order).
fn json_rows_to_csv(rows: &Value) -> String {
    let rows = rows.as_array().map(Vec::as_slice).unwrap_or(&[]);
    let mut headers: Vec<String> = Vec::new();
    for r in rows {
        if let Some(o) = r.as_object() {
            for k in o.keys() {
                if !headers.contains(k) {
                    headers.push(k.clone());
                }
            }
        }
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&headers).expect("writing to memory");
    for r in rows {
        let record: Vec<String> = headers.iter().map(|h| jstr(r, h)).collect();
        w.write_record(&record).expect("writing to memory");
    }
    String::from_utf8(w.into_inner().expect("writing to memory")).expect("UTF-8 in, UTF-8 out")
}

// ---------------------------------------------------------------------------------------
// The tabular package

struct Table {
    file: String,
    headers: Vec<String>,
    rows: Vec<(u64, Vec<String>)>,
}

impl Table {
    fn col(&self, names: &[&str]) -> Option<usize> {
        names.iter().find_map(|n| self.headers.iter().position(|h| h == n))
    }

    /// A getter for one row: the first of the column's names (aliases) that the file has.
    fn getter<'a>(&'a self, row: &'a [String]) -> impl Fn(&str) -> String + 'a {
        move |name: &str| {
            let aliases: &[&str] = match name {
                "eligibility_description" => &["eligibility_description", "eligibility"],
                "taxonomy" => &["taxonomy", "vocabulary"],
                "name" if self.headers.iter().any(|h| h == "language") && !self.headers.iter().any(|h| h == "name") => &["language"],
                _ => &[],
            };
            let idx = if aliases.is_empty() { self.col(&[name]) } else { self.col(aliases) };
            // A cell CareCoord's export neutralised ('-71.06, '+44 …) reads back as it was.
            idx.and_then(|i| row.get(i)).map(|s| super::csv_cell::unescape(s.trim()).trim().to_string()).unwrap_or_default()
        }
    }
}

/// The logical tables and the file names (and datapackage resource names) they come from.
const TABLES: &[(&str, &[&str])] = &[
    ("organizations", &["organizations.csv", "organization.csv", "@organization"]),
    ("services", &["services.csv", "service.csv", "@service"]),
    ("locations", &["locations.csv", "location.csv", "@location"]),
    ("service_at_location", &["service_at_location.csv", "services_at_location.csv", "service_at_locations.csv", "@service_at_location", "@services_at_location"]),
    ("addresses", &["addresses.csv", "physical_addresses.csv", "@address", "@physical_address"]),
    ("postal_addresses", &["postal_addresses.csv", "@postal_address"]),
    ("phones", &["phones.csv", "@phone"]),
    ("schedules", &["schedules.csv", "regular_schedules.csv", "@schedule", "@regular_schedule"]),
    ("languages", &["languages.csv", "@language"]),
    ("attributes", &["attributes.csv", "@attribute"]),
    ("services_taxonomy", &["services_taxonomy.csv", "service_taxonomy.csv", "@service_taxonomy"]),
    ("taxonomy_terms", &["taxonomy_terms.csv", "taxonomy.csv", "@taxonomy_term"]),
    ("taxonomies", &["taxonomies.csv"]),
    ("eligibility", &["eligibility.csv", "@eligibility"]),
    ("metadata", &["metadata.csv", "@metadata"]),
];

fn base_name(path: &str) -> String {
    path.rsplit(['/', '\\']).next().unwrap_or(path).trim().to_ascii_lowercase()
}

fn read_table(file: &str, text: &str, problems: &mut Vec<ImportProblem>) -> Option<Table> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let problem = |line: Option<u64>, message: String| ImportProblem { file: file.to_string(), line, place: String::new(), message };
    if text.trim().is_empty() {
        problems.push(problem(None, "the file is empty.".into()));
        return None;
    }
    let csv = CsvText::new(text);
    let mut reader = csv.rows();
    let headers: Vec<String> = match reader.header() {
        Ok(h) => h.iter().map(|h| h.trim().to_ascii_lowercase()).collect(),
        Err((line, why)) => {
            problems.push(problem(Some(line), format!("{why}.")));
            return None;
        }
    };
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    while let Some(next) = reader.next(&mut record) {
        match next {
            Ok(line) => rows.push((line, record.iter().map(str::to_string).collect())),
            Err(bad) => problems.push(problem(Some(bad.line()), format!("{}.", bad.reason("row")))),
        }
    }
    Some(Table { file: file.to_string(), headers, rows })
}

/// Reads the HSDS tabular package: CSV texts by file name (any folder; matched by their
/// base name, or by the paths `datapackage.json` gives its resources), and
/// `datapackage.json` when there is one.
pub fn parse_tabular(files: &[(String, String)], existing: &[Service]) -> Result<DirectoryImport, FileProblem> {
    let mut out = DirectoryImport::default();
    let note = |file: &str, line: Option<u64>, message: String| ImportProblem { file: file.to_string(), line, place: String::new(), message };

    // datapackage.json: which file holds which resource.
    let mut resource_paths: HashMap<String, String> = HashMap::new();
    let mut datapackage_version = String::new();
    for (name, text) in files.iter().filter(|(n, _)| base_name(n) == "datapackage.json") {
        match serde_json::from_str::<Value>(text.strip_prefix('\u{feff}').unwrap_or(text)) {
            Ok(dp) => {
                datapackage_version = jstr(&dp, "version");
                for r in jarr(&dp, "resources") {
                    let (rname, path) = (jstr(r, "name"), jstr(r, "path"));
                    if !rname.is_empty() && !path.is_empty() {
                        resource_paths.insert(rname.to_ascii_lowercase(), base_name(&path));
                    }
                }
            }
            Err(e) => out.problems.push(note(&base_name(name), None, format!("it cannot be read ({e}); the files are matched by their names."))),
        }
    }

    let csv_files: Vec<(String, &String)> = files.iter().filter(|(n, _)| base_name(n).ends_with(".csv")).map(|(n, t)| (base_name(n), t)).collect();
    for (name, _) in files.iter().filter(|(n, _)| !base_name(n).ends_with(".csv") && base_name(n) != "datapackage.json") {
        out.notes.push(note(&base_name(name), None, "not a CSV file of the package; not used.".into()));
    }
    if csv_files.is_empty() {
        return Err(FileProblem("There are no CSV files here. Choose the HSDS CSV files (services.csv, organizations.csv, ...) with datapackage.json, or a zip of them.".into()));
    }

    // Which file is which table.
    let mut chosen: HashMap<&str, (String, &String)> = HashMap::new();
    for (table, candidates) in TABLES {
        let found = candidates.iter().find_map(|c| {
            let wanted = match c.strip_prefix('@') {
                Some(resource) => resource_paths.get(resource)?.clone(),
                None => c.to_string(),
            };
            csv_files.iter().find(|(n, _)| *n == wanted).map(|(n, t)| (n.clone(), *t))
        });
        if let Some(f) = found {
            chosen.insert(table, f);
        }
    }
    let used: HashSet<&String> = chosen.values().map(|(n, _)| n).collect();
    for (name, _) in &csv_files {
        if !used.contains(name) {
            out.notes.push(note(name, None, "the directory does not use this table.".into()));
        }
    }
    let Some((services_file, _)) = chosen.get("services").cloned() else {
        return Err(FileProblem("There is no services.csv among these files; an HSDS package has services.csv with organizations.csv, locations.csv and the others.".into()));
    };
    let is_v1 = chosen.values().any(|(n, _)| matches!(n.as_str(), "services_at_location.csv" | "regular_schedules.csv" | "physical_addresses.csv" | "services_taxonomy.csv"))
        || datapackage_version.starts_with('1');
    out.format = if is_v1 { "HSDS 1.1 CSV package".into() } else { "HSDS 3 CSV package".into() };

    let mut tables: HashMap<&str, Table> = HashMap::new();
    for (table, (name, text)) in &chosen {
        if let Some(t) = read_table(name, text, &mut out.problems) {
            tables.insert(table, t);
        }
    }
    let empty = Table { file: String::new(), headers: Vec::new(), rows: Vec::new() };
    let table = |name: &str| tables.get(name).unwrap_or(&empty);
    let required = |t: &Table, cols: &[&str], problems: &mut Vec<ImportProblem>| -> bool {
        if t.file.is_empty() {
            return false;
        }
        let missing: Vec<&str> = cols.iter().copied().filter(|c| t.col(&[c]).is_none()).collect();
        if !missing.is_empty() {
            problems.push(note(&t.file, Some(1), format!("the column{} {} {} missing; the file is not used.", if missing.len() == 1 { "" } else { "s" }, missing.join(", "), if missing.len() == 1 { "is" } else { "are" })));
            return false;
        }
        true
    };

    // Organizations.
    let mut orgs: HashMap<String, Organization> = HashMap::new();
    let t = table("organizations");
    if required(t, &["id", "name"], &mut out.problems) {
        for (line, row) in &t.rows {
            let (o, errors) = organization_fields(&t.getter(row));
            if !errors.is_empty() {
                out.problems.push(note(&t.file, Some(*line), format!("{}.", errors.join("; "))));
            } else if orgs.contains_key(&o.id) {
                out.problems.push(note(&t.file, Some(*line), format!("the id {} appears twice; the second is left out.", o.id)));
            } else {
                orgs.insert(o.id.clone(), o.clone());
                out.organizations.push(o);
            }
        }
    }

    // Taxonomy terms (and the names of their taxonomies).
    let mut taxonomy_names: HashMap<String, String> = HashMap::new();
    let t = table("taxonomies");
    for (_, row) in &t.rows {
        let g = t.getter(row);
        taxonomy_names.insert(g("id"), g("name"));
    }
    let mut terms: HashMap<String, TaxonomyTerm> = HashMap::new();
    let t = table("taxonomy_terms");
    if required(t, &["id", "name"], &mut out.problems) {
        for (line, row) in &t.rows {
            let g = t.getter(row);
            let mut term = term_fields(&g);
            if term.taxonomy.is_empty() {
                term.taxonomy = taxonomy_names.get(&g("taxonomy_id")).cloned().unwrap_or_default();
            }
            if term.id.is_empty() {
                out.problems.push(note(&t.file, Some(*line), "the id is empty.".into()));
            } else {
                terms.insert(term.id.clone(), term);
            }
        }
    }

    // Locations with their addresses.
    let mut locations: HashMap<String, Location> = HashMap::new();
    let mut location_lines: HashMap<String, u64> = HashMap::new();
    let t = table("locations");
    if required(t, &["id"], &mut out.problems) {
        for (line, row) in &t.rows {
            let (l, errors) = location_fields(&t.getter(row));
            if l.id.is_empty() {
                out.problems.push(note(&t.file, Some(*line), "the id is empty.".into()));
            } else if !errors.is_empty() {
                out.problems.push(note(&t.file, Some(*line), format!("{}; this location is left off its services.", errors.join("; "))));
            } else if locations.contains_key(&l.id) {
                out.problems.push(note(&t.file, Some(*line), format!("the id {} appears twice; the second is left out.", l.id)));
            } else {
                location_lines.insert(l.id.clone(), *line);
                locations.insert(l.id.clone(), l);
            }
        }
    }
    for (table_name, postal) in [("addresses", false), ("postal_addresses", true)] {
        let t = table(table_name);
        if !required(t, &["location_id"], &mut out.problems) {
            continue;
        }
        for (line, row) in &t.rows {
            let g = t.getter(row);
            let a = address_fields(&g);
            let physical = !postal && !g("address_type").eq_ignore_ascii_case("postal");
            match locations.get_mut(&g("location_id")) {
                Some(l) if l.address.is_empty() || (physical && l.address.id.is_empty()) => l.address = a,
                Some(l) if physical && !l.address.is_empty() => {
                    out.notes.push(note(&t.file, Some(*line), format!("location '{}' already has an address; this one is not used.", l.name)));
                }
                Some(_) => out.notes.push(note(&t.file, Some(*line), "a postal address; the location's street address is used instead.".into())),
                None => out.notes.push(note(&t.file, Some(*line), format!("location {} is not in the locations file; not used.", g("location_id")))),
            }
        }
    }

    // Services.
    let mut services: Vec<Service> = Vec::new();
    let mut service_index: HashMap<String, usize> = HashMap::new();
    let mut service_lines: Vec<u64> = Vec::new();
    let mut bad_services: HashSet<String> = HashSet::new();
    let mut service_errors: Vec<Vec<String>> = Vec::new();
    let t = table("services");
    if !required(t, &["id", "name"], &mut out.problems) {
        return Err(FileProblem(out.problems.iter().map(ToString::to_string).collect::<Vec<_>>().join(" ")));
    }
    for (line, row) in &t.rows {
        let g = t.getter(row);
        let (mut s, errors) = service_fields(&g);
        if let Some(o) = orgs.get(&s.organization_id) {
            s.organization_name = o.name.clone();
        } else if !s.organization_id.is_empty() && errors.is_empty() {
            out.notes.push(note(&t.file, Some(*line), format!("organization {} is not in organizations.csv; '{}' is imported without one.", s.organization_id, s.name)));
        }
        // HSDS 1.1: taxonomy_ids in the row.
        let ids = g("taxonomy_ids");
        let mut row_terms = Vec::new();
        for id in ids.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            match terms.get(id) {
                Some(term) => row_terms.push(term.clone()),
                None => out.notes.push(note(&t.file, Some(*line), format!("taxonomy term {id} is not in the taxonomy file; not used."))),
            }
        }
        s.taxonomy_terms = row_terms;
        if errors.is_empty() && service_index.contains_key(&s.id) {
            out.problems.push(note(&t.file, Some(*line), format!("the id {} appears twice; the second is left out.", s.id)));
            continue;
        }
        if !errors.is_empty() {
            bad_services.insert(s.id.clone());
        }
        service_index.entry(s.id.clone()).or_insert(services.len());
        services.push(s);
        service_lines.push(*line);
        service_errors.push(errors);
    }

    // Service at location.
    let mut sal_service: HashMap<String, usize> = HashMap::new();
    let mut services_at: HashMap<String, Vec<usize>> = HashMap::new();
    // (service, location) pairs already linked: a repeated row adds nothing (and a set
    // keeps thousands of rows linear).
    let mut linked: HashSet<(usize, String)> = HashSet::new();
    let t = table("service_at_location");
    if required(t, &["service_id", "location_id"], &mut out.problems) {
        for (line, row) in &t.rows {
            let g = t.getter(row);
            let (sid, lid) = (g("service_id"), g("location_id"));
            let Some(&si) = service_index.get(&sid) else {
                if !bad_services.contains(&sid) {
                    out.notes.push(note(&t.file, Some(*line), format!("service {sid} is not in services.csv; not used.")));
                }
                continue;
            };
            sal_service.insert(g("id"), si);
            match locations.get(&lid) {
                Some(l) => {
                    if linked.insert((si, lid.clone())) {
                        services[si].locations.push(l.clone());
                        services_at.entry(lid).or_default().push(si);
                    }
                }
                None if location_lines.contains_key(&lid) => {}
                None => out.notes.push(note(&t.file, Some(*line), format!("location {lid} is not in the locations file; not used."))),
            }
        }
    }
    let mut services_of_org: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, s) in services.iter().enumerate() {
        services_of_org.entry(s.organization_id.clone()).or_default().push(i);
    }

    // Which services a phone, schedule or language row belongs to: its service, else its
    // service at location; else (as a fallback, see `Layer`) its location's or organization's.
    #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
    enum Layer {
        Service,
        Location,
        Organization,
    }
    let targets = |g: &dyn Fn(&str) -> String, use_org: bool| -> Option<(Layer, Vec<usize>)> {
        if let Some(&i) = service_index.get(&g("service_id")) {
            return Some((Layer::Service, vec![i]));
        }
        if let Some(&i) = sal_service.get(&g("service_at_location_id")) {
            return Some((Layer::Service, vec![i]));
        }
        if let Some(v) = services_at.get(&g("location_id")) {
            return Some((Layer::Location, v.clone()));
        }
        if use_org {
            if let Some(v) = services_of_org.get(&g("organization_id")).filter(|_| !g("organization_id").is_empty()) {
                return Some((Layer::Organization, v.clone()));
            }
        }
        None
    };
    let unlinked = |g: &dyn Fn(&str) -> String| -> String {
        let links: Vec<String> = ["service_id", "service_at_location_id", "location_id", "organization_id"]
            .iter()
            .filter_map(|k| Some(g(k)).filter(|v| !v.is_empty()).map(|v| format!("{} {v}", k.trim_end_matches("_id").replace('_', " "))))
            .collect();
        if links.is_empty() {
            "it links to no service; not used.".into()
        } else {
            format!("it links to {}, not to a service imported here; not used.", links.join(", "))
        }
    };
    let link_is_bad_service = |g: &dyn Fn(&str) -> String| bad_services.contains(&g("service_id"));

    // Phones.
    let mut phone_layers: Vec<Vec<(Layer, Phone, String)>> = vec![Vec::new(); services.len()];
    let t = table("phones");
    if required(t, &["number"], &mut out.problems) {
        for (line, row) in &t.rows {
            let g = t.getter(row);
            let (p, errors) = phone_fields(&g);
            if !errors.is_empty() {
                out.problems.push(note(&t.file, Some(*line), format!("{}.", errors.join("; "))));
                continue;
            }
            match targets(&g, true) {
                Some((layer, v)) => {
                    for i in v {
                        // HSDS 1.1 phones have a `language` column ("en, es").
                        phone_layers[i].push((layer, p.clone(), g("language")));
                    }
                }
                None if link_is_bad_service(&g) => {}
                None => out.notes.push(note(&t.file, Some(*line), unlinked(&g))),
            }
        }
    }
    let mut phone_languages: Vec<Vec<String>> = vec![Vec::new(); services.len()];
    for (i, layers) in phone_layers.into_iter().enumerate() {
        let best = layers.iter().map(|(l, _, _)| *l).min();
        let chosen: Vec<(Phone, String)> = layers.into_iter().filter(|(l, _, _)| Some(*l) == best).map(|(_, p, l)| (p, l)).collect();
        phone_languages[i] = chosen.iter().flat_map(|(_, l)| crate::model::directory::parse_languages(l)).collect();
        push_unique_by_id(&mut services[i].phones, chosen.into_iter().map(|(p, _)| p), |p| &p.id);
    }

    // Schedules.
    let mut schedule_layers: Vec<Vec<(Layer, Schedule)>> = vec![Vec::new(); services.len()];
    let t = table("schedules");
    if !t.file.is_empty() {
        for (line, row) in &t.rows {
            let g = t.getter(row);
            let (s, errors) = schedule_fields(&g);
            if !errors.is_empty() {
                out.problems.push(note(&t.file, Some(*line), format!("{}; this schedule is left out.", errors.join("; "))));
                continue;
            }
            match targets(&g, false) {
                Some((layer, v)) => {
                    for i in v {
                        schedule_layers[i].push((layer, s.clone()));
                    }
                }
                None if link_is_bad_service(&g) => {}
                None => out.notes.push(note(&t.file, Some(*line), unlinked(&g))),
            }
        }
    }
    for (i, layers) in schedule_layers.into_iter().enumerate() {
        let best = layers.iter().map(|(l, _)| *l).min();
        let chosen: Vec<Schedule> = layers.into_iter().filter(|(l, _)| Some(*l) == best).map(|(_, s)| s).collect();
        push_unique_by_id(&mut services[i].schedules, chosen, |s| &s.id);
    }

    // Languages.
    let mut language_layers: Vec<Vec<(Layer, String)>> = vec![Vec::new(); services.len()];
    let t = table("languages");
    if !t.file.is_empty() {
        for (line, row) in &t.rows {
            let g = t.getter(row);
            let name = Some(g("name")).filter(|n| !n.is_empty()).unwrap_or_else(|| g("code"));
            if name.is_empty() {
                out.problems.push(note(&t.file, Some(*line), "the language is empty.".into()));
                continue;
            }
            match targets(&g, false) {
                Some((layer, v)) => {
                    for i in v {
                        language_layers[i].push((layer, name.clone()));
                    }
                }
                None if link_is_bad_service(&g) => {}
                None if !g("phone_id").is_empty() => {
                    out.notes.push(note(&t.file, Some(*line), "a phone's language; not used.".into()))
                }
                None => out.notes.push(note(&t.file, Some(*line), unlinked(&g))),
            }
        }
    }
    for (i, layers) in language_layers.into_iter().enumerate() {
        let best = layers.iter().map(|(l, _)| *l).min();
        add_languages(&mut services[i].languages, layers.into_iter().filter(|(l, _)| Some(*l) == best).map(|(_, n)| n));
        // No language rows: the languages its phones are answered in.
        if services[i].languages.is_empty() {
            add_languages(&mut services[i].languages, std::mem::take(&mut phone_languages[i]));
        }
    }

    // Taxonomy links: HSDS 3 attributes, HSDS 1.1 services_taxonomy.
    for (table_name, link_col, term_col) in [("attributes", "link_id", "taxonomy_term_id"), ("services_taxonomy", "service_id", "taxonomy_id")] {
        let t = table(table_name);
        if !required(t, &[link_col, term_col], &mut out.problems) {
            continue;
        }
        for (line, row) in &t.rows {
            let g = t.getter(row);
            let (link, term_id) = (g(link_col), g(term_col));
            let Some(&si) = service_index.get(&link) else {
                if !bad_services.contains(&link) {
                    let entity = g("link_entity");
                    let what = if entity.is_empty() || entity == "service" || entity == "link_entity" { String::new() } else { format!(" (a {entity})") };
                    out.notes.push(note(&t.file, Some(*line), format!("it links to {link}{what}, not to a service imported here; not used.")));
                }
                continue;
            };
            match terms.get(&term_id) {
                Some(term) => services[si].taxonomy_terms.push(term.clone()),
                None => out.notes.push(note(&t.file, Some(*line), format!("taxonomy term {term_id} is not in the taxonomy file; not used."))),
            }
        }
    }

    // HSDS 1.1 eligibility rows.
    let t = table("eligibility");
    for (line, row) in &t.rows {
        let g = t.getter(row);
        match service_index.get(&g("service_id")) {
            Some(&i) => {
                let e = g("eligibility");
                let s = &mut services[i];
                if !e.is_empty() && !s.eligibility.contains(&e) {
                    s.eligibility = if s.eligibility.is_empty() { e } else { format!("{}; {e}", s.eligibility) };
                }
            }
            None if link_is_bad_service(&g) => {}
            None => out.notes.push(note(&t.file, Some(*line), unlinked(&g))),
        }
    }

    // Metadata: the latest change to a service stands for its last_modified when it has none.
    let t = table("metadata");
    let mut latest: HashMap<usize, Timestamp> = HashMap::new();
    for (line, row) in &t.rows {
        let g = t.getter(row);
        let Some(&i) = service_index.get(&g("resource_id")) else { continue };
        match parse_timestamp(&g("last_action_date"), "last action date") {
            Ok(Some(ts)) => {
                let e = latest.entry(i).or_insert(ts);
                *e = (*e).max(ts);
            }
            Ok(None) => {}
            Err(e) => out.notes.push(note(&t.file, Some(*line), format!("{e}; not used."))),
        }
    }
    for (i, ts) in latest {
        if services[i].last_modified.is_none() {
            services[i].last_modified = Some(ts);
        }
    }

    for (i, mut s) in services.into_iter().enumerate() {
        if !service_errors[i].is_empty() {
            out.problems.push(note(&services_file, Some(service_lines[i]), format!("{}.", service_errors[i].join("; "))));
            continue;
        }
        let terms = std::mem::take(&mut s.taxonomy_terms);
        settle_categories(&mut s, terms);
        out.services.push(s);
    }
    out.problems.sort_by(|a, b| (a.file.as_str(), a.line).cmp(&(b.file.as_str(), b.line)));
    Ok(out.finish(existing))
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

// ---------------------------------------------------------------------------------------
// Zip

/// The most a zip may unpack to (a guard against a zip bomb), counted as the sum of the
/// sizes its entries declare (each entry is then held to its declared size).
const UNZIP_LIMIT: u64 = 200 * 1024 * 1024;

fn crc32(data: &[u8]) -> u32 {
    let mut table = [0u32; 256];
    for (i, slot) in table.iter_mut().enumerate() {
        let mut c = i as u32;
        for _ in 0..8 {
            c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
        }
        *slot = c;
    }
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc = table[((crc ^ b as u32) & 0xFF) as usize] ^ (crc >> 8);
    }
    crc ^ 0xFFFF_FFFF
}

/// The files in a zip (stored or deflated entries), with their paths; folders, and the
/// `__MACOSX/` and hidden files a Mac adds, are left out. `Err` says why it cannot be read,
/// naming the entry when one is at fault. Every offset and size comes from the file and is
/// checked (no arithmetic that can overflow, no slice that can fall outside the bytes), so
/// a damaged or hostile zip is refused, never a panic.
pub fn unzip(bytes: &[u8]) -> Result<Vec<(String, Vec<u8>)>, String> {
    let u16_at = |i: usize, off: usize| -> Option<usize> {
        let start = i.checked_add(off)?;
        bytes.get(start..start.checked_add(2)?).map(|b| usize::from(u16::from_le_bytes([b[0], b[1]])))
    };
    let u32_at = |i: usize, off: usize| -> Option<u32> {
        let start = i.checked_add(off)?;
        bytes.get(start..start.checked_add(4)?).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let len = bytes.len();
    let damaged = || "the zip file is damaged or incomplete.".to_string();
    // The end of central directory record is in the last 22 + 65,535 bytes.
    let search_from = len.saturating_sub(22 + 65_535);
    let eocd = (search_from..len.saturating_sub(21)).rev().find(|&i| u32_at(i, 0) == Some(0x0605_4b50)).ok_or_else(|| {
        if bytes.starts_with(b"PK") { damaged() } else { "this is not a zip file.".to_string() }
    })?;
    let count = u16_at(eocd, 10).ok_or_else(damaged)?;
    let directory = u32_at(eocd, 16).ok_or_else(damaged)?;
    if count == 0xFFFF || directory == 0xFFFF_FFFF {
        return Err("this zip uses the ZIP64 format, which is not supported; zip fewer or smaller files.".into());
    }
    let mut pos = usize::try_from(directory).ok().filter(|&p| p <= len).ok_or_else(|| {
        format!("the zip's list of files is said to start at byte {directory}, past its end ({len} bytes); the zip is damaged or incomplete.")
    })?;
    let mut out = Vec::new();
    let mut total: u64 = 0;
    for n in 1..=count {
        let entry_damaged = || format!("entry {n} of {count} in the zip's list of files is damaged or missing; the zip is damaged or incomplete.");
        if u32_at(pos, 0) != Some(0x0201_4b50) {
            return Err(entry_damaged());
        }
        let field16 = |off: usize| u16_at(pos, off).ok_or_else(entry_damaged);
        let field32 = |off: usize| u32_at(pos, off).ok_or_else(entry_damaged);
        let (flags, method, crc) = (field16(8)?, field16(10)?, field32(16)?);
        let (compressed, size, local) = (field32(20)?, field32(24)?, field32(42)?);
        let (name_len, extra_len, comment_len) = (field16(28)?, field16(30)?, field16(32)?);
        let name_start = pos.checked_add(46).ok_or_else(entry_damaged)?;
        let name_end = name_start.checked_add(name_len).ok_or_else(entry_damaged)?;
        let name_bytes = bytes.get(name_start..name_end).ok_or_else(entry_damaged)?;
        let name = String::from_utf8_lossy(name_bytes).replace('\\', "/");
        pos = name_end.checked_add(extra_len).and_then(|p| p.checked_add(comment_len)).ok_or_else(entry_damaged)?;

        let base = name.rsplit('/').next().unwrap_or("");
        if name.ends_with('/') || name.starts_with("__MACOSX/") || base.starts_with('.') || base.is_empty() {
            continue;
        }
        if flags & 1 != 0 {
            return Err(format!("{name} is encrypted; zip the files without a password."));
        }
        let lying = |what: String| format!("{name} in the zip {what} past the end of the file ({len} bytes); the zip is damaged or incomplete.");
        let local_at = usize::try_from(local).ok().filter(|&l| u32_at(l, 0) == Some(0x0403_4b50));
        let Some(local_at) = local_at else {
            return Err(format!("{name} in the zip is said to start at byte {local}, but no file starts there; the zip is damaged or incomplete."));
        };
        let header_len = u16_at(local_at, 26).zip(u16_at(local_at, 28)).map(|(a, b)| 30 + a + b);
        let data_start = header_len.and_then(|h| local_at.checked_add(h)).filter(|&s| s <= len);
        let Some(data_start) = data_start else {
            return Err(lying(format!("has a header at byte {local} that runs")));
        };
        let data = usize::try_from(compressed)
            .ok()
            .and_then(|c| data_start.checked_add(c))
            .and_then(|end| bytes.get(data_start..end))
            .ok_or_else(|| lying(format!("is said to be {compressed} bytes from byte {data_start}, which runs")))?;
        total = total.saturating_add(u64::from(size));
        if total > UNZIP_LIMIT {
            return Err(format!("the zip unpacks to more than 200 MB (counting up to {name}); that is too large for a resource directory."));
        }
        let size = usize::try_from(size).map_err(|_| format!("{name} in the zip is too large ({size} bytes)."))?;
        let content = match method {
            0 => data.to_vec(),
            8 => miniz_oxide::inflate::decompress_to_vec_with_limit(data, size.max(1))
                .map_err(|_| format!("{name} in the zip cannot be unpacked (damaged, or larger than the {size} bytes it says)."))?,
            m => return Err(format!("{name} is compressed with method {m}, which is not supported; use ordinary (deflate) zip.")),
        };
        if content.len() != size || crc32(&content) != crc {
            return Err(format!("{name} in the zip is damaged (its size or checksum does not match)."));
        }
        out.push((name, content));
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// Export

fn time_text(t: Option<NaiveTime>) -> String {
    t.map(|t| format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second())).unwrap_or_default()
}

fn timestamp_text(t: Option<Timestamp>) -> String {
    t.map(|t| t.to_rfc3339_opts(SecondsFormat::AutoSi, true)).unwrap_or_default()
}

fn category_term(c: Category) -> TaxonomyTerm {
    TaxonomyTerm { id: derived_id("carecoord-category", c.code()), code: c.code().into(), name: c.label().into(), taxonomy: CARECOORD_TAXONOMY.into() }
}

fn all_terms(s: &Service) -> Vec<TaxonomyTerm> {
    s.taxonomy_terms.iter().cloned().chain(s.categories.iter().map(|c| category_term(*c))).collect()
}

fn language_id(s: &Service, name: &str) -> String {
    derived_id(&s.id, &format!("language:{name}"))
}

fn opt_num(v: Option<u32>) -> Value {
    v.map_or(Value::Null, |n| json!(n))
}

fn opt_str(s: &str) -> Value {
    if s.is_empty() { Value::Null } else { json!(s) }
}

fn service_json(s: &Service) -> Value {
    json!({
        "id": s.id,
        "name": s.name,
        "alternate_name": opt_str(&s.alternate_name),
        "description": opt_str(&s.description),
        "url": opt_str(&s.url),
        "email": opt_str(&s.email),
        "status": s.status.code(),
        "application_process": opt_str(&s.application_process),
        "fees_description": opt_str(&s.fees),
        "eligibility_description": opt_str(&s.eligibility),
        "minimum_age": opt_num(s.minimum_age),
        "maximum_age": opt_num(s.maximum_age),
        "assured_date": s.assured_date.map_or(Value::Null, |d| json!(d.to_string())),
        "last_modified": opt_str(&timestamp_text(s.last_modified)),
        "phones": s.phones.iter().map(|p| json!({
            "id": p.id, "number": p.number, "extension": opt_str(&p.extension), "type": opt_str(&p.kind), "description": opt_str(&p.description),
        })).collect::<Vec<_>>(),
        "schedules": s.schedules.iter().map(|sc| json!({
            "id": sc.id, "freq": "WEEKLY", "byday": opt_str(&sc.byday()), "opens_at": opt_str(&time_text(sc.opens_at)),
            "closes_at": opt_str(&time_text(sc.closes_at)), "description": opt_str(&sc.description),
        })).collect::<Vec<_>>(),
        "languages": s.languages.iter().map(|l| json!({"id": language_id(s, l), "name": l, "code": language_code(l)})).collect::<Vec<_>>(),
        "service_at_locations": s.locations.iter().map(|l| json!({
            "id": derived_id(&s.id, &format!("at:{}", l.id)),
            "location": {
                "id": l.id, "name": opt_str(&l.name), "location_type": opt_str(&l.location_type),
                "latitude": l.latitude, "longitude": l.longitude,
                "addresses": if l.address.is_empty() && l.address.id.is_empty() { vec![] } else { vec![json!({
                    "id": l.address.id, "address_1": l.address.address_1, "address_2": opt_str(&l.address.address_2), "city": l.address.city,
                    "state_province": l.address.state_province, "postal_code": l.address.postal_code, "country": l.address.country,
                    "address_type": "physical",
                })] },
            },
        })).collect::<Vec<_>>(),
        "attributes": all_terms(s).iter().map(|t| json!({
            "id": derived_id(&s.id, &format!("attribute:{}", t.id)), "link_type": "service_category", "link_entity": "service",
            "taxonomy_term": {"id": t.id, "code": opt_str(&t.code), "name": t.name, "taxonomy": opt_str(&t.taxonomy)},
        })).collect::<Vec<_>>(),
    })
}

fn organization_json(o: &Organization) -> Map<String, Value> {
    let v = json!({
        "id": o.id, "name": o.name, "alternate_name": opt_str(&o.alternate_name), "description": opt_str(&o.description),
        "email": opt_str(&o.email), "website": opt_str(&o.website),
    });
    v.as_object().cloned().unwrap_or_default()
}

/// How the description of an organization that the export made up begins (see
/// [`with_organizations`]); the import notes such organizations in its preview.
pub const MADE_UP_ORGANIZATION: &str = "To review: CareCoord had no record of this organization";

/// The directory as it is exported, every service with an organization that HSDS readers
/// (CareCoord's too) accept. A service whose organization is missing (an HSDS 1.1
/// package without organizations.csv, a JSON service without one) or has no name would
/// otherwise go out with no organization, or one with an empty name that the import
/// refuses with its services. It gets one: with the organization id it names (or one made
/// from its own id), named after what is known (the organization name the service
/// carries, else the service itself), and flagged for review in its description, which
/// begins with [`MADE_UP_ORGANIZATION`]. (An organization has no review date of its own;
/// the services' `assured_date` stays as it is, since what they say was checked.)
/// Nothing else of the services changes.
fn with_organizations(organizations: &[Organization], services: &[Service]) -> (Vec<Organization>, Vec<Service>) {
    let named = |o: &Organization| !o.name.trim().is_empty();
    let known: HashSet<&str> = organizations.iter().filter(|o| named(o)).map(|o| o.id.as_str()).collect();
    let unnamed: HashMap<&str, &Organization> = organizations.iter().filter(|o| !named(o)).map(|o| (o.id.as_str(), o)).collect();
    let mut orgs: Vec<Organization> = organizations.iter().filter(|o| named(o)).cloned().collect();
    let mut made: HashSet<String> = HashSet::new();
    let made_up = |base: Option<&Organization>, id: &str, name: &str, after: String| {
        let base = base.cloned().unwrap_or_default();
        let note = format!("{MADE_UP_ORGANIZATION} when it exported the directory, and named it after {after}. Check its name and details.");
        let description = if base.description.trim().is_empty() { note } else { format!("{note}\n\n{}", base.description) };
        Organization { id: id.to_string(), name: name.to_string(), description, ..base }
    };
    let mut out = services.to_vec();
    for s in &mut out {
        if s.organization_id.trim().is_empty() {
            s.organization_id = derived_id(&s.id, "organization");
        }
        if known.contains(s.organization_id.as_str()) || made.contains(&s.organization_id) {
            continue;
        }
        let (name, after) = if !s.organization_name.trim().is_empty() {
            (s.organization_name.trim().to_string(), format!("the name its service '{}' gives it", s.name))
        } else if !s.name.trim().is_empty() {
            (s.name.trim().to_string(), "its service".to_string())
        } else {
            ("Unnamed organization".to_string(), "nothing (its service has no name either)".to_string())
        };
        orgs.push(made_up(unnamed.get(s.organization_id.as_str()).copied(), &s.organization_id, &name, after));
        made.insert(s.organization_id.clone());
    }
    // Organizations without a name or a service: kept, so that nothing is lost.
    for o in organizations.iter().filter(|o| !named(o) && !made.contains(&o.id)) {
        orgs.push(made_up(Some(o), &o.id, "Unnamed organization", "nothing (it had no name and no service)".into()));
    }
    (orgs, out)
}

/// The whole directory as HSDS 3 JSON: an array of organizations, each with its
/// `services` (service_full objects without the nested organization); every service has
/// one (see [`with_organizations`]).
pub fn export_json(organizations: &[Organization], services: &[Service]) -> String {
    let (organizations, services) = with_organizations(organizations, services);
    let mut by_organization: HashMap<&str, Vec<Value>> = HashMap::new();
    for s in &services {
        by_organization.entry(s.organization_id.as_str()).or_default().push(service_json(s));
    }
    let items: Vec<Value> = organizations
        .iter()
        .map(|o| {
            let mut obj = organization_json(o);
            obj.insert("services".into(), Value::Array(by_organization.remove(o.id.as_str()).unwrap_or_default()));
            Value::Object(obj)
        })
        .collect();
    serde_json::to_string_pretty(&Value::Array(items)).expect("JSON values always serialize")
}

/// One CSV file of the package, CRLF like the HSDS examples, every cell through
/// [`super::csv_cell`] (the import takes its quote off again, see `Table::getter`).
fn csv_text(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut w = super::csv_cell::SafeCsv::new(headers, super::csv_cell::LineEnd::CrLf);
    for r in rows {
        w.row(r);
    }
    w.finish()
}

/// The whole directory as the HSDS 3 tabular package: (file name, text) for each CSV and
/// `datapackage.json`.
/// Every service has an organization (see [`with_organizations`]).
pub fn export_tabular(organizations: &[Organization], services: &[Service]) -> Vec<(String, String)> {
    let (organizations, services) = with_organizations(organizations, services);
    let (organizations, services) = (organizations.as_slice(), services.as_slice());
    let num = |v: Option<u32>| v.map(|n| n.to_string()).unwrap_or_default();
    let coord = |v: Option<f64>| v.map(|n| n.to_string()).unwrap_or_default();
    // (datapackage resource name, file, header, rows)
    type TableOut<'a> = (&'a str, &'a str, Vec<&'a str>, Vec<Vec<String>>);
    let mut tables: Vec<TableOut> = Vec::new();

    let org_rows = organizations
        .iter()
        .map(|o| vec![o.id.clone(), o.name.clone(), o.alternate_name.clone(), o.description.clone(), o.email.clone(), o.website.clone()])
        .collect();
    tables.push(("organization", "organizations.csv", vec!["id", "name", "alternate_name", "description", "email", "website"], org_rows));

    let service_rows = services
        .iter()
        .map(|s| {
            vec![
                s.id.clone(), s.organization_id.clone(), s.name.clone(), s.alternate_name.clone(), s.description.clone(), s.url.clone(),
                s.email.clone(), s.status.code().into(), s.application_process.clone(), s.fees.clone(), s.eligibility.clone(),
                num(s.minimum_age), num(s.maximum_age), s.assured_date.map(|d| d.to_string()).unwrap_or_default(),
                timestamp_text(s.last_modified),
            ]
        })
        .collect();
    tables.push(("service", "services.csv", vec![
        "id", "organization_id", "name", "alternate_name", "description", "url", "email", "status", "application_process",
        "fees_description", "eligibility_description", "minimum_age", "maximum_age", "assured_date", "last_modified",
    ], service_rows));

    let (mut locations, mut addresses, mut sal, mut phones, mut schedules, mut languages, mut terms, mut attributes) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut seen_locations, mut seen_terms) = (HashSet::new(), HashSet::new());
    for s in services {
        for l in &s.locations {
            if seen_locations.insert(l.id.clone()) {
                locations.push(vec![l.id.clone(), l.location_type.clone(), s.organization_id.clone(), l.name.clone(), coord(l.latitude), coord(l.longitude)]);
                if !(l.address.is_empty() && l.address.id.is_empty()) {
                    let a = &l.address;
                    addresses.push(vec![
                        a.id.clone(), l.id.clone(), a.address_1.clone(), a.address_2.clone(), a.city.clone(), a.state_province.clone(),
                        a.postal_code.clone(), a.country.clone(), "physical".into(),
                    ]);
                }
            }
            sal.push(vec![derived_id(&s.id, &format!("at:{}", l.id)), s.id.clone(), l.id.clone()]);
        }
        for p in &s.phones {
            phones.push(vec![p.id.clone(), s.id.clone(), p.number.clone(), p.extension.clone(), p.kind.clone(), p.description.clone()]);
        }
        for sc in &s.schedules {
            schedules.push(vec![
                sc.id.clone(), s.id.clone(), "WEEKLY".into(), sc.byday(), time_text(sc.opens_at), time_text(sc.closes_at), sc.description.clone(),
            ]);
        }
        for l in &s.languages {
            languages.push(vec![language_id(s, l), s.id.clone(), l.clone(), language_code(l).unwrap_or("").to_string()]);
        }
        for t in all_terms(s) {
            attributes.push(vec![derived_id(&s.id, &format!("attribute:{}", t.id)), s.id.clone(), t.id.clone(), "service_category".into(), "service".into()]);
            if seen_terms.insert(t.id.clone()) {
                terms.push(vec![t.id, t.code, t.name, t.taxonomy]);
            }
        }
    }
    tables.push(("location", "locations.csv", vec!["id", "location_type", "organization_id", "name", "latitude", "longitude"], locations));
    tables.push(("address", "addresses.csv", vec![
        "id", "location_id", "address_1", "address_2", "city", "state_province", "postal_code", "country", "address_type",
    ], addresses));
    tables.push(("service_at_location", "service_at_location.csv", vec!["id", "service_id", "location_id"], sal));
    tables.push(("phone", "phones.csv", vec!["id", "service_id", "number", "extension", "type", "description"], phones));
    tables.push(("schedule", "schedules.csv", vec!["id", "service_id", "freq", "byday", "opens_at", "closes_at", "description"], schedules));
    tables.push(("language", "languages.csv", vec!["id", "service_id", "name", "code"], languages));
    tables.push(("taxonomy_term", "taxonomy_terms.csv", vec!["id", "code", "name", "taxonomy"], terms));
    tables.push(("attribute", "attributes.csv", vec!["id", "link_id", "taxonomy_term_id", "link_type", "link_entity"], attributes));

    let resources: Vec<Value> = tables
        .iter()
        .map(|(name, path, headers, _)| json!({
            "name": name, "path": path, "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "schema": {"fields": headers.iter().map(|h| json!({"name": h, "type": "string"})).collect::<Vec<_>>(), "primaryKey": "id"},
        }))
        .collect();
    let datapackage = json!({
        "name": "carecoord-resource-directory",
        "title": "Community resource directory (HSDS 3.0)",
        "profile": "tabular-data-package",
        "version": "3.0",
        "resources": resources,
    });
    let mut out: Vec<(String, String)> = tables.iter().map(|(_, path, headers, rows)| (path.to_string(), csv_text(headers, rows))).collect();
    out.push(("datapackage.json".into(), serde_json::to_string_pretty(&datapackage).expect("JSON values always serialize")));
    out
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod export_tests;
