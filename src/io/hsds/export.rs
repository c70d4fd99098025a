//! The directory out as HSDS 3: JSON ([`export_json`]) and the CSV package with
//! `datapackage.json` ([`export_tabular`]); every service goes out with an organization.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveTime, SecondsFormat, Timelike};
use serde_json::{json, Map, Value};

use crate::model::directory::{derived_id, language_code, Category, Organization, Service, TaxonomyTerm, CARECOORD_TAXONOMY};
use crate::model::Timestamp;

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
/// [`crate::io::csv_cell`] (the import takes its quote off again, see `Table::getter`).
fn csv_text(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut w = crate::io::csv_cell::SafeCsv::new(headers, crate::io::csv_cell::LineEnd::CrLf);
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
