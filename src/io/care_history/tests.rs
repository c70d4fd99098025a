use std::collections::HashSet;

use super::*;
use crate::io::patients_csv::{parse_synthea, parse_synthea_conditions};
use crate::model::care::{default_rules, evaluate, items, GapStatus, VALUE_COLONOSCOPY, VALUE_HPV_COTEST};
use crate::model::encounter::EncounterClass;
use crate::model::patient::tests::{at, day};

const OBSERVATIONS: &str = include_str!("../../../../shared/testdata/synthea-csv/observations.csv");
const IMMUNIZATIONS: &str = include_str!("../../../../shared/testdata/synthea-csv/immunizations.csv");
const ENCOUNTERS: &str = include_str!("../../../../shared/testdata/synthea-csv/encounters.csv");
const PATIENTS: &str = include_str!("../../../../shared/testdata/synthea-csv/patients.csv");
const CONDITIONS: &str = include_str!("../../../../shared/testdata/synthea-csv/conditions.csv");
const IMMUNIZATION_NDJSON: &str = include_str!("../../../../shared/testdata/fhir-ndjson/Immunization.000.ndjson");
const BUSTER: &str = include_str!("../../../../shared/testdata/fhir-bundle/Buster_Hoeger_ad2e3fc5-2b5d-4cb9-8d03-9ea0f4ac8423.json");
const LIZ: &str = include_str!("../../../../shared/testdata/fhir-bundle/Liz_Conn_27c911c6-f045-4ffa-af5d-6eba57ac94b2.json");

fn read(files: &[(&str, &str)]) -> CareHistory {
    try_read(files).unwrap()
}

fn try_read(files: &[(&str, &str)]) -> Result<CareHistory, FileProblem> {
    let files: Vec<(String, String)> = files.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect();
    parse(&files, &default_rules(), at(2026, 11, 23))
}

fn refused(files: &[(&str, &str)]) -> String {
    try_read(files).unwrap_err().0
}

fn of_item<'a>(h: &'a CareHistory, item: &str) -> Vec<&'a CareEvent> {
    h.events.iter().filter(|e| e.item == item).collect()
}

fn problems(h: &CareHistory) -> Vec<String> {
    h.problems.iter().map(ToString::to_string).collect()
}

fn unmapped(h: &CareHistory, system: &str, code: &str) -> usize {
    h.unmapped.iter().filter(|u| u.system == system && u.code == code).map(|u| u.count).sum()
}

/// The sample's lines with this text, under its header.
fn rows_with(text: &str, needles: &[&str]) -> String {
    let mut lines = text.lines();
    let mut out = format!("{}\n", lines.next().unwrap());
    for l in lines.filter(|l| needles.iter().any(|n| l.contains(n))) {
        out.push_str(l);
        out.push('\n');
    }
    out
}

#[test]
fn the_sample_observations_give_hba1c_with_its_value() {
    let h = read(&[("observations.csv", OBSERVATIONS)]);
    assert!(h.problems.is_empty() && h.skipped.is_empty(), "{:?} {:?}", h.problems, h.skipped);
    let hba1c = of_item(&h, items::HBA1C);
    assert_eq!(hba1c.len(), 7, "the sample's seven 4548-4 rows");
    // observations.csv: 2023-08-11T18:37:13Z,3a2fa41c-…,d3862223-…,laboratory,4548-4,Hemoglobin A1c/Hemoglobin.total in Blood,6.4,%,numeric
    let e = hba1c.iter().find(|e| e.patient_id.starts_with("3a2fa41c")).unwrap();
    assert_eq!((e.date, e.value.as_deref(), e.outcome), (day(2023, 8, 11), Some("6.4"), EventOutcome::Done));
    assert_eq!(e.patient_id, "3a2fa41c-32a1-ca99-ecd8-fdacae38fc3e");
    assert_eq!(
        e.source_id,
        "synthea-observation:3a2fa41c-32a1-ca99-ecd8-fdacae38fc3e:d3862223-2f2c-87b7-8a08-3ce13a6db97c:4548-4:2023-08-11T18:37:13Z"
    );
    assert_eq!(e.id, e.source_id, "the file's key until the import's plan gives an id");
    assert_eq!(e.created_at, at(2026, 11, 23));
    // The PHQ scores and the eGFR of the sample.
    let phq2 = of_item(&h, items::DEPRESSION_SCREEN);
    assert_eq!(phq2.len(), 15);
    assert!(phq2.iter().all(|e| e.value.as_deref().is_some_and(|v| v.parse::<u32>().is_ok())), "PHQ-2 scores kept as whole numbers");
    let phq9 = of_item(&h, items::PHQ9);
    assert_eq!(phq9.len(), 3, "one PHQ-9 (44261-6), two PHQ-9 for teens (89204-2)");
    let kidney = of_item(&h, items::KIDNEY_SCREEN);
    assert_eq!(kidney.len(), 3);
    assert!(kidney.iter().all(|e| e.value.is_none()));
    // The FIT of the colorectal module: a colorectal screening without a value (12 months).
    let fit = of_item(&h, items::COLORECTAL_SCREEN);
    assert_eq!(fit.len(), 1);
    assert_eq!(fit[0].value, None);
}

#[test]
fn systolic_and_diastolic_rows_make_one_blood_pressure() {
    // observations.csv, lines 2–3 of patient 3edac2e3 on 2023-10-10:
    //   …,vital-signs,8462-4,Diastolic Blood Pressure,79.0,mm[Hg],numeric
    //   …,vital-signs,8480-6,Systolic Blood Pressure,106.0,mm[Hg],numeric
    let two = rows_with(OBSERVATIONS, &["2023-10-10T04:17:47Z,3edac2e3"]);
    let h = read(&[("observations.csv", &two)]);
    let bp = of_item(&h, items::BLOOD_PRESSURE);
    assert_eq!(bp.len(), 1);
    assert_eq!((bp[0].date, bp[0].value.as_deref()), (day(2023, 10, 10), Some("106/79")), "diastolic first in the file, systolic first in the value");
    assert_eq!(
        bp[0].source_id,
        "synthea-observation:3edac2e3-d223-6fae-d515-daf96ef6bc76:0622440b-ab3a-87bf-b0d7-f8145ac11cc5:85354-9:2023-10-10T04:17:47Z"
    );
    // The whole sample: 27 systolic and 27 diastolic rows, 27 readings, none half.
    let h = read(&[("observations.csv", OBSERVATIONS)]);
    let bp = of_item(&h, items::BLOOD_PRESSURE);
    assert_eq!(bp.len(), 27);
    assert!(bp.iter().all(|e| e.value.as_deref().is_some_and(|v| !v.contains('?') && v.contains('/'))));
    let high = bp.iter().find(|e| e.patient_id.starts_with("5a595dfb")).unwrap();
    assert_eq!(high.value.as_deref(), Some("148/113"));
    // A half without its other half is kept, the missing half shown as "?".
    let one = rows_with(OBSERVATIONS, &["2023-10-10T04:17:47Z,3edac2e3-d223-6fae-d515-daf96ef6bc76,0622440b-ab3a-87bf-b0d7-f8145ac11cc5,vital-signs,8480-6"]);
    let h = read(&[("observations.csv", &one)]);
    assert_eq!(of_item(&h, items::BLOOD_PRESSURE)[0].value.as_deref(), Some("106/?"));
    // Halves written at different times of one encounter's day pair up when they are the
    // only ones left; a re-check at another time stays a reading of its own.
    let odd = "DATE,PATIENT,ENCOUNTER,CATEGORY,CODE,DESCRIPTION,VALUE,UNITS,TYPE\n\
        2023-05-01T10:00:00Z,p1,e1,vital-signs,8462-4,Diastolic Blood Pressure,91,mm[Hg],numeric\n\
        2023-05-01T10:00:05Z,p1,e1,vital-signs,8480-6,Systolic Blood Pressure,141,mm[Hg],numeric\n\
        2023-05-01T11:00:00Z,p2,e2,vital-signs,8480-6,Systolic Blood Pressure,150,mm[Hg],numeric\n\
        2023-05-01T11:00:00Z,p2,e2,vital-signs,8462-4,Diastolic Blood Pressure,95,mm[Hg],numeric\n\
        2023-05-01T11:10:00Z,p2,e2,vital-signs,8480-6,Systolic Blood Pressure,138,mm[Hg],numeric\n\
        2023-05-01T11:10:30Z,p2,e2,vital-signs,8462-4,Diastolic Blood Pressure,88,mm[Hg],numeric\n\
        2023-05-01T11:20:00Z,p2,e2,vital-signs,8480-6,Systolic Blood Pressure,135,mm[Hg],numeric\n";
    let h = read(&[("observations.csv", odd)]);
    let got: Vec<(&str, &str)> = h.events.iter().map(|e| (e.patient_id.as_str(), e.value.as_deref().unwrap())).collect();
    assert_eq!(got, vec![("p2", "150/95"), ("p1", "141/91"), ("p2", "138/?"), ("p2", "?/88"), ("p2", "135/?")]);
    let p1 = h.events.iter().find(|e| e.patient_id == "p1").unwrap();
    assert_eq!(
        p1.source_id,
        "synthea-observation:p1:e1:85354-9:2023-05-01T10:00:05Z+synthea-observation:p1:e1:85354-9:2023-05-01T10:00:00Z"
    );
}

#[test]
fn flu_shots_are_found_in_immunizations_csv_and_in_the_ndjson() {
    let h = read(&[("immunizations.csv", IMMUNIZATIONS)]);
    assert!(h.problems.is_empty(), "{:?}", h.problems);
    let flu = of_item(&h, items::INFLUENZA_VACCINE);
    assert_eq!(flu.len(), 24, "24 rows of CVX 140");
    // immunizations.csv line 2: 2023-10-10T04:17:47Z,3edac2e3-…,0622440b-…,140,Influenza  seasonal  injectable  preservative free,140.52
    assert_eq!((flu[0].patient_id.as_str(), flu[0].date), ("3edac2e3-d223-6fae-d515-daf96ef6bc76", day(2023, 10, 10)));
    assert_eq!(flu[0].source_id, "synthea-immunization:3edac2e3-d223-6fae-d515-daf96ef6bc76:0622440b-ab3a-87bf-b0d7-f8145ac11cc5:140:2023-10-10T04:17:47Z");
    assert_eq!(h.events.len(), 24, "the other vaccines are not care items");
    assert_eq!(unmapped(&h, "CVX", "62"), 2, "HPV, quadrivalent");
    assert_eq!((unmapped(&h, "CVX", "113"), unmapped(&h, "CVX", "08"), unmapped(&h, "CVX", "52")), (1, 1, 1));

    let h = read(&[("Immunization.000.ndjson", IMMUNIZATION_NDJSON)]);
    assert!(h.problems.is_empty() && h.skipped.is_empty(), "{:?} {:?}", h.problems, h.skipped);
    let flu = of_item(&h, items::INFLUENZA_VACCINE);
    assert_eq!(flu.len(), 110);
    assert!(flu.iter().all(|e| e.source_id.starts_with("Immunization/") && e.outcome == EventOutcome::Done));
    let pneumo = of_item(&h, items::PNEUMOCOCCAL_VACCINE);
    assert_eq!(pneumo.len(), 1, "the one CVX 33 (PPSV23)");
    assert_eq!(unmapped(&h, "CVX", "208"), 8, "COVID-19 vaccines are counted, not refused");
    // The first flu shot of the file, as it is written there.
    let line = IMMUNIZATION_NDJSON.lines().position(|l| l.contains(r#""code":"140""#)).unwrap();
    let first: serde_json::Value = serde_json::from_str(IMMUNIZATION_NDJSON.lines().nth(line).unwrap()).unwrap();
    assert_eq!(flu[0].source_id, format!("Immunization/{}", first["id"].as_str().unwrap()));
    assert_eq!(format!("Patient/{}", flu[0].patient_id), first["patient"]["reference"].as_str().unwrap(), "the file's patient id");
    assert_eq!(flu[0].date.to_string(), first["occurrenceDateTime"].as_str().unwrap()[..10]);
}

#[test]
fn the_fhir_bundles_give_panels_vaccines_and_encounters() {
    let h = read(&[("buster.json", BUSTER), ("liz.json", LIZ)]);
    assert!(h.problems.is_empty() && h.skipped.is_empty(), "{:?} {:?}", h.problems, h.skipped);
    let buster = "e4531916-b162-4f4b-90c2-ce37e132b8d4";
    let bp: Vec<(NaiveDate, &str)> =
        of_item(&h, items::BLOOD_PRESSURE).iter().filter(|e| e.patient_id == buster).map(|e| (e.date, e.value.as_deref().unwrap())).collect();
    // 55284-4 panels: 135.41/72.25, 136.49/80.36, 123.74/75.29 mmHg.
    assert_eq!(bp, vec![(day(2013, 12, 11), "135/72"), (day(2016, 12, 14), "136/80"), (day(2019, 12, 18), "124/75")]);
    let flu: Vec<NaiveDate> = of_item(&h, items::INFLUENZA_VACCINE).iter().filter(|e| e.patient_id == buster).map(|e| e.date).collect();
    assert_eq!(flu, vec![day(2013, 12, 11), day(2016, 12, 14), day(2019, 12, 18)]);
    assert_eq!(of_item(&h, items::KIDNEY_SCREEN).len(), 3, "Liz's three eGFR");
    assert_eq!(unmapped(&h, "CVX", "113"), 2, "Td");
    assert_eq!(unmapped(&h, "SNOMED CT", "428191000124101"), 3, "documentation of current medications");
    assert_eq!(unmapped(&h, "LOINC", "8302-2"), 6, "body height");
    // Encounters: 6 of Buster's and 7 of Liz's, one of them an inpatient stay.
    assert_eq!(h.encounters.len(), 13);
    let stay = h.encounters.iter().find(|e| e.class == EncounterClass::Inpatient).unwrap();
    assert_eq!((stay.code.as_str(), stay.description.as_str()), ("305408004", "Admission to surgical department"));
    assert_eq!(stay.source_id, "b262dced-d5e7-40e1-995b-57149e439e0d");
    assert_eq!(stay.start.to_rfc3339(), "2012-09-29T20:37:06+00:00");
    assert_eq!(stay.stop.map(|t| t.to_rfc3339()).as_deref(), Some("2012-09-30T22:37:06+00:00"));
    let first = &h.encounters[0];
    assert_eq!((first.patient_id.as_str(), first.class, first.reason.as_str()), (buster, EncounterClass::Ambulatory, "Sinusitis (disorder)"));
    // The file's own ids.
    assert!(h.events.iter().all(|e| e.source_id.starts_with("Observation/") || e.source_id.starts_with("Immunization/")));
}

#[test]
fn synthea_encounters_are_read_with_their_class_and_reason() {
    let h = read(&[("encounters.csv", ENCOUNTERS)]);
    assert!(h.problems.is_empty(), "{:?}", h.problems);
    assert_eq!(h.encounters.len(), 604);
    // encounters.csv line 2: 57f2562b-…,2023-01-27T16:17:47Z,2023-01-27T16:32:47Z,3edac2e3-…,…,ambulatory,185345009,Encounter for symptom,…,195662009,Acute viral pharyngitis (disorder)
    let e = &h.encounters[0];
    assert_eq!((e.source_id.as_str(), e.patient_id.as_str()), ("57f2562b-445c-f11c-ba40-edc55af3c84f", "3edac2e3-d223-6fae-d515-daf96ef6bc76"));
    assert_eq!((e.class, e.code.as_str(), e.description.as_str()), (EncounterClass::Ambulatory, "185345009", "Encounter for symptom"));
    assert_eq!(e.reason, "Acute viral pharyngitis (disorder)");
    assert_eq!(e.start.to_rfc3339(), "2023-01-27T16:17:47+00:00");
    assert_eq!(e.stop.map(|t| t.to_rfc3339()).as_deref(), Some("2023-01-27T16:32:47+00:00"));
    let count = |c: EncounterClass| h.encounters.iter().filter(|e| e.class == c).count();
    assert_eq!((count(EncounterClass::Wellness), count(EncounterClass::Urgentcare), count(EncounterClass::Other)), (348, 2, 0));
    assert!(h.events.is_empty() && h.unmapped.is_empty(), "encounters are not care events");
}

#[test]
fn unknown_codes_are_counted_not_refused() {
    let h = read(&[("observations.csv", OBSERVATIONS)]);
    assert!(h.problems.is_empty());
    assert_eq!(unmapped(&h, "LOINC", "8302-2"), 27, "body height");
    let top = &h.unmapped[0];
    assert_eq!(top.count, 27, "the most frequent first: {:?}", &h.unmapped[..3]);
    let tobacco = h.unmapped.iter().find(|u| u.code == "72166-2").unwrap();
    assert_eq!((tobacco.system.as_str(), tobacco.description.as_str(), tobacco.count), ("LOINC", "Tobacco smoking status NHIS", 27));
    // Every row is an event, a half of one, or counted.
    let counted: usize = h.unmapped.iter().map(|u| u.count).sum();
    let bp = of_item(&h, items::BLOOD_PRESSURE).len();
    assert_eq!(h.events.len() - bp + 2 * bp + counted, OBSERVATIONS.lines().count() - 1);
    // A code under a system CareCoord does not map is counted under that system.
    let cpt = "DATE,PATIENT,ENCOUNTER,SYSTEM,CODE,DESCRIPTION,VALUE,UNITS,TYPE\n2023-01-01,p1,e1,CPT,83036,HbA1c test,,,\n";
    let h = read(&[("observations.csv", cpt)]);
    assert_eq!((h.events.len(), unmapped(&h, "CPT", "83036")), (0, 1));
}

#[test]
fn bad_rows_are_refused_by_file_and_line() {
    let obs = "DATE,PATIENT,ENCOUNTER,CATEGORY,CODE,DESCRIPTION,VALUE,UNITS,TYPE\n\
        2023-02-28,p1,e1,laboratory,4548-4,HbA1c,7.9,%,numeric\n\
        2023-02-31,p1,e1,laboratory,4548-4,HbA1c,8.1,%,numeric\n\
        1850-01-01T10:00:00Z,p1,e1,laboratory,4548-4,HbA1c,8.1,%,numeric\n\
        2023-03-01,,e1,laboratory,4548-4,HbA1c,8.1,%,numeric\n\
        2023-03-01,p1,e2,vital-signs,8480-6,Systolic Blood Pressure,high,mm[Hg],numeric\n\
        ,p1,e3,laboratory,4548-4,HbA1c,7,%,numeric\n\
        2023-03-02,p1,e3,laboratory,,,,,\n\
        2023-03-03,p1,e4,laboratory,9999-9,Not a test,\"1,\n";
    let h = read(&[("observations.csv", obs)]);
    assert_eq!(
        problems(&h),
        vec![
            "observations.csv line 3: the date '2023-02-31' is not a date.",
            "observations.csv line 4: the date '1850-01-01T10:00:00Z' is outside 1900–2200.",
            "observations.csv line 5: the PATIENT of this observation is empty.",
            "observations.csv line 6: the systolic blood pressure 'high' is not a number.",
            "observations.csv line 7: the date is missing.",
            "observations.csv line 8: the CODE is empty.",
            "observations.csv line 9: a quoted field is not closed.",
        ]
    );
    assert_eq!(h.events.len(), 1, "the good row is kept");

    let enc = "Id,START,STOP,PATIENT,ORGANIZATION,PROVIDER,PAYER,ENCOUNTERCLASS,CODE,DESCRIPTION\n\
        e1,2023-01-27T16:17:47Z,2023-01-27T15:00:00Z,p1,o,pr,pa,wellness,1,Visit\n\
        e2,2023-01-32T16:17:47Z,,p1,o,pr,pa,wellness,1,Visit\n\
        ,2023-01-27T16:17:47Z,,p1,o,pr,pa,wellness,1,Visit\n\
        e3,2023-01-27T16:17:47Z,,p1,o,pr,pa,teleportation,1,Visit\n\
        e3,2023-01-28T16:17:47Z,,p1,o,pr,pa,wellness,1,Visit\n";
    let h = read(&[("encounters.csv", enc)]);
    assert_eq!(
        problems(&h),
        vec![
            "encounters.csv line 2: encounter e1: the stop 2023-01-27T15:00:00Z is before the start 2023-01-27T16:17:47Z.",
            "encounters.csv line 3: encounter e2: the start '2023-01-32T16:17:47Z' is not a date and time.",
            "encounters.csv line 4: the encounter's Id is empty.",
            "encounters.csv line 6: the encounter e3 appears twice; the second is left out.",
        ]
    );
    assert_eq!(h.encounters.len(), 1);
    assert_eq!(h.encounters[0].class, EncounterClass::Other, "a class CareCoord does not know is not a refusal");

    let nd = [
        r#"{"resourceType":"Immunization","id":"i1","status":"completed","vaccineCode":{"coding":[{"system":"http://hl7.org/fhir/sid/cvx","code":"140"}]},"patient":{"reference":"Patient/p1"},"occurrenceDateTime":"2023-13-01"}"#,
        r#"{"resourceType":"Immunization","id":"i2","status":"completed","vaccineCode":{"coding":[{"system":"http://hl7.org/fhir/sid/cvx","code":"140"}]},"occurrenceDateTime":"2023-10-01"}"#,
        r#"{"resourceType":"Observation","id":"o1","status":"final","code":{"text":"HbA1c"},"subject":{"reference":"Patient/p1"},"effectiveDateTime":"2023-10-01"}"#,
        r#"{"resourceType":"Observation","id":"o2","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"4548-4"}]},"subject":{"reference":"Patient/p1"}}"#,
        r#"{"resourceType":"Immunization","id":"i3","status":"entered-in-error","vaccineCode":{"coding":[{"system":"http://hl7.org/fhir/sid/cvx","code":"140"}]},"patient":{"reference":"Patient/p1"},"occurrenceDateTime":"2023-10-01"}"#,
        r#"{"resourceType":"Immunization","id":"i4","status":"not-done","statusReason":{"text":"Patient declined"},"vaccineCode":{"coding":[{"system":"http://hl7.org/fhir/sid/cvx","code":"150"}]},"patient":{"reference":"Patient/p1"},"occurrenceDateTime":"2023-10-02"}"#,
        r#"{"resourceType":"Procedure","id":"x1","status":"in-progress","code":{"coding":[{"system":"http://snomed.info/sct","code":"73761001"}]},"subject":{"reference":"Patient/p1"},"performedDateTime":"2023-10-03"}"#,
    ]
    .join("\n");
    let h = read(&[("care.ndjson", &nd)]);
    assert_eq!(
        problems(&h),
        vec![
            "care.ndjson line 1: Immunization i1: the date '2023-13-01' is not a date.",
            "care.ndjson line 2: Immunization i2 has no patient.",
            "care.ndjson line 3: Observation o1 has no code.",
            "care.ndjson line 4: Observation o2 (Hemoglobin A1c/Hemoglobin.total in Blood) has no date (effective).",
        ]
    );
    let skipped: Vec<String> = h.skipped.iter().map(ToString::to_string).collect();
    assert_eq!(
        skipped,
        vec![
            "care.ndjson line 5: Immunization i3 (Influenza, seasonal, injectable, preservative free) is marked entered-in-error, not imported.",
            "care.ndjson line 7: Procedure x1 (Colonoscopy) is in-progress, not done, not imported.",
        ]
    );
    assert_eq!(h.events.len(), 1);
    let declined = &h.events[0];
    assert_eq!((declined.outcome, declined.note.as_str(), declined.item.as_str()), (EventOutcome::Declined, "Patient declined", items::INFLUENZA_VACCINE));

    // In a Bundle the place is the entry.
    let bundle = r#"{"resourceType":"Bundle","type":"collection","entry":[
        {"fullUrl":"urn:uuid:pp","resource":{"resourceType":"Patient","id":"pp"}},
        {"resource":{"resourceType":"Procedure","id":"c1","status":"completed","code":{"coding":[{"system":"http://snomed.info/sct","code":"73761001"}]},"subject":{"reference":"urn:uuid:pp"},"performedPeriod":{"start":"1899-12-31T10:00:00Z"}}},
        {"resource":{"resourceType":"Procedure","id":"c2","status":"completed","code":{"coding":[{"system":"http://snomed.info/sct","code":"73761001"}]},"subject":{"reference":"urn:uuid:pp"},"performedPeriod":{"start":"2020-05-01T10:00:00Z"}}}
    ]}"#;
    let h = read(&[("b.json", bundle)]);
    assert_eq!(problems(&h), vec!["b.json bundle entry 2: Procedure c1: the date '1899-12-31T10:00:00Z' is outside 1900–2200."]);
    assert_eq!((h.events[0].patient_id.as_str(), h.events[0].value.as_deref()), ("pp", Some(VALUE_COLONOSCOPY)));
    assert_eq!(h.events[0].source_id, "Procedure/c2");
}

#[test]
fn files_that_are_not_care_history_are_refused_by_name() {
    assert_eq!(refused(&[]), "No file was chosen.");
    assert_eq!(refused(&[("empty.csv", "  \n")]), "empty.csv is empty.");
    assert!(refused(&[("patients.csv", PATIENTS)]).starts_with("patients.csv is a patient list or problem list"));
    assert!(refused(&[("conditions.csv", CONDITIONS)]).starts_with("conditions.csv is a patient list or problem list"));
    assert!(refused(&[("meds.csv", "START,STOP,PATIENT,PAYER,ENCOUNTER,CODE,DESCRIPTION,BASE_COST,PAYER_COVERAGE,DISPENSES,TOTALCOST,REASONCODE\n")])
        .starts_with("meds.csv is not care history CareCoord reads"));
    assert_eq!(
        refused(&[("backup.json", "{\"format\": \"carecoord-backup\"}")]),
        "backup.json is a CareCoord backup, not care history: use Import backup to restore it."
    );
    assert_eq!(refused(&[("x.ndjson", "{\"resourceType\":\"Immunization\"}\n{\"resourceType\":")]), "x.ndjson: line 2: not valid JSON (column 16).");
    assert_eq!(
        refused(&[("t.csv", "mrn,item,date\nA,hba1c,2026-01-01\n"), ("immunizations.csv", IMMUNIZATIONS)]),
        "Choose one CareCoord care history template at a time, without other files."
    );
    // A header alone is an empty history, not a refusal.
    let h = read(&[("obs.csv", "DATE,PATIENT,CODE,VALUE,UNITS\n")]);
    assert_eq!(h, CareHistory::default());
}

#[test]
fn a_second_parse_gives_the_same_source_ids() {
    let files = [
        ("observations.csv", OBSERVATIONS),
        ("immunizations.csv", IMMUNIZATIONS),
        ("encounters.csv", ENCOUNTERS),
        ("Immunization.000.ndjson", IMMUNIZATION_NDJSON),
        ("buster.json", BUSTER),
        ("liz.json", LIZ),
    ];
    let first = read(&files);
    let owned: Vec<(String, String)> = files.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect();
    let second = parse(&owned, &default_rules(), at(2027, 1, 1)).unwrap();
    let ids = |h: &CareHistory| h.events.iter().map(|e| e.source_id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&first), ids(&second));
    let encounter_ids = |h: &CareHistory| h.encounters.iter().map(|e| e.source_id.clone()).collect::<Vec<_>>();
    assert_eq!(encounter_ids(&first), encounter_ids(&second));
    // Unique, and the events are the same but for when they were read.
    let unique: HashSet<&String> = first.events.iter().map(|e| &e.source_id).collect();
    assert_eq!(unique.len(), first.events.len());
    assert!(first.events.iter().zip(&second.events).all(|(a, b)| CareEvent { created_at: b.created_at, ..a.clone() } == *b));
    assert_eq!(first.unmapped, second.unmapped);
    // The same file twice in one import: the repeats are skipped, each named.
    let twice = read(&[("immunizations.csv", IMMUNIZATIONS), ("copy.csv", IMMUNIZATIONS)]);
    assert_eq!(twice.events.len(), 24);
    assert_eq!(twice.skipped.len(), 24);
    assert!(twice.skipped[0].to_string().starts_with("copy.csv line 2: Influenza, seasonal, injectable, preservative free of 3edac2e3-"), "{}", twice.skipped[0]);
}

#[test]
fn sample_events_run_through_the_care_gap_rules() {
    let now = at(2026, 11, 23);
    let mut panel = parse_synthea(PATIENTS, day(2023, 11, 15), now).unwrap();
    parse_synthea_conditions(CONDITIONS, &mut panel, now).unwrap();
    let h = read(&[("observations.csv", OBSERVATIONS), ("immunizations.csv", IMMUNIZATIONS)]);
    let rules = default_rules();
    let today = day(2023, 11, 15);
    let gap = |pid: &str, rule: &str, events: &[CareEvent]| {
        let p = panel.patients.iter().find(|p| p.id.starts_with(pid)).unwrap();
        evaluate(p, &panel.conditions, events, &rules, today).into_iter().find(|r| r.rule_id == rule).unwrap()
    };

    // Maynard (3edac2e3, born 2014): the flu shot of immunizations.csv line 2 (2023-10-10)
    // closes this season's gap; without it the season's vaccine is overdue.
    let flu = gap("3edac2e3", "influenza-vaccine", &h.events);
    assert_eq!((flu.status.clone(), flu.last_done, flu.next_due), (GapStatus::NotDue, Some(day(2023, 10, 10)), Some(day(2024, 8, 1))));
    assert_eq!(gap("3edac2e3", "influenza-vaccine", &[]).status, GapStatus::Overdue);

    // 5a595dfb has hypertension (conditions.csv) and a reading of 148/113 on 2023-10-11:
    // the blood pressure gap stays open from that day.
    let bp = gap("5a595dfb", "blood-pressure", &h.events);
    assert_eq!((bp.last_value.as_deref(), bp.next_due), (Some("148/113"), Some(day(2023, 10, 11))));
    assert!(bp.is_open(), "{:?}", bp.status);
    // 9e886a7a has hypertension and a normal reading: the gap is closed for six months.
    let normal = gap("9e886a7a", "blood-pressure", &h.events);
    assert!(!normal.is_open() && normal.last_done.is_some(), "{normal:?}");
}

#[test]
fn the_template_reads_items_by_code_or_label() {
    let text = template_csv();
    assert!(text.starts_with(&format!("{TEMPLATE_HEADER}\n")));
    let h = read(&[("care.csv", &text)]);
    assert!(h.problems.is_empty(), "{:?}", h.problems);
    let got: Vec<(&str, &str, NaiveDate, Option<&str>)> =
        h.events.iter().map(|e| (e.patient_id.as_str(), e.item.as_str(), e.date, e.value.as_deref())).collect();
    assert_eq!(
        got,
        vec![
            ("MRN-000123", items::HBA1C, day(2026, 5, 1), Some("7.2")),
            ("MRN-000123", items::BLOOD_PRESSURE, day(2026, 5, 1), Some("150/95")),
            ("MRN-000123", items::INFLUENZA_VACCINE, day(2025, 10, 2), None),
        ]
    );
    assert_eq!(h.events[0].source_id, "template:MRN-000123:hba1c:2026-05-01");
    let bad = "MRN,Item,Date,Value\n\
        A1,Mammogram,2026-01-05,\n\
        A1,mammogram,2026-01-05,\n\
        ,hba1c,2026-01-05,7\n\
        A2,tea ceremony,2026-13-01,\n\
        A3,colorectal_screen,2020-02-02,colonoscopy\n";
    let h = read(&[("care.csv", bad)]);
    assert_eq!(
        problems(&h),
        vec![
            "care.csv line 3: mammogram on 2026-01-05 for MRN A1 is already on line 2.",
            "care.csv line 4: the MRN is empty.",
            "care.csv line 5: the item 'tea ceremony' is not a care item CareCoord knows; the date '2026-13-01' is not a date.",
        ]
    );
    assert_eq!(h.events.len(), 2);
    assert_eq!(h.events[1].value.as_deref(), Some(VALUE_COLONOSCOPY));
    // A clinic's own item, named by its rule's label.
    let mut rules = default_rules();
    rules.push(CareRule::new("clinic-lipids", "lipid_panel", "Lipid panel", crate::model::care::Interval::Months(12)));
    let files = vec![("care.csv".to_string(), "mrn,item,date\nA1,Lipid Panel,2026-02-02\n".to_string())];
    let h = parse(&files, &rules, at(2026, 11, 23)).unwrap();
    assert_eq!(h.events[0].item, "lipid_panel");
    assert_eq!(refused(&[("care.csv", "mrn,item\nA,hba1c\n")]), "care.csv is not care history CareCoord reads: expected Synthea observations.csv, immunizations.csv, procedures.csv or encounters.csv, FHIR R4 JSON (Observation, Immunization, Procedure, Encounter), or the CareCoord care history template (mrn,item,date,value).");
}

#[test]
fn procedures_csv_in_synthea_3_and_older_layouts() {
    // Synthea 3.0's layout (the sample has no procedures.csv; these rows are built from the
    // codes Synthea's colorectal_cancer and diabetic_retinopathy_treatment modules emit).
    let v3 = "START,STOP,PATIENT,ENCOUNTER,SYSTEM,CODE,DESCRIPTION,BASE_COST,REASONCODE,REASONDESCRIPTION\n\
        2019-05-01T10:00:00Z,2019-05-01T10:40:00Z,p1,e1,SNOMED-CT,73761001,Colonoscopy,1000,,\n\
        2019-05-01T10:40:00Z,2019-05-01T10:50:00Z,p1,e1,SNOMED-CT,1015401000000102,Fecal occult blood test,100,68496003,Polyp of colon\n\
        2020-06-01T10:00:00Z,,p2,e2,SNOMED-CT,722161008,Diabetic retinal eye exam (procedure),200,44054006,Diabetes\n\
        2020-06-01T10:00:00Z,,p2,e2,SNOMED-CT,84100007,History taking (procedure),50,,\n\
        2020-06-02T10:00:00Z,,p2,e3,ICD-10-PCS,0DJD8ZZ,Inspection,50,,\n";
    let h = read(&[("procedures.csv", v3)]);
    assert!(h.problems.is_empty(), "{:?}", h.problems);
    let got: Vec<(&str, &str, Option<&str>)> = h.events.iter().map(|e| (e.patient_id.as_str(), e.item.as_str(), e.value.as_deref())).collect();
    assert_eq!(
        got,
        vec![
            ("p1", items::COLORECTAL_SCREEN, Some(VALUE_COLONOSCOPY)),
            ("p1", items::COLORECTAL_SCREEN, None),
            ("p2", items::EYE_EXAM, None),
        ]
    );
    assert_eq!(h.events[0].source_id, "synthea-procedure:p1:e1:73761001:2019-05-01T10:00:00Z");
    assert_eq!((unmapped(&h, "SNOMED CT", "84100007"), unmapped(&h, "ICD-10-PCS", "0DJD8ZZ")), (1, 1));
    let older = "DATE,PATIENT,ENCOUNTER,CODE,DESCRIPTION,BASE_COST,REASONCODE,REASONDESCRIPTION\n2015-03-03,p3,e9,71651007,Mammography (procedure),300,,\n";
    let h = read(&[("procedures.csv", older)]);
    assert_eq!(h.events.len(), 1);
    assert_eq!((h.events[0].item.as_str(), h.events[0].date), (items::MAMMOGRAM, day(2015, 3, 3)));
    assert_eq!(kind_of("procedures.csv", older).unwrap(), FileKind::SyntheaProcedures);
    assert_eq!(kind_of("immunizations.csv", IMMUNIZATIONS).unwrap(), FileKind::SyntheaImmunizations);
}

#[test]
fn fhir_observations_of_each_value_rule() {
    let obs = |code: &str, value: &str| {
        format!(
            r#"{{"resourceType":"Observation","id":"{code}","status":"final","code":{{"coding":[{{"system":"http://loinc.org","code":"{code}"}}]}},"subject":{{"reference":"Patient/p1"}},"encounter":{{"reference":"Encounter/e1"}},"effectiveDateTime":"2024-02-02T09:00:00-05:00"{value}}}"#
        )
    };
    let nd = [
        obs("4548-4", r#","valueQuantity":{"value":8.400000001,"unit":"%"}"#),
        obs("8480-6", r#","valueQuantity":{"value":151.6}"#),
        obs("44261-6", r#","valueInteger":12"#),
        obs("8462-4", r#","valueQuantity":{"value":92.2}"#),
        obs("30167-1", r#","valueCodeableConcept":{"text":"Negative"}"#),
        obs("85354-9", r#","component":[{"code":{"coding":[{"system":"http://loinc.org","code":"8480-6"}]},"valueQuantity":{"value":128}}]"#),
    ]
    .join("\n");
    let h = read(&[("obs.ndjson", &nd)]);
    assert!(h.problems.is_empty(), "{:?}", h.problems);
    let got: Vec<(&str, Option<&str>, &str)> = h.events.iter().map(|e| (e.item.as_str(), e.value.as_deref(), e.source_id.as_str())).collect();
    assert_eq!(
        got,
        vec![
            (items::HBA1C, Some("8.4"), "Observation/4548-4"),
            (items::PHQ9, Some("12"), "Observation/44261-6"),
            (items::BLOOD_PRESSURE, Some("152/92"), "Observation/8480-6+Observation/8462-4"),
            (items::CERVICAL_SCREEN, Some(VALUE_HPV_COTEST), "Observation/30167-1"),
            (items::BLOOD_PRESSURE, Some("128/?"), "Observation/85354-9"),
        ]
    );
    assert!(h.events.iter().all(|e| e.date == day(2024, 2, 2)), "the date as written, not moved to UTC");
}

#[test]
fn the_preview_counts_by_care_item() {
    let h = read(&[("observations.csv", OBSERVATIONS), ("immunizations.csv", IMMUNIZATIONS)]);
    let lines: Vec<String> = h.summary(&default_rules()).iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        vec![
            "HbA1c: 7 results for 5 patients",
            "Kidney screening (urine albumin + eGFR): 3 results for 3 patients",
            "Blood pressure: 27 results for 24 patients",
            "PHQ-9 (depression follow-up): 3 results for 3 patients",
            "Colorectal cancer screening: 1 result for 1 patient",
            "Depression screening: 15 results for 14 patients",
            "Flu vaccine: 24 results for 23 patients",
        ]
    );
    let other = CareHistory {
        events: vec![CareEvent { item: "lipid_panel".into(), ..h.events[0].clone() }],
        ..CareHistory::default()
    };
    assert_eq!(other.summary(&default_rules())[0].to_string(), "lipid_panel: 1 result for 1 patient");
}

#[test]
fn a_clinic_sized_file_is_read_row_by_row() {
    // 400,000 observation rows (about 60 MB in a clinic's export), most not care items.
    let mut text = String::from("DATE,PATIENT,ENCOUNTER,CATEGORY,CODE,DESCRIPTION,VALUE,UNITS,TYPE\n");
    for i in 0..100_000 {
        let (p, e) = (i % 5_000, i / 4);
        text.push_str(&format!("2023-01-01T10:{:02}:00Z,patient-{p},enc-{e},vital-signs,8302-2,Body Height,170.0,cm,numeric\n", i % 60));
        text.push_str(&format!("2023-01-01T10:{:02}:00Z,patient-{p},enc-{e},vital-signs,8480-6,Systolic Blood Pressure,120.0,mm[Hg],numeric\n", i % 60));
        text.push_str(&format!("2023-01-01T10:{:02}:00Z,patient-{p},enc-{e},vital-signs,8462-4,Diastolic Blood Pressure,80.0,mm[Hg],numeric\n", i % 60));
        text.push_str(&format!("2023-01-01T10:{:02}:00Z,patient-{p},enc-{e},laboratory,4548-4,Hemoglobin A1c,6.{},%,numeric\n", i % 60, i % 10));
    }
    let h = read(&[("observations.csv", &text)]);
    assert!(h.problems.is_empty() && h.skipped.is_empty(), "{:?}", h.problems.first());
    assert_eq!(h.events.len(), 200_000, "100,000 readings and 100,000 HbA1c");
    assert_eq!(h.unmapped, vec![UnmappedCode { system: "LOINC".into(), code: "8302-2".into(), description: "Body Height".into(), count: 100_000 }]);
}
