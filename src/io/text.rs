//! The bytes of a chosen file as text, whatever Excel or another program saved them as.
//!
//! [`decode`] takes a UTF-8 file as it is (without its byte-order mark), a UTF-16 file
//! with a byte-order mark (Excel's "Unicode Text"), and anything else as Windows-1252, the
//! encoding Excel uses for "CSV" on a Windows PC in the Americas and Western Europe; then
//! it says so in [`Decoded::note`], since a file in another 8-bit encoding would show
//! wrong accents. [`too_large`] is checked before a file is read at all.
//!
//! A file too large to hold as one text (a clinic's 60 MB `observations.csv`) is read in
//! chunks cut where a line ends, and [`TextChunks`] decodes them one by one: a cut at a line
//! end never splits a UTF-8 character, nor a Windows-1252 one (one byte each). A UTF-16 file
//! ([`is_utf16`]: it starts with its byte-order mark) cannot be cut that way (every character
//! is two bytes, a line end among them) and is read whole.

use super::import::FileProblem;

/// The largest file CareCoord reads: 100 MB. A clinic's patient list, schedule, resource
/// directory or backup is a few MB (30,000 patients make a 20 MB backup); a file of
/// hundreds of MB is almost certainly the wrong file, and the browser tab would hold it
/// several times over (bytes, text, parsed records) while checking it.
pub const MAX_IMPORT_BYTES: u64 = 100 * 1024 * 1024;

/// A file's text, and what the coordinator should know about how it was read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// Set when the text was not UTF-8 and was read as Windows-1252.
    pub note: Option<String>,
}

/// The refusal of a file larger than [`MAX_IMPORT_BYTES`], or `None` when it may be read.
pub fn too_large(file_name: &str, size: u64) -> Option<FileProblem> {
    const MB: u64 = 1024 * 1024;
    (size > MAX_IMPORT_BYTES).then(|| {
        FileProblem(format!(
            "{file_name} is {} MB, larger than the {} MB CareCoord can import; nothing was read. Check that it is the right file, or split it.",
            size.div_ceil(MB),
            MAX_IMPORT_BYTES / MB
        ))
    })
}

/// Windows-1252 characters 0x80–0x9F (the rest of the code page is Latin-1, that is, the
/// Unicode code point of the same number). The five unassigned bytes are kept as the C1
/// control of that number, as browsers do.
const CP1252_80_9F: [char; 32] = [
    '\u{20AC}', '\u{0081}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}', // 80-87
    '\u{02C6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{008D}', '\u{017D}', '\u{008F}', // 88-8F
    '\u{0090}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}', // 90-97
    '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}', '\u{0153}', '\u{009D}', '\u{017E}', '\u{0178}', // 98-9F
];

fn cp1252(b: u8) -> char {
    match b {
        0x80..=0x9F => CP1252_80_9F[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// The text of a file's bytes (see the module notes). `file_name` names it in the note and
/// in the refusal of a damaged UTF-16 file.
pub fn decode(bytes: &[u8], file_name: &str) -> Result<Decoded, FileProblem> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return match std::str::from_utf8(rest) {
            Ok(text) => Ok(Decoded { text: text.to_string(), note: None }),
            // A UTF-8 byte-order mark on text that is not UTF-8: read the rest as Excel's.
            Err(_) => Ok(windows_1252(rest, file_name)),
        };
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, file_name, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, file_name, u16::from_be_bytes);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Decoded { text: text.to_string(), note: None }),
        Err(_) => Ok(windows_1252(bytes, file_name)),
    }
}

fn windows_1252(bytes: &[u8], file_name: &str) -> Decoded {
    Decoded { text: bytes.iter().map(|&b| cp1252(b)).collect(), note: Some(windows_1252_note(file_name)) }
}

fn windows_1252_note(file_name: &str) -> String {
    format!("{file_name} was not UTF-8; read it as Windows-1252 (Excel's encoding). Check accented names in the preview.")
}

/// Whether a file's first bytes are a UTF-16 byte-order mark: such a file is read whole
/// (see the module notes).
pub fn is_utf16(head: &[u8]) -> bool {
    head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF")
}

/// Decodes a file a chunk at a time, in order, each chunk cut at a line end (see the module
/// notes): UTF-8 (a byte-order mark at the start dropped) until a chunk is not UTF-8; from
/// that chunk on, Windows-1252, with the note [`decode`] gives. Not for UTF-16 ([`is_utf16`]).
///
/// The whole file is judged by its chunks: a Windows-1252 file whose first chunks happen to
/// be valid UTF-8 with accents in them (Excel never writes that) reads those accents as UTF-8.
pub struct TextChunks {
    file_name: String,
    started: bool,
    windows_1252: bool,
}

impl TextChunks {
    pub fn new(file_name: &str) -> TextChunks {
        TextChunks { file_name: file_name.to_string(), started: false, windows_1252: false }
    }

    /// The text of the next chunk.
    pub fn decode(&mut self, bytes: &[u8]) -> String {
        let bytes = match std::mem::replace(&mut self.started, true) {
            false => bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes),
            true => bytes,
        };
        if !self.windows_1252 {
            match std::str::from_utf8(bytes) {
                Ok(text) => return text.to_string(),
                Err(_) => self.windows_1252 = true,
            }
        }
        bytes.iter().map(|&b| cp1252(b)).collect()
    }

    /// Set once a chunk was not UTF-8 (the rest of the file is read as Windows-1252).
    pub fn note(&self) -> Option<String> {
        self.windows_1252.then(|| windows_1252_note(&self.file_name))
    }
}

fn utf16(bytes: &[u8], file_name: &str, unit: fn([u8; 2]) -> u16) -> Result<Decoded, FileProblem> {
    let damaged = |at: usize| {
        FileProblem(format!(
            "{file_name} is UTF-16 text that is damaged near byte {at}; nothing was read. Save it again from the spreadsheet as \"CSV UTF-8\"."
        ))
    };
    if bytes.len() % 2 != 0 {
        return Err(damaged(bytes.len() + 2));
    }
    let units = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]]));
    let mut text = String::with_capacity(bytes.len() / 2);
    for (i, c) in char::decode_utf16(units).enumerate() {
        match c {
            Ok(c) => text.push(c),
            // The byte-order mark is 2 bytes; each unit before the bad one is 2 more.
            Err(_) => return Err(damaged(2 + 2 * i)),
        }
    }
    Ok(Decoded { text, note: None })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_is_read_as_it_is_without_its_bom() {
        let plain = decode("Núñez,María\n".as_bytes(), "a.csv").unwrap();
        assert_eq!(plain, Decoded { text: "Núñez,María\n".into(), note: None });
        let with_bom = decode("\u{feff}Núñez".as_bytes(), "a.csv").unwrap();
        assert_eq!(with_bom, Decoded { text: "Núñez".into(), note: None });
        assert_eq!(decode(b"", "a.csv").unwrap().text, "");
    }

    #[test]
    fn windows_1252_from_excel_is_decoded_with_a_note() {
        // "Nuñez;José – “Ana”" as Excel writes it on a Windows PC.
        let bytes = b"Nu\xF1ez;Jos\xE9 \x96 \x93Ana\x94 \x80";
        let got = decode(bytes, "patients.csv").unwrap();
        assert_eq!(got.text, "Nuñez;José – “Ana” €");
        assert_eq!(
            got.note.as_deref(),
            Some("patients.csv was not UTF-8; read it as Windows-1252 (Excel's encoding). Check accented names in the preview.")
        );
        // Every byte becomes one character; the unassigned ones stay visible as controls.
        let all: Vec<u8> = (0..=255).collect();
        let text = decode(&all, "x").unwrap().text;
        assert_eq!(text.chars().count(), 256);
        assert_eq!(text.chars().nth(0x81), Some('\u{81}'));
        assert_eq!(text.chars().nth(0x9F), Some('Ÿ'));
        assert_eq!(text.chars().nth(0xFF), Some('ÿ'));
    }

    #[test]
    fn utf16_with_a_bom_is_decoded() {
        let le: Vec<u8> = [0xFF, 0xFE].into_iter().chain("Núñez\r\n".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert_eq!(decode(&le, "a.txt").unwrap(), Decoded { text: "Núñez\r\n".into(), note: None });
        let be: Vec<u8> = [0xFE, 0xFF].into_iter().chain("Ana 😀".encode_utf16().flat_map(u16::to_be_bytes)).collect();
        assert_eq!(decode(&be, "a.txt").unwrap().text, "Ana 😀");
        let odd = decode(&[0xFF, 0xFE, 0x41, 0x00, 0x42], "b.txt").unwrap_err().0;
        assert!(odd.starts_with("b.txt is UTF-16 text that is damaged near byte 5"), "{odd}");
        let lone_surrogate = decode(&[0xFF, 0xFE, 0x41, 0x00, 0x00, 0xD8, 0x41, 0x00], "c.txt").unwrap_err().0;
        assert!(lone_surrogate.starts_with("c.txt is UTF-16 text that is damaged near byte 4"), "{lone_surrogate}");
    }

    #[test]
    fn chunks_decode_as_the_whole_file_does() {
        let utf8 = "\u{feff}Núñez,María\nJosé,Ana\n".as_bytes();
        let cut = utf8.iter().position(|&b| b == b'\n').unwrap() + 1;
        let mut chunks = TextChunks::new("a.csv");
        let text = chunks.decode(&utf8[..cut]) + &chunks.decode(&utf8[cut..]);
        assert_eq!((text.as_str(), chunks.note()), ("Núñez,María\nJosé,Ana\n", None));
        assert_eq!(decode(utf8, "a.csv").unwrap().text, text);
        // Excel's Windows-1252: ASCII first, the accents in a later chunk.
        let excel = b"Id,Name\n1,Nu\xF1ez\n2,Jos\xE9\n";
        let mut chunks = TextChunks::new("b.csv");
        let text = chunks.decode(&excel[..8]) + &chunks.decode(&excel[8..18]) + &chunks.decode(&excel[18..]);
        assert_eq!(text, decode(excel, "b.csv").unwrap().text);
        assert_eq!(chunks.note(), decode(excel, "b.csv").unwrap().note);
        assert!(is_utf16(b"\xFF\xFEa\x00") && is_utf16(b"\xFE\xFF\x00a") && !is_utf16(b"\xEF\xBB\xBFa") && !is_utf16(b"a"));
    }

    #[test]
    fn a_file_over_the_limit_is_refused_before_reading() {
        assert_eq!(too_large("patients.csv", MAX_IMPORT_BYTES), None);
        assert_eq!(too_large("patients.csv", 0), None);
        let refused = too_large("export.csv", 250 * 1024 * 1024).unwrap().0;
        assert_eq!(
            refused,
            "export.csv is 250 MB, larger than the 100 MB CareCoord can import; nothing was read. Check that it is the right file, or split it."
        );
        assert!(too_large("x", u64::MAX).unwrap().0.contains("100 MB"));
    }
}
