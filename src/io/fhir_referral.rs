//! One referral as FHIR R4, for sending to another system: a `collection` Bundle holding the
//! Patient, the `ServiceRequest` (the order) and the `Task` (its progress), as the Gravity
//! Project's SDOH Clinical Care guide pairs them.
//!
//! Every entry's `fullUrl` is `urn:uuid:<id>` and every reference inside the bundle uses
//! those URNs, so a receiver resolves them without a server. The record ids are the app's
//! UUIDs; an id that is not a UUID, and the Task's id, are derived from it deterministically.

use serde_json::{json, Map, Value};

use crate::model::referral::{PriorAuthStatus, Referral, ReferralKind, ReferralStatus};
use crate::model::{dates, ids, Patient};

/// SNOMED CT "Patient referral", the category of a specialty referral.
pub const SNOMED_PATIENT_REFERRAL: &str = "3457005";
/// US Core's category code system; `sdoh` marks a social-needs (community) referral.
pub const US_CORE_CATEGORY: &str = "http://hl7.org/fhir/us/core/CodeSystem/us-core-category";

/// The `ServiceRequest.status` for a referral status: draft stays draft, sent and not
/// finished is active, completed is completed, declined, cancelled and failed are revoked.
pub fn service_request_status(s: ReferralStatus) -> &'static str {
    use ReferralStatus as S;
    match s {
        S::Draft => "draft",
        S::Requested | S::Accepted | S::InProgress | S::OnHold => "active",
        S::Completed => "completed",
        S::Rejected | S::Cancelled | S::Failed => "revoked",
        S::EnteredInError => "entered-in-error",
    }
}

/// A UUID derived from `id` and `salt` (two FNV-1a hashes): the same input gives the same UUID.
fn derived_uuid(id: &str, salt: &str) -> String {
    ids::hashed_uuid(salt.bytes().chain([0]).chain(id.bytes()), ids::FNV_PRIME)
}

fn uuid_for(id: &str, salt: &str) -> String {
    if ids::is_uuid(id) {
        id.to_ascii_lowercase()
    } else {
        derived_uuid(id, salt)
    }
}

fn text(s: &str) -> Value {
    json!({ "text": s })
}

/// Adds `key: value` to a JSON object.
fn put(resource: &mut Value, key: &str, value: Value) {
    if let Some(obj) = resource.as_object_mut() {
        obj.insert(key.to_string(), value);
    }
}

/// `{display, identifier}`: the destination, with the directory service's id when known.
fn destination(r: &Referral) -> Value {
    let mut v = json!({ "display": r.referred_to });
    if let Some(service) = &r.service_id {
        put(&mut v, "identifier", json!({ "value": service }));
    }
    v
}

/// The clinic-side facts as one line ("Records forwarded 2026-11-04; Appointment 2026-11-20").
fn business_status(r: &Referral) -> String {
    let mut parts = Vec::new();
    if r.prior_auth.status != PriorAuthStatus::NotNeeded {
        parts.push(format!("Prior authorization: {}", r.prior_auth.describe()));
    }
    for (label, d) in [
        ("Records forwarded", r.records_forwarded),
        ("Appointment", r.appointment),
        ("Report received", r.report_received),
        ("Routed to provider", r.routed_to_provider),
    ] {
        if let Some(d) = d {
            parts.push(format!("{label} {}", dates::iso(d)));
        }
    }
    parts.join("; ")
}

/// The referral as a FHIR R4 `collection` Bundle: Patient, ServiceRequest and Task.
pub fn bundle(r: &Referral, patient: &Patient) -> Value {
    let patient_id = uuid_for(&patient.id, "patient");
    let request_id = uuid_for(&r.id, "service-request");
    let task_id = derived_uuid(&r.id, "task");
    let patient_ref = json!({ "reference": format!("urn:uuid:{patient_id}") });
    let request_ref = json!({ "reference": format!("urn:uuid:{request_id}") });

    let mut fhir_patient = json!({
        "resourceType": "Patient",
        "id": patient_id,
        "name": [{ "family": patient.last_name, "given": [patient.first_name] }],
        "gender": patient.sex.code(),
        "birthDate": dates::iso(patient.date_of_birth),
    });
    if !patient.mrn.is_empty() {
        put(
            &mut fhir_patient,
            "identifier",
            json!([{
                "type": { "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR" }], "text": "MRN" },
                "value": patient.mrn,
            }]),
        );
    }

    let category = match r.kind {
        ReferralKind::Specialty => json!({
            "coding": [{ "system": "http://snomed.info/sct", "code": SNOMED_PATIENT_REFERRAL, "display": "Patient referral" }],
            "text": "Patient referral",
        }),
        ReferralKind::Community => json!({
            "coding": [{ "system": US_CORE_CATEGORY, "code": "sdoh", "display": "SDOH" }],
            "text": "Social determinants of health",
        }),
    };
    let mut request = json!({
        "resourceType": "ServiceRequest",
        "id": request_id,
        "status": service_request_status(r.status),
        "intent": "order",
        "category": [category],
        "priority": r.urgency.code(),
        "subject": patient_ref,
        "authoredOn": dates::iso(r.created),
        "reasonCode": [text(&r.reason)],
        "performer": [destination(r)],
    });
    if !r.referring_provider.is_empty() {
        put(&mut request, "requester", json!({ "display": r.referring_provider }));
    }
    if !r.notes.is_empty() {
        put(&mut request, "note", json!([{ "text": r.notes }]));
    }

    let mut task = json!({
        "resourceType": "Task",
        "id": task_id,
        "status": r.status.code(),
        "intent": "order",
        "priority": r.urgency.code(),
        "focus": request_ref,
        "for": patient_ref,
        "authoredOn": dates::iso(r.created),
        "lastModified": r.updated_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "owner": destination(r),
        "restriction": { "period": { "end": dates::iso(r.expected_reply) } },
    });
    if !r.referring_provider.is_empty() {
        put(&mut task, "requester", json!({ "display": r.referring_provider }));
    }
    let status_text = business_status(r);
    if !status_text.is_empty() {
        put(&mut task, "businessStatus", text(&status_text));
    }
    if let Some(outcome) = r.outcome {
        put(&mut task, "output", json!([{ "type": text("Outcome"), "valueCodeableConcept": text(outcome.label()) }]));
    }

    let entry = |resource: Value| {
        let mut e = Map::new();
        e.insert("fullUrl".into(), json!(format!("urn:uuid:{}", resource["id"].as_str().unwrap_or_default())));
        e.insert("resource".into(), resource);
        Value::Object(e)
    };
    json!({
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": r.updated_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "entry": [entry(fhir_patient), entry(request), entry(task)],
    })
}

/// [`bundle`] as indented JSON text, for a download.
pub fn write(r: &Referral, patient: &Patient) -> String {
    serde_json::to_string_pretty(&bundle(r, patient)).expect("JSON values always serialize")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::patient::tests::{day, patient};
    use crate::model::referral::tests::referral;
    use crate::model::referral::{CommunityOutcome, PriorAuth, Urgency};
    use ReferralStatus as S;

    #[test]
    fn derived_uuids_stay_as_they_were() {
        assert_eq!(derived_uuid("ref-1", "task"), "770dab02-166b-4154-a6a9-46a42437e83e");
        assert_eq!(derived_uuid("", ""), "dfb70186-4cbd-43af-ac97-408d399d9e78");
    }

    fn resource<'a>(b: &'a Value, kind: &str) -> &'a Value {
        let found: Vec<&Value> = b["entry"].as_array().unwrap().iter().map(|e| &e["resource"]).filter(|r| r["resourceType"] == kind).collect();
        assert_eq!(found.len(), 1, "one {kind}");
        found[0]
    }

    /// Every `reference` in the bundle names an entry's `fullUrl`.
    fn assert_references_resolve(b: &Value) {
        let urls: Vec<&str> = b["entry"].as_array().unwrap().iter().map(|e| e["fullUrl"].as_str().unwrap()).collect();
        fn walk<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
            match v {
                Value::Object(m) => {
                    if let Some(Value::String(r)) = m.get("reference") {
                        out.push(r);
                    }
                    m.values().for_each(|x| walk(x, out));
                }
                Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
                _ => {}
            }
        }
        let mut refs = Vec::new();
        walk(b, &mut refs);
        assert_eq!(refs.len(), 3, "subject, focus, for: {refs:?}");
        for r in refs {
            assert!(urls.contains(&r), "{r} not in {urls:?}");
        }
        for e in b["entry"].as_array().unwrap() {
            assert_eq!(e["fullUrl"].as_str().unwrap(), format!("urn:uuid:{}", e["resource"]["id"].as_str().unwrap()));
            assert!(ids::is_uuid(e["resource"]["id"].as_str().unwrap()));
        }
    }

    #[test]
    fn a_specialty_referral_as_service_request_and_task() {
        let p = patient("ad2e3fc5-2b5d-4cb9-8d03-9ea0f4ac8423", "María", "Núñez", "1960-01-01");
        let mut r = referral("2026-11-02", S::InProgress);
        r.id = "bd2e3fc5-0000-4000-8000-000000000001".into();
        r.patient_id = p.id.clone();
        r.urgency = Urgency::Urgent;
        r.notes = "Prefers mornings".into();
        r.prior_auth = PriorAuth { status: PriorAuthStatus::Approved, number: "PA-77".into(), requested: Some(day(2026, 11, 3)) };
        r.appointment = Some(day(2026, 11, 20));
        let b = bundle(&r, &p);
        assert_eq!((b["resourceType"].as_str(), b["type"].as_str()), (Some("Bundle"), Some("collection")));
        assert_eq!(b["entry"].as_array().unwrap().len(), 3);
        assert_references_resolve(&b);

        let sr = resource(&b, "ServiceRequest");
        assert_eq!(sr["id"], r.id.as_str(), "a UUID id is kept");
        assert_eq!(sr["status"], "active");
        assert_eq!(sr["intent"], "order");
        assert_eq!(sr["priority"], "urgent");
        assert_eq!(sr["category"][0]["coding"][0]["code"], SNOMED_PATIENT_REFERRAL);
        assert_eq!(sr["reasonCode"][0]["text"], "Palpitations");
        assert_eq!(sr["performer"][0]["display"], "Boston Cardiology Associates");
        assert_eq!(sr["requester"]["display"], "Dr. Amara Okafor");
        assert_eq!(sr["authoredOn"], "2026-11-02");
        assert_eq!(sr["note"][0]["text"], "Prefers mornings");
        assert_eq!(sr["subject"]["reference"], format!("urn:uuid:{}", p.id));

        let task = resource(&b, "Task");
        assert_eq!(task["status"], "in-progress");
        assert_eq!(task["intent"], "order");
        assert_eq!(task["focus"]["reference"], format!("urn:uuid:{}", r.id));
        assert_eq!(task["for"]["reference"], format!("urn:uuid:{}", p.id));
        assert_eq!(task["restriction"]["period"]["end"], "2026-11-16");
        assert_eq!(task["lastModified"], "2026-01-02T09:30:00Z");
        assert_eq!(task["businessStatus"]["text"], "Prior authorization: Approved (PA-77, requested 2026-11-03); Appointment 2026-11-20");
        assert!(task.get("output").is_none());
        assert_ne!(task["id"], sr["id"]);

        let pt = resource(&b, "Patient");
        assert_eq!(pt["name"][0]["family"], "Núñez");
        assert_eq!(pt["birthDate"], "1960-01-01");
        // The text form parses back to the same bundle.
        assert_eq!(serde_json::from_str::<Value>(&write(&r, &p)).unwrap(), b);
    }

    #[test]
    fn a_community_referral_with_its_outcome() {
        let p = patient("p1", "Ana", "Lima", "1970-01-01");
        let mut r = referral("2026-11-20", S::Completed);
        r.kind = ReferralKind::Community;
        r.service_id = Some("svc-food-1".into());
        r.outcome = Some(CommunityOutcome::NoCapacity);
        let b = bundle(&r, &p);
        assert_references_resolve(&b);
        let sr = resource(&b, "ServiceRequest");
        assert_eq!(sr["status"], "completed");
        assert_eq!(sr["category"][0]["coding"][0]["code"], "sdoh");
        assert_eq!(sr["category"][0]["text"], "Social determinants of health");
        assert_eq!(sr["performer"][0]["identifier"]["value"], "svc-food-1");
        let task = resource(&b, "Task");
        assert_eq!(task["status"], "completed");
        assert_eq!(task["output"][0]["valueCodeableConcept"]["text"], "No capacity");
        assert!(task.get("businessStatus").is_none(), "nothing clinic-side to tell");
        assert_eq!(bundle(&r, &p), b, "ids derived the same way every time");
    }

    #[test]
    fn statuses_map_to_service_request_and_task_codes() {
        let p = patient("p1", "Ana", "Lima", "1970-01-01");
        let expected = [
            (S::Draft, "draft"),
            (S::Requested, "active"),
            (S::Accepted, "active"),
            (S::Rejected, "revoked"),
            (S::Cancelled, "revoked"),
            (S::InProgress, "active"),
            (S::OnHold, "active"),
            (S::Completed, "completed"),
            (S::Failed, "revoked"),
            (S::EnteredInError, "entered-in-error"),
        ];
        for (status, sr_status) in expected {
            let b = bundle(&referral("2026-11-02", status), &p);
            assert_eq!(resource(&b, "ServiceRequest")["status"], sr_status, "{status:?}");
            assert_eq!(resource(&b, "Task")["status"], status.code(), "{status:?}");
        }
    }
}
