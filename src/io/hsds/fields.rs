//! Field readers shared by the JSON and the CSV readers: each reads one HSDS object (a JSON
//! object or a CSV row, through a getter) into a directory record and the reasons it is
//! wrong.

use std::collections::HashSet;

use chrono::{NaiveDate, NaiveTime, Timelike};

use crate::model::dates::{self, parse_date, parse_time};
use crate::model::directory::{
    categorize, language_name, parse_byday, Address, Category, Location, Organization, Phone, Schedule, Service, ServiceStatus, TaxonomyTerm,
    CARECOORD_TAXONOMY,
};
use crate::model::text::{fold, parse_number};
use crate::model::Timestamp;

/// A minimum or maximum age: a whole number of years (a JSON number or text).
fn parse_age(text: &str, label: &str) -> Result<Option<u32>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match parse_number(t) {
        Some(v) if (0.0..=150.0).contains(&v) && v.fract() == 0.0 => Ok(Some(v as u32)),
        Some(_) => Err(format!("{label} '{t}' is not an age in whole years")),
        None => Err(format!("{label} '{t}' is not a number")),
    }
}

/// A date (`2024-05-31`, a timestamp's date part, or `05/31/2024`), within
/// [`dates::FIRST_YEAR`]–[`dates::LAST_YEAR`].
fn parse_iso_date(text: &str, label: &str) -> Result<Option<NaiveDate>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    // A timestamp's date as written (before any zone is applied), if the whole is one.
    let parsed = parse_date(t).or_else(|| dates::parse_timestamp(t).and_then(|_| parse_date(t.get(..10)?)));
    match parsed {
        Some(d) if dates::date_in_range(d) => Ok(Some(d)),
        Some(_) => Err(dates::outside_range(label, t)),
        None => Err(format!("{label} '{t}' is not a date (like 2024-05-31)")),
    }
}

/// A date and time (RFC 3339, or without a zone as UTC, fractions of a second kept, or a
/// date alone as its midnight), within [`dates::FIRST_YEAR`]–[`dates::LAST_YEAR`].
pub(super) fn parse_timestamp(text: &str, label: &str) -> Result<Option<Timestamp>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let parsed = dates::parse_timestamp(t).or_else(|| {
        // "2023-01-27T16:17:47.250" with no zone: the seconds' fraction as nanoseconds.
        let (whole, fraction) = t.rsplit_once('.')?;
        let digits = fraction.strip_suffix(['Z', 'z']).unwrap_or(fraction);
        if digits.is_empty() || digits.len() > 9 || !digits.bytes().all(|b| b.is_ascii_digit()) || whole.matches(':').count() != 2 {
            return None;
        }
        let nanos: u32 = format!("{digits:0<9}").parse().ok()?;
        dates::parse_timestamp(whole)?.with_nanosecond(nanos)
    });
    match parsed {
        Some(ts) if dates::timestamp_in_range(ts) => Ok(Some(ts)),
        Some(_) => Err(dates::outside_range(label, t)),
        None if t.len() > 10 => Err(format!("{label} '{t}' is not a date and time (like 2023-03-15T10:30:45Z)")),
        None => match parse_iso_date(t, label) {
            Ok(d) => Ok(d.map(|d| d.and_time(NaiveTime::MIN).and_utc())),
            Err(e) if e.ends_with("is not a date (like 2024-05-31)") => {
                Err(format!("{label} '{t}' is not a date and time (like 2023-03-15T10:30:45Z)"))
            }
            Err(e) => Err(e),
        },
    }
}

fn parse_coordinate(text: &str, label: &str) -> Result<Option<f64>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    parse_number(t).map(Some).ok_or_else(|| format!("{label} '{t}' is not a number"))
}

/// A phone number without the stray quotes some exports put around it.
fn clean_number(s: &str) -> String {
    s.trim().trim_matches('"').trim().to_string()
}

/// The scalar fields of a service, read through `get` (a JSON object or a CSV row).
pub(super) fn service_fields(get: &dyn Fn(&str) -> String) -> (Service, Vec<String>) {
    let mut errors = Vec::new();
    let mut s = Service {
        id: get("id"),
        organization_id: get("organization_id"),
        name: get("name"),
        alternate_name: get("alternate_name"),
        description: get("description"),
        url: get("url"),
        email: get("email"),
        application_process: get("application_process"),
        eligibility: get("eligibility_description"),
        ..Default::default()
    };
    s.fees = Some(get("fees_description")).filter(|f| !f.is_empty()).unwrap_or_else(|| get("fees"));
    if s.id.is_empty() {
        errors.push("the id is empty".to_string());
    }
    if s.name.is_empty() {
        errors.push("the name is empty".to_string());
    }
    let status = get("status");
    match (status.is_empty(), ServiceStatus::parse(&status)) {
        (true, _) => {}
        (false, Some(st)) => s.status = st,
        (false, None) => errors.push(format!("status '{status}' is not active, inactive, defunct or temporarily closed")),
    }
    let mut take = |r: Result<Option<u32>, String>| r.unwrap_or_else(|e| {
        errors.push(e);
        None
    });
    s.minimum_age = take(parse_age(&get("minimum_age"), "minimum age"));
    s.maximum_age = take(parse_age(&get("maximum_age"), "maximum age"));
    if let (Some(a), Some(b)) = (s.minimum_age, s.maximum_age) {
        if a > b {
            errors.push(format!("maximum age {b} is below the minimum age {a}"));
        }
    }
    match parse_iso_date(&get("assured_date"), "assured date") {
        Ok(d) => s.assured_date = d,
        Err(e) => errors.push(e),
    }
    match parse_timestamp(&get("last_modified"), "last modified") {
        Ok(t) => s.last_modified = t,
        Err(e) => errors.push(e),
    }
    (s, errors)
}

pub(super) fn organization_fields(get: &dyn Fn(&str) -> String) -> (Organization, Vec<String>) {
    let o = Organization { rev: 0,
        id: get("id"),
        name: get("name"),
        alternate_name: get("alternate_name"),
        description: get("description"),
        email: get("email"),
        website: Some(get("website")).filter(|w| !w.is_empty()).unwrap_or_else(|| get("url")),
    };
    let mut errors = Vec::new();
    if o.id.is_empty() {
        errors.push("the id is empty".to_string());
    }
    if o.name.is_empty() {
        errors.push("the name is empty".to_string());
    }
    (o, errors)
}

pub(super) fn address_fields(get: &dyn Fn(&str) -> String) -> Address {
    Address {
        id: get("id"),
        address_1: get("address_1"),
        address_2: [get("address_2"), get("address_3"), get("address_4")].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(", "),
        city: get("city"),
        state_province: get("state_province"),
        postal_code: get("postal_code"),
        country: get("country"),
    }
}

pub(super) fn location_fields(get: &dyn Fn(&str) -> String) -> (Location, Vec<String>) {
    let mut errors = Vec::new();
    let mut coord = |k: &str, label: &str| parse_coordinate(&get(k), label).unwrap_or_else(|e| {
        errors.push(e);
        None
    });
    let l = Location {
        id: get("id"),
        name: get("name"),
        location_type: get("location_type"),
        address: Address::default(),
        latitude: coord("latitude", "latitude"),
        longitude: coord("longitude", "longitude"),
    };
    (l, errors)
}

pub(super) fn phone_fields(get: &dyn Fn(&str) -> String) -> (Phone, Vec<String>) {
    let p = Phone { id: get("id"), number: clean_number(&get("number")), extension: get("extension"), kind: get("type"), description: get("description") };
    let errors = if p.number.is_empty() { vec!["the phone number is empty".to_string()] } else { Vec::new() };
    (p, errors)
}

pub(super) fn schedule_fields(get: &dyn Fn(&str) -> String) -> (Schedule, Vec<String>) {
    let mut errors = Vec::new();
    let days_text = Some(get("byday")).filter(|d| !d.is_empty()).unwrap_or_else(|| get("weekday"));
    let days = parse_byday(&days_text).unwrap_or_else(|bad| {
        errors.push(format!("'{bad}' is not a day of the week (MO, TU, ... or Monday, ...)"));
        Vec::new()
    });
    let mut time = |k: &str, label: &str| {
        let t = get(k);
        if t.is_empty() {
            return None;
        }
        let parsed = parse_time(&t);
        if parsed.is_none() {
            errors.push(format!("{label} '{t}' is not a time (like 09:00)"));
        }
        parsed
    };
    let opens_at = time("opens_at", "opening time");
    let closes_at = time("closes_at", "closing time");
    (Schedule { id: get("id"), days, opens_at, closes_at, description: get("description") }, errors)
}

pub(super) fn term_fields(get: &dyn Fn(&str) -> String) -> TaxonomyTerm {
    TaxonomyTerm {
        id: get("id"),
        code: get("code"),
        name: get("name"),
        taxonomy: Some(get("taxonomy")).filter(|t| !t.is_empty()).unwrap_or_else(|| get("vocabulary")),
    }
}

/// CareCoord's own terms become the categories; the rest stay terms.
pub(super) fn settle_categories(s: &mut Service, terms: Vec<TaxonomyTerm>) {
    let (own, other): (Vec<TaxonomyTerm>, Vec<TaxonomyTerm>) =
        terms.into_iter().partition(|t| t.taxonomy.eq_ignore_ascii_case(CARECOORD_TAXONOMY));
    let mut seen = HashSet::new();
    s.taxonomy_terms = other.into_iter().filter(|t| seen.insert((t.id.clone(), t.code.clone(), t.name.clone()))).collect();
    let mut cats: Vec<Category> = own.iter().filter_map(|t| Category::parse(&t.code)).collect();
    cats.sort();
    cats.dedup();
    s.categories = if cats.is_empty() { categorize(&s.taxonomy_terms, &s.name, &s.description) } else { cats };
}

pub(super) fn push_unique_by_id<T: Clone>(into: &mut Vec<T>, items: impl IntoIterator<Item = T>, id: impl Fn(&T) -> &str) {
    let mut seen: HashSet<String> = into.iter().map(|x| id(x).to_string()).collect();
    for item in items {
        if id(&item).is_empty() || seen.insert(id(&item).to_string()) {
            into.push(item);
        }
    }
}

/// Adds the languages of `names` that `into` does not have yet (case and accents ignored),
/// in order; a set of folded names keeps this linear for files with thousands of them.
pub(super) fn add_languages(into: &mut Vec<String>, names: impl IntoIterator<Item = String>) {
    let mut seen: HashSet<String> = into.iter().map(|x| fold(x)).collect();
    for n in names {
        let n = language_name(&n);
        if !n.is_empty() && seen.insert(fold(&n)) {
            into.push(n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::SecondsFormat;

    fn read(t: &str) -> Result<Option<String>, String> {
        parse_timestamp(t, "last modified").map(|t| t.map(|t| t.to_rfc3339_opts(SecondsFormat::Millis, true)))
    }

    #[test]
    fn timestamps_as_hsds_files_write_them() {
        for (text, want) in [
            ("2023-03-15T10:30:45.123Z", "2023-03-15T10:30:45.123Z"),
            ("2023-03-15T10:30:45+01:00", "2023-03-15T09:30:45.000Z"),
            ("2023-03-15T10:30:45.25", "2023-03-15T10:30:45.250Z"),
            ("2023-03-15 10:30:45.5", "2023-03-15T10:30:45.500Z"),
            ("2023-03-15 10:30:45", "2023-03-15T10:30:45.000Z"),
            ("2023-03-15T10:30", "2023-03-15T10:30:00.000Z"),
            ("2023-03-15", "2023-03-15T00:00:00.000Z"),
            ("", ""),
        ] {
            assert_eq!(read(text), Ok((!want.is_empty()).then(|| want.to_string())), "{text}");
        }
        assert_eq!(read("2023-03-15T10:30:45.x"), Err("last modified '2023-03-15T10:30:45.x' is not a date and time (like 2023-03-15T10:30:45Z)".into()));
        assert_eq!(read("1066-10-14T09:00:00Z"), Err("last modified '1066-10-14T09:00:00Z' is outside 1900–2200".into()));
    }

    #[test]
    fn ages_and_coordinates_are_numbers() {
        assert_eq!(parse_age("12", "minimum age"), Ok(Some(12)));
        assert_eq!(parse_age("12.0", "minimum age"), Ok(Some(12)));
        assert_eq!(parse_age("12.5", "minimum age"), Err("minimum age '12.5' is not an age in whole years".into()));
        assert_eq!(parse_age("twelve", "minimum age"), Err("minimum age 'twelve' is not a number".into()));
        assert_eq!(parse_coordinate(" -71.0589 ", "longitude"), Ok(Some(-71.0589)));
        assert_eq!(parse_coordinate("inf", "longitude"), Err("longitude 'inf' is not a number".into()));
    }
}
