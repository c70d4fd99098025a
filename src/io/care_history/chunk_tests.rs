//! Reading in chunks gives exactly what reading whole texts gives.

use super::*;
use crate::io::csv_read::Scan;
use crate::io::synth;
use crate::model::care::{default_rules, items};
use crate::model::patient::tests::at;

const OBSERVATIONS: &str = include_str!("../../../../shared/testdata/synthea-csv/observations.csv");
const IMMUNIZATIONS: &str = include_str!("../../../../shared/testdata/synthea-csv/immunizations.csv");
const ENCOUNTERS: &str = include_str!("../../../../shared/testdata/synthea-csv/encounters.csv");
const IMMUNIZATION_NDJSON: &str = include_str!("../../../../shared/testdata/fhir-ndjson/Immunization.000.ndjson");
const PATIENT_NDJSON: &str = include_str!("../../../../shared/testdata/fhir-ndjson/Patient.000.ndjson");
const CONDITION_NDJSON: &str = include_str!("../../../../shared/testdata/fhir-ndjson/Condition.000.ndjson");
const BUSTER: &str = include_str!("../../../../shared/testdata/fhir-bundle/Buster_Hoeger_ad2e3fc5-2b5d-4cb9-8d03-9ea0f4ac8423.json");
const LIZ: &str = include_str!("../../../../shared/testdata/fhir-bundle/Liz_Conn_27c911c6-f045-4ffa-af5d-6eba57ac94b2.json");

const SAMPLES: [(&str, &str); 6] = [
    ("observations.csv", OBSERVATIONS),
    ("immunizations.csv", IMMUNIZATIONS),
    ("encounters.csv", ENCOUNTERS),
    ("Immunization.000.ndjson", IMMUNIZATION_NDJSON),
    ("Patient.000.ndjson", PATIENT_NDJSON),
    ("Condition.000.ndjson", CONDITION_NDJSON),
];

const SIZES: [usize; 3] = [1024, 7 * 1024, 64 * 1024];

fn whole(files: &[(&str, &str)]) -> Result<CareHistory, FileProblem> {
    let files: Vec<(String, String)> = files.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect();
    parse(&files, &default_rules(), at(2026, 11, 23))
}

fn reader() -> HistoryReader {
    HistoryReader::new(&default_rules(), at(2026, 11, 23))
}

/// Each file's text cut with [`record_end`] into chunks of about `size` bytes (more when a
/// record is longer) and fed as text; with the number of chunks fed.
fn in_chunks(files: &[(&str, &str)], size: usize) -> Result<(CareHistory, usize), FileProblem> {
    let mut r = reader();
    let mut chunks = 0;
    for (name, text) in files {
        let kind = r.start_file(name, text)?;
        let (bytes, start) = (text.as_bytes(), RecordScan::of(kind, text));
        let mut at = 0;
        while at < bytes.len() {
            let mut take = size;
            let cut = loop {
                let to = (at + take).min(bytes.len());
                // Every chunk starts where a record does: the scan starts afresh.
                let (end, _) = record_end(&bytes[at..to], start);
                if end > 0 {
                    break at + end;
                }
                if to == bytes.len() {
                    break to;
                }
                take *= 2;
            };
            r.feed(std::str::from_utf8(&bytes[at..cut]).expect("a cut where a record ends splits no character"))?;
            chunks += 1;
            at = cut;
        }
        r.end_file()?;
    }
    Ok((r.finish(), chunks))
}

/// Each file's bytes in pieces of `size` as the browser reads them (cut anywhere), fed with
/// [`HistoryReader::feed_bytes`].
fn in_pieces(files: &[(&str, &[u8])], size: usize) -> Result<CareHistory, FileProblem> {
    let mut r = reader();
    for (name, bytes) in files {
        r.start_file(name, &head_text(bytes))?;
        for piece in bytes.chunks(size) {
            r.feed_bytes(piece)?;
        }
        r.end_file()?;
    }
    Ok(r.finish())
}

fn as_bytes<'a>(files: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a [u8])> {
    files.iter().map(|(n, t)| (*n, t.as_bytes())).collect()
}

fn problems(h: &CareHistory) -> Vec<String> {
    h.problems.iter().chain(&h.skipped).map(ToString::to_string).collect()
}

#[test]
fn record_end_cuts_after_whole_records() {
    let csv = RecordScan::csv(b',');
    assert_eq!(record_end(b"a,b\n1,2\n3,", csv).0, 8);
    assert_eq!(record_end(b"a,b", csv).0, 0, "no record ends");
    // A quoted field holding a line end and a comma: not cut inside it.
    let text = b"a,b\n1,\"two\nlines, and a comma\"\n2,x\n";
    let inside = text.iter().position(|&b| b == b'l').unwrap();
    let (end, scan) = record_end(&text[..inside], csv);
    assert_eq!((end, scan.in_quotes()), (4, true), "after the header; the scan is inside the quotes");
    let (more, scan) = record_end(&text[inside..], scan);
    assert_eq!((inside + more, scan.in_quotes()), (text.len(), false), "going on from there: the end of the file");
    assert_eq!(record_end(text, csv).0, text.len());
    // A quote inside a field is a character, as the csv crate reads it: it opens nothing.
    assert_eq!(record_end(b"a,b\n5\",x\n6,y\n", csv).0, 13);
    let semicolons = b"a;b\n1,\"x\n2;y\n";
    assert_eq!(record_end(semicolons, RecordScan::csv(b';')).0, 13, "in a ;-file a quote after a comma is text");
    assert_eq!(record_end(semicolons, csv).0, 4, "in a ,-file it opens a quoted field");
    // CRLF is never cut between its two bytes; a lone CR ends a line once what follows is known.
    assert_eq!(record_end(b"a,b\r\n1,2\r", csv).0, 5);
    assert_eq!(record_end(b"a,b\r1,2\r3", csv).0, 8);
    let (end, scan) = record_end(b"a,b\r", csv);
    assert_eq!(end, 0);
    assert_eq!(record_end(b"\n1,2", scan).0, 1, "the LF of a CRLF split between two reads");
    // By lines (NDJSON): a quote is JSON's business, the line end is the record's.
    assert_eq!(record_end(b"{\"a\":\"x,\\\"\"}\n{\"b\":", RecordScan::lines()).0, 13);
    assert_eq!(RecordScan::of(FileKind::SyntheaObservations, "DATE;PATIENT;CODE;VALUE\r\n"), RecordScan::csv(b';'));
    // A UTF-8 character is never split: its bytes are never a line end or a quote.
    let accents = "a,b\nJosé,Núñez\nÉ,ü".as_bytes();
    let (end, _) = record_end(accents, csv);
    assert!(std::str::from_utf8(&accents[..end]).is_ok() && std::str::from_utf8(&accents[end..]).is_ok());
}

#[test]
fn record_end_is_the_byte_by_byte_scan() {
    // Every string of these bytes up to 6 long, from each state outside quotes.
    let alphabet = [b'a', b',', b'\n', b'\r'];
    let mut texts: Vec<Vec<u8>> = vec![Vec::new()];
    for len in 1..=6 {
        for n in 0..alphabet.len().pow(len) {
            texts.push((0..len).map(|k| alphabet[n / alphabet.len().pow(k) % alphabet.len()]).collect());
        }
    }
    for text in &texts {
        for state in [Scan::StartRecord, Scan::StartField, Scan::InField] {
            let from = RecordScan { state, ..RecordScan::csv(b',') };
            assert_eq!(super::chunks::unquoted_end(text, from), super::chunks::scanned_end(text, from, b','), "{:?} from {state:?}", String::from_utf8_lossy(text));
        }
    }
    // And the scan's table is `csv_read::step`, quotes and all.
    let alphabet = [b'a', b',', b'\n', b'\r', b'"'];
    for n in 0..alphabet.len().pow(6) {
        let text: Vec<u8> = (0..6).map(|k| alphabet[n / alphabet.len().pow(k) % alphabet.len()]).collect();
        for from in [Scan::StartRecord, Scan::Quoted, Scan::QuoteInQuoted] {
            let mut state = from;
            let mut end = 0;
            for (i, &b) in text.iter().enumerate() {
                state = crate::io::csv_read::step(state, b, b',');
                if state == Scan::StartRecord && (b == b'\n' || (b == b'\r' && text.get(i + 1).is_some_and(|&c| c != b'\n'))) {
                    end = i + 1;
                }
            }
            let got = record_end(&text, RecordScan { state: from, ..RecordScan::csv(b',') });
            assert_eq!(got, (end, RecordScan { state, ..RecordScan::csv(b',') }), "{:?} from {from:?}", String::from_utf8_lossy(&text));
        }
    }
}

#[test]
fn each_sample_file_in_chunks_gives_what_the_whole_text_gives() {
    for (name, text) in SAMPLES {
        let expected = whole(&[(name, text)]).unwrap();
        for size in SIZES {
            let (got, chunks) = in_chunks(&[(name, text)], size).unwrap();
            assert_eq!(got, expected, "{name} cut at record ends near {size} bytes");
            assert!(chunks >= 2 || text.len() < 2 * size, "{name}: {chunks} chunks of {size}");
            let got = in_pieces(&as_bytes(&[(name, text)]), size).unwrap();
            assert_eq!(got, expected, "{name} in pieces of {size} bytes");
        }
    }
    // The sample's events are there (not two empty histories alike).
    let obs = in_pieces(&as_bytes(&[("observations.csv", OBSERVATIONS)]), 1024).unwrap();
    assert_eq!(obs.events.iter().filter(|e| e.item == items::BLOOD_PRESSURE).count(), 27);
    assert_eq!(obs.events.iter().filter(|e| e.item == items::HBA1C).count(), 7);
    // Byte by byte, every cut there is.
    let got = in_pieces(&as_bytes(&[("immunizations.csv", IMMUNIZATIONS)]), 1).unwrap();
    assert_eq!(got, whole(&[("immunizations.csv", IMMUNIZATIONS)]).unwrap());
}

#[test]
fn files_chosen_together_in_chunks_give_what_their_texts_give() {
    let files = [SAMPLES[0], SAMPLES[1], SAMPLES[2], SAMPLES[3], ("Buster.json", BUSTER), ("Liz.json", LIZ)];
    let expected = whole(&files).unwrap();
    assert!(!expected.encounters.is_empty() && expected.events.len() > 100);
    for size in SIZES {
        assert_eq!(in_chunks(&files, size).unwrap().0, expected, "cut near {size} bytes");
        assert_eq!(in_pieces(&as_bytes(&files), size).unwrap(), expected, "pieces of {size} bytes");
    }
}

#[test]
fn a_quoted_field_with_a_line_end_and_a_comma_is_cut_around() {
    let text = "DATE,PATIENT,ENCOUNTER,CATEGORY,CODE,DESCRIPTION,VALUE,UNITS,TYPE\n\
        2023-01-01,p1,e1,laboratory,4548-4,\"Hemoglobin A1c, as the lab\nwrites it\",7.1,%,numeric\n\
        2023-01-02,p1,e2,laboratory,4548-4,HbA1c,7.3,%,numeric\n\
        2023-02-31,p1,e3,laboratory,4548-4,HbA1c,7.4,%,numeric\n\
        2023-01-01,p1,e1,laboratory,4548-4,\"Hemoglobin A1c, again\",7.1,%,numeric\n";
    let expected = whole(&[("obs.csv", text)]).unwrap();
    assert_eq!(expected.events.iter().map(|e| e.value.as_deref().unwrap_or("")).collect::<Vec<_>>(), ["7.1", "7.3"]);
    assert_eq!(
        problems(&expected),
        [
            "obs.csv line 5: the date '2023-02-31' is not a date.",
            "obs.csv line 6: Hemoglobin A1c/Hemoglobin.total in Blood of p1 on 2023-01-01 appears again; the first is kept."
        ]
    );
    // The first piece ends inside the quotes ("as the la|b"): its whole record waits.
    let inside = text.find("the lab").unwrap() + 6;
    let (end, scan) = record_end(&text.as_bytes()[..inside], RecordScan::csv(b','));
    assert_eq!((end, scan.in_quotes()), (text.find('\n').unwrap() + 1, true), "only the header is whole");
    let mut r = reader();
    r.start_file("obs.csv", text).unwrap();
    r.feed_bytes(&text.as_bytes()[..inside]).unwrap();
    r.feed_bytes(&text.as_bytes()[inside..]).unwrap();
    r.end_file().unwrap();
    assert_eq!(r.finish(), expected);
    for size in [1, 8, 70, 100] {
        assert_eq!(in_chunks(&[("obs.csv", text)], size).unwrap().0, expected, "{size}");
        assert_eq!(in_pieces(&[("obs.csv", text.as_bytes())], size).unwrap(), expected, "{size}");
    }
}

#[test]
fn a_problem_in_a_later_chunk_names_its_line_in_the_file() {
    // The sample with a bad date on line 900 and a quote never closed on line 950 (which
    // swallows the rest of the file): at 7 KB a chunk (170 bytes a row), chunk 3 or later.
    let mut lines: Vec<String> = OBSERVATIONS.lines().map(str::to_string).collect();
    lines[899] = "2023-02-31,p1,e1,laboratory,4548-4,HbA1c,7,%,numeric".into();
    lines[949] = "2023-03-01,p1,e2,\"laboratory,4548-4,HbA1c,7,%,numeric".into();
    let text = lines.join("\n") + "\n";
    let expected = whole(&[("observations.csv", &text)]).unwrap();
    let said = problems(&expected);
    assert_eq!(said, ["observations.csv line 900: the date '2023-02-31' is not a date.", "observations.csv line 950: a quoted field is not closed."]);
    let (got, chunks) = in_chunks(&[("observations.csv", &text)], 7 * 1024).unwrap();
    assert!(chunks >= 3 && 900 * 170 > 2 * 7 * 1024);
    assert_eq!(problems(&got), said);
    assert_eq!(got, expected);
    // NDJSON: a line that is not JSON stops the file, named by its line.
    let mut nd: Vec<&str> = IMMUNIZATION_NDJSON.lines().collect();
    nd[120] = "{\"resourceType\":";
    let nd = nd.join("\n");
    let refused = whole(&[("Immunization.000.ndjson", &nd)]).unwrap_err();
    assert_eq!(refused.0, "Immunization.000.ndjson: line 121: not valid JSON (column 16).");
    assert_eq!(in_chunks(&[("Immunization.000.ndjson", &nd)], 7 * 1024).unwrap_err(), refused);
    assert_eq!(in_pieces(&[("Immunization.000.ndjson", nd.as_bytes())], 7 * 1024).unwrap_err(), refused);
}

#[test]
fn a_quote_never_closed_is_not_held_past_8_mb() {
    // A stray quote on line 3, then 9 MB of rows: whole, nothing after line 3 is read; in
    // pieces the same, without holding the 9 MB.
    let head = "DATE,PATIENT,ENCOUNTER,CATEGORY,CODE,DESCRIPTION,VALUE,UNITS,TYPE\n\
        2023-01-01,p1,e1,laboratory,4548-4,HbA1c,7.1,%,numeric\n\
        2023-01-02,p1,e2,laboratory,4548-4,\"HbA1c,7.2,%,numeric\n";
    let row = "2023-01-03,p2,e3,laboratory,4548-4,HbA1c,7.3,%,numeric\n";
    let text = head.to_string() + &row.repeat(9 * 1024 * 1024 / row.len());
    let expected = whole(&[("obs.csv", &text)]).unwrap();
    assert_eq!(problems(&expected), ["obs.csv line 3: a quoted field is not closed."]);
    assert_eq!(expected.events.len(), 1);
    let mut r = reader();
    r.start_file("obs.csv", &text).unwrap();
    for piece in text.as_bytes().chunks(1024 * 1024) {
        r.feed_bytes(piece).unwrap();
        let held = r.held_bytes();
        assert!(held <= super::chunks::LONGEST_RECORD + 1024 * 1024, "{held} bytes held");
    }
    r.end_file().unwrap();
    assert_eq!(r.finish(), expected);
}

#[test]
fn blood_pressure_halves_and_repeats_are_found_across_chunks() {
    let head = "DATE,PATIENT,ENCOUNTER,CATEGORY,CODE,DESCRIPTION,VALUE,UNITS,TYPE\n";
    let diastolic = "2023-05-01T10:00:00Z,p1,e1,vital-signs,8462-4,Diastolic Blood Pressure,91,mm[Hg],numeric\n";
    let systolic = "2023-05-01T10:00:00Z,p1,e1,vital-signs,8480-6,Systolic Blood Pressure,141,mm[Hg],numeric\n";
    let mut r = reader();
    r.start_file("observations.csv", head).unwrap();
    for chunk in [head, diastolic, systolic, diastolic] {
        r.feed(chunk).unwrap();
    }
    r.end_file().unwrap();
    let h = r.finish();
    assert_eq!(h.events.iter().map(|e| e.value.as_deref().unwrap_or("")).collect::<Vec<_>>(), ["141/91"]);
    assert_eq!(problems(&h), ["observations.csv line 4: Blood pressure of p1 on 2023-05-01 appears again; the first is kept."]);
    assert_eq!(h, whole(&[("observations.csv", &[head, diastolic, systolic, diastolic].concat())]).unwrap());
}

#[test]
fn files_as_excel_saves_them_in_chunks() {
    let rows = [
        "DATE;PATIENT;ENCOUNTER;CATEGORY;CODE;DESCRIPTION;VALUE;UNITS;TYPE",
        "2023-01-01;Nuñez;e1;laboratory;4548-4;\"Hemoglobin A1c;\r\nin Blood\";7,1;%;numeric",
        "2023-01-01;Nuñez;e1;vital-signs;8462-4;Diastolic;80;mm[Hg];numeric",
        "2023-01-01;Nuñez;e1;vital-signs;8480-6;Systolic;120;mm[Hg];numeric",
        "2023-01-32;José;e2;laboratory;4548-4;HbA1c;7;%;numeric",
    ];
    let crlf = format!("\u{feff}{}\r\n", rows.join("\r\n"));
    let cr = rows.join("\r");
    // Windows-1252: every accent one byte.
    let cp1252: Vec<u8> = crlf.trim_start_matches('\u{feff}').chars().map(|c| if c == 'ñ' { 0xF1 } else if c == 'é' { 0xE9 } else { c as u8 }).collect();
    let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain(crlf.trim_start_matches('\u{feff}').encode_utf16().flat_map(u16::to_le_bytes)).collect();
    let expected = whole(&[("obs.csv", &crlf)]).unwrap();
    assert_eq!(expected.events.len(), 2);
    assert_eq!(problems(&expected), ["obs.csv line 6: the date '2023-01-32' is not a date."]);
    assert_eq!(expected.events[0].patient_id, "Nuñez");
    for bytes in [crlf.as_bytes(), cr.as_bytes(), &cp1252, &utf16] {
        for size in [1, 2, 5, 64, 1000] {
            let got = in_pieces(&[("obs.csv", bytes)], size).unwrap();
            let decoded = crate::io::text::decode(bytes, "obs.csv").unwrap().text;
            assert_eq!(got, whole(&[("obs.csv", &decoded)]).unwrap(), "{size}");
            assert_eq!(got.events, expected.events, "{size}");
        }
    }
    let mut r = reader();
    r.start_file("obs.csv", &head_text(&cp1252)).unwrap();
    r.feed_bytes(&cp1252).unwrap();
    r.end_file().unwrap();
    assert_eq!(r.notes(), ["obs.csv was not UTF-8; read it as Windows-1252 (Excel's encoding). Check accented names in the preview."]);
}

#[test]
fn a_template_is_chosen_alone_in_chunks_too() {
    let template = "mrn,item,date,value\nM1,hba1c,2026-01-01,7.2\nM1,Blood pressure,2026-01-02,150/95\nM1,hba1c,2026-01-01,7.5\n";
    let expected = whole(&[("t.csv", template)]).unwrap();
    assert_eq!(problems(&expected), ["t.csv line 4: hba1c on 2026-01-01 for MRN M1 is already on line 2."]);
    assert_eq!(in_chunks(&[("t.csv", template)], 1).unwrap().0, expected);
    let alone = "Choose one CareCoord care history template at a time, without other files.";
    let mut r = reader();
    r.start_file("t.csv", template).unwrap();
    r.feed(template).unwrap();
    r.end_file().unwrap();
    assert_eq!(r.start_file("immunizations.csv", IMMUNIZATIONS).unwrap_err().0, alone);
    let mut r = reader();
    r.start_file("immunizations.csv", IMMUNIZATIONS).unwrap();
    r.feed(IMMUNIZATIONS).unwrap();
    assert_eq!(r.start_file("t.csv", template).unwrap_err().0, alone, "refused before the file before is ended");
    r.end_file().unwrap();
    assert_eq!(r.finish(), whole(&[("immunizations.csv", IMMUNIZATIONS)]).unwrap());
    // kind_of's checks hold for a head.
    assert!(reader().start_file("patients.csv", "Id,BIRTHDATE,FIRST,LAST\n").unwrap_err().0.starts_with("patients.csv is a patient list"));
    assert_eq!(reader().feed("x").unwrap_err().0, "No file was started: start_file comes before feed and end_file.");
}

#[test]
fn a_file_is_judged_by_its_first_64_kb_either_way() {
    // A header line longer than 64 KB: its columns after that are not seen, whole or in chunks.
    let long = format!("Id,{},START,STOP,PATIENT,ENCOUNTERCLASS,CODE\ne1,x,2023-01-01T10:00:00Z,,p1,wellness,1\n", "9".repeat(100_000));
    let refused = whole(&[("encounters.csv", &long)]).unwrap_err();
    assert!(refused.0.starts_with("encounters.csv is not care history"), "{refused:?}");
    assert_eq!(in_pieces(&[("encounters.csv", long.as_bytes())], 7 * 1024).unwrap_err(), refused);
    // Within 64 KB, it is read.
    let fits = long.replacen(&"9".repeat(100_000), &"9".repeat(60_000), 1);
    assert_eq!(in_pieces(&[("encounters.csv", fits.as_bytes())], 7 * 1024).unwrap(), whole(&[("encounters.csv", &fits)]).unwrap());
    assert_eq!(whole(&[("encounters.csv", &fits)]).unwrap().encounters.len(), 1);
}

#[test]
fn a_generated_clinic_file_in_chunks_finds_every_care_item() {
    let panel = synth::patients(500, 3, at(2026, 1, 1));
    let keys = synth::patient_keys(&panel);
    let pieces: Vec<String> = synth::observations_csv(&keys, 20_000, 7).collect();
    let text = pieces.concat();
    let rows: Vec<Vec<&str>> = text.lines().skip(1).map(|l| l.split(',').collect()).collect();
    assert!((20_000..20_040).contains(&rows.len()), "{}", rows.len());
    let count = |code: &str| rows.iter().filter(|r| r[4] == code).count();
    let mut r = reader();
    r.start_file("observations.csv", &pieces[0]).unwrap();
    for piece in &pieces {
        r.feed_bytes(piece.as_bytes()).unwrap();
    }
    r.end_file().unwrap();
    let h = r.finish();
    assert!(h.problems.is_empty() && h.skipped.is_empty(), "{:?}", problems(&h).first());
    let events = |item: &str| h.events.iter().filter(|e| e.item == item).count();
    assert_eq!(events(items::BLOOD_PRESSURE), count("8480-6"), "one reading a visit");
    assert_eq!(count("8480-6"), count("8462-4"));
    assert!(h.events.iter().filter(|e| e.item == items::BLOOD_PRESSURE).all(|e| e.value.as_deref().is_some_and(|v| v.contains('/') && !v.contains('?'))));
    assert_eq!(events(items::HBA1C), count("4548-4"));
    assert_eq!(events(items::KIDNEY_SCREEN), count("33914-3"));
    assert_eq!(events(items::DEPRESSION_SCREEN), count("55758-7"));
    assert_eq!(events(items::PHQ9), count("44261-6"));
    assert_eq!(events(items::COLORECTAL_SCREEN), count("57905-2"));
    assert_eq!(h.events.len(), count("8480-6") + count("4548-4") + count("33914-3") + count("55758-7") + count("44261-6") + count("57905-2"));
    assert!(count("4548-4") > 100 && count("44261-6") > 10 && count("57905-2") > 10, "a realistic mix");
    let unmapped: usize = h.unmapped.iter().map(|u| u.count).sum();
    assert_eq!(unmapped + h.events.len() + count("8480-6"), rows.len(), "every other row counted as a code CareCoord does not use");
    let patients: std::collections::HashSet<&str> = h.events.iter().map(|e| e.patient_id.as_str()).collect();
    assert_eq!(patients.len(), 500, "the panel's own keys");
    assert!(panel.iter().all(|p| patients.contains(p.id.as_str())));
    assert_eq!(h, whole(&[("observations.csv", &text)]).unwrap());
}

/// The time to read a clinic's export, 400,000 rows of `observations.csv` (some 60 MB), in
/// pieces of 4 MB as the browser reads a file, and as one text; then the same with every
/// DESCRIPTION quoted, as some EHRs write it. `cargo test --release --lib
/// clinic_export_in_chunks -- --ignored --nocapture`.
#[test]
#[ignore]
fn clinic_export_in_chunks_timing() {
    let panel = synth::patients(10_000, 1, at(2026, 1, 1));
    let keys = synth::patient_keys(&panel);
    let mut generated = synth::observations_csv(&keys, 400_000, 1);
    let plain: String = generated.by_ref().collect();
    let quoted: String = plain
        .lines()
        .map(|l| {
            let mut cells: Vec<String> = l.split(',').map(str::to_string).collect();
            cells[5] = format!("\"{}\"", cells[5]);
            cells.join(",") + "\n"
        })
        .collect();
    for (what, text) in [("plain", &plain), ("quoted", &quoted)] {
        let pieces: Vec<&[u8]> = text.as_bytes().chunks(4 * 1024 * 1024).collect();
        let start = std::time::Instant::now();
        let mut r = reader();
        r.start_file("observations.csv", &head_text(pieces[0])).unwrap();
        for piece in &pieces {
            r.feed_bytes(piece).unwrap();
        }
        r.end_file().unwrap();
        let h = r.finish();
        let chunked = start.elapsed();
        let start = std::time::Instant::now();
        let all = whole(&[("observations.csv", text)]).unwrap();
        let at_once = start.elapsed();
        assert_eq!(h, all);
        println!(
            "{what}: {} rows, {:.1} MB, {} pieces of 4 MB, {} events: in chunks {:.0} ms, as one text {:.0} ms",
            generated.rows(),
            text.len() as f64 / 1e6,
            pieces.len(),
            h.events.len(),
            chunked.as_secs_f64() * 1e3,
            at_once.as_secs_f64() * 1e3
        );
    }
}
