use super::*;
use crate::io::zip::crc32;
use crate::model::directory::{Category, OpenState, Schedule, ServiceStatus};
use chrono::{NaiveDate, SecondsFormat, Weekday};

// The real sample files (see ../shared/testdata/README.md): from src/io/hsds/ up to the
// folder that holds the repository and shared/.
macro_rules! testdata {
    ($path:literal) => {
        include_str!(concat!("../../../../shared/testdata/", $path))
    };
}

macro_rules! package {
    ($dir:literal; $($file:literal),+ $(,)?) => {
        vec![$(($file.to_string(), include_str!(concat!("../../../../shared/testdata/", $dir, "/", $file)).to_string())),+]
    };
}

fn hsds3_csv() -> Vec<(String, String)> {
    package!("hsds-3/csv";
        "accessibility.csv", "addresses.csv", "attributes.csv", "contacts.csv", "cost_options.csv", "datapackage.json", "funding.csv",
        "languages.csv", "locations.csv", "meta_table_descriptions.csv", "metadata.csv", "organization_identifiers.csv",
        "organizations.csv", "phones.csv", "programs.csv", "required_documents.csv", "schedules.csv", "service_areas.csv",
        "service_at_location.csv", "services.csv", "taxonomies.csv", "taxonomy_terms.csv")
}

fn hsds11_simple() -> Vec<(String, String)> {
    package!("hsds-1.1/simple";
        "datapackage.json", "locations.csv", "metadata.csv", "organizations.csv", "phones.csv", "services.csv", "services_at_location.csv")
}

fn hsds11_all() -> Vec<(String, String)> {
    package!("hsds-1.1/all_resources";
        "accessibility_for_disabilities.csv", "contacts.csv", "datapackage.json", "eligibility.csv", "funding.csv",
        "holiday_schedules.csv", "languages.csv", "locations.csv", "meta_table_descriptions.csv", "metadata.csv",
        "organizations.csv", "payments_accepted.csv", "phones.csv", "physical_addresses.csv", "postal_addresses.csv", "programs.csv",
        "regular_schedules.csv", "required_documents.csv", "service_areas.csv", "services.csv", "services_at_location.csv",
        "services_taxonomy.csv", "taxonomy.csv")
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn counts(o: usize, s: usize, l: usize) -> ImportCounts {
    ImportCounts { organizations: o, services: s, locations: l }
}

fn messages(problems: &[ImportProblem]) -> Vec<String> {
    problems.iter().map(ToString::to_string).collect()
}

/// The Community Counselling example, as every HSDS 3 sample has it.
fn check_community_counselling(s: &Service) {
    assert_eq!(s.id, "ac148810-d857-441c-9679-408f346de14b");
    assert_eq!(s.name, "Community Counselling");
    assert_eq!(s.organization_id, "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610");
    assert_eq!(s.organization_name, "Example Organization Inc.");
    assert_eq!(s.status, ServiceStatus::Active);
    assert_eq!((s.minimum_age, s.maximum_age), (Some(12), Some(100)));
    assert_eq!(s.assured_date, Some(day(2005, 1, 1)));
    assert_eq!(s.last_modified.map(|t| t.to_rfc3339_opts(SecondsFormat::Millis, true)), Some("2023-03-15T10:30:45.123Z".into()));
    assert!(s.eligibility.starts_with("This service is intended for all people aged 12"));
    assert!(s.fees.contains("£50 per hour"));
    assert!(s.application_process.starts_with("If you are an NHS patient"));
    assert_eq!(s.languages, vec!["Urdu"]);
    assert_eq!(s.phones.len(), 1);
    assert_eq!(s.phones[0].number, "+44 1234 234567", "the stray quotes are dropped");
    assert_eq!(s.phones[0].extension, "100");
    assert_eq!(s.schedules.len(), 1);
    assert_eq!(s.schedules[0].days, vec![Weekday::Thu, Weekday::Fri]);
    assert_eq!(s.hours_text(), "Thu, Fri 10:00-18:00");
    assert_eq!(s.locations.len(), 1);
    let l = &s.locations[0];
    assert_eq!((l.id.as_str(), l.name.as_str()), ("3a19ff88-4620-4d17-9830-ac1d859eb5d5", "MyCity Civic Center"));
    assert_eq!(l.address.one_line(), "1-30 Main Street, MyVillage, MyCity, MyState ABC 1234");
    // The example's taxonomy term is a placeholder ("name"/"code"): the category comes from
    // the service's name.
    assert_eq!(s.categories, vec![Category::MentalHealth]);
    // Thursday 2026-05-14 at 11:00.
    assert_eq!(s.open_state(day(2026, 5, 14).and_hms_opt(11, 0, 0).unwrap()), OpenState::Open);
}

#[test]
fn reads_the_hsds3_service_full_example() {
    let out = parse_json("service_full.json", testdata!("hsds-3/service_full.json"), &[]).unwrap();
    assert_eq!(out.counts, counts(1, 1, 1));
    assert_eq!(out.problems, vec![]);
    check_community_counselling(&out.services[0]);
    assert_eq!(out.services[0].taxonomy_terms.len(), 1);
    assert_eq!(out.organizations[0].website, "http://example.com");
}

#[test]
fn reads_the_other_hsds3_json_shapes() {
    let org = parse_json("organization_full.json", testdata!("hsds-3/organization_full.json"), &[]).unwrap();
    assert_eq!(org.counts, counts(1, 1, 1));
    assert_eq!(org.problems, vec![]);
    check_community_counselling(&org.services[0]);

    // The list's items are the short form: no phones, schedules or locations.
    let list = parse_json("service_list.json", testdata!("hsds-3/service_list.json"), &[]).unwrap();
    assert_eq!(list.counts, counts(1, 1, 0));
    assert_eq!(list.problems, vec![]);
    let s = &list.services[0];
    assert_eq!((s.name.as_str(), s.organization_name.as_str(), s.minimum_age), ("Community Counselling", "Example Organization Inc.", Some(12)));
    assert_eq!(s.categories, vec![Category::MentalHealth]);
    assert_eq!(s.open_state(day(2026, 5, 14).and_hms_opt(11, 0, 0).unwrap()), OpenState::Unknown);
    assert_eq!(messages(&list.notes), vec!["service_list.json: this is page 1 of a list of 10; only its 1 item(s) are here."]);

    let orgs = parse_json("organization_list.json", testdata!("hsds-3/organization_list.json"), &[]).unwrap();
    assert_eq!(orgs.counts, counts(1, 0, 0));
    assert_eq!(orgs.organizations[0].name, "Example Organization Inc.");

    let sal = parse_json("service_at_location_full.json", testdata!("hsds-3/service_at_location_full.json"), &[]).unwrap();
    assert_eq!(sal.counts, counts(1, 1, 1));
    check_community_counselling(&sal.services[0]);

    let tab = parse_json("tabular.json", testdata!("hsds-3/tabular.json"), &[]).unwrap();
    assert_eq!(tab.format, "HSDS 3 tabular JSON");
    assert_eq!(tab.counts, counts(1, 1, 1));
    assert_eq!(tab.problems, vec![]);
    check_community_counselling(&tab.services[0]);
}

#[test]
fn reads_the_hsds3_csv_package() {
    let out = parse_tabular(&hsds3_csv(), &[]).unwrap();
    assert_eq!(out.format, "HSDS 3 CSV package");
    assert_eq!(out.counts, counts(1, 1, 1));
    assert_eq!(out.problems, vec![]);
    check_community_counselling(&out.services[0]);
    let notes = messages(&out.notes);
    // The example's attribute links to an id that is no service: said, not silently dropped.
    assert!(notes.contains(&"attributes.csv line 2: it links to f28dd44b-0c4d-479f-8e90-4c52219a8b3c, not to a service imported here; not used.".to_string()), "{notes:#?}");
    for unused in ["funding.csv", "contacts.csv", "accessibility.csv", "programs.csv", "cost_options.csv"] {
        assert!(notes.contains(&format!("{unused}: the directory does not use this table.")), "{unused}");
    }
    assert_eq!(out.services[0].taxonomy_terms, vec![], "the only term is not linked to the service");
}

#[test]
fn reads_the_hsds11_simple_package() {
    let out = parse_tabular(&hsds11_simple(), &[]).unwrap();
    assert_eq!(out.format, "HSDS 1.1 CSV package");
    assert_eq!(out.counts, counts(10, 13, 10));
    assert_eq!(out.problems, vec![]);
    let by_name = |n: &str| out.services.iter().find(|s| s.name == n).unwrap_or_else(|| panic!("{n}"));
    let helpline = by_name("Never Homeless Helpline");
    assert_eq!(helpline.organization_name, "Sanctuary Example City");
    assert_eq!(helpline.categories, vec![Category::Housing]);
    assert_eq!(helpline.locations[0].name, "Sanctuary on 5th Street");
    assert!(helpline.schedules.is_empty());
    assert_eq!(helpline.open_state(day(2026, 5, 14).and_hms_opt(11, 0, 0).unwrap()), OpenState::Unknown);
    // The quoted description that spans lines is read whole.
    assert!(by_name("Dear Teacher Skills Refresh").description.contains("<li>Languages: Spanish</li>"));
    assert_eq!(by_name("Dear Teacher Skills Refresh").status, ServiceStatus::Inactive);
    assert_eq!(out.services.iter().filter(|s| s.status == ServiceStatus::Inactive).count(), 3);
    // Phones: the service's own and its service-at-location's; else its location's; else
    // its organization's.
    let numbers = |n: &str| by_name(n).phones.iter().map(|p| p.number.clone()).collect::<Vec<_>>();
    assert_eq!(numbers("Bubbles at The Cross"), vec!["(223) 4567 12534", "(773) 2351 2461"]);
    assert_eq!(numbers("Dear Teacher Skills Refresh"), vec!["(0123) 4567 8900"]);
    assert_eq!(numbers("Meals To-Go at The Cross"), vec!["(223) 346 12361", "(223) 346 12361"]);
    assert_eq!(by_name("Meals To-Go at The Cross").phones[1].kind, "textphone");
    assert!(numbers("Yound Minds").is_empty());
    // No languages.csv here: the phones' `language` column ("en, es") stands in.
    assert_eq!(by_name("Bubbles at The Cross").languages, vec!["English", "Spanish"]);
    assert_eq!(by_name("Meals To-Go at The Cross").languages, vec!["English"]);
    assert!(by_name("Yound Minds").languages.is_empty());
    assert_eq!(by_name("The City's Kitchen").categories, vec![Category::Food]);
    assert_eq!(by_name("Al-Anon Family Group").categories, vec![Category::SupportGroups]);
    assert_eq!(by_name("Yound Minds").categories, vec![Category::EducationEmployment]);
    assert!(by_name("Parks Disability Services").categories.contains(&Category::Other) || !by_name("Parks Disability Services").categories.is_empty());
    let notes = messages(&out.notes);
    assert!(notes.iter().all(|n| !n.contains("phones.csv")), "every phone row is used: {notes:#?}");
}

#[test]
fn reads_the_hsds11_package_with_all_resources() {
    let out = parse_tabular(&hsds11_all(), &[]).unwrap();
    assert_eq!(out.counts, counts(10, 13, 10));
    assert_eq!(out.problems, vec![]);
    let helpline = out.services.iter().find(|s| s.name == "Never Homeless Helpline").unwrap();
    assert_eq!(helpline.hours_text(), "Mon-Wed 09:00-17:00", "weekday 1, 2, 3 = Monday to Wednesday");
    assert_eq!(helpline.languages, vec!["English", "Spanish"]);
    assert_eq!(helpline.eligibility, "adult");
    assert_eq!(helpline.locations[0].address.one_line(), "Address 1, Address 2, New York City, NY 10001");
    assert_eq!(helpline.last_modified.map(|t| t.date_naive()), Some(day(2008, 9, 15)), "from metadata.csv");
    assert_eq!(helpline.last_verified(), Some(day(2008, 9, 15)));
    assert!(crate::model::directory::needs_review(helpline, day(2026, 1, 1), 12));
    let notes = messages(&out.notes);
    for unused in ["holiday_schedules.csv", "contacts.csv", "funding.csv", "payments_accepted.csv"] {
        assert!(notes.contains(&format!("{unused}: the directory does not use this table.")), "{unused}: {notes:#?}");
    }
    assert!(notes.contains(&"postal_addresses.csv line 2: a postal address; the location's street address is used instead.".to_string()), "{notes:#?}");
}

const BAD_SERVICES: &str = "id,organization_id,name,status,minimum_age,maximum_age,assured_date
s1,o1,Food Pantry,active,,,2025-01-10
s2,o1,,active,,,
s3,o1,Teen Center,active,ten,
s4,o1,Shelter,open,18,12,
s1,o1,Food Pantry again,active,,,
s6,o9,Legal Aid,active,,,2025-13-01
s7,o1,\"Clinic, with \"\"quotes\"\"\",active,0,120,2024-02-29
";

#[test]
fn names_every_bad_row_with_its_file_and_line() {
    let files = vec![
        ("organizations.csv".to_string(), "id,name\no1,Helpers Inc\no2,\n".to_string()),
        ("services.csv".to_string(), BAD_SERVICES.to_string()),
        ("schedules.csv".to_string(), "id,service_id,byday,opens_at,closes_at\nh1,s1,MO,9am,17:00\nh2,s1,XX,09:00,17:00\nh3,s1,TU,nine,17:00\nh4,zz,MO,09:00,10:00\nh5,s3,MO,09:00,10:00\n".to_string()),
        ("phones.csv".to_string(), "id,service_id,number\np1,s1,\"\"\"617-555-0101\"\"\"\np2,s7,\n".to_string()),
    ];
    let out = parse_tabular(&files, &[]).unwrap();
    assert_eq!(messages(&out.problems), vec![
        "organizations.csv line 3: the name is empty.",
        "phones.csv line 3: the phone number is empty.",
        "schedules.csv line 3: 'XX' is not a day of the week (MO, TU, ... or Monday, ...); this schedule is left out.",
        "schedules.csv line 4: opening time 'nine' is not a time (like 09:00); this schedule is left out.",
        "services.csv line 3: the name is empty.",
        "services.csv line 4: minimum age 'ten' is not a number.",
        "services.csv line 5: status 'open' is not active, inactive, defunct or temporarily closed; maximum age 12 is below the minimum age 18.",
        "services.csv line 6: the id s1 appears twice; the second is left out.",
        "services.csv line 7: assured date '2025-13-01' is not a date (like 2024-05-31).",
    ]);
    assert_eq!(out.services.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(), vec!["s1", "s7"]);
    assert_eq!(out.services[0].phones[0].number, "617-555-0101");
    assert_eq!(out.services[0].hours_text(), "Mon 09:00-17:00");
    assert_eq!(out.services[1].name, "Clinic, with \"quotes\"");
    assert_eq!(out.services[1].assured_date, Some(day(2024, 2, 29)));
    assert_eq!((out.services[1].minimum_age, out.services[1].maximum_age), (Some(0), Some(120)));
    let notes = messages(&out.notes);
    assert!(notes.contains(&"schedules.csv line 5: it links to service zz, not to a service imported here; not used.".to_string()), "{notes:#?}");
    // The schedule of the bad service s3 is not reported again.
    assert!(!notes.iter().any(|n| n.contains("line 6")), "{notes:#?}");
}

#[test]
fn bad_json_items_are_named() {
    let text = r#"[
        {"id": "a", "name": "Food Pantry", "status": "active", "minimum_age": "ten"},
        {"id": "b", "name": "Shelter", "schedules": [{"id": "x", "byday": "MO", "opens_at": "25:00", "closes_at": "10:00"}]},
        {"id": "c", "name": "Clinic", "maximum_age": 5.5},
        7
    ]"#;
    let out = parse_json("list.json", text, &[]).unwrap();
    assert_eq!(messages(&out.problems), vec![
        "list.json, item 1 ('Food Pantry'): minimum age 'ten' is not a number.",
        "list.json, item 2 ('Shelter'): a schedule is left out: opening time '25:00' is not a time (like 09:00).",
        "list.json, item 3 ('Clinic'): maximum age '5.5' is not an age in whole years.",
        "list.json, item 4: this is not an HSDS object.",
    ]);
    assert_eq!(out.services.len(), 1);
    assert_eq!(out.services[0].name, "Shelter");
    assert!(out.services[0].schedules.is_empty());
}

#[test]
fn empty_and_foreign_files_are_refused_in_words() {
    assert_eq!(parse_json("x.json", "  \n", &[]).unwrap_err().0, "x.json: the file is empty.");
    assert!(parse_json("x.json", "{oops", &[]).unwrap_err().0.starts_with("x.json: this is not JSON (line 1"));
    let empty = vec![("services.csv".to_string(), String::new())];
    assert_eq!(parse_tabular(&empty, &[]).unwrap_err().0, "services.csv: the file is empty.");
    let header_only = parse_tabular(&[("services.csv".to_string(), "id,name\n".to_string())], &[]).unwrap();
    assert_eq!(header_only.counts, counts(0, 0, 0));
    let no_services = vec![("organizations.csv".to_string(), "id,name\no1,A\n".to_string())];
    assert!(parse_tabular(&no_services, &[]).unwrap_err().0.starts_with("There is no services.csv"));
    let wrong = vec![("services.csv".to_string(), "Id,BIRTHDATE\n1,2000-01-01\n".to_string())];
    assert_eq!(parse_tabular(&wrong, &[]).unwrap_err().0, "services.csv line 1: the column name is missing; the file is not used.");
    assert!(import_files(&[("notes.txt".into(), b"hello".to_vec())], &[]).unwrap_err().0.starts_with("These are not HSDS files"));
    assert_eq!(import_files(&[], &[]).unwrap_err().0, "No files were chosen.");
    // An empty side file is a problem, the rest is read.
    let mut files = hsds3_csv();
    files.iter_mut().find(|(n, _)| n == "phones.csv").unwrap().1 = String::new();
    let out = parse_tabular(&files, &[]).unwrap();
    assert_eq!(messages(&out.problems), vec!["phones.csv: the file is empty."]);
    assert_eq!(out.services[0].phones, vec![]);
}

#[test]
fn flags_likely_duplicates_of_the_directory() {
    let existing = parse_tabular(&hsds11_simple(), &[]).unwrap().services;
    let mut renamed = existing[0].clone();
    renamed.id = "another-id".into();
    renamed.name = "NEVER homeless   helpline".into();
    let mut elsewhere = existing[1].clone();
    elsewhere.id = "third".into();
    elsewhere.locations[0].address.city = "Elsewhere".into();
    let mut same_id = existing[2].clone();
    same_id.name = "New name".into();
    let dups = find_duplicates(&[renamed, elsewhere, same_id], &existing);
    assert_eq!(dups.len(), 2);
    assert_eq!((dups[0].new, dups[0].reason, dups[0].existing_name.as_str()), (0, DuplicateReason::SameNameAndAddress, "Never Homeless Helpline"));
    assert_eq!((dups[1].new, dups[1].reason), (2, DuplicateReason::SameId));
    let again = parse_tabular(&hsds11_simple(), &existing).unwrap();
    assert_eq!(again.duplicates.len(), 13);
}

#[test]
fn export_then_import_gives_the_same_services() {
    let (orgs, mut services) = super::super::synth_directory::directory(150, 9, day(2026, 1, 1));
    // Add the real examples (an HSDS 1.1 package and the HSDS 3 one) with their oddities.
    let simple = parse_tabular(&hsds11_all(), &[]).unwrap();
    let three = parse_json("service_full.json", testdata!("hsds-3/service_full.json"), &[]).unwrap();
    services.extend(simple.services.clone());
    services.extend(three.services.clone());
    services[0].last_modified = Some(chrono::DateTime::parse_from_rfc3339("2024-06-01T12:34:56.789Z").unwrap().to_utc());
    services[1].schedules.push(Schedule { id: "desc-only".into(), description: "By appointment".into(), ..Default::default() });
    let mut all_orgs = orgs.clone();
    all_orgs.extend(simple.organizations.clone());
    all_orgs.extend(three.organizations.clone());

    let json = export_json(&all_orgs, &services);
    let back = parse_json("directory.json", &json, &[]).unwrap();
    assert_eq!(back.problems, vec![]);
    assert_eq!(back.organizations, all_orgs);
    assert_eq!(sorted(back.services), sorted(services.clone()));
    // The kiosk's reader of a published directory.json reads the same.
    let kiosk = parse_hsds3_json("directory.json", &json).unwrap();
    assert_eq!(kiosk.problems, vec![]);
    assert_eq!(kiosk.organizations, all_orgs);
    assert_eq!(sorted(kiosk.services), sorted(services.clone()));

    let files = export_tabular(&all_orgs, &services);
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert!(names.contains(&"datapackage.json") && names.contains(&"services.csv") && names.contains(&"schedules.csv"));
    let back = parse_tabular(&files, &[]).unwrap();
    assert_eq!(back.format, "HSDS 3 CSV package");
    assert_eq!(back.problems, vec![]);
    assert_eq!(back.notes, vec![]);
    assert_eq!(back.organizations, all_orgs);
    assert_eq!(sorted(back.services), sorted(services.clone()));
    // And through a zip, as the coordinator would move it.
    let zip = zip_stored(&files.iter().map(|(n, t)| (format!("directory/{n}"), t.as_bytes().to_vec())).collect::<Vec<_>>());
    let back = import_files(&[("directory.zip".into(), zip)], &services).unwrap();
    assert_eq!(back.counts.services, services.len());
    assert_eq!(back.duplicates.len(), services.len());
}

fn sorted(mut v: Vec<Service>) -> Vec<Service> {
    v.sort_by(|a, b| a.id.cmp(&b.id));
    v
}

/// A zip with stored (uncompressed) entries, written by hand.
fn zip_stored(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in entries {
        let offset = out.len() as u32;
        let crc = crc32(data);
        let header = |sig: u32, central: bool| {
            let mut h = Vec::new();
            h.extend(sig.to_le_bytes());
            if central {
                h.extend(20u16.to_le_bytes());
            }
            h.extend(20u16.to_le_bytes()); // version needed
            h.extend(0u16.to_le_bytes()); // flags
            h.extend(0u16.to_le_bytes()); // stored
            h.extend(0u32.to_le_bytes()); // time, date
            h.extend(crc.to_le_bytes());
            h.extend((data.len() as u32).to_le_bytes());
            h.extend((data.len() as u32).to_le_bytes());
            h.extend((name.len() as u16).to_le_bytes());
            h.extend(0u16.to_le_bytes()); // extra
            if central {
                h.extend([0u8; 6]); // comment length, disk, internal attributes
                h.extend(0u32.to_le_bytes()); // external attributes
                h.extend(offset.to_le_bytes());
            }
            h.extend(name.as_bytes());
            h
        };
        out.extend(header(0x0403_4b50, false));
        out.extend(data);
        central.extend(header(0x0201_4b50, true));
    }
    let cd_offset = out.len() as u32;
    out.extend(&central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0u8; 4]);
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(cd_offset.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

/// Written by Python's zipfile (ZIP_DEFLATED): `pkg/services.csv` and the folder `pkg/`.
const DEFLATED_ZIP: [u8; 257] = [
    80, 75, 3, 4, 20, 0, 0, 0, 8, 0, 203, 121, 119, 93, 3, 27, 50, 209, 41, 0, 0, 0, 60, 0, 0, 0, 16, 0, 0, 0, 112, 107, 103, 47, 115,
    101, 114, 118, 105, 99, 101, 115, 46, 99, 115, 118, 203, 76, 209, 201, 75, 204, 77, 213, 41, 46, 73, 44, 41, 45, 230, 50, 212, 113,
    203, 207, 79, 81, 8, 72, 204, 43, 41, 170, 84, 192, 193, 214, 73, 76, 46, 201, 44, 75, 229, 2, 0, 80, 75, 3, 4, 20, 0, 0, 0, 8, 0,
    203, 121, 119, 93, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 112, 107, 103, 47, 3, 0, 80, 75, 1, 2, 20, 3, 20, 0, 0, 0, 8, 0,
    203, 121, 119, 93, 3, 27, 50, 209, 41, 0, 0, 0, 60, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 128, 1, 0, 0, 0, 0, 112, 107, 103,
    47, 115, 101, 114, 118, 105, 99, 101, 115, 46, 99, 115, 118, 80, 75, 1, 2, 20, 3, 20, 0, 0, 0, 8, 0, 203, 121, 119, 93, 0, 0, 0, 0,
    2, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 16, 0, 253, 65, 87, 0, 0, 0, 112, 107, 103, 47, 80, 75, 5, 6, 0, 0, 0, 0, 2, 0,
    2, 0, 112, 0, 0, 0, 123, 0, 0, 0, 0, 0,
];

#[test]
fn unzips_stored_and_deflated_entries() {
    let entries = unzip(&DEFLATED_ZIP).unwrap();
    assert_eq!(entries.len(), 1, "the folder entry is left out");
    assert_eq!(entries[0].0, "pkg/services.csv");
    assert_eq!(String::from_utf8(entries[0].1.clone()).unwrap(), "id,name,status\n1,Food Pantry Food Pantry Food Pantry,active\n");
    let out = import_files(&[("pkg.zip".into(), DEFLATED_ZIP.to_vec())], &[]).unwrap();
    assert_eq!(out.services[0].name, "Food Pantry Food Pantry Food Pantry");

    let stored = zip_stored(&[("a.txt".into(), b"hello".to_vec()), ("__MACOSX/._a.txt".into(), b"x".to_vec()), ("b/c.csv".into(), vec![])]);
    assert_eq!(unzip(&stored).unwrap(), vec![("a.txt".to_string(), b"hello".to_vec()), ("b/c.csv".to_string(), vec![])]);

    // The HSDS 1.1 sample, zipped: the same as the files chosen together.
    let zip = zip_stored(&hsds11_simple().into_iter().map(|(n, t)| (format!("simple/{n}"), t.into_bytes())).collect::<Vec<_>>());
    assert_eq!(import_files(&[("simple.zip".into(), zip)], &[]).unwrap().counts, counts(10, 13, 10));

    // Damage is reported, never a panic.
    let mut bad = DEFLATED_ZIP.to_vec();
    bad[60] ^= 0xff;
    assert!(unzip(&bad).unwrap_err().contains("pkg/services.csv"));
    assert_eq!(unzip(b"not a zip").unwrap_err(), "this is not a zip file.");
    assert_eq!(unzip(&DEFLATED_ZIP[..200]).unwrap_err(), "the zip file is damaged or incomplete.");
    for cut in 0..DEFLATED_ZIP.len() {
        let _ = unzip(&DEFLATED_ZIP[..cut]);
    }
    assert!(import_files(&[("x.zip".into(), b"PK\x03\x04junk".to_vec())], &[]).unwrap_err().0.starts_with("x.zip: "));
}

#[test]
fn twenty_thousand_language_rows_merge_in_well_under_a_second() {
    let mut languages = String::from("id,service_id,name\n");
    for i in 0..20_000 {
        languages.push_str(&format!("l{i},s1,Language number {i}\n"));
    }
    languages.push_str("x1,s1,LANGUAGE NUMBER 7\nx2,s1,es\nx3,s1,Español\n");
    let files = vec![("services.csv".to_string(), "id,name\ns1,Food pantry\n".to_string()), ("languages.csv".to_string(), languages)];
    let started = std::time::Instant::now();
    let out = parse_tabular(&files, &[]).unwrap();
    println!("HSDS languages: 20,003 rows merged in {:?}", started.elapsed());
    let got = &out.services[0].languages;
    assert_eq!(got.len(), 20_001);
    assert_eq!((got[0].as_str(), got[19_999].as_str(), got[20_000].as_str()), ("Language number 0", "Language number 19999", "Spanish"));
}

#[test]
fn zips_with_lying_sizes_and_offsets_are_refused_naming_the_entry() {
    let zip = zip_stored(&[("pkg/services.csv".into(), b"id,name\n1,Food\n".to_vec()), ("pkg/phones.csv".into(), b"id,number\n".to_vec())]);
    let (len, eocd) = (zip.len(), zip.len() - 22);
    let cd = u32::from_le_bytes(zip[eocd + 16..eocd + 20].try_into().unwrap()) as usize;
    let patch = |at: usize, bytes: &[u8]| {
        let mut z = zip.clone();
        z[at..at + bytes.len()].copy_from_slice(bytes);
        unzip(&z)
    };
    let damaged = |what: &str| format!("{what}; the zip is damaged or incomplete.");
    assert_eq!(unzip(&zip).unwrap().len(), 2);
    // A compressed size past the end of the file.
    assert_eq!(
        patch(cd + 20, &0xFFFF_FFF0u32.to_le_bytes()).unwrap_err(),
        damaged(&format!("pkg/services.csv in the zip is said to be 4294967280 bytes from byte 46, which runs past the end of the file ({len} bytes)"))
    );
    // Declared sizes adding up past the 200 MB limit: refused before anything is unpacked.
    assert_eq!(
        patch(cd + 24, &0xFFFF_FFF0u32.to_le_bytes()).unwrap_err(),
        "the zip unpacks to more than 200 MB (counting up to pkg/services.csv); that is too large for a resource directory."
    );
    // A size smaller than the data: the checksum and size check catch it.
    assert_eq!(patch(cd + 24, &3u32.to_le_bytes()).unwrap_err(), "pkg/services.csv in the zip is damaged (its size or checksum does not match).");
    // A local header offset past the end, or pointing at no header.
    assert_eq!(
        patch(cd + 42, &u32::MAX.to_le_bytes()).unwrap_err(),
        damaged("pkg/services.csv in the zip is said to start at byte 4294967295, but no file starts there")
    );
    assert!(patch(cd + 42, &7u32.to_le_bytes()).unwrap_err().starts_with("pkg/services.csv in the zip is said to start at byte 7"));
    // A local header whose name length runs past the end.
    assert_eq!(
        patch(26, &0xFFFFu16.to_le_bytes()).unwrap_err(),
        damaged(&format!("pkg/services.csv in the zip has a header at byte 0 that runs past the end of the file ({len} bytes)"))
    );
    // The list of files: where it starts, how many entries it has, an entry's name length.
    assert_eq!(
        patch(eocd + 16, &0xFFFF_FFF0u32.to_le_bytes()).unwrap_err(),
        damaged(&format!("the zip's list of files is said to start at byte 4294967280, past its end ({len} bytes)"))
    );
    assert!(patch(eocd + 16, &u32::MAX.to_le_bytes()).unwrap_err().contains("ZIP64"));
    assert_eq!(patch(eocd + 10, &5u16.to_le_bytes()).unwrap_err(), damaged("entry 3 of 5 in the zip's list of files is damaged or missing"));
    assert_eq!(patch(cd + 28, &0xFFFFu16.to_le_bytes()).unwrap_err(), damaged("entry 1 of 2 in the zip's list of files is damaged or missing"));
    // Every offset and size field at every awkward value: an answer, never a panic.
    let fields: Vec<(usize, usize)> = [(cd + 20, 4), (cd + 24, 4), (cd + 28, 2), (cd + 30, 2), (cd + 32, 2), (cd + 42, 4), (26, 2), (28, 2), (eocd + 10, 2), (eocd + 16, 4)].into();
    for (at, width) in fields {
        for v in [0u32, 1, 29, 30, 46, len as u32 - 1, len as u32, 0x7FFF_FFFF, 0x8000_0000, u32::MAX - 1, u32::MAX] {
            let bytes = v.to_le_bytes();
            if let Err(e) = patch(at, &bytes[..width]) {
                assert!(!e.is_empty());
            }
        }
    }
}

#[test]
fn import_files_picks_the_reader() {
    let bytes = |files: Vec<(String, String)>| files.into_iter().map(|(n, t)| (n, t.into_bytes())).collect::<Vec<_>>();
    assert_eq!(import_files(&bytes(hsds3_csv()), &[]).unwrap().counts, counts(1, 1, 1));
    let json = vec![("service_full.json".to_string(), testdata!("hsds-3/service_full.json").as_bytes().to_vec())];
    assert_eq!(import_files(&json, &[]).unwrap().format, "HSDS 3 JSON");
    // A BOM and Windows-1252 text are read.
    let mut latin = b"\xEF\xBB\xBFid,name\ns1,Caf".to_vec();
    latin.extend(b"\xe9 Libre\n");
    let out = import_files(&[("services.csv".into(), latin)], &[]).unwrap();
    assert_eq!(out.services[0].name, "Café Libre");
    assert_eq!(
        messages(&out.notes),
        vec!["services.csv: it was not UTF-8; read it as Windows-1252 (Excel's encoding). Check accented names in the preview."]
    );
}


#[test]
fn the_kiosk_reader_takes_hsds3_json_only() {
    assert_eq!(parse_hsds3_json("directory.json", " ").unwrap_err().0, "directory.json: the file is empty.");
    assert!(parse_hsds3_json("directory.json", "{oops").unwrap_err().0.starts_with("directory.json: this is not JSON (line 1"));
    // The tabular form (tables keyed by file name) is not what Export directory writes.
    let tabular = parse_hsds3_json("directory.json", testdata!("hsds-3/tabular.json")).unwrap();
    assert!(tabular.services.is_empty());
    assert!(!tabular.problems.is_empty());
    let one = parse_hsds3_json("directory.json", testdata!("hsds-3/service_full.json")).unwrap();
    assert_eq!(one.services.len(), 1);
}
