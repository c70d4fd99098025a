//! A deterministic synthetic panel for benchmarks and demonstrations: the same seed gives
//! the same patients, with names from the many languages a US clinic's panel holds, and
//! their care history as a clinic's EHR exports it ([`observations_csv`]: Synthea's
//! `observations.csv`, some 40 rows a patient).

use std::fmt::Write;

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

// ------------------------------------------------------------------------------------------
// Care history: observations.csv

/// The header of Synthea 3.0's `observations.csv`.
pub const OBSERVATIONS_HEADER: &str = "DATE,PATIENT,ENCOUNTER,CATEGORY,CODE,DESCRIPTION,VALUE,UNITS,TYPE";

/// An observation as Synthea writes it: (CATEGORY, CODE, DESCRIPTION, UNITS, TYPE), from its
/// sample `observations.csv`.
type Observed = (&'static str, &'static str, &'static str, &'static str, &'static str);

const HEIGHT: Observed = ("vital-signs", "8302-2", "Body Height", "cm", "numeric");
const PAIN: Observed = ("vital-signs", "72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported", "{score}", "numeric");
const WEIGHT: Observed = ("vital-signs", "29463-7", "Body Weight", "kg", "numeric");
const BMI: Observed = ("vital-signs", "39156-5", "Body Mass Index", "kg/m2", "numeric");
const DIASTOLIC: Observed = ("vital-signs", "8462-4", "Diastolic Blood Pressure", "mm[Hg]", "numeric");
const SYSTOLIC: Observed = ("vital-signs", "8480-6", "Systolic Blood Pressure", "mm[Hg]", "numeric");
const HEART_RATE: Observed = ("vital-signs", "8867-4", "Heart rate", "/min", "numeric");
const BREATHING: Observed = ("vital-signs", "9279-1", "Respiratory rate", "/min", "numeric");
const SMOKING: Observed = ("survey", "72166-2", "Tobacco smoking status NHIS", "", "text");
const QALY: Observed = ("", "QALY", "QALY", "a", "numeric");
const DALY: Observed = ("", "DALY", "DALY", "a", "numeric");
const QOLS: Observed = ("", "QOLS", "QOLS", "{score}", "numeric");
const PHQ2: Observed = ("survey", "55758-7", "Patient Health Questionnaire 2 item (PHQ-2) total score [Reported]", "{score}", "numeric");
const PHQ9: Observed = ("survey", "44261-6", "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]", "{score}", "numeric");
const GAD7: Observed = ("survey", "70274-6", "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]", "{score}", "numeric");
const HBA1C: Observed = ("laboratory", "4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood", "%", "numeric");
const EGFR: Observed = ("laboratory", "33914-3", "Glomerular filtration rate/1.73 sq M.predicted", "mL/min", "numeric");
const FIT: Observed = ("laboratory", "57905-2", "Hemoglobin.gastrointestinal [Presence] in Stool by Immunologic method", "ng/mL", "numeric");
/// The metabolic panel: (observation, lowest, highest).
const METABOLIC: [(Observed, f64, f64); 8] = [
    (("laboratory", "2339-0", "Glucose", "mg/dL", "numeric"), 70.0, 110.0),
    (("laboratory", "6299-2", "Urea Nitrogen", "mg/dL", "numeric"), 7.0, 20.0),
    (("laboratory", "38483-4", "Creatinine", "mg/dL", "numeric"), 0.6, 1.4),
    (("laboratory", "49765-1", "Calcium", "mg/dL", "numeric"), 8.5, 10.2),
    (("laboratory", "2947-0", "Sodium", "mmol/L", "numeric"), 136.0, 145.0),
    (("laboratory", "6298-4", "Potassium", "mmol/L", "numeric"), 3.5, 5.1),
    (("laboratory", "2069-3", "Chloride", "mmol/L", "numeric"), 98.0, 107.0),
    (("laboratory", "20565-8", "Carbon Dioxide", "mmol/L", "numeric"), 22.0, 29.0),
];
/// The lipid panel: (observation, lowest, highest).
const LIPIDS: [(Observed, f64, f64); 4] = [
    (("laboratory", "2093-3", "Total Cholesterol", "mg/dL", "numeric"), 150.0, 260.0),
    (("laboratory", "2571-8", "Triglycerides", "mg/dL", "numeric"), 80.0, 220.0),
    (("laboratory", "18262-6", "Low Density Lipoprotein Cholesterol", "mg/dL", "numeric"), 70.0, 170.0),
    (("laboratory", "2085-9", "High Density Lipoprotein Cholesterol", "mg/dL", "numeric"), 35.0, 80.0),
];
const SMOKERS: [&str; 3] = ["Never smoker", "Former smoker", "Every day smoker"];

/// About how many rows a visit writes, to spread a file's visits over the years.
const ROWS_PER_VISIT: usize = 18;
/// How much text a piece of [`ObservationsCsv`] holds, at least (the last may hold less).
const PIECE_BYTES: usize = 64 * 1024;

/// The key each patient has in a Synthea export of the panel: their `source_id` when they
/// came from a file, else their id (the `Id` that `patients_csv::write_synthea` writes, and
/// that importing it keeps as `source_id`).
pub fn patient_keys(patients: &[Patient]) -> Vec<String> {
    patients.iter().map(|p| if p.source_id.is_empty() { p.id.clone() } else { p.source_id.clone() }).collect()
}

/// What a synthetic patient's visits hold.
struct Health {
    adult: bool,
    diabetic: bool,
    hypertensive: bool,
    smoker: &'static str,
    height: f64,
    weight: f64,
    /// The day of the first visit, from 2000-01-01.
    first_visit: i64,
}

/// Synthea's `observations.csv` (header [`OBSERVATIONS_HEADER`]) for the patients whose
/// keys (the file's PATIENT: see [`patient_keys`]) are `patients`, from `seed`: visits in
/// turn, one patient after the other, every visit an encounter whose observations share
/// its time, as Synthea writes them: vitals (height, weight, BMI, the blood pressure as a
/// diastolic and a systolic row), pain, smoking, quality of life, PHQ-2 (and PHQ-9 when it
/// is 3 or more) for adults, and some visits a metabolic panel with eGFR, a lipid panel, an
/// HbA1c (every visit of a diabetic), a FIT or a GAD-7. Visits are written whole until
/// `rows` rows are (so a few rows more, at most one visit's); 10,000 patients and 400,000
/// rows make some 60 MB. The text comes in pieces of 64 KB or so (whole rows, the header
/// first), so no one string need hold it all: `.collect::<String>()` for the whole.
pub fn observations_csv(patients: &[String], rows: usize, seed: u64) -> ObservationsCsv {
    let mut rng = Rng::new(seed ^ 0x0B5E);
    let visits_each = rows.div_ceil(ROWS_PER_VISIT * patients.len().max(1)).max(1) as i64;
    // The last round of visits in 2025; a patient's visits a year apart.
    let first_round = (25 * 365) - 365 * (visits_each - 1);
    let health = patients
        .iter()
        .map(|_| {
            let adult = rng.chance(85);
            let height = if adult { 150.0 + rng.below(40) as f64 } else { 90.0 + rng.below(60) as f64 };
            let bmi = if adult { 19.0 + rng.below(160) as f64 / 10.0 } else { 15.0 + rng.below(60) as f64 / 10.0 };
            Health {
                adult,
                diabetic: adult && rng.chance(12),
                hypertensive: adult && rng.chance(25),
                smoker: SMOKERS[rng.below(SMOKERS.len())],
                height,
                weight: bmi * (height / 100.0) * (height / 100.0),
                first_visit: first_round + rng.below(300) as i64,
            }
        })
        .collect();
    let keys = patients
        .iter()
        .map(|k| if k.contains([',', '"', '\n', '\r']) { format!("\"{}\"", k.replace('"', "\"\"")) } else { k.clone() })
        .collect();
    ObservationsCsv { keys, health, rng, wanted: rows, rows: 0, visits: 0, header: false }
}

/// The pieces of a synthetic `observations.csv`: see [`observations_csv`].
pub struct ObservationsCsv {
    /// The patients' keys as the file writes them (quoted when they need it).
    keys: Vec<String>,
    health: Vec<Health>,
    rng: Rng,
    wanted: usize,
    rows: usize,
    visits: usize,
    header: bool,
}

impl ObservationsCsv {
    /// The rows written so far (all of them once the pieces have run out).
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// The next visit's rows, into `out`.
    fn visit(&mut self, out: &mut String) {
        let n = self.keys.len();
        let (who, round) = (self.visits % n, (self.visits / n) as i64);
        self.visits += 1;
        let rng = &mut self.rng;
        let h = &self.health[who];
        let day = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + Duration::days(h.first_visit + 365 * round + rng.below(30) as i64);
        let date = format!("{day}T{:02}:{:02}:{:02}Z", 8 + rng.below(10), rng.below(60), rng.below(60));
        let encounter = ids::uuid_v4(rng.bytes16());
        let mut rows = 0;
        let mut row = |o: Observed, value: &str| {
            let (category, code, description, units, kind) = o;
            let _ = writeln!(out, "{date},{},{encounter},{category},{code},{description},{value},{units},{kind}", self.keys[who]);
            rows += 1;
        };
        let number = |x: f64| format!("{x:.1}");
        let weight = h.weight * (0.95 + rng.below(10) as f64 / 100.0);
        let height = h.height;
        row(HEIGHT, &number(height));
        row(PAIN, &number(rng.below(5) as f64));
        row(WEIGHT, &number(weight));
        row(BMI, &number(weight / (height / 100.0) / (height / 100.0)));
        let (sys_base, dia_base) = if h.hypertensive { (135, 85) } else { (105, 68) };
        row(DIASTOLIC, &number((dia_base + rng.below(20)) as f64));
        row(SYSTOLIC, &number((sys_base + rng.below(30)) as f64));
        row(HEART_RATE, &number((60 + rng.below(40)) as f64));
        row(BREATHING, &number((12 + rng.below(6)) as f64));
        row(SMOKING, h.smoker);
        row(QALY, &number(rng.below(600) as f64 / 10.0));
        row(DALY, &number(rng.below(30) as f64 / 10.0));
        row(QOLS, &number(if rng.chance(80) { 1.0 } else { 0.8 }));
        if h.adult {
            let phq2 = if rng.chance(85) { rng.below(3) } else { 3 + rng.below(4) };
            row(PHQ2, &number(phq2 as f64));
            if phq2 >= 3 {
                row(PHQ9, &number((5 + rng.below(20)) as f64));
            }
            if rng.chance(40) || h.diabetic {
                for (o, low, high) in METABOLIC {
                    row(o, &number(low + (high - low) * rng.below(1000) as f64 / 1000.0));
                }
                row(EGFR, &number((45 + rng.below(60)) as f64));
            }
            if rng.chance(30) {
                for (o, low, high) in LIPIDS {
                    row(o, &number(low + (high - low) * rng.below(1000) as f64 / 1000.0));
                }
            }
            if h.diabetic || rng.chance(10) {
                let base = if h.diabetic { 6.5 } else { 5.0 };
                row(HBA1C, &number(base + rng.below(30) as f64 / 10.0));
            }
            if rng.chance(8) {
                row(FIT, &number(rng.below(100) as f64 / 10.0));
            }
            if rng.chance(20) {
                row(GAD7, &number(rng.below(15) as f64));
            }
        }
        self.rows += rows;
    }
}

impl Iterator for ObservationsCsv {
    type Item = String;

    /// The next piece: whole rows, at least 64 KB of them (the first starts with the header).
    fn next(&mut self) -> Option<String> {
        if self.header && (self.rows >= self.wanted || self.keys.is_empty()) {
            return None;
        }
        let mut out = String::with_capacity(PIECE_BYTES + 4096);
        if !self.header {
            self.header = true;
            out.push_str(OBSERVATIONS_HEADER);
            out.push('\n');
        }
        while out.len() < PIECE_BYTES && self.rows < self.wanted && !self.keys.is_empty() {
            self.visit(&mut out);
        }
        Some(out)
    }
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
    fn observations_csv_is_synthea_s_layout_for_the_panel() {
        let sample = include_str!("../../../shared/testdata/synthea-csv/observations.csv");
        assert_eq!(sample.lines().next(), Some(OBSERVATIONS_HEADER), "the sample's header");
        let panel = patients(300, 5, at(2026, 1, 1));
        let keys = patient_keys(&panel);
        let mut pieces = observations_csv(&keys, 12_000, 9);
        let text: String = pieces.by_ref().collect();
        assert_eq!(text, observations_csv(&keys, 12_000, 9).collect::<String>(), "the same seed, the same file");
        assert_ne!(text, observations_csv(&keys, 12_000, 10).collect::<String>());
        let rows: Vec<Vec<&str>> = text.lines().skip(1).map(|l| l.split(',').collect()).collect();
        assert_eq!(rows.len(), pieces.rows());
        assert!((12_000..12_000 + 40).contains(&rows.len()), "whole visits up to the rows asked: {}", rows.len());
        assert!(rows.iter().all(|r| r.len() == 9), "nine cells, none quoted");
        let known: std::collections::HashSet<&str> = keys.iter().map(String::as_str).collect();
        let seen: std::collections::HashSet<&str> = rows.iter().map(|r| r[1]).collect();
        assert_eq!(seen, known, "every patient of the panel, and only them");
        // Each visit's blood pressure: a diastolic and a systolic row of the same time.
        let diastolic = rows.iter().filter(|r| r[4] == "8462-4").count();
        let systolic: Vec<&Vec<&str>> = rows.iter().filter(|r| r[4] == "8480-6").collect();
        assert_eq!(diastolic, systolic.len());
        assert!(systolic.iter().all(|s| rows.iter().any(|d| d[4] == "8462-4" && (d[0], d[1], d[2]) == (s[0], s[1], s[2]))));
        for code in ["4548-4", "33914-3", "55758-7", "44261-6", "72166-2", "39156-5", "29463-7", "8302-2"] {
            assert!(rows.iter().any(|r| r[4] == code), "{code} is written");
        }
        let years: std::collections::BTreeSet<&str> = rows.iter().map(|r| &r[0][..4]).collect();
        assert!(years.iter().all(|y| ("2020".."2026").contains(y)), "{years:?}");
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
