//! The work queue on Today: everything due today or overdue across recalls, referrals,
//! transition clocks, refills and contact follow-ups, in one list.
//!
//! Each domain says what is due with its own rules (`recall::recall_list`,
//! `Referral::needs_action`, `transition::clocks`, `RefillRequest::needs_action`, a
//! contact's `follow_up`); the `*_items` functions here turn that into [`QueueItem`]s, and
//! [`build`] drops what is not due yet or is marked done or snoozed ([`QueueMark`], store
//! `queue_marks`) and sorts the rest: oldest due date first, then the most urgent, then by
//! kind (transitions, refills, referrals, follow-ups, recalls).
//!
//! An item's `key` names the record, what is due about it and the due date, so marking it
//! done hides that occurrence only: when the due date moves (a new attempt, a new status),
//! the item comes back.

use std::collections::{HashMap, HashSet};

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::contact::{Contact, Party};
use super::dates;
use super::ids::QuickMap;
use super::recall::RecallEntry;
use super::referral::{ActionReason, OverdueReason, Referral, ReferralSettings, Urgency};
use super::refill::RefillRequest;
use super::transition::{clocks, ClockState, Transition};
use super::{Record, Timestamp};

/// Days after an unanswered recall attempt before the next one is due.
pub const RECALL_RETRY_DAYS: u64 = 7;

/// What a queue item is about, in the order the queue sorts them on the same day and urgency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum QueueKind {
    Transition,
    Refill,
    Referral,
    FollowUp,
    Recall,
}

impl QueueKind {
    pub const ALL: [QueueKind; 5] = [QueueKind::Transition, QueueKind::Refill, QueueKind::Referral, QueueKind::FollowUp, QueueKind::Recall];

    pub fn code(self) -> &'static str {
        match self {
            QueueKind::Transition => "transition",
            QueueKind::Refill => "refill",
            QueueKind::Referral => "referral",
            QueueKind::FollowUp => "follow_up",
            QueueKind::Recall => "recall",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            QueueKind::Transition => "Transition of care",
            QueueKind::Refill => "Refill",
            QueueKind::Referral => "Referral",
            QueueKind::FollowUp => "Follow-up",
            QueueKind::Recall => "Recall",
        }
    }
}

super::choice::choice_impl!(QueueKind);

/// One line of the work queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueItem {
    pub kind: QueueKind,
    pub patient_id: String,
    /// The record it is about (a referral, transition, refill or contact id; empty for a
    /// recall, which is about a care item).
    pub record_id: String,
    /// What to do, in the coordinator's words.
    pub title: String,
    pub due: NaiveDate,
    pub urgency: Urgency,
    /// Stable id of this occurrence, for done and snooze marks.
    pub key: String,
}

impl QueueItem {
    /// Due before `today`.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.due < today
    }
}

fn urgency_rank(u: Urgency) -> u8 {
    match u {
        Urgency::Stat => 0,
        Urgency::Urgent => 1,
        Urgency::Routine => 2,
    }
}

/// The queue on `today`: the items due today or before, without those `marks` hide,
/// oldest due first, then the most urgent, then by [`QueueKind`], then by title.
pub fn build(items: impl IntoIterator<Item = QueueItem>, marks: &[QueueMark], today: NaiveDate) -> Vec<QueueItem> {
    let hidden: HashSet<&str> = marks.iter().filter(|m| m.hides(today)).map(|m| m.key.as_str()).collect();
    let mut out: Vec<QueueItem> = items.into_iter().filter(|i| i.due <= today && !hidden.contains(i.key.as_str())).collect();
    out.sort_by(|a, b| {
        (a.due, urgency_rank(a.urgency), a.kind, &a.title, &a.key).cmp(&(b.due, urgency_rank(b.urgency), b.kind, &b.title, &b.key))
    });
    out
}

/// Recalls to work on `today`: not settled (scheduled or declined), and never tried, or
/// last tried [`RECALL_RETRY_DAYS`] or more ago. Due when the item fell due, or on the day
/// the next try is due.
pub fn recall_items(entries: &[RecallEntry], today: NaiveDate) -> Vec<QueueItem> {
    entries
        .iter()
        .filter(|e| !e.settled())
        .filter_map(|e| {
            let due = match e.last_attempt {
                Some((d, _)) => d.checked_add_days(Days::new(RECALL_RETRY_DAYS)).unwrap_or(NaiveDate::MAX),
                None => e.due_since.unwrap_or(today),
            };
            (due <= today).then(|| QueueItem {
                kind: QueueKind::Recall,
                patient_id: e.patient_id.clone(),
                record_id: String::new(),
                title: if e.attempts == 0 { format!("Recall: {}", e.item_label) } else { format!("Recall: {} (try again)", e.item_label) },
                due,
                urgency: Urgency::Routine,
                key: format!("recall:{}:{}:{due}", e.patient_id, e.item),
            })
        })
        .collect()
}

/// Referrals needing action on `today` (`Referral::needs_action`): overdue ones due on
/// their expected date, drafts on the day they were made, the others today.
pub fn referral_items(referrals: &[Referral], today: NaiveDate, settings: &ReferralSettings) -> Vec<QueueItem> {
    referrals
        .iter()
        .filter_map(|r| {
            let reason = r.needs_action(today, settings)?;
            let (what, due) = match reason {
                ActionReason::Overdue(OverdueReason::NoReply { expected, .. }) => ("no_reply", expected),
                ActionReason::Overdue(OverdueReason::NoReport { expected, .. }) => ("no_report", expected),
                ActionReason::Overdue(OverdueReason::PriorAuthPending { expected, .. }) => ("prior_auth", expected),
                ActionReason::Draft => ("draft", r.created.min(today)),
                ActionReason::DueToday => ("due_today", today),
            };
            Some(QueueItem {
                kind: QueueKind::Referral,
                patient_id: r.patient_id.clone(),
                record_id: r.id.clone(),
                title: format!("Referral to {}: {}", r.referred_to, reason.label()),
                due,
                urgency: r.urgency,
                key: format!("referral:{}:{what}:{due}", r.id),
            })
        })
        .collect()
}

/// The transition clocks needing action on `today` (not met, due today or before) of the
/// transitions still followed (admitted, or within their 30 days); a missed clock is urgent.
pub fn transition_items(transitions: &[Transition], contacts: &[Contact], today: NaiveDate, holidays: &[NaiveDate]) -> Vec<QueueItem> {
    let open: Vec<&Transition> = transitions.iter().filter(|t| t.is_open(today)).collect();
    let patients: HashSet<&str> = open.iter().map(|t| t.patient_id.as_str()).collect();
    let mut by_patient: HashMap<&str, Vec<Contact>> = HashMap::new();
    for c in contacts.iter().filter(|c| patients.contains(c.patient_id.as_str())) {
        by_patient.entry(c.patient_id.as_str()).or_default().push(c.clone());
    }
    let mut out = Vec::new();
    for t in open {
        let theirs = by_patient.get(t.patient_id.as_str()).map(Vec::as_slice).unwrap_or(&[]);
        for clock in clocks(t, theirs, today, holidays).into_iter().filter(|c| c.needs_action(today)) {
            let missed = clock.state == ClockState::Missed;
            let place = if t.facility.trim().is_empty() { String::new() } else { format!(" ({})", t.facility.trim()) };
            out.push(QueueItem {
                kind: QueueKind::Transition,
                patient_id: t.patient_id.clone(),
                record_id: t.id.clone(),
                title: format!("{}{}{place}", clock.kind.label(), if missed { ": missed" } else { "" }),
                due: clock.due,
                urgency: if missed { Urgency::Urgent } else { Urgency::Routine },
                key: format!("transition:{}:{}:{}", t.id, clock.kind.code(), clock.due),
            });
        }
    }
    out
}

/// Open refill requests due by `today` or before.
pub fn refill_items(refills: &[RefillRequest], today: NaiveDate) -> Vec<QueueItem> {
    refills
        .iter()
        .filter(|r| r.needs_action(today))
        .map(|r| QueueItem {
            kind: QueueKind::Refill,
            patient_id: r.patient_id.clone(),
            record_id: r.id.clone(),
            title: format!("Refill: {} ({})", r.medication, r.status.label()),
            due: r.due_by,
            urgency: Urgency::Routine,
            key: format!("refill:{}:{}:{}", r.id, r.status.code(), r.due_by),
        })
        .collect()
}

/// Contact follow-ups due by `today`, unless a later contact with the same party (the
/// patient, the pharmacy…) has been logged since.
pub fn follow_up_items(contacts: &[Contact], today: NaiveDate) -> Vec<QueueItem> {
    let asked: Vec<&Contact> = contacts.iter().filter(|c| c.follow_up.is_some_and(|d| d <= today)).collect();
    if asked.is_empty() {
        return Vec::new();
    }
    // The latest contact with each patient and party that a follow-up is waiting on.
    let mut latest: QuickMap<(&str, Party), _> = asked.iter().map(|c| ((c.patient_id.as_str(), c.with), c.sort_key())).collect();
    for c in contacts {
        if let Some(k) = latest.get_mut(&(c.patient_id.as_str(), c.with)) {
            *k = std::cmp::max(*k, c.sort_key());
        }
    }
    asked
        .into_iter()
        .filter(|c| latest.get(&(c.patient_id.as_str(), c.with)).is_none_or(|k| *k <= c.sort_key()))
        .filter_map(|c| {
            let due = c.follow_up?;
            Some(QueueItem {
                kind: QueueKind::FollowUp,
                patient_id: c.patient_id.clone(),
                record_id: c.id.clone(),
                title: format!("Follow up: {} ({}, contact of {})", c.purpose.label(), c.with.label(), dates::short(c.date)),
                due,
                urgency: Urgency::Routine,
                key: format!("follow_up:{}:{due}", c.id),
            })
        })
        .collect()
}

/// A queue item marked done or snoozed. Its id is a random UUID (the key names records
/// and dates, so it stays inside the record, which is sealed under a passphrase).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueMark {
    pub id: String,
    /// The record's revision: raised by one at each checked write (`model::revision`).
    #[serde(default)]
    pub rev: u64,
    pub patient_id: String,
    /// The item's [`QueueItem::key`].
    pub key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done_on: Option<NaiveDate>,
    /// Hidden until this date (it shows again on the day).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snoozed_until: Option<NaiveDate>,
    #[serde(default)]
    pub by: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Record for QueueMark {
    const STORE: &'static str = "queue_marks";
    fn id(&self) -> &str {
        &self.id
    }
}

impl QueueMark {
    /// A mark of `item`, neither done nor snoozed yet.
    pub fn new(item: &QueueItem, id: String, by: &str, now: Timestamp) -> QueueMark {
        QueueMark {
            id,
            rev: 0,
            patient_id: item.patient_id.clone(),
            key: item.key.clone(),
            done_on: None,
            snoozed_until: None,
            by: by.trim().into(),
            created_at: now,
            updated_at: now,
        }
    }

    /// Whether the item is hidden on `today`: done, or snoozed until a later day.
    pub fn hides(&self, today: NaiveDate) -> bool {
        self.done_on.is_some() || self.snoozed_until.is_some_and(|d| d > today)
    }

    /// Marked done on `today`.
    pub fn done(&self, today: NaiveDate, now: Timestamp) -> QueueMark {
        QueueMark { done_on: Some(today), snoozed_until: None, updated_at: now, ..self.clone() }
    }

    /// Snoozed until the date typed in `until`, which must be after `today`.
    pub fn snooze(&self, until: &str, today: NaiveDate, now: Timestamp) -> Result<QueueMark, String> {
        match dates::date_field("Snooze until", until, None)? {
            None => Err("Choose the date to snooze until.".into()),
            Some(d) if d <= today => Err(format!("Snooze until {d} is not after today.")),
            Some(d) => Ok(QueueMark { done_on: None, snoozed_until: Some(d), updated_at: now, ..self.clone() }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::contact::tests::contact;
    use crate::model::patient::tests::{at, day};
    use crate::model::recall::OutreachOutcome;
    use crate::model::referral::ReferralStatus;
    use crate::model::refill::tests::refill;
    use crate::model::transition::tests::stay;

    fn item(kind: QueueKind, due: NaiveDate, urgency: Urgency, title: &str) -> QueueItem {
        QueueItem { kind, patient_id: "p".into(), record_id: String::new(), title: title.into(), due, urgency, key: format!("{}:{title}:{due}", kind.code()) }
    }

    fn titles(items: &[QueueItem]) -> Vec<&str> {
        items.iter().map(|i| i.title.as_str()).collect()
    }

    #[test]
    fn overdue_first_then_urgency_then_kind() {
        let today = day(2026, 11, 23);
        let items = vec![
            item(QueueKind::Recall, today, Urgency::Routine, "recall today"),
            item(QueueKind::Referral, today, Urgency::Urgent, "urgent referral today"),
            item(QueueKind::Refill, day(2026, 11, 20), Urgency::Routine, "refill 3 days late"),
            item(QueueKind::Transition, today, Urgency::Routine, "transition today"),
            item(QueueKind::FollowUp, day(2026, 11, 22), Urgency::Routine, "follow-up yesterday"),
            item(QueueKind::Referral, today, Urgency::Stat, "stat referral today"),
            item(QueueKind::Refill, today, Urgency::Routine, "refill today"),
            item(QueueKind::Transition, day(2026, 11, 24), Urgency::Urgent, "transition tomorrow"),
        ];
        let q = build(items, &[], today);
        assert_eq!(titles(&q), [
            "refill 3 days late",
            "follow-up yesterday",
            "stat referral today",
            "urgent referral today",
            "transition today",
            "refill today",
            "recall today",
        ]);
        assert!(q[0].is_overdue(today) && !q[6].is_overdue(today));
    }

    #[test]
    fn done_and_snoozed_items_are_hidden() {
        let today = day(2026, 11, 23);
        let a = item(QueueKind::Refill, today, Urgency::Routine, "a");
        let b = item(QueueKind::Refill, today, Urgency::Routine, "b");
        let c = item(QueueKind::Refill, today, Urgency::Routine, "c");
        let now = at(2026, 11, 23);
        let done = QueueMark::new(&a, "m1".into(), "Dana", now).done(today, now);
        let snoozed = QueueMark::new(&b, "m2".into(), "Dana", now).snooze("2026-11-25", today, now).unwrap();
        assert_eq!((done.patient_id.as_str(), done.key.as_str(), done.done_on), ("p", a.key.as_str(), Some(today)));
        let q = build(vec![a.clone(), b.clone(), c.clone()], &[done.clone(), snoozed.clone()], today);
        assert_eq!(titles(&q), ["c"]);
        // The snoozed item is back on its day.
        assert_eq!(titles(&build(vec![a, b.clone(), c], &[done, snoozed.clone()], day(2026, 11, 25))), ["b", "c"]);
        // Snoozing needs a later date; done clears a snooze.
        assert_eq!(snoozed.snooze("2026-11-23", today, now).unwrap_err(), "Snooze until 2026-11-23 is not after today.");
        assert_eq!(snoozed.snooze("", today, now).unwrap_err(), "Choose the date to snooze until.");
        assert_eq!(snoozed.snooze("someday", today, now).unwrap_err(), "Snooze until 'someday' is not a date.");
        assert_eq!(snoozed.done(today, now).snoozed_until, None);
        assert_eq!(<QueueMark as Record>::STORE, "queue_marks");
        let back: QueueMark = serde_json::from_str(&serde_json::to_string(&snoozed).unwrap()).unwrap();
        assert_eq!(back, snoozed);
    }

    #[test]
    fn a_missed_transition_clock_is_on_the_queue_and_urgent() {
        // Discharged Wednesday 18 November, no contact: missed on Monday 23rd.
        let t = stay(day(2026, 11, 15), Some(day(2026, 11, 18)));
        let today = day(2026, 11, 23);
        let items = transition_items(std::slice::from_ref(&t), &[], today, &[]);
        let contact_item = items.iter().find(|i| i.key.contains(":contact:")).unwrap();
        assert_eq!((contact_item.due, contact_item.urgency), (day(2026, 11, 20), Urgency::Urgent));
        assert_eq!(contact_item.title, "Interactive contact within 2 business days: missed (General Hospital)");
        assert_eq!(contact_item.record_id, t.id);
        assert!(items.iter().any(|i| i.key.contains(":summary_received:")), "the summary is late too");
        assert!(!items.iter().any(|i| i.key.contains(":visit_14:")), "the visit is not due yet");
        // Reached on the 19th: that clock is met and leaves the queue.
        let reached = [contact("p", day(2026, 11, 19), "10:00", 8)];
        let items = transition_items(std::slice::from_ref(&t), &reached, today, &[]);
        assert!(!items.iter().any(|i| i.key.contains(":contact:")));
        // After the 30 days, nothing.
        assert!(transition_items(&[t], &[], day(2026, 12, 18), &[]).is_empty());
    }

    #[test]
    fn refills_and_follow_ups() {
        let today = day(2026, 11, 24);
        let r = refill(day(2026, 11, 20));
        let items = refill_items(std::slice::from_ref(&r), today);
        assert_eq!(items.len(), 1);
        assert_eq!((items[0].title.as_str(), items[0].due), ("Refill: Metformin 500 mg (Requested)", day(2026, 11, 24)));
        assert!(refill_items(&[r], day(2026, 11, 23)).is_empty());

        let mut asked = contact("p", day(2026, 11, 10), "09:00", 5);
        asked.follow_up = Some(day(2026, 11, 17));
        let later_pharmacy = Contact { with: Party::Pharmacy, ..contact("p", day(2026, 11, 18), "", 5) };
        let items = follow_up_items(&[asked.clone(), later_pharmacy], today);
        assert_eq!(items.len(), 1, "a call to the pharmacy does not answer a follow-up with the patient");
        assert_eq!(items[0].title, "Follow up: Care-plan update (Patient, contact of 10 Nov 2026)");
        assert_eq!(items[0].key, format!("follow_up:{}:2026-11-17", asked.id));
        let later_patient = contact("p", day(2026, 11, 12), "", 5);
        assert!(follow_up_items(&[asked.clone(), later_patient], today).is_empty(), "the patient was contacted since");
        assert!(follow_up_items(&[asked], day(2026, 11, 16)).is_empty(), "not due yet");
    }

    #[test]
    fn recalls_and_referrals() {
        let today = day(2026, 11, 23);
        let entry = |attempts: usize, last: Option<(NaiveDate, OutreachOutcome)>| RecallEntry {
            patient_id: "p".into(),
            patient_name: "Lima, Ana".into(),
            phone: String::new(),
            item: "hba1c".into(),
            item_label: "HbA1c".into(),
            due_since: Some(day(2026, 5, 1)),
            attempts,
            last_attempt: last,
        };
        let items = recall_items(&[entry(0, None)], today);
        assert_eq!((items[0].title.as_str(), items[0].due, items[0].key.as_str()), ("Recall: HbA1c", day(2026, 5, 1), "recall:p:hba1c:2026-05-01"));
        assert!(recall_items(&[entry(1, Some((day(2026, 11, 20), OutreachOutcome::NoAnswer)))], today).is_empty(), "tried 3 days ago");
        let again = recall_items(&[entry(1, Some((day(2026, 11, 16), OutreachOutcome::NoAnswer)))], today);
        assert_eq!((again[0].title.as_str(), again[0].due), ("Recall: HbA1c (try again)", day(2026, 11, 23)));
        assert!(recall_items(&[entry(1, Some((day(2026, 11, 2), OutreachOutcome::Scheduled)))], today).is_empty(), "settled");

        use crate::model::referral::tests::{referral, settings};
        let sent = referral("2026-11-01", ReferralStatus::Requested);
        let draft = referral("2026-11-20", ReferralStatus::Draft);
        let done = referral("2026-11-01", ReferralStatus::Completed);
        let items = referral_items(&[sent.clone(), draft, done], today, &settings());
        assert_eq!(items.len(), 2);
        let overdue = items.iter().find(|i| i.record_id == sent.id).unwrap();
        assert_eq!((overdue.due, overdue.key.as_str()), (sent.expected_reply, format!("referral:{}:no_reply:{}", sent.id, sent.expected_reply).as_str()));
        assert!(overdue.title.starts_with("Referral to Boston Cardiology Associates: No reply since"), "{}", overdue.title);
        let q = build(items, &[], today);
        assert_eq!(q[0].record_id, sent.id, "the overdue one first");
    }
}
