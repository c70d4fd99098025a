//! [`Failure`]: why a change was not made, one type for every mutation, shown the same way
//! everywhere (`components::notice`); and [`SaveError`], a form's problems next to its
//! fields or a failure. A storage failure is never put into a form field.

use crate::storage::StorageError;

/// Why a change was not made. Nothing was written in every case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The change cannot be made as asked (the record is gone, the store is still being
    /// read, a move the referral's status does not allow).
    Refused(String),
    /// Someone changed the same fields of this record in another window since it was
    /// drawn: the view shows the record as stored now.
    Stale(String),
    /// The browser's storage failed.
    Storage(String),
}

impl Failure {
    pub fn refused(message: impl Into<String>) -> Failure {
        Failure::Refused(message.into())
    }

    /// The record was changed elsewhere in the same fields: `what` is "This patient",
    /// `fields` the labels of the fields both changed.
    pub fn stale(what: &str, fields: &[String]) -> Failure {
        let fields = if fields.is_empty() { String::new() } else { format!(" (both changed: {})", fields.join(", ")) };
        Failure::Stale(format!(
            "{what} was changed in another window{fields}; your change was not saved. What is stored now is shown: make your change again if it is still needed."
        ))
    }

    pub fn message(&self) -> &str {
        match self {
            Failure::Refused(m) | Failure::Stale(m) | Failure::Storage(m) => m,
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message())
    }
}

impl From<StorageError> for Failure {
    fn from(e: StorageError) -> Failure {
        Failure::Storage(e.message)
    }
}

/// Why a form was not saved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveError<F> {
    /// The form has problems; each is shown next to its field.
    Fields(Vec<F>),
    /// Nothing to fix in the form: the change was not made (shown as an alert).
    Failed(Failure),
}

impl<F> From<Failure> for SaveError<F> {
    fn from(f: Failure) -> Self {
        SaveError::Failed(f)
    }
}

impl<F> From<StorageError> for SaveError<F> {
    fn from(e: StorageError) -> Self {
        SaveError::Failed(e.into())
    }
}
