//! The panel's search index: for every three-byte piece of search text, the patients whose
//! text holds it, so a keystroke reads a few lists instead of comparing every patient's text.
//!
//! A search word matches a patient when it occurs anywhere in the patient's folded text
//! (first and last name, MRN, date of birth) or, written like a phone number, anywhere in
//! the phone's digits (see `SearchKey::matches`). So the index is a trigram index, as
//! FlexSearch's and databases' n-gram indexes are: every three bytes of the folded text
//! (followed by two [`END`] bytes, so that every byte of the text starts a piece), and every
//! three digits of the phone, each with the list of patients (their positions in the panel,
//! ascending) who have it. The pieces are kept sorted, so those that start with one or two
//! bytes are side by side:
//!
//! - a word of one or two bytes: the patients on the lists of every piece that starts with
//!   it, exactly its matches;
//! - of three bytes: that piece's list, exactly its matches;
//! - longer: the patients on the lists of all its pieces, each then checked with
//!   `SearchKey::matches` itself.
//!
//! So the index finds exactly what comparing every patient would. Bytes, not letters: the
//! folded text is UTF-8, and a word that occurs in a text occurs in its bytes.

use super::{SearchKey, Token};
use crate::model::ids::QuickMap;

/// A piece of search text as one number: its kind ([`TEXT`] or [`PHONE`]) above its three
/// bytes.
type Gram = u32;

/// Three bytes of the folded text.
const TEXT: u32 = 1;
/// Three digits of the phone.
const PHONE: u32 = 2;
/// Put after each text, so its last bytes start pieces too. (A word holding this byte is
/// always checked.)
const END: [u8; 2] = [0, 0];

/// A piece of `kind` made of up to three `bytes`; the missing ones are 0, so a piece of one
/// or two bytes is where the three-byte pieces that start with it begin.
fn gram(kind: u32, bytes: &[u8]) -> Gram {
    bytes.iter().take(3).enumerate().fold(kind << 24, |g, (k, &b)| g | u32::from(b) << (16 - 8 * k))
}

/// Every piece of a patient's search key, in text order (a piece may come more than once).
fn grams(key: &SearchKey) -> impl Iterator<Item = Gram> + '_ {
    let text = key.text.bytes().chain(END);
    let (second, third) = (text.clone().skip(1), text.clone().skip(2));
    let text = text.zip(second).zip(third).map(|((a, b), c)| gram(TEXT, &[a, b, c]));
    text.chain(key.phone.as_bytes().windows(3).map(|w| gram(PHONE, w)))
}

/// The patients one search word may match.
pub(super) struct Found {
    /// Positions in the panel, ascending.
    pub slots: Vec<u32>,
    /// True when every position is a match (no check needed).
    pub exact: bool,
}

/// Pieces of text, ascending, each with the patients (positions in the panel, ascending)
/// whose search key holds it.
#[derive(Clone, Debug, Default)]
#[cfg_attr(test, derive(PartialEq))]
pub(super) struct SearchIndex {
    grams: Vec<Gram>,
    lists: Vec<Vec<u32>>,
}

impl SearchIndex {
    /// The index of `keys`, the search keys of the panel's patients in panel order.
    pub fn build(keys: &[SearchKey]) -> SearchIndex {
        let mut lists: QuickMap<Gram, Vec<u32>> = QuickMap::default();
        for (slot, key) in keys.iter().enumerate() {
            let slot = slot as u32;
            for g in grams(key) {
                // Positions come in ascending order: each list stays sorted, and a piece
                // that comes twice in one text is the same position as the one before.
                let list = lists.entry(g).or_default();
                if list.last() != Some(&slot) {
                    list.push(slot);
                }
            }
        }
        let mut pairs: Vec<(Gram, Vec<u32>)> = lists.into_iter().collect();
        pairs.sort_unstable_by_key(|(g, _)| *g);
        let (grams, lists) = pairs.into_iter().unzip();
        SearchIndex { grams, lists }
    }

    /// The patient at `slot` now has `key`.
    pub fn add(&mut self, slot: u32, key: &SearchKey) {
        for g in grams(key) {
            let at = match self.grams.binary_search(&g) {
                Ok(at) => at,
                Err(at) => {
                    self.grams.insert(at, g);
                    self.lists.insert(at, Vec::new());
                    at
                }
            };
            let list = &mut self.lists[at];
            if let Err(i) = list.binary_search(&slot) {
                list.insert(i, slot);
            }
        }
    }

    /// The patient at `slot`, whose key was `key`, is no longer there.
    pub fn remove(&mut self, slot: u32, key: &SearchKey) {
        for g in grams(key) {
            let Ok(at) = self.grams.binary_search(&g) else { continue };
            let list = &mut self.lists[at];
            if let Ok(i) = list.binary_search(&slot) {
                list.remove(i);
            }
            if list.is_empty() {
                self.grams.remove(at);
                self.lists.remove(at);
            }
        }
    }

    /// The patients `token` may match: a superset of its matches, or exactly them.
    pub fn lookup(&self, token: &Token) -> Found {
        let word = token.text.as_bytes();
        let mut exact = !word.contains(&0);
        let text = match word.len() {
            0..=2 => self.starting_with(word),
            3 => self.list(gram(TEXT, word)).to_vec(),
            _ => {
                exact = false;
                self.on_every_list(TEXT, word)
            }
        };
        if token.phone.len() < 3 {
            return Found { slots: text, exact };
        }
        let phone = self.on_every_list(PHONE, token.phone.as_bytes());
        Found { slots: union(&text, &phone), exact: exact && token.phone.len() == 3 }
    }

    fn list(&self, g: Gram) -> &[u32] {
        self.grams.binary_search(&g).map_or(&[][..], |at| &self.lists[at])
    }

    /// The patients on the list of any text piece starting with `prefix` (one or two bytes).
    fn starting_with(&self, prefix: &[u8]) -> Vec<u32> {
        let first = gram(TEXT, prefix);
        let past = first + (1 << (8 * (3 - prefix.len().min(3))));
        let from = self.grams.partition_point(|&g| g < first);
        let to = self.grams.partition_point(|&g| g < past);
        let lists = &self.lists[from..to.max(from)];
        if let [one] = lists {
            return one.clone();
        }
        // Lists are ascending: the largest position is the last of one of them.
        let size = lists.iter().filter_map(|l| l.last()).max().map_or(0, |&m| m as usize + 1);
        let mut seen = vec![false; size];
        for &slot in lists.iter().flatten() {
            seen[slot as usize] = true;
        }
        seen.iter().enumerate().filter(|(_, &on)| on).map(|(slot, _)| slot as u32).collect()
    }

    /// The patients on the list of every three-byte piece of `word` (at least three bytes).
    fn on_every_list(&self, kind: u32, word: &[u8]) -> Vec<u32> {
        let mut lists: Vec<&[u32]> = word.windows(3).map(|w| self.list(gram(kind, w))).collect();
        lists.sort_unstable_by_key(|l| l.len());
        let Some((shortest, rest)) = lists.split_first() else { return Vec::new() };
        let mut slots = shortest.to_vec();
        for l in rest {
            if slots.is_empty() {
                break;
            }
            slots.retain(|s| l.binary_search(s).is_ok());
        }
        slots
    }

    /// How many positions the lists hold in all (for tests and the benchmark).
    #[cfg(any(test, feature = "bench"))]
    pub fn entries(&self) -> usize {
        self.lists.iter().map(Vec::len).sum()
    }
}

/// The positions in `a` or `b` (both ascending), ascending, each once.
fn union(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str, phone: &str) -> SearchKey {
        SearchKey { text: text.into(), phone: phone.into(), sort_name: String::new() }
    }

    /// Every word of one to four letters from `letters`.
    fn words(letters: &[&str]) -> Vec<String> {
        let mut all: Vec<String> = letters.iter().map(|l| l.to_string()).collect();
        let mut last = all.clone();
        for _ in 1..4 {
            last = last.iter().flat_map(|w| letters.iter().map(move |l| format!("{w}{l}"))).collect();
            all.extend(last.iter().cloned());
        }
        all
    }

    #[test]
    fn every_word_finds_its_matches_and_says_when_it_found_only_them() {
        // Texts that end in letters found nowhere else, a text of one letter, an empty one,
        // two- and three-byte letters, repeats; phones short and long.
        let keys = [
            key("ab", "617"),
            key("ba", ""),
            key("c", "6175550101"),
            key("", "55"),
            key("abcab", "0101"),
            key("né ñb", "5550"),
            key("日本 ca", "1"),
            key("aaa", "555"),
            key("zé", "6170"),
        ];
        let mut index = SearchIndex::build(&keys);
        let mut checked = 0;
        let mut check = |index: &SearchIndex, keys: &[SearchKey], live: &[bool]| {
            for w in words(&["a", "b", "c", "é", "ñ", "日", "本", "z"]).into_iter().chain(words(&["5", "6", "1", "0", "-"])) {
                let token = Token::parse(&w).pop().expect("a word");
                let truly: Vec<u32> = (0..keys.len() as u32).filter(|&s| live[s as usize] && keys[s as usize].matches(&token)).collect();
                let found = index.lookup(&token);
                assert!(truly.iter().all(|s| found.slots.binary_search(s).is_ok()), "{w:?}: found {:?}, matches {truly:?}", found.slots);
                if found.exact {
                    assert_eq!(found.slots, truly, "{w:?} said it found exactly its matches");
                }
                checked += 1;
            }
        };
        check(&index, &keys, &[true; 9]);
        // The same after taking patients out and putting one back with another key.
        index.remove(0, &keys[0]);
        index.remove(6, &keys[6]);
        let mut changed = keys.clone();
        changed[6] = key("bé", "617555");
        index.add(6, &changed[6]);
        let mut live = [true; 9];
        live[0] = false;
        check(&index, &changed, &live);
        assert!(checked > 10_000, "{checked} words");
    }

    #[test]
    fn a_word_with_the_end_byte_is_always_checked() {
        let index = SearchIndex::build(&[key("ab", ""), key("a\0b", "")]);
        let found = index.lookup(&Token::parse("\0").remove(0));
        assert!(!found.exact);
        assert!(found.slots.contains(&1));
    }
}
