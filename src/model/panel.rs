//! The coordinator's panel in memory: every patient, kept ready for search as you type.
//!
//! The app reads the whole store once at start and answers every search here, so a
//! keystroke never waits for IndexedDB. Each patient carries a pre-folded search text, the
//! panel keeps both sort orders ready, and a search index (`index`: for every three-byte
//! piece of text, who has it) finds the matches without comparing every patient's text.
//! The index is built the first time the panel is searched (or [`Panel::prepare_search`]
//! is called, after the first rows are on screen), so reading the panel at start does not
//! wait for it, and it is kept up to date by every add, replace and remove after that.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::{text, Patient};

mod index;

use index::SearchIndex;

/// An import or another tab's change of more patients than this at once, on a panel
/// already searched, drops the search index (it is built again, whole, at the next search)
/// instead of updating it patient by patient.
const REINDEX_ABOVE: usize = 500;

/// How many patients (the first in name order) a reload reads and draws before the rest of
/// the panel: more than the tallest screen shows.
pub const FIRST_ROWS: usize = 100;

/// The key the panel sorts by name: folded "last first" (the id breaks a tie).
pub fn sort_name(p: &Patient) -> String {
    text::fold(&format!("{}\u{0} {}", p.last_name, p.first_name))
}

/// How the panel list is ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PanelSort {
    /// Last name, then first name (accents ignored).
    #[default]
    Name,
    /// Oldest first.
    DateOfBirth,
}

#[derive(Clone, Debug, PartialEq)]
struct SearchKey {
    /// Folded first and last name, MRN and date of birth (ISO and US forms).
    text: String,
    /// The phone number's digits.
    phone: String,
    /// Folded "last first", for sorting.
    sort_name: String,
}

impl SearchKey {
    fn of(p: &Patient) -> SearchKey {
        let dob = p.date_of_birth;
        SearchKey {
            text: text::fold(&format!(
                "{} {} {} {} {}",
                p.first_name,
                p.last_name,
                p.mrn,
                dob,
                super::dates::us(dob)
            )),
            phone: text::digits(&p.phone),
            sort_name: sort_name(p),
        }
    }

    fn matches(&self, token: &Token) -> bool {
        self.text.contains(&token.text) || (token.phone.len() >= 3 && self.phone.contains(&token.phone))
    }
}

struct Token {
    text: String,
    /// Digits of a token that is written like a phone number ("555-01"), else empty.
    phone: String,
}

impl Token {
    fn parse(query: &str) -> Vec<Token> {
        text::fold(query)
            .split_whitespace()
            .map(|t| Token {
                text: t.to_string(),
                phone: if t.chars().all(|c| c.is_ascii_digit() || "()-.+".contains(c)) {
                    text::digits(t)
                } else {
                    String::new()
                },
            })
            .collect()
    }
}

/// Every patient on the panel, with search and sort.
#[derive(Clone, Debug, Default)]
pub struct Panel {
    patients: Vec<Patient>,
    keys: Vec<SearchKey>,
    by_id: HashMap<String, usize>,
    by_name: Vec<u32>,
    /// Worked out the first time the list is sorted by date of birth.
    by_dob: OnceLock<Vec<u32>>,
    /// Built the first time the panel is searched, then kept up to date.
    index: OnceLock<SearchIndex>,
}

impl PartialEq for Panel {
    fn eq(&self, other: &Self) -> bool {
        self.patients == other.patients
    }
}

impl Panel {
    pub fn new(patients: Vec<Patient>) -> Panel {
        let keys = patients.iter().map(SearchKey::of).collect();
        let by_id = patients.iter().enumerate().map(|(i, p)| (p.id.clone(), i)).collect();
        let mut panel = Panel { patients, keys, by_id, by_name: Vec::new(), by_dob: OnceLock::new(), index: OnceLock::new() };
        panel.reorder();
        panel
    }

    pub fn len(&self) -> usize {
        self.patients.len()
    }

    pub fn is_empty(&self) -> bool {
        self.patients.is_empty()
    }

    pub fn get(&self, id: &str) -> Option<&Patient> {
        self.by_id.get(id).map(|&i| &self.patients[i])
    }

    /// The patient at a position returned by [`Panel::search`].
    pub fn at(&self, index: u32) -> &Patient {
        &self.patients[index as usize]
    }

    pub fn patients(&self) -> &[Patient] {
        &self.patients
    }

    /// The assigned providers named on the panel, each once, sorted.
    pub fn providers(&self) -> Vec<String> {
        let mut list: Vec<String> = self.patients.iter().map(|p| p.assigned_provider.clone()).filter(|s| !s.is_empty()).collect();
        list.sort();
        list.dedup();
        list
    }

    /// Adds the patient, or replaces the one with the same id.
    pub fn upsert(&mut self, patient: Patient) {
        self.put(patient);
        self.reorder();
    }

    /// Adds or replaces many patients at once (an import, another tab's changes), sorting
    /// only once.
    pub fn upsert_all(&mut self, patients: impl IntoIterator<Item = Patient>) {
        let patients: Vec<Patient> = patients.into_iter().collect();
        if patients.len() > REINDEX_ABOVE {
            self.index = OnceLock::new();
        }
        for p in patients {
            self.put(p);
        }
        self.reorder();
    }

    /// Adds or replaces one patient, keeping the lookup and the search index up to date
    /// (not the sort orders: [`Panel::reorder`] after).
    fn put(&mut self, patient: Patient) {
        let key = SearchKey::of(&patient);
        match self.by_id.get(&patient.id) {
            Some(&i) => {
                if let Some(index) = self.index.get_mut() {
                    if self.keys[i] != key {
                        index.remove(i as u32, &self.keys[i]);
                        index.add(i as u32, &key);
                    }
                }
                self.patients[i] = patient;
                self.keys[i] = key;
            }
            None => {
                let i = self.patients.len();
                if let Some(index) = self.index.get_mut() {
                    index.add(i as u32, &key);
                }
                self.by_id.insert(patient.id.clone(), i);
                self.patients.push(patient);
                self.keys.push(key);
            }
        }
    }

    /// Removes the patient with this id, if present.
    pub fn remove(&mut self, id: &str) -> Option<Patient> {
        let i = self.by_id.remove(id)?;
        let last = self.patients.len() - 1;
        if let Some(index) = self.index.get_mut() {
            // The last patient takes the removed one's place.
            index.remove(i as u32, &self.keys[i]);
            if i != last {
                index.remove(last as u32, &self.keys[last]);
                index.add(i as u32, &self.keys[last]);
            }
        }
        let removed = self.patients.swap_remove(i);
        self.keys.swap_remove(i);
        if let Some(moved) = self.patients.get(i) {
            self.by_id.insert(moved.id.clone(), i);
        }
        self.reorder();
        Some(removed)
    }

    /// Another patient (not `except_id`) who already has this MRN.
    pub fn mrn_taken_by(&self, mrn: &str, except_id: Option<&str>) -> Option<&Patient> {
        let mrn = mrn.trim();
        if mrn.is_empty() {
            return None;
        }
        self.patients
            .iter()
            .find(|p| Some(p.id.as_str()) != except_id && p.mrn.eq_ignore_ascii_case(mrn))
    }

    /// A different patient already on the panel who is likely the same person as `p`:
    /// the same MRN, or the same name (case and accents ignored) and date of birth.
    pub fn likely_duplicate(&self, p: &Patient) -> Option<&Patient> {
        if self.by_id.contains_key(&p.id) {
            return None;
        }
        let name = text::fold(&format!("{} {}", p.first_name, p.last_name));
        self.mrn_taken_by(&p.mrn, None).or_else(|| {
            self.patients.iter().find(|q| {
                q.date_of_birth == p.date_of_birth && text::fold(&format!("{} {}", q.first_name, q.last_name)) == name
            })
        })
    }

    /// Positions of the patients matching `query` (every word must match first or last
    /// name, MRN, phone or date of birth; case and accents ignored), in `sort` order.
    ///
    /// Each word's candidates come from the search index; a patient must be a candidate of
    /// every word, and is then checked against the words whose candidates are not all
    /// matches. The chosen order is then walked once to keep it (a flag per patient, no text
    /// compared).
    pub fn search(&self, query: &str, sort: PanelSort) -> Vec<u32> {
        let order = self.order(sort);
        let tokens = Token::parse(query);
        if tokens.is_empty() {
            return order.clone();
        }
        let index = self.index();
        let mut found: Vec<(&Token, index::Found)> = tokens.iter().map(|t| (t, index.lookup(t))).collect();
        // The rarest word first, so the candidates only shrink.
        found.sort_by_key(|(_, f)| f.slots.len());
        let mut slots = Vec::new();
        let mut to_check = Vec::new();
        for (n, (token, f)) in found.iter().enumerate() {
            if n == 0 {
                slots = f.slots.clone();
            } else {
                slots.retain(|s| f.slots.binary_search(s).is_ok());
            }
            if !f.exact {
                to_check.push(*token);
            }
        }
        let mut hit = vec![false; self.patients.len()];
        for s in slots {
            if let (Some(key), Some(h)) = (self.keys.get(s as usize), hit.get_mut(s as usize)) {
                *h = to_check.iter().all(|t| key.matches(t));
            }
        }
        order.iter().copied().filter(|&i| hit[i as usize]).collect()
    }

    /// What [`Panel::search`] finds, by comparing every patient's text in turn: the
    /// reference the index is tested against.
    #[cfg(test)]
    fn search_by_scan(&self, query: &str, sort: PanelSort) -> Vec<u32> {
        let tokens = Token::parse(query);
        self.order(sort)
            .iter()
            .copied()
            .filter(|&i| {
                let key = &self.keys[i as usize];
                tokens.iter().all(|t| key.matches(t))
            })
            .collect()
    }

    /// Builds the search index now, if it is not built yet, so the first keystroke does not
    /// wait for it: called once the first rows are on screen.
    pub fn prepare_search(&self) {
        self.index();
    }

    /// The search index, built now if it is not yet.
    fn index(&self) -> &SearchIndex {
        self.index.get_or_init(|| SearchIndex::build(&self.keys))
    }

    /// How many entries the search index holds (a patient on one gram's list is one),
    /// `None` while it is not built: for tests and the benchmark.
    #[cfg(any(test, feature = "bench"))]
    pub fn search_index_entries(&self) -> Option<usize> {
        self.index.get().map(SearchIndex::entries)
    }

    /// The positions of every patient in `sort` order.
    fn order(&self, sort: PanelSort) -> &Vec<u32> {
        match sort {
            PanelSort::Name => &self.by_name,
            PanelSort::DateOfBirth => self.by_dob.get_or_init(|| {
                let mut by_dob = self.by_name.clone();
                by_dob.sort_by_key(|&i| self.patients[i as usize].date_of_birth);
                by_dob
            }),
        }
    }

    /// The one patient `text` finds with [`Panel::search`], if it finds exactly one (a blank
    /// text finds none): what a patient picker chooses without a pick.
    pub fn only_match(&self, text: &str) -> Option<&Patient> {
        if text.trim().is_empty() {
            return None;
        }
        match self.search(text, PanelSort::Name)[..] {
            [only] => Some(self.at(only)),
            _ => None,
        }
    }

    fn reorder(&mut self) {
        let mut by_name: Vec<u32> = (0..self.patients.len() as u32).collect();
        by_name.sort_by(|&a, &b| {
            let (ka, kb) = (&self.keys[a as usize], &self.keys[b as usize]);
            ka.sort_name.cmp(&kb.sort_name).then_with(|| self.patients[a as usize].id.cmp(&self.patients[b as usize].id))
        });
        self.by_name = by_name;
        self.by_dob = OnceLock::new();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::patient::tests::patient;
    use chrono::Datelike;

    #[test]
    fn providers_are_listed_once_sorted_without_blanks() {
        let mut a = patient("1", "Ana", "Lima", "1970-05-05");
        a.assigned_provider = "Dr. Shah".into();
        let mut b = patient("2", "Tom", "Well", "1990-01-01");
        b.assigned_provider = "Dr. Adams".into();
        let mut c = patient("3", "Liz", "Conn", "1986-11-28");
        c.assigned_provider = "Dr. Shah".into();
        let d = patient("4", "Rosa", "Díaz", "1961-04-02");
        assert_eq!(Panel::new(vec![a, b, c, d]).providers(), vec!["Dr. Adams".to_string(), "Dr. Shah".to_string()]);
    }

    #[test]
    fn upsert_replaces_by_id_and_adds_the_rest() {
        let mut list = vec![patient("1", "Ana", "Lima", "1970-05-05"), patient("2", "Tom", "Well", "1990-01-01")];
        crate::model::upsert_by_id(&mut list, [patient("2", "Thomas", "Well", "1990-01-01"), patient("3", "Liz", "Conn", "1986-11-28")]);
        let names: Vec<String> = list.iter().map(|p| p.full_name()).collect();
        assert_eq!(names, vec!["Ana Lima", "Thomas Well", "Liz Conn"]);
    }

    #[test]
    fn the_snapshot_first_part_is_the_panel_first_rows() {
        use crate::model::Listed;
        // Names that fold alike, repeat, and differ only by accent or case.
        let (firsts, lasts) = (["Ana", "ana", "Ána", "Luis", "Zoë", "Zoe", "Bo"], ["Núñez", "Nunez", "NUNEZ", "Lee", "de la Cruz", "Ó", "Lee"]);
        let mut all: Vec<Patient> = (0..350)
            .map(|i| patient(&format!("id-{:03}", (i * 37) % 350), firsts[i % 7], lasts[(i / 7) % 7], "1970-05-05"))
            .collect();
        let whole = Panel::new(all.clone());
        Patient::sort_list(&mut all);
        let first = Panel::new(all[..FIRST_ROWS].to_vec());
        let ids = |p: &Panel, hits: Vec<u32>| hits.iter().map(|&i| p.at(i).id.clone()).collect::<Vec<_>>();
        let whole_ids = ids(&whole, whole.search("", PanelSort::Name));
        assert_eq!(ids(&first, first.search("", PanelSort::Name)), whole_ids[..FIRST_ROWS]);
        assert_eq!(all.iter().map(|p| p.id.clone()).collect::<Vec<_>>(), whole_ids, "the snapshot is in the panel's name order");
    }

    fn sample() -> Panel {
        let mut a = patient("a", "María", "Núñez", "1990-02-28");
        a.mrn = "MRN-0042".into();
        a.phone = "(617) 555-0101".into();
        let b = patient("b", "Nguyễn", "Ánh", "1962-03-14");
        let c = patient("c", "Olga", "Nunes", "2001-12-01");
        Panel::new(vec![a, b, c])
    }

    fn names(panel: &Panel, hits: &[u32]) -> Vec<String> {
        hits.iter().map(|&i| panel.at(i).first_name.clone()).collect()
    }

    #[test]
    fn search_ignores_case_and_accents() {
        let p = sample();
        assert_eq!(names(&p, &p.search("nunez", PanelSort::Name)), ["María"]);
        assert_eq!(names(&p, &p.search("NÚÑEZ", PanelSort::Name)), ["María"]);
        assert_eq!(names(&p, &p.search("nguyen", PanelSort::Name)), ["Nguyễn"]);
        assert_eq!(names(&p, &p.search("nun", PanelSort::Name)), ["Olga", "María"]);
    }

    #[test]
    fn every_word_must_match() {
        let p = sample();
        assert_eq!(names(&p, &p.search("maria nunez", PanelSort::Name)), ["María"]);
        assert!(p.search("maria nunes", PanelSort::Name).is_empty());
    }

    #[test]
    fn search_covers_mrn_phone_and_date_of_birth() {
        let p = sample();
        assert_eq!(names(&p, &p.search("mrn-0042", PanelSort::Name)), ["María"]);
        assert_eq!(names(&p, &p.search("555-0101", PanelSort::Name)), ["María"]);
        assert_eq!(names(&p, &p.search("6175550101", PanelSort::Name)), ["María"]);
        assert_eq!(names(&p, &p.search("1962-03-14", PanelSort::Name)), ["Nguyễn"]);
        assert_eq!(names(&p, &p.search("03/14/1962", PanelSort::Name)), ["Nguyễn"]);
        assert_eq!(names(&p, &p.search("2001", PanelSort::Name)), ["Olga"]);
    }

    #[test]
    fn sorts_by_name_or_date_of_birth() {
        let p = sample();
        assert_eq!(names(&p, &p.search("", PanelSort::Name)), ["Nguyễn", "Olga", "María"]);
        assert_eq!(names(&p, &p.search("  ", PanelSort::DateOfBirth)), ["Nguyễn", "María", "Olga"]);
    }

    #[test]
    fn upsert_and_remove_keep_lookup_and_order_right() {
        let mut p = sample();
        let mut a = p.get("a").unwrap().clone();
        a.last_name = "Aaron".into();
        p.upsert(a);
        assert_eq!(p.len(), 3);
        assert_eq!(names(&p, &p.search("", PanelSort::Name))[0], "María");
        assert!(p.search("nunez", PanelSort::Name).is_empty());

        assert_eq!(p.remove("a").unwrap().first_name, "María");
        assert_eq!(p.len(), 2);
        assert!(p.get("a").is_none());
        assert_eq!(p.get("c").unwrap().first_name, "Olga");
        assert_eq!(p.get("b").unwrap().first_name, "Nguyễn");
        assert!(p.remove("a").is_none());

        p.upsert_all(vec![patient("d", "Dee", "Zed", "1950-01-01"), patient("b", "Bea", "Ánh", "1962-03-14")]);
        assert_eq!(p.len(), 3);
        assert_eq!(names(&p, &p.search("", PanelSort::Name)), ["Bea", "Olga", "Dee"]);
    }

    #[test]
    fn likely_duplicates_by_mrn_or_name_and_birth_date() {
        let p = sample();
        let same_person = patient("new1", "MARIA", "Nunez", "1990-02-28");
        assert_eq!(p.likely_duplicate(&same_person).unwrap().id, "a");
        let mut by_mrn = patient("new2", "Someone", "Else", "1950-01-01");
        by_mrn.mrn = "mrn-0042".into();
        assert_eq!(p.likely_duplicate(&by_mrn).unwrap().id, "a");
        assert!(p.likely_duplicate(&patient("new3", "Maria", "Nunez", "1990-03-01")).is_none());
        assert!(p.likely_duplicate(p.get("a").unwrap()).is_none(), "the same record is an update, not a duplicate");
    }

    #[test]
    fn mrn_must_be_unique_ignoring_case() {
        let p = sample();
        assert_eq!(p.mrn_taken_by("mrn-0042", None).unwrap().id, "a");
        assert!(p.mrn_taken_by("MRN-0042", Some("a")).is_none());
        assert!(p.mrn_taken_by("", None).is_none());
    }

    #[test]
    fn only_match_needs_exactly_one_patient() {
        let p = sample();
        assert_eq!(p.only_match("nunez").map(|x| x.id.as_str()), Some("a"));
        assert_eq!(p.only_match("  MRN-0042 ").map(|x| x.id.as_str()), Some("a"));
        assert_eq!(p.only_match("03/14/1962").map(|x| x.id.as_str()), Some("b"));
        assert!(p.only_match("nun").is_none(), "two patients match");
        assert!(p.only_match("zzz").is_none(), "none matches");
        assert!(p.only_match("").is_none() && p.only_match("   ").is_none(), "a blank text chooses no one");
        assert!(Panel::new(vec![patient("x", "Solo", "One", "1980-01-01")]).only_match(" ").is_none(), "not even on a panel of one");
    }

    /// A seeded synthetic panel of `n` (names from twelve languages, 617 phone numbers).
    fn synthetic(n: usize, seed: u64) -> Vec<Patient> {
        crate::io::synth::patients(n, seed, crate::model::patient::tests::at(2026, 11, 1))
    }

    /// The first `n` characters of `s` from character `from` (whole characters, so accents
    /// stay as typed).
    fn piece(s: &str, from: usize, n: usize) -> String {
        s.chars().skip(from).take(n).collect()
    }

    /// What coordinators type: every letter and digit, every two letters, pieces of 1, 2, 3
    /// and 6 letters of names as written (accents, capitals) and folded, MRNs whole and in
    /// pieces, phone numbers as written, in pieces and as bare digits, dates of birth in both
    /// forms, two and three words, and words nobody has.
    fn queries(panel: &Panel, every: usize) -> Vec<String> {
        let mut qs: Vec<String> = Vec::new();
        qs.extend(('a'..='z').chain('0'..='9').map(String::from));
        for a in 'a'..='z' {
            qs.extend(('a'..='z').map(|b| format!("{a}{b}")));
        }
        for p in panel.patients().iter().step_by(every) {
            for name in [&p.first_name, &p.last_name] {
                for n in [1, 2, 3, 6] {
                    for from in [0, 1, 2] {
                        let q = piece(name, from, n);
                        qs.push(q.to_uppercase());
                        qs.push(text::fold(&q));
                        qs.push(q);
                    }
                }
            }
            let dob = p.date_of_birth;
            let (iso, us) = (dob.to_string(), crate::model::dates::us(dob));
            let digits = text::digits(&p.phone);
            qs.extend([
                p.mrn.clone(),
                p.mrn.to_lowercase(),
                piece(&p.mrn, 3, 5),
                piece(&p.mrn, 6, 4),
                p.phone.clone(),
                piece(&p.phone, 0, 5),
                piece(&p.phone, 4, 6),
                format!("({}) {}", piece(&digits, 0, 3), piece(&digits, 3, 3)),
                digits.clone(),
                piece(&digits, 2, 3),
                piece(&digits, 5, 4),
                piece(&digits, 3, 7),
                iso.clone(),
                piece(&iso, 0, 7),
                piece(&iso, 5, 5),
                us.clone(),
                piece(&us, 0, 5),
                piece(&us, 3, 7),
                format!("{} {}", p.first_name, p.last_name),
                format!("{} {}", piece(&p.last_name, 0, 3), piece(&p.first_name, 1, 2)),
                format!("{} {}", p.last_name, dob.year()),
                format!("  {}   {} {} ", piece(&p.first_name, 0, 2), piece(&digits, 0, 3), piece(&p.mrn, 7, 3)),
                format!("{} {}", p.first_name, piece(&p.phone, 8, 4)),
            ]);
        }
        qs.extend(
            ["", "   ", "zzz", "qxj", "ñññ", "ß", "ss", "日本", "Œ", "oe", "++", "()", "-", "--", "555-", "5-5-5", "617-", "61", "(617)", "1.9", "/19", "mrn", "MRN1", "nguyen van", "maria nunez", "a e i o u", "0 1 2"]
                .map(String::from),
        );
        qs
    }

    fn agree(panel: &Panel, queries: &[String], sorts: &[PanelSort]) -> usize {
        let mut matched = 0;
        for q in queries {
            for &sort in sorts {
                let (indexed, scanned) = (panel.search(q, sort), panel.search_by_scan(q, sort));
                assert_eq!(indexed, scanned, "{q:?} sorted by {sort:?}");
                matched += usize::from(!scanned.is_empty());
            }
        }
        matched
    }

    #[test]
    fn the_index_finds_what_the_scan_finds() {
        let panel = Panel::new(synthetic(1_000, 42));
        let queries = queries(&panel, 19);
        assert!(queries.len() > 3_000, "{} queries", queries.len());
        let matched = agree(&panel, &queries, &[PanelSort::Name]);
        // Most find someone and some do not: both the hits and the misses were compared.
        assert!(matched > queries.len() / 2 && matched < queries.len(), "{matched} of {} queries found someone", queries.len());
        assert!(panel.search_index_entries().is_some(), "the search used the index");
        agree(&panel, &queries[600..1_200], &[PanelSort::DateOfBirth]);
    }

    #[test]
    fn the_index_follows_edits_adds_and_deletes() {
        let mut panel = Panel::new(synthetic(400, 5));
        panel.prepare_search();
        let queries = queries(&panel, 37);
        let others = synthetic(40, 6);
        let check = |panel: &Panel, step: &str| {
            agree(panel, &queries, &[PanelSort::Name]);
            assert!(panel.index.get() == Some(&SearchIndex::build(&panel.keys)), "after {step}, the index is what a new one would be");
        };

        // Edits of everything searched, each to another patient's value, one at a time.
        for (k, from) in others.iter().enumerate().take(25) {
            let mut p = panel.patients()[k * 13].clone();
            match k % 5 {
                0 => p.first_name = from.first_name.clone(),
                1 => p.last_name = from.last_name.clone(),
                2 => p.phone = from.phone.clone(),
                3 => p.mrn = format!("X{}", from.mrn),
                _ => p.date_of_birth = from.date_of_birth,
            }
            panel.upsert(p);
        }
        check(&panel, "edits");
        // An edit that changes nothing searched.
        let mut p = panel.patients()[7].clone();
        p.notes = "Prefers afternoon calls.".into();
        panel.upsert(p);
        check(&panel, "an edit of the notes");

        // New patients, one and then several at once (another tab's changes, an import).
        panel.upsert(others[30].clone());
        panel.upsert_all(others[31..].iter().cloned());
        check(&panel, "adds");

        // Deletes: the last patient, the first, some in the middle, one not there.
        let last = panel.patients().last().map(|p| p.id.clone()).unwrap_or_default();
        let first = panel.patients()[0].id.clone();
        assert!(panel.remove(&last).is_some() && panel.remove(&first).is_some());
        for k in [5, 50, 150, 300] {
            let id = panel.patients()[k].id.clone();
            assert!(panel.remove(&id).is_some());
        }
        assert!(panel.remove("not-on-the-panel").is_none());
        check(&panel, "deletes");

        // A batch that both replaces and adds, with a patient given twice.
        let mut batch: Vec<Patient> = panel.patients()[100..110].to_vec();
        for p in &mut batch {
            p.first_name = format!("{}é", p.first_name);
        }
        batch.push(others[0].clone());
        batch.push(others[0].clone());
        panel.upsert_all(batch);
        check(&panel, "a mixed batch");

        // A batch too large to follow patient by patient: the index is built again when searched.
        let many = synthetic(REINDEX_ABOVE + 1, 8);
        panel.upsert_all(many);
        assert!(panel.search_index_entries().is_none(), "a large batch drops the index");
        check(&panel, "a large batch");

        // Everyone deleted.
        for id in panel.patients().iter().map(|p| p.id.clone()).collect::<Vec<_>>() {
            panel.remove(&id);
        }
        assert!(panel.is_empty());
        assert!(panel.search("a", PanelSort::Name).is_empty());
        check(&panel, "deleting everyone");
    }

    #[test]
    fn changes_before_the_first_search_are_indexed_when_it_is_built() {
        let mut panel = Panel::new(synthetic(50, 9));
        let mut p = panel.patients()[3].clone();
        p.last_name = "Zyxwvuts".into();
        panel.upsert(p);
        let gone = panel.patients()[10].id.clone();
        panel.remove(&gone);
        assert!(panel.search_index_entries().is_none(), "not built until searched");
        assert_eq!(panel.search("zyxw", PanelSort::Name).len(), 1);
        assert_eq!(panel.search_by_scan("zyxw", PanelSort::Name).len(), 1);
        assert!(panel.index.get() == Some(&SearchIndex::build(&panel.keys)));
    }
}

#[cfg(test)]
mod timing {
    use super::*;

    /// The panel, its search index and a few searches at 10,000 patients, against the scan:
    /// `cargo test --release --lib panel::timing -- --ignored --nocapture`
    #[test]
    #[ignore]
    fn build_and_search_at_10000() {
        let patients = crate::io::synth::patients(10_000, 42, crate::model::patient::tests::at(2026, 11, 1));
        let t = std::time::Instant::now();
        let panel = Panel::new(patients);
        println!("panel {:?}", t.elapsed());
        let t = std::time::Instant::now();
        panel.prepare_search();
        println!("index {:?} entries {:?}", t.elapsed(), panel.search_index_entries());
        for q in ["a", "ngu", "garcia", "617-45", "mrn1000042", "03/14/19"] {
            let t = std::time::Instant::now();
            let n = panel.search(q, PanelSort::Name).len();
            let a = t.elapsed();
            let t = std::time::Instant::now();
            let m = panel.search_by_scan(q, PanelSort::Name).len();
            println!("{q}: {n} index {a:?}, scan {m} {:?}", t.elapsed());
        }
    }
}
