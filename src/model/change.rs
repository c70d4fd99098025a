//! The change journal: every change to a record is written beside it, in the same
//! transaction, with what, which, when and by whom.

use serde::{Deserialize, Serialize};

use super::choice::choice_impl;
use super::{Record, Timestamp};

/// What happened to a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeAction {
    Created,
    Updated,
    Deleted,
    Imported,
}

impl ChangeAction {
    pub const ALL: [ChangeAction; 4] = [ChangeAction::Created, ChangeAction::Updated, ChangeAction::Deleted, ChangeAction::Imported];

    /// The stored code (`created`, `updated`, `deleted`, `imported`).
    pub fn code(self) -> &'static str {
        match self {
            ChangeAction::Created => "created",
            ChangeAction::Updated => "updated",
            ChangeAction::Deleted => "deleted",
            ChangeAction::Imported => "imported",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ChangeAction::Created => "Created",
            ChangeAction::Updated => "Updated",
            ChangeAction::Deleted => "Deleted",
            ChangeAction::Imported => "Imported",
        }
    }
}

choice_impl!(ChangeAction);

/// One entry of the journal.
///
/// Its id starts with the entity id, then the time, so that one key range gives a record's
/// whole history in order (see [`Change::history_range`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub id: String,
    /// The store of the record ("patients").
    pub entity: String,
    /// The record's id, or [`Change::BATCH`] for an import that wrote many records.
    pub entity_id: String,
    pub action: ChangeAction,
    pub at: Timestamp,
    /// The coordinator's name from settings, as it was at the time.
    pub by: String,
    /// What changed, without personal values ("phone, address", "120 patients").
    #[serde(default)]
    pub summary: String,
}

impl Record for Change {
    const STORE: &'static str = "changes";
    fn id(&self) -> &str {
        &self.id
    }
}

/// Separates the parts of a change id; never part of a UUID.
const SEP: char = '|';

impl Change {
    /// The entity id used for changes that touch many records at once (imports).
    pub const BATCH: &'static str = "batch";

    /// A journal entry. `nonce` (random, from the caller) keeps two changes in the same
    /// millisecond apart.
    pub fn new(
        entity: &str,
        entity_id: &str,
        action: ChangeAction,
        at: Timestamp,
        by: &str,
        summary: impl Into<String>,
        nonce: &str,
    ) -> Change {
        Change {
            id: format!("{entity_id}{SEP}{}{SEP}{nonce}", super::dates::compact_utc(at)),
            entity: entity.to_string(),
            entity_id: entity_id.to_string(),
            action,
            at,
            by: by.trim().to_string(),
            summary: summary.into(),
        }
    }

    /// A change to `record`.
    pub fn of<R: Record>(record: &R, action: ChangeAction, at: Timestamp, by: &str, summary: impl Into<String>, nonce: &str) -> Change {
        Change::new(R::STORE, record.id(), action, at, by, summary, nonce)
    }

    /// Lower and upper bound (inclusive) of the ids of every change to `entity_id`.
    pub fn history_range(entity_id: &str) -> (String, String) {
        (format!("{entity_id}{SEP}"), format!("{entity_id}{SEP}\u{10FFFF}"))
    }

    /// "Created by Dana", "Updated phone, address by Dana".
    pub fn describe(&self) -> String {
        let what = if self.summary.is_empty() {
            self.action.label().to_string()
        } else {
            format!("{} {}", self.action.label(), self.summary)
        };
        if self.by.is_empty() {
            what
        } else {
            format!("{what} by {}", self.by)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::patient::tests::{at, patient};

    #[test]
    fn ids_sort_by_entity_then_time_and_fall_in_the_history_range() {
        let p = patient("ad2e3fc5-2b5d-4cb9-8d03-9ea0f4ac8423", "A", "B", "1970-01-01");
        let c1 = Change::of(&p, ChangeAction::Created, at(2026, 1, 2), "Dana", "", "aa");
        let c2 = Change::of(&p, ChangeAction::Updated, at(2026, 1, 10), "Dana", "phone", "bb");
        assert!(c1.id < c2.id);
        let (lo, hi) = Change::history_range(&p.id);
        for c in [&c1, &c2] {
            assert!(lo <= c.id && c.id <= hi, "{} not in range", c.id);
        }
        let other = Change::new("patients", "bd2e3fc5-0000-4000-8000-000000000000", ChangeAction::Created, at(2026, 1, 5), "", "", "cc");
        assert!(!(lo <= other.id && other.id <= hi));
        assert_eq!(c2.describe(), "Updated phone by Dana");
        assert_eq!(other.describe(), "Created");
    }
}
