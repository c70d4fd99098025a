//! The fuzz tier: every file reader of `carecoord::io` is fed thousands of damaged versions
//! of the real sample files in `../shared/testdata` (small built-in samples stand in when
//! that folder is missing), and what it accepts goes on through the app.
//!
//! **Deterministic.** A seeded splitmix64 (no fuzz crate) picks the mutations: byte flips,
//! truncation, inserted huge numbers and far dates ("99999999999999999999", "-1e309",
//! "+262142-12-31T23:00:00Z"), invalid UTF-8, deep nesting (100,000 `[`), quote storms,
//! very long lines, duplicated and deleted chunks, Excel's semicolons/CRLF/BOM, control
//! characters, and for zips, headers that lie about sizes and offsets. Input `i` of a parser
//! always gets the same seed, printed with its mutation when it fails, so a failure can be
//! replayed by running the tier again (`FUZZ_SEED` changes the base seed).
//!
//! **Checked for every input** (each run inside `catch_unwind`, so a panic is recorded with
//! its seed and mutation rather than ending the run):
//! - no panic;
//! - a refusal is a non-empty message that says where: a line, a column, a record or entry
//!   by number, a file name, or the whole file;
//! - what is accepted has every bad row named by its place (a line from 1, a file);
//! - then the app's own paths run on it: the panel (`Panel`, a search), the registry (care
//!   gaps, counts, the recall list and its CSV), the catalog (a search, "open now", review
//!   dates), every date and time formatted for display (`model::dates`, also in local time
//!   at several offsets), and the exports (backup, HSDS JSON and CSV package, zip, the CSV
//!   writers), which must read back: a backup of what was imported must import again to the
//!   same records, and the HSDS exports to the same services.
//!
//! **How many inputs.** 2,000 per parser in a release build: the "fuzz (parsers)" tier of
//! `scripts/test-all.sh` runs `cargo test --release --test fuzz -- --nocapture` (about a
//! minute on two cores) and prints a line per parser ("fuzz backup: 2000 inputs, 1432
//! refused, 568 accepted, 0 panics"). In a debug build, as the plain `cargo test` of the
//! native tier runs it, 20 per parser: a smoke run, so that tier stays quick and does not do
//! the full run a second time, slowly. `FUZZ_FULL=1` gives 2,000 in a debug build too, and
//! `FUZZ_INPUTS=n` any number. `FUZZ_SHOW=1` prints every refusal's message.
#![cfg(not(target_arch = "wasm32"))]

use std::cell::{Cell, RefCell};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::time::Instant;

use carecoord::io::backup::{self, BackupContents};
use carecoord::io::hsds::{self, DirectoryImport, ImportProblem};
use carecoord::io::patients_csv::{self, FileProblem, PatientImport, RowProblem};
use carecoord::io::care_history::{self, CareHistory};
use carecoord::io::{appointments_csv, fhir, recall_csv, referrals_csv, synth_directory, synth_referrals, text, zip};
use carecoord::model::appointment::{day_by_provider, Appointment, AppointmentDraft};
use carecoord::model::care::default_rules;
use carecoord::model::catalog::Catalog;
use carecoord::model::directory::{needs_review, Category, DirectoryQuery, Organization, Service};
use carecoord::model::ids::{fnv1a, FNV_PRIME};
use carecoord::model::recall::{recall_list, OutreachAttempt, OutreachMethod, OutreachOutcome};
use carecoord::model::referral::{counts, ReferralFilter, ReferralSettings};
use carecoord::model::registry::Registry;
use carecoord::model::{dates, Change, ChangeAction, Condition, Panel, PanelSort, Patient, Timestamp};
use chrono::{NaiveDate, NaiveTime};

// ---------------------------------------------------------------------------------------
// The run

/// splitmix64: tiny, seeded, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn inputs_per_parser() -> usize {
    if let Some(n) = std::env::var("FUZZ_INPUTS").ok().and_then(|v| v.parse().ok()) {
        return n;
    }
    let full = std::env::var("FUZZ_FULL").is_ok_and(|v| v == "1") || !cfg!(debug_assertions);
    if full {
        2000
    } else {
        20
    }
}

fn base_seed() -> u64 {
    std::env::var("FUZZ_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(0x00C0_FFEE_CA2E)
}

thread_local! {
    /// Set while an input runs: the panic hook then records the message instead of printing it.
    static QUIET: Cell<bool> = const { Cell::new(false) };
    static CAUGHT: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if QUIET.with(Cell::get) {
                CAUGHT.with(|c| *c.borrow_mut() = Some(info.to_string().replace('\n', " ")));
            } else {
                default(info);
            }
        }));
    });
}

/// What one input came to.
#[derive(Default)]
struct Checked {
    refused: bool,
    /// Unlocated messages, bad row places, exports that do not read back.
    failures: Vec<String>,
}

/// Runs `inputs_per_parser()` inputs made by `make` (a seeded rng → the mutation described,
/// and the input) through `check`, prints the counts, and fails listing every panic and
/// failure with its seed and mutation.
fn fuzz<T>(parser: &str, make: impl Fn(&mut Rng) -> (String, T), check: impl Fn(&T) -> Checked) {
    install_panic_hook();
    let started = Instant::now();
    let n = inputs_per_parser();
    let parser_seed = fnv1a(base_seed(), FNV_PRIME, parser.bytes());
    let (mut refused, mut accepted, mut panics) = (0, 0, 0);
    let mut slowest = (0.0f64, String::new());
    let mut failures = Vec::new();
    for i in 0..n {
        let seed = parser_seed ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let mut rng = Rng::new(seed);
        let (mutation, input) = make(&mut rng);
        QUIET.with(|q| q.set(true));
        let one = Instant::now();
        let result = catch_unwind(AssertUnwindSafe(|| check(&input)));
        let took = one.elapsed().as_secs_f64();
        QUIET.with(|q| q.set(false));
        if took > slowest.0 {
            slowest = (took, format!("input {i}: {}", cut(&mutation, 160)));
        }
        match result {
            Ok(checked) => {
                if checked.refused {
                    refused += 1;
                } else {
                    accepted += 1;
                }
                for f in checked.failures {
                    failures.push(format!("input {i} (seed {seed:#x}; {mutation}): {f}"));
                }
            }
            Err(_) => {
                panics += 1;
                let message = CAUGHT.with(|c| c.borrow_mut().take()).unwrap_or_else(|| "a panic".into());
                failures.push(format!("input {i} (seed {seed:#x}; {mutation}): PANIC {message}"));
            }
        }
    }
    println!(
        "fuzz {parser}: {n} inputs, {refused} refused, {accepted} accepted, {panics} panics ({:.1} s)",
        started.elapsed().as_secs_f64()
    );
    if std::env::var("FUZZ_SHOW").is_ok_and(|v| v == "1") {
        println!("  slowest: {:.2} s, {}", slowest.0, slowest.1);
    }
    if !failures.is_empty() {
        let listed: Vec<String> = failures.iter().take(25).map(|f| cut(f, 600)).collect();
        panic!("fuzz {parser}: {} failures ({panics} panics):\n{}", failures.len(), listed.join("\n"));
    }
}

fn cut(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

// ---------------------------------------------------------------------------------------
// Mutations

const TOKENS: &[&str] = &[
    "99999999999999999999",
    "-1e309",
    "+262142-12-31T23:00:00Z",
    "1e400",
    "-99999999999999999999",
    "18446744073709551616",
    "4294967296",
    "-262143-01-01",
    "0000-00-00",
    "9999-12-31T23:59:59Z",
    "2201-01-01",
    "1899-12-31",
    "NaN",
    "-0",
    "null",
    "\"\"",
    "[]",
    "{}",
    "true",
    "\u{feff}",
    "\u{0}",
    "Ñúñez",
    "😀",
    "\u{202e}",
];

const FAR_DATES: &[&str] =
    &["+262142-12-31", "-262143-01-01", "0001-01-01", "1066-10-14", "2201-01-01", "9999-12-31", "1899-12-31", "0000-02-30"];

fn insert(out: &mut Vec<u8>, at: usize, what: &[u8]) {
    let at = at.min(out.len());
    out.splice(at..at, what.iter().copied());
}

/// Where a run of bytes matching `is` that contains `at` (or the next one) starts and ends.
fn run_at(bytes: &[u8], from: usize, is: impl Fn(u8) -> bool) -> Option<(usize, usize)> {
    let start = (from..bytes.len()).find(|&i| is(bytes[i]))?;
    let end = (start..bytes.len()).find(|&i| !is(bytes[i])).unwrap_or(bytes.len());
    Some((start, end))
}

/// The start of the next `YYYY-MM-DD` from `from`.
fn next_date(bytes: &[u8], from: usize) -> Option<usize> {
    let d = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    (from..bytes.len().saturating_sub(9))
        .find(|&i| (0..4).all(|k| d(i + k)) && bytes[i + 4] == b'-' && d(i + 5) && d(i + 6) && bytes[i + 7] == b'-' && d(i + 8))
}

/// One to three mutations of `input`, and what they were.
fn mutate(rng: &mut Rng, input: &[u8]) -> (String, Vec<u8>) {
    let mut out = input.to_vec();
    let mut what = Vec::new();
    for _ in 0..1 + rng.below(3) {
        let at = rng.below(out.len() + 1);
        match rng.below(15) {
            0 => {
                let k = 1 + rng.below(8);
                for _ in 0..k {
                    if !out.is_empty() {
                        let i = rng.below(out.len());
                        out[i] ^= 1 + rng.below(255) as u8;
                    }
                }
                what.push(format!("flip {k} bytes"));
            }
            1 => {
                out.truncate(at);
                what.push(format!("truncate at {at}"));
            }
            2 => {
                let t = rng.pick(TOKENS);
                insert(&mut out, at, t.as_bytes());
                what.push(format!("insert {t:?} at {at}"));
            }
            3 => {
                // A number or date in the file replaced by a huge or far one.
                let t = rng.pick(TOKENS);
                match run_at(&out, at, |b| b.is_ascii_digit() || b"-:.+TZ".contains(&b)) {
                    Some((s, e)) => {
                        out.splice(s..e, t.bytes());
                        what.push(format!("value at {s} → {t:?}"));
                    }
                    None => what.push("no value to replace".into()),
                }
            }
            4 => {
                let bad: &[&[u8]] =
                    &[b"\xFF", b"\xC3", b"\xED\xA0\x80", b"\xF4\x90\x80\x80", b"\xC0\xAF", b"\xE9t\xE9", b"\x80\x81\x8D\x9F"];
                let b = rng.pick(bad);
                insert(&mut out, at, b);
                what.push(format!("invalid UTF-8 {b:?} at {at}"));
            }
            5 => {
                let deep: &[(&str, usize)] = &[("[", 100_000), ("{\"a\":", 20_000), ("[{\"entry\":", 10_000), ("\"\n", 20_000)];
                let (unit, n) = *rng.pick(deep);
                insert(&mut out, at, unit.repeat(n).as_bytes());
                what.push(format!("nesting {unit:?} x{n} at {at}"));
            }
            6 => {
                let n = 1 + rng.below(3000);
                let storm = ["\"", "\"\"", "\",\"", "\"\n"][rng.below(4)].repeat(n);
                insert(&mut out, at, storm.as_bytes());
                what.push(format!("quote storm x{n} at {at}"));
            }
            7 => {
                let long: &[(&str, usize)] =
                    &[("A", 300_000), (",", 60_000), (";", 60_000), ("\n", 50_000), ("é", 100_000), ("9", 100_000)];
                let (unit, n) = *rng.pick(long);
                insert(&mut out, at, unit.repeat(n).as_bytes());
                what.push(format!("long run {unit:?} x{n} at {at}"));
            }
            8 => {
                let len = 1 + rng.below(8 * 1024);
                let start = rng.below(out.len().saturating_sub(len) + 1);
                let chunk = out.get(start..(start + len).min(out.len())).unwrap_or(&[]).to_vec();
                let times = 1 + rng.below(30);
                let at = rng.below(out.len() + 1);
                for _ in 0..times {
                    insert(&mut out, at, &chunk);
                }
                what.push(format!("duplicate {} bytes from {start} x{times} at {at}", chunk.len()));
            }
            9 => {
                let len = rng.below(4096);
                let end = (at + len).min(out.len());
                out.drain(at.min(end)..end);
                what.push(format!("delete {at}..{end}"));
            }
            10 => {
                let kind = rng.below(4);
                out = match kind {
                    0 => out.iter().map(|&b| if b == b',' { b';' } else { b }).collect(),
                    1 => out.iter().flat_map(|&b| if b == b'\n' { vec![b'\r', b'\n'] } else { vec![b] }).collect(),
                    2 => [b"\xEF\xBB\xBF".as_slice(), &out].concat(),
                    _ => out.iter().map(|&b| if b == b'\n' { b'\r' } else { b }).collect(),
                };
                what.push(["semicolons", "CRLF", "BOM", "CR line ends"][kind].to_string());
            }
            11 => {
                let k = 1 + rng.below(20);
                for _ in 0..k {
                    let at = rng.below(out.len() + 1);
                    insert(&mut out, at, &[rng.below(32) as u8]);
                }
                what.push(format!("{k} control characters"));
            }
            12 => match next_date(&out, at).or_else(|| next_date(&out, 0)) {
                Some(s) => {
                    let far = rng.pick(FAR_DATES);
                    out.splice(s..s + 10, far.bytes());
                    what.push(format!("date at {s} → {far}"));
                }
                None => what.push("no date to replace".into()),
            },
            13 => {
                // Every date in the file far away (so a whole file, not one value, is odd).
                let far = rng.pick(FAR_DATES);
                let mut from = 0;
                while let Some(s) = next_date(&out, from) {
                    out.splice(s..s + 10, far.bytes());
                    from = s + far.len();
                }
                what.push(format!("every date → {far}"));
            }
            _ => {
                // A line of the file repeated many times (thousands of rows, ids repeated).
                let lines: Vec<(usize, usize)> = {
                    let mut v = Vec::new();
                    let mut s = 0;
                    for (i, &b) in out.iter().enumerate() {
                        if b == b'\n' {
                            v.push((s, i + 1));
                            s = i + 1;
                        }
                    }
                    v
                };
                if lines.len() > 1 {
                    let (s, e) = lines[1 + rng.below(lines.len() - 1)];
                    let line = out[s..e].to_vec();
                    // Up to 5,000 times, and about 256 KB at most.
                    let times = (1 + rng.below(5000)).min((1 << 18) / line.len().max(1)).max(1);
                    let repeated = line.repeat(times);
                    insert(&mut out, e, &repeated);
                    what.push(format!("line at {s} repeated x{times}"));
                } else {
                    what.push("no line to repeat".into());
                }
            }
        }
    }
    if out.len() > 4 * 1024 * 1024 {
        out.truncate(4 * 1024 * 1024);
        what.push("cut to 4 MB".into());
    }
    (what.join(", "), out)
}

/// Structural damage that keeps a JSON file JSON: one to three of its values replaced (by
/// far dates, huge numbers, empty or very long text, another type), removed, repeated
/// thousands of times, or wrapped deep in arrays. A file that is not JSON gets [`mutate`].
fn mutate_json(rng: &mut Rng, input: &[u8]) -> (String, Vec<u8>) {
    let Ok(mut root) = serde_json::from_slice::<serde_json::Value>(input) else {
        return mutate(rng, input);
    };
    fn pointers(v: &serde_json::Value, at: String, out: &mut Vec<String>) {
        if out.len() > 20_000 {
            return;
        }
        match v {
            serde_json::Value::Object(o) => {
                o.iter().for_each(|(k, x)| pointers(x, format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")), out))
            }
            serde_json::Value::Array(a) => a.iter().enumerate().for_each(|(i, x)| pointers(x, format!("{at}/{i}"), out)),
            _ => {}
        }
        out.push(at);
    }
    let mut what = Vec::new();
    for _ in 0..1 + rng.below(3) {
        let mut all = Vec::new();
        pointers(&root, String::new(), &mut all);
        let at = rng.pick(&all).clone();
        let Some(target) = root.pointer_mut(&at) else { continue };
        match rng.below(8) {
            0 | 1 => {
                let t = rng.pick(TOKENS).to_string();
                *target = serde_json::Value::String(t.clone());
                what.push(format!("{at} = {t:?}"));
            }
            2 => {
                let far = format!("{}T00:00:00Z", rng.pick(FAR_DATES));
                *target = serde_json::Value::String(far.clone());
                what.push(format!("{at} = {far:?}"));
            }
            3 => {
                let values = [
                    serde_json::json!(1e308),
                    serde_json::json!(-1),
                    serde_json::json!(u64::MAX),
                    serde_json::json!(i64::MIN),
                    serde_json::json!(0.5),
                    serde_json::Value::Null,
                    serde_json::json!(true),
                    serde_json::json!([]),
                    serde_json::json!({}),
                    serde_json::json!("x".repeat(100_000)),
                ];
                let v = rng.pick(&values).clone();
                what.push(format!("{at} = {}", cut(&v.to_string(), 30)));
                *target = v;
            }
            4 => {
                if let serde_json::Value::Array(items) = target {
                    if !items.is_empty() {
                        let i = rng.below(items.len());
                        let times = 1 + rng.below(2000);
                        let item = items[i].clone();
                        items.splice(i..i, std::iter::repeat_n(item, times));
                        what.push(format!("{at}/{i} repeated x{times}"));
                    }
                } else {
                    *target = serde_json::Value::String(String::new());
                    what.push(format!("{at} = \"\""));
                }
            }
            5 => {
                let depth = [10, 100, 127, 200][rng.below(4)];
                let mut v = target.take();
                for _ in 0..depth {
                    v = serde_json::Value::Array(vec![v]);
                }
                *target = v;
                what.push(format!("{at} wrapped {depth} deep"));
            }
            _ => {
                // Removed from its object or array.
                if let Some((parent, key)) = at.rsplit_once('/') {
                    match root.pointer_mut(parent) {
                        Some(serde_json::Value::Object(o)) => {
                            o.remove(&key.replace("~1", "/").replace("~0", "~"));
                        }
                        Some(serde_json::Value::Array(a)) => {
                            if let Ok(i) = key.parse::<usize>() {
                                if i < a.len() {
                                    a.remove(i);
                                }
                            }
                        }
                        _ => {}
                    }
                    what.push(format!("{at} removed"));
                }
            }
        }
    }
    // Nesting deeper than serde_json reads (128) is written all the same, and refused on reading.
    let out = if rng.chance(50) { serde_json::to_vec(&root) } else { serde_json::to_vec_pretty(&root) };
    (what.join(", "), out.unwrap_or_default())
}

/// Byte damage or structural damage, half and half.
fn mutate_any_json(rng: &mut Rng, input: &[u8]) -> (String, Vec<u8>) {
    if rng.chance(50) {
        mutate_json(rng, input)
    } else {
        mutate(rng, input)
    }
}

/// The bytes of a mutated text file as the app reads it.
fn decoded(bytes: &[u8], name: &str) -> Result<String, FileProblem> {
    text::decode(bytes, name).map(|d| d.text)
}

// ---------------------------------------------------------------------------------------
// Samples

fn testdata(path: &str) -> Option<Vec<u8>> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/testdata").join(path)).ok()
}

fn sample(path: &str, fallback: &str) -> Vec<u8> {
    testdata(path).unwrap_or_else(|| fallback.as_bytes().to_vec())
}

/// The first `n` lines of `bytes` (the big samples are cut so a run stays about a minute).
fn first_lines(bytes: &[u8], n: usize) -> Vec<u8> {
    let end = bytes.iter().enumerate().filter(|(_, &b)| b == b'\n').nth(n.saturating_sub(1)).map(|(i, _)| i + 1).unwrap_or(bytes.len());
    bytes[..end].to_vec()
}

const FALLBACK_PATIENTS: &str = "Id,BIRTHDATE,DEATHDATE,SSN,FIRST,LAST,GENDER,ADDRESS,CITY,STATE,ZIP\n\
    a1,1980-01-02,,999-1,Ana12,Lima34,F,1 Main St,Boston,MA,02118\n\
    a2,1950-05-06,2001-01-01,999-2,Rui5,Costa6,M,2 Elm St,Salem,MA,\n\
    a3,2014-10-06,,999-3,Bia7,Reis8,F,\"3 Oak St, Apt 2\",Lowell,MA,01850\n";
const FALLBACK_CONDITIONS: &str = "START,STOP,PATIENT,ENCOUNTER,CODE,DESCRIPTION\n\
    2020-01-01,,a1,e1,44054006,Diabetes mellitus type 2 (disorder)\n\
    2019-02-03,2019-03-04,a1,e2,195662009,Acute viral pharyngitis (disorder)\n\
    2015-01-01,,a3,e3,233678006,Childhood asthma (disorder)\n\
    2010-01-01,,a2,e4,59621000,Essential hypertension (disorder)\n";
const FALLBACK_BUNDLE: &str = r#"{"resourceType": "Bundle", "type": "transaction", "entry": [
    {"fullUrl": "urn:uuid:p1", "resource": {"resourceType": "Patient", "id": "p1", "name": [{"use": "official", "family": "Hoeger", "given": ["Buster"]}],
      "gender": "male", "birthDate": "1988-03-16", "address": [{"line": ["1 Main St"], "city": "Amherst", "state": "MA", "postalCode": "01002"}]}},
    {"fullUrl": "urn:uuid:c1", "resource": {"resourceType": "Condition", "id": "c1", "subject": {"reference": "urn:uuid:p1"},
      "code": {"coding": [{"system": "http://snomed.info/sct", "code": "44054006", "display": "Diabetes"}]}, "onsetDateTime": "2010-01-01T00:00:00Z"}}]}"#;
const FALLBACK_NDJSON_PATIENTS: &str = "{\"resourceType\":\"Patient\",\"id\":\"p1\",\"name\":[{\"family\":\"Lima\",\"given\":[\"Ana\"]}],\"gender\":\"female\",\"birthDate\":\"1963-07-15\"}\n\
    {\"resourceType\":\"Patient\",\"id\":\"p2\",\"name\":[{\"family\":\"Costa\",\"given\":[\"Rui\"]}],\"gender\":\"male\",\"birthDate\":\"1950-01-01\",\"deceasedDateTime\":\"2001-01-01\"}\n";
const FALLBACK_NDJSON_CONDITIONS: &str = "{\"resourceType\":\"Condition\",\"id\":\"c1\",\"subject\":{\"reference\":\"Patient/p1\"},\"code\":{\"coding\":[{\"system\":\"http://snomed.info/sct\",\"code\":\"59621000\",\"display\":\"Hypertension\"}]},\"onsetDateTime\":\"1985-09-16\"}\n\
    {\"resourceType\":\"Condition\",\"id\":\"c2\",\"subject\":{\"reference\":\"Patient/p2\"},\"code\":{\"text\":\"Asthma\"},\"onsetPeriod\":{\"start\":\"2007-06-05\"},\"abatementDateTime\":\"2021-09-20\"}\n";
const FALLBACK_SERVICE_JSON: &str = r#"{"id": "s1", "name": "Food Pantry", "status": "active", "minimum_age": 18, "assured_date": "2024-01-01",
    "last_modified": "2023-03-15T10:30:45Z", "organization": {"id": "o1", "name": "Helpers Inc."},
    "languages": [{"name": "English"}, {"code": "es"}], "phones": [{"id": "ph1", "number": "555-0100"}],
    "schedules": [{"id": "sc1", "byday": "MO,TU", "opens_at": "09:00", "closes_at": "17:00"}],
    "service_at_locations": [{"id": "sal1", "location": {"id": "l1", "name": "Main", "latitude": 42.1, "longitude": -71.2,
      "addresses": [{"address_1": "1 Main St", "city": "Boston", "state_province": "MA", "postal_code": "02118", "country": "US"}]}}]}"#;
const FALLBACK_SERVICES_CSV: &str = "id,organization_id,name,description,status,minimum_age,maximum_age,assured_date,last_modified\r\n\
    s1,o1,Food Pantry,\"Food, for everyone\",active,0,120,2024-01-01,2023-03-15T10:30:45Z\r\n\
    s2,o1,Counselling,Talk,active,12,,2023-01-01,\r\n";
const FALLBACK_ORGANIZATIONS_CSV: &str = "id,name,description\r\no1,Helpers Inc.,\"A charity, in MyCity\"\r\n";
const FALLBACK_LOCATIONS_CSV: &str = "id,name,latitude,longitude\r\nl1,Main,42.1,-71.2\r\n";
const FALLBACK_SAL_CSV: &str = "id,service_id,location_id\r\nsal1,s1,l1\r\nsal2,s2,l1\r\n";
const FALLBACK_PHONES_CSV: &str = "id,service_id,number,language\r\nph1,s1,555-0100,\"en, es\"\r\n";
const FALLBACK_SCHEDULES_CSV: &str = "id,service_id,byday,opens_at,closes_at\r\nsc1,s1,\"MO,TU\",09:00,17:00\r\n";

const FALLBACK_OBSERVATIONS: &str = "DATE,PATIENT,ENCOUNTER,CATEGORY,CODE,DESCRIPTION,VALUE,UNITS,TYPE\n\
    2023-08-11T18:37:13Z,a1,e1,vital-signs,8462-4,Diastolic Blood Pressure,82.0,mm[Hg],numeric\n\
    2023-08-11T18:37:13Z,a1,e1,vital-signs,8480-6,Systolic Blood Pressure,128.0,mm[Hg],numeric\n\
    2023-08-11T18:37:13Z,a1,e1,laboratory,4548-4,Hemoglobin A1c/Hemoglobin.total in Blood,6.4,%,numeric\n\
    2023-08-11T18:37:13Z,a1,e1,vital-signs,8302-2,Body Height,170.2,cm,numeric\n";
const FALLBACK_IMMUNIZATIONS: &str = "DATE,PATIENT,ENCOUNTER,CODE,DESCRIPTION,BASE_COST\n\
    2023-10-10T04:17:47Z,a3,e2,140,Influenza  seasonal  injectable  preservative free,140.52\n\
    2023-10-10T04:17:47Z,a3,e2,62,HPV  quadrivalent,140.52\n";
const FALLBACK_ENCOUNTERS: &str = "Id,START,STOP,PATIENT,ORGANIZATION,PROVIDER,PAYER,ENCOUNTERCLASS,CODE,DESCRIPTION,BASE_ENCOUNTER_COST,TOTAL_CLAIM_COST,PAYER_COVERAGE,REASONCODE,REASONDESCRIPTION\n\
    e1,2023-08-11T18:37:13Z,2023-08-11T18:52:13Z,a1,o1,pr1,pa1,wellness,162673000,General examination of patient (procedure),129.16,1005.08,0.00,,\n";
const FALLBACK_NDJSON_IMMUNIZATIONS: &str = "{\"resourceType\":\"Immunization\",\"id\":\"i1\",\"status\":\"completed\",\"vaccineCode\":{\"coding\":[{\"system\":\"http://hl7.org/fhir/sid/cvx\",\"code\":\"140\"}]},\"patient\":{\"reference\":\"Patient/p1\"},\"occurrenceDateTime\":\"2014-08-19T01:16:46-04:00\"}\n\
    {\"resourceType\":\"Immunization\",\"id\":\"i2\",\"status\":\"completed\",\"vaccineCode\":{\"coding\":[{\"system\":\"http://hl7.org/fhir/sid/cvx\",\"code\":\"33\"}]},\"patient\":{\"reference\":\"Patient/p1\"},\"occurrenceDateTime\":\"2020-01-01\"}\n";

struct Samples {
    synthea_patients: Vec<u8>,
    synthea_conditions: Vec<u8>,
    bundles: Vec<(String, Vec<u8>)>,
    ndjson_patients: Vec<u8>,
    ndjson_conditions: Vec<u8>,
    hsds3_json: Vec<(String, Vec<u8>)>,
    hsds3_csv: Vec<(String, Vec<u8>)>,
    hsds11: Vec<Vec<(String, Vec<u8>)>>,
    /// Care history: Synthea's observations, immunizations and encounters, and the FHIR
    /// Immunization NDJSON.
    care_history: Vec<(String, Vec<u8>)>,
}

fn samples() -> Samples {
    let folder = |dir: &str, fallback: &[(&str, &str)]| -> Vec<(String, Vec<u8>)> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/testdata").join(dir);
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&path)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter_map(|e| {
                        let name = e.file_name().to_string_lossy().to_string();
                        (name.ends_with(".csv") || name.ends_with(".json"))
                            .then(|| std::fs::read(e.path()).ok().map(|b| (name, b)))
                            .flatten()
                    })
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        if files.is_empty() {
            files = fallback.iter().map(|(n, t)| (n.to_string(), t.as_bytes().to_vec())).collect();
        }
        files
    };
    let csv_fallback: &[(&str, &str)] = &[
        ("services.csv", FALLBACK_SERVICES_CSV),
        ("organizations.csv", FALLBACK_ORGANIZATIONS_CSV),
        ("locations.csv", FALLBACK_LOCATIONS_CSV),
        ("service_at_location.csv", FALLBACK_SAL_CSV),
        ("phones.csv", FALLBACK_PHONES_CSV),
        ("schedules.csv", FALLBACK_SCHEDULES_CSV),
    ];
    let v11_fallback: Vec<(&str, &str)> =
        csv_fallback.iter().map(|&(n, t)| (if n == "service_at_location.csv" { "services_at_location.csv" } else { n }, t)).collect();
    let bundles: Vec<(String, Vec<u8>)> =
        ["Buster_Hoeger_ad2e3fc5-2b5d-4cb9-8d03-9ea0f4ac8423.json", "Liz_Conn_27c911c6-f045-4ffa-af5d-6eba57ac94b2.json"]
            .iter()
            .filter_map(|n| testdata(&format!("fhir-bundle/{n}")).map(|b| (n.to_string(), b)))
            .collect();
    Samples {
        synthea_patients: sample("synthea-csv/patients.csv", FALLBACK_PATIENTS),
        synthea_conditions: first_lines(&sample("synthea-csv/conditions.csv", FALLBACK_CONDITIONS), 150),
        bundles: if bundles.is_empty() { vec![("bundle.json".into(), FALLBACK_BUNDLE.as_bytes().to_vec())] } else { bundles },
        ndjson_patients: sample("fhir-ndjson/Patient.000.ndjson", FALLBACK_NDJSON_PATIENTS),
        ndjson_conditions: first_lines(&sample("fhir-ndjson/Condition.000.ndjson", FALLBACK_NDJSON_CONDITIONS), 60),
        hsds3_json: {
            let files: Vec<(String, Vec<u8>)> = folder("hsds-3", &[("service_full.json", FALLBACK_SERVICE_JSON)]);
            files.into_iter().filter(|(n, _)| n != "base.json").collect()
        },
        hsds3_csv: folder("hsds-3/csv", csv_fallback),
        hsds11: vec![folder("hsds-1.1/simple", &v11_fallback), folder("hsds-1.1/all_resources", &v11_fallback)],
        care_history: vec![
            ("observations.csv".into(), first_lines(&sample("synthea-csv/observations.csv", FALLBACK_OBSERVATIONS), 200)),
            ("immunizations.csv".into(), sample("synthea-csv/immunizations.csv", FALLBACK_IMMUNIZATIONS)),
            ("encounters.csv".into(), first_lines(&sample("synthea-csv/encounters.csv", FALLBACK_ENCOUNTERS), 100)),
            ("Immunization.000.ndjson".into(), first_lines(&sample("fhir-ndjson/Immunization.000.ndjson", FALLBACK_NDJSON_IMMUNIZATIONS), 40)),
        ],
    }
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn now() -> Timestamp {
    "2026-11-23T14:05:00Z".parse().unwrap()
}

fn ids() -> impl FnMut() -> String {
    let mut n = 0;
    move || {
        n += 1;
        format!("new-{n}")
    }
}

/// The Synthea sample read as it is: the records the other samples are made from.
fn synthea_import(s: &Samples) -> PatientImport {
    let files = vec![
        ("patients.csv".to_string(), String::from_utf8_lossy(&s.synthea_patients).to_string()),
        ("conditions.csv".to_string(), String::from_utf8_lossy(&s.synthea_conditions).to_string()),
    ];
    patients_csv::detect_and_parse(&files, today(), now(), &mut ids()).expect("the Synthea sample reads")
}

/// CareCoord's template filled with the Synthea patients (and their conditions), MRNs
/// `MRN1`, `MRN2`, ... so that appointments can find them.
fn template_sample(import: &PatientImport) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(patients_csv::TEMPLATE_HEADER.split(',')).unwrap();
    for (n, p) in import.patients.iter().enumerate() {
        let conditions: Vec<String> =
            import.conditions.iter().filter(|c| c.patient_id == p.id).map(|c| format!("SNOMED|{}|{}", c.code, c.display)).collect();
        let sex = format!("{:?}", p.sex).to_lowercase();
        w.write_record([
            p.first_name.as_str(),
            &p.last_name,
            &p.date_of_birth.to_string(),
            &sex,
            &format!("MRN{}", n + 1),
            "(555) 010-0123",
            "someone@example.org",
            &p.address.line,
            &p.address.city,
            &p.address.state,
            &p.address.postal_code,
            if n % 3 == 0 { "Spanish" } else { "English" },
            if n % 3 == 0 { "yes" } else { "no" },
            "Dr. Rivera",
            "Prefers calls after 2 pm, \"not\" before",
            &conditions.join(";"),
        ])
        .unwrap();
    }
    w.into_inner().unwrap()
}

/// A day's schedule for the template's patients, by MRN and by name and date of birth.
fn appointments_sample(panel: &Panel) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(appointments_csv::TEMPLATE_HEADER.split(',')).unwrap();
    for (n, p) in panel.patients().iter().enumerate() {
        let time = format!("{}:{:02}", 8 + n % 9, (n * 15) % 60);
        let dob = p.date_of_birth.to_string();
        if n % 2 == 0 {
            w.write_record(["2026-11-23", &time, &p.mrn, "", "", "", "Dr. Shah", "Follow-up"]).unwrap();
        } else {
            w.write_record(["11/24/2026", &time, "", &p.last_name, &p.first_name, &dob, "Dr. Lee, MD", "New patient"]).unwrap();
        }
    }
    w.into_inner().unwrap()
}

/// A backup holding a record of every kind, made from the samples.
fn backup_sample(import: &PatientImport) -> Vec<u8> {
    let patients = import.patients.clone();
    let ids: Vec<String> = patients.iter().map(|p| p.id.clone()).collect();
    let (organizations, services) = synth_directory::directory(5, 11, today());
    let appointments = patients
        .iter()
        .take(6)
        .enumerate()
        .map(|(n, p)| {
            AppointmentDraft { patient_id: p.id.clone(), provider: "Dr. Shah".into(), ..Default::default() }.into_new(
                format!("appt-{n}"),
                today(),
                NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
                now(),
            )
        })
        .collect();
    let outreach = vec![OutreachAttempt { rev: 0,
        id: "o1".into(),
        patient_id: ids[0].clone(),
        item: "mammogram".into(),
        date: today(),
        method: OutreachMethod::Phone,
        outcome: OutreachOutcome::LeftMessage,
        note: "call back".into(),
        created_at: now(),
    }];
    let changes = patients
        .iter()
        .take(5)
        .enumerate()
        .map(|(n, p)| Change::of(p, ChangeAction::Imported, now(), "Dana", "", &format!("n{n}")))
        .collect();
    let contents = BackupContents {
        referrals: synth_referrals::referrals(&ids, 8, 7, today()),
        patients,
        conditions: import.conditions.clone(),
        care_rules: default_rules(),
        changes,
        appointments,
        outreach,
        organizations,
        services,
        ..Default::default()
    };
    backup::write(&contents, now()).into_bytes()
}

/// A zip of `files`, stored or deflated, with where each header field is, for the lies.
struct ZipOut {
    bytes: Vec<u8>,
    /// Offsets of the local and central headers of each entry, and of the end record.
    locals: Vec<usize>,
    centrals: Vec<usize>,
    end: usize,
}

fn make_zip(files: &[(String, Vec<u8>)], deflate: bool) -> ZipOut {
    let mut out = Vec::new();
    let mut central = Vec::new();
    let mut locals = Vec::new();
    let mut central_at = Vec::new();
    for (name, data) in files {
        let stored = if deflate { miniz_oxide::deflate::compress_to_vec(data, 6) } else { data.clone() };
        let offset = out.len() as u32;
        let header = |sig: u32, is_central: bool| {
            let mut h = Vec::new();
            h.extend(sig.to_le_bytes());
            if is_central {
                h.extend(20u16.to_le_bytes());
            }
            h.extend(20u16.to_le_bytes());
            h.extend(0u16.to_le_bytes());
            h.extend((if deflate { 8u16 } else { 0 }).to_le_bytes());
            h.extend([0u8; 4]);
            h.extend(carecoord::io::zip::crc32(data).to_le_bytes());
            h.extend((stored.len() as u32).to_le_bytes());
            h.extend((data.len() as u32).to_le_bytes());
            h.extend((name.len() as u16).to_le_bytes());
            h.extend(0u16.to_le_bytes());
            if is_central {
                h.extend([0u8; 10]); // comment length, disk, internal and external attributes
                h.extend(offset.to_le_bytes());
            }
            h.extend(name.as_bytes());
            h
        };
        locals.push(out.len());
        out.extend(header(0x0403_4b50, false));
        out.extend(&stored);
        central_at.push(central.len());
        central.extend(header(0x0201_4b50, true));
    }
    let cd = out.len();
    let centrals = central_at.iter().map(|c| cd + c).collect();
    let cd_len = central.len();
    out.extend(central);
    let end = out.len();
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0u8; 4]);
    out.extend((files.len() as u16).to_le_bytes());
    out.extend((files.len() as u16).to_le_bytes());
    out.extend((cd_len as u32).to_le_bytes());
    out.extend((cd as u32).to_le_bytes());
    out.extend(0u16.to_le_bytes());
    ZipOut { bytes: out, locals, centrals, end }
}

/// A header field of `zip` set to an awkward value: a size or an offset that lies.
fn lie(rng: &mut Rng, zip: &ZipOut) -> (String, Vec<u8>) {
    let mut bytes = zip.bytes.clone();
    let len = bytes.len() as u32;
    // (where, width, what)
    let mut fields: Vec<(usize, usize, &str)> = vec![
        (zip.end + 8, 2, "entries on disk"),
        (zip.end + 10, 2, "entry count"),
        (zip.end + 12, 4, "directory size"),
        (zip.end + 16, 4, "directory offset"),
    ];
    for &c in &zip.centrals {
        fields.extend([
            (c + 20, 4, "compressed size"),
            (c + 24, 4, "size"),
            (c + 28, 2, "name length"),
            (c + 30, 2, "extra length"),
            (c + 32, 2, "comment length"),
            (c + 42, 4, "local offset"),
            (c + 10, 2, "method"),
            (c + 8, 2, "flags"),
        ]);
    }
    for &l in &zip.locals {
        fields.extend([(l + 26, 2, "local name length"), (l + 28, 2, "local extra length"), (l + 18, 4, "local compressed size")]);
    }
    let (at, width, what) = *rng.pick(&fields);
    let values = [
        0u32,
        1,
        2,
        21,
        22,
        30,
        46,
        len / 2,
        len - 1,
        len,
        len + 1,
        0x7FFF,
        0xFFFF,
        0x7FFF_FFFF,
        0x8000_0000,
        u32::MAX - 45,
        u32::MAX - 1,
        u32::MAX,
    ];
    let v = if rng.chance(20) { rng.next() as u32 } else { *rng.pick(&values) };
    bytes[at..at + width].copy_from_slice(&v.to_le_bytes()[..width]);
    (format!("zip {what} at {at} = {v}"), bytes)
}

// ---------------------------------------------------------------------------------------
// Checks

/// Whether a message says where the problem is: a line, a column, a record or entry by
/// number, one of the file `names`, or the whole file or a named part of it.
fn says_where(message: &str, names: &[&str]) -> bool {
    let m = message.trim();
    if m.is_empty() {
        return false;
    }
    if names.iter().any(|n| !n.is_empty() && m.contains(n)) {
        return true;
    }
    let lower = m.to_lowercase();
    const NUMBERED: &[&str] = &[
        "line",
        "row",
        "entry",
        "item",
        "record",
        "patient",
        "change",
        "condition",
        "care event",
        "care rule",
        "appointment",
        "outreach attempt",
        "referral",
        "organization",
        "service",
        "byte",
    ];
    for word in NUMBERED {
        for (i, _) in lower.match_indices(word) {
            if lower[i + word.len()..].trim_start().starts_with(|c: char| c.is_ascii_digit()) {
                return true;
            }
        }
    }
    const WHOLE: &[&str] = &[
        "column",
        "the file",
        "this file",
        "the zip",
        "this zip",
        "this json",
        "the backup",
        "this backup",
        "store \"",
        "\" store",
        "header",
    ];
    WHOLE.iter().any(|w| lower.contains(w))
}

fn refusal(messages: Vec<String>, names: &[&str]) -> Checked {
    if std::env::var("FUZZ_SHOW").is_ok_and(|v| v == "1") {
        messages.iter().for_each(|m| println!("  refused: {}", cut(m, 200)));
    }
    let failures = messages.into_iter().filter(|m| !says_where(m, names)).map(|m| format!("unlocated refusal: {m:?}")).collect();
    Checked { refused: true, failures }
}

fn check_rows(rows: &[RowProblem], failures: &mut Vec<String>) {
    for r in rows {
        if r.line == 0 || r.message.trim().is_empty() {
            failures.push(format!("row problem without a place: {r}"));
        }
    }
}

fn check_import_problems(problems: &[ImportProblem], failures: &mut Vec<String>) {
    for p in problems {
        if p.file.trim().is_empty() || p.message.trim().is_empty() || p.line == Some(0) {
            failures.push(format!("problem without a place: {p:?}"));
        }
    }
}

/// Every way the app shows a date or a time.
fn show_date(d: NaiveDate) {
    for text in [dates::iso(d), dates::us(d), dates::short(d), dates::long(d), dates::with_weekday(d)] {
        assert!(!text.is_empty());
    }
}

fn show_time(t: Timestamp) {
    for offset in [0, -300, 330, 840, -720] {
        assert!(!dates::local_time_text(t, offset).is_empty());
    }
    assert!(!dates::compact_utc(t).is_empty());
    show_date(t.date_naive());
}

/// A backup of `contents` must import again, to the same records.
fn backup_round_trip(contents: &BackupContents, failures: &mut Vec<String>) {
    let written = backup::write(contents, now());
    match backup::parse(&written, today()) {
        Ok(back) if back.contents == *contents => {}
        Ok(_) => failures.push("a backup of what was imported imports to different records".into()),
        Err(e) => failures.push(format!("a backup of what was imported is refused: {}", cut(&e.to_string(), 300))),
    }
}

/// The panel, the registry, the recall list and its CSV, the dates, the backup.
fn patients_downstream(patients: &[Patient], conditions: &[Condition], failures: &mut Vec<String>) {
    let panel = Panel::new(patients.to_vec());
    for query in ["a", "19", "", "ñ"] {
        let _ = panel.search(query, PanelSort::Name);
    }
    if let Some(p) = patients.first() {
        let _ = panel.search(&p.last_name, PanelSort::DateOfBirth);
        let _ = panel.likely_duplicate(p);
    }
    let registry = Registry::new(conditions.to_vec(), Vec::new(), default_rules());
    for p in patients.iter().take(300) {
        let _ = registry.gaps(p, today());
        let _ = p.age_on(today());
        show_date(p.date_of_birth);
        show_time(p.created_at);
        show_time(p.updated_at);
    }
    for c in conditions {
        c.onset.into_iter().chain(c.resolved).for_each(show_date);
        show_time(c.created_at);
    }
    let _ = registry.gap_counts(&panel, today());
    let _ = registry.summary(&panel, today());
    let recalls = recall_list(&panel, &registry, &[], None, today());
    let _ = recall_csv::write(&recalls);
    // Synthea's layout, written and read back.
    let synthea = patients_csv::write_synthea(patients);
    match patients_csv::parse_synthea(&synthea, today(), now()) {
        Ok(back) if back.patients.len() + back.problems.len() == patients.len() => {}
        Ok(back) => failures.push(format!("write_synthea read back {} of {} patients", back.patients.len(), patients.len())),
        Err(e) => failures.push(format!("write_synthea does not read back: {e}")),
    }
    backup_round_trip(&BackupContents { patients: patients.to_vec(), conditions: conditions.to_vec(), ..Default::default() }, failures);
}

/// Care history: every problem named by file and line, then the events through the
/// registry's care gaps, every date shown, and a backup of the events read back.
fn care_history_import(result: Result<CareHistory, FileProblem>, names: &[&str]) -> Checked {
    let h = match result {
        Err(e) => return refusal(vec![e.0], names),
        Ok(h) => h,
    };
    let mut failures = Vec::new();
    for p in h.problems.iter().chain(&h.skipped) {
        if p.file.is_empty() || p.line == 0 || p.message.trim().is_empty() {
            failures.push(format!("care history problem without a place: {p}"));
        }
    }
    for u in &h.unmapped {
        if u.count == 0 {
            failures.push(format!("an unmapped code counted 0 times: {u:?}"));
        }
    }
    let registry = Registry::new(Vec::new(), h.events.clone(), default_rules());
    let draft = carecoord::model::PatientDraft {
        first_name: "Ana".into(),
        last_name: "Lima".into(),
        date_of_birth: "1960-01-01".into(),
        sex: "F".into(),
        ..Default::default()
    };
    let valid = draft.validate(today()).expect("a valid patient");
    for e in h.events.iter().take(50) {
        let p = valid.clone().into_new(e.patient_id.clone(), now());
        let _ = registry.gaps(&p, today());
    }
    for e in &h.events {
        show_date(e.date);
        if e.id.is_empty() || e.source_id.is_empty() {
            failures.push(format!("an event without an id: {e:?}"));
        }
    }
    for e in &h.encounters {
        show_time(e.start);
        e.stop.into_iter().for_each(show_time);
    }
    let _ = h.summary(&default_rules());
    backup_round_trip(&BackupContents { care_events: h.events, ..Default::default() }, &mut failures);
    Checked { refused: false, failures }
}

fn patient_import(result: Result<PatientImport, FileProblem>, names: &[&str]) -> Checked {
    match result {
        Err(e) => refusal(vec![e.0], names),
        Ok(import) => {
            let mut failures = Vec::new();
            check_rows(&import.problems, &mut failures);
            check_rows(&import.skipped, &mut failures);
            patients_downstream(&import.patients, &import.conditions, &mut failures);
            Checked { refused: false, failures }
        }
    }
}

/// The catalog, its search, open now, review dates, the dates, and the HSDS exports.
fn directory_downstream(organizations: &[Organization], services: &[Service], failures: &mut Vec<String>) {
    let catalog = Catalog::new(organizations.to_vec(), services.to_vec());
    let at = today().and_hms_opt(10, 30, 0).unwrap();
    let mut queries = vec![
        DirectoryQuery::default(),
        DirectoryQuery { text: "food pantry".into(), open_now: true, ..Default::default() },
        DirectoryQuery {
            category: Some(Category::Food),
            language: Some("es".into()),
            age: Some(30),
            include_inactive: true,
            ..Default::default()
        },
    ];
    if let Some(s) = services.first() {
        queries.push(DirectoryQuery {
            text: s.name.chars().take(12).collect(),
            city: s.cities().next().map(str::to_string),
            ..Default::default()
        });
    }
    for q in &queries {
        let _ = catalog.index().search(q, at);
    }
    for s in services {
        let _ = s.open_state(at);
        let _ = s.hours_text();
        let _ = s.ages_text();
        let _ = s.last_verified();
        let _ = needs_review(s, today(), 12);
        s.assured_date.into_iter().for_each(show_date);
        s.last_modified.into_iter().for_each(show_time);
        let _ = s.to_draft();
    }
    let ids = |list: &[Service]| {
        let mut v: Vec<String> = list.iter().map(|s| s.id.clone()).collect();
        v.sort();
        v
    };
    // The exports read back to the same services. (A part of a service the CSV package
    // cannot carry, such as a location without an id, is named as a problem, with its place.)
    let json = hsds::export_json(organizations, services);
    match hsds::parse_json("export.json", &json, &[]) {
        Ok(back) if ids(&back.services) == ids(services) => check_import_problems(&back.problems, failures),
        Ok(back) => failures.push(format!(
            "the HSDS JSON export reads back to {} services (of {}), problems {:?}",
            back.services.len(),
            services.len(),
            back.problems.iter().take(3).map(ToString::to_string).collect::<Vec<_>>()
        )),
        Err(e) => failures.push(format!("the HSDS JSON export does not read back: {e}")),
    }
    let package = hsds::export_tabular(organizations, services);
    match hsds::parse_tabular(&package, &[]) {
        Ok(back) if ids(&back.services) == ids(services) => check_import_problems(&back.problems, failures),
        Ok(back) => failures.push(format!(
            "the HSDS CSV export reads back to {} services (of {}), problems {:?}",
            back.services.len(),
            services.len(),
            back.problems.iter().take(3).map(ToString::to_string).collect::<Vec<_>>()
        )),
        Err(e) => failures.push(format!("the HSDS CSV export does not read back: {e}")),
    }
    let zipped = zip::write(&package.into_iter().map(|(n, t)| (n, t.into_bytes())).collect::<Vec<_>>());
    match hsds::import_files(&[("directory.zip".into(), zipped)], &[]) {
        Ok(back) if back.services.len() == services.len() => {}
        Ok(back) => failures.push(format!("the zipped export reads back to {} services (of {})", back.services.len(), services.len())),
        Err(e) => failures.push(format!("the zipped export does not read back: {e}")),
    }
    backup_round_trip(
        &BackupContents { organizations: organizations.to_vec(), services: services.to_vec(), ..Default::default() },
        failures,
    );
}

fn directory_import(result: Result<DirectoryImport, FileProblem>, names: &[&str]) -> Checked {
    match result {
        Err(e) => refusal(vec![e.0], names),
        Ok(import) => {
            let mut failures = Vec::new();
            check_import_problems(&import.problems, &mut failures);
            check_import_problems(&import.notes, &mut failures);
            directory_downstream(&import.organizations, &import.services, &mut failures);
            Checked { refused: false, failures }
        }
    }
}

/// Everything a backup holds, through the app.
fn backup_downstream(c: &BackupContents, failures: &mut Vec<String>) {
    patients_downstream(&c.patients, &c.conditions, failures);
    let panel = Panel::new(c.patients.clone());
    let registry = Registry::new(
        c.conditions.clone(),
        c.care_events.clone(),
        if c.care_rules.is_empty() { default_rules() } else { c.care_rules.clone() },
    );
    for p in c.patients.iter().take(300) {
        let _ = registry.gaps(p, today());
    }
    let _ = recall_list(&panel, &registry, &c.outreach, None, today());
    for ch in &c.changes {
        show_time(ch.at);
    }
    for e in &c.care_events {
        show_date(e.date);
    }
    for o in &c.outreach {
        show_date(o.date);
        show_time(o.created_at);
    }
    appointments_downstream(&c.appointments);
    let settings = ReferralSettings::default();
    for r in &c.referrals {
        let _ = r.overdue(today(), &settings);
        show_date(r.created);
        show_date(r.expected_reply);
        r.records_forwarded.into_iter().chain(r.appointment).chain(r.report_received).chain(r.routed_to_provider).for_each(show_date);
        show_time(r.created_at);
        r.history.iter().for_each(|h| show_time(h.at));
    }
    let _ = counts(&c.referrals, &ReferralFilter::default(), today(), &settings);
    let _ = carecoord::model::referral_summary::summary(&c.referrals, NaiveDate::MIN, NaiveDate::MAX);
    let _ = carecoord::model::catalog::referrals_by_service(&c.referrals);
    let _ = referrals_csv::write(
        &c.referrals,
        |id| panel.get(id).map(|p| (p.full_name(), p.mrn.clone())).unwrap_or_default(),
        today(),
        &settings,
    );
    directory_downstream(&c.organizations, &c.services, failures);
    backup_round_trip(c, failures);
}

fn appointments_downstream(appointments: &[Appointment]) {
    let mut days: Vec<NaiveDate> = appointments.iter().map(|a| a.date).collect();
    days.dedup();
    for d in days.iter().take(20) {
        for (_, list) in day_by_provider(appointments, *d) {
            for a in list {
                let _ = a.time_text();
            }
        }
    }
    for a in appointments {
        show_date(a.date);
        show_time(a.created_at);
        a.calls.iter().for_each(|c| show_time(c.at));
    }
}

// ---------------------------------------------------------------------------------------
// The parsers

#[test]
fn fuzz_backup() {
    let s = samples();
    let base = backup_sample(&synthea_import(&s));
    let old = br#"{"format": "carecoord-backup", "schema_version": 4, "exported_at": "2026-01-01T00:00:00Z", "stores": {"patients": [
        {"id": "p1", "first_name": "Liz", "last_name": "Conn", "date_of_birth": "1986-11-28", "language": "Portuguese (interpreter)",
         "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"}]}}"#
        .to_vec();
    let bases = [base, old];
    fuzz(
        "backup",
        |rng| {
            let b = rng.pick(&bases);
            mutate_any_json(rng, b)
        },
        |bytes| {
            let text = match decoded(bytes, "backup.json") {
                Ok(t) => t,
                Err(e) => return refusal(vec![e.0], &["backup.json"]),
            };
            match backup::parse(&text, today()) {
                Err(e) => {
                    let mut checked = refusal(e.problems.clone(), &[]);
                    if e.problems.is_empty() || e.total < e.problems.len() {
                        checked.failures.push(format!("a refusal without its problems: {e:?}"));
                    }
                    checked
                }
                Ok(b) => {
                    let mut failures = Vec::new();
                    show_time(b.exported_at);
                    backup_downstream(&b.contents, &mut failures);
                    Checked { refused: false, failures }
                }
            }
        },
    );
}

#[test]
fn fuzz_carecoord_csv() {
    let s = samples();
    let base = template_sample(&synthea_import(&s));
    fuzz(
        "carecoord csv",
        |rng| mutate(rng, &base),
        |bytes| {
            let name = "patients-template.csv";
            let text = match decoded(bytes, name) {
                Ok(t) => t,
                Err(e) => return refusal(vec![e.0], &[name]),
            };
            patient_import(patients_csv::detect_and_parse(&[(name.to_string(), text)], today(), now(), &mut ids()), &[name])
        },
    );
}

#[test]
fn fuzz_synthea_csv() {
    let s = samples();
    fuzz(
        "synthea csv",
        |rng| {
            // Either file damaged, or both; sometimes the patients file alone.
            let which = rng.below(4);
            let (mp, p) = if which != 1 { mutate(rng, &s.synthea_patients) } else { (String::new(), s.synthea_patients.clone()) };
            let (mc, c) = if which != 0 { mutate(rng, &s.synthea_conditions) } else { (String::new(), s.synthea_conditions.clone()) };
            let alone = rng.chance(10);
            (format!("patients: {mp}; conditions: {mc}{}", if alone { " (patients alone)" } else { "" }), (p, c, alone))
        },
        |(p, c, alone)| {
            let names = ["patients.csv", "conditions.csv"];
            let mut files = Vec::new();
            for (name, bytes) in names.iter().zip([p, c]).take(if *alone { 1 } else { 2 }) {
                match decoded(bytes, name) {
                    Ok(t) => files.push((name.to_string(), t)),
                    Err(e) => return refusal(vec![e.0], &names),
                }
            }
            patient_import(patients_csv::detect_and_parse(&files, today(), now(), &mut ids()), &names)
        },
    );
}

#[test]
fn fuzz_care_history() {
    let s = samples();
    fuzz(
        "care history",
        |rng| {
            // One file damaged, sometimes with an undamaged one beside it.
            let (name, bytes) = rng.pick(&s.care_history).clone();
            let (what, out) = if name.ends_with(".ndjson") { mutate_any_json(rng, &bytes) } else { mutate(rng, &bytes) };
            let beside = rng.chance(30).then(|| rng.pick(&s.care_history).clone()).filter(|(n, _)| *n != name);
            // Also read in pieces of this many bytes, as the browser reads a file.
            let piece = *rng.pick(&[1, 7, 100, 1024, 7 * 1024, 64 * 1024]);
            let desc = format!("{name}: {what}{}; pieces of {piece}", beside.as_ref().map_or(String::new(), |(n, _)| format!(" (with {n})")));
            (desc, (name, out, beside, piece))
        },
        |(name, bytes, beside, piece)| {
            let mut names = vec![name.as_str()];
            let mut files = Vec::new();
            match decoded(bytes, name) {
                Ok(t) => files.push((name.clone(), t)),
                Err(e) => return refusal(vec![e.0], &names),
            }
            let mut raw = vec![(name.as_str(), bytes.as_slice())];
            if let Some((n, b)) = beside {
                names.push(n.as_str());
                files.push((n.clone(), String::from_utf8_lossy(b).to_string()));
                raw.push((n.as_str(), b.as_slice()));
            }
            let whole = care_history::parse(&files, &default_rules(), now());
            // In pieces: exactly what the whole texts give, or the same refusal.
            let in_pieces = chunks_decode_alike(bytes).then(|| care_history_in_pieces(&raw, *piece));
            let mut checked = care_history_import(whole.clone(), &names);
            match in_pieces {
                Some(got) if got != whole => checked.failures.push(format!(
                    "in pieces of {piece} bytes: {} instead of {}",
                    cut(&format!("{:?}", got.as_ref().map(|h| (h.events.len(), h.problems.len(), h.skipped.len())).map_err(|e| &e.0)), 300),
                    cut(&format!("{:?}", whole.as_ref().map(|h| (h.events.len(), h.problems.len(), h.skipped.len())).map_err(|e| &e.0)), 300)
                )),
                _ => {}
            }
            checked
        },
    );
}

/// Care history files read as the browser reads them: each file's bytes in pieces of
/// `piece` bytes, judged by their first 64 KB.
fn care_history_in_pieces(files: &[(&str, &[u8])], piece: usize) -> Result<CareHistory, FileProblem> {
    let mut reader = care_history::HistoryReader::new(&default_rules(), now());
    for (name, bytes) in files {
        reader.start_file(name, &care_history::head_text(bytes))?;
        for p in bytes.chunks(piece) {
            reader.feed_bytes(p)?;
        }
        reader.end_file()?;
    }
    Ok(reader.finish())
}

/// Whether chunks decode as the whole file does: they are read as UTF-8 until one is not
/// (`text::TextChunks`), so a file that is not UTF-8 agrees when all before its first
/// non-UTF-8 byte is ASCII.
fn chunks_decode_alike(bytes: &[u8]) -> bool {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(body) {
        Ok(_) => true,
        Err(e) => body[..e.valid_up_to()].is_ascii(),
    }
}

#[test]
fn fuzz_fhir_bundle() {
    let s = samples();
    fuzz(
        "fhir bundle",
        |rng| {
            let (name, bytes) = rng.pick(&s.bundles);
            let (what, out) = mutate_any_json(rng, bytes);
            (format!("{name}: {what}"), out)
        },
        |bytes| {
            let text = match decoded(bytes, "bundle.json") {
                Ok(t) => t,
                Err(e) => return refusal(vec![e.0], &["bundle.json"]),
            };
            patient_import(fhir::parse(&[&text], today(), now()), &[])
        },
    );
}

#[test]
fn fuzz_fhir_ndjson() {
    let s = samples();
    fuzz(
        "fhir ndjson",
        |rng| {
            let named = rng.chance(50);
            let (mp, p) = if rng.chance(70) { mutate(rng, &s.ndjson_patients) } else { (String::new(), s.ndjson_patients.clone()) };
            let (mc, c) = if rng.chance(70) { mutate(rng, &s.ndjson_conditions) } else { (String::new(), s.ndjson_conditions.clone()) };
            (format!("patients: {mp}; conditions: {mc}; {}", if named { "two named files" } else { "one text" }), (p, c, named))
        },
        |(p, c, named)| {
            let names = ["Patient.000.ndjson", "Condition.000.ndjson"];
            let (p, c) = match (decoded(p, names[0]), decoded(c, names[1])) {
                (Ok(p), Ok(c)) => (p, c),
                (Err(e), _) | (_, Err(e)) => return refusal(vec![e.0], &names),
            };
            if *named {
                let files = vec![(names[0].to_string(), p), (names[1].to_string(), c)];
                patient_import(patients_csv::detect_and_parse(&files, today(), now(), &mut ids()), &names)
            } else {
                // Bulk NDJSON may mix resource types in one file.
                let one = format!("{p}\n{c}");
                patient_import(fhir::parse(&[&one], today(), now()), &[])
            }
        },
    );
}

#[test]
fn fuzz_appointments_csv() {
    let s = samples();
    let template = template_sample(&synthea_import(&s));
    let imported =
        patients_csv::parse_template(&String::from_utf8_lossy(&template), today(), now(), &mut ids()).expect("the template sample reads");
    let panel = Panel::new(imported.patients);
    let base = appointments_sample(&panel);
    let existing: Vec<Appointment> = Vec::new();
    fuzz(
        "appointments csv",
        |rng| mutate(rng, &base),
        |bytes| {
            let name = "schedule.csv";
            let text = match decoded(bytes, name) {
                Ok(t) => t,
                Err(e) => return refusal(vec![e.0], &[name]),
            };
            match appointments_csv::parse(&text, &panel, &existing, now(), ids()) {
                Err(e) => refusal(vec![e.0], &[]),
                Ok(import) => {
                    let mut failures = Vec::new();
                    check_rows(&import.problems, &mut failures);
                    check_rows(&import.already_scheduled, &mut failures);
                    appointments_downstream(&import.appointments);
                    let contents =
                        BackupContents { patients: panel.patients().to_vec(), appointments: import.appointments, ..Default::default() };
                    backup_round_trip(&contents, &mut failures);
                    Checked { refused: false, failures }
                }
            }
        },
    );
}

#[test]
fn fuzz_hsds3_json() {
    let s = samples();
    fuzz(
        "hsds3 json",
        |rng| {
            let (name, bytes) = rng.pick(&s.hsds3_json);
            let (what, out) = mutate_any_json(rng, bytes);
            (format!("{name}: {what}"), (name.clone(), out))
        },
        |(name, bytes)| {
            let text = match decoded(bytes, name) {
                Ok(t) => t,
                Err(e) => return refusal(vec![e.0], &[name]),
            };
            directory_import(hsds::parse_json(name, &text, &[]), &[name])
        },
    );
}

/// A package with one or two of its files damaged.
fn damaged_package(rng: &mut Rng, files: &[(String, Vec<u8>)]) -> (String, Vec<(String, Vec<u8>)>) {
    let mut files = files.to_vec();
    let mut what = Vec::new();
    for _ in 0..1 + rng.below(2) {
        let i = rng.below(files.len());
        let (w, out) = if files[i].0.ends_with(".json") { mutate_any_json(rng, &files[i].1) } else { mutate(rng, &files[i].1) };
        what.push(format!("{}: {w}", files[i].0));
        files[i].1 = out;
    }
    if rng.chance(5) {
        let i = rng.below(files.len());
        what.push(format!("{} left out", files[i].0));
        files.remove(i);
    }
    (what.join("; "), files)
}

fn package_names(files: &[(String, Vec<u8>)]) -> Vec<&str> {
    files.iter().map(|(n, _)| n.as_str()).collect()
}

#[test]
fn fuzz_hsds_csv_package() {
    let s = samples();
    fuzz(
        "hsds csv package",
        |rng| damaged_package(rng, &s.hsds3_csv),
        |files| {
            let names = package_names(files);
            let mut texts = Vec::new();
            for (n, b) in files {
                match decoded(b, n) {
                    Ok(t) => texts.push((n.clone(), t)),
                    Err(e) => return refusal(vec![e.0], &names),
                }
            }
            directory_import(hsds::parse_tabular(&texts, &[]), &names)
        },
    );
}

#[test]
fn fuzz_hsds_zip() {
    let s = samples();
    let packages = [&s.hsds3_csv, &s.hsds11[0]];
    let zips: Vec<ZipOut> = packages.iter().flat_map(|p| [make_zip(p, false), make_zip(p, true)]).collect();
    fuzz(
        "hsds zip",
        |rng| match rng.below(3) {
            // A header that lies about a size or an offset.
            0 => {
                let z = rng.pick(&zips);
                lie(rng, z)
            }
            // The zip's bytes damaged.
            1 => {
                let z = rng.pick(&zips);
                let (what, out) = mutate(rng, &z.bytes);
                (format!("zip bytes: {what}"), out)
            }
            // A damaged file, zipped.
            _ => {
                let p = *rng.pick(&packages);
                let (what, files) = damaged_package(rng, p);
                let deflate = rng.chance(50);
                (format!("{what}; zipped ({})", if deflate { "deflated" } else { "stored" }), make_zip(&files, deflate).bytes)
            }
        },
        |bytes| directory_import(hsds::import_files(&[("directory.zip".into(), bytes.clone())], &[]), &["directory.zip"]),
    );
}

#[test]
fn fuzz_hsds_11() {
    let s = samples();
    fuzz(
        "hsds 1.1",
        |rng| {
            let p = rng.pick(&s.hsds11);
            damaged_package(rng, p)
        },
        |files| {
            let names = package_names(files);
            directory_import(hsds::import_files(files, &[]), &names)
        },
    );
}
