//! CSV as spreadsheets write it, for every CSV reader of `io` (patients, conditions,
//! appointments, the HSDS package).
//!
//! [`CsvText::new`] prepares the text once:
//! - a byte-order mark is dropped, and CRLF and lone CR line ends become LF, so the lines
//!   in messages are the lines a spreadsheet shows whatever program wrote the file;
//! - the delimiter is read off the header line: `;` when it has more semicolons than commas
//!   outside quotes (Excel in most of Europe and Latin America writes "CSV" that way), a tab
//!   when it has more tabs than either (Excel's "Unicode Text"), else `,`;
//! - a quoted field that is never closed would make the `csv` crate read the whole rest of
//!   the file into that one field, silently. A pre-scan that follows the quotes exactly as
//!   the `csv` crate does finds the record it opens in; the text is cut there, so every row
//!   before it is read and judged as usual, and [`CsvRows::next`] reports that record last:
//!   "Line 11: a quoted field is not closed." Nothing from it (or after it) is imported.
//!
//! [`CsvRows`] then gives each record with its line (the header is line 1), skipping blank
//! rows (the end of a spreadsheet export).
//!
//! A file read in chunks (`io::care_history`) is prepared a piece at a time with
//! [`CsvText::piece`]: the header is read from the first piece, later pieces are records
//! only in the header's delimiter, and lines go on counting from the pieces before. The one
//! quote scan ([`Scan`], [`step`]) also finds where a piece may be cut.

use std::borrow::Cow;

/// The prepared text of a CSV file (see the module notes).
pub(crate) struct CsvText<'a> {
    /// The text with LF line ends (borrowed when it had no other).
    text: Cow<'a, str>,
    /// Where the records to read end: the end of `text`, or the start of the record whose
    /// quoted field is never closed.
    end: usize,
    delimiter: u8,
    /// Byte offsets of the line ends in `text`, to turn a record's offset into its line.
    newlines: Vec<usize>,
    /// A record with a quoted field that is never closed: its line, and whether it is the
    /// first record (the header).
    unclosed: Option<(u64, bool)>,
    /// Whether the text starts with the header (false for a later piece of a file).
    header: bool,
    /// The lines of the file before this text (0 unless it is a later piece).
    lines_before: u64,
}

/// Where the quote scan is, following the `csv` crate's reader (quotes open a field only as
/// its first character; `""` inside quotes is a quote; after the closing quote the field
/// goes on unquoted).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scan {
    StartRecord,
    StartField,
    InField,
    Quoted,
    QuoteInQuoted,
}

impl Scan {
    const ALL: [Scan; 5] = [Scan::StartRecord, Scan::StartField, Scan::InField, Scan::Quoted, Scan::QuoteInQuoted];
}

/// The scan for one delimiter, as fast as a table: each byte's class (another byte, a quote,
/// a LF, the delimiter, a CR) and each state's next state by class, made from [`step`].
pub(crate) struct Scanner {
    class: [u8; 256],
    next: [[Scan; 5]; 5],
}

/// The classes of [`Scanner`]: a LF and a CR, told apart for where a record may be cut.
pub(crate) const LF: u8 = 2;
pub(crate) const CR: u8 = 4;

impl Scanner {
    pub(crate) fn new(delimiter: u8) -> Scanner {
        let other = if delimiter == b'a' { b'b' } else { b'a' };
        let example = [other, b'"', b'\n', delimiter, b'\r'];
        let mut class = [0u8; 256];
        for (c, &b) in example.iter().enumerate().skip(1) {
            class[usize::from(b)] = c as u8;
        }
        let next = Scan::ALL.map(|state| example.map(|b| step(state, b, delimiter)));
        Scanner { class, next }
    }

    /// The class of a byte (see [`LF`], [`CR`]).
    #[inline]
    pub(crate) fn class(&self, b: u8) -> u8 {
        self.class[usize::from(b)]
    }

    /// The state after a byte of class `class`: [`step`].
    #[inline]
    pub(crate) fn next(&self, state: Scan, class: u8) -> Scan {
        self.next[state as usize][usize::from(class)]
    }
}

/// The scan's state after byte `b`. A CR outside quotes ends a line as a LF does (CsvText
/// makes both one line end), so the scan also follows a file's raw bytes.
pub(crate) fn step(state: Scan, b: u8, delimiter: u8) -> Scan {
    let b = if b == b'\r' { b'\n' } else { b };
    let start_field = |b: u8| match b {
        b'"' => Scan::Quoted,
        b'\n' => Scan::StartRecord,
        b if b == delimiter => Scan::StartField,
        _ => Scan::InField,
    };
    match state {
        Scan::StartRecord if b == b'\n' => Scan::StartRecord,
        Scan::StartRecord | Scan::StartField => start_field(b),
        Scan::InField | Scan::QuoteInQuoted if b == b'\n' => Scan::StartRecord,
        Scan::InField | Scan::QuoteInQuoted if b == delimiter => Scan::StartField,
        Scan::QuoteInQuoted if b == b'"' => Scan::Quoted,
        Scan::InField | Scan::QuoteInQuoted => Scan::InField,
        Scan::Quoted if b == b'"' => Scan::QuoteInQuoted,
        Scan::Quoted => Scan::Quoted,
    }
}

impl<'a> CsvText<'a> {
    pub(crate) fn new(raw: &'a str) -> CsvText<'a> {
        CsvText::piece(raw, None, 0, false)
    }

    /// A piece of a file read in chunks, cut where a record ends, after `lines_before` lines
    /// of the file: the first piece (`delimiter` is `None`: the header is in it, and the
    /// delimiter is found on it), or a later one (records only, in the file's `delimiter`).
    /// `closed`: the piece is known to end outside quotes (its bytes were cut by the same
    /// scan, `io::care_history::record_end`), so the scan for a quote never closed is not
    /// run again.
    pub(crate) fn piece(raw: &'a str, delimiter: Option<u8>, lines_before: u64, closed: bool) -> CsvText<'a> {
        let raw = raw.strip_prefix('\u{feff}').unwrap_or(raw);
        let text: Cow<'a, str> =
            if raw.contains('\r') { Cow::Owned(raw.replace("\r\n", "\n").replace('\r', "\n")) } else { Cow::Borrowed(raw) };
        let header = delimiter.is_none();
        let delimiter = delimiter.unwrap_or_else(|| header_delimiter(&text));
        let newlines: Vec<usize> = text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i).collect();
        let end = text.len();
        let mut csv = CsvText { text, end, delimiter, newlines, unclosed: None, header, lines_before };
        let unclosed = if closed { None } else { unclosed_record(csv.text.as_bytes(), delimiter) };
        if let Some((start, first)) = unclosed {
            // `start` follows a line end (or is 0), so it is a character boundary.
            csv.unclosed = Some((csv.line_at(start), first && header));
            csv.end = start;
        }
        csv
    }

    /// The field delimiter found on the header line.
    pub(crate) fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// How many lines the text has: its line ends (a CR, a LF or both together are one).
    pub(crate) fn lines(&self) -> u64 {
        u64::try_from(self.newlines.len()).unwrap_or(u64::MAX)
    }

    /// A reader from the header on (from the first record, for a later piece).
    pub(crate) fn rows(&self) -> CsvRows<'_> {
        let records = self.text.as_bytes().get(..self.end).unwrap_or_default();
        let reader = csv::ReaderBuilder::new().flexible(true).has_headers(self.header).delimiter(self.delimiter).from_reader(records);
        CsvRows { csv: self, reader, ended: false }
    }

    /// The line (the first is 1) of the record that starts at `byte` in the text: blank
    /// lines before it are skipped, as the reader skips them.
    fn line_at(&self, byte: usize) -> u64 {
        let bytes = self.text.as_bytes();
        let mut at = byte.min(bytes.len());
        while bytes.get(at) == Some(&b'\n') {
            at += 1;
        }
        let before = self.newlines.partition_point(|&n| n < at);
        u64::try_from(before).unwrap_or(u64::MAX - 1).saturating_add(1).saturating_add(self.lines_before)
    }
}

/// The delimiter of a file whose first lines are `head` (see [`header_delimiter`]), with
/// its line ends as they come (CR, LF or both).
pub(crate) fn delimiter_of(head: &str) -> u8 {
    let head = head.strip_prefix('\u{feff}').unwrap_or(head);
    header_delimiter(&head.replace('\r', "\n"))
}

/// `;` or a tab when the first record has more of them than commas outside quotes, else `,`.
fn header_delimiter(text: &str) -> u8 {
    let (mut commas, mut semicolons, mut tabs, mut quoted) = (0usize, 0usize, 0usize, false);
    for b in text.trim_start_matches('\n').bytes() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            b',' if !quoted => commas += 1,
            b';' if !quoted => semicolons += 1,
            b'\t' if !quoted => tabs += 1,
            _ => {}
        }
    }
    if tabs > commas && tabs > semicolons {
        b'\t'
    } else if semicolons > commas {
        b';'
    } else {
        b','
    }
}

/// The start of the record whose quoted field is still open at the end of `bytes` (LF line
/// ends only), and whether it is the first record; `None` when every quote is closed.
fn unclosed_record(bytes: &[u8], delimiter: u8) -> Option<(usize, bool)> {
    if !bytes.contains(&b'"') {
        return None;
    }
    let scanner = Scanner::new(delimiter);
    let (mut state, mut record_start, mut records) = (Scan::StartRecord, 0usize, 0usize);
    for (i, &b) in bytes.iter().enumerate() {
        if state == Scan::StartRecord && b != b'\n' {
            record_start = i;
            records += 1;
        }
        state = scanner.next(state, scanner.class(b));
    }
    (state == Scan::Quoted).then_some((record_start, records == 1))
}

/// The records of a [`CsvText`], each with its line.
pub(crate) struct CsvRows<'a> {
    csv: &'a CsvText<'a>,
    reader: csv::Reader<&'a [u8]>,
    ended: bool,
}

/// The message for a record whose quoted field is never closed.
pub(crate) const UNCLOSED: &str = "a quoted field is not closed";

/// A row that is not imported because it cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum BadRow {
    /// The record at this line opens a quoted field that is never closed.
    Unclosed(u64),
    /// The `csv` reader's error at this line.
    Unreadable(u64, String),
}

impl BadRow {
    pub(crate) fn line(&self) -> u64 {
        match self {
            BadRow::Unclosed(line) | BadRow::Unreadable(line, _) => *line,
        }
    }

    /// Why, without a full stop: "a quoted field is not closed", "the row cannot be read (…)";
    /// `what` names the row ("row", "condition row").
    pub(crate) fn reason(&self, what: &str) -> String {
        match self {
            BadRow::Unclosed(_) => UNCLOSED.to_string(),
            BadRow::Unreadable(_, e) => format!("the {what} cannot be read ({e})"),
        }
    }
}

impl CsvRows<'_> {
    /// The header row, or its line and why it cannot be read ("a quoted field is not
    /// closed", without a full stop).
    pub(crate) fn header(&mut self) -> Result<csv::StringRecord, (u64, String)> {
        if let Some((line, true)) = self.csv.unclosed {
            return Err((line, format!("{UNCLOSED} in the header")));
        }
        match self.reader.headers() {
            Ok(h) => Ok(h.clone()),
            Err(e) => Err((self.line_of(e.position()), format!("the header cannot be read ({e})"))),
        }
    }

    /// The next row that is not blank, into `record`, with its line; a row that cannot be
    /// read, and last a quoted field that is never closed, as a [`BadRow`]; `None` at the end.
    pub(crate) fn next(&mut self, record: &mut csv::StringRecord) -> Option<Result<u64, BadRow>> {
        if self.ended {
            return None;
        }
        loop {
            match self.reader.read_record(record) {
                Ok(true) if record.iter().all(|f| f.trim().is_empty()) => continue,
                Ok(true) => return Some(Ok(self.line_of(record.position()))),
                Err(e) => return Some(Err(BadRow::Unreadable(self.line_of(e.position()), e.to_string()))),
                Ok(false) => {
                    self.ended = true;
                    return match self.csv.unclosed {
                        Some((line, false)) => Some(Err(BadRow::Unclosed(line))),
                        _ => None,
                    };
                }
            }
        }
    }

    fn line_of(&self, position: Option<&csv::Position>) -> u64 {
        let byte = position.and_then(|p| usize::try_from(p.byte()).ok()).unwrap_or(0);
        self.csv.line_at(byte)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (line, fields) of every row, and the problems, as `Line N: why`.
    fn read(text: &str) -> (Vec<String>, Vec<(u64, Vec<String>)>, Vec<String>) {
        let csv = CsvText::new(text);
        let mut rows = csv.rows();
        let header = rows.header().map(|h| h.iter().map(str::to_string).collect()).unwrap_or_else(|(l, m)| vec![format!("Line {l}: {m}")]);
        let (mut out, mut problems) = (Vec::new(), Vec::new());
        let mut record = csv::StringRecord::new();
        while let Some(r) = rows.next(&mut record) {
            match r {
                Ok(line) => out.push((line, record.iter().map(str::to_string).collect())),
                Err(bad) => problems.push(format!("Line {}: {}", bad.line(), bad.reason("row"))),
            }
        }
        (header, out, problems)
    }

    fn fields(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn an_unterminated_quote_is_named_by_its_line_and_swallows_nothing() {
        let mut text = String::from("Id,BIRTHDATE,FIRST,LAST\n");
        for n in 1..=10 {
            if n == 10 {
                text.push_str("p10,1980-01-01,\"Ana,Lima\n");
            } else {
                text.push_str(&format!("p{n},1980-01-0{n},Ana{n},Lima\n"));
            }
        }
        text.push_str("p11,1980-01-01,Rui,Costa\n");
        let (_, rows, problems) = read(&text);
        assert_eq!(problems, vec!["Line 11: a quoted field is not closed"]);
        assert_eq!(rows.len(), 9);
        assert_eq!(rows.last().map(|(l, f)| (*l, f[0].as_str())), Some((10, "p9")));
        // A quoted field over two lines that is closed is an ordinary field.
        let (_, rows, problems) = read("a,b\n\"two\nlines\",x\ny,z\n");
        assert!(problems.is_empty());
        assert_eq!(rows, vec![(2, fields(&["two\nlines", "x"])), (4, fields(&["y", "z"]))]);
        // "" inside quotes, and a quote after text, do not open anything.
        let (_, rows, problems) = read("a,b\n\"say \"\"hi\"\"\",5\"\n6,7\n");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(rows, vec![(2, fields(&["say \"hi\"", "5\""])), (3, fields(&["6", "7"]))]);
        // In the header.
        let (header, rows, problems) = read("\"Id,BIRTHDATE\nx,y\n");
        assert_eq!(header, vec!["Line 1: a quoted field is not closed in the header"]);
        assert!(rows.is_empty() && problems.is_empty());
    }

    #[test]
    fn a_bom_is_dropped() {
        let (header, rows, _) = read("\u{feff}Id,Name\n1,Ana\n");
        assert_eq!(header, fields(&["Id", "Name"]));
        assert_eq!(rows, vec![(2, fields(&["1", "Ana"]))]);
    }

    #[test]
    fn crlf_and_cr_line_ends_give_the_lines_a_spreadsheet_shows() {
        let (header, rows, problems) = read("Id,Name\r\n1,Ana\r\n\r\n2,\"Rui\r\nCosta\"\r\n3,Bia\r\n4,\"open\r\n5,x\r\n");
        assert_eq!(header, fields(&["Id", "Name"]));
        assert_eq!(rows, vec![(2, fields(&["1", "Ana"])), (4, fields(&["2", "Rui\nCosta"])), (6, fields(&["3", "Bia"]))]);
        assert_eq!(problems, vec!["Line 7: a quoted field is not closed"]);
        let (_, rows, _) = read("Id,Name\r1,Ana\r2,Bia");
        assert_eq!(rows, vec![(2, fields(&["1", "Ana"])), (3, fields(&["2", "Bia"]))]);
    }

    #[test]
    fn semicolons_and_tabs_are_found_on_the_header_line() {
        let (header, rows, _) = read("\u{feff}Id;Name;\"Note, with comma\"\r\n1;\"Núñez, Ana\";2,5\r\n");
        assert_eq!(header, fields(&["Id", "Name", "Note, with comma"]));
        assert_eq!(rows, vec![(2, fields(&["1", "Núñez, Ana", "2,5"]))]);
        assert_eq!(CsvText::new("a,b;c\n").delimiter(), b',', "as many commas as semicolons: commas");
        assert_eq!(CsvText::new("a;b;c,d\n").delimiter(), b';');
        assert_eq!(CsvText::new("\n\n\"a;b\",c\n").delimiter(), b',', "quoted semicolons do not count");
        let (header, rows, _) = read("Id\tName\n1\tAna, Lima\n");
        assert_eq!(header, fields(&["Id", "Name"]));
        assert_eq!(rows, vec![(2, fields(&["1", "Ana, Lima"]))]);
    }

    #[test]
    fn blank_rows_are_skipped_and_lines_still_counted() {
        let (_, rows, _) = read("a,b\n\n,\n  ,  \n1,2\n\n");
        assert_eq!(rows, vec![(5, fields(&["1", "2"]))]);
        let (header, rows, _) = read("\n\na,b\n1,2\n");
        assert_eq!(header, fields(&["a", "b"]));
        assert_eq!(rows, vec![(4, fields(&["1", "2"]))]);
    }
}

/// Every CSV reader of `io` reads what Excel writes: a BOM, CRLF line ends, semicolons; and
/// each refuses a row whose quoted field is never closed, by its line, keeping the rows
/// before it.
#[cfg(test)]
mod readers {
    use crate::io::hsds::{self, ImportProblem};
    use crate::io::patients_csv::{self, PatientImport};
    use crate::io::{appointments_csv, patients_csv::FileProblem};
    use crate::model::patient::tests::{at, day, patient};
    use crate::model::Panel;

    const PATIENTS: &str = include_str!("../../../shared/testdata/synthea-csv/patients.csv");
    const CONDITIONS: &str = include_str!("../../../shared/testdata/synthea-csv/conditions.csv");
    const HSDS3_SERVICES: &str = include_str!("../../../shared/testdata/hsds-3/csv/services.csv");
    const HSDS3_ORGANIZATIONS: &str = include_str!("../../../shared/testdata/hsds-3/csv/organizations.csv");

    /// The same table as a European Excel saves it: BOM, `;` between fields, CRLF.
    fn european(text: &str) -> String {
        let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
        let mut w = csv::WriterBuilder::new().delimiter(b';').terminator(csv::Terminator::CRLF).flexible(true).from_writer(Vec::new());
        for r in reader.records() {
            w.write_record(&r.unwrap()).unwrap();
        }
        format!("\u{feff}{}", String::from_utf8(w.into_inner().unwrap()).unwrap())
    }

    fn crlf(text: &str) -> String {
        format!("\u{feff}{}", text.replace('\n', "\r\n"))
    }

    /// The first `rows` lines of `text` (header included), then `line` broken by an opening
    /// quote at the start of its third field, then the rest of the file.
    fn broken_at(text: &str, line: usize) -> String {
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let l = &mut lines[line - 1];
        let third = l.match_indices(',').nth(1).map(|(i, _)| i + 1).unwrap();
        l.insert(third, '"');
        lines.join("\n") + "\n"
    }

    fn synthea(text: &str) -> PatientImport {
        patients_csv::parse_synthea(text, day(2026, 11, 23), at(2026, 11, 23)).unwrap()
    }

    fn lines(rows: &[patients_csv::RowProblem]) -> Vec<String> {
        rows.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn synthea_patients_with_an_unterminated_quote() {
        // A Synthea-shaped file of 10 rows whose last row opens a quote it never closes.
        let ten: String = PATIENTS.lines().take(11).map(|l| format!("{l}\n")).collect();
        let got = synthea(&broken_at(&ten, 11));
        assert_eq!(lines(&got.problems), vec!["Line 11: a quoted field is not closed."]);
        assert_eq!((got.patients.len(), got.skipped.len()), (8, 1), "rows 2-10 are judged as usual");
        assert!(!got.patients.iter().any(|p| p.id.starts_with("4e62b363")), "the broken row is not imported");
        // In the whole sample: everything after line 11 is swallowed, so nothing of it is imported.
        let got = synthea(&broken_at(PATIENTS, 11));
        assert_eq!(lines(&got.problems), vec!["Line 11: a quoted field is not closed."]);
        assert_eq!(got.patients.len(), 8);
    }

    #[test]
    fn synthea_patients_and_conditions_from_excel() {
        let plain = synthea(PATIENTS);
        for text in [european(PATIENTS), crlf(PATIENTS)] {
            let got = synthea(&text);
            assert_eq!(got.patients, plain.patients);
            assert_eq!(lines(&got.skipped), lines(&plain.skipped), "the same lines");
        }
        let mut plain_with = plain.clone();
        patients_csv::parse_synthea_conditions(CONDITIONS, &mut plain_with, at(2026, 11, 23)).unwrap();
        for text in [european(CONDITIONS), crlf(CONDITIONS)] {
            let mut got = plain.clone();
            patients_csv::parse_synthea_conditions(&text, &mut got, at(2026, 11, 23)).unwrap();
            assert_eq!(got.conditions, plain_with.conditions);
            assert_eq!(lines(&got.skipped), lines(&plain_with.skipped));
        }
        let mut got = plain.clone();
        patients_csv::parse_synthea_conditions(&broken_at(CONDITIONS, 30), &mut got, at(2026, 11, 23)).unwrap();
        assert_eq!(lines(&got.problems), vec!["Line 30: a quoted field is not closed."]);
        // The pair, chosen together and told apart by content.
        let files = vec![("patients.csv".to_string(), european(PATIENTS)), ("conditions.csv".to_string(), crlf(CONDITIONS))];
        let got = patients_csv::detect_and_parse(&files, day(2026, 11, 23), at(2026, 11, 23), &mut || "x".to_string()).unwrap();
        assert_eq!((got.patients.len(), got.conditions.len()), (25, 162));
    }

    fn template(text: &str) -> Result<PatientImport, FileProblem> {
        let mut n = 0;
        patients_csv::parse_template(text, day(2026, 11, 23), at(2026, 11, 23), &mut || {
            n += 1;
            format!("new-{n}")
        })
    }

    #[test]
    fn the_template_from_excel_and_with_an_unterminated_quote() {
        let text = format!(
            "{}\nAna,Lima,1980-01-02,F,M1,,,\"1 Main St, Apt 2\",Boston,MA,02118,Portuguese,no,,\"two\nlines\",Asthma\nRui,Costa,1970-03-04,M,M2,,,,,,,,,,,\n",
            patients_csv::TEMPLATE_HEADER
        );
        let plain = template(&text).unwrap();
        assert_eq!(plain.patients.len(), 2);
        for excel in [european(&text), crlf(&text)] {
            let got = template(&excel).unwrap();
            assert!(got.problems.is_empty(), "{:?}", got.problems);
            assert_eq!(got.patients, plain.patients);
            assert_eq!(got.patients[0].notes, "two\nlines");
        }
        let broken = format!("{}Bia,Reis,1990-01-01,F,\"M3,,,,,,,,,,,\nEva,Dias,1990-01-01,F,M4,,,,,,,,,,,\n", text);
        let got = template(&broken).unwrap();
        assert_eq!(lines(&got.problems), vec!["Line 5: a quoted field is not closed."]);
        assert_eq!(got.patients, plain.patients);
        let header = template("first_name,\"last_name,date_of_birth\nAna,Lima,1980-01-02\n").unwrap_err();
        assert_eq!(header.0, "Line 1: a quoted field is not closed in the header.");
        let files = vec![("mine.csv".to_string(), "first_name,\"last_name,date_of_birth\n".to_string())];
        let chosen = patients_csv::detect_and_parse(&files, day(2026, 11, 23), at(2026, 11, 23), &mut || "x".into()).unwrap_err();
        assert_eq!(chosen.0, "mine.csv: line 1: a quoted field is not closed in the header.");
    }

    #[test]
    fn appointments_from_excel_and_with_an_unterminated_quote() {
        let mut a = patient("p1", "María", "Núñez", "1990-02-28");
        a.mrn = "MRN1".into();
        let panel = Panel::new(vec![a, patient("p2", "Liz", "Conn", "1986-11-28")]);
        let read = |text: &str| {
            let mut n = 0;
            appointments_csv::parse(text, &panel, &[], at(2026, 11, 22), || {
                n += 1;
                format!("a{n}")
            })
        };
        let text = "date,time,mrn,last_name,first_name,date_of_birth,provider,visit_type\n\
                    2026-11-23,09:30,MRN1,,,,\"Shah, Dr.\",Follow-up\n\
                    2026-11-23,10:00,,Conn,Liz,1986-11-28,,\n\
                    2026-11-23,11:00,,\"Conn,Liz,1986-11-28,,\n\
                    2026-11-24,11:00,MRN1,,,,,\n";
        let got = read(text).unwrap();
        assert_eq!(lines(&got.problems), vec!["Line 4: a quoted field is not closed."]);
        assert_eq!(got.appointments.len(), 2);
        assert_eq!(got.appointments[0].provider, "Shah, Dr.");
        let head: String = text.lines().take(3).map(|l| format!("{l}\n")).collect();
        let tail = "2026-11-23;11:00;;\"Conn;Liz;1986-11-28;;\r\n2026-11-24;11:00;MRN1;;;;;\r\n";
        for excel in [european(&head) + tail, crlf(text)] {
            let again = read(&excel).unwrap();
            assert_eq!(lines(&again.problems), lines(&got.problems));
            assert_eq!(again.appointments, got.appointments);
        }
        let far = read("date,time,mrn\n2201-01-01,09:00,MRN1\n").unwrap();
        assert_eq!(lines(&far.problems), vec!["Line 2: date '2201-01-01' is outside 1900–2200."]);
    }

    fn package(services: &str, organizations: &str) -> Result<hsds::DirectoryImport, FileProblem> {
        hsds::parse_tabular(
            &[("services.csv".to_string(), services.to_string()), ("organizations.csv".to_string(), organizations.to_string())],
            &[],
        )
    }

    fn problems(p: &[ImportProblem]) -> Vec<String> {
        p.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn the_hsds_package_from_excel_and_with_an_unterminated_quote() {
        let plain = package(HSDS3_SERVICES, HSDS3_ORGANIZATIONS).unwrap();
        assert_eq!(plain.services.len(), 1);
        let got = package(&european(HSDS3_SERVICES), &european(HSDS3_ORGANIZATIONS)).unwrap();
        assert_eq!(got.services, plain.services);
        assert!(got.problems.is_empty(), "{:?}", got.problems);
        let lf = package(&HSDS3_SERVICES.replace("\r\n", "\n"), &format!("\u{feff}{HSDS3_ORGANIZATIONS}")).unwrap();
        assert_eq!(lf.services, plain.services);

        let more = format!("{}x1,,,Food pantry,,,,,active\r\n\r\nx2,,,\"Broken,,,,active\r\nx3,,,Swallowed,,,,,active\r\n", HSDS3_SERVICES);
        let got = package(&more, HSDS3_ORGANIZATIONS).unwrap();
        assert_eq!(problems(&got.problems), vec!["services.csv line 5: a quoted field is not closed."]);
        let names: Vec<&str> = got.services.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Community Counselling", "Food pantry"]);
    }
}
