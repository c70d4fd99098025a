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
/// left as written, but for Greek, Cyrillic and Armenian, which are lower-cased. (Compact
/// tables instead of full Unicode normalization and case mapping keep the download small;
/// see `LATIN_BASE`.)
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
                None => out.push(lower_other(c)),
            },
        }
    }
    out
}

/// The small letter of a capital in the Latin (ASCII, Latin-1, Latin Extended-A), Greek,
/// Cyrillic or Armenian alphabets (each a fixed distance from its capital); any other
/// character as it is.
fn lower_other(c: char) -> char {
    let cp = c as u32;
    let lower = match cp {
        0x41..=0x5A | 0xC0..=0xD6 | 0xD8..=0xDE => cp + 0x20,
        0x178 => 0xFF,
        0x100..=0x12F | 0x132..=0x137 | 0x14A..=0x177 if cp % 2 == 0 => cp + 1,
        0x139..=0x148 | 0x179..=0x17E if cp % 2 == 1 => cp + 1,
        0x391..=0x3A1 | 0x3A3..=0x3AB | 0x410..=0x42F => cp + 0x20,
        0x400..=0x40F => cp + 0x50,
        0x531..=0x556 => cp + 0x30,
        // Cyrillic letters beyond the basic alphabet come in capital-small pairs.
        0x460..=0x481 | 0x48A..=0x4BF | 0x4D0..=0x52F if cp % 2 == 0 => cp + 1,
        _ => cp,
    };
    char::from_u32(lower).unwrap_or(c)
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

/// A decimal number as files write it ("42.36", "-71.0589", "+5", ".5", "7.", "1.5e3"), or
/// `None` for anything else: words, "inf", "NaN", thousands separators, a number too large
/// for `f64`. Exact (the nearest `f64`) for up to 15 significant digits and exponents within
/// 22, which covers every coordinate, age and lab value a file carries; longer numbers go
/// through `serde_json`'s reader, within one unit in the last place. Written here because the
/// standard library's reader brings 20 KB of tables into the kiosk's download.
pub fn parse_number(s: &str) -> Option<f64> {
    const EXACT: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
        1e21, 1e22,
    ];
    let b = s.as_bytes();
    let (negative, mut i) = match b.first() {
        Some(b'-') => (true, 1),
        Some(b'+') => (false, 1),
        _ => (false, 0),
    };
    // The significant digits (at most 19, which fit a u64), and the power of ten they are
    // multiplied by.
    let (mut mantissa, mut kept, mut exponent, mut any, mut inexact) = (0u64, 0u32, 0i64, false, false);
    let mut fraction = false;
    while let Some(&c) = b.get(i) {
        match c {
            b'0'..=b'9' => {
                any = true;
                let d = u64::from(c - b'0');
                if mantissa == 0 && d == 0 {
                    exponent -= i64::from(fraction);
                } else if kept < 19 {
                    mantissa = mantissa * 10 + d;
                    kept += 1;
                    exponent -= i64::from(fraction);
                } else {
                    exponent += i64::from(!fraction);
                    inexact |= d != 0;
                }
            }
            b'.' if !fraction => fraction = true,
            _ => break,
        }
        i += 1;
    }
    if !any {
        return None;
    }
    if let Some(b'e' | b'E') = b.get(i) {
        i += 1;
        let sign = match b.get(i) {
            Some(b'-') => {
                i += 1;
                -1
            }
            Some(b'+') => {
                i += 1;
                1
            }
            _ => 1,
        };
        let start = i;
        let mut e = 0i64;
        while let Some(c @ b'0'..=b'9') = b.get(i) {
            e = (e * 10 + i64::from(c - b'0')).min(1_000_000);
            i += 1;
        }
        if i == start {
            return None;
        }
        exponent += sign * e;
    }
    if i != b.len() {
        return None;
    }
    let value = if mantissa == 0 {
        0.0
    } else if kept <= 15 && !inexact && exponent.unsigned_abs() <= 22 {
        // Both factors are exact, so the one rounding gives the nearest f64 (Clinger).
        let power = EXACT[exponent.unsigned_abs() as usize];
        if exponent >= 0 { mantissa as f64 * power } else { mantissa as f64 / power }
    } else {
        serde_json::from_str::<f64>(&format!("{mantissa}e{exponent}")).ok()?
    };
    let value = if negative { -value } else { value };
    value.is_finite().then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_the_standard_reader_reads_them() {
        for t in [
            "0", "-0", "42.36", "-71.0589", "+5", ".5", "7.", "1.5e3", "2E-3", "0.000123", "007", "150", "6.3", "99.9",
            "123456789012345", "1234567890123456789", "12345678901234567890123", "0.1", "0.30000000000000004",
            "42.360081999999996", "1e22", "1e23", "1e-22", "1e-300", "4.9e-324", "1.7976931348623157e308", "3.14159265358979323846",
        ] {
            let want: f64 = t.parse().unwrap();
            let got = parse_number(t).unwrap_or_else(|| panic!("{t} not read"));
            let ulps = (want.to_bits() as i64 - got.to_bits() as i64).abs();
            let exact = t.trim_start_matches(['+', '-']).replace('.', "").trim_start_matches('0').len() <= 15 && !t.contains(['e', 'E']);
            assert!(ulps <= if exact { 0 } else { 1 }, "{t}: {got} against {want}");
        }
    }

    #[test]
    fn short_decimals_are_exact() {
        // Coordinates, ages and lab values: up to 15 significant digits, any decimal point.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..20_000 {
            let digits = 1 + (next() % 15) as usize;
            let n = next() % 10u64.pow(digits as u32);
            let text = format!("{n:0digits$}");
            let point = (next() % (digits as u64 + 1)) as usize;
            let t = format!("{}{}.{}", if next() % 2 == 0 { "-" } else { "" }, &text[..point], &text[point..]);
            let want: f64 = t.parse().unwrap();
            assert_eq!(parse_number(&t).map(f64::to_bits), Some(want.to_bits()), "{t}");
        }
    }

    #[test]
    fn what_is_not_a_number_is_refused() {
        for t in ["", "-", "+", ".", "-.", "e5", "1e", "1e+", "1.2.3", "1,5", "12 345", "inf", "NaN", "infinity", "0x10", "1e400", "-1e400", " 1", "1 ", "5%"] {
            assert_eq!(parse_number(t), None, "{t:?}");
        }
    }

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
        assert_eq!(fold("ОЛЬГА ЁЛКИНА Ђорђе"), "ольга ёлкина ђорђе");
        assert_eq!(fold("ΣΟΦΙΑ Παπαδοπουλου"), "σοφια παπαδοπουλου");
        assert_eq!(fold("ԱՐԱՄ"), "արամ");
        assert_eq!(fold("ҚАЗАҚ"), "қазақ");
        // Each alphabet lower-cased as the standard library does it.
        let spelled_out = "øØłŁđĐßæÆœŒ";
        for c in (0..=0x58F).chain(0x1E00..=0x1EFF).filter_map(char::from_u32) {
            if base_letter(c).is_some() || is_combining_mark(c) || spelled_out.contains(c) {
                continue;
            }
            let ours = fold(&c.to_string());
            let std: String = c.to_lowercase().collect();
            if ours != std {
                assert_eq!(ours, c.to_string(), "{c} (U+{:04X}) is changed, but not as the standard library does", c as u32);
            }
        }
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
