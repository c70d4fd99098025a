//! The HSDS tabular package ([`parse_tabular`]): the CSV files of HSDS 3 and HSDS 1.1,
//! found by name or through `datapackage.json`, rows joined by their `*_id` columns.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::fields::{
    add_languages, address_fields, location_fields, organization_fields, parse_timestamp, phone_fields, push_unique_by_id, schedule_fields,
    service_fields, settle_categories, term_fields,
};
use super::json::{jarr, jstr};
use super::{DirectoryImport, FileProblem, ImportProblem};
use crate::io::csv_read::CsvText;
use crate::model::directory::{Location, Organization, Phone, Schedule, Service, TaxonomyTerm};
use crate::model::Timestamp;

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
            idx.and_then(|i| row.get(i)).map(|s| crate::io::csv_cell::unescape(s.trim()).trim().to_string()).unwrap_or_default()
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

pub(super) fn base_name(path: &str) -> String {
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
