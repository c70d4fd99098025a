//! Export → import keeps every service: organizations the directory lacks are made up and
//! flagged, and CSV cells neutralised for spreadsheets read back as they were.

use chrono::NaiveDate;

use super::*;
use crate::io::csv_cell;
use crate::model::directory::{derived_id, Phone};

/// The HSDS 1.1 "simple" sample (see ../shared/testdata/README.md); without
/// organizations.csv when `with_organizations` is false (its services then name
/// organizations the directory does not have).
fn hsds11_simple(with_organizations: bool) -> Vec<(String, String)> {
    macro_rules! file {
        ($name:literal) => {
            ($name.to_string(), include_str!(concat!("../../../../shared/testdata/hsds-1.1/simple/", $name)).to_string())
        };
    }
    let mut files = vec![
        file!("datapackage.json"),
        file!("locations.csv"),
        file!("metadata.csv"),
        file!("phones.csv"),
        file!("services.csv"),
        file!("services_at_location.csv"),
    ];
    if with_organizations {
        files.push(file!("organizations.csv"));
    }
    files
}

fn by_id(mut v: Vec<Service>) -> Vec<Service> {
    v.sort_by(|a, b| a.id.cmp(&b.id));
    v
}

/// The services without the organization name (which a made-up organization supplies).
fn without_organization_names(v: &[Service]) -> Vec<Service> {
    by_id(
        v.iter()
            .cloned()
            .map(|mut s| {
                s.organization_name.clear();
                s
            })
            .collect(),
    )
}

/// Both exports of `organizations` and `services`, read back: (JSON, CSV package).
fn both_ways(organizations: &[Organization], services: &[Service]) -> [DirectoryImport; 2] {
    let json = parse_json("directory.json", &export_json(organizations, services), &[]).expect("the JSON export reads back");
    let csv = parse_tabular(&export_tabular(organizations, services), &[]).expect("the CSV export reads back");
    [json, csv]
}

#[test]
fn hsds11_without_organizations_goes_out_and_comes_back_with_every_service() {
    let read = parse_tabular(&hsds11_simple(false), &[]).unwrap();
    assert_eq!(read.services.len(), 13);
    assert!(read.organizations.is_empty());
    assert!(read.services.iter().all(|s| !s.organization_id.is_empty() && s.organization_name.is_empty()));

    for back in both_ways(&read.organizations, &read.services) {
        assert_eq!(back.problems, vec![], "{}", back.format);
        assert_eq!(back.services.len(), 13, "{}: 13 services out, 13 back", back.format);
        assert_eq!(without_organization_names(&back.services), without_organization_names(&read.services), "{}", back.format);
        // Each organization is made up once (services may share one), named after its
        // first service, flagged for review, and said so in the preview's notes.
        let organization_ids: HashSet<&str> = read.services.iter().map(|s| s.organization_id.as_str()).collect();
        assert_eq!(back.organizations.len(), organization_ids.len());
        for o in &back.organizations {
            assert!(o.description.starts_with(MADE_UP_ORGANIZATION), "{}", o.description);
            let first = read.services.iter().find(|s| s.organization_id == o.id).expect("an organization of a service");
            assert_eq!(o.name, first.name);
            assert!(back
                .notes
                .iter()
                .any(|n| n.message.starts_with(&format!("organization '{}' was named by the CareCoord export", o.name))));
        }
        for s in &back.services {
            let o = back.organizations.iter().find(|o| o.id == s.organization_id).expect("its organization came back");
            assert_eq!(s.organization_name, o.name);
        }
        // Exported again, the made-up organizations are ordinary ones: nothing changes.
        for again in both_ways(&back.organizations, &back.services) {
            assert_eq!(again.problems, vec![]);
            assert_eq!(again.organizations, back.organizations);
            assert_eq!(by_id(again.services), by_id(back.services.clone()));
        }
    }
}

#[test]
fn hsds11_with_organizations_comes_back_the_same() {
    let read = parse_tabular(&hsds11_simple(true), &[]).unwrap();
    assert_eq!((read.organizations.len(), read.services.len()), (10, 13));
    for back in both_ways(&read.organizations, &read.services) {
        assert_eq!(back.problems, vec![], "{}", back.format);
        assert_eq!(back.organizations, read.organizations, "{}", back.format);
        assert_eq!(by_id(back.services), by_id(read.services.clone()), "{}", back.format);
        assert!(!back.notes.iter().any(|n| n.message.contains("named by the CareCoord export")));
    }
}

#[test]
fn a_service_without_an_organization_and_one_without_a_name_get_one() {
    let nameless = Organization { id: "org-x".into(), name: String::new(), website: "https://x.example.org".into(), ..Default::default() };
    let lonely = Organization { id: "org-y".into(), name: "  ".into(), ..Default::default() };
    let services = vec![
        Service { id: "s1".into(), name: "Food Pantry".into(), ..Default::default() },
        Service { id: "s2".into(), name: "Legal Clinic".into(), organization_id: "org-x".into(), ..Default::default() },
        Service {
            id: "s3".into(),
            name: "Rides".into(),
            organization_id: "org-z".into(),
            organization_name: "Ride Share Co".into(),
            ..Default::default()
        },
    ];
    for back in both_ways(&[nameless, lonely], &services) {
        assert_eq!(back.problems, vec![], "{}", back.format);
        assert_eq!(back.services.len(), 3);
        let org_of = |sid: &str| {
            let s = back.services.iter().find(|s| s.id == sid).expect("the service came back");
            back.organizations.iter().find(|o| o.id == s.organization_id).expect("with its organization").clone()
        };
        let s1 = org_of("s1");
        assert_eq!((s1.id.clone(), s1.name.as_str()), (derived_id("s1", "organization"), "Food Pantry"));
        let s2 = org_of("s2");
        assert_eq!((s2.id.as_str(), s2.name.as_str(), s2.website.as_str()), ("org-x", "Legal Clinic", "https://x.example.org"));
        assert_eq!(org_of("s3").name, "Ride Share Co", "the name the service carries");
        let y = back.organizations.iter().find(|o| o.id == "org-y").expect("an organization without a name or a service is kept");
        assert_eq!(y.name, "Unnamed organization");
        assert!(back.organizations.iter().all(|o| o.description.starts_with(MADE_UP_ORGANIZATION)));
    }
}

#[test]
fn csv_cells_are_neutralised_and_read_back_as_they_were() {
    let (orgs, services) = crate::io::synth_directory::directory(3, 5, NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
    let mut s = services[0].clone();
    s.description = "=HYPERLINK(\"http://x\",\"y\")".into();
    s.name = "-3 Degrees Shelter".into();
    s.fees = "@cost".into();
    s.phones = vec![Phone { id: "ph1".into(), number: "+44 1234 234567".into(), ..Default::default() }];
    s.locations.truncate(1);
    if let Some(l) = s.locations.first_mut() {
        l.longitude = Some(-71.0589);
        l.latitude = Some(42.3601);
    }
    let mut services = services;
    services[0] = s.clone();

    let files = export_tabular(&orgs, &services);
    let text = |name: &str| files.iter().find(|(n, _)| n == name).map(|(_, t)| t.clone()).unwrap_or_default();
    let services_csv = text("services.csv");
    assert!(services_csv.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""), "{services_csv}");
    assert!(services_csv.contains("\"'-3 Degrees Shelter\"") && services_csv.contains("\"'@cost\""));
    assert!(text("phones.csv").contains("\"'+44 1234 234567\""));
    assert!(text("locations.csv").contains("\"'-71.0589\""), "a negative number too");
    assert!(files.iter().filter(|(n, _)| n.ends_with(".csv")).all(|(_, t)| {
        // No cell of any file starts a formula (as a spreadsheet splits it).
        let mut r = csv::ReaderBuilder::new().has_headers(false).from_reader(t.as_bytes());
        r.records().all(|rec| rec.map(|rec| rec.iter().all(|c| csv_cell::safe(c) == c)).unwrap_or(false))
    }));

    let back = parse_tabular(&files, &[]).unwrap();
    assert_eq!(back.problems, vec![]);
    let again = back.services.iter().find(|x| x.id == s.id).expect("the service came back");
    assert_eq!(again, &s);
    assert_eq!(by_id(back.services), by_id(services));
}
