//! Text folding for search: case- and accent-insensitive, so "nunez" finds "Núñez".

/// Base letters of U+00C0..U+024F (Latin-1 Supplement, Latin Extended-A and -B), one byte
/// per code point, '.' where a character has no accent to strip. Generated from the Unicode
/// canonical decompositions (the first character of each NFD form, lower-cased).
const LATIN_BASE: &str = concat!(
    "aaaaaa.ceeeeiiii.nooooo..uuuuy..aaaaaa.ceeeeiiii.nooooo..uuuuy.y",
    "aaaaaaccccccccdd..eeeeeeeeeegggggggghh..iiiiiiiii...jjkk.llllll.",
    "...nnnnnn...oooooo..rrrrrrsssssssstttt..uuuuuuuuuuuuwwyyyzzzzzz.",
    "................................oo.............uu...............",
    ".............aaiioouuuuuuuuuu.aaaa....ggkkoooo..j...gg..nnaa....",
    "aaaaeeeeiiiioooorrrruuuusstt..hh......aaeeooooooooyy............",
    "................",
);

/// The same for U+1E00..U+1EFF (Latin Extended Additional: Vietnamese and others).
const LATIN_EXTRA_BASE: &str = concat!(
    "aabbbbbbccddddddddddeeeeeeeeeeffgghhhhhhhhhhiiiikkkkkkllllllllmm",
    "mmmmnnnnnnnnoooooooopppprrrrrrrrssssssssssttttttttuuuuuuuuuuvvvv",
    "wwwwwwwwwwxxxxyyzzzzzzhtwy......aaaaaaaaaaaaaaaaaaaaaaaaeeeeeeee",
    "eeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyyyy......",
);

/// Lower-cases `s` and strips accents from Latin letters (including Vietnamese), so
/// "Nguyễn" folds to "nguyen". Letters that do not decompose but are commonly typed without
/// their stroke (ø, ł, đ, ß, æ, œ) are spelled out the way a coordinator would type them on
/// an English keyboard; combining marks already in the text are dropped. Other scripts are
/// only lower-cased. (A compact table instead of full Unicode normalization keeps the
/// download small; see `LATIN_BASE`.)
pub fn fold(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
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
            _ => match base_letter(c) {
                Some(b) => out.push(b),
                None => out.extend(c.to_lowercase()),
            },
        }
    }
    out
}

fn base_letter(c: char) -> Option<char> {
    let cp = c as u32;
    let (table, start) = match cp {
        0xC0..=0x24F => (LATIN_BASE, 0xC0),
        0x1E00..=0x1EFF => (LATIN_EXTRA_BASE, 0x1E00),
        _ => return None,
    };
    match table.as_bytes()[(cp - start) as usize] {
        b'.' => None,
        b => Some(b as char),
    }
}

fn is_combining_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// The digits of `s`, in order ("(617) 555-0101" gives "6175550101").
pub fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// "12,345": numbers as the coordinator reads them.
pub fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "1 patient", "12 patients".
pub fn count_of(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// `part` of `whole` as a whole percent, a half rounded up (1 of 8 is 13); `None` when
/// `whole` is 0.
pub fn percent(part: usize, whole: usize) -> Option<u32> {
    if whole == 0 {
        return None;
    }
    let (part, whole) = (part as u128, whole as u128);
    u32::try_from((200 * part + whole) / (2 * whole)).ok()
}

/// [`percent`] as the coordinator reads it: "13%", or "—" when `whole` is 0.
pub fn percent_text(part: usize, whole: usize) -> String {
    percent(part, whole).map_or_else(|| "—".to_string(), |p| format!("{p}%"))
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
    fn the_tables_cover_latin_letters_and_skip_the_rest() {
        assert_eq!(LATIN_BASE.len(), 0x250 - 0xC0);
        assert_eq!(LATIN_EXTRA_BASE.len(), 0x100);
        assert_eq!(fold("ÀÉÎÕÜÇÑÝ àéîõüçñÿ"), "aeiouçny aeiouçny".replace('ç', "c"));
        assert_eq!(fold("Ştefan Čapek Ğül Ř"), "stefan capek gul r");
        assert_eq!(fold("×÷"), "×÷", "signs in the range are not letters");
        // Already decomposed text: the combining marks are dropped.
        assert_eq!(fold("Nu\u{303}n\u{303}ez"), "nunez");
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

    #[test]
    fn percents_round_halves_up_and_need_a_whole() {
        assert_eq!(percent(0, 0), None);
        assert_eq!(percent(3, 0), None);
        assert_eq!(percent(0, 7), Some(0));
        assert_eq!(percent(7, 7), Some(100));
        assert_eq!(percent(1, 8), Some(13), "12.5 rounds up");
        assert_eq!(percent(1, 3), Some(33));
        assert_eq!(percent(2, 3), Some(67));
        assert_eq!(percent(1, 200), Some(1), "0.5 rounds up");
        assert_eq!(percent(1, 201), Some(0));
        assert_eq!(percent(usize::MAX, usize::MAX), Some(100), "no overflow");
        assert_eq!(percent_text(1, 8), "13%");
        assert_eq!(percent_text(1, 0), "—");
    }
}
