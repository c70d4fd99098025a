//! Tests of `io::patients_csv`: Synthea, the template, and choosing the reader.

use super::*;
use crate::model::patient::tests::{at, day};
use crate::model::{ChronicCondition, CodeSystem, Condition};

const SAMPLE: &str = include_str!("../../../../shared/testdata/synthea-csv/patients.csv");

fn parse(text: &str) -> PatientImport {
    parse_synthea(text, day(2026, 11, 23), at(2026, 11, 23)).unwrap()
}

#[test]
fn reads_the_real_synthea_sample() {
    let got = parse(SAMPLE);
    assert_eq!(got.patients.len() + got.skipped.len(), 27);
    assert_eq!(got.skipped.len(), 2, "two have a DEATHDATE");
    assert!(got.problems.is_empty(), "{:?}", got.problems);
    let first = &got.patients[0];
    assert_eq!(first.id, "3edac2e3-d223-6fae-d515-daf96ef6bc76");
    assert_eq!(first.full_name(), "Maynard Mosciski");
    assert_eq!(first.date_of_birth, day(2014, 10, 6));
    assert_eq!(first.sex, crate::model::Sex::Male);
    assert_eq!(first.address.city, "Somerville");
    assert_eq!(first.address.postal_code, "02155");
    assert!(got.skipped[0].message.starts_with("deceased"));
}

#[test]
fn later_layouts_are_found_by_header_name() {
    let text = "Id,BIRTHDATE,DEATHDATE,SSN,DRIVERS,PASSPORT,PREFIX,FIRST,MIDDLE,LAST,SUFFIX,MAIDEN,MARITAL,RACE,ETHNICITY,GENDER,BIRTHPLACE,ADDRESS,CITY,STATE,COUNTY,FIPS,ZIP,LAT,LON,HEALTHCARE_EXPENSES,HEALTHCARE_COVERAGE,INCOME\n\
                a1,1980-01-02,,,,,,Ana12,B,Lima34,,,,,,F,,1 Main St,Boston,MA,,,02118,,,,,50000\n";
    let got = parse(text);
    assert_eq!(got.patients[0].full_name(), "Ana Lima");
    assert_eq!(got.patients[0].address.postal_code, "02118");
}

#[test]
fn bad_rows_are_named_by_line_and_the_rest_is_kept() {
    let text = "Id,BIRTHDATE,FIRST,LAST,GENDER\n\
                a1,1990-02-31,Ana,Lima,F\n\
                a2,1980-01-01,,Souza,F\n\
                a3,1980-01-01,Caio,Souza,X\n\
                a4,1980-01-01,Rui,Costa,M\n\
                a4,1981-01-01,Rui,Costa,M\n\
                ,1981-01-01,No,Id,M\n";
    let got = parse(text);
    let lines: Vec<String> = got.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        lines,
        vec![
            "Line 2: date of birth '1990-02-31' is not a date.",
            "Line 3: first name is required.",
            "Line 4: sex 'X' is not one of female, male, other, unknown.",
            "Line 6: the Id a4 appears twice in the file.",
            "Line 7: the Id is empty.",
        ]
    );
    assert_eq!(got.patients.len(), 1);
}

#[test]
fn empty_and_foreign_files_are_refused() {
    assert_eq!(parse_synthea("", day(2026, 1, 1), at(2026, 1, 1)).unwrap_err().0, "The file is empty.");
    let err = parse_synthea("name,dob\nAna,1990-01-01\n", day(2026, 1, 1), at(2026, 1, 1)).unwrap_err();
    assert_eq!(err.0, "Line 1: this is not a Synthea patients.csv: the columns Id, BIRTHDATE, FIRST, LAST are missing.");
    let header_only = parse("Id,BIRTHDATE,FIRST,LAST\n");
    assert!(header_only.patients.is_empty() && header_only.problems.is_empty());
}

#[test]
fn written_csv_reads_back() {
    let got = parse(SAMPLE);
    let again = parse(&write_synthea(&got.patients));
    assert_eq!(again.patients, got.patients);
}

const CONDITIONS: &str = include_str!("../../../../shared/testdata/synthea-csv/conditions.csv");
const ENCOUNTERS_HEAD: &str = "Id,START,STOP,PATIENT,ORGANIZATION,PROVIDER,PAYER,ENCOUNTERCLASS,CODE,DESCRIPTION,BASE_ENCOUNTER_COST,TOTAL_CLAIM_COST,PAYER_COVERAGE,REASONCODE,REASONDESCRIPTION\n";
const FHIR_PATIENTS: &str = include_str!("../../../../shared/testdata/fhir-ndjson/Patient.000.ndjson");
const FHIR_CONDITIONS: &str = include_str!("../../../../shared/testdata/fhir-ndjson/Condition.000.ndjson");
const BUSTER: &str =
    include_str!("../../../../shared/testdata/fhir-bundle/Buster_Hoeger_ad2e3fc5-2b5d-4cb9-8d03-9ea0f4ac8423.json");

fn ids() -> impl FnMut() -> String {
    let mut n = 0;
    move || {
        n += 1;
        format!("new-{n}")
    }
}

fn template(text: &str) -> PatientImport {
    parse_template(text, day(2026, 11, 23), at(2026, 11, 23), &mut ids()).unwrap()
}

fn detect(files: &[(&str, &str)]) -> Result<PatientImport, FileProblem> {
    let files: Vec<(String, String)> = files.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect();
    detect_and_parse(&files, day(2026, 11, 23), at(2026, 11, 23), &mut ids())
}

fn lines(rows: &[RowProblem]) -> Vec<String> {
    rows.iter().map(|p| p.to_string()).collect()
}

#[test]
fn reads_the_real_synthea_conditions() {
    let mut got = parse(SAMPLE);
    parse_synthea_conditions(CONDITIONS, &mut got, at(2026, 11, 23)).unwrap();
    assert!(got.problems.is_empty(), "{:?}", got.problems);
    // 438 rows: 15 of the 2 deceased patients; the other 423 hold 162 distinct
    // (patient, code), Synthea repeating a condition at many encounters.
    assert_eq!(got.conditions.len(), 162);
    let ids: HashSet<&str> = got.patients.iter().map(|p| p.id.as_str()).collect();
    assert!(got.conditions.iter().all(|c| ids.contains(c.patient_id.as_str()) && c.system == CodeSystem::Snomed));
    let condition_ids: HashSet<&str> = got.conditions.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(condition_ids.len(), 162);

    // The two deceased patients: their own skipped line, and one for their conditions.
    assert_eq!(
        lines(&got.skipped[2..]),
        vec![
            "Line 4: 3 conditions of patient 261ad2a4-7c6f-da54-6a5b-3441beab9a6a are not imported: the patient is not imported (deceased, a bad row, or not in patients.csv).",
            "Line 91: 12 conditions of patient c2d1b552-0725-58ca-03fa-158d3437c06c are not imported: the patient is not imported (deceased, a bad row, or not in patients.csv).",
        ]
    );

    // Hypertension (SNOMED 59621000) for the 6 patients who have it.
    let hypertensive: HashSet<&str> = got
        .conditions
        .iter()
        .filter(|c| c.code == "59621000")
        .inspect(|c| assert_eq!(c.chronic, Some(ChronicCondition::Hypertension)))
        .map(|c| c.patient_id.as_str())
        .collect();
    assert_eq!(hypertensive.len(), 6);
    // Prediabetes is not diabetes; nobody in this sample has diabetes.
    let prediabetes: Vec<&Condition> = got.conditions.iter().filter(|c| c.code == "15777000").collect();
    assert_eq!(prediabetes.len(), 5);
    assert!(prediabetes.iter().all(|c| c.chronic.is_none()));
    assert!(!got.conditions.iter().any(|c| c.chronic == Some(ChronicCondition::Diabetes)));
    let asthma = got.conditions.iter().find(|c| c.code == "233678006").unwrap();
    assert_eq!(asthma.chronic, Some(ChronicCondition::Asthma));

    // Merged repeats: earliest onset, still open because the last occurrence is.
    let work = got
        .conditions
        .iter()
        .find(|c| c.patient_id == "319af005-46b9-f635-79dd-ec44d34a8c23" && c.code == "160903007")
        .unwrap();
    assert_eq!(work.id, "319af005-46b9-f635-79dd-ec44d34a8c23-cond-snomed-160903007");
    assert_eq!((work.onset, work.resolved), (Some(day(1968, 1, 20)), None));
    let first = &got.conditions[0];
    assert_eq!(first.display, "Acute viral pharyngitis (disorder)");
    assert_eq!((first.onset, first.resolved), (Some(day(2023, 1, 27)), Some(day(2023, 2, 9))));
    assert_eq!((first.created_at, first.updated_at), (at(2026, 11, 23), at(2026, 11, 23)));
}

#[test]
fn synthea_conditions_with_system_and_bad_rows() {
    let mut got = parse("Id,BIRTHDATE,FIRST,LAST\na1,1980-01-02,Ana,Lima\n");
    let text = "START,STOP,PATIENT,ENCOUNTER,SYSTEM,CODE,DESCRIPTION\n\
                2020-01-01,,a1,e1,SNOMED-CT,44054006,Diabetes mellitus type 2 (disorder)\n\
                2020-13-01,,a1,e1,SNOMED-CT,59621000,Essential hypertension (disorder)\n\
                2021-01-01,2020-01-01,a1,e1,ICD-10,J45.909,Asthma\n\
                2019-01-01,2019-06-01,a1,e2,SNOMED-CT,44054006,Diabetes mellitus type 2 (disorder)\n\
                2021-01-01,,,e3,SNOMED-CT,1,x\n\
                2021-01-01,,zz,e3,SNOMED-CT,1,x\n\
                2021-01-01,,zz,e3,SNOMED-CT,2,y\n\
                2022-02-02T10:00:00Z,,a1,e4,ICD-10,F33.1,\n";
    parse_synthea_conditions(text, &mut got, at(2026, 1, 1)).unwrap();
    assert_eq!(
        lines(&got.problems),
        vec![
            "Line 3: condition 'Essential hypertension (disorder)': start '2020-13-01' is not a date.",
            "Line 4: condition 'Asthma': stop 2020-01-01 is before start 2021-01-01.",
            "Line 6: the condition's PATIENT is empty.",
        ]
    );
    assert_eq!(
        lines(&got.skipped),
        vec!["Line 7: 2 conditions of patient zz are not imported: the patient is not imported (deceased, a bad row, or not in patients.csv)."]
    );
    assert_eq!(got.conditions.len(), 2);
    let diabetes = &got.conditions[0];
    assert_eq!(diabetes.id, "a1-cond-snomed-44054006");
    assert_eq!((diabetes.onset, diabetes.resolved), (Some(day(2019, 1, 1)), None), "earliest onset, open");
    assert_eq!(diabetes.chronic, Some(ChronicCondition::Diabetes));
    let depression = &got.conditions[1];
    assert_eq!((depression.system, depression.display.as_str()), (CodeSystem::Icd10, "F33.1"));
    assert_eq!(depression.onset, Some(day(2022, 2, 2)));
    assert_eq!(depression.chronic, Some(ChronicCondition::Depression));

    let err = parse_synthea_conditions("PATIENT,CODE\n", &mut got, at(2026, 1, 1)).unwrap_err();
    assert_eq!(err.0, "Line 1: this is not a Synthea conditions.csv: the columns START, DESCRIPTION are missing.");
    assert_eq!(parse_synthea_conditions(" \n", &mut got, at(2026, 1, 1)).unwrap_err().0, "The conditions file is empty.");
}

#[test]
fn the_template_reads_back() {
    assert!(template_csv().starts_with(TEMPLATE_HEADER));
    let got = template(&template_csv());
    assert!(got.problems.is_empty(), "{:?}", got.problems);
    assert_eq!(got.patients.len(), 1);
    let p = &got.patients[0];
    assert_eq!(p.id, "new-1");
    assert_eq!(p.full_name(), "Rosa Example");
    assert_eq!(p.date_of_birth, day(1958, 4, 12));
    assert_eq!(p.sex, crate::model::Sex::Female);
    assert_eq!(p.mrn, "MRN-000123");
    assert_eq!(p.phone, "(555) 010-0123");
    assert_eq!(p.email, "rosa.example@example.org");
    assert_eq!(p.address.one_line(), "12 Elm St, Springfield, MA 01101");
    assert_eq!(p.preferred_language, "Spanish");
    assert!(p.interpreter_needed);
    assert_eq!(p.assigned_provider, "Dr. Rivera");
    assert_eq!(p.notes, "Prefers calls after 2 pm");
    assert_eq!(got.conditions.len(), 2);
    let c = &got.conditions;
    assert_eq!((c[0].id.as_str(), c[0].system, c[0].code.as_str()), ("new-1-cond-1", CodeSystem::Snomed, "44054006"));
    assert_eq!(c[0].chronic, Some(ChronicCondition::Diabetes));
    assert_eq!((c[1].code.as_str(), c[1].display.as_str()), ("", "Hypertension"));
    assert_eq!(c[1].chronic, Some(ChronicCondition::Hypertension));
    assert!(c.iter().all(|c| c.patient_id == "new-1" && c.onset.is_none()));
}

#[test]
fn template_columns_by_name_any_case_and_order() {
    let text = "\u{feff}Last Name,FIRST_NAME,Date of Birth,Extra,Interpreter Needed,Conditions\n\
                Lima,Ana,03/14/1962,whatever,N,ICD-10|E11.9|Type 2 diabetes; Childhood asthma ;\n\
                ,,,,,\n";
    let got = template(text);
    assert!(got.problems.is_empty(), "{:?}", got.problems);
    assert_eq!(got.patients[0].full_name(), "Ana Lima");
    assert_eq!(got.patients[0].date_of_birth, day(1962, 3, 14));
    assert!(!got.patients[0].interpreter_needed);
    let chronic: Vec<_> = got.conditions.iter().map(|c| c.chronic).collect();
    assert_eq!(chronic, vec![Some(ChronicCondition::Diabetes), Some(ChronicCondition::Asthma)]);
}

#[test]
fn template_bad_rows_are_named_by_line() {
    let text = format!(
        "{TEMPLATE_HEADER}\n\
         Ana,Lima,1990-02-31,F,M1,,,,,,,,,,,\n\
         ,Souza,1980-01-01,F,M2,,,,,,,,maybe,,,\n\
         Caio,Souza,1980-01-01,X,M3,12,not-an-email,,,,,,,,,\n\
         Rui,Costa,1980-01-01,M,m3,,,,,,,,,,,\n\
         Bia,Reis,1980-01-01,F,,,,,,,,,yes,,,SNOMED|44054006\n\
         \"Eva\",\"Dias, Jr.\",1970-05-05,female,M9,555-0100-99,,\"1 Main St, Apt 2\",Boston,MA,02118,Portuguese,1,Dr. Lee,\"two\nlines\",Hypertension\n\
         Ana,Lima,2027-01-01,F,M1,,,,,,,,,,,\n"
    );
    let got = template(&text);
    assert_eq!(
        lines(&got.problems),
        vec![
            "Line 2: date of birth '1990-02-31' is not a date.",
            "Line 3: interpreter needed 'maybe' is not yes or no; first name is required.",
            "Line 4: sex 'X' is not one of female, male, other, unknown; phone '12' is not a phone number; email 'not-an-email' is not an email address.",
            "Line 5: the MRN m3 appears twice in the file (first on line 4).",
            "Line 6: condition 'SNOMED|44054006' is not SYSTEM|CODE|Display or a name.",
            "Line 9: date of birth 2027-01-01 is in the future; the MRN M1 appears twice in the file (first on line 2).",
        ]
    );
    assert_eq!(got.patients.len(), 1);
    let eva = &got.patients[0];
    assert_eq!((eva.id.as_str(), eva.last_name.as_str()), ("new-1", "Dias, Jr."));
    assert_eq!(eva.address.line, "1 Main St, Apt 2");
    assert_eq!(eva.notes, "two\nlines");
    assert!(eva.interpreter_needed);
    assert_eq!(got.conditions.len(), 1);
}

#[test]
fn template_refuses_empty_and_foreign_files() {
    let refuse = |t: &str| parse_template(t, day(2026, 1, 1), at(2026, 1, 1), &mut ids()).unwrap_err().0;
    assert_eq!(refuse(""), "The file is empty.");
    assert_eq!(refuse("first_name,surname\nAna,Lima\n"), "Line 1: this is not the CareCoord patient template: the columns last_name, date_of_birth are missing.");
    assert!(template(&format!("{TEMPLATE_HEADER}\n")).patients.is_empty());
}

#[test]
fn detect_chooses_the_reader_by_content() {
    // Synthea, in either order, with the conditions tagged by file.
    let got = detect(&[("conditions.csv", CONDITIONS), ("patients.csv", SAMPLE)]).unwrap();
    assert_eq!((got.patients.len(), got.conditions.len(), got.skipped.len()), (25, 162, 4));
    assert_eq!(got.skipped[0].to_string(), "Line 5: deceased (1976-07-25), not added to the panel (in patients.csv).");
    assert!(got.skipped[2].message.ends_with("(in conditions.csv)."), "{}", got.skipped[2]);
    let alone = detect(&[("patients.csv", SAMPLE)]).unwrap();
    assert_eq!((alone.patients.len(), alone.conditions.len()), (25, 0));
    assert_eq!(alone.skipped[0].to_string(), "Line 5: deceased (1976-07-25), not added to the panel.");

    // The template.
    let got = detect(&[("mine.csv", &template_csv())]).unwrap();
    assert_eq!((got.patients.len(), got.conditions.len()), (1, 2));

    // FHIR: NDJSON pair and bundles.
    let got = detect(&[("Patient.000.ndjson", FHIR_PATIENTS), ("Condition.000.ndjson", FHIR_CONDITIONS)]).unwrap();
    assert_eq!((got.patients.len(), got.conditions.len()), (10, 147));
    assert!(got.skipped.iter().any(|s| s.message.ends_with("(in Condition.000.ndjson).")));
    let got = detect(&[("buster.json", BUSTER)]).unwrap();
    assert_eq!(got.patients[0].full_name(), "Buster Hoeger");
    assert_eq!(got.conditions.len(), 2);
}

#[test]
fn detect_refuses_what_it_cannot_read() {
    let refuse = |files: &[(&str, &str)]| detect(files).unwrap_err().0;
    let expected = "people.csv is not a patient list CareCoord reads: expected the CareCoord CSV template, Synthea patients.csv (with conditions.csv), or FHIR R4 Patient/Condition JSON.";
    assert_eq!(refuse(&[("people.csv", "name,dob,phone\nAna,1990-01-01,555\n")]), expected);
    assert_eq!(refuse(&[("empty.csv", "\u{feff}  \n")]), "empty.csv is empty.");
    assert_eq!(refuse(&[]), "No file was chosen.");
    assert!(refuse(&[("encounters.csv", ENCOUNTERS_HEAD)]).starts_with("encounters.csv is not a patient list"));
    assert!(refuse(&[("x.json", "[1, 2]")]).starts_with("x.json is not a patient list"));
    assert_eq!(
        refuse(&[("backup.json", "{\"format\": \"carecoord-backup\", \"schema_version\": 1}")]),
        "backup.json is a CareCoord backup, not a patient list: use Import backup to restore it."
    );
    assert_eq!(
        refuse(&[("conditions.csv", CONDITIONS)]),
        "conditions.csv is a Synthea conditions.csv: choose it together with the patients.csv it belongs to."
    );
    assert_eq!(
        refuse(&[("a.csv", &template_csv()), ("b.json", BUSTER)]),
        "These files are of different kinds (a.csv: CareCoord template; b.json: FHIR JSON): import one kind at a time."
    );
    assert_eq!(refuse(&[("p.csv", SAMPLE), ("q.csv", SAMPLE)]), "Choose one Synthea patients.csv at a time, with at most one conditions.csv.");
    assert_eq!(refuse(&[("bad.json", "{\"resourceType\": \"Bundle\",\n  \"entry\": [\n    {,}\n]}")]), "bad.json: not valid JSON (line 3, column 6).");
}
