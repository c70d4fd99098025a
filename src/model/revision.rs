//! Revisions: every stored record carries `rev`, raised by one at each checked write
//! (`storage::Db::update`). A change made to a copy of a record (a form drawn a while ago)
//! is checked against the record as stored now: when the revisions match, nothing happened
//! in between; when they do not, [`rebase`] merges the two changes if they touch different
//! fields, and refuses otherwise, naming the fields both changed.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

use super::Record;

/// A record that carries a revision.
pub trait Revised: Record + Serialize + DeserializeOwned + Clone {
    fn rev(&self) -> u64;
    fn set_rev(&mut self, rev: u64);
}

macro_rules! revised {
    ($($t:ty),* $(,)?) => {
        $(impl Revised for $t {
            fn rev(&self) -> u64 {
                self.rev
            }
            fn set_rev(&mut self, rev: u64) {
                self.rev = rev;
            }
        })*
    };
}

revised!(
    super::Patient,
    super::Condition,
    super::care::CareEvent,
    super::care::CareRule,
    super::encounter::Encounter,
    super::appointment::Appointment,
    super::recall::OutreachAttempt,
    super::referral::Referral,
    super::directory::Organization,
    super::directory::Service,
    super::contact::Contact,
    super::transition::Transition,
    super::refill::RefillRequest,
    super::work_queue::QueueMark,
);

/// Fields every write changes: they never make two changes overlap.
const BOOKKEEPING: [&str; 2] = ["rev", "updated_at"];

/// What became of a change made to an older copy of a record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rebased<R> {
    /// Nothing was stored in between: the change as made.
    Same(R),
    /// Someone else changed other fields in between: both changes together.
    Merged(R),
    /// Both changed these fields (by their stored names, e.g. `"phone"`, `"address.city"`),
    /// differently: the change cannot be applied.
    Conflict(Vec<String>),
}

/// `mine` was made from `base`; `current` is the record as stored now. Fields are compared
/// one by one, into nested objects; a list that both sides only appended to (a referral's
/// history, an appointment's calls) keeps both sides' new entries.
pub fn rebase<R: Revised>(base: &R, mine: R, current: &R) -> Rebased<R> {
    if base.rev() == current.rev() {
        return Rebased::Same(mine);
    }
    let (Ok(b), Ok(m), Ok(c)) = (serde_json::to_value(base), serde_json::to_value(&mine), serde_json::to_value(current)) else {
        return Rebased::Conflict(vec!["the record".into()]);
    };
    let (Value::Object(mut b), Value::Object(mut m), Value::Object(mut c)) = (b, m, c) else {
        return Rebased::Conflict(vec!["the record".into()]);
    };
    let bookkeeping: Vec<(String, Value)> = BOOKKEEPING.iter().filter_map(|k| m.remove(*k).map(|v| (k.to_string(), v))).collect();
    for k in BOOKKEEPING {
        b.remove(k);
        c.remove(k);
    }
    let mut conflicts = Vec::new();
    let mut merged = merge_objects(&b, &m, &c, "", &mut conflicts);
    if !conflicts.is_empty() {
        return Rebased::Conflict(conflicts);
    }
    merged.extend(bookkeeping);
    match serde_json::from_value::<R>(Value::Object(merged)) {
        Ok(mut r) => {
            r.set_rev(current.rev());
            Rebased::Merged(r)
        }
        Err(_) => Rebased::Conflict(vec!["the record".into()]),
    }
}

/// A stored field name as the coordinator reads it: `"address.postal_code"` → "address postal code".
pub fn field_label(name: &str) -> String {
    name.replace(['.', '_'], " ")
}

fn merge_objects(base: &Map<String, Value>, mine: &Map<String, Value>, current: &Map<String, Value>, path: &str, conflicts: &mut Vec<String>) -> Map<String, Value> {
    let mut keys: Vec<&String> = base.keys().chain(mine.keys()).chain(current.keys()).collect();
    keys.sort_unstable();
    keys.dedup();
    let mut out = Map::new();
    for key in keys {
        let name = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
        if let Some(v) = merge_value(base.get(key), mine.get(key), current.get(key), &name, conflicts) {
            out.insert(key.clone(), v);
        }
    }
    out
}

fn merge_value(base: Option<&Value>, mine: Option<&Value>, current: Option<&Value>, name: &str, conflicts: &mut Vec<String>) -> Option<Value> {
    if mine == base || mine == current {
        return current.cloned();
    }
    if current == base {
        return mine.cloned();
    }
    match (base, mine, current) {
        (Some(Value::Object(b)), Some(Value::Object(m)), Some(Value::Object(c))) => Some(Value::Object(merge_objects(b, m, c, name, conflicts))),
        (Some(Value::Array(b)), Some(Value::Array(m)), Some(Value::Array(c))) if m.starts_with(b) && c.starts_with(b) => {
            let mut both = c.clone();
            both.extend(m[b.len()..].iter().cloned());
            Some(Value::Array(both))
        }
        _ => {
            conflicts.push(name.to_string());
            current.cloned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::appointment::{AppointmentDraft, PrevisitCall};
    use crate::model::patient::tests::{at, patient};
    use crate::model::recall::OutreachOutcome;

    fn test_patient(first: &str, last: &str) -> crate::model::Patient {
        patient("p1", first, last, "1960-04-02")
    }

    fn call(by: &str) -> PrevisitCall {
        PrevisitCall { at: at(2026, 11, 30), by: by.into(), outcome: OutreachOutcome::NoAnswer, note: String::new() }
    }

    #[test]
    fn nothing_in_between_keeps_the_change_as_made() {
        let base = test_patient("Ana", "Lopez");
        let mut mine = base.clone();
        mine.phone = "555-0101".into();
        assert_eq!(rebase(&base, mine.clone(), &base), Rebased::Same(mine));
    }

    #[test]
    fn changes_to_different_fields_are_merged() {
        let base = test_patient("Ana", "Lopez");
        let mut mine = base.clone();
        mine.phone = "555-0101".into();
        let mut theirs = base.clone();
        theirs.notes = "Prefers mornings".into();
        theirs.address.city = "Springfield".into();
        theirs.rev = 1;
        let Rebased::Merged(merged) = rebase(&base, mine, &theirs) else { panic!("expected a merge") };
        assert_eq!(merged.phone, "555-0101");
        assert_eq!(merged.notes, "Prefers mornings");
        assert_eq!(merged.address.city, "Springfield");
        assert_eq!(merged.rev, 1, "the revision of the stored record, raised by the write");
    }

    #[test]
    fn the_same_field_changed_differently_is_a_conflict_by_name() {
        let base = test_patient("Ana", "Lopez");
        let mut mine = base.clone();
        mine.phone = "555-0101".into();
        mine.address.city = "Shelbyville".into();
        let mut theirs = base.clone();
        theirs.phone = "555-0199".into();
        theirs.address.city = "Springfield".into();
        theirs.rev = 3;
        assert_eq!(rebase(&base, mine, &theirs), Rebased::Conflict(vec!["address.city".into(), "phone".into()]));
    }

    #[test]
    fn the_same_change_on_both_sides_is_no_conflict() {
        let base = test_patient("Ana", "Lopez");
        let mut mine = base.clone();
        mine.phone = "555-0101".into();
        let mut theirs = mine.clone();
        theirs.rev = 1;
        assert!(matches!(rebase(&base, mine, &theirs), Rebased::Merged(p) if p.phone == "555-0101"));
    }

    #[test]
    fn entries_appended_on_both_sides_are_all_kept() {
        let draft = AppointmentDraft { patient_id: "p1".into(), date: "2026-12-02".into(), time: "09:00".into(), ..Default::default() };
        let (date, time) = draft.validate().unwrap();
        let mut base = draft.into_new("a1".into(), date, time, at(2026, 11, 30));
        base.calls.push(call("Dee"));
        base.rev = 2;
        let mut mine = base.clone();
        mine.calls.push(call("Sam"));
        mine.checklist.labs_ordered = true;
        let mut theirs = base.clone();
        theirs.calls.push(call("Kim"));
        theirs.checklist.family_called = true;
        theirs.rev = 3;
        let Rebased::Merged(merged) = rebase(&base, mine, &theirs) else { panic!("expected a merge") };
        let by: Vec<&str> = merged.calls.iter().map(|c| c.by.as_str()).collect();
        assert_eq!(by, ["Dee", "Kim", "Sam"]);
        assert!(merged.checklist.labs_ordered && merged.checklist.family_called);
        assert_eq!(merged.rev, 3);
    }
}
