//! The directory's records: [`Organization`] and [`Service`] with its parts (addresses,
//! locations, phones, taxonomy terms), HSDS-shaped, and the service status.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

use super::hours::open_state_of;
use super::{format_hours, Category, OpenState, Schedule, ServiceDraft};
use crate::model::choice::choice_impl;
use crate::model::text::fold;
use crate::model::{Record, Timestamp};

/// HSDS service status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceStatus {
    #[default]
    Active,
    Inactive,
    Defunct,
    TemporarilyClosed,
}

impl ServiceStatus {
    pub const ALL: [ServiceStatus; 4] =
        [ServiceStatus::Active, ServiceStatus::Inactive, ServiceStatus::Defunct, ServiceStatus::TemporarilyClosed];

    /// The HSDS value ("temporarily closed" has a space).
    pub fn code(self) -> &'static str {
        match self {
            ServiceStatus::Active => "active",
            ServiceStatus::Inactive => "inactive",
            ServiceStatus::Defunct => "defunct",
            ServiceStatus::TemporarilyClosed => "temporarily closed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ServiceStatus::Active => "Active",
            ServiceStatus::Inactive => "Inactive",
            ServiceStatus::Defunct => "Closed for good",
            ServiceStatus::TemporarilyClosed => "Temporarily closed",
        }
    }

    /// From the HSDS value or the label, case-insensitive ("temporarily_closed" too).
    pub fn parse(s: &str) -> Option<ServiceStatus> {
        let f = fold(s.trim()).replace(['_', '-'], " ");
        ServiceStatus::ALL.into_iter().find(|st| st.code() == f || fold(st.label()) == f)
    }

    /// Active or temporarily closed: shown in the kiosk by default.
    pub fn is_listed(self) -> bool {
        matches!(self, ServiceStatus::Active | ServiceStatus::TemporarilyClosed)
    }
}

choice_impl!(own_parse: ServiceStatus);

/// An organization (HSDS `organization`). Store: `organizations`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Organization {
    pub id: String,
    /// The record's revision: raised by one at each checked write (`model::revision`).
    #[serde(default)]
    pub rev: u64,
    pub name: String,
    pub alternate_name: String,
    pub description: String,
    pub email: String,
    pub website: String,
}

impl Record for Organization {
    const STORE: &'static str = "organizations";
    fn id(&self) -> &str {
        &self.id
    }
}

/// A street address (HSDS `address`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Address {
    pub id: String,
    pub address_1: String,
    pub address_2: String,
    pub city: String,
    pub state_province: String,
    pub postal_code: String,
    pub country: String,
}

impl Address {
    pub fn is_empty(&self) -> bool {
        [&self.address_1, &self.address_2, &self.city, &self.state_province, &self.postal_code].iter().all(|s| s.trim().is_empty())
    }

    /// "12 Main St, Suite 4, Springfield, MA 01101" (what the form's Address field holds).
    pub fn one_line(&self) -> String {
        let state_zip = [self.state_province.trim(), self.postal_code.trim()].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(" ");
        [self.address_1.trim(), self.address_2.trim(), self.city.trim(), state_zip.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Reads what the coordinator typed: "line, city, ST 01234" (parts after the first are
    /// optional; with four or more parts the second is a second address line).
    pub fn parse_line(text: &str) -> Address {
        let parts: Vec<&str> = text.split(',').map(str::trim).filter(|p| !p.is_empty()).collect();
        let mut a = Address::default();
        let Some(first) = parts.first() else { return a };
        a.address_1 = first.to_string();
        let last = match parts.len() {
            1 => return a,
            2 => {
                a.city = parts[1].to_string();
                return a;
            }
            3 => {
                a.city = parts[1].to_string();
                parts[2].to_string()
            }
            _ => {
                a.address_2 = parts[1].to_string();
                a.city = parts[2].to_string();
                parts[3..].join(" ")
            }
        };
        // "MA 01101", "MA", "01101"
        let (zip, state): (Vec<&str>, Vec<&str>) = last.split_whitespace().partition(|t| t.chars().any(|c| c.is_ascii_digit()));
        a.state_province = state.join(" ");
        a.postal_code = zip.join(" ");
        a
    }
}

/// A place where a service is given (HSDS `location`), with its address.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Location {
    pub id: String,
    pub name: String,
    /// physical, postal or virtual.
    pub location_type: String,
    pub address: Address,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

/// A phone number (HSDS `phone`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Phone {
    pub id: String,
    pub number: String,
    pub extension: String,
    /// HSDS `type`: voice, fax, text, cell, video, pager, textphone.
    #[serde(rename = "type")]
    pub kind: String,
    pub description: String,
}

impl Phone {
    /// "(617) 555-0101 ext. 12".
    pub fn display(&self) -> String {
        if self.extension.trim().is_empty() {
            self.number.clone()
        } else {
            format!("{} ext. {}", self.number, self.extension.trim())
        }
    }
}

/// A taxonomy term attached to a service (HSDS `taxonomy_term`, linked by an `attribute`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TaxonomyTerm {
    pub id: String,
    pub code: String,
    pub name: String,
    /// The taxonomy's name ("AIRS", "Open Eligibility", ...).
    pub taxonomy: String,
}

/// A service with everything shown about it (see `model::directory`). Store: `services`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Service {
    pub id: String,
    /// The record's revision: raised by one at each checked write (`model::revision`).
    #[serde(default)]
    pub rev: u64,
    pub organization_id: String,
    pub organization_name: String,
    pub name: String,
    pub alternate_name: String,
    pub description: String,
    pub status: ServiceStatus,
    pub url: String,
    pub email: String,
    /// HSDS `eligibility_description`.
    pub eligibility: String,
    /// HSDS `fees_description`.
    pub fees: String,
    /// HSDS `application_process` ("How to apply").
    pub application_process: String,
    pub minimum_age: Option<u32>,
    pub maximum_age: Option<u32>,
    /// Language names in English ("Spanish"; codes are turned into names on import).
    pub languages: Vec<String>,
    pub locations: Vec<Location>,
    pub phones: Vec<Phone>,
    pub schedules: Vec<Schedule>,
    pub taxonomy_terms: Vec<TaxonomyTerm>,
    pub categories: Vec<Category>,
    /// HSDS `assured_date`: when someone last checked the information.
    pub assured_date: Option<NaiveDate>,
    /// HSDS `last_modified`.
    pub last_modified: Option<Timestamp>,
}

impl Record for Service {
    const STORE: &'static str = "services";
    fn id(&self) -> &str {
        &self.id
    }
}

impl Service {
    /// The first location's address, if any.
    pub fn address(&self) -> Option<&Address> {
        self.locations.iter().map(|l| &l.address).find(|a| !a.is_empty())
    }

    /// The cities of its locations.
    pub fn cities(&self) -> impl Iterator<Item = &str> {
        self.locations.iter().map(|l| l.address.city.trim()).filter(|c| !c.is_empty())
    }

    /// "Ages 12–100", "Ages 18 and over", "Ages up to 5", or "" when any age.
    pub fn ages_text(&self) -> String {
        match (self.minimum_age, self.maximum_age) {
            (Some(a), Some(b)) => format!("Ages {a}–{b}"),
            (Some(a), None) => format!("Ages {a} and over"),
            (None, Some(b)) => format!("Ages up to {b}"),
            (None, None) => String::new(),
        }
    }

    /// Whether a person of `age` is within its age limits (no limits: yes).
    pub fn accepts_age(&self, age: u32) -> bool {
        self.minimum_age.is_none_or(|m| age >= m) && self.maximum_age.is_none_or(|m| age <= m)
    }

    /// Whether it is open at `now` (the service's local time); see [`OpenState`].
    pub fn open_state(&self, now: NaiveDateTime) -> OpenState {
        let intervals: Vec<(u16, u16)> = self.schedules.iter().flat_map(Schedule::week_intervals).collect();
        open_state_of(self.status, &intervals, now)
    }

    /// Its opening periods on the day of the week `day` (those that start that day).
    pub fn hours_on(&self, day: Weekday) -> Vec<(NaiveTime, NaiveTime)> {
        let mut out: Vec<(NaiveTime, NaiveTime)> = self
            .schedules
            .iter()
            .filter(|s| s.days.is_empty() || s.days.contains(&day))
            .filter_map(|s| Some((s.opens_at?, s.closes_at?)))
            .collect();
        super::sort_dedup_small(&mut out);
        out
    }

    /// The hours as the form shows them ("Mon-Fri 09:00-17:00; Sat 10:00-14:00").
    pub fn hours_text(&self) -> String {
        format_hours(&self.schedules)
    }

    /// When the information was last checked: the later of `assured_date` and
    /// `last_modified`.
    pub fn last_verified(&self) -> Option<NaiveDate> {
        let modified = self.last_modified.map(|t| t.date_naive());
        match (self.assured_date, modified) {
            (Some(a), Some(m)) => Some(a.max(m)),
            (a, m) => a.or(m),
        }
    }

    /// The form's fields, for editing.
    pub fn to_draft(&self) -> ServiceDraft {
        ServiceDraft {
            name: self.name.clone(),
            organization: self.organization_name.clone(),
            category: self.categories.iter().map(|c| c.label()).collect::<Vec<_>>().join(", "),
            phone: self.phones.first().map(Phone::display).unwrap_or_default(),
            address: self.address().map(Address::one_line).unwrap_or_default(),
            languages: self.languages.join(", "),
            hours: self.hours_text(),
            description: self.description.clone(),
            eligibility: self.eligibility.clone(),
            fees: self.fees.clone(),
            application_process: self.application_process.clone(),
            minimum_age: self.minimum_age.map(|a| a.to_string()).unwrap_or_default(),
            maximum_age: self.maximum_age.map(|a| a.to_string()).unwrap_or_default(),
            url: self.url.clone(),
            status: self.status.code().to_string(),
        }
    }
}

