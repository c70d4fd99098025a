//! A patient on the coordinator's panel, and the rules for entering one.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::choice::choice_impl;
use super::{text, Record, Timestamp};

/// Sex as recorded in the chart (administrative sex, as FHIR `Patient.gender`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sex {
    Female,
    Male,
    Other,
    #[default]
    Unknown,
}

impl Sex {
    pub const ALL: [Sex; 4] = [Sex::Female, Sex::Male, Sex::Other, Sex::Unknown];

    /// The stored code (`female`, `male`, `other`, `unknown`).
    pub fn code(self) -> &'static str {
        match self {
            Sex::Female => "female",
            Sex::Male => "male",
            Sex::Other => "other",
            Sex::Unknown => "unknown",
        }
    }

    /// What the coordinator reads.
    pub fn label(self) -> &'static str {
        match self {
            Sex::Female => "Female",
            Sex::Male => "Male",
            Sex::Other => "Other",
            Sex::Unknown => "Unknown",
        }
    }

    /// Reads a code or a common spelling ("F", "Female", "male", "M", "U").
    pub fn parse(s: &str) -> Option<Sex> {
        match s.trim().to_ascii_lowercase().as_str() {
            "f" | "female" | "woman" => Some(Sex::Female),
            "m" | "male" | "man" => Some(Sex::Male),
            "o" | "other" => Some(Sex::Other),
            "" | "u" | "unknown" => Some(Sex::Unknown),
            _ => None,
        }
    }
}

choice_impl!(own_parse: Sex);

/// A postal address. Every part is optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Address {
    pub line: String,
    pub city: String,
    pub state: String,
    pub postal_code: String,
}

impl Address {
    pub fn is_empty(&self) -> bool {
        [&self.line, &self.city, &self.state, &self.postal_code].iter().all(|s| s.trim().is_empty())
    }

    /// One line for lists and letters: "12 Elm St, Boston, MA 02118".
    pub fn one_line(&self) -> String {
        let state_zip = [self.state.trim(), self.postal_code.trim()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        [self.line.trim(), self.city.trim(), state_zip.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A patient on the panel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Patient {
    /// CareCoord's own id (a UUID): the one in URLs (`/patients/{id}`).
    pub id: String,
    /// The record's revision: raised by one at each checked write (`model::revision`).
    #[serde(default)]
    pub rev: u64,
    /// The patient's id in the file it was imported from (Synthea's `Id`, FHIR's
    /// `Patient.id`, which may be an MRN): how the next import of that file finds this
    /// patient again (see [`super::patient_import`]). Never put in a URL. Empty for
    /// patients entered here.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source_id: String,
    /// What that file said at the last import, as a short digest per field ("phone" →
    /// "3f9a0c1e"), never the values: the next import takes a field's value only when the
    /// file's has changed since, so what the coordinator corrected meanwhile stays.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub source_digests: std::collections::BTreeMap<String, String>,
    pub first_name: String,
    pub last_name: String,
    pub date_of_birth: NaiveDate,
    #[serde(default)]
    pub sex: Sex,
    #[serde(default)]
    pub mrn: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub address: Address,
    #[serde(default)]
    pub preferred_language: String,
    #[serde(default)]
    pub interpreter_needed: bool,
    #[serde(default)]
    pub assigned_provider: String,
    #[serde(default)]
    pub notes: String,
    /// Need level, flags, CCM consent and care team (edited on the patient page).
    #[serde(default)]
    pub profile: super::profile::CareProfile,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Record for Patient {
    const STORE: &'static str = "patients";
    fn id(&self) -> &str {
        &self.id
    }
}

impl Patient {
    /// "Núñez, María": how lists show a patient.
    pub fn sort_name(&self) -> String {
        format!("{}, {}", self.last_name, self.first_name)
    }

    /// "María Núñez": how headings and letters show a patient.
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }

    /// Age in whole years on `today` (a birthday counts from that day on; 29 February
    /// birthdays count from 1 March in common years).
    pub fn age_on(&self, today: NaiveDate) -> i32 {
        age_on(self.date_of_birth, today)
    }

    /// The form's text for this patient, to edit it.
    pub fn to_draft(&self) -> PatientDraft {
        PatientDraft {
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            date_of_birth: self.date_of_birth.to_string(),
            sex: self.sex.code().to_string(),
            mrn: self.mrn.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
            address_line: self.address.line.clone(),
            city: self.address.city.clone(),
            state: self.address.state.clone(),
            postal_code: self.address.postal_code.clone(),
            preferred_language: self.preferred_language.clone(),
            interpreter_needed: self.interpreter_needed,
            assigned_provider: self.assigned_provider.clone(),
            notes: self.notes.clone(),
        }
    }

    /// Names of the fields that differ between `self` and `other`, for the change journal.
    /// Values are never written there, only which fields changed.
    pub fn changed_fields(&self, other: &Patient) -> Vec<&'static str> {
        let mut out = Vec::new();
        let mut check = |name, same: bool| {
            if !same {
                out.push(name)
            }
        };
        check("first name", self.first_name == other.first_name);
        check("last name", self.last_name == other.last_name);
        check("date of birth", self.date_of_birth == other.date_of_birth);
        check("sex", self.sex == other.sex);
        check("MRN", self.mrn == other.mrn);
        check("phone", self.phone == other.phone);
        check("email", self.email == other.email);
        check("address", self.address == other.address);
        check("preferred language", self.preferred_language == other.preferred_language);
        check("interpreter", self.interpreter_needed == other.interpreter_needed);
        check("assigned provider", self.assigned_provider == other.assigned_provider);
        check("notes", self.notes == other.notes);
        out
    }

    /// Checks a stored or imported record against the same rules as the form.
    pub fn check(&self, today: NaiveDate) -> Result<(), Vec<FieldError>> {
        self.to_draft().validate(today).map(|_| ())
    }
}

/// Age in whole years on `today`.
pub fn age_on(born: NaiveDate, today: NaiveDate) -> i32 {
    let mut age = today.year() - born.year();
    if (today.month(), today.day()) < (born.month(), born.day()) {
        age -= 1;
    }
    age
}

/// The fields of the patient form, for messages shown next to a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PatientField {
    FirstName,
    LastName,
    DateOfBirth,
    Sex,
    Mrn,
    Phone,
    Email,
    PostalCode,
    Notes,
}

/// A message about one field, in the coordinator's words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: PatientField,
    pub message: String,
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// What the coordinator typed into the patient form, before it is checked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PatientDraft {
    pub first_name: String,
    pub last_name: String,
    pub date_of_birth: String,
    pub sex: String,
    pub mrn: String,
    pub phone: String,
    pub email: String,
    pub address_line: String,
    pub city: String,
    pub state: String,
    pub postal_code: String,
    pub preferred_language: String,
    pub interpreter_needed: bool,
    pub assigned_provider: String,
    pub notes: String,
}

/// The checked values of a draft: everything a [`Patient`] needs but its id and timestamps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidPatient {
    pub first_name: String,
    pub last_name: String,
    pub date_of_birth: NaiveDate,
    pub sex: Sex,
    pub mrn: String,
    pub phone: String,
    pub email: String,
    pub address: Address,
    pub preferred_language: String,
    pub interpreter_needed: bool,
    pub assigned_provider: String,
    pub notes: String,
}

const NAME_MAX: usize = 100;
const NOTES_MAX: usize = 10_000;

/// Dates are read in one place, `model::dates` (the views import it from here).
pub use super::dates::parse_date;

impl PatientDraft {
    /// Checks every field and returns all problems at once, each in the coordinator's words.
    pub fn validate(&self, today: NaiveDate) -> Result<ValidPatient, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut err = |field, message: String| errors.push(FieldError { field, message });

        let first_name = self.first_name.trim().to_string();
        let last_name = self.last_name.trim().to_string();
        for (field, value, label) in [
            (PatientField::FirstName, &first_name, "First name"),
            (PatientField::LastName, &last_name, "Last name"),
        ] {
            if value.is_empty() {
                err(field, format!("{label} is required."));
            } else if value.chars().count() > NAME_MAX {
                err(field, format!("{label} is longer than {NAME_MAX} characters."));
            }
        }

        let dob_text = self.date_of_birth.trim();
        let date_of_birth = if dob_text.is_empty() {
            err(PatientField::DateOfBirth, "Date of birth is required.".into());
            None
        } else {
            match parse_date(dob_text) {
                None => {
                    err(PatientField::DateOfBirth, format!("Date of birth '{dob_text}' is not a date."));
                    None
                }
                Some(d) if d > today => {
                    err(PatientField::DateOfBirth, format!("Date of birth {d} is in the future."));
                    None
                }
                Some(d) if d.year() < 1900 => {
                    err(PatientField::DateOfBirth, format!("Date of birth {d} is before 1900."));
                    None
                }
                Some(d) => Some(d),
            }
        };

        let sex = Sex::parse(&self.sex).unwrap_or_else(|| {
            err(PatientField::Sex, format!("Sex '{}' is not one of female, male, other, unknown.", self.sex.trim()));
            Sex::Unknown
        });

        let mrn = self.mrn.trim().to_string();
        if mrn.chars().count() > 30 || !mrn.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '.') {
            err(PatientField::Mrn, format!("MRN '{mrn}' may hold only letters, digits, '-' and '.', up to 30."));
        }

        let phone = self.phone.trim().to_string();
        let phone_digits = text::digits(&phone).len();
        if !phone.is_empty()
            && (!(7..=15).contains(&phone_digits)
                || !phone.chars().all(|c| c.is_ascii_digit() || " ()-.+x".contains(c)))
        {
            err(PatientField::Phone, format!("Phone '{phone}' is not a phone number."));
        }

        let email = self.email.trim().to_string();
        if !email.is_empty() && !looks_like_email(&email) {
            err(PatientField::Email, format!("Email '{email}' is not an email address."));
        }

        let postal_code = self.postal_code.trim().to_string();
        if postal_code.chars().count() > 12 {
            err(PatientField::PostalCode, format!("Postal code '{postal_code}' is too long."));
        }

        if self.notes.chars().count() > NOTES_MAX {
            err(PatientField::Notes, format!("Notes are longer than {NOTES_MAX} characters."));
        }

        match (errors.is_empty(), date_of_birth) {
            (true, Some(date_of_birth)) => Ok(ValidPatient {
                first_name,
                last_name,
                date_of_birth,
                sex,
                mrn,
                phone,
                email,
                address: Address {
                    line: self.address_line.trim().to_string(),
                    city: self.city.trim().to_string(),
                    state: self.state.trim().to_string(),
                    postal_code,
                },
                preferred_language: self.preferred_language.trim().to_string(),
                interpreter_needed: self.interpreter_needed,
                assigned_provider: self.assigned_provider.trim().to_string(),
                notes: self.notes.trim_end().to_string(),
            }),
            _ => Err(errors),
        }
    }
}

fn looks_like_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((user, domain)) => {
            !user.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.contains(char::is_whitespace)
                && !domain.contains('@')
        }
        None => false,
    }
}

impl ValidPatient {
    /// A new patient with this content.
    pub fn into_new(self, id: String, now: Timestamp) -> Patient {
        self.apply(id, Default::default(), now, now)
    }

    /// `existing` with this content, keeping its id, source id (and digests), care profile
    /// and creation time.
    pub fn into_update(self, existing: &Patient, now: Timestamp) -> Patient {
        let mut p = self.apply(existing.id.clone(), existing.profile.clone(), existing.created_at, now);
        p.source_id = existing.source_id.clone();
        p.source_digests = existing.source_digests.clone();
        p
    }

    fn apply(self, id: String, profile: super::profile::CareProfile, created_at: Timestamp, updated_at: Timestamp) -> Patient {
        Patient { rev: 0,
            id,
            source_id: String::new(),
            source_digests: Default::default(),
            first_name: self.first_name,
            last_name: self.last_name,
            date_of_birth: self.date_of_birth,
            sex: self.sex,
            mrn: self.mrn,
            phone: self.phone,
            email: self.email,
            address: self.address,
            preferred_language: self.preferred_language,
            interpreter_needed: self.interpreter_needed,
            assigned_provider: self.assigned_provider,
            notes: self.notes,
            profile,
            created_at,
            updated_at,
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use chrono::TimeZone;

    pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    pub fn at(y: i32, m: u32, d: u32) -> Timestamp {
        chrono::Utc.with_ymd_and_hms(y, m, d, 9, 30, 0).unwrap()
    }

    pub fn draft(first: &str, last: &str, dob: &str) -> PatientDraft {
        PatientDraft {
            first_name: first.into(),
            last_name: last.into(),
            date_of_birth: dob.into(),
            ..Default::default()
        }
    }

    /// A valid patient for tests elsewhere in the crate.
    pub fn patient(id: &str, first: &str, last: &str, dob: &str) -> Patient {
        draft(first, last, dob).validate(day(2026, 11, 23)).unwrap().into_new(id.into(), at(2026, 11, 1))
    }

    fn errors_for(d: &PatientDraft) -> Vec<(PatientField, String)> {
        d.validate(day(2026, 11, 23)).unwrap_err().into_iter().map(|e| (e.field, e.message)).collect()
    }

    #[test]
    fn a_minimal_patient_is_valid() {
        let v = draft(" María ", "Núñez", "1990-02-28").validate(day(2026, 11, 23)).unwrap();
        assert_eq!(v.first_name, "María");
        assert_eq!(v.date_of_birth, day(1990, 2, 28));
        assert_eq!(v.sex, Sex::Unknown);
    }

    #[test]
    fn required_fields_are_named() {
        let errs = errors_for(&draft("", "  ", ""));
        assert_eq!(
            errs,
            vec![
                (PatientField::FirstName, "First name is required.".into()),
                (PatientField::LastName, "Last name is required.".into()),
                (PatientField::DateOfBirth, "Date of birth is required.".into()),
            ]
        );
    }

    #[test]
    fn impossible_and_future_dates_are_refused() {
        let errs = errors_for(&draft("A", "B", "1990-02-31"));
        assert_eq!(errs, vec![(PatientField::DateOfBirth, "Date of birth '1990-02-31' is not a date.".into())]);
        let errs = errors_for(&draft("A", "B", "2026-11-24"));
        assert_eq!(errs[0].1, "Date of birth 2026-11-24 is in the future.");
        let errs = errors_for(&draft("A", "B", "1899-12-31"));
        assert_eq!(errs[0].1, "Date of birth 1899-12-31 is before 1900.");
        // Today itself is a valid birth date (a newborn).
        assert!(draft("A", "B", "2026-11-23").validate(day(2026, 11, 23)).is_ok());
    }

    #[test]
    fn phone_email_mrn_and_sex_are_checked() {
        let mut d = draft("A", "B", "1980-01-01");
        d.phone = "12".into();
        d.email = "not-an-email".into();
        d.mrn = "MRN 12".into();
        d.sex = "x".into();
        let fields: Vec<_> = errors_for(&d).into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, vec![PatientField::Sex, PatientField::Mrn, PatientField::Phone, PatientField::Email]);
        d.phone = "(617) 555-0101".into();
        d.email = "maria@example.org".into();
        d.mrn = "MRN-0012".into();
        d.sex = "F".into();
        assert_eq!(d.validate(day(2026, 11, 23)).unwrap().sex, Sex::Female);
    }

    #[test]
    fn age_counts_birthdays_and_leap_days() {
        let p = patient("1", "A", "B", "2000-02-29");
        assert_eq!(p.age_on(day(2026, 2, 28)), 25);
        assert_eq!(p.age_on(day(2026, 3, 1)), 26);
        assert_eq!(p.age_on(day(2028, 2, 29)), 28);
        assert_eq!(age_on(day(1990, 11, 23), day(2026, 11, 23)), 36);
        assert_eq!(age_on(day(1990, 11, 24), day(2026, 11, 23)), 35);
    }

    #[test]
    fn edit_keeps_id_and_creation_time_and_names_changed_fields() {
        let p = patient("p1", "Ana", "Lima", "1970-05-05");
        let mut d = p.to_draft();
        d.phone = "617-555-0100".into();
        d.city = "Boston".into();
        let q = d.validate(day(2026, 11, 23)).unwrap().into_update(&p, at(2026, 11, 20));
        assert_eq!(q.id, "p1");
        assert_eq!(q.created_at, p.created_at);
        let mut imported = p.clone();
        imported.source_id = "synthea-1".into();
        assert_eq!(p.to_draft().validate(day(2026, 11, 23)).unwrap().into_update(&imported, at(2026, 11, 20)).source_id, "synthea-1", "an edit keeps the source id");
        assert_eq!(q.updated_at, at(2026, 11, 20));
        assert_eq!(p.changed_fields(&q), vec!["phone", "address"]);
        assert!(p.changed_fields(&p).is_empty());
    }

    #[test]
    fn draft_round_trips_through_the_form() {
        let mut d = draft("Zoë", "Ødegaard", "1955-07-01");
        d.address_line = "1 Main St".into();
        d.postal_code = "02118".into();
        d.interpreter_needed = true;
        d.preferred_language = "Norwegian".into();
        d.sex = "female".into();
        let p = d.validate(day(2026, 11, 23)).unwrap().into_new("x".into(), at(2026, 1, 1));
        assert_eq!(p.to_draft(), d);
        assert_eq!(p.address.one_line(), "1 Main St, 02118");
    }
}
