//! A deterministic synthetic resource directory for benchmarks and demonstrations: the same
//! seed gives the same services (names, categories, cities, languages, hours, some of them
//! past midnight, some without hours), each with its organization.

use chrono::{Duration, NaiveDate, NaiveTime, Weekday};

use super::synth::Rng;
use crate::model::directory::{derived_id, Address, Category, Location, Organization, Phone, Schedule, Service, ServiceStatus, TaxonomyTerm};
use crate::model::ids;

/// (category, service name patterns, AIRS-like code, description)
const KINDS: &[(Category, &[&str], &str, &str)] = &[
    (Category::Food, &["Food Pantry", "Community Kitchen", "Meals on Wheels", "Grocery Program", "Soup Kitchen"], "BD-1800",
        "Free groceries and hot meals for individuals and families in need. Bring a bag."),
    (Category::Housing, &["Emergency Shelter", "Housing Assistance", "Rental Help Desk", "Tenant Rights Project"], "BH-1800",
        "Emergency shelter beds, rental assistance and help finding stable housing."),
    (Category::Transportation, &["Ride Program", "Medical Transportation", "Senior Shuttle", "Bus Pass Program"], "BT-4500",
        "Free rides to medical appointments, pharmacies and the grocery store."),
    (Category::FinancialHelp, &["Utility Assistance", "Tax Help", "Emergency Cash Assistance", "Benefits Enrollment"], "NL-6000",
        "Help paying utility bills, filing taxes and applying for public benefits."),
    (Category::MentalHealth, &["Counseling Center", "Crisis Line", "Recovery Services", "Behavioral Health Clinic"], "RP-1400",
        "Counseling, therapy and crisis support for adults, teens and families."),
    (Category::HealthCare, &["Community Health Center", "Free Clinic", "Dental Clinic", "Prenatal Care"], "LN-1500",
        "Primary care, dental care and vaccinations regardless of insurance."),
    (Category::SupportGroups, &["Grief Support Group", "Caregiver Support Group", "Peer Support Circle", "Parents Group"], "PN-8100",
        "A weekly group where people share experiences and support one another."),
    (Category::Legal, &["Legal Aid", "Immigration Legal Services", "Eviction Defense", "Family Law Clinic"], "FT-3000",
        "Free legal advice and representation for people with low incomes."),
    (Category::EducationEmployment, &["Job Training Center", "Adult Literacy", "ESL Classes", "Career Center", "GED Program"], "ND-1500",
        "Classes, tutoring and job training to help adults find work."),
];

const PLACES: &[(&str, &str, &str, f64, f64)] = &[
    ("Springfield", "MA", "01103", 42.1015, -72.5898),
    ("Chicopee", "MA", "01013", 42.1487, -72.6079),
    ("Holyoke", "MA", "01040", 42.2043, -72.6162),
    ("Westfield", "MA", "01085", 42.1251, -72.7495),
    ("Worcester", "MA", "01608", 42.2626, -71.8023),
    ("Lowell", "MA", "01852", 42.6334, -71.3162),
    ("Lawrence", "MA", "01840", 42.7070, -71.1631),
    ("Brockton", "MA", "02301", 42.0834, -71.0184),
];

const ORG_WORDS: &[&str] = &[
    "Hope", "Harvest", "Open Door", "Good Neighbor", "Riverside", "Valley", "Unity", "Bridge", "Beacon", "Cornerstone", "Lighthouse",
    "New Horizons", "Pioneer", "Common Ground", "Harbor", "Sunrise",
];
const ORG_KINDS: &[&str] = &["Community Services", "Alliance", "Partnership", "Center", "Network", "Coalition", "Mission", "Project"];
const STREETS: &[&str] = &["Main St", "State St", "Maple Ave", "Chestnut St", "Union St", "Elm St", "Pleasant St", "Central Ave"];
const LANGUAGES: &[&str] = &["Spanish", "Portuguese", "Vietnamese", "Haitian Creole", "Arabic", "Chinese", "Russian", "Khmer", "Somali"];

fn time(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).expect("valid time")
}

fn schedules(rng: &mut Rng, sid: &str) -> Vec<Schedule> {
    const WEEKDAYS: [Weekday; 5] = [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri];
    let mut out = Vec::new();
    let mut push = |days: Vec<Weekday>, o: NaiveTime, c: NaiveTime| {
        let id = derived_id(sid, &format!("schedule{}", out.len()));
        out.push(Schedule { id, days, opens_at: Some(o), closes_at: Some(c), description: String::new() });
    };
    match rng.below(10) {
        // No hours known (10%).
        0 => {}
        // Overnight (shelters, crisis lines): past midnight.
        1 => push(vec![], time(19 + rng.below(3) as u32, 0), time(7, 0)),
        2 => push(vec![Weekday::Fri, Weekday::Sat], time(22, 0), time(2, 0)),
        // Around the clock.
        3 => push(vec![], time(0, 0), time(0, 0)),
        // Office hours, sometimes Saturday.
        _ => {
            let open = time(8 + rng.below(3) as u32, if rng.chance(30) { 30 } else { 0 });
            let close = time(16 + rng.below(4) as u32, 0);
            let days = if rng.chance(20) { vec![Weekday::Mon, Weekday::Wed, Weekday::Fri] } else { WEEKDAYS.to_vec() };
            push(days, open, close);
            if rng.chance(40) {
                push(vec![Weekday::Sat], time(10, 0), time(14, 0));
            }
        }
    }
    out
}

/// `n` services (with their organizations, about one for every three services) from `seed`,
/// checked on dates up to `today`.
pub fn directory(n: usize, seed: u64, today: NaiveDate) -> (Vec<Organization>, Vec<Service>) {
    let mut rng = Rng::new(seed);
    let org_count = n.div_ceil(3).max(1);
    let organizations: Vec<Organization> = (0..org_count)
        .map(|i| {
            let name = format!("{} {}{}", rng.pick(ORG_WORDS), rng.pick(ORG_KINDS), if i >= ORG_WORDS.len() * ORG_KINDS.len() { format!(" {}", i) } else { String::new() });
            Organization {
                id: ids::uuid_v4(rng.bytes16()),
                website: format!("https://example.org/{}", name.to_ascii_lowercase().replace(' ', "-")),
                name,
                description: "A nonprofit serving the region's families.".into(),
                ..Default::default()
            }
        })
        .collect();
    let services = (0..n)
        .map(|i| {
            let org = &organizations[i % org_count];
            let (category, names, code, description) = *rng.pick(KINDS);
            let (city, state, zip, lat, lon) = *rng.pick(PLACES);
            let id = ids::uuid_v4(rng.bytes16());
            let name = format!("{} {}", city, rng.pick(names));
            let mut languages = vec!["English".to_string()];
            if rng.chance(60) {
                languages.push("Spanish".into());
            }
            if rng.chance(30) {
                let other = rng.pick(LANGUAGES).to_string();
                if !languages.contains(&other) {
                    languages.push(other);
                }
            }
            let (minimum_age, maximum_age) = match rng.below(10) {
                0 => (Some(18), None),
                1 => (Some(60), None),
                2 => (None, Some(17)),
                3 => (Some(12), Some(24)),
                _ => (None, None),
            };
            let status = match rng.below(40) {
                0 => ServiceStatus::Inactive,
                1 => ServiceStatus::TemporarilyClosed,
                _ => ServiceStatus::Active,
            };
            let location_id = ids::uuid_v4(rng.bytes16());
            let offset = (rng.below(2000) as f64 - 1000.0) / 100_000.0;
            let verified = today - Duration::days(rng.below(900) as i64);
            Service {
                organization_id: org.id.clone(),
                organization_name: org.name.clone(),
                description: format!("{description} Serving {city} and nearby towns."),
                status,
                eligibility: if minimum_age == Some(60) { "Adults 60 and over.".into() } else { String::new() },
                fees: if rng.chance(80) { "Free".into() } else { "Sliding scale".into() },
                application_process: "Walk in or call.".into(),
                minimum_age,
                maximum_age,
                languages,
                locations: vec![Location {
                    id: location_id.clone(),
                    name: format!("{} office", org.name),
                    location_type: "physical".into(),
                    address: Address {
                        id: derived_id(&location_id, "address"),
                        address_1: format!("{} {}", 1 + rng.below(1500), rng.pick(STREETS)),
                        address_2: String::new(),
                        city: city.into(),
                        state_province: state.into(),
                        postal_code: zip.into(),
                        country: "US".into(),
                    },
                    latitude: Some(((lat + offset) * 10_000.0).round() / 10_000.0),
                    longitude: Some(((lon - offset) * 10_000.0).round() / 10_000.0),
                }],
                phones: vec![Phone {
                    id: derived_id(&id, "phone"),
                    number: format!("({}) 555-{:04}", ["413", "508", "978", "617"][rng.below(4)], rng.below(10_000)),
                    extension: if rng.chance(15) { (100 + rng.below(900)).to_string() } else { String::new() },
                    kind: "voice".into(),
                    description: String::new(),
                }],
                schedules: schedules(&mut rng, &id),
                taxonomy_terms: vec![TaxonomyTerm {
                    id: derived_id("airs", code),
                    code: code.into(),
                    name: category.label().into(),
                    taxonomy: "AIRS".into(),
                }],
                categories: vec![category],
                assured_date: if rng.chance(90) { Some(verified) } else { None },
                last_modified: None,
                name,
                id,
                ..Default::default()
            }
        })
        .collect();
    (organizations, services)
}

/// `n` services from `seed` (see [`directory`]; checked before 2026-01-01).
pub fn services(n: usize, seed: u64) -> Vec<Service> {
    directory(n, seed, NaiveDate::from_ymd_opt(2026, 1, 1).expect("valid date")).1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::directory::{DirectoryIndex, DirectoryQuery, OpenState};

    #[test]
    fn the_same_seed_gives_the_same_directory() {
        assert_eq!(services(50, 7), services(50, 7));
        assert_ne!(services(50, 7), services(50, 8));
        let s = services(300, 1);
        assert!(s.iter().all(|s| ids::is_uuid(&s.id) && !s.name.is_empty() && !s.categories.is_empty()));
        assert!(s.iter().any(|s| s.schedules.is_empty()), "some without hours");
        assert!(s.iter().any(|s| s.schedules.iter().any(|sc| sc.closes_at < sc.opens_at)), "some past midnight");
        assert!(s.iter().any(|s| s.languages.len() > 1));
        for c in &Category::ALL[..9] {
            assert!(s.iter().any(|s| s.categories.contains(c)), "{c:?}");
        }
    }

    /// The 2,000-service benchmark: build the index once, then search as the kiosk does.
    /// No timing assertion here (`cargo test --release --lib directory_benchmark --
    /// --nocapture` prints the times: well under 5 ms per query natively).
    #[test]
    fn directory_benchmark_2000_services() {
        let services = services(2_000, 42);
        let started = std::time::Instant::now();
        let index = DirectoryIndex::new(&services);
        let built = started.elapsed();
        let now = NaiveDate::from_ymd_opt(2026, 5, 16).unwrap().and_hms_opt(1, 0, 0).unwrap(); // Saturday 01:00
        let queries = ["food pantry", "pantri", "houseing", "legal", "counsleing", "springfield food", "e", "job training center", "zzz"];
        let started = std::time::Instant::now();
        let mut results = Vec::new();
        for q in queries {
            results.push(index.search(&DirectoryQuery { text: q.into(), ..Default::default() }, now));
        }
        let open = index.search(&DirectoryQuery { open_now: true, ..Default::default() }, now);
        let per_query = started.elapsed() / (queries.len() as u32 + 1);
        eprintln!("2,000 services: index built in {built:?} ({} words); {per_query:?} per query", index.vocabulary_len());

        let food = &results[0];
        assert!(!food.is_empty());
        assert!(services[food[0]].name.contains("Food Pantry"));
        assert!(food.iter().all(|&i| services[i].categories.contains(&Category::Food) || services[i].description.to_lowercase().contains("food")));
        assert_eq!(results[1].first().map(|&i| services[i].name.contains("Pantry")), Some(true), "pantri");
        assert!(results[2].iter().take(5).all(|&i| services[i].categories.contains(&Category::Housing)), "houseing");
        assert!(results[4].iter().take(5).all(|&i| services[i].categories.contains(&Category::MentalHealth)), "counsleing");
        assert!(results[5].iter().take(10).all(|&i| services[i].name.starts_with("Springfield")));
        assert!(results[8].is_empty());
        // Saturday 01:00: only overnight and around-the-clock services are open.
        assert!(!open.is_empty());
        assert!(open.iter().all(|&i| services[i].open_state(now) == OpenState::Open));
        assert!(open.iter().all(|&i| services[i].schedules.iter().any(|s| s.closes_at <= s.opens_at)));
    }
}
