//! Problem-list entries (conditions) and the chronic conditions the registry tracks.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::choice::choice_impl;
use super::{text, Record, Timestamp};

/// The chronic conditions the care-gap rules are written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChronicCondition {
    Diabetes,
    Hypertension,
    Asthma,
    HeartFailure,
    Depression,
}

impl ChronicCondition {
    pub const ALL: [ChronicCondition; 5] = [
        ChronicCondition::Diabetes,
        ChronicCondition::Hypertension,
        ChronicCondition::Asthma,
        ChronicCondition::HeartFailure,
        ChronicCondition::Depression,
    ];

    /// The stored code (`diabetes`, `heart_failure`, ...).
    pub fn code(self) -> &'static str {
        match self {
            ChronicCondition::Diabetes => "diabetes",
            ChronicCondition::Hypertension => "hypertension",
            ChronicCondition::Asthma => "asthma",
            ChronicCondition::HeartFailure => "heart_failure",
            ChronicCondition::Depression => "depression",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ChronicCondition::Diabetes => "Diabetes",
            ChronicCondition::Hypertension => "Hypertension",
            ChronicCondition::Asthma => "Asthma",
            ChronicCondition::HeartFailure => "Heart failure",
            ChronicCondition::Depression => "Depression",
        }
    }

    /// Which chronic condition a coded problem is, if any: SNOMED CT and ICD-10-CM codes
    /// the registry knows, then key words of the display text as a last resort.
    pub fn classify(system: CodeSystem, code: &str, display: &str) -> Option<ChronicCondition> {
        use ChronicCondition::*;
        let code = code.trim();
        let by_code = match system {
            CodeSystem::Snomed => match code {
                "44054006" | "73211009" | "46635009" | "190372001" | "127013003" | "90781000119102" | "422034002"
                | "368581000119106" | "1551000119108" | "157141000119108" => Some(Diabetes),
                "38341003" | "59621000" | "1201005" | "10725009" | "56218007" => Some(Hypertension),
                "195967001" | "233678006" | "389145006" | "426979002" | "707444001" => Some(Asthma),
                "84114007" | "88805009" | "42343007" | "85232009" | "703272007" | "714628002" => Some(HeartFailure),
                "35489007" | "370143000" | "36923009" | "66344007" | "191616006" => Some(Depression),
                _ => None,
            },
            CodeSystem::Icd10 => {
                let c = code.to_ascii_uppercase();
                if c.starts_with("E10") || c.starts_with("E11") || c.starts_with("E13") {
                    Some(Diabetes)
                } else if c.starts_with("I10") || c.starts_with("I11") || c.starts_with("I12") || c.starts_with("I13") || c.starts_with("I15") {
                    Some(Hypertension)
                } else if c.starts_with("J45") {
                    Some(Asthma)
                } else if c.starts_with("I50") {
                    Some(HeartFailure)
                } else if c.starts_with("F32") || c.starts_with("F33") {
                    Some(Depression)
                } else {
                    None
                }
            }
            CodeSystem::Other => None,
        };
        by_code.or_else(|| {
            let d = text::fold(display);
            if d.contains("prediabetes") {
                None
            } else if d.contains("diabetes") {
                Some(Diabetes)
            } else if d.contains("hypertension") && !d.contains("pulmonary") {
                Some(Hypertension)
            } else if d.contains("asthma") {
                Some(Asthma)
            } else if d.contains("heart failure") {
                Some(HeartFailure)
            } else if d.contains("depress") {
                Some(Depression)
            } else {
                None
            }
        })
    }
}

choice_impl!(ChronicCondition);

/// The code system of a condition's code.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CodeSystem {
    Snomed,
    Icd10,
    #[default]
    Other,
}

impl CodeSystem {
    pub const ALL: [CodeSystem; 3] = [CodeSystem::Snomed, CodeSystem::Icd10, CodeSystem::Other];

    /// The stored code (`snomed`, `icd10`, `other`), also the part of a condition id that
    /// names its code system.
    pub fn code(self) -> &'static str {
        match self {
            CodeSystem::Snomed => "snomed",
            CodeSystem::Icd10 => "icd10",
            CodeSystem::Other => "other",
        }
    }

    /// From a FHIR `system` URI or a short name ("SNOMED", "ICD10", "http://snomed.info/sct").
    pub fn parse(s: &str) -> CodeSystem {
        let s = s.trim().to_ascii_lowercase();
        if s.contains("snomed") || s == "sct" {
            CodeSystem::Snomed
        } else if s.contains("icd-10") || s.contains("icd10") {
            CodeSystem::Icd10
        } else {
            CodeSystem::Other
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CodeSystem::Snomed => "SNOMED CT",
            CodeSystem::Icd10 => "ICD-10",
            CodeSystem::Other => "other",
        }
    }
}

choice_impl!(CodeSystem);

/// One entry of a patient's problem list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    pub id: String,
    /// The record's revision: raised by one at each checked write (`model::revision`).
    #[serde(default)]
    pub rev: u64,
    pub patient_id: String,
    /// The problem's key in the file it came from (`cond-snomed-44054006`, a FHIR
    /// Condition's id): how the next import of that file finds it again. Kept inside the
    /// record, never in its id, which is a random UUID: an id stays readable when the
    /// records are encrypted, and must say nothing about anyone's health.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source_id: String,
    #[serde(default)]
    pub system: CodeSystem,
    #[serde(default)]
    pub code: String,
    pub display: String,
    #[serde(default)]
    pub onset: Option<NaiveDate>,
    #[serde(default)]
    pub resolved: Option<NaiveDate>,
    /// The registry condition this problem counts as, if any (see [`ChronicCondition::classify`]).
    #[serde(default)]
    pub chronic: Option<ChronicCondition>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Record for Condition {
    const STORE: &'static str = "conditions";
    fn id(&self) -> &str {
        &self.id
    }
}

impl Condition {
    /// Whether the id is a bare UUID (ids made from a file's keys before schema 8 could
    /// carry a diagnosis code).
    pub fn has_opaque_id(&self) -> bool {
        super::ids::is_uuid(&self.id)
    }

    /// The problem's key in the file it came from: its source id, or for a problem stored
    /// before source ids, what its id says of the file.
    pub fn source_key(&self) -> &str {
        if !self.source_id.is_empty() {
            return &self.source_id;
        }
        let prefix = format!("{}-cond-", self.patient_id);
        self.id.strip_prefix(prefix.as_str()).unwrap_or(&self.id)
    }

    /// Gives the problem the id `new_id`, keeping what the old id said of the file as its
    /// source id (`<patient id>-cond-<key>` gives `<key>`).
    pub fn rekey(&mut self, new_id: String) {
        self.source_id = self.source_key().to_string();
        self.id = new_id;
    }

    /// Whether the problem is active on `day` (started by then, or no onset known, and not resolved by then).
    pub fn active_on(&self, day: NaiveDate) -> bool {
        self.onset.is_none_or(|o| o <= day) && self.resolved.is_none_or(|r| r > day)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use ChronicCondition::*;

    /// An active type 2 diabetes entry (SNOMED 44054006, since 2015) for tests across the model.
    pub(crate) fn diabetes(patient_id: &str) -> Condition {
        let at = crate::model::patient::tests::at(2026, 1, 1);
        Condition { source_id: String::new(), rev: 0,
            id: format!("{patient_id}-c1"),
            patient_id: patient_id.into(),
            system: CodeSystem::Snomed,
            code: "44054006".into(),
            display: "Diabetes mellitus type 2".into(),
            onset: NaiveDate::from_ymd_opt(2015, 1, 1),
            resolved: None,
            chronic: Some(Diabetes),
            created_at: at,
            updated_at: at,
        }
    }

    #[test]
    fn classifies_snomed_icd10_and_display_text() {
        assert_eq!(ChronicCondition::classify(CodeSystem::Snomed, "44054006", "Diabetes mellitus type 2"), Some(Diabetes));
        assert_eq!(ChronicCondition::classify(CodeSystem::Snomed, "59621000", "Essential hypertension"), Some(Hypertension));
        assert_eq!(ChronicCondition::classify(CodeSystem::Icd10, "e11.9", ""), Some(Diabetes));
        assert_eq!(ChronicCondition::classify(CodeSystem::Icd10, "I50.22", ""), Some(HeartFailure));
        assert_eq!(ChronicCondition::classify(CodeSystem::Icd10, "J45.909", ""), Some(Asthma));
        assert_eq!(ChronicCondition::classify(CodeSystem::Icd10, "F33.1", ""), Some(Depression));
        assert_eq!(ChronicCondition::classify(CodeSystem::Snomed, "15777000", "Prediabetes"), None);
        assert_eq!(ChronicCondition::classify(CodeSystem::Other, "x", "Childhood asthma"), Some(Asthma));
        assert_eq!(ChronicCondition::classify(CodeSystem::Snomed, "162864005", "Body mass index 30+ - obesity (finding)"), None);
    }

    #[test]
    fn parses_code_systems() {
        assert_eq!(CodeSystem::parse("http://snomed.info/sct"), CodeSystem::Snomed);
        assert_eq!(CodeSystem::parse("http://hl7.org/fhir/sid/icd-10-cm"), CodeSystem::Icd10);
        assert_eq!(CodeSystem::parse("SNOMED-CT"), CodeSystem::Snomed);
        assert_eq!(CodeSystem::parse("LOINC"), CodeSystem::Other);
    }

    #[test]
    fn active_between_onset_and_resolution() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        let c = Condition { onset: Some(d(2020, 1, 1)), resolved: Some(d(2024, 1, 1)), ..diabetes("p") };
        assert!(!c.active_on(d(2019, 12, 31)));
        assert!(c.active_on(d(2020, 1, 1)));
        assert!(c.active_on(d(2023, 12, 31)));
        assert!(!c.active_on(d(2024, 1, 1)));
    }
}
