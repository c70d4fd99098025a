//! The cells of every CSV file CareCoord writes, made safe to open in a spreadsheet.
//!
//! Excel, LibreOffice and Google Sheets run a cell that starts with `=`, `+`, `-` or `@`
//! (or a tab or carriage return before one) as a formula: a patient name typed as
//! `=HYPERLINK("http://x","y")` would become a link in the clinic's spreadsheet ("CSV
//! injection"). As OWASP recommends, such a cell is written with a single quote in front
//! (`'=HYPERLINK(…)`), which spreadsheets show as text, and the field is quoted.
//!
//! The rule has no exceptions, so it also covers values the app writes itself: a negative
//! longitude `-71.06` or a phone `+44 1234 234567` is written `'-71.06`, `'+44 1234 234567`.
//! (A bare number is harmless, but "is this a number?" is not a question to get subtly
//! wrong in a security rule, and a spreadsheet still shows the value.) CareCoord's own
//! readers of what it exports take that quote off again with [`unescape`], so an export
//! reads back the same.
//!
//! [`SafeCsv`] writes whole files this way; every CSV writer in `io` uses it.

use std::borrow::Cow;

/// The first characters that make a spreadsheet read a cell as a formula.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether a spreadsheet would read `cell` as a formula.
fn is_formula(cell: &str) -> bool {
    cell.starts_with(FORMULA_START)
}

/// The cell as it is written: with a `'` in front when it starts with `=`, `+`, `-`, `@`,
/// a tab or a carriage return; else unchanged.
pub fn safe(cell: &str) -> Cow<'_, str> {
    if is_formula(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// A cell read back from a file CareCoord wrote: the `'` that [`safe`] added is taken off
/// (only when what follows starts like a formula, so "'s Hertogenbosch" stays as it is).
pub fn unescape(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if is_formula(rest) => rest,
        _ => cell,
    }
}

/// How lines end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineEnd {
    /// `\n`
    Lf,
    /// `\r\n` (what the HSDS examples use)
    CrLf,
}

/// A CSV file being written, every cell through [`safe`]. Fields are quoted when they hold
/// a quote, a comma, a semicolon, a tab or a line break (so a spreadsheet set to read
/// semicolons keeps the cell whole too), and when [`safe`] changed them.
pub struct SafeCsv {
    out: String,
    end: &'static str,
}

impl SafeCsv {
    /// A file with this header line.
    pub fn new<S: AsRef<str>>(header: impl IntoIterator<Item = S>, end: LineEnd) -> SafeCsv {
        let mut text = SafeCsv { out: String::new(), end: if end == LineEnd::CrLf { "\r\n" } else { "\n" } };
        text.row(header);
        text
    }

    /// Adds one line.
    pub fn row<S: AsRef<str>>(&mut self, cells: impl IntoIterator<Item = S>) -> &mut Self {
        let mut n = 0;
        for cell in cells {
            if n > 0 {
                self.out.push(',');
            }
            n += 1;
            let cell = cell.as_ref();
            let written = safe(cell);
            let quote = matches!(written, Cow::Owned(_)) || written.contains(['"', ',', ';', '\t', '\r', '\n']);
            if quote {
                self.out.push('"');
                self.out.push_str(&written.replace('"', "\"\""));
                self.out.push('"');
            } else {
                self.out.push_str(&written);
            }
        }
        self.out.push_str(self.end);
        self
    }

    /// The file's text.
    pub fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a CSV reader (the same crate the importers use) reads back.
    fn read_back(text: &str) -> Vec<Vec<String>> {
        let mut r = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
        r.records().map(|rec| rec.map(|rec| rec.iter().map(str::to_string).collect()).unwrap_or_default()).collect()
    }

    #[test]
    fn formulas_get_a_quote_in_front() {
        assert_eq!(safe("=HYPERLINK(\"http://x\",\"y\")"), "'=HYPERLINK(\"http://x\",\"y\")");
        assert_eq!(safe("+1 617 555 0100"), "'+1 617 555 0100");
        assert_eq!(safe("-3"), "'-3", "a negative number too: OWASP's rule has no exceptions");
        assert_eq!(safe("@SUM(A1:A9)"), "'@SUM(A1:A9)");
        assert_eq!(safe("\t=1+1"), "'\t=1+1");
        assert_eq!(safe("\r=1+1"), "'\r=1+1");
        for plain in ["Lima, Ana", "617-555-0100", "", "3-4", "a=b", " =x", "'quoted"] {
            assert_eq!(safe(plain), plain, "{plain:?}");
        }
    }

    #[test]
    fn unescape_takes_off_only_the_quote_safe_added() {
        for cell in ["=HYPERLINK(\"http://x\",\"y\")", "-3", "+44 1234 234567", "@x", "\tx", "'s Hertogenbosch", "plain", "", "'"] {
            assert_eq!(unescape(&safe(cell)), cell, "{cell:?}");
        }
        assert_eq!(unescape("'s Hertogenbosch"), "'s Hertogenbosch");
    }

    #[test]
    fn a_file_quotes_changed_cells_and_reads_back_with_the_quote() {
        let mut f = SafeCsv::new(["name", "note", "n"], LineEnd::Lf);
        f.row(["=HYPERLINK(\"http://x\",\"y\")", "Lima, Ana", "-3"]);
        f.row(["a;=1+1", "plain", "4"]);
        let text = f.finish();
        assert_eq!(text, "name,note,n\n\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",\"Lima, Ana\",\"'-3\"\n\"a;=1+1\",plain,4\n");
        let rows = read_back(&text);
        assert_eq!(rows[1], vec!["'=HYPERLINK(\"http://x\",\"y\")", "Lima, Ana", "'-3"]);
        assert_eq!(rows[1].iter().map(|c| unescape(c)).collect::<Vec<_>>(), vec!["=HYPERLINK(\"http://x\",\"y\")", "Lima, Ana", "-3"]);
        let crlf = SafeCsv::new(["a", "b"], LineEnd::CrLf).finish();
        assert_eq!(crlf, "a,b\r\n");
    }

    #[test]
    fn the_templates_hold_no_formula() {
        // The two templates are fixed text with a fictional example row, not data: they are
        // written as they are, and nothing in them starts like a formula.
        for template in [crate::io::patients_csv::template_csv(), crate::io::appointments_csv::template_csv()] {
            for row in read_back(&template) {
                assert!(row.iter().all(|c| safe(c) == c.as_str()), "{row:?}");
            }
        }
    }
}
