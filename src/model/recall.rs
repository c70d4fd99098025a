//! Recalls: patients overdue for a care item, and the outreach made to bring them in.
//!
//! Pure model for the recall list (the page and its store come next): which patients are
//! overdue for which item, the attempts made (date, method, outcome), and what to try next.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::care::GapStatus;
use super::choice::{by_code_or, choice_impl};
use super::registry::Registry;
use super::{Panel, Record, Timestamp};

/// How the coordinator reached out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutreachMethod {
    Phone,
    Text,
    Letter,
    PortalMessage,
    InPerson,
}

impl OutreachMethod {
    pub const ALL: [OutreachMethod; 5] =
        [OutreachMethod::Phone, OutreachMethod::Text, OutreachMethod::Letter, OutreachMethod::PortalMessage, OutreachMethod::InPerson];

    /// The stored code (`phone`, `portal_message`, ...).
    pub fn code(self) -> &'static str {
        match self {
            OutreachMethod::Phone => "phone",
            OutreachMethod::Text => "text",
            OutreachMethod::Letter => "letter",
            OutreachMethod::PortalMessage => "portal_message",
            OutreachMethod::InPerson => "in_person",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            OutreachMethod::Phone => "Phone call",
            OutreachMethod::Text => "Text message",
            OutreachMethod::Letter => "Letter",
            OutreachMethod::PortalMessage => "Portal message",
            OutreachMethod::InPerson => "In person",
        }
    }
}

choice_impl!(OutreachMethod, OutreachOutcome);

/// What came of an attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutreachOutcome {
    Reached,
    LeftMessage,
    NoAnswer,
    WrongNumber,
    Scheduled,
    Declined,
}

impl OutreachOutcome {
    pub const ALL: [OutreachOutcome; 6] = [
        OutreachOutcome::Reached,
        OutreachOutcome::LeftMessage,
        OutreachOutcome::NoAnswer,
        OutreachOutcome::WrongNumber,
        OutreachOutcome::Scheduled,
        OutreachOutcome::Declined,
    ];

    /// The stored code (`reached`, `left_message`, ...).
    pub fn code(self) -> &'static str {
        match self {
            OutreachOutcome::Reached => "reached",
            OutreachOutcome::LeftMessage => "left_message",
            OutreachOutcome::NoAnswer => "no_answer",
            OutreachOutcome::WrongNumber => "wrong_number",
            OutreachOutcome::Scheduled => "scheduled",
            OutreachOutcome::Declined => "declined",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            OutreachOutcome::Reached => "Reached",
            OutreachOutcome::LeftMessage => "Left message",
            OutreachOutcome::NoAnswer => "No answer",
            OutreachOutcome::WrongNumber => "Wrong number",
            OutreachOutcome::Scheduled => "Scheduled",
            OutreachOutcome::Declined => "Declined",
        }
    }

    /// Whether the recall is settled for now (no further attempt is due).
    pub fn closes_recall(self) -> bool {
        matches!(self, OutreachOutcome::Scheduled | OutreachOutcome::Declined)
    }
}

/// One outreach attempt about one care item of one patient.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutreachAttempt {
    pub id: String,
    /// The record's revision: raised by one at each checked write (`model::revision`).
    #[serde(default)]
    pub rev: u64,
    pub patient_id: String,
    /// The care item (`care::items`) the recall is about.
    pub item: String,
    pub date: NaiveDate,
    pub method: OutreachMethod,
    pub outcome: OutreachOutcome,
    #[serde(default)]
    pub note: String,
    pub created_at: Timestamp,
}

impl Record for OutreachAttempt {
    const STORE: &'static str = "outreach";
    fn id(&self) -> &str {
        &self.id
    }
}

/// The outreach form as typed: the date, the method and outcome (their codes) and a note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutreachDraft {
    pub date: String,
    /// An [`OutreachMethod`] code; empty reads as a phone call.
    pub method: String,
    /// An [`OutreachOutcome`] code; empty reads as reached.
    pub outcome: String,
    pub note: String,
}

impl Default for OutreachDraft {
    /// A phone call that reached the patient, on no date yet.
    fn default() -> OutreachDraft {
        OutreachDraft { date: String::new(), method: OutreachMethod::Phone.code().into(), outcome: OutreachOutcome::Reached.code().into(), note: String::new() }
    }
}

impl OutreachDraft {
    /// The attempt about `item` of patient `patient_id`, or what is wrong: the date must be
    /// a date not after `today`, the method and outcome codes the app knows.
    pub fn validate(&self, patient_id: &str, item: &str, today: NaiveDate, id: String, created_at: Timestamp) -> Result<OutreachAttempt, String> {
        let date = match super::dates::parse_date(&self.date) {
            Some(d) if d <= today => d,
            Some(_) => return Err("The date of the attempt is in the future.".into()),
            None if self.date.trim().is_empty() => return Err("Enter the date of the attempt.".into()),
            None => return Err(format!("Date '{}' is not a date.", self.date.trim())),
        };
        let method = by_code_or(&self.method, OutreachMethod::Phone).ok_or_else(|| format!("Method '{}' is not one CareCoord knows.", self.method.trim()))?;
        let outcome = by_code_or(&self.outcome, OutreachOutcome::Reached).ok_or_else(|| format!("Outcome '{}' is not one CareCoord knows.", self.outcome.trim()))?;
        Ok(OutreachAttempt { rev: 0, id, patient_id: patient_id.into(), item: item.into(), date, method, outcome, note: self.note.trim().into(), created_at })
    }
}

/// A line of the recall list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecallEntry {
    pub patient_id: String,
    pub patient_name: String,
    pub phone: String,
    pub item: String,
    pub item_label: String,
    /// When the item fell due (`None` if it was never done and has no computable date).
    pub due_since: Option<NaiveDate>,
    pub attempts: usize,
    pub last_attempt: Option<(NaiveDate, OutreachOutcome)>,
}

impl RecallEntry {
    /// Settled by the latest attempt (scheduled or declined since the item fell due).
    pub fn settled(&self) -> bool {
        self.last_attempt.is_some_and(|(_, o)| o.closes_recall())
    }
}

/// Every overdue item of every patient (or only `item`), oldest due first, with the outreach
/// made since it fell due.
pub fn recall_list(panel: &Panel, registry: &Registry, attempts: &[OutreachAttempt], item: Option<&str>, today: NaiveDate) -> Vec<RecallEntry> {
    let mut out = Vec::new();
    for p in panel.patients() {
        for gap in registry.gaps(p, today) {
            if gap.status != GapStatus::Overdue || item.is_some_and(|i| i != gap.item) {
                continue;
            }
            let mut made: Vec<&OutreachAttempt> = attempts
                .iter()
                .filter(|a| a.patient_id == p.id && a.item == gap.item && gap.next_due.is_none_or(|d| a.date >= d))
                .collect();
            made.sort_by_key(|a| (a.date, a.created_at));
            out.push(RecallEntry {
                patient_id: p.id.clone(),
                patient_name: p.sort_name(),
                phone: p.phone.clone(),
                item: gap.item.clone(),
                item_label: gap.label.clone(),
                due_since: gap.next_due,
                attempts: made.len(),
                last_attempt: made.last().map(|a| (a.date, a.outcome)),
            });
        }
    }
    out.sort_by(|a, b| a.due_since.cmp(&b.due_since).then_with(|| a.patient_name.cmp(&b.patient_name)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::care::items;
    use crate::model::patient::tests::{at, day, patient};
    use crate::model::condition::tests::diabetes;

    fn attempt(pid: &str, date: NaiveDate, outcome: OutreachOutcome) -> OutreachAttempt {
        OutreachAttempt { rev: 0,
            id: format!("{pid}-{date}"),
            patient_id: pid.into(),
            item: items::HBA1C.into(),
            date,
            method: OutreachMethod::Phone,
            outcome,
            note: String::new(),
            created_at: at(2026, 1, 1),
        }
    }

    fn outreach(date: &str, method: &str, outcome: &str) -> OutreachDraft {
        OutreachDraft { date: date.into(), method: method.into(), outcome: outcome.into(), note: " left voicemail ".into() }
    }

    #[test]
    fn an_outreach_draft_becomes_an_attempt_with_stored_codes() {
        let today = day(2026, 11, 23);
        let a = outreach("2026-11-23", "portal_message", "left_message").validate("p1", items::HBA1C, today, "o1".into(), at(2026, 11, 23)).unwrap();
        assert_eq!((a.method, a.outcome, a.date, a.note.as_str()), (OutreachMethod::PortalMessage, OutreachOutcome::LeftMessage, today, "left voicemail"));
        assert_eq!((a.id.as_str(), a.patient_id.as_str(), a.item.as_str()), ("o1", "p1", items::HBA1C));
        // Every method and outcome the form offers (its value is the stored code) reads back.
        for m in OutreachMethod::ALL {
            for o in OutreachOutcome::ALL {
                let a = outreach("2026-11-01", m.code(), o.code()).validate("p1", items::HBA1C, today, "o".into(), at(2026, 11, 1)).unwrap();
                assert_eq!((a.method, a.outcome), (m, o));
            }
        }
        let blank = outreach("2026-11-01", "", "").validate("p1", items::HBA1C, today, "o".into(), at(2026, 11, 1)).unwrap();
        assert_eq!((blank.method, blank.outcome), (OutreachMethod::Phone, OutreachOutcome::Reached));
        assert_eq!(OutreachDraft::default().method, "phone");
    }

    #[test]
    fn an_outreach_draft_needs_a_past_date_and_known_codes() {
        let today = day(2026, 11, 23);
        let check = |d: OutreachDraft| d.validate("p1", items::HBA1C, today, "o".into(), at(2026, 11, 1));
        assert_eq!(check(outreach("2026-11-24", "phone", "reached")).unwrap_err(), "The date of the attempt is in the future.");
        assert!(check(outreach("2026-11-23", "phone", "reached")).is_ok(), "today is fine");
        assert_eq!(check(outreach("", "phone", "reached")).unwrap_err(), "Enter the date of the attempt.");
        assert_eq!(check(outreach("23/11/2026", "phone", "reached")).unwrap_err(), "Date '23/11/2026' is not a date.");
        assert_eq!(check(outreach("2026-11-23", "portal", "reached")).unwrap_err(), "Method 'portal' is not one CareCoord knows.");
        assert_eq!(check(outreach("2026-11-23", "phone", "busy")).unwrap_err(), "Outcome 'busy' is not one CareCoord knows.");
    }

    #[test]
    fn lists_overdue_items_with_their_outreach() {
        let today = day(2026, 11, 23);
        let panel = Panel::new(vec![patient("a", "Ana", "Lima", "1960-01-01"), patient("b", "Rui", "Costa", "1990-01-01")]);
        let registry = Registry::new(vec![diabetes("a")], vec![], vec![]);
        let list = recall_list(&panel, &registry, &[], Some(items::HBA1C), today);
        assert_eq!(list.len(), 1, "only the diabetic patient is overdue for HbA1c");
        assert_eq!(list[0].patient_name, "Lima, Ana");
        assert_eq!(list[0].attempts, 0);
        assert!(!list[0].settled());

        let tries = [attempt("a", day(2026, 11, 2), OutreachOutcome::NoAnswer), attempt("a", day(2026, 11, 9), OutreachOutcome::Scheduled)];
        let list = recall_list(&panel, &registry, &tries, Some(items::HBA1C), today);
        assert_eq!(list[0].attempts, 2);
        assert_eq!(list[0].last_attempt, Some((day(2026, 11, 9), OutreachOutcome::Scheduled)));
        assert!(list[0].settled());

        let all = recall_list(&panel, &registry, &tries, None, today);
        assert!(all.len() > 1, "every overdue item when no item is chosen");
        assert!(all.windows(2).all(|w| w[0].due_since <= w[1].due_since), "oldest due first");
    }

    #[test]
    fn labels_and_closing_outcomes() {
        assert!(OutreachOutcome::Declined.closes_recall());
        assert!(!OutreachOutcome::LeftMessage.closes_recall());
        assert_eq!(OutreachMethod::PortalMessage.label(), "Portal message");
        let a = attempt("a", day(2026, 1, 2), OutreachOutcome::WrongNumber);
        let json = serde_json::to_string(&a).unwrap();
        assert!(json.contains("\"wrong_number\""));
        assert_eq!(serde_json::from_str::<OutreachAttempt>(&json).unwrap(), a);
    }
}
