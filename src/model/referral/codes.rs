//! The coded choices of a referral: its kind, urgency, prior authorization and community
//! outcome (the status, with its state machine, is in `status`).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::model::choice::{by_code, by_code_or, choice_impl};
use crate::model::dates;

/// Who the patient is referred to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferralKind {
    /// A specialist or another practice.
    #[default]
    Specialty,
    /// A community resource (food, housing, transportation...), often from the directory.
    Community,
}

impl ReferralKind {
    pub const ALL: [ReferralKind; 2] = [ReferralKind::Specialty, ReferralKind::Community];

    /// The stored code (`specialty`, `community`).
    pub fn code(self) -> &'static str {
        match self {
            ReferralKind::Specialty => "specialty",
            ReferralKind::Community => "community",
        }
    }

    /// What the coordinator reads.
    pub fn label(self) -> &'static str {
        match self {
            ReferralKind::Specialty => "Specialty",
            ReferralKind::Community => "Community resource",
        }
    }

    /// Reads a code (as [`ReferralKind::code`] writes it), ignoring case and spaces.
    pub fn parse(s: &str) -> Option<ReferralKind> {
        by_code(s)
    }

    /// Position in [`ReferralKind::ALL`] (for per-kind counts).
    pub fn index(self) -> usize {
        self as usize
    }
}

/// How soon the patient must be seen (FHIR `request-priority`, without "asap").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    #[default]
    Routine,
    Urgent,
    Stat,
}

impl Urgency {
    pub const ALL: [Urgency; 3] = [Urgency::Routine, Urgency::Urgent, Urgency::Stat];

    /// The stored code, also the FHIR priority code (`routine`, `urgent`, `stat`).
    pub fn code(self) -> &'static str {
        match self {
            Urgency::Routine => "routine",
            Urgency::Urgent => "urgent",
            Urgency::Stat => "stat",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Urgency::Routine => "Routine",
            Urgency::Urgent => "Urgent",
            Urgency::Stat => "Stat (immediately)",
        }
    }

    /// Reads a code; an empty text is routine.
    pub fn parse(s: &str) -> Option<Urgency> {
        by_code_or(s, Urgency::Routine)
    }
}

/// Prior authorization from the patient's insurer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PriorAuthStatus {
    #[default]
    NotNeeded,
    Requested,
    Approved,
    Denied,
}

impl PriorAuthStatus {
    pub const ALL: [PriorAuthStatus; 4] =
        [PriorAuthStatus::NotNeeded, PriorAuthStatus::Requested, PriorAuthStatus::Approved, PriorAuthStatus::Denied];

    /// The stored code (`not_needed`, `requested`, `approved`, `denied`).
    pub fn code(self) -> &'static str {
        match self {
            PriorAuthStatus::NotNeeded => "not_needed",
            PriorAuthStatus::Requested => "requested",
            PriorAuthStatus::Approved => "approved",
            PriorAuthStatus::Denied => "denied",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PriorAuthStatus::NotNeeded => "Not needed",
            PriorAuthStatus::Requested => "Requested",
            PriorAuthStatus::Approved => "Approved",
            PriorAuthStatus::Denied => "Denied",
        }
    }

    /// Reads a code; an empty text is "not needed".
    pub fn parse(s: &str) -> Option<PriorAuthStatus> {
        by_code_or(s, PriorAuthStatus::NotNeeded)
    }
}

/// The prior authorization of a referral.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PriorAuth {
    pub status: PriorAuthStatus,
    /// The insurer's authorization number (empty until known).
    pub number: String,
    /// When it was requested; required once it is requested, approved or denied.
    pub requested: Option<NaiveDate>,
}

impl PriorAuth {
    /// "Not needed", "Requested 2026-11-02", "Approved (PA-77, requested 2026-11-02)".
    pub fn describe(&self) -> String {
        let label = self.status.label();
        match (self.status, self.number.is_empty(), self.requested) {
            (PriorAuthStatus::NotNeeded, _, _) | (_, true, None) => label.to_string(),
            (PriorAuthStatus::Requested, true, Some(d)) => format!("{label} {}", dates::iso(d)),
            (_, true, Some(d)) => format!("{label} (requested {})", dates::iso(d)),
            (_, false, None) => format!("{label} ({})", self.number),
            (_, false, Some(d)) => format!("{label} ({}, requested {})", self.number, dates::iso(d)),
        }
    }
}

/// What came of a community referral, as the big closed-loop platforms code it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommunityOutcome {
    GotHelp,
    CouldNotContact,
    NotEligible,
    NoCapacity,
    NoLongerInterested,
    ReferredElsewhere,
}

impl CommunityOutcome {
    pub const ALL: [CommunityOutcome; 6] = [
        CommunityOutcome::GotHelp,
        CommunityOutcome::CouldNotContact,
        CommunityOutcome::NotEligible,
        CommunityOutcome::NoCapacity,
        CommunityOutcome::NoLongerInterested,
        CommunityOutcome::ReferredElsewhere,
    ];

    pub fn code(self) -> &'static str {
        match self {
            CommunityOutcome::GotHelp => "got_help",
            CommunityOutcome::CouldNotContact => "could_not_contact",
            CommunityOutcome::NotEligible => "not_eligible",
            CommunityOutcome::NoCapacity => "no_capacity",
            CommunityOutcome::NoLongerInterested => "no_longer_interested",
            CommunityOutcome::ReferredElsewhere => "referred_elsewhere",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CommunityOutcome::GotHelp => "Got help",
            CommunityOutcome::CouldNotContact => "Couldn't contact the patient",
            CommunityOutcome::NotEligible => "Not eligible",
            CommunityOutcome::NoCapacity => "No capacity",
            CommunityOutcome::NoLongerInterested => "No longer interested",
            CommunityOutcome::ReferredElsewhere => "Referred elsewhere",
        }
    }

    /// Reads a code.
    pub fn parse(s: &str) -> Option<CommunityOutcome> {
        by_code(s)
    }
}

choice_impl!(ReferralKind, Urgency, PriorAuthStatus, CommunityOutcome);
