//! Care history from the EHR: what was done for patients (observations, immunizations,
//! procedures) and their encounters, read so that care gaps tell the truth.
//!
//! Readers ([`parse`] chooses by content):
//! - Synthea's CSV: `observations.csv`, `immunizations.csv`, `procedures.csv` (3.0's
//!   `START,STOP,PATIENT,ENCOUNTER,SYSTEM,CODE,…`, or the older `DATE,…`) and `encounters.csv`,
//!   columns found by header name (in `synthea`);
//! - FHIR R4 `Observation`, `Immunization`, `Procedure` and `Encounter` resources in a Bundle,
//!   a single resource or NDJSON, read with `io::fhir`'s reader (in `fhir`);
//! - CareCoord's template ([`TEMPLATE_HEADER`]: `mrn,item,date,value`; in `template`).
//!
//! A coded record becomes a [`CareEvent`] through `model::care_codes` (the code's care item
//! and what its value is). A code the mapping does not know is counted
//! ([`CareHistory::unmapped`]), not refused. A systolic and a diastolic reading of the same
//! patient, encounter and time (Synthea writes one row each) make one blood pressure event,
//! "150/95", as do a FHIR panel's two components; two halves written at different times
//! pair up when they are the only ones left of that encounter's day. A half alone is kept
//! ("150/?").
//!
//! **Memory.** A clinic's `observations.csv` has some 400,000 rows (60 MB), too much to hold
//! as one text in the browser. A [`HistoryReader`] reads a file in chunks of whole records
//! (in `chunks`): the browser reads the file a few MB at a time and
//! [`HistoryReader::feed_bytes`] cuts the bytes where a record ends ([`record_end`]) and
//! decodes them (`text::TextChunks`: UTF-8, else Windows-1252; a cut at a line end splits
//! no character). Each chunk is read a row (an NDJSON line) at a time; what is kept is the
//! events found, the encounters, the counts of unmapped codes, blood pressure halves waiting
//! for their other half, the ids that find repeats, and, between chunks, the CSV header and
//! the line count (so problems name the file's lines). So memory holds one chunk and what
//! was found, never the file; a quoted field still open after 8 MB is a quote never closed,
//! refused by its line with the rest of the file unread, as in a whole text. Two kinds of
//! file cannot be cut and are held whole until the file ends: a FHIR Bundle (one JSON
//! document; a few MB a patient) and a UTF-16 file (Excel's "Unicode Text": its line ends
//! are two bytes). [`parse`] reads whole texts through
//! the same reader, each text one chunk, and gives exactly what the chunks give.
//!
//! A file is judged by its start ([`kind_of`]; in chunks, the first 64 KB: [`head_text`]).
//!
//! **Ids.** Every event and encounter carries the file's own key for it as `source_id`: the
//! FHIR resource (`Observation/<id>`), Synthea's encounter `Id`, or for a Synthea row, which
//! has no id, a key made of the file kind, patient, encounter, code and date as written
//! (`synthea-observation:<patient>:<encounter>:4548-4:2023-08-11T18:37:13Z`), so that the
//! same file read twice gives the same keys. Until the import's plan gives them CareCoord
//! ids (random UUIDs, found again by `source_id`), `id` is that key too: never store these
//! records without that plan. `patient_id` is the FILE's patient id (Synthea's `PATIENT`, the
//! FHIR Patient id, the template's MRN); matching it to CareCoord's patients comes later.
//!
//! **Problems.** A file that cannot be read at all is a [`FileProblem`] naming it. A row
//! that is wrong is a [`Problem`] naming the file and line ("observations.csv line 12: the
//! date '2023-02-31' is not a date."); a row left out on purpose (entered in error, not
//! done, a repeat) is in [`CareHistory::skipped`] with the reason. Nothing panics, nothing
//! is dropped silently. Every date must fall in 1900–2200.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;

use super::csv_read::CsvText;
use super::import::{strip_bom, FileProblem};
use crate::model::care::{items, CareEvent, CareRule, EventOutcome};
use crate::model::care_codes::ValueRule;
use crate::model::encounter::Encounter;
use crate::model::ids::{fnv1a, FNV_OFFSET, FNV_PRIME};
use crate::model::text::{count_of, fold, parse_number};
use crate::model::{dates, Timestamp};

mod chunks;
mod fhir;
mod synthea;
mod template;

#[cfg(test)]
mod chunk_tests;
#[cfg(test)]
mod tests;

pub use chunks::{head_text, record_end, HistoryReader, RecordScan, HEAD_BYTES};
pub use template::{template_csv, TEMPLATE_HEADER};

/// A row (or FHIR resource) that is not imported, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The file's name as chosen ("observations.csv"); empty when it has none.
    pub file: String,
    /// The line (the header is line 1); in a FHIR Bundle, the entry's number.
    pub line: u64,
    /// The Bundle entry's number, when the resource is in a Bundle.
    pub entry: Option<usize>,
    /// Why, in a sentence: "the date '2023-02-31' is not a date."
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let place = match self.entry {
            Some(e) => format!("bundle entry {e}"),
            None => format!("line {}", self.line),
        };
        if self.file.is_empty() {
            let mut c = place.chars();
            let capital: String = c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default();
            write!(f, "{capital}: {}", self.message)
        } else {
            write!(f, "{} {place}: {}", self.file, self.message)
        }
    }
}

/// A code the mapping does not know, and how many records carried it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnmappedCode {
    /// "LOINC", "CVX", "SNOMED CT", or the system as the file names it.
    pub system: String,
    pub code: String,
    pub description: String,
    pub count: usize,
}

/// What care history files hold, checked (see the module notes).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CareHistory {
    /// The care events found, in file order (a blood pressure when its second half is read).
    pub events: Vec<CareEvent>,
    pub encounters: Vec<Encounter>,
    /// Codes the mapping does not know: most frequent first, then by system and code.
    pub unmapped: Vec<UnmappedCode>,
    /// Rows left out on purpose, with the reason.
    pub skipped: Vec<Problem>,
    /// Rows that are wrong.
    pub problems: Vec<Problem>,
}

/// How many events of one care item a history holds, for the preview.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemSummary {
    pub item: String,
    /// What the coordinator reads ("HbA1c"): the rule's label, else the item code.
    pub label: String,
    pub events: usize,
    pub patients: usize,
}

impl std::fmt::Display for ItemSummary {
    /// "HbA1c: 212 results for 18 patients".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {} for {}", self.label, count_of(self.events, "result", "results"), count_of(self.patients, "patient", "patients"))
    }
}

impl CareHistory {
    /// The events by care item, for the preview ("HbA1c: 212 results for 18 patients"), in
    /// the order of `rules` (the rules in force, whose labels name the items), then any other
    /// item by its code.
    pub fn summary(&self, rules: &[CareRule]) -> Vec<ItemSummary> {
        let mut by_item: BTreeMap<&str, (usize, HashSet<&str>)> = BTreeMap::new();
        for e in &self.events {
            let entry = by_item.entry(e.item.as_str()).or_default();
            entry.0 += 1;
            entry.1.insert(e.patient_id.as_str());
        }
        let mut order: Vec<&str> = Vec::new();
        for r in rules {
            if by_item.contains_key(r.item.as_str()) && !order.contains(&r.item.as_str()) {
                order.push(r.item.as_str());
            }
        }
        for item in by_item.keys() {
            if !order.contains(item) {
                order.push(item);
            }
        }
        order
            .into_iter()
            .map(|item| {
                let (events, patients) = &by_item[item];
                let label = rules.iter().find(|r| r.item == item).map_or(item, |r| r.label.as_str());
                ItemSummary { item: item.to_string(), label: label.to_string(), events: *events, patients: patients.len() }
            })
            .collect()
    }
}

// ------------------------------------------------------------------------------------------
// Choosing the reader

/// What a chosen file is, judged by its content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileKind {
    SyntheaObservations,
    SyntheaImmunizations,
    SyntheaProcedures,
    SyntheaEncounters,
    Fhir,
    Template,
}

impl FileKind {
    pub fn label(self) -> &'static str {
        match self {
            FileKind::SyntheaObservations => "Synthea observations.csv",
            FileKind::SyntheaImmunizations => "Synthea immunizations.csv",
            FileKind::SyntheaProcedures => "Synthea procedures.csv",
            FileKind::SyntheaEncounters => "Synthea encounters.csv",
            FileKind::Fhir => "FHIR JSON",
            FileKind::Template => "CareCoord care history template",
        }
    }
}

fn not_care_history(name: &str) -> FileProblem {
    FileProblem(format!(
        "{name} is not care history CareCoord reads: expected Synthea observations.csv, immunizations.csv, procedures.csv \
         or encounters.csv, FHIR R4 JSON (Observation, Immunization, Procedure, Encounter), or the CareCoord care history \
         template ({TEMPLATE_HEADER})."
    ))
}

/// A header name as the readers compare it: "Reason Code" → "reasoncode", "REASON_CODE" →
/// "reason_code" (case and spaces ignored).
fn column(h: &str) -> String {
    h.trim().to_ascii_lowercase().replace(' ', "_")
}

/// What `text` is (see [`parse`]), or why it is none of the files care history comes in,
/// judged by its start: the first [`HEAD_BYTES`] (64 KB) at most, its header line or the
/// start of its JSON, so that a file read in chunks is judged by its first one the same way.
pub fn kind_of(name: &str, text: &str) -> Result<FileKind, FileProblem> {
    let start = chunks::head_of(text);
    let t = strip_bom(start).trim_start();
    if t.is_empty() {
        return Err(FileProblem(format!("{name} is empty.")));
    }
    if t.starts_with('{') {
        if t.contains("\"resourceType\"") {
            return Ok(FileKind::Fhir);
        }
        if t.contains("\"carecoord-backup\"") {
            return Err(FileProblem(format!("{name} is a CareCoord backup, not care history: use Import backup to restore it.")));
        }
        return Err(not_care_history(name));
    }
    // The header is all that is needed: the first lines, without a line cut at 64 KB.
    let head = match t.as_bytes().iter().rposition(|&b| b == b'\n') {
        Some(end) if start.len() < text.len() => &t[..end],
        _ => t,
    };
    let csv = CsvText::new(head);
    let header: HashSet<String> = match csv.rows().header() {
        Ok(h) => h.iter().map(column).collect(),
        Err((line, why)) => return Err(FileProblem(format!("{name}: line {line}: {why}."))),
    };
    let has = |n: &str| header.contains(n);
    let any = |ns: &[&str]| ns.iter().any(|n| has(n));
    if ["mrn", "item", "date"].iter().all(|n| has(n)) {
        return Ok(FileKind::Template);
    }
    if ["id", "start", "patient", "encounterclass"].iter().all(|n| has(n)) {
        return Ok(FileKind::SyntheaEncounters);
    }
    if ["date", "patient", "code", "value"].iter().all(|n| has(n)) && any(&["units", "type", "category"]) {
        return Ok(FileKind::SyntheaObservations);
    }
    // Immunizations, procedures and Synthea's other files share PATIENT,CODE,DESCRIPTION;
    // the columns only they have (or lack) tell them apart.
    let others = ["dispenses", "totalcost", "payer", "payer_coverage", "udi", "quantity", "value", "birthdate"];
    if ["patient", "code", "base_cost"].iter().all(|n| has(n)) && !any(&others) {
        if any(&["reasoncode", "start"]) {
            return Ok(FileKind::SyntheaProcedures);
        }
        if has("date") {
            return Ok(FileKind::SyntheaImmunizations);
        }
    }
    let conditions_only = ["start", "stop", "patient", "encounter", "system", "code", "description"];
    let conditions = ["start", "patient", "code"].iter().all(|n| has(n)) && header.iter().all(|h| conditions_only.contains(&h.as_str()));
    if ["id", "birthdate", "first", "last"].iter().all(|n| has(n)) || conditions {
        return Err(FileProblem(format!(
            "{name} is a patient list or problem list (Synthea patients.csv or conditions.csv): use Import patients for it."
        )));
    }
    Err(not_care_history(name))
}

/// Reads the files the coordinator chose for "Import care history", each by its content
/// (see [`kind_of`]): any number of Synthea CSV files (observations, immunizations,
/// procedures, encounters) and FHIR files together, or one CareCoord template. `rules` are
/// the rules in force (the template may name an item by its rule's label); `now` stamps the
/// new events. Every file is judged before any is read; then each is read by a
/// [`HistoryReader`] as one chunk, so that whole texts and chunks are read the same way.
pub fn parse(files: &[(String, String)], rules: &[CareRule], now: Timestamp) -> Result<CareHistory, FileProblem> {
    if files.is_empty() {
        return Err(FileProblem("No file was chosen.".into()));
    }
    let kinds = files.iter().map(|(name, text)| kind_of(name, text)).collect::<Result<Vec<_>, _>>()?;
    if kinds.contains(&FileKind::Template) && files.len() > 1 {
        return Err(FileProblem("Choose one CareCoord care history template at a time, without other files.".into()));
    }
    let mut reader = HistoryReader::new(rules, now);
    for (name, text) in files {
        reader.start_file(name, text)?;
        reader.feed(text)?;
        reader.end_file()?;
    }
    Ok(reader.finish())
}

// ------------------------------------------------------------------------------------------
// What every reader shares

/// Where a row or resource is.
#[derive(Clone, Copy, Debug)]
pub(super) struct At<'a> {
    pub(super) file: &'a str,
    pub(super) line: u64,
    pub(super) entry: Option<usize>,
}

impl At<'_> {
    fn problem(&self, message: &str) -> Problem {
        Problem {
            file: self.file.to_string(),
            line: self.line,
            entry: self.entry,
            message: format!("{}.", message.trim_end_matches('.')),
        }
    }
}

/// Which half of a blood pressure a reading is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Half {
    Systolic,
    Diastolic,
}

/// A blood pressure waiting for its other half.
struct PendingBp {
    patient: String,
    date: NaiveDate,
    systolic: Option<(u32, String)>,
    diastolic: Option<(u32, String)>,
    file: String,
    line: u64,
    entry: Option<usize>,
}

/// A care event found in a file, before it is checked against the others.
pub(super) struct Found<'a> {
    /// The care item (see `model::care::items`).
    pub(super) item: &'a str,
    /// What was done, for messages ("Hemoglobin A1c/Hemoglobin.total in Blood").
    pub(super) what: &'a str,
    pub(super) patient: &'a str,
    pub(super) date: NaiveDate,
    pub(super) value: Option<String>,
    pub(super) outcome: EventOutcome,
    pub(super) note: String,
    pub(super) source_id: String,
}

/// The history being read, across files.
pub(super) struct Collector {
    now: Timestamp,
    out: CareHistory,
    unmapped: HashMap<(String, String, String), usize>,
    /// The events by a hash of their source id (not a third copy of every id: a clinic's
    /// file has tens of thousands), to find a repeat.
    event_ids: HashMap<u64, Vec<usize>>,
    encounter_ids: HashSet<String>,
    /// Blood pressure halves by (patient, encounter, time as written).
    bp: BTreeMap<(String, String, String), PendingBp>,
}

impl Collector {
    fn new(now: Timestamp) -> Collector {
        Collector {
            now,
            out: CareHistory::default(),
            unmapped: HashMap::new(),
            event_ids: HashMap::new(),
            encounter_ids: HashSet::new(),
            bp: BTreeMap::new(),
        }
    }

    pub(super) fn problem(&mut self, at: &At, message: &str) {
        self.out.problems.push(at.problem(message));
    }

    pub(super) fn skip(&mut self, at: &At, message: &str) {
        self.out.skipped.push(at.problem(message));
    }

    /// Counts a record whose code the mapping does not know.
    pub(super) fn unmapped(&mut self, system: &str, code: &str, description: &str) {
        *self.unmapped.entry((system.to_string(), code.trim().to_string(), description.trim().to_string())).or_default() += 1;
    }

    /// Adds an event, unless one with its source id was already found (then the repeat is
    /// skipped, with the reason).
    pub(super) fn event(&mut self, at: &At, found: Found) {
        let hash = fnv1a(FNV_OFFSET, FNV_PRIME, found.source_id.bytes());
        let same = self.event_ids.entry(hash).or_default();
        if same.iter().any(|&i| self.out.events[i].source_id == found.source_id) {
            self.out.skipped.push(at.problem(&format!("{} of {} on {} appears again; the first is kept", found.what, found.patient, found.date)));
            return;
        }
        same.push(self.out.events.len());
        self.out.events.push(CareEvent {
            id: found.source_id.clone(),
            rev: 0,
            patient_id: found.patient.to_string(),
            source_id: found.source_id,
            item: found.item.to_string(),
            date: found.date,
            value: found.value,
            outcome: found.outcome,
            note: found.note,
            created_at: self.now,
        });
    }

    /// One half of a blood pressure. `key` is what the two halves share (the patient, the
    /// encounter and the time as written); `source_id` is this reading's key in the file
    /// (the same for both halves when the file has no id for them). When the other half is
    /// already here, the two make one event, "systolic/diastolic".
    pub(super) fn bp_half(&mut self, at: &At, key: (String, String, String), half: Half, reading: u32, date: NaiveDate, source_id: String) {
        let patient = key.0.clone();
        let slot = self.bp.entry(key.clone()).or_insert_with(|| PendingBp {
            patient,
            date,
            systolic: None,
            diastolic: None,
            file: at.file.to_string(),
            line: at.line,
            entry: at.entry,
        });
        let place = match half {
            Half::Systolic => &mut slot.systolic,
            Half::Diastolic => &mut slot.diastolic,
        };
        if place.is_some() {
            let what = if half == Half::Systolic { "systolic" } else { "diastolic" };
            self.skip(at, &format!("a second {what} blood pressure for the same time; the first is kept"));
            return;
        }
        *place = Some((reading, source_id));
        if slot.systolic.is_some() && slot.diastolic.is_some() {
            if let Some(done) = self.bp.remove(&key) {
                self.bp_event(done);
            }
        }
    }

    /// A blood pressure event from its halves ("150/95"; "150/?" when one is missing).
    fn bp_event(&mut self, p: PendingBp) {
        let (sys, dia) = (p.systolic.as_ref().map(|s| s.0), p.diastolic.as_ref().map(|d| d.0));
        let value = match (sys, dia) {
            (Some(s), Some(d)) => format!("{s}/{d}"),
            (Some(s), None) => format!("{s}/?"),
            (None, Some(d)) => format!("?/{d}"),
            (None, None) => return,
        };
        let source_id = match (&p.systolic, &p.diastolic) {
            (Some((_, a)), Some((_, b))) if a != b => format!("{a}+{b}"),
            (Some((_, a)), _) | (None, Some((_, a))) => a.clone(),
            (None, None) => return,
        };
        let at = At { file: &p.file, line: p.line, entry: p.entry };
        let found = Found {
            item: items::BLOOD_PRESSURE,
            what: "Blood pressure",
            patient: &p.patient,
            date: p.date,
            value: Some(value),
            outcome: EventOutcome::Done,
            note: String::new(),
            source_id,
        };
        self.event(&at, found);
    }

    /// Adds an encounter, unless its source id was already found.
    pub(super) fn encounter(&mut self, at: &At, encounter: Encounter) {
        if !self.encounter_ids.insert(encounter.source_id.clone()) {
            self.problem(at, &format!("the encounter {} appears twice; the second is left out", encounter.source_id));
            return;
        }
        self.out.encounters.push(encounter);
    }

    fn finish(mut self) -> CareHistory {
        // Halves left waiting: a systolic and a diastolic of the same patient, encounter and
        // date (written at different times) make one reading when they are the only ones
        // left that day; any other half is kept alone, the missing half "?".
        let mut by_day: BTreeMap<(String, String, NaiveDate), Vec<PendingBp>> = BTreeMap::new();
        for ((patient, encounter, _), pending) in std::mem::take(&mut self.bp) {
            by_day.entry((patient, encounter, pending.date)).or_default().push(pending);
        }
        for (_, halves) in by_day {
            let halves = match <[PendingBp; 2]>::try_from(halves) {
                Ok([a, b]) if a.systolic.is_some() != b.systolic.is_some() => {
                    let (mut sys, dia) = if a.systolic.is_some() { (a, b) } else { (b, a) };
                    sys.diastolic = dia.diastolic;
                    vec![sys]
                }
                Ok(two) => Vec::from(two),
                Err(halves) => halves,
            };
            for pending in halves {
                self.bp_event(pending);
            }
        }
        let mut unmapped: Vec<UnmappedCode> = self
            .unmapped
            .into_iter()
            .map(|((system, code, description), count)| UnmappedCode { system, code, description, count })
            .collect();
        unmapped.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| (&a.system, &a.code, &a.description).cmp(&(&b.system, &b.code, &b.description))));
        self.out.unmapped = unmapped;
        self.out
    }
}

/// The date of an event: a date, or a timestamp's date part as written (`2023-10-10` of
/// `2023-10-10T04:17:47Z`), within 1900–2200. The error is the reason, without a full stop:
/// "the date '2023-02-31' is not a date".
pub(super) fn event_date(raw: &str, label: &str) -> Result<NaiveDate, String> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(format!("the {label} is missing"));
    }
    let day = t.split(['T', 't', ' ']).next().unwrap_or(t);
    match dates::parse_date(day) {
        None => Err(format!("the {label} '{t}' is not a date")),
        Some(d) if !dates::date_in_range(d) => Err(dates::outside_range(&format!("the {label}"), t)),
        Some(d) => Ok(d),
    }
}

/// A date and time (see [`dates::parse_timestamp`]), within 1900–2200; the error is the
/// reason, as for [`event_date`].
pub(super) fn event_time(raw: &str, label: &str) -> Result<Timestamp, String> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(format!("the {label} is missing"));
    }
    match dates::parse_timestamp(t) {
        None => Err(format!("the {label} '{t}' is not a date and time")),
        Some(ts) if !dates::timestamp_in_range(ts) => Err(dates::outside_range(&format!("the {label}"), t)),
        Some(ts) => Ok(ts),
    }
}

/// A number as an event keeps it: at most one decimal, none when it is whole ("6.4", "7",
/// "12"; FHIR's 5.8600001 is "5.9").
pub(super) fn number_text(x: f64) -> String {
    if !x.is_finite() || x.abs() >= 1e12 {
        return x.to_string();
    }
    let r = (x * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// A value as written in a file, kept for a [`ValueRule::Number`] entry: a number as
/// [`number_text`] writes it, other text (">14") as written, nothing when empty.
pub(super) fn written_number(raw: &str) -> Option<String> {
    let t = raw.trim();
    if t.is_empty() {
        return None;
    }
    match parse_number(t) {
        Some(x) => Some(number_text(x)),
        None => Some(t.to_string()),
    }
}

/// A blood pressure reading in mmHg (a number from 0 to 999, rounded), or `None`.
pub(super) fn bp_reading(raw: &str) -> Option<u32> {
    let x = parse_number(raw.trim()).filter(|x| (0.0..1000.0).contains(x))?;
    Some(x.round() as u32)
}

/// The value an entry gives an event whose file value is `raw` (blood pressure halves aside,
/// which are combined by [`Collector::bp_half`]).
pub(super) fn value_of(rule: ValueRule, raw: Option<&str>) -> Option<String> {
    match rule {
        ValueRule::NoValue => None,
        ValueRule::Fixed(v) => Some(v.to_string()),
        ValueRule::Number => raw.and_then(written_number),
        // A panel written as one value ("120/80") is kept as written.
        ValueRule::BloodPressurePanel => raw.map(str::trim).filter(|v| v.contains('/')).map(str::to_string),
        ValueRule::Systolic | ValueRule::Diastolic => None,
    }
}

/// The rules' items and labels, folded, for the template's `item` column.
pub(super) fn item_names(rules: &[CareRule]) -> HashMap<String, String> {
    let mut names = HashMap::new();
    for item in items::ALL {
        names.insert(fold(item), item.to_string());
    }
    for r in rules {
        names.insert(fold(&r.item), r.item.clone());
        names.entry(fold(&r.label)).or_insert_with(|| r.item.clone());
    }
    names
}
