//! [`WriteBatch`]: the changes written in one transaction, and [`Written`], the generations
//! a committed write created.

use serde::Serialize;

use crate::model::stores::{Owner, STORES};
use crate::model::{Change, Patient, Record};

/// The generations a committed write created, for the snapshotted stores it touched.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Written(pub(super) Vec<(&'static str, u64)>);

impl Written {
    /// The new generation of `store`, if the write touched it.
    pub fn of(&self, store: &str) -> Option<u64> {
        self.0.iter().find(|(s, _)| *s == store).map(|(_, g)| *g)
    }

    /// The patients store's new generation, if the write touched it.
    pub fn patients(&self) -> Option<u64> {
        self.of(Patient::STORE)
    }

    /// One store at one generation (for a snapshot to build after a read from the records).
    pub fn of_one(store: &'static str, gen: u64) -> Written {
        Written(vec![(store, gen)])
    }
}

/// A set of changes written in one transaction: all of them, or none.
#[derive(Default)]
pub struct WriteBatch {
    pub(super) clears: Vec<&'static str>,
    /// Patients deleted with every record that belongs to them (`model::stores::Owner`).
    pub(super) cascades: Vec<String>,
    pub(super) deletes: Vec<(&'static str, String)>,
    pub(super) adds: Vec<(&'static str, String, String)>,
    pub(super) puts: Vec<(&'static str, String, String)>,
}

impl WriteBatch {
    pub fn new() -> WriteBatch {
        WriteBatch::default()
    }

    /// Empties a whole store first (a backup import that replaces everything).
    pub fn clear(&mut self, store: &'static str) -> &mut Self {
        self.clears.push(store);
        self
    }

    /// Adds a new record; the write fails if a record with its id is already stored.
    pub fn add<R: Record + Serialize>(&mut self, record: &R) -> &mut Self {
        self.adds.push((R::STORE, record.id().to_string(), to_json(record)));
        self
    }

    /// Adds or replaces a record.
    pub fn put<R: Record + Serialize>(&mut self, record: &R) -> &mut Self {
        self.puts.push((R::STORE, record.id().to_string(), to_json(record)));
        self
    }

    /// Adds or replaces many records.
    pub fn put_all<'a, R: Record + Serialize + 'a>(&mut self, records: impl IntoIterator<Item = &'a R>) -> &mut Self {
        self.puts.extend(records.into_iter().map(|r| (R::STORE, r.id().to_string(), to_json(r))));
        self
    }

    /// Deletes a patient and, in the same transaction, every record of every store the
    /// declaration says belongs to a patient (`model::stores`), as they are on disk then.
    pub fn delete_patient_everywhere(&mut self, patient_id: &str) -> &mut Self {
        self.cascades.push(patient_id.to_string());
        self
    }

    /// Deletes a record of `R`'s store.
    pub fn delete<R: Record>(&mut self, id: &str) -> &mut Self {
        self.deletes.push((R::STORE, id.to_string()));
        self
    }

    /// Whether the batch writes nothing.
    pub fn is_empty(&self) -> bool {
        self.clears.is_empty() && self.cascades.is_empty() && self.deletes.is_empty() && self.adds.is_empty() && self.puts.is_empty()
    }

    /// The size of the records in the batch, as stored.
    pub fn bytes(&self) -> usize {
        self.adds.iter().chain(self.puts.iter()).map(|(_, id, json)| id.len() + json.len()).sum()
    }

    /// Records the change in the journal, in the same transaction.
    pub fn journal(&mut self, change: &Change) -> &mut Self {
        self.add(change)
    }

    pub(super) fn stores(&self) -> Vec<&'static str> {
        let mut stores: Vec<&'static str> = self
            .clears
            .iter()
            .copied()
            .chain(self.deletes.iter().map(|d| d.0))
            .chain(STORES.iter().filter(|s| !self.cascades.is_empty() && s.owner != Owner::None).map(|s| s.name))
            .chain(self.adds.iter().chain(&self.puts).map(|p| p.0))
            .collect();
        stores.sort_unstable();
        stores.dedup();
        stores
    }
}

pub(super) fn to_json<R: Serialize>(record: &R) -> String {
    serde_json::to_string(record).expect("records always serialize")
}
