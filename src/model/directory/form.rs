//! The resource form: what the coordinator typed ([`ServiceDraft`]), checked into a
//! [`ValidService`], and made into a new or edited [`Service`].

use chrono::NaiveDate;

use super::{categorize, parse_hours, parse_languages, Address, Category, Location, Phone, Schedule, Service, ServiceStatus};
use crate::model::ids;
use crate::model::text::digits;

// ---------------------------------------------------------------------------------------
// The form

/// The fields of the resource form, for messages shown next to a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ServiceField {
    Name,
    Organization,
    Category,
    Phone,
    Address,
    Languages,
    Hours,
    MinimumAge,
    MaximumAge,
    Status,
    Url,
}

/// A message about one field of the resource form, in the coordinator's words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceFieldError {
    pub field: ServiceField,
    pub message: String,
}

impl std::fmt::Display for ServiceFieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// What the coordinator typed into the resource form (labels per the UI contract: Name,
/// Organization, Category, Phone, Address, Languages, Hours; the rest are optional extras).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServiceDraft {
    pub name: String,
    pub organization: String,
    /// One category, or several separated by commas (code or label, English or Spanish).
    /// Empty: worked out from the name and description.
    pub category: String,
    pub phone: String,
    /// "12 Main St, Springfield, MA 01101".
    pub address: String,
    /// "English, Spanish".
    pub languages: String,
    /// "Mon-Fri 09:00-17:00; Sat 10:00-14:00".
    pub hours: String,
    pub description: String,
    pub eligibility: String,
    pub fees: String,
    pub application_process: String,
    pub minimum_age: String,
    pub maximum_age: String,
    pub url: String,
    /// Empty: active.
    pub status: String,
}

/// The checked values of a [`ServiceDraft`]: a service but for its ids and dates.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidService {
    pub name: String,
    pub organization: String,
    pub categories: Vec<Category>,
    pub phone: Option<Phone>,
    pub address: Address,
    pub languages: Vec<String>,
    pub schedules: Vec<Schedule>,
    pub description: String,
    pub eligibility: String,
    pub fees: String,
    pub application_process: String,
    pub minimum_age: Option<u32>,
    pub maximum_age: Option<u32>,
    pub url: String,
    pub status: ServiceStatus,
}

const SERVICE_NAME_MAX: usize = 200;

/// Splits "(617) 555-0101 ext. 12" / "617-555-0101 x12" into number and extension.
fn split_extension(s: &str) -> (String, String) {
    let f = s.to_ascii_lowercase();
    for marker in ["extension", "ext.", "ext", "x", "#"] {
        if let Some(i) = f.rfind(marker) {
            let ext = s[i + marker.len()..].trim();
            if !ext.is_empty() && ext.bytes().all(|b| b.is_ascii_digit()) {
                return (s[..i].trim().trim_end_matches(',').trim().to_string(), ext.to_string());
            }
        }
    }
    (s.trim().to_string(), String::new())
}

impl ServiceDraft {
    /// Checks every field and returns all problems at once.
    pub fn validate(&self) -> Result<ValidService, Vec<ServiceFieldError>> {
        let mut errors = Vec::new();
        let mut err = |field, message: String| errors.push(ServiceFieldError { field, message });

        let name = self.name.trim().to_string();
        if name.is_empty() {
            err(ServiceField::Name, "Name is required.".into());
        } else if name.chars().count() > SERVICE_NAME_MAX {
            err(ServiceField::Name, format!("Name is longer than {SERVICE_NAME_MAX} characters."));
        }
        let organization = self.organization.trim().to_string();
        if organization.is_empty() {
            err(ServiceField::Organization, "Organization is required (it can be the same as the name).".into());
        }

        let mut categories = Vec::new();
        for part in self.category.split([',', ';']).map(str::trim).filter(|p| !p.is_empty()) {
            match Category::parse(part) {
                Some(c) => categories.push(c),
                None => err(
                    ServiceField::Category,
                    format!("Category '{part}' is not one of: {}.", Category::ALL.map(|c| c.label()).join(", ")),
                ),
            }
        }
        categories.sort();
        categories.dedup();
        if categories.is_empty() {
            categories = categorize(&[], &name, &self.description);
        }

        let phone_text = self.phone.trim();
        let phone = if phone_text.is_empty() {
            None
        } else {
            let (number, extension) = split_extension(phone_text);
            let n = digits(&number).len();
            if !(7..=15).contains(&n) || !number.chars().all(|c| c.is_ascii_digit() || " ()-.+".contains(c)) {
                err(ServiceField::Phone, format!("Phone '{phone_text}' is not a phone number (like (617) 555-0101 ext. 12)."));
                None
            } else {
                Some(Phone { id: String::new(), number, extension, kind: "voice".into(), description: String::new() })
            }
        };

        let address = Address::parse_line(&self.address);
        let languages = parse_languages(&self.languages);
        let schedules = match parse_hours(&self.hours) {
            Ok(s) => s,
            Err(m) => {
                err(ServiceField::Hours, format!("Hours: {m}"));
                Vec::new()
            }
        };

        let mut age = |text: &str, field, label: &str| -> Option<u32> {
            let t = text.trim();
            if t.is_empty() {
                return None;
            }
            match t.parse::<u32>() {
                Ok(a) if a <= 120 => Some(a),
                _ => {
                    err(field, format!("{label} '{t}' is not an age in years (0 to 120)."));
                    None
                }
            }
        };
        let minimum_age = age(&self.minimum_age, ServiceField::MinimumAge, "Minimum age");
        let maximum_age = age(&self.maximum_age, ServiceField::MaximumAge, "Maximum age");
        if let (Some(a), Some(b)) = (minimum_age, maximum_age) {
            if a > b {
                err(ServiceField::MaximumAge, format!("Maximum age {b} is below the minimum age {a}."));
            }
        }
        let status = if self.status.trim().is_empty() {
            ServiceStatus::Active
        } else {
            ServiceStatus::parse(&self.status).unwrap_or_else(|| {
                err(ServiceField::Status, format!("Status '{}' is not active, inactive, defunct or temporarily closed.", self.status.trim()));
                ServiceStatus::Active
            })
        };
        let url = self.url.trim().to_string();
        if !url.is_empty() && (url.contains(' ') || !url.contains('.')) {
            err(ServiceField::Url, format!("Website '{url}' is not a web address."));
        }

        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ValidService {
            name,
            organization,
            categories,
            phone,
            address,
            languages,
            schedules,
            description: self.description.trim().to_string(),
            eligibility: self.eligibility.trim().to_string(),
            fees: self.fees.trim().to_string(),
            application_process: self.application_process.trim().to_string(),
            minimum_age,
            maximum_age,
            url,
            status,
        })
    }
}

/// A UUID-shaped id derived from another id and a tag (FNV-1a, not random): ids for the
/// parts of a service the form creates, stable across edits.
pub fn derived_id(base: &str, tag: &str) -> String {
    ids::hashed_uuid(base.bytes().chain([0u8]).chain(tag.bytes()), ids::FNV_PRIME ^ 0x5bd1e995)
}

impl ValidService {
    /// A new service with id `id` of the organization `organization_id` (the caller finds or
    /// creates it by name); checked `today`, as the coordinator just entered it.
    pub fn into_new(self, id: String, organization_id: String, today: NaiveDate) -> Service {
        let mut s = Service { id, organization_id, assured_date: Some(today), ..Default::default() };
        self.apply(&mut s);
        s
    }

    /// The edited service: ids of its parts are kept; checked `today`.
    pub fn into_update(self, existing: &Service, organization_id: String, today: NaiveDate) -> Service {
        let mut s = existing.clone();
        s.organization_id = organization_id;
        s.assured_date = Some(today);
        self.apply(&mut s);
        s
    }

    fn apply(self, s: &mut Service) {
        let sid = s.id.clone();
        s.name = self.name;
        s.organization_name = self.organization;
        s.categories = self.categories;
        s.description = self.description;
        s.eligibility = self.eligibility;
        s.fees = self.fees;
        s.application_process = self.application_process;
        s.minimum_age = self.minimum_age;
        s.maximum_age = self.maximum_age;
        s.url = self.url;
        s.status = self.status;
        s.languages = self.languages;
        // The first phone is the form's; others (from an import) stay.
        match self.phone {
            Some(mut p) => match s.phones.first_mut() {
                Some(first) => {
                    first.number = p.number;
                    first.extension = p.extension;
                }
                None => {
                    p.id = derived_id(&sid, "phone");
                    s.phones.push(p);
                }
            },
            None => {
                if !s.phones.is_empty() {
                    s.phones.remove(0);
                }
            }
        }
        // The first location's address is the form's.
        let mut address = self.address;
        if address.is_empty() {
            if let Some(first) = s.locations.first_mut() {
                first.address = Address { id: first.address.id.clone(), ..Default::default() };
            }
        } else {
            match s.locations.first_mut() {
                Some(first) => {
                    address.id = first.address.id.clone();
                    address.country = first.address.country.clone();
                    if address.id.is_empty() {
                        address.id = derived_id(&sid, "address");
                    }
                    first.address = address;
                }
                None => {
                    address.id = derived_id(&sid, "address");
                    s.locations.push(Location {
                        id: derived_id(&sid, "location"),
                        name: String::new(),
                        location_type: "physical".into(),
                        address,
                        latitude: None,
                        longitude: None,
                    });
                }
            }
        }
        // Hours: keep a schedule's id when the same days come back.
        let old = std::mem::take(&mut s.schedules);
        s.schedules = self
            .schedules
            .into_iter()
            .enumerate()
            .map(|(i, mut sch)| {
                sch.id = old.iter().find(|o| o.days == sch.days).map(|o| o.id.clone()).unwrap_or_else(|| derived_id(&sid, &format!("schedule{i}")));
                sch
            })
            .collect();
        // Schedules without times (descriptions only, from an import) stay.
        s.schedules.extend(old.into_iter().filter(|o| o.opens_at.is_none() || o.closes_at.is_none()));
    }
}

