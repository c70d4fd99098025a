//! Which codes in an EHR's records are which care items: a LOINC observation, a CVX
//! vaccine or a SNOMED CT procedure becomes a [`CareEvent`](super::care::CareEvent) of a
//! care item (the codes of [`items`]) through [`MAPPINGS`], a table kept as data (shown
//! read-only in Settings), and [`lookup`]. A code the table does not know is not an error:
//! the readers in `io::care_history` count it and go on.
//!
//! Each entry also says what the event's value is ([`ValueRule`]): nothing, the
//! observation's number (HbA1c %, a PHQ score), a blood pressure "sys/dia" (a panel's two
//! components, or a systolic and a diastolic observation of the same date and encounter), or
//! a fixed value that `model::care`'s rules read ([`VALUE_COLONOSCOPY`],
//! [`VALUE_HPV_COTEST`]).
//!
//! **Every code was looked up, not guessed.** The comment beside each entry names where it
//! was confirmed:
//! - *obs.csv*, *imm.csv*: `../shared/testdata/synthea-csv/observations.csv`,
//!   `immunizations.csv` (Synthea 3.0.0 output, OHDSI/dbt-synthea @ b948686);
//! - *bundle*: `../shared/testdata/fhir-bundle/*.json` (Synthea FHIR R4 transaction bundles);
//! - *ndjson*: `../shared/testdata/fhir-ndjson/Immunization.000.ndjson`;
//! - *Synthea crc / bc / dr / msc*: the module that emits the code in
//!   synthetichealth/synthea, `src/main/resources/modules/` `colorectal_cancer.json`,
//!   `breast_cancer.json`, `diabetic_retinopathy_treatment.json`,
//!   `metabolic_syndrome_care.json`;
//! - *FHIR bp*: the FHIR R4 Blood Pressure profile, <https://hl7.org/fhir/r4/bp.html>
//!   (85354-9 with components 8480-6 and 8462-4);
//! - *mCODE*: the HL7 mCODE STU3 example "us-core-procedure-mammogram-jenny-m",
//!   <https://hl7.org/fhir/us/mcode/STU3/Procedure-us-core-procedure-mammogram-jenny-m.html>;
//! - *US Core CVX*: <https://hl7.org/fhir/us/core/stu3.1.1/ValueSet-us-core-vaccines-cvx.html>;
//! - *ICE*: the Immunization Calculation Engine's influenza vaccine table,
//!   <https://cdsframework.atlassian.net/wiki/pages/diffpages.action?originalId=2997420045&pageId=3122003978>;
//! - *eCQM …*: an eCQM value set (VSAC), by name and OID, as expanded in
//!   canvas-medical/canvas-plugins @ 344f0bc, `canvas_sdk/value_set/v2026/*.py` ("eCQM
//!   Update 2025-05-08") or `v2022/*.py` ("eCQM Update 2021-05-06"):
//!   - HbA1c Laboratory Test 2.16.840.1.113883.3.464.1003.198.12.1013 (v2026),
//!   - Estimated Glomerular Filtration Rate 2.16.840.1.113883.3.6929.3.1000 (v2026),
//!   - Urine Albumin Creatinine Ratio 2.16.840.1.113883.3.6929.3.1007 (v2026),
//!   - PHQ 9 and PHQ 9M Tools 2.16.840.1.113883.3.67.1.101.1.263 (v2026),
//!   - Fecal Occult Blood Test (FOBT) 2.16.840.1.113883.3.464.1003.198.12.1011 (v2026),
//!   - Colonoscopy 2.16.840.1.113883.3.464.1003.108.12.1020 (v2026),
//!   - Mammography 2.16.840.1.113883.3.464.1003.108.12.1018 (v2026),
//!   - Pap Test 2.16.840.1.113883.3.464.1003.108.12.1017 (v2026),
//!   - HPV Test 2.16.840.1.113883.3.464.1003.110.12.1059 (v2026),
//!   - Retinal or Dilated Eye Exam 2.16.840.1.113883.3.464.1003.115.12.1088 (v2026),
//!   - Influenza Vaccine 2.16.840.1.113883.3.526.3.1254 (v2022),
//!   - Influenza Virus LAIV Vaccine 2.16.840.1.113883.3.464.1003.110.12.1087 (v2026),
//!   - Pneumococcal Conjugate Vaccine 2.16.840.1.113883.3.464.1003.196.12.1221 (v2026),
//!   - Pneumococcal Polysaccharide 23 Vaccine 2.16.840.1.113883.3.464.1003.110.12.1089 (v2022);
//! - *eCQM CMS123*: "Visual Exam of Foot" 2.16.840.1.113883.3.464.1003.103.12.1013 (eCQM
//!   Update 2017-05-05, CMS123v6), as copied from `canvas_workflow_kit.value_set.v2018` into
//!   a Canvas CMS123v6 protocol file (read through the code search, which did not name its
//!   repository).
//!
//! The tests check every LOINC code's check digit (mod 10) and every SNOMED CT id's
//! (Verhoeff), so a mistyped code cannot slip in.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::care::{items, VALUE_COLONOSCOPY, VALUE_HPV_COTEST};
use super::choice::choice_impl;

/// The code systems care history comes coded in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Terminology {
    /// Observations (labs, vital signs, surveys).
    Loinc,
    /// Vaccines given.
    Cvx,
    /// Procedures.
    Snomed,
}

impl Terminology {
    pub const ALL: [Terminology; 3] = [Terminology::Loinc, Terminology::Cvx, Terminology::Snomed];

    /// `loinc`, `cvx`, `snomed`.
    pub fn code(self) -> &'static str {
        match self {
            Terminology::Loinc => "loinc",
            Terminology::Cvx => "cvx",
            Terminology::Snomed => "snomed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Terminology::Loinc => "LOINC",
            Terminology::Cvx => "CVX",
            Terminology::Snomed => "SNOMED CT",
        }
    }

    /// The system a file names: a FHIR system URI (`http://loinc.org`,
    /// `http://hl7.org/fhir/sid/cvx`, `http://snomed.info/sct`) or a name as Synthea's CSV
    /// and CareCoord write it (`LOINC`, `CVX`, `SNOMED-CT`, `SNOMED CT`, `snomed`...), case
    /// and surrounding spaces ignored. `None` for any other system (CPT, a local code list).
    pub fn parse(s: &str) -> Option<Terminology> {
        let s = s.trim().trim_end_matches('/').to_ascii_lowercase();
        match s.as_str() {
            "http://loinc.org" | "https://loinc.org" | "loinc" | "lnc" => Some(Terminology::Loinc),
            "http://hl7.org/fhir/sid/cvx" | "cvx" => Some(Terminology::Cvx),
            "http://snomed.info/sct" | "snomed" | "snomed-ct" | "snomed ct" | "snomedct" | "sct" => Some(Terminology::Snomed),
            _ => None,
        }
    }
}

choice_impl!(own_parse: Terminology);

/// What an event's value is, for the codes of one entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueRule {
    /// No value: that it was done is what counts (a vaccine, an exam, an eGFR).
    NoValue,
    /// The observation's number as written (HbA1c %, a questionnaire's score).
    Number,
    /// A systolic reading: with the diastolic of the same date and encounter it makes one
    /// blood pressure event, "150/95" (the form `model::care` reads).
    Systolic,
    /// A diastolic reading (see [`ValueRule::Systolic`]).
    Diastolic,
    /// A blood pressure panel: its systolic and diastolic components, "150/95".
    BloodPressurePanel,
    /// This value, whatever the file says (a colonoscopy, an HPV test).
    Fixed(&'static str),
}

/// One code and the care item it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mapping {
    pub system: Terminology,
    pub code: &'static str,
    /// The item code (see [`items`]).
    pub item: &'static str,
    pub value: ValueRule,
    /// What the code stands for, as its source names it (shown in Settings).
    pub description: &'static str,
}

impl Mapping {
    /// Whether this code is one half of a blood pressure (systolic or diastolic).
    pub fn is_bp_half(&self) -> bool {
        matches!(self.value, ValueRule::Systolic | ValueRule::Diastolic)
    }
}

const fn loinc(code: &'static str, item: &'static str, value: ValueRule, description: &'static str) -> Mapping {
    Mapping { system: Terminology::Loinc, code, item, value, description }
}

const fn cvx(code: &'static str, item: &'static str, description: &'static str) -> Mapping {
    Mapping { system: Terminology::Cvx, code, item, value: ValueRule::NoValue, description }
}

const fn snomed(code: &'static str, item: &'static str, value: ValueRule, description: &'static str) -> Mapping {
    Mapping { system: Terminology::Snomed, code, item, value, description }
}

use ValueRule::{BloodPressurePanel, Diastolic, Fixed, NoValue, Number, Systolic};

const HBA1C: &str = items::HBA1C;
const BP: &str = items::BLOOD_PRESSURE;
const KIDNEY: &str = items::KIDNEY_SCREEN;
const PHQ9: &str = items::PHQ9;
const DEPRESSION: &str = items::DEPRESSION_SCREEN;
const COLORECTAL: &str = items::COLORECTAL_SCREEN;
const MAMMOGRAM: &str = items::MAMMOGRAM;
const CERVICAL: &str = items::CERVICAL_SCREEN;
const EYE: &str = items::EYE_EXAM;
const FOOT: &str = items::FOOT_EXAM;
const FLU: &str = items::INFLUENZA_VACCINE;
const PNEUMO: &str = items::PNEUMOCOCCAL_VACCINE;
const COLONOSCOPY: ValueRule = Fixed(VALUE_COLONOSCOPY);
const HPV: ValueRule = Fixed(VALUE_HPV_COTEST);

/// Every code CareCoord reads as a care item, by item. Sources: see the module notes.
#[rustfmt::skip]
pub const MAPPINGS: &[Mapping] = &[
    // HbA1c: the result in %.
    loinc("4548-4", HBA1C, Number, "Hemoglobin A1c/Hemoglobin.total in Blood"), // obs.csv; Synthea msc; eCQM HbA1c
    loinc("4549-2", HBA1C, Number, "Hemoglobin A1c/Hemoglobin.total in Blood by Electrophoresis"), // eCQM HbA1c
    loinc("17855-8", HBA1C, Number, "Hemoglobin A1c/Hemoglobin.total in Blood by calculation"), // eCQM HbA1c
    loinc("17856-6", HBA1C, Number, "Hemoglobin A1c/Hemoglobin.total in Blood by HPLC"), // eCQM HbA1c
    loinc("96595-4", HBA1C, Number, "Hemoglobin A1c/Hemoglobin.total in DBS"), // eCQM HbA1c

    // Blood pressure: "systolic/diastolic".
    loinc("85354-9", BP, BloodPressurePanel, "Blood pressure panel with all children optional"), // FHIR bp
    loinc("55284-4", BP, BloodPressurePanel, "Blood pressure systolic and diastolic (panel)"), // bundle ("Blood Pressure", with 8480-6 and 8462-4 components)
    loinc("8480-6", BP, Systolic, "Systolic blood pressure"), // obs.csv; bundle; FHIR bp
    loinc("8462-4", BP, Diastolic, "Diastolic blood pressure"), // obs.csv; bundle; FHIR bp

    // Kidney screening: eGFR and urine albumin/creatinine ratio.
    loinc("33914-3", KIDNEY, NoValue, "Glomerular filtration rate/1.73 sq M.predicted (eGFR)"), // obs.csv; bundle ("Estimated Glomerular Filtration Rate")
    loinc("48642-3", KIDNEY, NoValue, "eGFR/1.73 sq M.predicted among non-blacks, creatinine-based formula (MDRD)"), // eCQM eGFR
    loinc("48643-1", KIDNEY, NoValue, "eGFR/1.73 sq M.predicted among blacks, creatinine-based formula (MDRD)"), // eCQM eGFR
    loinc("50044-7", KIDNEY, NoValue, "eGFR/1.73 sq M.predicted among females, creatinine-based formula (MDRD)"), // eCQM eGFR
    loinc("50210-4", KIDNEY, NoValue, "eGFR/1.73 sq M.predicted, cystatin C-based formula"), // eCQM eGFR
    loinc("62238-1", KIDNEY, NoValue, "eGFR/1.73 sq M.predicted, creatinine-based formula (CKD-EPI)"), // eCQM eGFR
    loinc("69405-9", KIDNEY, NoValue, "eGFR/1.73 sq M.predicted in Serum, Plasma or Blood"), // eCQM eGFR
    loinc("70969-1", KIDNEY, NoValue, "eGFR/1.73 sq M.predicted among males, creatinine-based formula (MDRD)"), // eCQM eGFR
    loinc("77147-7", KIDNEY, NoValue, "eGFR/1.73 sq M.predicted, creatinine-based formula (MDRD)"), // eCQM eGFR
    loinc("88293-6", KIDNEY, NoValue, "eGFR/1.73 sq M.predicted among blacks, creatinine-based formula (CKD-EPI)"), // eCQM eGFR
    loinc("88294-4", KIDNEY, NoValue, "eGFR/1.73 sq M.predicted among non-blacks, creatinine-based formula (CKD-EPI)"), // eCQM eGFR
    loinc("94677-2", KIDNEY, NoValue, "eGFR/1.73 sq M.predicted, creatinine and cystatin C-based formula (CKD-EPI)"), // eCQM eGFR
    loinc("98979-8", KIDNEY, NoValue, "eGFR/1.73 sq M.predicted, creatinine-based formula (CKD-EPI 2021)"), // eCQM eGFR
    loinc("98980-6", KIDNEY, NoValue, "eGFR/1.73 sq M.predicted, creatinine and cystatin C-based formula (CKD-EPI 2021)"), // eCQM eGFR
    loinc("9318-7", KIDNEY, NoValue, "Albumin/Creatinine [Mass Ratio] in Urine"), // eCQM uACR
    loinc("13705-9", KIDNEY, NoValue, "Albumin/Creatinine [Mass Ratio] in 24 hour Urine"), // eCQM uACR
    loinc("14585-4", KIDNEY, NoValue, "Albumin/Creatinine [Molar ratio] in Urine"), // eCQM uACR
    loinc("14958-3", KIDNEY, NoValue, "Microalbumin/Creatinine [Mass Ratio] in 24 hour Urine"), // eCQM uACR
    loinc("14959-1", KIDNEY, NoValue, "Microalbumin/Creatinine [Mass Ratio] in Urine"), // eCQM uACR
    loinc("30000-4", KIDNEY, NoValue, "Microalbumin/Creatinine [Ratio] in Urine"), // eCQM uACR
    loinc("30001-2", KIDNEY, NoValue, "Microalbumin/Creatinine [Ratio] in Urine by Test strip"), // eCQM uACR
    loinc("32294-1", KIDNEY, NoValue, "Albumin/Creatinine [Ratio] in Urine"), // eCQM uACR
    loinc("44292-1", KIDNEY, NoValue, "Microalbumin/Creatinine [Mass Ratio] in 12 hour Urine"), // eCQM uACR
    loinc("59159-4", KIDNEY, NoValue, "Microalbumin/Creatinine [Ratio] in 24 hour Urine"), // eCQM uACR
    loinc("76401-9", KIDNEY, NoValue, "Albumin/Creatinine [Ratio] in 24 hour Urine"), // eCQM uACR
    loinc("77253-3", KIDNEY, NoValue, "Microalbumin/Creatinine [Ratio] in Urine by Detection limit <= 1.0 mg/L"), // eCQM uACR
    loinc("77254-1", KIDNEY, NoValue, "Microalbumin/Creatinine [Ratio] in 24 hour Urine by Detection limit <= 1.0 mg/L"), // eCQM uACR

    // PHQ-9 (depression follow-up): the total score.
    loinc("44261-6", PHQ9, Number, "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]"), // obs.csv; eCQM PHQ 9
    loinc("89204-2", PHQ9, Number, "Patient Health Questionnaire-9: Modified for Teens total score [Reported.PHQ.Teen]"), // obs.csv; eCQM PHQ 9

    // Depression screening: the PHQ-2 total score.
    loinc("55758-7", DEPRESSION, Number, "Patient Health Questionnaire 2 item (PHQ-2) total score [Reported]"), // obs.csv

    // Colorectal cancer screening: a stool test (FIT, FOBT) counts for a year...
    loinc("57905-2", COLORECTAL, NoValue, "Hemoglobin.gastrointestinal [Presence] in Stool by Immunologic method (FIT)"), // obs.csv; Synthea crc; eCQM FOBT
    loinc("58453-2", COLORECTAL, NoValue, "Hemoglobin.gastrointestinal.lower [Mass/volume] in Stool by Immunoassay"), // eCQM FOBT
    loinc("29771-3", COLORECTAL, NoValue, "Hemoglobin.gastrointestinal.lower [Presence] in Stool by Immunoassay"), // eCQM FOBT
    loinc("56490-6", COLORECTAL, NoValue, "Hemoglobin.gastrointestinal.lower [Presence] in Stool by Immunoassay --2nd specimen"), // eCQM FOBT
    loinc("56491-4", COLORECTAL, NoValue, "Hemoglobin.gastrointestinal.lower [Presence] in Stool by Immunoassay --3rd specimen"), // eCQM FOBT
    loinc("80372-6", COLORECTAL, NoValue, "Hemoglobin.gastrointestinal [Presence] in Stool by Rapid immunoassay"), // eCQM FOBT
    loinc("2335-8", COLORECTAL, NoValue, "Hemoglobin.gastrointestinal [Presence] in Stool"), // eCQM FOBT
    loinc("27396-1", COLORECTAL, NoValue, "Hemoglobin.gastrointestinal [Mass/mass] in Stool"), // eCQM FOBT
    loinc("14563-1", COLORECTAL, NoValue, "Hemoglobin.gastrointestinal [Presence] in Stool --1st specimen"), // eCQM FOBT
    loinc("14564-9", COLORECTAL, NoValue, "Hemoglobin.gastrointestinal [Presence] in Stool --2nd specimen"), // eCQM FOBT
    loinc("14565-6", COLORECTAL, NoValue, "Hemoglobin.gastrointestinal [Presence] in Stool --3rd specimen"), // eCQM FOBT
    loinc("12503-9", COLORECTAL, NoValue, "Hemoglobin.gastrointestinal [Presence] in Stool --4th specimen"), // eCQM FOBT
    loinc("12504-7", COLORECTAL, NoValue, "Hemoglobin.gastrointestinal [Presence] in Stool --5th specimen"), // eCQM FOBT
    loinc("27401-9", COLORECTAL, NoValue, "Hemoglobin.gastrointestinal [Presence] in Stool --6th specimen"), // eCQM FOBT
    loinc("27925-7", COLORECTAL, NoValue, "Hemoglobin.gastrointestinal [Presence] in Stool --7th specimen"), // eCQM FOBT
    loinc("27926-5", COLORECTAL, NoValue, "Hemoglobin.gastrointestinal [Presence] in Stool --8th specimen"), // eCQM FOBT
    snomed("1015401000000102", COLORECTAL, NoValue, "Fecal occult blood test"), // Synthea crc
    // ... a colonoscopy for ten years.
    snomed("73761001", COLORECTAL, COLONOSCOPY, "Colonoscopy"), // Synthea crc; eCQM Colonoscopy
    snomed("444783004", COLORECTAL, COLONOSCOPY, "Screening colonoscopy"), // eCQM Colonoscopy
    snomed("367535003", COLORECTAL, COLONOSCOPY, "Fiberoptic colonoscopy"), // eCQM Colonoscopy
    snomed("235150006", COLORECTAL, COLONOSCOPY, "Total colonoscopy"), // eCQM Colonoscopy
    snomed("25732003", COLORECTAL, COLONOSCOPY, "Fiberoptic colonoscopy with biopsy"), // eCQM Colonoscopy
    snomed("446745002", COLORECTAL, COLONOSCOPY, "Colonoscopy and biopsy of colon"), // eCQM Colonoscopy
    snomed("1209098000", COLORECTAL, COLONOSCOPY, "Fiberoptic colonoscopy with biopsy of lesion of colon"), // eCQM Colonoscopy
    snomed("8180007", COLORECTAL, COLONOSCOPY, "Fiberoptic colonoscopy through colostomy"), // eCQM Colonoscopy
    snomed("443998000", COLORECTAL, COLONOSCOPY, "Colonoscopy through colostomy with endoscopic biopsy of colon"), // eCQM Colonoscopy
    snomed("12350003", COLORECTAL, COLONOSCOPY, "Colonoscopy with rigid sigmoidoscope through colotomy"), // eCQM Colonoscopy
    snomed("174158000", COLORECTAL, COLONOSCOPY, "Open colonoscopy"), // eCQM Colonoscopy
    snomed("446521004", COLORECTAL, COLONOSCOPY, "Colonoscopy and excision of mucosa of colon"), // eCQM Colonoscopy
    snomed("447021001", COLORECTAL, COLONOSCOPY, "Colonoscopy and tattooing"), // eCQM Colonoscopy
    snomed("709421007", COLORECTAL, COLONOSCOPY, "Colonoscopy and dilation of stricture of colon"), // eCQM Colonoscopy
    snomed("710293001", COLORECTAL, COLONOSCOPY, "Colonoscopy using fluoroscopic guidance"), // eCQM Colonoscopy
    snomed("711307001", COLORECTAL, COLONOSCOPY, "Colonoscopy using plain X-ray guidance"), // eCQM Colonoscopy

    // Mammogram.
    snomed("71651007", MAMMOGRAM, NoValue, "Mammography"), // mCODE (a screening mammogram)
    snomed("241055006", MAMMOGRAM, NoValue, "Mammogram - symptomatic"), // Synthea bc
    loinc("24606-6", MAMMOGRAM, NoValue, "MG Breast Screening"), // eCQM Mammography
    loinc("26175-0", MAMMOGRAM, NoValue, "MG Breast - bilateral Screening"), // eCQM Mammography
    loinc("26176-8", MAMMOGRAM, NoValue, "MG Breast - left Screening"), // eCQM Mammography
    loinc("26177-6", MAMMOGRAM, NoValue, "MG Breast - right Screening"), // eCQM Mammography
    loinc("46356-2", MAMMOGRAM, NoValue, "MG Breast - unilateral Screening"), // eCQM Mammography
    loinc("48492-3", MAMMOGRAM, NoValue, "MG Breast - bilateral Screening for implant"), // eCQM Mammography
    loinc("103893-4", MAMMOGRAM, NoValue, "MG Breast Screening for implant"), // eCQM Mammography
    loinc("103885-0", MAMMOGRAM, NoValue, "MG Breast - left Screening for implant"), // eCQM Mammography
    loinc("103886-8", MAMMOGRAM, NoValue, "MG Breast - right Screening for implant"), // eCQM Mammography
    loinc("103892-6", MAMMOGRAM, NoValue, "DBT Breast screening"), // eCQM Mammography
    loinc("72140-7", MAMMOGRAM, NoValue, "DBT Breast - right screening"), // eCQM Mammography
    loinc("72141-5", MAMMOGRAM, NoValue, "DBT Breast - left screening"), // eCQM Mammography
    loinc("72142-3", MAMMOGRAM, NoValue, "DBT Breast - bilateral screening"), // eCQM Mammography
    loinc("91520-7", MAMMOGRAM, NoValue, "DBT Breast - right screen for implant"), // eCQM Mammography
    loinc("91521-5", MAMMOGRAM, NoValue, "DBT Breast - left screen for implant"), // eCQM Mammography
    loinc("91522-3", MAMMOGRAM, NoValue, "DBT Breast - bilateral screen for implant"), // eCQM Mammography

    // Cervical cancer screening: cytology (Pap test) every 3 years...
    loinc("10524-7", CERVICAL, NoValue, "Microscopic observation [Identifier] in Cervix by Cyto stain"), // eCQM Pap Test
    loinc("18500-9", CERVICAL, NoValue, "Microscopic observation [Identifier] in Cervix by Cyto stain.thin prep"), // eCQM Pap Test
    loinc("19762-4", CERVICAL, NoValue, "General categories [Interpretation] of Cervical or vaginal smear or scraping by Cyto stain"), // eCQM Pap Test
    loinc("19764-0", CERVICAL, NoValue, "Statement of adequacy [Interpretation] of Cervical or vaginal smear or scraping by Cyto stain"), // eCQM Pap Test
    loinc("19765-7", CERVICAL, NoValue, "Microscopic observation [Identifier] in Cervical or vaginal smear or scraping by Cyto stain"), // eCQM Pap Test
    loinc("19766-5", CERVICAL, NoValue, "Microscopic observation [Identifier] in Cervical or vaginal smear or scraping by Cyto stain Narrative"), // eCQM Pap Test
    loinc("19774-9", CERVICAL, NoValue, "Cytology study comment Cervical or vaginal smear or scraping Cyto stain"), // eCQM Pap Test
    loinc("33717-0", CERVICAL, NoValue, "Cervical AndOr vaginal cytology study"), // eCQM Pap Test
    loinc("47527-7", CERVICAL, NoValue, "Cytology report of Cervical or vaginal smear or scraping Cyto stain.thin prep"), // eCQM Pap Test
    loinc("47528-5", CERVICAL, NoValue, "Cytology report of Cervical or vaginal smear or scraping Cyto stain"), // eCQM Pap Test
    // ... an HPV test every 5 (from 30; the rule's "hpv_cotest").
    loinc("21440-3", CERVICAL, HPV, "Human papilloma virus 16+18+31+33+35+45+51+52+56 DNA [Presence] in Cervix by Probe"), // eCQM HPV Test
    loinc("30167-1", CERVICAL, HPV, "Human papilloma virus 16+18+31+33+35+39+45+51+52+56+58+59+68 DNA [Presence] in Cervix by Probe with signal amplification"), // eCQM HPV Test
    loinc("38372-9", CERVICAL, HPV, "Human papilloma virus 6+11+16+18+31+33+35+39+42+43+44+45+51+52+56+58+59+68 DNA [Presence] in Cervix by Probe with signal amplification"), // eCQM HPV Test
    loinc("59263-4", CERVICAL, HPV, "Human papilloma virus 16 DNA [Presence] in Cervix by Probe with signal amplification"), // eCQM HPV Test
    loinc("59264-2", CERVICAL, HPV, "Human papilloma virus 18 DNA [Presence] in Cervix by Probe with signal amplification"), // eCQM HPV Test
    loinc("59420-0", CERVICAL, HPV, "Human papilloma virus 16+18+31+33+35+39+45+51+52+56+58+59+66+68 DNA [Presence] in Cervix by Probe with signal amplification"), // eCQM HPV Test
    loinc("69002-4", CERVICAL, HPV, "Human papilloma virus E6+E7 mRNA [Presence] in Cervix by NAA with probe detection"), // eCQM HPV Test
    loinc("71431-1", CERVICAL, HPV, "Human papilloma virus 31+33+35+39+45+51+52+56+58+59+66+68 DNA [Presence] in Cervix by NAA with probe detection"), // eCQM HPV Test
    loinc("75694-0", CERVICAL, HPV, "Human papilloma virus 18+45 E6+E7 mRNA [Presence] in Cervix by NAA with probe detection"), // eCQM HPV Test
    loinc("77379-6", CERVICAL, HPV, "Human papilloma virus 16 and 18 and 31+33+35+39+45+51+52+56+58+59+66+68 DNA [Interpretation] in Cervix"), // eCQM HPV Test
    loinc("77399-4", CERVICAL, HPV, "Human papilloma virus 16 DNA [Presence] in Cervix by NAA with probe detection"), // eCQM HPV Test
    loinc("77400-0", CERVICAL, HPV, "Human papilloma virus 18 DNA [Presence] in Cervix by NAA with probe detection"), // eCQM HPV Test
    loinc("82354-2", CERVICAL, HPV, "Human papilloma virus 16 and 18+45 E6+E7 mRNA [Identifier] in Cervix by NAA with probe detection"), // eCQM HPV Test
    loinc("82456-5", CERVICAL, HPV, "Human papilloma virus 16 E6+E7 mRNA [Presence] in Cervix by NAA with probe detection"), // eCQM HPV Test
    loinc("82675-0", CERVICAL, HPV, "Human papilloma virus 16+18+31+33+35+39+45+51+52+56+58+59+66+68 DNA [Presence] in Cervix by NAA with probe detection"), // eCQM HPV Test
    loinc("95539-3", CERVICAL, HPV, "Human papilloma virus 31 DNA [Presence] in Cervix by NAA with probe detection"), // eCQM HPV Test
    loinc("104132-6", CERVICAL, HPV, "Human papilloma virus 16 and 18 and 31 and 45+33+52+58 and 35+39+51+56+59+66+68 DNA [Interpretation] in Cervix by NAA with probe detection"), // eCQM HPV Test
    loinc("104170-6", CERVICAL, HPV, "Human papilloma virus 31+33+52+58 DNA [Presence] in Cervix by NAA with probe detection"), // eCQM HPV Test

    // Diabetic eye exam: a retinal or dilated eye exam.
    snomed("722161008", EYE, NoValue, "Diabetic retinal eye exam"), // Synthea dr; eCQM Retinal Eye Exam
    snomed("314971001", EYE, NoValue, "Camera fundoscopy"), // Synthea dr; eCQM Retinal Eye Exam
    snomed("274798009", EYE, NoValue, "Examination of retina"), // eCQM Retinal Eye Exam
    snomed("427478009", EYE, NoValue, "Evaluation of retina"), // eCQM Retinal Eye Exam
    snomed("274795007", EYE, NoValue, "Examination of optic disc"), // eCQM Retinal Eye Exam
    snomed("53524009", EYE, NoValue, "Ophthalmoscopy"), // eCQM Retinal Eye Exam
    snomed("410450009", EYE, NoValue, "Direct ophthalmoscopy"), // eCQM Retinal Eye Exam
    snomed("410451008", EYE, NoValue, "Indirect ophthalmoscopy"), // eCQM Retinal Eye Exam
    snomed("410452001", EYE, NoValue, "Monocular indirect ophthalmoscopy"), // eCQM Retinal Eye Exam
    snomed("410453006", EYE, NoValue, "Binocular indirect ophthalmoscopy"), // eCQM Retinal Eye Exam
    snomed("308110009", EYE, NoValue, "Direct fundoscopy following mydriatic"), // eCQM Retinal Eye Exam
    snomed("314972008", EYE, NoValue, "Indirect fundoscopy following mydriatic"), // eCQM Retinal Eye Exam
    snomed("410455004", EYE, NoValue, "Slit lamp fundus examination"), // eCQM Retinal Eye Exam
    snomed("20067007", EYE, NoValue, "Ocular fundus photography"), // eCQM Retinal Eye Exam
    snomed("252846004", EYE, NoValue, "Scanning laser ophthalmoscopy"), // eCQM Retinal Eye Exam
    snomed("700070005", EYE, NoValue, "Optical coherence tomography of retina"), // eCQM Retinal Eye Exam

    // Diabetic foot exam.
    snomed("401191002", FOOT, NoValue, "Diabetic foot exam (visual exam of foot)"), // eCQM CMS123 Visual Exam of Foot

    // Influenza vaccine, each season.
    cvx("140", FLU, "Influenza, seasonal, injectable, preservative free"), // imm.csv; ndjson; bundle; eCQM Influenza
    cvx("141", FLU, "Influenza, seasonal, injectable"), // eCQM Influenza
    cvx("135", FLU, "Influenza, high dose seasonal, preservative-free"), // eCQM Influenza
    cvx("144", FLU, "Influenza, seasonal, intradermal, preservative free"), // eCQM Influenza
    cvx("149", FLU, "Influenza, live, intranasal, quadrivalent"), // eCQM Influenza; eCQM LAIV
    cvx("150", FLU, "Influenza, injectable, quadrivalent, preservative free"), // eCQM Influenza
    cvx("153", FLU, "Influenza, injectable, Madin Darby Canine Kidney, preservative free"), // eCQM Influenza
    cvx("155", FLU, "Influenza, seasonal, trivalent, recombinant, injectable, preservative free"), // eCQM Influenza
    cvx("158", FLU, "Influenza, injectable, quadrivalent, contains preservative"), // eCQM Influenza
    cvx("161", FLU, "Influenza, injectable, quadrivalent, preservative free, pediatric"), // eCQM Influenza
    cvx("166", FLU, "Influenza, intradermal, quadrivalent, preservative free, injectable"), // eCQM Influenza
    cvx("168", FLU, "Influenza, seasonal, trivalent, adjuvanted, preservative free"), // eCQM Influenza
    cvx("171", FLU, "Influenza, injectable, Madin Darby Canine Kidney, preservative free, quadrivalent"), // eCQM Influenza
    cvx("185", FLU, "Influenza, seasonal, quadrivalent, recombinant, injectable, preservative free"), // eCQM Influenza
    cvx("186", FLU, "Influenza, injectable, Madin Darby Canine Kidney, quadrivalent with preservative"), // eCQM Influenza
    cvx("197", FLU, "Influenza, high-dose seasonal, quadrivalent, .7mL dose, preservative free"), // eCQM Influenza
    cvx("205", FLU, "Influenza, seasonal vaccine, quadrivalent, adjuvanted, .5mL dose, preservative free"), // eCQM Influenza
    cvx("88", FLU, "Influenza virus vaccine, unspecified formulation"), // eCQM Influenza
    cvx("111", FLU, "Influenza, live, trivalent, intranasal"), // eCQM LAIV; ICE
    cvx("15", FLU, "Influenza, split (incl. purified surface antigen)"), // ICE
    cvx("16", FLU, "Influenza, whole"), // ICE
    cvx("151", FLU, "Influenza, nasal, unspecified formulation"), // ICE

    // Pneumococcal vaccine, once.
    cvx("33", PNEUMO, "Pneumococcal polysaccharide vaccine, 23 valent (PPSV23)"), // ndjson; eCQM PPSV23
    cvx("133", PNEUMO, "Pneumococcal conjugate vaccine, 13 valent (PCV13)"), // eCQM Pneumococcal Conjugate
    cvx("152", PNEUMO, "Pneumococcal conjugate, unspecified formulation"), // eCQM Pneumococcal Conjugate
    cvx("215", PNEUMO, "Pneumococcal conjugate vaccine 15-valent (PCV15)"), // eCQM Pneumococcal Conjugate
    cvx("216", PNEUMO, "Pneumococcal conjugate vaccine 20-valent (PCV20)"), // eCQM Pneumococcal Conjugate
    cvx("109", PNEUMO, "Pneumococcal vaccine, unspecified formulation"), // eCQM Pneumococcal Conjugate; eCQM PPSV23
    cvx("100", PNEUMO, "Pneumococcal conjugate vaccine, 7 valent (PCV7)"), // US Core CVX
];

/// [`MAPPINGS`] by system (in [`Terminology::ALL`]'s order), then code; built once.
fn index() -> &'static [HashMap<&'static str, usize>; 3] {
    static INDEX: OnceLock<[HashMap<&'static str, usize>; 3]> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut by_system: [HashMap<&'static str, usize>; 3] = Default::default();
        for (i, m) in MAPPINGS.iter().enumerate() {
            by_system[m.system as usize].insert(m.code, i);
        }
        by_system
    })
}

/// The entry for a code (spaces around it ignored); `None` for a code the table does not
/// know, which is not an error (see the module notes).
pub fn lookup(system: Terminology, code: &str) -> Option<&'static Mapping> {
    index()[system as usize].get(code.trim()).map(|&i| &MAPPINGS[i])
}

/// The entries for one care item, in table order (what Settings shows under the item).
pub fn mappings_for(item: &str) -> impl Iterator<Item = &'static Mapping> + '_ {
    MAPPINGS.iter().filter(move |m| m.item == item)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::model::choice::Choice;

    /// LOINC's mod 10 check digit: the digits before the hyphen, every other one from the
    /// right doubled, the digits of the results summed.
    fn loinc_check_digit_is_right(code: &str) -> bool {
        let Some((body, check)) = code.split_once('-') else { return false };
        if body.is_empty() || check.len() != 1 || !body.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
        let sum: u32 = body
            .bytes()
            .rev()
            .enumerate()
            .map(|(i, b)| {
                let d = u32::from(b - b'0');
                if i % 2 == 0 {
                    let x = d * 2;
                    x / 10 + x % 10
                } else {
                    d
                }
            })
            .sum();
        check.parse::<u32>().ok() == Some((10 - sum % 10) % 10)
    }

    /// SNOMED CT ids end with a Verhoeff check digit.
    fn snomed_check_digit_is_right(code: &str) -> bool {
        const D: [[usize; 10]; 10] = [
            [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
            [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
            [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
            [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
            [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
            [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
            [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
            [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
            [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
            [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
        ];
        const P: [[usize; 10]; 8] = [
            [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
            [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
            [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
            [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
            [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
            [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
            [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
            [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
        ];
        if !(6..=18).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
        let c = code.bytes().rev().enumerate().fold(0, |c, (i, b)| D[c][P[i % 8][usize::from(b - b'0')]]);
        c == 0
    }

    #[test]
    fn check_digits_catch_a_mistyped_code() {
        assert!(loinc_check_digit_is_right("4548-4"));
        assert!(loinc_check_digit_is_right("8480-6"));
        assert!(!loinc_check_digit_is_right("4548-5"));
        assert!(!loinc_check_digit_is_right("4458-4"));
        assert!(snomed_check_digit_is_right("73761001"));
        assert!(snomed_check_digit_is_right("44054006"), "diabetes, from model::condition");
        assert!(!snomed_check_digit_is_right("73761002"));
        assert!(!snomed_check_digit_is_right("73716001"));
    }

    #[test]
    fn every_code_is_well_formed_and_its_item_and_value_make_sense() {
        let mut seen = HashSet::new();
        for m in MAPPINGS {
            assert!(seen.insert((m.system, m.code)), "{} {} twice", m.system.label(), m.code);
            match m.system {
                Terminology::Loinc => assert!(loinc_check_digit_is_right(m.code), "LOINC {}", m.code),
                Terminology::Snomed => assert!(snomed_check_digit_is_right(m.code), "SNOMED CT {}", m.code),
                Terminology::Cvx => {
                    assert!((1..=3).contains(&m.code.len()) && m.code.bytes().all(|b| b.is_ascii_digit()), "CVX {}", m.code)
                }
            }
            assert!(items::ALL.contains(&m.item), "{}: {}", m.code, m.item);
            assert!(!m.description.trim().is_empty(), "{}", m.code);
            match m.value {
                ValueRule::Systolic | ValueRule::Diastolic | ValueRule::BloodPressurePanel => assert_eq!(m.item, items::BLOOD_PRESSURE),
                ValueRule::Fixed(v) => assert!([VALUE_COLONOSCOPY, VALUE_HPV_COTEST].contains(&v), "{}", m.code),
                ValueRule::Number | ValueRule::NoValue => {}
            }
            assert_eq!(lookup(m.system, m.code), Some(m));
        }
    }

    #[test]
    fn the_required_codes_are_there() {
        let item = |s, c| lookup(s, c).map(|m| (m.item, m.value));
        use Terminology::*;
        assert_eq!(item(Loinc, "4548-4"), Some((items::HBA1C, Number)));
        assert_eq!(item(Loinc, "85354-9"), Some((items::BLOOD_PRESSURE, BloodPressurePanel)));
        assert_eq!(item(Loinc, "8480-6"), Some((items::BLOOD_PRESSURE, Systolic)));
        assert_eq!(item(Loinc, "8462-4"), Some((items::BLOOD_PRESSURE, Diastolic)));
        assert_eq!(item(Loinc, "33914-3"), Some((items::KIDNEY_SCREEN, NoValue)));
        assert_eq!(item(Loinc, "9318-7"), Some((items::KIDNEY_SCREEN, NoValue)));
        assert_eq!(item(Loinc, "44261-6"), Some((items::PHQ9, Number)));
        assert_eq!(item(Loinc, "55758-7"), Some((items::DEPRESSION_SCREEN, Number)));
        for flu in ["140", "141", "150", "158", "171", "185", "197", "205"] {
            assert_eq!(item(Cvx, flu), Some((items::INFLUENZA_VACCINE, NoValue)), "{flu}");
        }
        for pneumo in ["33", "133", "152", "215", "216"] {
            assert_eq!(item(Cvx, pneumo), Some((items::PNEUMOCOCCAL_VACCINE, NoValue)), "{pneumo}");
        }
        assert_eq!(item(Snomed, "73761001"), Some((items::COLORECTAL_SCREEN, Fixed(VALUE_COLONOSCOPY))));
        assert_eq!(item(Loinc, "30167-1"), Some((items::CERVICAL_SCREEN, Fixed(VALUE_HPV_COTEST))));
        assert_eq!(item(Snomed, "71651007").map(|x| x.0), Some(items::MAMMOGRAM));
        assert_eq!(item(Snomed, "722161008").map(|x| x.0), Some(items::EYE_EXAM));
        assert_eq!(item(Snomed, "401191002").map(|x| x.0), Some(items::FOOT_EXAM));
        // Every item the default rules use, but the asthma ones, has codes.
        for it in items::ALL {
            let has = mappings_for(it).next().is_some();
            assert_eq!(has, ![items::ASTHMA_CONTROL_TEST, items::ASTHMA_ACTION_PLAN].contains(&it), "{it}");
        }
    }

    #[test]
    fn unknown_codes_and_systems_are_not_errors() {
        assert_eq!(lookup(Terminology::Loinc, "8302-2"), None, "body height");
        assert_eq!(lookup(Terminology::Snomed, "140"), None, "a CVX code under another system");
        assert_eq!(lookup(Terminology::Loinc, " 4548-4 ").map(|m| m.item), Some(items::HBA1C), "spaces around it");
        assert_eq!(Terminology::parse("http://www.ama-assn.org/go/cpt"), None);
        assert_eq!(Terminology::parse("http://loinc.org"), Some(Terminology::Loinc));
        assert_eq!(Terminology::parse("http://hl7.org/fhir/sid/cvx"), Some(Terminology::Cvx));
        assert_eq!(Terminology::parse("SNOMED-CT"), Some(Terminology::Snomed));
        assert_eq!(Terminology::parse(" http://snomed.info/sct/ "), Some(Terminology::Snomed));
        for t in Terminology::ALL {
            assert_eq!(<Terminology as Choice>::parse(t.label()), Some(t));
        }
    }
}
