//! Languages a service is offered in: codes and names in English and Spanish, kept as the
//! English name.

use std::collections::HashMap;

use crate::model::text::fold;

// ---------------------------------------------------------------------------------------
// Languages

/// (ISO 639-1, ISO 639-2/3 codes, English name, Spanish name)
const LANGUAGES: &[(&str, &[&str], &str, &str)] = &[
    ("en", &["eng"], "English", "Inglés"),
    ("es", &["spa"], "Spanish", "Español"),
    ("fr", &["fre", "fra"], "French", "Francés"),
    ("pt", &["por"], "Portuguese", "Portugués"),
    ("ht", &["hat"], "Haitian Creole", "Criollo haitiano"),
    ("vi", &["vie"], "Vietnamese", "Vietnamita"),
    ("zh", &["chi", "zho"], "Chinese", "Chino"),
    ("", &["yue"], "Cantonese", "Cantonés"),
    ("", &["cmn"], "Mandarin", "Mandarín"),
    ("ar", &["ara"], "Arabic", "Árabe"),
    ("ru", &["rus"], "Russian", "Ruso"),
    ("ko", &["kor"], "Korean", "Coreano"),
    ("tl", &["tgl", "fil"], "Tagalog", "Tagalo"),
    ("so", &["som"], "Somali", "Somalí"),
    ("ur", &["urd"], "Urdu", "Urdu"),
    ("pl", &["pol"], "Polish", "Polaco"),
    ("sk", &["slk", "slo"], "Slovak", "Eslovaco"),
    ("hi", &["hin"], "Hindi", "Hindi"),
    ("bn", &["ben"], "Bengali", "Bengalí"),
    ("fa", &["per", "fas"], "Persian", "Persa"),
    ("it", &["ita"], "Italian", "Italiano"),
    ("de", &["ger", "deu"], "German", "Alemán"),
    ("ja", &["jpn"], "Japanese", "Japonés"),
    ("km", &["khm"], "Khmer", "Jemer"),
    ("ne", &["nep"], "Nepali", "Nepalí"),
    ("sw", &["swa"], "Swahili", "Suajili"),
    ("uk", &["ukr"], "Ukrainian", "Ucraniano"),
    ("", &["ase", "asl"], "American Sign Language", "Lengua de señas americana"),
];

/// A language as the directory keeps it: its English name for a known code or name in
/// English or Spanish ("es", "spa", "Español" → "Spanish"); anything else as typed.
pub fn language_name(s: &str) -> String {
    let t = s.trim();
    match language_names().get(&fold(t)) {
        Some(en) => en.to_string(),
        None => t.to_string(),
    }
}

/// Every code and name of [`LANGUAGES`], folded, to its English name (the first row that
/// has it wins), built once: a file may name tens of thousands of languages.
fn language_names() -> &'static HashMap<String, &'static str> {
    static NAMES: std::sync::OnceLock<HashMap<String, &'static str>> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        let mut map = HashMap::new();
        for (two, three, en, es) in LANGUAGES {
            let keys = [two.to_string(), fold(en), fold(es)].into_iter().chain(three.iter().map(|c| c.to_string()));
            for key in keys.filter(|k| !k.is_empty()) {
                map.entry(key).or_insert(*en);
            }
        }
        map
    })
}

/// The ISO 639-1 (or 639-3) code of a language name, when known.
pub fn language_code(name: &str) -> Option<&'static str> {
    let f = fold(name.trim());
    LANGUAGES.iter().find(|(_, _, en, _)| fold(en) == f).map(|(two, three, _, _)| if two.is_empty() { three[0] } else { *two })
}

/// Splits "English, Spanish and Vietnamese" / "en; es" into language names (see
/// [`language_name`]), without repeats (case and accents ignored), in the order given.
pub fn parse_languages(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    let replaced = s.replace(" and ", ",").replace(" y ", ",");
    for part in replaced.split([',', ';', '/', '\n']).map(str::trim).filter(|p| !p.is_empty()) {
        let name = language_name(part);
        if seen.insert(fold(&name)) {
            out.push(name);
        }
    }
    out
}

