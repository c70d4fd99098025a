//! Encounters: the visits, stays and calls an EHR records for a patient (store
//! `encounters`), read from the care history it exports (`io::care_history`). They show
//! when the patient was last seen and by which kind of service; the care events of a visit
//! point at it through the file's encounter id.

use serde::{Deserialize, Serialize};

use super::choice::choice_impl;
use super::{Record, Timestamp};

/// The kind of encounter, as Synthea's `ENCOUNTERCLASS` names it (FHIR's `Encounter.class`
/// codes are read into the same values by [`EncounterClass::from_fhir`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EncounterClass {
    Ambulatory,
    Wellness,
    Outpatient,
    Urgentcare,
    Emergency,
    Inpatient,
    Home,
    Virtual,
    Hospice,
    Snf,
    /// A class the file names that is none of the above.
    Other,
}

impl EncounterClass {
    pub const ALL: [EncounterClass; 11] = [
        EncounterClass::Ambulatory,
        EncounterClass::Wellness,
        EncounterClass::Outpatient,
        EncounterClass::Urgentcare,
        EncounterClass::Emergency,
        EncounterClass::Inpatient,
        EncounterClass::Home,
        EncounterClass::Virtual,
        EncounterClass::Hospice,
        EncounterClass::Snf,
        EncounterClass::Other,
    ];

    /// The stored code, Synthea's word (`ambulatory`, `urgentcare`, `snf`...).
    pub fn code(self) -> &'static str {
        match self {
            EncounterClass::Ambulatory => "ambulatory",
            EncounterClass::Wellness => "wellness",
            EncounterClass::Outpatient => "outpatient",
            EncounterClass::Urgentcare => "urgentcare",
            EncounterClass::Emergency => "emergency",
            EncounterClass::Inpatient => "inpatient",
            EncounterClass::Home => "home",
            EncounterClass::Virtual => "virtual",
            EncounterClass::Hospice => "hospice",
            EncounterClass::Snf => "snf",
            EncounterClass::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            EncounterClass::Ambulatory => "Ambulatory",
            EncounterClass::Wellness => "Wellness visit",
            EncounterClass::Outpatient => "Outpatient",
            EncounterClass::Urgentcare => "Urgent care",
            EncounterClass::Emergency => "Emergency",
            EncounterClass::Inpatient => "Inpatient stay",
            EncounterClass::Home => "Home visit",
            EncounterClass::Virtual => "Virtual visit",
            EncounterClass::Hospice => "Hospice",
            EncounterClass::Snf => "Skilled nursing facility",
            EncounterClass::Other => "Other",
        }
    }

    /// A FHIR `Encounter.class` code (HL7 v3 ActCode: `AMB`, `EMER`, `IMP`, `ACUTE`,
    /// `NONAC`, `OBSENC`, `PRENC`, `SS`, `VR`, `HH`), else the class read as Synthea's word;
    /// anything else is [`EncounterClass::Other`].
    /// An emergency visit or a hospital stay: what transitions of care start from.
    pub fn is_acute(self) -> bool {
        matches!(self, EncounterClass::Emergency | EncounterClass::Inpatient)
    }

    pub fn from_fhir(code: &str) -> EncounterClass {
        match code.trim().to_ascii_uppercase().as_str() {
            "AMB" | "PRENC" => EncounterClass::Ambulatory,
            "EMER" => EncounterClass::Emergency,
            "IMP" | "ACUTE" | "NONAC" | "OBSENC" => EncounterClass::Inpatient,
            "SS" => EncounterClass::Outpatient,
            "VR" => EncounterClass::Virtual,
            "HH" => EncounterClass::Home,
            _ => EncounterClass::read(code),
        }
    }

    /// A class as a file writes it (its code or label, any case); anything else is
    /// [`EncounterClass::Other`], never a refusal.
    pub fn read(s: &str) -> EncounterClass {
        <EncounterClass as super::choice::Choice>::parse(s).unwrap_or(EncounterClass::Other)
    }
}

choice_impl!(EncounterClass);

/// One encounter of a patient.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Encounter {
    pub id: String,
    /// The record's revision: raised by one at each checked write (`model::revision`).
    #[serde(default)]
    pub rev: u64,
    pub patient_id: String,
    /// The encounter's id in the file it came from (Synthea's `Id`, the FHIR resource id):
    /// how the next import of that file finds it again. Kept inside the record, never in its
    /// id.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source_id: String,
    pub class: EncounterClass,
    pub start: Timestamp,
    #[serde(default)]
    pub stop: Option<Timestamp>,
    /// The encounter type's code (SNOMED CT in Synthea's files), and its text.
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub description: String,
    /// Why the patient came, as the file says it (empty when it does not).
    #[serde(default)]
    pub reason: String,
}

impl Record for Encounter {
    const STORE: &'static str = "encounters";
    fn id(&self) -> &str {
        &self.id
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::patient::tests::at;
    use crate::model::revision::Revised;

    #[test]
    fn classes_read_from_synthea_and_fhir() {
        assert_eq!(EncounterClass::read("wellness"), EncounterClass::Wellness);
        assert_eq!(EncounterClass::read(" URGENTCARE "), EncounterClass::Urgentcare);
        assert_eq!(EncounterClass::read("Urgent care"), EncounterClass::Urgentcare);
        assert_eq!(EncounterClass::read("snf"), EncounterClass::Snf);
        assert_eq!(EncounterClass::read("teleport"), EncounterClass::Other);
        assert_eq!(EncounterClass::from_fhir("AMB"), EncounterClass::Ambulatory);
        assert_eq!(EncounterClass::from_fhir("IMP"), EncounterClass::Inpatient);
        assert_eq!(EncounterClass::from_fhir("emer"), EncounterClass::Emergency);
        assert_eq!(EncounterClass::from_fhir("VR"), EncounterClass::Virtual);
        assert_eq!(EncounterClass::from_fhir("wellness"), EncounterClass::Wellness);
        assert_eq!(EncounterClass::from_fhir("FLD"), EncounterClass::Other);
    }

    #[test]
    fn an_encounter_is_a_revised_record_that_reads_with_defaults() {
        let e: Encounter = serde_json::from_str(
            r#"{"id":"e1","patient_id":"p1","class":"urgentcare","start":"2026-05-01T10:00:00Z"}"#,
        )
        .unwrap();
        assert_eq!((e.rev, e.source_id.as_str(), e.stop, e.code.as_str()), (0, "", None, ""));
        assert_eq!(e.class, EncounterClass::Urgentcare);
        assert_eq!(e.id(), "e1");
        assert_eq!(<Encounter as Record>::STORE, "encounters");
        let mut e = Encounter { source_id: "abc".into(), stop: Some(at(2026, 5, 1)), ..e };
        e.set_rev(3);
        assert_eq!(e.rev(), 3);
        let json = serde_json::to_string(&e).unwrap();
        assert!(json.contains(r#""class":"urgentcare""#) && json.contains(r#""source_id":"abc""#), "{json}");
        assert_eq!(serde_json::from_str::<Encounter>(&json).unwrap(), e);
        let plain = Encounter { source_id: String::new(), ..e };
        assert!(!serde_json::to_string(&plain).unwrap().contains("source_id"));
    }
}
