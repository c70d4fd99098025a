//! The community resource directory, shaped after Open Referral HSDS 3.x.
//!
//! **One record per service, denormalized.** HSDS splits a directory into organizations,
//! services, locations, addresses, phones, schedules, languages and taxonomy terms joined by
//! `*_id` columns. Here a [`Service`] carries everything the coordinator and the kiosk show
//! about it: its organization's id and name, its locations (each with one address), phones,
//! schedules, languages, taxonomy terms and the [`Category`]s of need worked out from them.
//! [`Organization`] is kept as a record of its own (a few fields, shared by its services).
//! So an import is one transaction with puts to two stores (`services`, `organizations`),
//! a service is shown and searched without joins, and [`DirectoryIndex`] is built by one
//! pass over the services. HSDS ids (UUID strings) are kept on every part, so the directory
//! can be exported back to HSDS (`io::hsds`) with the same ids. The price: a location or
//! phone shared by two services is stored twice (an edit changes one service's copy).
//!
//! **Categories of need** ([`Category`], a fixed list so the kiosk's buttons work on any
//! data) are worked out by [`categorize`]: first from the taxonomy terms (the AIRS/211
//! code's leading letters, see [`Category::from_code`], then keywords in the term's name),
//! and when no term says anything, from keywords in the service's name, then its
//! description; a service nothing matches is [`Category::Other`]. The keywords are in
//! [`KEYWORDS`] (folded word stems: "hous" matches "housing" and "household"; a few are whole
//! words only, like "bus" and "law"). Terms of the taxonomy `CareCoord` (what the export
//! writes for the categories) are categories themselves.
//!
//! **Hours** are HSDS weekly schedules: days (`byday`: MO,TU,... or weekday names) with
//! `opens_at`/`closes_at` in the service's local time (time zones and `valid_from`/`valid_to`
//! are not used; the HSDS examples carry placeholder dates). A closing time at or before the
//! opening time runs past midnight (Fri 22:00–02:00 is open Saturday 01:00); 00:00–00:00 is
//! the whole day. A service without any schedule with times is [`OpenState::Unknown`], never
//! "closed". [`parse_hours`] reads what the coordinator types ("Mon-Fri 09:00-17:00; Sat
//! 10:00-14:00") and [`format_hours`] writes it back.
//!
//! **Search** ([`DirectoryIndex::search`]): the text is folded (case and accents) and cut
//! into words; every word of every service is in one vocabulary, and each query word is
//! compared with the vocabulary once per query (exact word, prefix, misspelling within one
//! edit for words of 4–7 letters and two for 8 or more, or substring), so the pass over the
//! services is integer look-ups. A match in the name outranks one in the organization,
//! alternate name, categories or terms, which outranks the description, eligibility,
//! languages and address; within a field a whole word beats a prefix, which beats a
//! misspelling, which beats a substring. Services that match the most query words are
//! shown (all words when any service has them all, so "food boston" narrows; "fod pantry"
//! still finds the pantries).
//!
//! Where things are: [`Category`] and [`categorize`] in `category`, the records
//! ([`Service`], [`Organization`], ...) in `service`, schedules and "open now" in `hours`,
//! due reviews in `review`, [`language_name`] and the language table in `languages`, the
//! resource form in `form`, [`DirectoryIndex`] in `search`. Everything is used from here,
//! `model::directory::...`.

mod category;
mod form;
mod hours;
mod languages;
mod review;
mod search;
mod service;

pub use category::{categories_in_text, categorize, category_name, Category, CARECOORD_TAXONOMY, KEYWORDS};
pub use form::{derived_id, ServiceDraft, ServiceField, ServiceFieldError, ValidService};
pub use hours::{format_days, format_hours, parse_byday, parse_day, parse_hours, OpenState, Schedule};
pub use languages::{language_code, language_name, parse_languages};
pub use review::{needs_review, review_list, REVIEW_MONTHS_DEFAULT};
pub use search::{DirectoryIndex, DirectoryQuery};
pub use service::{Address, Location, Organization, Phone, Service, ServiceStatus, TaxonomyTerm};

/// Sorts a short list (a service's days, categories, opening hours) and drops repeats.
/// Insertion sort: these lists hold a handful of items, and one small loop per type keeps
/// the standard sort's code (a few KB per type) out of the kiosk's download.
fn sort_dedup_small<T: Ord>(v: &mut Vec<T>) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && v[j - 1] > v[j] {
            v.swap(j - 1, j);
            j -= 1;
        }
    }
    v.dedup();
}

#[cfg(test)]
mod tests;
