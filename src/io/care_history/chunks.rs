//! Care history read a chunk at a time: [`HistoryReader`] (which [`super::parse`] uses too,
//! each file one chunk), [`record_end`] to cut a file's bytes where a record ends, and
//! [`HistoryReader::feed_bytes`], which cuts and decodes bytes as they come.
//!
//! A chunk is whole records of one file, in order: CSV rows (a quoted field may hold line
//! ends), NDJSON lines. What a file's rows need from the rows before them is kept between
//! chunks: a CSV file's header (its columns' places and delimiter) and the count of its
//! lines, so that a problem names the line of the file; NDJSON's line count. A JSON
//! document (a Bundle) cannot be cut: its chunks are kept until [`HistoryReader::end_file`]
//! and read whole there. What is kept across files (blood pressure halves waiting for
//! their pair, the source ids seen, the Patients of Bundles) is the same in both ways, so
//! reading in chunks gives exactly what reading whole texts gives.

use std::borrow::Cow;
use std::collections::HashMap;

use super::{fhir, kind_of, synthea, template, At, CareHistory, Collector, FileKind};
use crate::io::csv_read::{delimiter_of, CsvText, Scan, Scanner, CR, LF};
use crate::io::import::{lower_first, read_header, strip_bom, FileProblem};
use crate::io::text::{self, TextChunks};
use crate::model::care::CareRule;
use crate::model::Timestamp;

/// How much of a file's start judges what it is (see [`head_text`] and `kind_of`): 64 KB.
pub const HEAD_BYTES: usize = 65_536;

/// The start of a file's bytes as text, for [`HistoryReader::start_file`] to judge what the
/// file is: its first [`HEAD_BYTES`] at most, read as UTF-16 when it starts with that
/// byte-order mark, else as UTF-8 (a byte that is not UTF-8 becomes "�": only the header
/// line's names, or the start of the JSON, matter here).
pub fn head_text(bytes: &[u8]) -> String {
    let head = &bytes[..bytes.len().min(HEAD_BYTES)];
    if text::is_utf16(head) {
        let unit: fn([u8; 2]) -> u16 = if head.starts_with(b"\xFF\xFE") { u16::from_le_bytes } else { u16::from_be_bytes };
        let units: Vec<u16> = head[2..].chunks_exact(2).map(|c| unit([c[0], c[1]])).collect();
        return String::from_utf16_lossy(&units);
    }
    String::from_utf8_lossy(head).into_owned()
}

/// At most the first [`HEAD_BYTES`] of a text, cut at a character.
pub(super) fn head_of(text: &str) -> &str {
    let mut end = text.len().min(HEAD_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

// ------------------------------------------------------------------------------------------
// Cutting bytes where a record ends

/// Where [`record_end`] is in a file's bytes: what it needs to go on with the next bytes.
/// A CSV file's scan follows quotes as the `csv` crate reads them (a quote opens a field
/// only as its first character, so the delimiter matters); a JSON file is read by lines (a
/// line end is never inside a JSON string).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordScan {
    /// The CSV delimiter; `None` for a file read by lines.
    pub(super) delimiter: Option<u8>,
    pub(super) state: Scan,
}

impl RecordScan {
    /// The start of a CSV file whose fields are separated by `delimiter` (`b','`, `b';'`, `b'\t'`).
    pub fn csv(delimiter: u8) -> RecordScan {
        RecordScan { delimiter: Some(delimiter), state: Scan::StartRecord }
    }

    /// The start of a file read by lines: NDJSON, or any JSON.
    pub fn lines() -> RecordScan {
        RecordScan { delimiter: None, state: Scan::StartRecord }
    }

    /// The start of a file of `kind` whose first lines are `head`: by lines for FHIR JSON,
    /// else CSV with the delimiter found on the header line.
    pub fn of(kind: FileKind, head: &str) -> RecordScan {
        match kind {
            FileKind::Fhir => RecordScan::lines(),
            _ => RecordScan::csv(delimiter_of(head_of(head))),
        }
    }

    /// Whether the bytes scanned so far end inside a quoted CSV field.
    pub fn in_quotes(self) -> bool {
        self.state == Scan::Quoted
    }
}

/// Where the last whole record of `bytes` ends (just after its line end, outside any
/// quotes), or 0 when no record ends in them, going on from `from` (where the scan of the
/// bytes before them ended; [`RecordScan::csv`] or [`RecordScan::lines`] at the start of a
/// file, after its byte-order mark); and where the scan is at the end of `bytes`, to go on
/// with the next ones. Bytes cut there hold whole records, and no UTF-8 character is split.
///
/// A line end is a LF, a CRLF (never cut between the two) or a lone CR (old Mac files): a CR
/// that is the last of `bytes` is not a place to cut yet, since a LF may follow it.
pub fn record_end(bytes: &[u8], from: RecordScan) -> (usize, RecordScan) {
    let Some(delimiter) = from.delimiter else {
        return (bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1), from);
    };
    if !matches!(from.state, Scan::Quoted | Scan::QuoteInQuoted) && !bytes.contains(&b'"') {
        return unquoted_end(bytes, from);
    }
    scanned_end(bytes, from, delimiter)
}

/// [`record_end`] of CSV, byte by byte.
pub(super) fn scanned_end(bytes: &[u8], from: RecordScan, delimiter: u8) -> (usize, RecordScan) {
    let scanner = Scanner::new(delimiter);
    let (mut state, mut end) = (from.state, 0);
    for (i, &b) in bytes.iter().enumerate() {
        let class = scanner.class(b);
        state = scanner.next(state, class);
        if state == Scan::StartRecord && (class == LF || (class == CR && bytes.get(i + 1).is_some_and(|&next| next != b'\n'))) {
            end = i + 1;
        }
    }
    (end, RecordScan { delimiter: from.delimiter, state })
}

/// [`record_end`] of bytes without a quote, outside quotes (most files: Synthea writes none):
/// every line end ends a record, so only the last ones are looked at.
pub(super) fn unquoted_end(bytes: &[u8], from: RecordScan) -> (usize, RecordScan) {
    let line_end = |b: &u8| *b == b'\n' || *b == b'\r';
    let Some(last) = bytes.iter().rposition(line_end) else {
        // Within one record: a field starts after a delimiter, else goes on.
        let state = match bytes.last() {
            None => from.state,
            Some(&b) if Some(b) == from.delimiter => Scan::StartField,
            Some(_) => Scan::InField,
        };
        return (0, RecordScan { state, ..from });
    };
    // A CR that is the last byte may have its LF in the next bytes: cut at the line end before.
    let end = if bytes[last] == b'\r' && last + 1 == bytes.len() { bytes[..last].iter().rposition(line_end).map_or(0, |i| i + 1) } else { last + 1 };
    let state = match bytes[last + 1..].last() {
        None => Scan::StartRecord,
        Some(&b) if Some(b) == from.delimiter => Scan::StartField,
        Some(_) => Scan::InField,
    };
    (end, RecordScan { state, ..from })
}

// ------------------------------------------------------------------------------------------
// The reader

/// Reads care history files one after the other, each in chunks of whole records (see the
/// module notes of `io::care_history`):
///
/// ```text
/// let mut reader = HistoryReader::new(&rules, now);
/// for each file:
///     reader.start_file(name, &head_text(first bytes))?;
///     reader.feed_bytes(piece)?;          // each piece as it is read, cut anywhere
///     reader.end_file()?;
/// let history = reader.finish();
/// ```
///
/// or, with text already cut by [`record_end`], `feed(chunk)` instead of `feed_bytes`. A
/// [`FileProblem`] stops the file (and the import): nothing of it should be kept.
pub struct HistoryReader {
    rules: Vec<CareRule>,
    c: Collector,
    /// The `fullUrl` of every Patient seen in a Bundle, to its id.
    patients_by_url: HashMap<String, String>,
    /// How many files were started.
    files: usize,
    /// Whether one of them is the template.
    template: bool,
    file: Option<OpenFile>,
    notes: Vec<String>,
}

/// The file being read.
struct OpenFile {
    name: String,
    /// Its number among the files (the first is 0).
    index: usize,
    kind: FileKind,
    /// Whether text was fed yet (the first loses its byte-order mark).
    fed: bool,
    body: Body,
    bytes: Bytes,
}

enum Body {
    Csv(CsvFile),
    Json(JsonFile),
}

/// A CSV file read so far.
struct CsvFile {
    /// How its rows are read, once the header is.
    rows: Option<CsvRows>,
    /// The delimiter found on the header line.
    delimiter: u8,
    /// The lines read so far (the next chunk's first line is the one after).
    lines: u64,
}

enum CsvRows {
    Synthea(synthea::Rows),
    Template(template::Rows),
}

/// A FHIR JSON file read so far.
enum JsonFile {
    /// Not known yet: its text so far, blank or a first line that is a JSON object alone
    /// (NDJSON when another line follows; a document when it is the only one).
    Start(String),
    /// NDJSON, read a line at a time: the lines read so far.
    Lines(u64),
    /// A JSON document over several lines (a Bundle): its text, read whole at the end.
    Document(String),
}

/// The bytes of the file that [`HistoryReader::feed_bytes`] has not fed yet.
struct Bytes {
    /// Bytes after the last record end, waiting for the rest of their record.
    carry: Vec<u8>,
    /// Where [`record_end`] is at the end of `carry`.
    scan: RecordScan,
    decoder: TextChunks,
    /// Whether the file's first bytes were looked at (a UTF-8 byte-order mark is dropped).
    started: bool,
    /// A UTF-16 file: every byte kept, decoded and fed at the end.
    whole: bool,
    /// A quoted field never closed within [`LONGEST_RECORD`]: the rest of the file is not read.
    dropped: bool,
}

/// The longest CSV record [`HistoryReader::feed_bytes`] waits for: 8 MB. A quoted field still
/// open after that is a quote never closed (a damaged file), not a row, so the file's memory
/// stays bounded: the record is refused by its line, as a whole text refuses it, and the rest
/// of the file is not read, as in a whole text (unless the quote closes further on, which
/// only a damaged file does).
pub(super) const LONGEST_RECORD: usize = 8 * 1024 * 1024;

fn no_file() -> FileProblem {
    FileProblem("No file was started: start_file comes before feed and end_file.".into())
}

impl HistoryReader {
    /// A reader for files of care history; `rules` are the rules in force (the template may
    /// name an item by its rule's label), `now` stamps the new events.
    pub fn new(rules: &[CareRule], now: Timestamp) -> HistoryReader {
        HistoryReader {
            rules: rules.to_vec(),
            c: Collector::new(now),
            patients_by_url: HashMap::new(),
            files: 0,
            template: false,
            file: None,
            notes: Vec::new(),
        }
    }

    /// Starts a file (ending the one before, if [`end_file`](Self::end_file) was not called):
    /// `head` is its start as text (see [`head_text`]; its first line is enough for CSV, the
    /// start of the JSON for FHIR), judged by `kind_of`. Returns what the file is, or why it
    /// is not read: not care history, or a template with other files (a template is chosen
    /// alone).
    pub fn start_file(&mut self, name: &str, head: &str) -> Result<FileKind, FileProblem> {
        let kind = kind_of(name, head)?;
        if self.template || (kind == FileKind::Template && self.files > 0) {
            return Err(FileProblem("Choose one CareCoord care history template at a time, without other files.".into()));
        }
        if self.file.is_some() {
            self.end_file()?;
        }
        let body = match kind {
            FileKind::Fhir => Body::Json(JsonFile::Start(String::new())),
            _ => Body::Csv(CsvFile { rows: None, delimiter: b',', lines: 0 }),
        };
        let bytes = Bytes {
            carry: Vec::new(),
            scan: RecordScan::of(kind, head),
            decoder: TextChunks::new(name),
            started: false,
            whole: false,
            dropped: false,
        };
        self.file = Some(OpenFile { name: name.to_string(), index: self.files, kind, fed: false, body, bytes });
        self.files += 1;
        self.template |= kind == FileKind::Template;
        Ok(kind)
    }

    /// Feeds the next whole records of the current file, as text: the file's first chunk
    /// first (its header, for CSV), each chunk cut where a record ends ([`record_end`]; the
    /// last may end without a line end).
    pub fn feed(&mut self, chunk: &str) -> Result<(), FileProblem> {
        let Some(file) = self.file.as_mut() else { return Err(no_file()) };
        let result = file.feed(&mut self.c, &self.rules, &mut self.patients_by_url, chunk, false);
        if result.is_err() {
            self.file = None;
        }
        result
    }

    /// Feeds the current file's next bytes, as read: cut anywhere, even inside a character.
    /// The whole records among what came so far are decoded ([`TextChunks`]) and fed; the
    /// rest is kept for the next call. A UTF-16 file is kept whole until
    /// [`end_file`](Self::end_file).
    pub fn feed_bytes(&mut self, bytes: &[u8]) -> Result<(), FileProblem> {
        let Some(file) = self.file.as_mut() else { return Err(no_file()) };
        let Some((text, closed)) = file.bytes.records(bytes) else { return Ok(()) };
        let result = file.feed(&mut self.c, &self.rules, &mut self.patients_by_url, &text, closed);
        if result.is_err() {
            self.file = None;
        }
        result
    }

    /// Ends the current file: what [`feed_bytes`](Self::feed_bytes) kept is fed, and a JSON
    /// document is read.
    pub fn end_file(&mut self) -> Result<(), FileProblem> {
        let Some(mut file) = self.file.take() else { return Err(no_file()) };
        let result = match file.bytes.rest(&file.name) {
            Ok(Some(rest)) => file.feed(&mut self.c, &self.rules, &mut self.patients_by_url, &rest, false),
            Ok(None) => Ok(()),
            Err(e) => Err(e),
        };
        if let Some(note) = file.bytes.decoder.note() {
            self.notes.push(note);
        }
        result?;
        file.end(&mut self.c, &self.rules, &mut self.patients_by_url)
    }

    /// The bytes of the current file kept for the rest of their record.
    #[cfg(test)]
    pub(super) fn held_bytes(&self) -> usize {
        self.file.as_ref().map_or(0, |f| f.bytes.carry.len())
    }

    /// What the coordinator should know about how the files were read (a file that was not
    /// UTF-8, read as Windows-1252), when they came as bytes.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// The history read. A file still open is ended first; if it cannot be read to its end,
    /// why is a problem of that file.
    pub fn finish(mut self) -> CareHistory {
        if let Some(name) = self.file.as_ref().map(|f| f.name.clone()) {
            if let Err(e) = self.end_file() {
                self.c.problem(&At { file: &name, line: 1, entry: None }, &e.0);
            }
        }
        self.c.finish()
    }
}

impl OpenFile {
    /// Reads a chunk; `closed`: it is known to end outside quotes (see `CsvText::piece`).
    fn feed(&mut self, c: &mut Collector, rules: &[CareRule], by_url: &mut HashMap<String, String>, chunk: &str, closed: bool) -> Result<(), FileProblem> {
        let chunk = if self.fed { chunk } else { strip_bom(chunk) };
        self.fed |= !chunk.is_empty();
        match &mut self.body {
            Body::Csv(csv) => csv.feed(c, &self.name, self.kind, rules, chunk, closed),
            Body::Json(json) => json.feed(c, self.index, &self.name, by_url, chunk),
        }
    }

    fn end(mut self, c: &mut Collector, rules: &[CareRule], by_url: &mut HashMap<String, String>) -> Result<(), FileProblem> {
        match &mut self.body {
            // A file whose header never came (blank): read as the whole blank text is.
            Body::Csv(csv) if csv.rows.is_none() => csv.read(c, &self.name, self.kind, rules, "", false),
            Body::Csv(_) | Body::Json(JsonFile::Lines(_)) => Ok(()),
            Body::Json(JsonFile::Start(text) | JsonFile::Document(text)) => fhir::read(c, self.index, &self.name, text, by_url),
        }
    }
}

impl CsvFile {
    fn feed(&mut self, c: &mut Collector, name: &str, kind: FileKind, rules: &[CareRule], chunk: &str, closed: bool) -> Result<(), FileProblem> {
        // Blank lines before the header: counted, as the whole text's reader skips them.
        if self.rows.is_none() && chunk.bytes().all(|b| b == b'\n' || b == b'\r') {
            self.lines += CsvText::new(chunk).lines();
            return Ok(());
        }
        self.read(c, name, kind, rules, chunk, closed)
    }

    /// Reads a chunk: the header first when it has not been read, then each row with its
    /// line in the file.
    fn read(&mut self, c: &mut Collector, name: &str, kind: FileKind, rules: &[CareRule], chunk: &str, closed: bool) -> Result<(), FileProblem> {
        let header = self.rows.is_none();
        let csv = CsvText::piece(chunk, (!header).then_some(self.delimiter), self.lines, closed);
        let mut reader = csv.rows();
        if header {
            let norm = if kind == FileKind::Template { template::header_name } else { synthea::header_name };
            let cols = read_header(&mut reader, norm).map_err(|p| FileProblem(format!("{name}: {}", lower_first(&p.0))))?;
            self.rows = Some(match kind {
                FileKind::Template => CsvRows::Template(template::Rows::open(name, cols, rules)?),
                _ => CsvRows::Synthea(synthea::Rows::open(kind, name, &cols)?),
            });
            self.delimiter = csv.delimiter();
        }
        let Some(rows) = self.rows.as_mut() else { return Ok(()) };
        let mut record = csv::StringRecord::new();
        while let Some(next) = reader.next(&mut record) {
            match (next, &mut *rows) {
                (Ok(line), CsvRows::Synthea(rows)) => rows.row(c, name, &record, line),
                (Ok(line), CsvRows::Template(rows)) => rows.row(c, name, &record, line),
                (Err(bad), _) => c.problem(&At { file: name, line: bad.line(), entry: None }, &bad.reason("row")),
            }
        }
        self.lines += csv.lines();
        Ok(())
    }
}

/// The lines a chunk of whole lines holds: its line ends.
fn line_ends(text: &str) -> u64 {
    u64::try_from(text.bytes().filter(|&b| b == b'\n').count()).unwrap_or(u64::MAX)
}

impl JsonFile {
    fn feed(&mut self, c: &mut Collector, index: usize, name: &str, by_url: &mut HashMap<String, String>, chunk: &str) -> Result<(), FileProblem> {
        match self {
            JsonFile::Lines(lines) => {
                fhir::read_lines(c, index, name, chunk, *lines, by_url)?;
                *lines += line_ends(chunk);
            }
            JsonFile::Document(text) => text.push_str(chunk),
            JsonFile::Start(held) => {
                // As `io::fhir::read_text` judges a whole text: NDJSON when its first line is
                // a JSON object alone and another line follows, else one JSON document.
                let text: Cow<str> = if held.is_empty() {
                    Cow::Borrowed(chunk)
                } else {
                    held.push_str(chunk);
                    Cow::Owned(std::mem::take(held))
                };
                let mut lines = text.lines().filter(|l| !l.trim().is_empty());
                let ndjson = match lines.next() {
                    None => None,
                    Some(first) if crate::io::fhir::object_line(first) => lines.next().map(|_| true),
                    Some(_) => Some(false),
                };
                match ndjson {
                    None => *held = text.into_owned(),
                    Some(false) => *self = JsonFile::Document(text.into_owned()),
                    Some(true) => {
                        fhir::read_lines(c, index, name, &text, 0, by_url)?;
                        *self = JsonFile::Lines(line_ends(&text));
                    }
                }
            }
        }
        Ok(())
    }
}

impl Bytes {
    /// The whole records among the bytes so far and `new`, as text, and whether it is known
    /// to end outside quotes (it does, but for a record longer than [`LONGEST_RECORD`]); or
    /// `None` when no record ended yet. The rest is kept.
    fn records(&mut self, new: &[u8]) -> Option<(String, bool)> {
        if self.dropped {
            return None;
        }
        if !self.started || self.whole {
            self.carry.extend_from_slice(new);
            // Three bytes tell a byte-order mark.
            if self.whole || self.carry.len() < 3 {
                return None;
            }
            self.begin();
            if self.whole {
                return None;
            }
            let (end, scan) = record_end(&self.carry, self.scan);
            self.scan = scan;
            let records: Vec<u8> = self.carry.drain(..end).collect();
            return (end > 0).then(|| (self.decoder.decode(&records), true));
        }
        let (end, scan) = record_end(new, self.scan);
        self.scan = scan;
        if end == 0 {
            self.carry.extend_from_slice(new);
            if self.scan.in_quotes() && self.carry.len() > LONGEST_RECORD {
                // One record open since: fed as it is, it is refused by its line.
                self.dropped = true;
                let open = std::mem::take(&mut self.carry);
                return Some((self.decoder.decode(&open), false));
            }
            return None;
        }
        let mut records = std::mem::take(&mut self.carry);
        records.extend_from_slice(&new[..end]);
        self.carry.extend_from_slice(&new[end..]);
        Some((self.decoder.decode(&records), true))
    }

    /// Looks at the file's first bytes: UTF-16 is kept whole, a UTF-8 byte-order mark dropped.
    fn begin(&mut self) {
        self.started = true;
        if text::is_utf16(&self.carry) {
            self.whole = true;
        } else if self.carry.starts_with(b"\xEF\xBB\xBF") {
            self.carry.drain(..3);
        }
    }

    /// What is left at the end of the file, as text (a UTF-16 file: all of it).
    fn rest(&mut self, name: &str) -> Result<Option<String>, FileProblem> {
        if !self.started {
            self.begin();
        }
        let rest = std::mem::take(&mut self.carry);
        if self.dropped {
            return Ok(None);
        }
        if self.whole {
            return text::decode(&rest, name).map(|d| Some(d.text));
        }
        Ok((!rest.is_empty()).then(|| self.decoder.decode(&rest)))
    }
}
