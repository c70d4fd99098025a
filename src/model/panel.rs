//! The coordinator's panel in memory: every patient, kept ready for search as you type.
//!
//! The app reads the whole store once at start and answers every search here, so a
//! keystroke never waits for IndexedDB. Each patient carries a pre-folded search text and
//! the panel keeps both sort orders ready, so a search is one pass over the chosen order.

use std::collections::HashMap;

use super::{text, Patient};

/// How the panel list is ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PanelSort {
    /// Last name, then first name (accents ignored).
    #[default]
    Name,
    /// Oldest first.
    DateOfBirth,
}

#[derive(Clone, Debug)]
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
            sort_name: text::fold(&format!("{}\u{0} {}", p.last_name, p.first_name)),
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
    by_dob: std::sync::OnceLock<Vec<u32>>,
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
        let mut panel = Panel { patients, keys, by_id, by_name: Vec::new(), by_dob: std::sync::OnceLock::new() };
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
        let key = SearchKey::of(&patient);
        match self.by_id.get(&patient.id) {
            Some(&i) => {
                self.patients[i] = patient;
                self.keys[i] = key;
            }
            None => {
                self.by_id.insert(patient.id.clone(), self.patients.len());
                self.patients.push(patient);
                self.keys.push(key);
            }
        }
        self.reorder();
    }

    /// Adds or replaces many patients at once (an import), sorting only once.
    pub fn upsert_all(&mut self, patients: impl IntoIterator<Item = Patient>) {
        let mut all = std::mem::take(&mut self.patients);
        let mut index = std::mem::take(&mut self.by_id);
        for p in patients {
            match index.get(&p.id) {
                Some(&i) => all[i] = p,
                None => {
                    index.insert(p.id.clone(), all.len());
                    all.push(p);
                }
            }
        }
        *self = Panel::new(all);
    }

    /// Removes the patient with this id, if present.
    pub fn remove(&mut self, id: &str) -> Option<Patient> {
        let i = self.by_id.remove(id)?;
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
    pub fn search(&self, query: &str, sort: PanelSort) -> Vec<u32> {
        let order = match sort {
            PanelSort::Name => &self.by_name,
            PanelSort::DateOfBirth => self.by_dob.get_or_init(|| {
                let mut by_dob = self.by_name.clone();
                by_dob.sort_by_key(|&i| self.patients[i as usize].date_of_birth);
                by_dob
            }),
        };
        let tokens = Token::parse(query);
        if tokens.is_empty() {
            return order.clone();
        }
        order
            .iter()
            .copied()
            .filter(|&i| {
                let key = &self.keys[i as usize];
                tokens.iter().all(|t| key.matches(t))
            })
            .collect()
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
        self.by_dob = std::sync::OnceLock::new();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::patient::tests::patient;

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
}
