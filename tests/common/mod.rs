//! What the browser tests share: a sample with a record in every declared store.

use carecoord::io::{synth, synth_directory, synth_referrals};
use carecoord::model::appointment::AppointmentDraft;
use carecoord::model::care::{default_rules, CareEvent, EventOutcome};
use carecoord::model::recall::{OutreachAttempt, OutreachMethod, OutreachOutcome};
use carecoord::model::refill::RefillDraft;
use carecoord::model::transition::{AdmissionDraft, DischargeDraft};
use carecoord::model::work_queue::{self, QueueMark};
use carecoord::model::stores::BackupContents;
use carecoord::model::{Change, ChangeAction, CodeSystem, Condition};
use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

/// At least one record in every declared store; the records that belong to a patient are
/// there for each of two patients.
pub fn every_store() -> BackupContents {
    let now = Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap();
    let patients = synth::patients(2, 7, now);
    let ids: Vec<String> = patients.iter().map(|p| p.id.clone()).collect();
    let mut c = BackupContents { patients: patients.clone(), ..Default::default() };
    for (i, pid) in ids.iter().enumerate() {
        c.changes.push(Change::of(&patients[i], ChangeAction::Created, now, "Dana", "", &format!("n{i}")));
        c.conditions.push(Condition { source_id: String::new(), rev: 0,
            id: format!("cond-{i}"),
            patient_id: pid.clone(),
            system: CodeSystem::Snomed,
            code: "44054006".into(),
            display: "Diabetes".into(),
            onset: None,
            resolved: None,
            chronic: None,
            created_at: now,
            updated_at: now,
        });
        c.care_events.push(CareEvent { source_id: String::new(), rev: 0,
            id: format!("event-{i}"),
            patient_id: pid.clone(),
            item: "hba1c".into(),
            date: today(),
            value: Some("7.1".into()),
            outcome: EventOutcome::Done,
            note: String::new(),
            created_at: now,
        });
        let visit = AppointmentDraft { patient_id: pid.clone(), date: "2026-11-23".into(), time: "09:30".into(), provider: "Dr. Ames".into(), visit_type: "Follow-up".into() };
        c.appointments.push(visit.into_new(format!("visit-{i}"), today(), NaiveTime::from_hms_opt(9, 30, 0).unwrap(), now));
        c.outreach.push(OutreachAttempt { rev: 0,
            id: format!("call-{i}"),
            patient_id: pid.clone(),
            item: "hba1c".into(),
            date: today(),
            method: OutreachMethod::Phone,
            outcome: OutreachOutcome::Reached,
            note: String::new(),
            created_at: now,
        });
    }
    for (i, pid) in ids.iter().enumerate() {
        c.encounters.push(carecoord::model::encounter::Encounter {
            id: format!("encounter-{i}"),
            rev: 0,
            patient_id: pid.clone(),
            source_id: format!("synthea-encounter-{i}"),
            class: carecoord::model::encounter::EncounterClass::Inpatient,
            start: now,
            stop: Some(now + chrono::Duration::days(3)),
            code: "32485007".into(),
            description: "Hospital admission".into(),
            reason: String::new(),
        });
    }
    // The coordinator's day: a contact, a stay, a refill and a queue mark for each patient
    // (ids in the order they are pushed, as the store reads them back).
    c.contacts = carecoord::io::synth_contacts::contacts(&ids, 2, 7, today(), 1);
    for (i, contact) in c.contacts.iter_mut().enumerate() {
        contact.id = format!("contact-{i}");
        contact.patient_id = ids[i].clone();
    }
    for (i, pid) in ids.iter().enumerate() {
        let admission = AdmissionDraft { facility: "General Hospital".into(), admitted: "2026-11-16".into(), reason: "Pneumonia".into() };
        let stay = admission.validate(today()).unwrap().into_new(format!("transition-{i}"), pid, now);
        let discharge = DischargeDraft { discharged: "2026-11-19".into(), discharged_to: "Home".into(), ..Default::default() };
        c.transitions.push(discharge.validate(&stay, today()).unwrap().apply_to(&stay, now));
        let refill = RefillDraft { medication: "Metformin 500 mg".into(), requested_on: "2026-11-20".into(), ..Default::default() };
        c.refills.push(refill.validate(today(), &[]).unwrap().into_new(format!("refill-{i}"), pid, "Dana", today(), now));
        let item = work_queue::refill_items(&c.refills[i..=i], NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()).remove(0);
        c.queue_marks.push(QueueMark::new(&item, format!("mark-{i}"), "Dana", now).done(today(), now));
    }
    c.care_rules = default_rules().into_iter().take(2).collect();
    c.referrals = synth_referrals::referrals(&ids, 4, 7, today());
    for (i, r) in c.referrals.iter_mut().enumerate() {
        r.patient_id = ids[i % 2].clone();
    }
    let (organizations, services) = synth_directory::directory(3, 7, today());
    c.organizations = organizations;
    c.services = services;
    c
}
