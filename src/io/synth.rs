//! A deterministic synthetic panel for benchmarks and demonstrations: the same seed gives
//! the same patients, with names from the many languages a US clinic's panel holds.

use chrono::{Duration, NaiveDate};

use crate::model::{ids, Address, ChronicCondition, CodeSystem, Condition, Patient, Sex, Timestamp};
use crate::model::profile::{CareProfile, NeedLevel};

/// A small, fast, seeded generator (SplitMix64). Not for anything secret.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn bytes16(&mut self) -> [u8; 16] {
        let mut b = [0u8; 16];
        b[..8].copy_from_slice(&self.next_u64().to_le_bytes());
        b[8..].copy_from_slice(&self.next_u64().to_le_bytes());
        b
    }
}

/// (language, female first names, male first names, last names)
type Culture = (&'static str, &'static [&'static str], &'static [&'static str], &'static [&'static str]);

const CULTURES: &[Culture] = &[
    ("English", &["Mary", "Jennifer", "Linda", "Emily", "Grace", "Hannah"], &["James", "Robert", "Michael", "David", "Thomas", "Daniel"],
        &["Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "O'Brien", "Wilson", "Taylor"]),
    ("Spanish", &["María", "Lucía", "Sofía", "Ximena", "Guadalupe", "Inés"], &["José", "Luis", "Andrés", "Jesús", "Raúl", "Martín"],
        &["García", "Martínez", "Rodríguez", "Hernández", "López", "González", "Pérez", "Núñez", "Peña", "Ibáñez"]),
    ("Vietnamese", &["Thị Ánh", "Ngọc", "Thu Hà", "Lan"], &["Văn Minh", "Đức", "Quốc Bảo", "Tuấn"],
        &["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ"]),
    ("Portuguese", &["Ana", "Beatriz", "Conceição", "Joana"], &["João", "Tomás", "Gonçalo", "Sebastião"],
        &["Silva", "Santos", "Gonçalves", "Conceição", "Araújo", "Fernandes"]),
    ("Haitian Creole", &["Mirlande", "Nadège", "Roselène"], &["Jean-Baptiste", "Wilner", "Frantz"],
        &["Pierre", "Joseph", "Jean-Louis", "Désir", "Étienne"]),
    ("Arabic", &["Fatima", "Aisha", "Layla", "Mariam"], &["Mohammed", "Omar", "Youssef", "Khalid"],
        &["Al-Sayed", "Haddad", "Khoury", "Nasser", "Mansour"]),
    ("Somali", &["Hodan", "Ayaan", "Sahra"], &["Abdirahman", "Hassan", "Liban"], &["Warsame", "Farah", "Abdi", "Hirsi"]),
    ("Mandarin", &["Xiù Yīng", "Li Na", "Mei"], &["Wei", "Jun", "Hao"], &["Wáng", "Lǐ", "Zhāng", "Chén", "Liú"]),
    ("Russian", &["Olga", "Natalia", "Yelena"], &["Dmitri", "Sergei", "Aleksandr"], &["Ivanov", "Smirnova", "Kuznetsov", "Popova"]),
    ("Polish", &["Małgorzata", "Zofia", "Agnieszka"], &["Łukasz", "Paweł", "Krzysztof"], &["Nowak", "Wiśniewski", "Wójcik", "Kowalczyk"]),
    ("French", &["Élodie", "Chloé", "Amélie"], &["François", "Jérôme", "Benoît"], &["Béranger", "Lefèvre", "Dubois", "Moreau"]),
    ("Hindi", &["Priya", "Ananya", "Lakshmi"], &["Arjun", "Rahul", "Vikram"], &["Sharma", "Patel", "Iyer", "Reddy"]),
];

const STREETS: &[&str] = &["Main St", "Elm St", "Washington Ave", "Centre St", "Blue Hill Ave", "Dorchester Ave", "Maple Rd", "Harvard St"];
const CITIES: &[(&str, &str)] = &[("Boston", "02118"), ("Chelsea", "02150"), ("Somerville", "02143"), ("Lynn", "01902"), ("Quincy", "02169"), ("Brockton", "02301")];
const PROVIDERS: &[&str] = &["Dr. Amara Okafor", "Dr. Ben Hadley", "Dr. Carmen Ruiz", "Dr. Daniel Cho", "Dr. Esther Levin", "Dr. Farid Haddad", "NP Gloria Santos", "PA Henry Walsh"];

/// `n` patients from `seed`, born 1930-2024, created at `now`.
pub fn patients(n: usize, seed: u64, now: Timestamp) -> Vec<Patient> {
    let mut rng = Rng::new(seed);
    let start = NaiveDate::from_ymd_opt(1930, 1, 1).unwrap();
    let span_days = 95 * 365;
    (0..n)
        .map(|i| {
            let (language, women, men, lasts) = *rng.pick(CULTURES);
            let sex = if rng.chance(52) { Sex::Female } else { Sex::Male };
            let first = if sex == Sex::Female { rng.pick(women) } else { rng.pick(men) };
            let last = rng.pick(lasts);
            let (city, zip) = *rng.pick(CITIES);
            let date_of_birth = start + Duration::days(rng.below(span_days) as i64);
            let interpreter_needed = language != "English" && rng.chance(45);
            Patient { rev: 0,
                id: ids::uuid_v4(rng.bytes16()),
                source_id: String::new(),
                source_digests: Default::default(),
                first_name: first.to_string(),
                last_name: last.to_string(),
                date_of_birth,
                sex,
                mrn: format!("MRN{:07}", 1_000_000 + i),
                phone: format!("617-{:03}-{:04}", 200 + rng.below(800), rng.below(10_000)),
                email: if rng.chance(40) { format!("patient{i}@example.org") } else { String::new() },
                address: Address {
                    line: format!("{} {}", 1 + rng.below(999), rng.pick(STREETS)),
                    city: city.to_string(),
                    state: "MA".to_string(),
                    postal_code: zip.to_string(),
                },
                preferred_language: language.to_string(),
                interpreter_needed,
                assigned_provider: rng.pick(PROVIDERS).to_string(),
                notes: if rng.chance(10) { "Prefers morning calls.".to_string() } else { String::new() },
                profile: profile(i, interpreter_needed, now.date_naive()),
                created_at: now,
                updated_at: now,
            }
        })
        .collect()
}

/// A need level for about a third of the panel and a flag or two for some, derived from the
/// patient's number so that the random sequence (and every other field) stays as it was.
fn profile(i: usize, interpreter_needed: bool, today: NaiveDate) -> CareProfile {
    let mut p = CareProfile::default();
    if i.is_multiple_of(3) {
        let level = 1 + (i / 3 % 4) as u8;
        p.need_level = Some(NeedLevel { level, set_on: today - Duration::days((i % 300) as i64), reason: "Panel review".into() });
    }
    if interpreter_needed {
        p.flags.push("needs interpreter".into());
    }
    if i.is_multiple_of(11) {
        p.flags.push("transport barrier".into());
    }
    if i.is_multiple_of(5) {
        p.ccm_consent_on = Some(today - Duration::days((i % 400) as i64));
    }
    p
}

/// (SNOMED code, display, percent of patients)
const PROBLEMS: &[(&str, &str, usize)] = &[
    ("44054006", "Diabetes mellitus type 2", 12),
    ("59621000", "Essential hypertension", 25),
    ("195967001", "Asthma", 8),
    ("35489007", "Depressive disorder", 10),
    ("84114007", "Heart failure", 3),
];

/// A problem list for each of `patients`, at the usual prevalences of a primary-care panel.
pub fn conditions(patients: &[Patient], seed: u64, now: Timestamp) -> Vec<Condition> {
    let mut rng = Rng::new(seed ^ 0xC0DE);
    let mut out = Vec::new();
    for p in patients {
        for (n, (code, display, percent)) in PROBLEMS.iter().enumerate() {
            if rng.chance(*percent) {
                let onset = p.date_of_birth + Duration::days(365 * 18 + rng.below(365 * 20) as i64);
                out.push(Condition { source_id: String::new(), rev: 0,
                    id: format!("{}-cond-{n}", p.id),
                    patient_id: p.id.clone(),
                    system: CodeSystem::Snomed,
                    code: code.to_string(),
                    display: display.to_string(),
                    onset: Some(onset),
                    resolved: None,
                    chronic: ChronicCondition::classify(CodeSystem::Snomed, code, display),
                    created_at: now,
                    updated_at: now,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::patient::tests::{at, day};

    #[test]
    fn same_seed_same_panel_and_every_patient_is_valid() {
        let a = patients(500, 7, at(2026, 1, 1));
        let b = patients(500, 7, at(2026, 1, 1));
        assert_eq!(a, b);
        assert_ne!(a, patients(500, 8, at(2026, 1, 1)));
        for p in &a {
            assert!(p.check(day(2026, 11, 23)).is_ok(), "{p:?}");
            assert!(ids::is_uuid(&p.id));
        }
        let unique: std::collections::HashSet<_> = a.iter().map(|p| &p.id).collect();
        assert_eq!(unique.len(), 500);
        let languages: std::collections::HashSet<_> = a.iter().map(|p| p.preferred_language.as_str()).collect();
        assert!(languages.len() >= 10, "names from many languages: {languages:?}");
    }

    #[test]
    fn problem_lists_have_realistic_prevalence_and_map_to_the_registry() {
        let ps = patients(2000, 3, at(2026, 1, 1));
        let cs = conditions(&ps, 3, at(2026, 1, 1));
        let diabetic = cs.iter().filter(|c| c.chronic == Some(ChronicCondition::Diabetes)).count();
        assert!((160..=320).contains(&diabetic), "about 12% diabetic: {diabetic}");
        assert!(cs.iter().all(|c| c.chronic.is_some()));
        assert_eq!(cs, conditions(&ps, 3, at(2026, 1, 1)));
    }

    #[test]
    fn round_trips_through_synthea_csv() {
        let ps = patients(50, 1, at(2026, 1, 1));
        let csv = crate::io::patients_csv::write_synthea(&ps);
        let back = crate::io::patients_csv::parse_synthea(&csv, day(2026, 11, 23), at(2026, 1, 1)).unwrap();
        assert!(back.problems.is_empty());
        assert_eq!(back.patients.len(), 50);
        for (a, b) in ps.iter().zip(&back.patients) {
            assert_eq!((&a.id, &a.first_name, &a.last_name, a.date_of_birth, a.sex), (&b.id, &b.first_name, &b.last_name, b.date_of_birth, b.sex));
        }
    }
}
