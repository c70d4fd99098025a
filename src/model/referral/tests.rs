//! Tests of `model::referral` (its `tests::referral` and `tests::form` serve other modules' tests too).

use chrono::{Datelike, Days, Weekday};

use super::ReferralStatus as S;
use super::*;
use crate::model::patient::tests::{at, day};
use crate::model::Record;

pub fn settings() -> ReferralSettings {
    ReferralSettings::default()
}

/// A valid draft form: a specialty referral created on `created`.
pub fn form(created: &str) -> ReferralDraft {
    ReferralDraft {
        patient_id: "p1".into(),
        kind: "specialty".into(),
        referred_to: "Boston Cardiology Associates".into(),
        reason: "Palpitations".into(),
        referring_provider: "Dr. Amara Okafor".into(),
        created: created.into(),
        ..Default::default()
    }
}

/// A referral made from `form(created)` (a draft), moved to `status` along allowed steps.
pub fn referral(created: &str, status: ReferralStatus) -> Referral {
    let r = form(created).validate(day(2030, 1, 1), &settings()).unwrap().into_new(format!("r-{created}"), "Dana", at(2026, 1, 1));
    let path: &[ReferralStatus] = match status {
        S::Draft => &[],
        S::Requested => &[S::Requested],
        S::Accepted => &[S::Requested, S::Accepted],
        S::Rejected => &[S::Requested, S::Rejected],
        S::Cancelled => &[S::Cancelled],
        S::InProgress => &[S::Requested, S::Accepted, S::InProgress],
        S::OnHold => &[S::Requested, S::Accepted, S::InProgress, S::OnHold],
        S::Completed => &[S::Requested, S::Accepted, S::InProgress, S::Completed],
        S::Failed => &[S::Requested, S::Accepted, S::InProgress, S::Failed],
        S::EnteredInError => &[S::EnteredInError],
    };
    path.iter().fold(r, |r, s| r.move_to(*s, "Dana", at(2026, 1, 2), "").unwrap())
}

#[test]
fn every_pair_of_statuses_follows_the_table() {
    // (from, every status it may move to)
    let table: [(ReferralStatus, &[ReferralStatus]); 10] = [
        (S::Draft, &[S::Requested, S::Cancelled, S::EnteredInError]),
        (S::Requested, &[S::Accepted, S::Rejected, S::Cancelled, S::EnteredInError]),
        (S::Accepted, &[S::InProgress, S::Cancelled, S::EnteredInError]),
        (S::Rejected, &[S::EnteredInError]),
        (S::Cancelled, &[S::EnteredInError]),
        (S::InProgress, &[S::OnHold, S::Completed, S::Failed, S::Cancelled, S::EnteredInError]),
        (S::OnHold, &[S::InProgress, S::Cancelled, S::EnteredInError]),
        (S::Completed, &[S::EnteredInError]),
        (S::Failed, &[S::EnteredInError]),
        (S::EnteredInError, &[]),
    ];
    let mut pairs = 0;
    for (from, allowed) in table {
        for to in ReferralStatus::ALL {
            assert_eq!(can_move(from, to), allowed.contains(&to), "{from:?} → {to:?}");
            let moved = referral("2026-01-05", from).move_to(to, "Dana", at(2026, 1, 3), "");
            assert_eq!(moved.is_ok(), allowed.contains(&to), "move_to {from:?} → {to:?}");
            pairs += 1;
        }
        let mut listed = allowed_next(from).to_vec();
        listed.sort();
        let mut expected = allowed.to_vec();
        expected.sort();
        assert_eq!(listed, expected, "allowed_next({from:?})");
        assert_eq!(from.is_terminal(), allowed.len() <= 1, "terminal statuses can only be marked in error: {from:?}");
    }
    assert_eq!(pairs, 100);
    assert_eq!(ReferralStatus::ALL.iter().filter(|s| s.is_active()).count(), 4);
}

#[test]
fn refused_moves_say_why() {
    let sent = referral("2026-01-05", S::Requested);
    assert_eq!(
        sent.move_to(S::Completed, "Dana", at(2026, 1, 3), "").unwrap_err(),
        "A referral that is “Requested (awaiting reply)” can go to “Accepted”, “Rejected by receiver”, “Cancelled” or “Entered in error”, not to “Completed”."
    );
    assert_eq!(sent.move_to(S::Requested, "Dana", at(2026, 1, 3), "").unwrap_err(), "The referral is already “Requested (awaiting reply)”.");
    let done = referral("2026-01-05", S::Completed);
    assert_eq!(
        done.move_to(S::InProgress, "Dana", at(2026, 1, 3), "").unwrap_err(),
        "This referral is “Completed”, which is final; it can only be marked “Entered in error”."
    );
    let wrong = referral("2026-01-05", S::EnteredInError);
    assert!(wrong.move_to(S::Draft, "Dana", at(2026, 1, 3), "").unwrap_err().contains("entered in error"));
}

#[test]
fn moves_are_kept_in_the_history_with_who_when_and_note() {
    let r = referral("2026-01-05", S::Draft);
    assert_eq!(r.history.len(), 1);
    assert_eq!(r.history[0].kind, ReferralEventKind::Created);
    let sent = r.move_to(S::Requested, " Dana ", at(2026, 1, 6), " faxed ").unwrap();
    assert_eq!(sent.status, S::Requested);
    assert_eq!(sent.updated_at, at(2026, 1, 6));
    let e = sent.history.last().unwrap();
    assert_eq!(e.kind, ReferralEventKind::StatusChanged { from: S::Draft, to: S::Requested });
    assert_eq!((e.at, e.by.as_str(), e.note.as_str()), (at(2026, 1, 6), "Dana", "faxed"));
    assert_eq!(e.describe(), "Draft (not sent) → Requested (awaiting reply) by Dana: faxed");
    assert_eq!(r.status, S::Draft, "the original is untouched");
    let noted = sent.add_note("Dana", at(2026, 1, 7), "Called the office");
    assert_eq!(noted.history.last().unwrap().describe(), "Note by Dana: Called the office");
}

#[test]
fn business_days_skip_weekends() {
    // 2026-11-20 is a Friday.
    let fri = day(2026, 11, 20);
    assert_eq!(fri.weekday(), Weekday::Fri);
    let cases = [
        (day(2026, 11, 16), 2, day(2026, 11, 18)), // Monday → Wednesday
        (day(2026, 11, 18), 2, day(2026, 11, 20)), // Wednesday → Friday
        (day(2026, 11, 19), 2, day(2026, 11, 23)), // Thursday → Monday
        (fri, 2, day(2026, 11, 24)),               // Friday → Tuesday
        (day(2026, 11, 21), 2, day(2026, 11, 24)), // Saturday → Tuesday
        (day(2026, 11, 22), 2, day(2026, 11, 24)), // Sunday → Tuesday
        (fri, 1, day(2026, 11, 23)),               // Friday → Monday
        (day(2026, 11, 21), 1, day(2026, 11, 23)), // Saturday → Monday
        (fri, 5, day(2026, 11, 27)),               // a whole week
        (fri, 10, day(2026, 12, 4)),               // two weeks, across a month
        (day(2026, 12, 31), 2, day(2027, 1, 4)),   // Thursday, across a year
        (day(2026, 11, 21), 0, day(2026, 11, 21)), // zero days: the day itself
    ];
    for (from, n, expected) in cases {
        assert_eq!(add_business_days(from, n), expected, "{from} + {n}");
    }
    let s = settings();
    assert_eq!(s.default_expected_reply(ReferralKind::Community, fri), day(2026, 11, 24));
    assert_eq!(s.default_expected_reply(ReferralKind::Community, day(2026, 11, 21)), day(2026, 11, 24));
    assert_eq!(s.default_expected_reply(ReferralKind::Specialty, fri), day(2026, 12, 4), "14 calendar days");
    // Never lands on a weekend, from any day.
    for n in 0..21 {
        let d = add_business_days(day(2026, 11, 1) + Days::new(n), 2);
        assert!(!matches!(d.weekday(), Weekday::Sat | Weekday::Sun), "{d}");
    }
}

#[test]
fn settings_have_defaults_and_are_checked() {
    let s: ReferralSettings = serde_json::from_str(r#"{"specialty_reply_days": 10}"#).unwrap();
    assert_eq!(s, ReferralSettings { specialty_reply_days: 10, ..ReferralSettings::default() });
    assert_eq!(serde_json::from_str::<ReferralSettings>("{}").unwrap(), settings());
    assert!(s.validated().is_ok());
    let bad = ReferralSettings { prior_auth_overdue_days: 0, ..s };
    assert_eq!(bad.validated().unwrap_err(), "Days for a prior authorization must be between 1 and 365 (not 0).");
}

#[test]
fn no_reply_is_overdue_the_day_after_the_expected_date() {
    let s = settings();
    // Created Tuesday 10 Nov 2026, 14 days: expected Tuesday 24 Nov.
    let r = referral("2026-11-10", S::Requested);
    assert_eq!(r.expected_reply, day(2026, 11, 24));
    assert!(r.overdue(day(2026, 11, 24), &s).is_empty(), "due, not overdue, on the day");
    assert!(r.needs_action_today(day(2026, 11, 24), &s), "a reply expected today needs action");
    assert!(!r.needs_action_today(day(2026, 11, 23), &s));
    let reasons = r.overdue(day(2026, 11, 25), &s);
    assert_eq!(reasons, vec![OverdueReason::NoReply { sent: day(2026, 11, 10), expected: day(2026, 11, 24) }]);
    assert_eq!(reasons[0].label(), "No reply since 10 Nov (expected by 24 Nov)");
    assert!(r.is_overdue(day(2026, 11, 25), &s));
    assert!(r.needs_action_today(day(2026, 11, 25), &s));

    // A reply stops the clock: accepted, or an appointment or a report on file.
    let late = day(2026, 12, 1);
    assert!(!referral("2026-11-10", S::Accepted).is_overdue(late, &s));
    let mut booked = r.clone();
    booked.appointment = Some(day(2026, 12, 20));
    assert!(booked.has_reply() && !booked.is_overdue(late, &s));
    let mut reported = r.clone();
    reported.report_received = Some(day(2026, 11, 30));
    assert!(!reported.is_overdue(late, &s));

    // Community: 2 business days. Created Friday 20 Nov → expected Tuesday 24 Nov.
    let mut f = form("2026-11-20");
    f.kind = "community".into();
    f.referred_to = "Greater Boston Food Bank".into();
    let c = f.validate(day(2026, 11, 30), &s).unwrap().into_new("c".into(), "Dana", at(2026, 11, 20));
    assert_eq!(c.expected_reply, day(2026, 11, 24));
    let c = c.move_to(S::Requested, "Dana", at(2026, 11, 20), "").unwrap();
    assert!(!c.is_overdue(day(2026, 11, 24), &s));
    assert_eq!(c.overdue(day(2026, 11, 25), &s)[0].label(), "No reply since 20 Nov (expected by 24 Nov)");
}

#[test]
fn only_active_referrals_are_overdue() {
    let s = settings();
    let long_after = day(2027, 6, 1);
    for status in ReferralStatus::ALL {
        let mut r = referral("2026-11-10", status);
        r.appointment = Some(day(2026, 11, 12));
        r.prior_auth = PriorAuth { status: PriorAuthStatus::Requested, number: String::new(), requested: Some(day(2026, 11, 10)) };
        assert_eq!(r.is_overdue(long_after, &s), status.is_active(), "{status:?}");
        assert_eq!(r.needs_action_today(long_after, &s), status.is_active() || status == S::Draft, "{status:?}");
    }
}

#[test]
fn no_report_is_overdue_from_the_eighth_day_after_the_appointment() {
    let s = settings();
    let mut r = referral("2026-11-02", S::InProgress);
    r.appointment = Some(day(2026, 11, 10));
    assert!(r.needs_action_today(day(2026, 11, 10), &s), "appointment today");
    assert!(!r.is_overdue(day(2026, 11, 17), &s), "exactly 7 days after: not yet overdue");
    let reasons = r.overdue(day(2026, 11, 18), &s);
    assert_eq!(reasons, vec![OverdueReason::NoReport { appointment: day(2026, 11, 10), expected: day(2026, 11, 17) }]);
    assert_eq!(reasons[0].label(), "No report since the appointment on 10 Nov (expected by 17 Nov)");
    r.report_received = Some(day(2026, 11, 18));
    assert!(!r.is_overdue(day(2026, 11, 18), &s));
    // The clock is configurable.
    r.report_received = None;
    let s3 = ReferralSettings { report_after_appointment_days: 3, ..s };
    assert!(!r.is_overdue(day(2026, 11, 13), &s3));
    assert!(r.is_overdue(day(2026, 11, 14), &s3));
}

#[test]
fn prior_authorization_is_overdue_after_five_days_without_a_decision() {
    let s = settings();
    let mut r = referral("2026-11-02", S::Accepted);
    r.prior_auth = PriorAuth { status: PriorAuthStatus::Requested, number: String::new(), requested: Some(day(2026, 11, 3)) };
    assert!(!r.is_overdue(day(2026, 11, 8), &s), "5 days: not yet");
    let reasons = r.overdue(day(2026, 11, 9), &s);
    assert_eq!(reasons, vec![OverdueReason::PriorAuthPending { requested: day(2026, 11, 3), expected: day(2026, 11, 8) }]);
    assert_eq!(reasons[0].label(), "Prior authorization pending since 3 Nov (expected by 8 Nov)");
    for decided in [PriorAuthStatus::Approved, PriorAuthStatus::Denied] {
        r.prior_auth.status = decided;
        assert!(!r.is_overdue(day(2026, 12, 9), &s));
    }
}

#[test]
fn several_reasons_at_once_in_a_fixed_order() {
    let s = settings();
    let mut r = referral("2026-11-02", S::Requested);
    r.prior_auth = PriorAuth { status: PriorAuthStatus::Requested, number: "PA-1".into(), requested: Some(day(2026, 11, 2)) };
    let reasons = r.overdue(day(2026, 12, 1), &s);
    assert!(matches!(reasons.as_slice(), [OverdueReason::NoReply { .. }, OverdueReason::PriorAuthPending { .. }]), "{reasons:?}");
}

#[test]
fn a_valid_form_makes_a_draft_referral() {
    let s = settings();
    let v = form("2026-11-10").validate(day(2026, 11, 23), &s).unwrap();
    assert_eq!(v.expected_reply, day(2026, 11, 24), "default from settings");
    assert_eq!(v.urgency, Urgency::Routine);
    assert_eq!(v.prior_auth, PriorAuth::default());
    assert_eq!(v.service_id, None);
    let mut f = form("");
    f.expected_reply = "12/01/2026".into();
    f.service_id = " svc-1 ".into();
    let v = f.validate(day(2026, 11, 23), &s).unwrap();
    assert_eq!(v.created, day(2026, 11, 23), "empty means today");
    assert_eq!(v.expected_reply, day(2026, 12, 1));
    assert_eq!(v.service_id.as_deref(), Some("svc-1"));
    let r = v.into_new("r1".into(), "Dana", at(2026, 11, 23));
    assert_eq!(r.status, S::Draft);
    assert!(r.needs_action_today(day(2026, 11, 23), &s), "a draft is not yet sent");
    assert!(r.check(day(2026, 11, 23), &s).is_ok());
}

fn errors(f: &ReferralDraft) -> Vec<(ReferralField, String)> {
    f.validate(day(2026, 11, 23), &settings()).unwrap_err().into_iter().map(|e| (e.field, e.message)).collect()
}

#[test]
fn required_fields_and_bad_choices_are_named() {
    let f = ReferralDraft { kind: "dental".into(), urgency: "asap".into(), prior_auth: "maybe".into(), outcome: "happy".into(), ..Default::default() };
    assert_eq!(
        errors(&f),
        vec![
            (ReferralField::Patient, "Choose the patient this referral is for.".into()),
            (ReferralField::Kind, "Kind 'dental' is not one of specialty, community.".into()),
            (ReferralField::ReferredTo, "Referred to is required.".into()),
            (ReferralField::Reason, "Reason is required.".into()),
            (ReferralField::Urgency, "Urgency 'asap' is not one of routine, urgent, stat.".into()),
            (ReferralField::PriorAuth, "Prior authorization 'maybe' is not one of not needed, requested, approved, denied.".into()),
            (ReferralField::Outcome, "Outcome 'happy' is not one of the community outcomes.".into()),
        ]
    );
}

#[test]
fn dates_must_be_dates_and_in_order() {
    let mut f = form("2026-11-10");
    f.expected_reply = "2026-02-31".into();
    f.appointment = "soon".into();
    assert_eq!(
        errors(&f),
        vec![
            (ReferralField::ExpectedReply, "Expected reply by '2026-02-31' is not a date.".into()),
            (ReferralField::Appointment, "Appointment 'soon' is not a date.".into()),
        ]
    );

    let mut f = form("2026-11-10");
    f.appointment = "9999-12-31".into();
    assert_eq!(errors(&f), vec![(ReferralField::Appointment, "Appointment '9999-12-31' is outside 1900–2200.".into())]);

    let mut f = form("2026-11-10");
    f.expected_reply = "2026-11-09".into();
    f.records_forwarded = "2026-11-01".into();
    f.appointment = "2026-11-20".into();
    f.report_received = "2026-11-19".into();
    f.routed_to_provider = "2026-11-18".into();
    assert_eq!(
        errors(&f),
        vec![
            (ReferralField::ExpectedReply, "Expected reply by 2026-11-09 is before the date created (2026-11-10).".into()),
            (ReferralField::RecordsForwarded, "Records forwarded 2026-11-01 is before the date created (2026-11-10).".into()),
            (ReferralField::ReportReceived, "Report received 2026-11-19 is before the appointment (2026-11-20).".into()),
            (ReferralField::RoutedToProvider, "Routed to provider 2026-11-18 is before the report was received (2026-11-19).".into()),
        ]
    );

    let mut f = form("2026-11-24");
    f.routed_to_provider = "2026-11-20".into();
    assert_eq!(
        errors(&f),
        vec![
            (ReferralField::Created, "Date created 2026-11-24 is in the future.".into()),
            (ReferralField::RoutedToProvider, "Routed to provider needs the date the report was received.".into()),
        ]
    );
    // An appointment may be in the future; the expected reply may be the day created.
    let mut f = form("2026-11-20");
    f.appointment = "2026-12-15".into();
    f.expected_reply = "2026-11-20".into();
    assert!(f.validate(day(2026, 11, 23), &settings()).is_ok());
}

#[test]
fn prior_authorization_and_outcome_rules() {
    let mut f = form("2026-11-10");
    f.prior_auth = "requested".into();
    assert_eq!(errors(&f), vec![(ReferralField::PriorAuthRequested, "Give the date the prior authorization was requested.".into())]);
    f.prior_auth_requested = "2026-11-11".into();
    f.prior_auth_number = " PA-77 ".into();
    let v = f.validate(day(2026, 11, 23), &settings()).unwrap();
    assert_eq!(v.prior_auth, PriorAuth { status: PriorAuthStatus::Requested, number: "PA-77".into(), requested: Some(day(2026, 11, 11)) });
    assert_eq!(v.prior_auth.describe(), "Requested (PA-77, requested 2026-11-11)");
    assert_eq!(PriorAuth { number: String::new(), ..v.prior_auth.clone() }.describe(), "Requested 2026-11-11");
    assert_eq!(PriorAuth::default().describe(), "Not needed");
    // "Not needed" drops a stray number or date.
    f.prior_auth = "not_needed".into();
    assert_eq!(f.validate(day(2026, 11, 23), &settings()).unwrap().prior_auth, PriorAuth::default());

    let mut f = form("2026-11-10");
    f.outcome = "got_help".into();
    assert_eq!(errors(&f), vec![(ReferralField::Outcome, "An outcome is kept for community referrals only.".into())]);
    f.kind = "community".into();
    assert_eq!(f.validate(day(2026, 11, 23), &settings()).unwrap().outcome, Some(CommunityOutcome::GotHelp));
}

#[test]
fn edits_name_the_changed_fields_in_the_history() {
    let s = settings();
    let r = referral("2026-11-10", S::Accepted);
    let mut f = r.to_draft();
    assert_eq!(r.apply_edit(&f, day(2026, 11, 23), &s, "Dana", at(2026, 11, 23), "").unwrap(), r, "no change, no entry");
    let noted = r.apply_edit(&f, day(2026, 11, 23), &s, "Dana", at(2026, 11, 23), "Left a message").unwrap();
    assert_eq!(noted.history.last().unwrap().kind, ReferralEventKind::Note);

    f.appointment = "2026-12-01".into();
    f.notes = "Bring the Holter results.".into();
    let e = r.apply_edit(&f, day(2026, 11, 23), &s, "Dana", at(2026, 11, 23), "Booked by phone").unwrap();
    assert_eq!((e.id.as_str(), e.status, e.created_at), (r.id.as_str(), r.status, r.created_at));
    assert_eq!(e.updated_at, at(2026, 11, 23));
    assert_eq!(e.history.len(), r.history.len() + 1);
    let last = e.history.last().unwrap();
    assert_eq!(last.kind, ReferralEventKind::FieldsChanged { fields: vec!["appointment".into(), "notes".into()] });
    assert_eq!(last.describe(), "Changed appointment, notes by Dana: Booked by phone");

    f.reason = " ".into();
    let errs = r.apply_edit(&f, day(2026, 11, 23), &s, "Dana", at(2026, 11, 23), "").unwrap_err();
    assert_eq!(errs[0].to_string(), "Reason is required.");
}

#[test]
fn stores_fhir_codes_and_loads_older_records() {
    let mut r = referral("2026-11-10", S::OnHold);
    r.outcome = None;
    let json = serde_json::to_string(&r).unwrap();
    assert!(json.contains(r#""status":"on-hold""#), "{json}");
    assert!(json.contains(r#""type":"status_changed","from":"in-progress","to":"on-hold""#), "{json}");
    assert_eq!(serde_json::from_str::<Referral>(&json).unwrap(), r);
    assert_eq!(serde_json::to_string(&S::EnteredInError).unwrap(), r#""entered-in-error""#);
    for s in ReferralStatus::ALL {
        assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{}\"", s.code()));
        assert_eq!(ReferralStatus::parse(s.code()), Some(s));
        assert!(!s.label().is_empty());
    }
    // A record with only the essentials loads, the rest defaulted.
    let old = r#"{"id":"r9","patient_id":"p1","referred_to":"Dr. Cho","created":"2026-01-05","expected_reply":"2026-01-19",
            "created_at":"2026-01-05T09:30:00Z","updated_at":"2026-01-05T09:30:00Z"}"#;
    let r: Referral = serde_json::from_str(old).unwrap();
    assert_eq!((r.kind, r.status, r.urgency), (ReferralKind::Specialty, S::Draft, Urgency::Routine));
    assert!(r.history.is_empty() && r.appointment.is_none() && r.service_id.is_none());
    assert_eq!(Referral::STORE, "referrals");
    assert_eq!(r.id(), "r9");
}

#[test]
fn every_choice_has_a_label_and_reads_back_its_code() {
    for k in ReferralKind::ALL {
        assert_eq!(ReferralKind::parse(k.code()), Some(k));
        assert!(!k.label().is_empty());
    }
    for u in Urgency::ALL {
        assert_eq!(Urgency::parse(u.code()), Some(u));
        assert!(!u.label().is_empty());
    }
    for p in PriorAuthStatus::ALL {
        assert_eq!(PriorAuthStatus::parse(p.code()), Some(p));
        assert!(!p.label().is_empty());
    }
    for o in CommunityOutcome::ALL {
        assert_eq!(CommunityOutcome::parse(o.code()), Some(o));
        assert_eq!(serde_json::to_string(&o).unwrap(), format!("\"{}\"", o.code()));
        assert!(!o.label().is_empty());
    }
}

#[test]
fn the_filter_and_its_counts() {
    let s = settings();
    let today = day(2026, 12, 1);
    let mut list = vec![
        referral("2026-11-02", S::Requested), // overdue (expected 16 Nov)
        referral("2026-11-25", S::Requested), // not overdue
        referral("2026-11-03", S::Accepted),
        referral("2026-11-04", S::Completed),
        referral("2026-10-01", S::Draft),
    ];
    list[1].kind = ReferralKind::Community;
    list[1].referring_provider = "Dr. Ben Hadley".into();
    list[2].patient_id = "p2".into();

    let all = ReferralFilter::default();
    assert!(list.iter().all(|r| all.matches(r, today, &s)));
    let c = counts(&list, &all, today, &s);
    assert_eq!((c.total, c.overdue), (5, 1));
    assert_eq!((c.status(S::Requested), c.status(S::Draft), c.status(S::OnHold)), (2, 1, 0));
    assert_eq!((c.kind(ReferralKind::Specialty), c.kind(ReferralKind::Community)), (4, 1));

    let sent = ReferralFilter { status: Some(S::Requested), ..Default::default() };
    let c = counts(&list, &sent, today, &s);
    assert_eq!((c.total, c.overdue), (2, 1));
    assert_eq!(c.status(S::Accepted), 1, "status counts ignore the status chosen");
    assert_eq!(c.kind(ReferralKind::Community), 1, "kind counts keep the status chosen");

    let overdue = ReferralFilter { overdue_only: true, ..Default::default() };
    let shown: Vec<_> = list.iter().filter(|r| overdue.matches(r, today, &s)).map(|r| r.created).collect();
    assert_eq!(shown, vec![day(2026, 11, 2)]);
    let c = counts(&list, &overdue, today, &s);
    assert_eq!((c.total, c.overdue, c.status(S::Requested), c.status(S::Accepted)), (1, 1, 1, 0));

    let november = ReferralFilter { from: Some(day(2026, 11, 1)), to: Some(day(2026, 11, 4)), ..Default::default() };
    assert_eq!(counts(&list, &november, today, &s).total, 3, "from and to are inclusive");
    let hadley = ReferralFilter { provider: Some(" dr. ben HADLEY".into()), ..Default::default() };
    assert_eq!(counts(&list, &hadley, today, &s).total, 1);
    let p2 = ReferralFilter { patient_id: Some("p2".into()), kind: Some(ReferralKind::Specialty), ..Default::default() };
    let c = counts(&list, &p2, today, &s);
    assert_eq!((c.total, c.status(S::Accepted), c.kind(ReferralKind::Community)), (1, 1, 0));
}

#[test]
fn why_a_referral_needs_action_today() {
    let s = settings();
    // Created Tuesday 10 Nov 2026, 14 days: reply expected Tuesday 24 Nov.
    let r = referral("2026-11-10", S::Requested);
    assert_eq!(r.needs_action(day(2026, 11, 23), &s), None, "the day before the reply is due");
    assert_eq!(r.needs_action(day(2026, 11, 24), &s), Some(ActionReason::DueToday));
    assert_eq!(ActionReason::DueToday.label(), "Reply or appointment due today");
    let late = r.needs_action(day(2026, 11, 25), &s).unwrap();
    assert_eq!(late, ActionReason::Overdue(OverdueReason::NoReply { sent: day(2026, 11, 10), expected: day(2026, 11, 24) }));
    assert_eq!(late.label(), "No reply since 10 Nov (expected by 24 Nov)");

    let mut booked = referral("2026-11-10", S::Accepted);
    booked.appointment = Some(day(2026, 12, 3));
    assert_eq!(booked.needs_action(day(2026, 12, 2), &s), None);
    assert_eq!(booked.needs_action(day(2026, 12, 3), &s), Some(ActionReason::DueToday), "appointment today");

    let draft = referral("2026-11-10", S::Draft);
    assert_eq!(draft.needs_action(day(2027, 6, 1), &s), Some(ActionReason::Draft));
    assert_eq!(ActionReason::Draft.label(), "Draft: not sent yet");
    for status in ReferralStatus::ALL.into_iter().filter(|st| !st.is_active() && *st != S::Draft) {
        let mut done = referral("2026-11-10", status);
        done.appointment = Some(day(2026, 11, 24));
        assert_eq!(done.needs_action(day(2026, 11, 24), &s), None, "{status:?}");
    }
}

#[test]
fn only_a_community_referral_links_to_a_directory_service() {
    let mut f = form("2026-11-10");
    assert_eq!((f.kind(), f.is_community()), (Some(ReferralKind::Specialty), false));
    f.set_destination("Greater Boston Food Bank".into(), Some("svc-1".into()));
    assert_eq!((f.referred_to.as_str(), f.service_id.as_str()), ("Greater Boston Food Bank", ""));
    f.kind = " Community ".into();
    assert!(f.is_community(), "codes read ignoring case and spaces");
    f.set_destination("Greater Boston Food Bank".into(), Some("svc-1".into()));
    assert_eq!(f.service_id, "svc-1");
    f.set_destination("A typed place".into(), None);
    assert_eq!((f.referred_to.as_str(), f.service_id.as_str()), ("A typed place", ""));
    f.kind = "other".into();
    assert_eq!((f.kind(), f.is_community()), (None, false));
}
