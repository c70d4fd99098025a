//! Searching the directory: [`DirectoryIndex`], built once from the services, answers a
//! [`DirectoryQuery`] (see the directory's module documentation for the ranking).

use std::collections::HashMap;

use chrono::NaiveDateTime;

use super::hours::open_state_of;
use super::{category_name, language_name, Category, OpenState, Schedule, Service, ServiceStatus};
use crate::model::i18n::Lang;
use crate::model::text::fold;

// ---------------------------------------------------------------------------------------
// Search

/// What the coordinator or kiosk user is looking for. `Default` is "everything listed".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DirectoryQuery {
    pub text: String,
    pub category: Option<Category>,
    /// A language name or code ("Spanish", "es", "Español").
    pub language: Option<String>,
    pub city: Option<String>,
    /// Only services open at `now` (those with unknown hours are left out).
    pub open_now: bool,
    /// Only services that take a person of this age.
    pub age: Option<u32>,
    /// Also inactive and defunct services (the kiosk leaves this false).
    pub include_inactive: bool,
}

struct Entry {
    name_words: Vec<u32>,
    strong_words: Vec<u32>,
    weak_words: Vec<u32>,
    folded_name: String,
    categories: u16,
    languages: Vec<String>,
    cities: Vec<String>,
    minimum_age: Option<u32>,
    maximum_age: Option<u32>,
    status: ServiceStatus,
    intervals: Vec<(u16, u16)>,
}

/// The directory prepared for searching: built once from the services (rebuild after a
/// change); results are indexes into the same slice.
pub struct DirectoryIndex {
    vocabulary: Vec<String>,
    entries: Vec<Entry>,
    cities: Vec<String>,
    languages: Vec<String>,
}

pub(super) fn words_of(folded: &str) -> impl Iterator<Item = &str> {
    folded.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty())
}

const NAME_WEIGHT: u32 = 10;
const STRONG_WEIGHT: u32 = 6;
const WEAK_WEIGHT: u32 = 2;
/// Match kinds, best last.
const SUBSTRING: u8 = 1;
const FUZZY: u8 = 2;
const PREFIX: u8 = 3;
const WHOLE: u8 = 4;

/// Levenshtein distance, or `None` when above `max`.
fn within_distance(a: &[u8], b: &[u8], max: usize) -> bool {
    if a.len().abs_diff(b.len()) > max {
        return false;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            row_min = row_min.min(cur[j]);
        }
        if row_min > max {
            return false;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()] <= max
}

impl DirectoryIndex {
    pub fn new(services: &[Service]) -> DirectoryIndex {
        let mut vocab: HashMap<String, u32> = HashMap::new();
        let mut vocabulary: Vec<String> = Vec::new();
        let mut ids = |texts: &[&str]| -> Vec<u32> {
            let mut out = Vec::new();
            for t in texts {
                let f = fold(t);
                for w in words_of(&f) {
                    let id = match vocab.get(w) {
                        Some(&id) => id,
                        None => {
                            let id = vocabulary.len() as u32;
                            vocab.insert(w.to_string(), id);
                            vocabulary.push(w.to_string());
                            id
                        }
                    };
                    out.push(id);
                }
            }
            out.sort_unstable();
            out.dedup();
            out
        };
        let mut all_cities: Vec<String> = Vec::new();
        let mut all_languages: Vec<String> = Vec::new();
        let entries = services
            .iter()
            .map(|s| {
                let name_words = ids(&[&s.name]);
                let mut strong: Vec<&str> = vec![&s.organization_name, &s.alternate_name];
                let cat_labels: Vec<&str> = s
                    .categories
                    .iter()
                    .flat_map(|c| Lang::ALL.map(|l| category_name(l, *c)))
                    .collect();
                strong.extend(cat_labels.iter().copied());
                strong.extend(s.taxonomy_terms.iter().map(|t| t.name.as_str()));
                let strong_words: Vec<u32> = ids(&strong).into_iter().filter(|w| name_words.binary_search(w).is_err()).collect();
                let mut weak: Vec<&str> = vec![&s.description, &s.eligibility];
                weak.extend(s.languages.iter().map(String::as_str));
                for l in &s.locations {
                    weak.extend([l.name.as_str(), &l.address.address_1, &l.address.city, &l.address.postal_code]);
                }
                let weak_words: Vec<u32> = ids(&weak)
                    .into_iter()
                    .filter(|w| name_words.binary_search(w).is_err() && strong_words.binary_search(w).is_err())
                    .collect();
                for c in s.cities() {
                    if !all_cities.iter().any(|x| fold(x) == fold(c)) {
                        all_cities.push(c.to_string());
                    }
                }
                for l in &s.languages {
                    if !all_languages.iter().any(|x| fold(x) == fold(l)) {
                        all_languages.push(l.clone());
                    }
                }
                Entry {
                    name_words,
                    strong_words,
                    weak_words,
                    folded_name: fold(s.name.trim()),
                    categories: s.categories.iter().fold(0, |m, c| m | c.bit()),
                    languages: s.languages.iter().map(|l| fold(&language_name(l))).collect(),
                    cities: s.cities().map(fold).collect(),
                    minimum_age: s.minimum_age,
                    maximum_age: s.maximum_age,
                    status: s.status,
                    intervals: s.schedules.iter().flat_map(Schedule::week_intervals).collect(),
                }
            })
            .collect();
        let sort_folded = |v: &mut Vec<String>| v.sort_by_cached_key(|c| fold(c));
        sort_folded(&mut all_cities);
        sort_folded(&mut all_languages);
        DirectoryIndex { vocabulary, entries, cities: all_cities, languages: all_languages }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The cities of all services, sorted (for a city filter).
    pub fn cities(&self) -> &[String] {
        &self.cities
    }

    /// The languages of all services, sorted (for a language filter).
    pub fn languages(&self) -> &[String] {
        &self.languages
    }

    /// How many distinct words are indexed.
    pub fn vocabulary_len(&self) -> usize {
        self.vocabulary.len()
    }

    /// The services that match, best first (indexes into the slice the index was built
    /// from). Without text: every service that passes the filters, by name. `now` is the
    /// local time for "open now".
    pub fn search(&self, query: &DirectoryQuery, now: NaiveDateTime) -> Vec<usize> {
        let folded_query = fold(query.text.trim());
        let mut tokens: Vec<&str> = words_of(&folded_query).collect();
        tokens.dedup();
        // Per query word, how it matches each vocabulary word (0 = not at all).
        let kinds: Vec<Vec<u8>> = tokens.iter().map(|t| self.match_kinds(t)).collect();
        let language = query.language.as_deref().map(|l| fold(&language_name(l))).filter(|l| !l.is_empty());
        let city = query.city.as_deref().map(|c| fold(c.trim())).filter(|c| !c.is_empty());
        let mut hits: Vec<(usize, u32, usize)> = Vec::new(); // (index, score, words matched)
        let mut best_matched = 0;
        for (i, e) in self.entries.iter().enumerate() {
            if !query.include_inactive && !e.status.is_listed() {
                continue;
            }
            if query.category.is_some_and(|c| e.categories & c.bit() == 0) {
                continue;
            }
            if language.as_ref().is_some_and(|l| !e.languages.contains(l)) {
                continue;
            }
            if city.as_ref().is_some_and(|c| !e.cities.contains(c)) {
                continue;
            }
            if let Some(age) = query.age {
                if e.minimum_age.is_some_and(|m| age < m) || e.maximum_age.is_some_and(|m| age > m) {
                    continue;
                }
            }
            if query.open_now && open_state_of(e.status, &e.intervals, now) != OpenState::Open {
                continue;
            }
            let (mut score, mut matched) = (0u32, 0usize);
            for k in &kinds {
                let best = |words: &[u32], weight: u32| words.iter().map(|&w| k[w as usize] as u32).max().unwrap_or(0) * weight;
                let s = best(&e.name_words, NAME_WEIGHT).max(best(&e.strong_words, STRONG_WEIGHT)).max(best(&e.weak_words, WEAK_WEIGHT));
                if s > 0 {
                    matched += 1;
                    score += s;
                }
            }
            if !tokens.is_empty() && matched == 0 {
                continue;
            }
            if !folded_query.is_empty() && e.folded_name.starts_with(&folded_query) {
                score += NAME_WEIGHT;
            }
            best_matched = best_matched.max(matched);
            hits.push((i, score, matched));
        }
        hits.retain(|h| h.2 == best_matched);
        hits.sort_by(|a, b| {
            b.1.cmp(&a.1).then_with(|| self.entries[a.0].folded_name.cmp(&self.entries[b.0].folded_name)).then(a.0.cmp(&b.0))
        });
        hits.into_iter().map(|h| h.0).collect()
    }

    fn match_kinds(&self, token: &str) -> Vec<u8> {
        let t = token.as_bytes();
        let tlen = token.chars().count();
        let max_edits = if tlen >= 8 { 2 } else if tlen >= 4 { 1 } else { 0 };
        self.vocabulary
            .iter()
            .map(|w| {
                if w == token {
                    WHOLE
                } else if w.starts_with(token) {
                    PREFIX
                } else if max_edits > 0 && within_distance(t, w.as_bytes(), max_edits) {
                    FUZZY
                } else if tlen >= 3 && w.contains(token) {
                    SUBSTRING
                } else {
                    0
                }
            })
            .collect()
    }
}

