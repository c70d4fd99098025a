//! Text folding for search: case- and accent-insensitive, so "nunez" finds "Núñez".

use unicode_normalization::UnicodeNormalization;

/// Lower-cases `s` and strips accents (canonical decomposition, combining marks dropped).
/// Letters that do not decompose but are commonly typed without their stroke (ø, ł, đ, ß, æ)
/// are spelled out the way a coordinator would type them on an English keyboard.
pub fn fold(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'ø' | 'Ø' => out.push('o'),
            'ł' | 'Ł' => out.push('l'),
            'đ' | 'Đ' => out.push('d'),
            'ß' => out.push_str("ss"),
            'æ' | 'Æ' => out.push_str("ae"),
            'œ' | 'Œ' => out.push_str("oe"),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

fn is_combining_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// The digits of `s`, in order ("(617) 555-0101" gives "6175550101").
pub fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_and_accents() {
        assert_eq!(fold("Núñez"), "nunez");
        assert_eq!(fold("ÉLODIE Béranger"), "elodie beranger");
        assert_eq!(fold("Nguyễn Thị Ánh"), "nguyen thi anh");
        assert_eq!(fold("Søren Łukasz Straße"), "soren lukasz strasse");
        assert_eq!(fold("Zoë Ødegaard"), "zoe odegaard");
    }

    #[test]
    fn leaves_other_scripts_alone_but_lowercases() {
        assert_eq!(fold("Ольга"), "ольга");
        assert_eq!(fold("李小龍"), "李小龍");
    }

    #[test]
    fn keeps_only_digits() {
        assert_eq!(digits("(617) 555-0101"), "6175550101");
        assert_eq!(digits("no digits"), "");
    }
}
