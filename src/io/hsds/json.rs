//! HSDS 3 JSON ([`parse_json`]): a service, an organization with its services, a service
//! at a location, a list or a page of them, or `tabular.json`.

use std::collections::HashSet;

use serde_json::Value;

use super::fields::{
    add_languages, address_fields, location_fields, organization_fields, phone_fields, push_unique_by_id, schedule_fields, service_fields,
    settle_categories, term_fields,
};
use super::{parse_tabular, DirectoryImport, FileProblem, ImportProblem};
use crate::model::directory::{Location, Organization, Phone, Schedule, Service, TaxonomyTerm};

pub(super) fn jstr(v: &Value, key: &str) -> String {
    match v.get(key) {
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

pub(super) fn jarr<'a>(v: &'a Value, key: &str) -> &'a [Value] {
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

/// Reads one HSDS JSON file (see the module documentation of `io::hsds`). `file` names it in messages.
pub fn parse_json(file: &str, text: &str, existing: &[Service]) -> Result<DirectoryImport, FileProblem> {
    let value = json_value(file, text)?;
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
    read_items(file, &value, existing)
}

/// Reads an HSDS 3 JSON document as **Export directory** writes it (organizations with their
/// services, a service, an organization, or a paged list of them), never the tabular form:
/// what a kiosk takes from the clinic's `directory.json`, with no CSV reader behind it.
pub fn parse_hsds3_json(file: &str, text: &str) -> Result<DirectoryImport, FileProblem> {
    read_items(file, &json_value(file, text)?, &[])
}

/// The file's JSON (a byte-order mark skipped), or why it is none.
fn json_value(file: &str, text: &str) -> Result<Value, FileProblem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(FileProblem(format!("{file}: the file is empty.")));
    }
    serde_json::from_str(text).map_err(|e| FileProblem(format!("{file}: this is not JSON (line {}: {e}).", e.line())))
}

fn read_items(file: &str, value: &Value, existing: &[Service]) -> Result<DirectoryImport, FileProblem> {
    let mut reader = JsonReader { file, out: DirectoryImport { format: "HSDS 3 JSON".into(), ..Default::default() }, service_ids: HashSet::new(), org_ids: HashSet::new() };
    let items: Vec<(&Value, String)> = match value {
        Value::Array(a) => a.iter().enumerate().map(|(i, v)| (v, format!("item {}", i + 1))).collect(),
        Value::Object(o) if o.get("contents").is_some_and(Value::is_array) => {
            let list = jarr(value, "contents");
            let total = value.get("total_items").and_then(Value::as_u64);
            if let Some(total) = total.filter(|&t| t as usize > list.len()) {
                reader.note(String::new(), format!("this is page {} of a list of {total}; only its {} item(s) are here.", jstr(value, "page_number"), list.len()));
            }
            list.iter().enumerate().map(|(i, v)| (v, format!("item {}", i + 1))).collect()
        }
        Value::Object(_) => vec![(value, String::new())],
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
