//! Care gaps: the preventive and chronic-care items a patient is due for, from the clinic's
//! rules and the dates each item was last done.
//!
//! The rules are data ([`CareRule`], store `care_rules`), so a clinic can edit them;
//! [`default_rules`] is the table of `DOMAIN.md` ("Care-gap rules"). What was done, declined
//! or excluded is recorded as [`CareEvent`]s (store `care_events`). [`evaluate`] turns both
//! into one [`GapResult`] per rule that applies to the patient on a given day.
//!
//! Not here: heart failure "follow-up after discharge" is a transitional-care (TCM) clock,
//! not a recurring care item; it belongs to the transitions-of-care tracker.

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::choice::choice_impl;
use super::patient::age_on;
use super::{ChronicCondition, Condition, Patient, Record, Sex, Timestamp};

/// Care items are plain `String` codes, stable snake_case, so clinics can add their own.
/// These are the codes the default rules use.
///
/// Heart failure "follow-up after discharge" is deliberately not an item: it is a
/// transitional-care (TCM) clock, tracked with transitions of care.
pub mod items {
    pub const HBA1C: &str = "hba1c";
    pub const EYE_EXAM: &str = "eye_exam";
    pub const FOOT_EXAM: &str = "foot_exam";
    /// Urine albumin-to-creatinine ratio (uACR) plus eGFR.
    pub const KIDNEY_SCREEN: &str = "kidney_screen";
    pub const BLOOD_PRESSURE: &str = "blood_pressure";
    pub const ASTHMA_CONTROL_TEST: &str = "asthma_control_test";
    pub const ASTHMA_ACTION_PLAN: &str = "asthma_action_plan";
    pub const PHQ9: &str = "phq9";
    /// FIT every year, or a colonoscopy (event value `"colonoscopy"`) every 10 years.
    pub const COLORECTAL_SCREEN: &str = "colorectal_screen";
    pub const MAMMOGRAM: &str = "mammogram";
    /// Pap test every 3 years, or with an HPV co-test (event value `"hpv_cotest"`) every 5 from age 30.
    pub const CERVICAL_SCREEN: &str = "cervical_screen";
    pub const DEPRESSION_SCREEN: &str = "depression_screen";
    pub const INFLUENZA_VACCINE: &str = "influenza_vaccine";
    pub const PNEUMOCOCCAL_VACCINE: &str = "pneumococcal_vaccine";

    /// Every item code the default rules use.
    pub const ALL: [&str; 14] = [
        HBA1C,
        EYE_EXAM,
        FOOT_EXAM,
        KIDNEY_SCREEN,
        BLOOD_PRESSURE,
        ASTHMA_CONTROL_TEST,
        ASTHMA_ACTION_PLAN,
        PHQ9,
        COLORECTAL_SCREEN,
        MAMMOGRAM,
        CERVICAL_SCREEN,
        DEPRESSION_SCREEN,
        INFLUENZA_VACCINE,
        PNEUMOCOCCAL_VACCINE,
    ];
}

/// Event value that marks a colorectal screening as a colonoscopy (10-year interval).
pub const VALUE_COLONOSCOPY: &str = "colonoscopy";
/// Event value that marks a cervical screening as done with an HPV co-test (5-year interval from 30).
pub const VALUE_HPV_COTEST: &str = "hpv_cotest";

/// What happened to a care item on a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventOutcome {
    /// The item was done (test resulted, exam performed, vaccine given).
    Done,
    /// The patient declined; the note says why.
    Declined,
    /// The item does not apply to this patient (e.g. hysterectomy, allergy); the note says why.
    Excluded,
}

impl EventOutcome {
    pub const ALL: [EventOutcome; 3] = [EventOutcome::Done, EventOutcome::Declined, EventOutcome::Excluded];

    /// The stored code (`done`, `declined`, `excluded`).
    pub fn code(self) -> &'static str {
        match self {
            EventOutcome::Done => "done",
            EventOutcome::Declined => "declined",
            EventOutcome::Excluded => "excluded",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            EventOutcome::Done => "Done",
            EventOutcome::Declined => "Declined",
            EventOutcome::Excluded => "Excluded",
        }
    }
}

choice_impl!(EventOutcome);

/// One care item done, declined or excluded for a patient on a date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CareEvent {
    pub id: String,
    /// The record's revision: raised by one at each checked write (`model::revision`).
    #[serde(default)]
    pub rev: u64,
    pub patient_id: String,
    /// The event's key in the file it came from (a FHIR resource id, or a key built from a
    /// Synthea row, see `io::care_history`): how the next import of that file finds it
    /// again. Empty for events recorded in CareCoord. Kept inside the record, never in its
    /// id, which says nothing about anyone's health.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source_id: String,
    /// The item code (see [`items`]).
    pub item: String,
    pub date: NaiveDate,
    /// The result as written: `"7.9"` (HbA1c, %), `"150/95"` (blood pressure), `"12"` (PHQ-9),
    /// `"colonoscopy"`, `"hpv_cotest"`.
    #[serde(default)]
    pub value: Option<String>,
    pub outcome: EventOutcome,
    /// The reason for a decline or exclusion, or any remark.
    #[serde(default)]
    pub note: String,
    pub created_at: Timestamp,
}

impl Record for CareEvent {
    const STORE: &'static str = "care_events";
    fn id(&self) -> &str {
        &self.id
    }
}

/// How often a care item recurs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Interval {
    /// Again this many calendar months after it was last done.
    Months(u32),
    /// Once in a lifetime.
    Once,
    /// Once per season; each season starts on this month and day every year (flu: 1 August).
    Season { month: u32, day: u32 },
}

/// A different interval when the last result has a given value, e.g. a colonoscopy
/// (`"colonoscopy"`) counts for 120 months instead of a FIT's 12.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValueInterval {
    /// The event value it applies to (compared ignoring case and surrounding spaces).
    pub value: String,
    pub months: u32,
    /// Only if the patient was at least this old (whole months) on the day it was done.
    #[serde(default)]
    pub min_age_months: Option<u32>,
}

fn default_days() -> u32 {
    30
}

fn default_true() -> bool {
    true
}

/// A care-gap rule: who needs which item how often.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CareRule {
    /// Stable id, e.g. `"diabetes-hba1c"`.
    pub id: String,
    /// The record's revision: raised by one at each checked write (`model::revision`).
    #[serde(default)]
    pub rev: u64,
    /// The item code (see [`items`]).
    pub item: String,
    /// What the coordinator reads, e.g. "HbA1c".
    pub label: String,
    /// Empty: applies whatever the patient's conditions. Otherwise the patient needs an
    /// active condition of one of these.
    #[serde(default)]
    pub conditions: Vec<ChronicCondition>,
    /// Applies from the day the patient is this many whole months old (date of birth plus
    /// that many calendar months; a birthday that falls on a day the month lacks, such as
    /// 29 February in a common year, counts from the 1st of the next month, as
    /// [`age_on`] does).
    #[serde(default)]
    pub min_age_months: Option<u32>,
    /// Inclusive upper bound, compared in whole years: applies while
    /// `age in whole years × 12 ≤ max_age_months`. So `900` ("up to 75") covers 75 years
    /// 11 months and stops on the 76th birthday.
    #[serde(default)]
    pub max_age_months: Option<u32>,
    /// Only for patients recorded with this sex (a patient of unknown sex does not match).
    #[serde(default)]
    pub sex: Option<Sex>,
    pub interval: Interval,
    /// "Due soon" this many days before the due date.
    #[serde(default = "default_days")]
    pub due_soon_days: u32,
    /// "Due" until this many days after the due date, "overdue" after that.
    #[serde(default = "default_days")]
    pub overdue_after_days: u32,
    #[serde(default = "default_true")]
    pub enabled: bool,
    /// Shorter interval (months) when the last value is at least `short_if_value_at_least`
    /// (HbA1c: 3 months if the last value is ≥ 8%).
    #[serde(default)]
    pub short_interval_months: Option<u32>,
    #[serde(default)]
    pub short_if_value_at_least: Option<f64>,
    /// Blood pressure: a last reading with systolic ≥ the first number or diastolic ≥ the
    /// second makes the item due from the day of that reading.
    #[serde(default)]
    pub gap_if_bp_at_least: Option<(u32, u32)>,
    /// Intervals for particular result values (colonoscopy, HPV co-test).
    #[serde(default)]
    pub value_intervals: Vec<ValueInterval>,
}

impl CareRule {
    /// A rule for everyone, enabled, with 30-day due-soon and overdue windows; the other
    /// parts are set with struct update syntax.
    pub fn new(id: &str, item: &str, label: &str, interval: Interval) -> CareRule {
        CareRule { rev: 0,
            id: id.into(),
            item: item.into(),
            label: label.into(),
            conditions: Vec::new(),
            min_age_months: None,
            max_age_months: None,
            sex: None,
            interval,
            due_soon_days: 30,
            overdue_after_days: 30,
            enabled: true,
            short_interval_months: None,
            short_if_value_at_least: None,
            gap_if_bp_at_least: None,
            value_intervals: Vec::new(),
        }
    }
}

impl Record for CareRule {
    const STORE: &'static str = "care_rules";
    fn id(&self) -> &str {
        &self.id
    }
}

/// Where a care item stands for a patient.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GapStatus {
    NotDue,
    DueSoon,
    Due,
    Overdue,
    /// A once-only item that has been done.
    Completed,
    /// Declined or excluded; the reason is shown to the coordinator.
    NotApplicable { reason: String },
}

impl GapStatus {
    pub fn label(&self) -> &'static str {
        match self {
            GapStatus::NotDue => "Not due",
            GapStatus::DueSoon => "Due soon",
            GapStatus::Due => "Due",
            GapStatus::Overdue => "Overdue",
            GapStatus::Completed => "Completed",
            GapStatus::NotApplicable { .. } => "Not applicable",
        }
    }

    /// An open care gap: due or overdue. "Due soon" is not yet a gap (it is shown so the
    /// coordinator can plan ahead), and neither are completed or not-applicable items.
    pub fn is_open(&self) -> bool {
        matches!(self, GapStatus::Due | GapStatus::Overdue)
    }

    /// Order in lists: most urgent first.
    fn rank(&self) -> u8 {
        match self {
            GapStatus::Overdue => 0,
            GapStatus::Due => 1,
            GapStatus::DueSoon => 2,
            GapStatus::NotDue => 3,
            GapStatus::NotApplicable { .. } => 4,
            GapStatus::Completed => 5,
        }
    }
}

/// One rule evaluated for one patient on one day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GapResult {
    pub rule_id: String,
    pub item: String,
    pub label: String,
    pub status: GapStatus,
    /// The date of the latest "done" event on or before the day evaluated.
    pub last_done: Option<NaiveDate>,
    /// That event's value, if one was recorded.
    pub last_value: Option<String>,
    /// When the item is (or was) next due; `None` once completed or not applicable.
    pub next_due: Option<NaiveDate>,
}

impl GapResult {
    pub fn is_open(&self) -> bool {
        self.status.is_open()
    }
}

/// The rules of `DOMAIN.md`, as data (heart-failure discharge follow-up excepted: it is a
/// transitional-care clock).
pub fn default_rules() -> Vec<CareRule> {
    use ChronicCondition::*;
    let rule = CareRule::new;
    let years = |y: u32| y * 12;
    vec![
        CareRule {
            conditions: vec![Diabetes],
            short_interval_months: Some(3),
            short_if_value_at_least: Some(8.0),
            ..rule("diabetes-hba1c", items::HBA1C, "HbA1c", Interval::Months(6))
        },
        CareRule {
            conditions: vec![Diabetes],
            ..rule("diabetes-eye-exam", items::EYE_EXAM, "Diabetic eye exam", Interval::Months(12))
        },
        CareRule {
            conditions: vec![Diabetes],
            ..rule("diabetes-foot-exam", items::FOOT_EXAM, "Diabetic foot exam", Interval::Months(12))
        },
        CareRule {
            conditions: vec![Diabetes],
            ..rule(
                "diabetes-kidney-screen",
                items::KIDNEY_SCREEN,
                "Kidney screening (urine albumin + eGFR)",
                Interval::Months(12),
            )
        },
        CareRule {
            conditions: vec![Diabetes, Hypertension],
            gap_if_bp_at_least: Some((140, 90)),
            ..rule("blood-pressure", items::BLOOD_PRESSURE, "Blood pressure", Interval::Months(6))
        },
        CareRule {
            conditions: vec![Asthma],
            ..rule("asthma-control-test", items::ASTHMA_CONTROL_TEST, "Asthma Control Test", Interval::Months(6))
        },
        CareRule {
            conditions: vec![Asthma],
            ..rule("asthma-action-plan", items::ASTHMA_ACTION_PLAN, "Asthma action plan", Interval::Months(12))
        },
        CareRule {
            conditions: vec![Depression],
            ..rule("depression-phq9", items::PHQ9, "PHQ-9 (depression follow-up)", Interval::Months(4))
        },
        CareRule {
            min_age_months: Some(years(45)),
            max_age_months: Some(years(75)),
            value_intervals: vec![ValueInterval {
                value: VALUE_COLONOSCOPY.into(),
                months: years(10),
                min_age_months: None,
            }],
            ..rule("colorectal-screen", items::COLORECTAL_SCREEN, "Colorectal cancer screening", Interval::Months(12))
        },
        CareRule {
            min_age_months: Some(years(40)),
            max_age_months: Some(years(74)),
            sex: Some(Sex::Female),
            ..rule("mammogram", items::MAMMOGRAM, "Mammogram", Interval::Months(24))
        },
        CareRule {
            min_age_months: Some(years(21)),
            max_age_months: Some(years(65)),
            sex: Some(Sex::Female),
            value_intervals: vec![ValueInterval {
                value: VALUE_HPV_COTEST.into(),
                months: years(5),
                min_age_months: Some(years(30)),
            }],
            ..rule("cervical-screen", items::CERVICAL_SCREEN, "Cervical cancer screening", Interval::Months(36))
        },
        CareRule {
            min_age_months: Some(years(12)),
            ..rule("depression-screen", items::DEPRESSION_SCREEN, "Depression screening", Interval::Months(12))
        },
        CareRule {
            min_age_months: Some(6),
            // Due from 1 August; overdue from 1 November (vaccinate by the end of October).
            overdue_after_days: 91,
            ..rule(
                "influenza-vaccine",
                items::INFLUENZA_VACCINE,
                "Flu vaccine",
                Interval::Season { month: 8, day: 1 },
            )
        },
        CareRule {
            min_age_months: Some(years(50)),
            ..rule("pneumococcal-vaccine", items::PNEUMOCOCCAL_VACCINE, "Pneumococcal vaccine", Interval::Once)
        },
    ]
}

/// The day a person born on `born` is `months` whole months old: `born` plus that many
/// calendar months, or the 1st of the following month when that month lacks the day
/// (29 February → 1 March in common years, like [`age_on`]).
pub fn date_at_age_months(born: NaiveDate, months: u32) -> Option<NaiveDate> {
    let d = born.checked_add_months(Months::new(months))?;
    if d.day() == born.day() {
        Some(d)
    } else {
        d.succ_opt()
    }
}

/// The date `months` calendar months after `from`, clamped to the end of a shorter month
/// (31 January + 1 month = 28 or 29 February).
fn add_months(from: NaiveDate, months: u32) -> NaiveDate {
    from.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX)
}

/// `month`/`day` in `year`, clamped into a valid date (day 31 of a 30-day month is the 30th).
fn clamped_date(year: i32, month: u32, day: u32) -> NaiveDate {
    let month = month.clamp(1, 12);
    let mut day = day.clamp(1, 31);
    loop {
        if let Some(d) = NaiveDate::from_ymd_opt(year, month, day) {
            return d;
        }
        if day == 1 {
            return NaiveDate::MIN;
        }
        day -= 1;
    }
}

/// The start of the season that `today` falls in (the latest `month`/`day` on or before it).
fn season_start(today: NaiveDate, month: u32, day: u32) -> NaiveDate {
    let this_year = clamped_date(today.year(), month, day);
    if this_year <= today {
        this_year
    } else {
        clamped_date(today.year() - 1, month, day)
    }
}

fn parse_number(value: &str) -> Option<f64> {
    let v = value.trim().trim_end_matches('%').trim().replace(',', ".");
    crate::model::text::parse_number(&v)
}

/// Reads "150/95", "150 / 95 mmHg".
fn parse_bp(value: &str) -> Option<(u32, u32)> {
    let (sys, dia) = value.split_once('/')?;
    let num = |s: &str| {
        let digits: String = s.trim().chars().take_while(|c| c.is_ascii_digit()).collect();
        digits.parse::<u32>().ok()
    };
    Some((num(sys)?, num(dia)?))
}

/// Whether the rule applies to the patient on `today` (enabled, age, sex, active condition).
pub fn rule_applies(rule: &CareRule, patient: &Patient, conditions: &[Condition], today: NaiveDate) -> bool {
    rule.enabled && age_fits(rule, patient.date_of_birth, today) && sex_fits(rule, patient.sex) && {
        rule.conditions.is_empty() || !matching_conditions(rule, patient, conditions, today).is_empty()
    }
}

fn age_fits(rule: &CareRule, born: NaiveDate, today: NaiveDate) -> bool {
    let min_ok = date_at_age_months(born, rule.min_age_months.unwrap_or(0)).is_some_and(|d| d <= today);
    let max_ok = rule.max_age_months.is_none_or(|max| {
        let years = age_on(born, today);
        years < 0 || i64::from(years) * 12 <= i64::from(max)
    });
    min_ok && max_ok
}

fn sex_fits(rule: &CareRule, sex: Sex) -> bool {
    rule.sex.is_none_or(|s| s == sex)
}

fn matching_conditions<'a>(
    rule: &CareRule,
    patient: &Patient,
    conditions: &'a [Condition],
    today: NaiveDate,
) -> Vec<&'a Condition> {
    conditions
        .iter()
        .filter(|c| c.patient_id == patient.id && c.active_on(today))
        .filter(|c| c.chronic.is_some_and(|k| rule.conditions.contains(&k)))
        .collect()
}

/// The day the rule started to apply to this patient: the later of the day the minimum age
/// was reached (or the date of birth) and the earliest onset of a matching active condition.
/// A matching condition with no onset date counts as always present.
fn applies_since(rule: &CareRule, patient: &Patient, conditions: &[Condition], today: NaiveDate) -> NaiveDate {
    let by_age = date_at_age_months(patient.date_of_birth, rule.min_age_months.unwrap_or(0))
        .unwrap_or(patient.date_of_birth);
    if rule.conditions.is_empty() {
        return by_age;
    }
    let matching = matching_conditions(rule, patient, conditions, today);
    if matching.iter().any(|c| c.onset.is_none()) {
        return by_age;
    }
    match matching.iter().filter_map(|c| c.onset).min() {
        Some(onset) => by_age.max(onset),
        None => by_age,
    }
}

fn status_for(next_due: NaiveDate, rule: &CareRule, today: NaiveDate) -> GapStatus {
    let soon_from = next_due.checked_sub_days(Days::new(rule.due_soon_days.into())).unwrap_or(NaiveDate::MIN);
    let overdue_after =
        next_due.checked_add_days(Days::new(rule.overdue_after_days.into())).unwrap_or(NaiveDate::MAX);
    if today < soon_from {
        GapStatus::NotDue
    } else if today < next_due {
        GapStatus::DueSoon
    } else if today <= overdue_after {
        GapStatus::Due
    } else {
        GapStatus::Overdue
    }
}

/// The interval in months after a "done" event with this value, for a `Months` rule.
fn months_after(rule: &CareRule, base: u32, value: Option<&str>, born: NaiveDate, done_on: NaiveDate) -> u32 {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return base;
    };
    for vi in &rule.value_intervals {
        let old_enough = vi
            .min_age_months
            .is_none_or(|m| date_at_age_months(born, m).is_some_and(|d| d <= done_on));
        if vi.value.trim().eq_ignore_ascii_case(value) && old_enough {
            return vi.months;
        }
    }
    if let (Some(short), Some(threshold)) = (rule.short_interval_months, rule.short_if_value_at_least) {
        if parse_number(value).is_some_and(|x| x >= threshold) {
            return short;
        }
    }
    base
}

fn not_applicable_reason(event: &CareEvent) -> String {
    let note = event.note.trim();
    if note.is_empty() {
        event.outcome.label().to_string()
    } else {
        format!("{}: {note}", event.outcome.label())
    }
}

/// Evaluates every enabled rule that applies to the patient on `today` (see
/// [`rule_applies`]) and returns one result per rule, most urgent first.
///
/// Semantics:
/// - Only the patient's own events (same `patient_id`) for the rule's item, dated on or
///   before `today`, count. Events on the same date are ordered by `created_at`.
/// - `last_done` / `last_value` come from the latest "done" event.
/// - If the latest event is a decline or exclusion (no "done" after it), the status is
///   "Not applicable" with the reason "Declined: <note>" / "Excluded: <note>". For seasonal
///   items (flu) a decline counts only for the season it was recorded in; an exclusion
///   stays. A once-only item that was ever done is "Completed" whatever came after.
/// - Next due after a "done": `Months` adds calendar months (31 Jan + 1 month = end of
///   February). A value listed in `value_intervals` (colonoscopy: 120 months; HPV co-test at
///   30 or older: 60 months) or at/above `short_if_value_at_least` (HbA1c ≥ 8: 3 months)
///   changes the interval. A blood pressure at/above `gap_if_bp_at_least` (systolic or
///   diastolic) makes the item due from the day of that reading. `Season`: done on or after
///   the current season's start → next season's start; otherwise the current season's start.
/// - Never done: due from the day the rule started to apply (minimum age reached, or the
///   earliest onset of a matching condition, whichever is later; unknown onset = always had
///   it). For a seasonal item, no earlier than the current season's start.
/// - Status: before `next_due − due_soon_days` "Not due"; from then until the day before
///   `next_due` "Due soon"; from `next_due` through `next_due + overdue_after_days` "Due";
///   after that "Overdue".
/// - Order: Overdue, Due, Due soon, Not due, Not applicable, Completed; then by label.
pub fn evaluate(
    patient: &Patient,
    conditions: &[Condition],
    events: &[CareEvent],
    rules: &[CareRule],
    today: NaiveDate,
) -> Vec<GapResult> {
    let mut results: Vec<GapResult> = rules
        .iter()
        .filter(|r| rule_applies(r, patient, conditions, today))
        .map(|r| evaluate_rule(r, patient, conditions, events, today))
        .collect();
    results.sort_by(|a, b| {
        (a.status.rank(), &a.label, &a.rule_id).cmp(&(b.status.rank(), &b.label, &b.rule_id))
    });
    results
}

fn evaluate_rule(
    rule: &CareRule,
    patient: &Patient,
    conditions: &[Condition],
    events: &[CareEvent],
    today: NaiveDate,
) -> GapResult {
    let current_season = match rule.interval {
        Interval::Season { month, day } => Some(season_start(today, month, day)),
        _ => None,
    };
    let mut mine: Vec<&CareEvent> = events
        .iter()
        .filter(|e| e.patient_id == patient.id && e.item == rule.item && e.date <= today)
        // A flu decline is for one season only.
        .filter(|e| {
            !(e.outcome == EventOutcome::Declined && current_season.is_some_and(|start| e.date < start))
        })
        .collect();
    mine.sort_by_key(|e| (e.date, e.created_at));

    let last_done_event = mine.iter().rev().find(|e| e.outcome == EventOutcome::Done).copied();
    let last_done = last_done_event.map(|e| e.date);
    let last_value = last_done_event.and_then(|e| e.value.clone()).filter(|v| !v.trim().is_empty());
    let result = |status, next_due| GapResult {
        rule_id: rule.id.clone(),
        item: rule.item.clone(),
        label: rule.label.clone(),
        status,
        last_done,
        last_value: last_value.clone(),
        next_due,
    };

    if rule.interval == Interval::Once && last_done.is_some() {
        return result(GapStatus::Completed, None);
    }
    if let Some(latest) = mine.last() {
        if latest.outcome != EventOutcome::Done {
            return result(GapStatus::NotApplicable { reason: not_applicable_reason(latest) }, None);
        }
    }

    let next_due = match (last_done_event, &rule.interval) {
        (None, Interval::Season { .. }) => {
            let since = applies_since(rule, patient, conditions, today);
            current_season.map_or(since, |start| since.max(start))
        }
        (None, _) => applies_since(rule, patient, conditions, today),
        (Some(done), Interval::Months(base)) => {
            let high_bp = match (rule.gap_if_bp_at_least, done.value.as_deref().and_then(parse_bp)) {
                (Some((max_sys, max_dia)), Some((sys, dia))) => sys >= max_sys || dia >= max_dia,
                _ => false,
            };
            if high_bp {
                done.date
            } else {
                let months = months_after(rule, *base, done.value.as_deref(), patient.date_of_birth, done.date);
                add_months(done.date, months)
            }
        }
        (Some(done), Interval::Season { month, day }) => {
            let start = current_season.unwrap_or(today);
            if done.date >= start {
                clamped_date(start.year() + 1, *month, *day)
            } else {
                start
            }
        }
        // Handled above: a once-only item that was done is completed.
        (Some(_), Interval::Once) => return result(GapStatus::Completed, None),
    };
    result(status_for(next_due, rule, today), Some(next_due))
}

/// How many results are open gaps (due or overdue; see [`GapStatus::is_open`]).
pub fn open_gap_count(results: &[GapResult]) -> usize {
    results.iter().filter(|r| r.is_open()).count()
}

/// The record-care form as typed: which item, when, the result, the outcome (an
/// [`EventOutcome`] code) and a note.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CareEventDraft {
    /// The item code, one of the patient's gaps (empty: not chosen).
    pub item: String,
    pub date: String,
    /// The result as written (optional).
    pub value: String,
    /// An [`EventOutcome`] code; empty reads as done.
    pub outcome: String,
    pub note: String,
}

/// A checked [`CareEventDraft`]: what the event will carry, and the item's label.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidCareEvent {
    /// The item's label, for the message after saving ("Recorded HbA1c on ...").
    pub label: String,
    pub item: String,
    pub date: NaiveDate,
    pub value: Option<String>,
    pub outcome: EventOutcome,
    pub note: String,
}

impl CareEventDraft {
    /// Checks the form against the patient's `gaps` on `today`: the item must be one of
    /// them, the date a date not after today, and an exclusion needs its reason.
    pub fn validate(&self, gaps: &[GapResult], today: NaiveDate) -> Result<ValidCareEvent, String> {
        let label = gaps.iter().find(|g| g.item == self.item).map(|g| g.label.clone()).ok_or("Choose the item to record.")?;
        let date = self.date.trim();
        let when = super::dates::parse_date(date)
            .ok_or_else(|| if date.is_empty() { "Enter the date it was done.".to_string() } else { format!("Date '{date}' is not a date.") })?;
        if when > today {
            return Err(format!("Date {when} is in the future."));
        }
        let outcome = super::choice::by_code_or(&self.outcome, EventOutcome::Done).ok_or_else(|| format!("Outcome '{}' is not one CareCoord knows.", self.outcome.trim()))?;
        let note = self.note.trim();
        if outcome == EventOutcome::Excluded && note.is_empty() {
            return Err("Give the reason the item does not apply (for example: bilateral mastectomy).".into());
        }
        let value = Some(self.value.trim().to_string()).filter(|v| !v.is_empty());
        Ok(ValidCareEvent { label, item: self.item.clone(), date: when, value, outcome, note: note.to_string() })
    }
}

impl ValidCareEvent {
    /// The event to store for `patient_id`.
    pub fn into_event(self, id: String, patient_id: String, created_at: Timestamp) -> CareEvent {
        CareEvent { source_id: String::new(), rev: 0, id, patient_id, item: self.item, date: self.date, value: self.value, outcome: self.outcome, note: self.note, created_at }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::patient::tests::{at, day, patient};
    use crate::model::CodeSystem;

    const TODAY: (i32, u32, u32) = (2026, 11, 23);

    fn today() -> NaiveDate {
        day(TODAY.0, TODAY.1, TODAY.2)
    }

    fn woman(dob: &str) -> Patient {
        let mut p = patient("p1", "Ana", "Lima", dob);
        p.sex = Sex::Female;
        p
    }

    fn man(dob: &str) -> Patient {
        let mut p = patient("p1", "Rui", "Lima", dob);
        p.sex = Sex::Male;
        p
    }

    fn cond(kind: ChronicCondition, onset: Option<NaiveDate>, resolved: Option<NaiveDate>) -> Condition {
        Condition { source_id: String::new(), rev: 0,
            id: format!("c-{kind:?}"),
            patient_id: "p1".into(),
            system: CodeSystem::Other,
            code: String::new(),
            display: kind.label().into(),
            onset,
            resolved,
            chronic: Some(kind),
            created_at: at(2026, 1, 1),
            updated_at: at(2026, 1, 1),
        }
    }

    fn ev(item: &str, date: NaiveDate, outcome: EventOutcome, value: Option<&str>, note: &str) -> CareEvent {
        CareEvent { source_id: String::new(), rev: 0,
            id: format!("e-{item}-{date}"),
            patient_id: "p1".into(),
            item: item.into(),
            date,
            value: value.map(Into::into),
            outcome,
            note: note.into(),
            created_at: at(2026, 1, 1),
        }
    }

    fn done(item: &str, date: NaiveDate) -> CareEvent {
        ev(item, date, EventOutcome::Done, None, "")
    }

    fn done_with(item: &str, date: NaiveDate, value: &str) -> CareEvent {
        ev(item, date, EventOutcome::Done, Some(value), "")
    }

    fn rule(id: &str) -> CareRule {
        default_rules().into_iter().find(|r| r.id == id).unwrap()
    }

    /// The result for `rule_id`, or `None` when the rule does not apply.
    fn find(
        p: &Patient,
        conditions: &[Condition],
        events: &[CareEvent],
        rule_id: &str,
        on: NaiveDate,
    ) -> Option<GapResult> {
        evaluate(p, conditions, events, &default_rules(), on).into_iter().find(|r| r.rule_id == rule_id)
    }

    fn status(p: &Patient, conditions: &[Condition], events: &[CareEvent], rule_id: &str, on: NaiveDate) -> GapStatus {
        find(p, conditions, events, rule_id, on).unwrap_or_else(|| panic!("{rule_id} does not apply on {on}")).status
    }

    fn diabetic() -> (Patient, Vec<Condition>) {
        (man("1960-03-14"), vec![cond(ChronicCondition::Diabetes, Some(day(2015, 6, 1)), None)])
    }

    #[test]
    fn status_boundaries_around_the_due_date() {
        let (p, c) = diabetic();
        let e = [done_with(items::HBA1C, day(2026, 5, 23), "7.1")];
        let r = find(&p, &c, &e, "diabetes-hba1c", today()).unwrap();
        assert_eq!(r.next_due, Some(day(2026, 11, 23)));
        assert_eq!(r.last_done, Some(day(2026, 5, 23)));
        assert_eq!(r.last_value.as_deref(), Some("7.1"));
        // Due soon starts 30 days before the due date (2026-10-24).
        assert_eq!(status(&p, &c, &e, "diabetes-hba1c", day(2026, 10, 23)), GapStatus::NotDue);
        assert_eq!(status(&p, &c, &e, "diabetes-hba1c", day(2026, 10, 24)), GapStatus::DueSoon);
        assert_eq!(status(&p, &c, &e, "diabetes-hba1c", day(2026, 11, 22)), GapStatus::DueSoon);
        // On the due date: due, not overdue.
        assert_eq!(status(&p, &c, &e, "diabetes-hba1c", day(2026, 11, 23)), GapStatus::Due);
        // Due through 30 days after, overdue from the 31st day.
        assert_eq!(status(&p, &c, &e, "diabetes-hba1c", day(2026, 12, 23)), GapStatus::Due);
        assert_eq!(status(&p, &c, &e, "diabetes-hba1c", day(2026, 12, 24)), GapStatus::Overdue);
    }

    #[test]
    fn custom_due_soon_and_overdue_windows_are_used() {
        let (p, c) = diabetic();
        let mut r = rule("diabetes-eye-exam");
        r.due_soon_days = 0;
        r.overdue_after_days = 0;
        let e = [done(items::EYE_EXAM, day(2025, 11, 23))];
        let on = |d| evaluate(&p, &c, &e, std::slice::from_ref(&r), d)[0].status.clone();
        assert_eq!(on(day(2026, 11, 22)), GapStatus::NotDue);
        assert_eq!(on(day(2026, 11, 23)), GapStatus::Due);
        assert_eq!(on(day(2026, 11, 24)), GapStatus::Overdue);
    }

    #[test]
    fn months_are_calendar_months_clamped_at_month_end() {
        let (p, c) = diabetic();
        let e = [done_with(items::HBA1C, day(2024, 8, 31), "6.9")];
        let r = find(&p, &c, &e, "diabetes-hba1c", day(2024, 12, 1)).unwrap();
        assert_eq!(r.next_due, Some(day(2025, 2, 28)));
        let e = [done_with(items::HBA1C, day(2023, 8, 31), "6.9")];
        let r = find(&p, &c, &e, "diabetes-hba1c", day(2023, 12, 1)).unwrap();
        assert_eq!(r.next_due, Some(day(2024, 2, 29)));
        assert_eq!(add_months(day(2025, 1, 31), 1), day(2025, 2, 28));
        assert_eq!(add_months(day(2024, 1, 31), 1), day(2024, 2, 29));
    }

    #[test]
    fn leap_day_birthday_counts_from_1_march_in_common_years() {
        // Born 29 February 1980: 45 on 1 March 2025 (2025 has no 29 February).
        let p = man("1980-02-29");
        assert!(find(&p, &[], &[], "colorectal-screen", day(2025, 2, 28)).is_none());
        let r = find(&p, &[], &[], "colorectal-screen", day(2025, 3, 1)).unwrap();
        assert_eq!(r.status, GapStatus::Due);
        assert_eq!(r.next_due, Some(day(2025, 3, 1)));
        // In a leap year the birthday is the 29th itself: 48 on 2028-02-29.
        assert_eq!(date_at_age_months(day(1980, 2, 29), 48 * 12), Some(day(2028, 2, 29)));
        // Pneumococcal at 50: 2030-03-01.
        assert!(find(&p, &[], &[], "pneumococcal-vaccine", day(2030, 2, 28)).is_none());
        let r = find(&p, &[], &[], "pneumococcal-vaccine", day(2030, 3, 1)).unwrap();
        assert_eq!(r.next_due, Some(day(2030, 3, 1)));
    }

    #[test]
    fn age_in_months_agrees_with_age_in_years() {
        let mut born = day(1999, 12, 25);
        while born < day(2001, 1, 10) {
            let mut d = born;
            while d < day(2047, 1, 1) {
                for years in [1u32, 21, 40, 45] {
                    let reached = date_at_age_months(born, years * 12).unwrap() <= d;
                    assert_eq!(reached, age_on(born, d) >= years as i32, "born {born}, on {d}, {years}");
                }
                d = d + Days::new(11);
            }
            born = born.succ_opt().unwrap();
        }
        // Months that lack the day: 31 January + 1 month is reached on 1 March.
        assert_eq!(date_at_age_months(day(2025, 1, 31), 1), Some(day(2025, 3, 1)));
        assert_eq!(date_at_age_months(day(2025, 5, 23), 6), Some(day(2025, 11, 23)));
    }

    #[test]
    fn turning_45_today_brings_colorectal_screening() {
        let p = man("1981-11-23");
        let r = find(&p, &[], &[], "colorectal-screen", today()).unwrap();
        assert_eq!(r.status, GapStatus::Due);
        assert_eq!(r.next_due, Some(today()));
        assert_eq!(r.label, "Colorectal cancer screening");
        assert!(find(&p, &[], &[], "colorectal-screen", day(2026, 11, 22)).is_none());
        // Still screened at 75 years 11 months, not from the 76th birthday.
        assert!(find(&p, &[], &[], "colorectal-screen", day(2057, 11, 22)).is_some());
        assert!(find(&p, &[], &[], "colorectal-screen", day(2057, 11, 23)).is_none());
    }

    #[test]
    fn mammogram_for_women_from_40_through_74() {
        let r = find(&woman("1986-11-23"), &[], &[], "mammogram", today()).unwrap();
        assert_eq!(r.status, GapStatus::Due);
        assert!(find(&woman("1986-11-24"), &[], &[], "mammogram", today()).is_none());
        assert!(find(&man("1986-11-23"), &[], &[], "mammogram", today()).is_none());
        assert!(find(&patient("p1", "A", "B", "1986-11-23"), &[], &[], "mammogram", today()).is_none());
        // 74 and 364 days: still in; the 75th birthday: out.
        assert!(find(&woman("1951-11-24"), &[], &[], "mammogram", today()).is_some());
        assert!(find(&woman("1951-11-23"), &[], &[], "mammogram", today()).is_none());
        // Done two years ago today: due again today.
        let e = [done(items::MAMMOGRAM, day(2024, 11, 23))];
        assert_eq!(status(&woman("1970-01-01"), &[], &e, "mammogram", today()), GapStatus::Due);
    }

    #[test]
    fn cervical_screening_three_years_or_five_with_hpv_cotest_from_30() {
        let p = woman("1990-06-01");
        let e = [done(items::CERVICAL_SCREEN, day(2024, 3, 1))];
        assert_eq!(find(&p, &[], &e, "cervical-screen", today()).unwrap().next_due, Some(day(2027, 3, 1)));
        let e = [done_with(items::CERVICAL_SCREEN, day(2024, 3, 1), "HPV_Cotest ")];
        assert_eq!(find(&p, &[], &e, "cervical-screen", today()).unwrap().next_due, Some(day(2029, 3, 1)));
        // Co-tested at 29: the 3-year interval still holds.
        let young = woman("1995-06-01");
        let e = [done_with(items::CERVICAL_SCREEN, day(2024, 3, 1), "hpv_cotest")];
        assert_eq!(find(&young, &[], &e, "cervical-screen", today()).unwrap().next_due, Some(day(2027, 3, 1)));
        assert!(find(&woman("2005-11-24"), &[], &[], "cervical-screen", today()).is_none());
        assert!(find(&woman("2005-11-23"), &[], &[], "cervical-screen", today()).is_some());
    }

    #[test]
    fn colonoscopy_counts_for_ten_years() {
        let p = man("1970-01-01");
        let e = [done_with(items::COLORECTAL_SCREEN, day(2020, 4, 2), "colonoscopy")];
        let r = find(&p, &[], &e, "colorectal-screen", today()).unwrap();
        assert_eq!(r.next_due, Some(day(2030, 4, 2)));
        assert_eq!(r.status, GapStatus::NotDue);
        let e = [done_with(items::COLORECTAL_SCREEN, day(2025, 4, 2), "FIT negative")];
        let r = find(&p, &[], &e, "colorectal-screen", today()).unwrap();
        assert_eq!(r.next_due, Some(day(2026, 4, 2)));
        assert_eq!(r.status, GapStatus::Overdue);
    }

    #[test]
    fn flu_season_starts_1_august() {
        let p = man("1980-01-01");
        // Vaccinated 31 July: counts for the season that ends then, not for 2026-27.
        let e = [done(items::INFLUENZA_VACCINE, day(2026, 7, 31))];
        let r = find(&p, &[], &e, "influenza-vaccine", day(2026, 8, 1)).unwrap();
        assert_eq!(r.next_due, Some(day(2026, 8, 1)));
        assert_eq!(r.status, GapStatus::Due);
        let r = find(&p, &[], &e, "influenza-vaccine", day(2026, 7, 31)).unwrap();
        assert_eq!(r.next_due, Some(day(2026, 8, 1)));
        assert_eq!(r.status, GapStatus::DueSoon);
        // Vaccinated 1 August: covered until next season.
        let e = [done(items::INFLUENZA_VACCINE, day(2026, 8, 1))];
        let r = find(&p, &[], &e, "influenza-vaccine", today()).unwrap();
        assert_eq!(r.next_due, Some(day(2027, 8, 1)));
        assert_eq!(r.status, GapStatus::NotDue);
        // Last vaccinated 2025-10-01: due from 1 August, overdue from 1 November.
        let e = [done(items::INFLUENZA_VACCINE, day(2025, 10, 1))];
        let r = find(&p, &[], &e, "influenza-vaccine", today()).unwrap();
        assert_eq!(r.next_due, Some(day(2026, 8, 1)));
        assert_eq!(r.status, GapStatus::Overdue);
        assert_eq!(status(&p, &[], &e, "influenza-vaccine", day(2026, 10, 31)), GapStatus::Due);
        assert_eq!(status(&p, &[], &e, "influenza-vaccine", day(2026, 11, 1)), GapStatus::Overdue);
        // In July the next season is coming: due soon 30 days before 1 August.
        assert_eq!(status(&p, &[], &e, "influenza-vaccine", day(2026, 7, 1)), GapStatus::NotDue);
        assert_eq!(status(&p, &[], &e, "influenza-vaccine", day(2026, 7, 2)), GapStatus::DueSoon);
        // Never vaccinated: due from this season's start, not from birth.
        let r = find(&p, &[], &[], "influenza-vaccine", today()).unwrap();
        assert_eq!(r.next_due, Some(day(2026, 8, 1)));
    }

    #[test]
    fn flu_from_six_months_of_age() {
        assert!(find(&man("2026-05-24"), &[], &[], "influenza-vaccine", today()).is_none());
        let r = find(&man("2026-05-23"), &[], &[], "influenza-vaccine", today()).unwrap();
        // Six months old today, mid-season: due from today.
        assert_eq!(r.next_due, Some(today()));
        assert_eq!(r.status, GapStatus::Due);
    }

    #[test]
    fn hba1c_every_three_months_when_last_value_is_8_or_more() {
        let (p, c) = diabetic();
        for (value, due) in
            [("8", day(2026, 9, 1)), ("8.0", day(2026, 9, 1)), ("9.4 %", day(2026, 9, 1)), ("7.9", day(2026, 12, 1))]
        {
            let e = [done_with(items::HBA1C, day(2026, 6, 1), value)];
            let r = find(&p, &c, &e, "diabetes-hba1c", today()).unwrap();
            assert_eq!(r.next_due, Some(due), "value {value}");
        }
        let e = [done_with(items::HBA1C, day(2026, 6, 1), "8.0")];
        assert_eq!(status(&p, &c, &e, "diabetes-hba1c", today()), GapStatus::Overdue);
        // No value or an unreadable one: the usual 6 months.
        let e = [done(items::HBA1C, day(2026, 6, 1))];
        assert_eq!(find(&p, &c, &e, "diabetes-hba1c", today()).unwrap().next_due, Some(day(2026, 12, 1)));
        let e = [done_with(items::HBA1C, day(2026, 6, 1), "pending")];
        assert_eq!(find(&p, &c, &e, "diabetes-hba1c", today()).unwrap().next_due, Some(day(2026, 12, 1)));
    }

    #[test]
    fn blood_pressure_at_or_above_140_90_makes_it_due() {
        let p = man("1960-01-01");
        let c = [cond(ChronicCondition::Hypertension, Some(day(2018, 2, 1)), None)];
        let on = day(2026, 10, 15);
        for high in ["150/95", "140/80", "130/90", "150 / 95 mmHg"] {
            let e = [done_with(items::BLOOD_PRESSURE, day(2026, 10, 1), high)];
            let r = find(&p, &c, &e, "blood-pressure", on).unwrap();
            assert_eq!(r.status, GapStatus::Due, "{high}");
            assert_eq!(r.next_due, Some(day(2026, 10, 1)));
            assert_eq!(r.last_value.as_deref(), Some(high));
        }
        // Not rechecked within 30 days of a high reading: overdue.
        let e = [done_with(items::BLOOD_PRESSURE, day(2026, 10, 1), "150/95")];
        assert_eq!(status(&p, &c, &e, "blood-pressure", day(2026, 11, 1)), GapStatus::Overdue);
        // Controlled: due again in 6 months.
        let e = [done_with(items::BLOOD_PRESSURE, day(2026, 10, 1), "139/89")];
        let r = find(&p, &c, &e, "blood-pressure", on).unwrap();
        assert_eq!(r.status, GapStatus::NotDue);
        assert_eq!(r.next_due, Some(day(2027, 4, 1)));
        // A later controlled reading closes the gap.
        let e = [
            done_with(items::BLOOD_PRESSURE, day(2026, 10, 1), "150/95"),
            done_with(items::BLOOD_PRESSURE, day(2026, 10, 10), "128/78"),
        ];
        assert_eq!(status(&p, &c, &e, "blood-pressure", on), GapStatus::NotDue);
        // Never recorded: due since the diagnosis.
        let r = find(&p, &c, &[], "blood-pressure", on).unwrap();
        assert_eq!(r.next_due, Some(day(2018, 2, 1)));
        assert_eq!(r.status, GapStatus::Overdue);
        // Diabetes alone also brings the blood-pressure rule.
        let (dp, dc) = diabetic();
        assert!(find(&dp, &dc, &[], "blood-pressure", on).is_some());
    }

    #[test]
    fn declined_or_excluded_is_not_applicable_with_the_reason() {
        let p = woman("1970-01-01");
        let e = [
            done(items::MAMMOGRAM, day(2022, 1, 10)),
            ev(items::MAMMOGRAM, day(2025, 3, 1), EventOutcome::Declined, None, " prefers to wait "),
        ];
        let r = find(&p, &[], &e, "mammogram", today()).unwrap();
        assert_eq!(r.status, GapStatus::NotApplicable { reason: "Declined: prefers to wait".into() });
        assert_eq!(r.status.label(), "Not applicable");
        assert_eq!(r.last_done, Some(day(2022, 1, 10)));
        assert_eq!(r.next_due, None);
        let e = [ev(items::MAMMOGRAM, day(2025, 3, 1), EventOutcome::Excluded, None, "")];
        assert_eq!(
            find(&p, &[], &e, "mammogram", today()).unwrap().status,
            GapStatus::NotApplicable { reason: "Excluded".into() }
        );
        // Done after the decline: back to the schedule.
        let e = [
            ev(items::MAMMOGRAM, day(2025, 3, 1), EventOutcome::Declined, None, "x"),
            done(items::MAMMOGRAM, day(2025, 6, 1)),
        ];
        assert_eq!(find(&p, &[], &e, "mammogram", today()).unwrap().next_due, Some(day(2027, 6, 1)));
        // Same date: the one entered last wins.
        let mut declined = ev(items::MAMMOGRAM, day(2025, 6, 1), EventOutcome::Declined, None, "changed mind");
        declined.created_at = at(2026, 2, 1);
        let e = [done(items::MAMMOGRAM, day(2025, 6, 1)), declined];
        assert!(matches!(find(&p, &[], &e, "mammogram", today()).unwrap().status, GapStatus::NotApplicable { .. }));
    }

    #[test]
    fn a_flu_decline_lasts_one_season_an_exclusion_stays() {
        let p = man("1980-01-01");
        let e = [ev(items::INFLUENZA_VACCINE, day(2025, 9, 1), EventOutcome::Declined, None, "")];
        assert_eq!(
            status(&p, &[], &e, "influenza-vaccine", day(2026, 7, 31)),
            GapStatus::NotApplicable { reason: "Declined".into() }
        );
        assert_eq!(status(&p, &[], &e, "influenza-vaccine", today()), GapStatus::Overdue);
        let e = [ev(items::INFLUENZA_VACCINE, day(2025, 9, 1), EventOutcome::Excluded, None, "egg anaphylaxis")];
        assert_eq!(
            status(&p, &[], &e, "influenza-vaccine", today()),
            GapStatus::NotApplicable { reason: "Excluded: egg anaphylaxis".into() }
        );
    }

    #[test]
    fn resolved_or_future_conditions_do_not_trigger_rules() {
        let p = man("1960-01-01");
        let resolved = [cond(ChronicCondition::Diabetes, Some(day(2015, 1, 1)), Some(day(2026, 1, 1)))];
        let ids: Vec<_> = evaluate(&p, &resolved, &[], &default_rules(), today()).into_iter().map(|r| r.rule_id).collect();
        assert!(ids.iter().all(|id| !id.starts_with("diabetes-") && id != "blood-pressure"), "{ids:?}");
        assert!(find(&p, &resolved, &[], "diabetes-hba1c", day(2025, 12, 31)).is_some());
        let future = [cond(ChronicCondition::Asthma, Some(day(2026, 12, 1)), None)];
        assert!(find(&p, &future, &[], "asthma-control-test", today()).is_none());
        // Another patient's condition does not count.
        let mut theirs = cond(ChronicCondition::Asthma, None, None);
        theirs.patient_id = "p2".into();
        assert!(find(&p, &[theirs], &[], "asthma-control-test", today()).is_none());
        // A problem not mapped to a registry condition triggers nothing.
        let mut other = cond(ChronicCondition::Asthma, None, None);
        other.chronic = None;
        assert!(find(&p, &[other], &[], "asthma-control-test", today()).is_none());
    }

    #[test]
    fn never_done_is_due_from_when_the_rule_started_to_apply() {
        let p = man("1960-01-01");
        let c = [cond(ChronicCondition::Depression, Some(day(2026, 11, 1)), None)];
        let r = find(&p, &c, &[], "depression-phq9", today()).unwrap();
        assert_eq!(r.next_due, Some(day(2026, 11, 1)));
        assert_eq!(r.status, GapStatus::Due);
        assert_eq!(r.last_done, None);
        // Two matching conditions: the earliest onset counts.
        let c = [
            cond(ChronicCondition::Hypertension, Some(day(2026, 9, 1)), None),
            cond(ChronicCondition::Diabetes, Some(day(2026, 11, 1)), None),
        ];
        assert_eq!(find(&p, &c, &[], "blood-pressure", today()).unwrap().next_due, Some(day(2026, 9, 1)));
        // Onset unknown: applies since birth (or the minimum age), so long overdue.
        let c = [cond(ChronicCondition::Asthma, None, None)];
        let r = find(&p, &c, &[], "asthma-action-plan", today()).unwrap();
        assert_eq!(r.next_due, Some(day(1960, 1, 1)));
        assert_eq!(r.status, GapStatus::Overdue);
        // Diagnosed before the minimum age: due from the birthday.
        let mut r45 = rule("diabetes-eye-exam");
        r45.min_age_months = Some(18 * 12);
        let child = man("2000-05-05");
        let c = [cond(ChronicCondition::Diabetes, Some(day(2010, 1, 1)), None)];
        let res = evaluate(&child, &c, &[], &[r45], today());
        assert_eq!(res[0].next_due, Some(day(2018, 5, 5)));
        // Depression screening from 12: due from the 12th birthday.
        let kid = man("2014-11-23");
        assert_eq!(find(&kid, &[], &[], "depression-screen", today()).unwrap().next_due, Some(today()));
        assert!(find(&kid, &[], &[], "depression-screen", day(2026, 11, 22)).is_none());
    }

    #[test]
    fn disabled_rules_are_skipped() {
        let (p, c) = diabetic();
        let mut rules = default_rules();
        assert!(evaluate(&p, &c, &[], &rules, today()).iter().any(|r| r.rule_id == "diabetes-hba1c"));
        rules.iter_mut().find(|r| r.id == "diabetes-hba1c").unwrap().enabled = false;
        let res = evaluate(&p, &c, &[], &rules, today());
        assert!(res.iter().all(|r| r.rule_id != "diabetes-hba1c"));
        assert!(res.iter().any(|r| r.rule_id == "diabetes-eye-exam"));
        assert!(evaluate(&p, &c, &[], &[], today()).is_empty());
    }

    #[test]
    fn events_after_today_other_items_and_other_patients_are_ignored() {
        let (p, c) = diabetic();
        let mut theirs = done(items::HBA1C, day(2026, 11, 1));
        theirs.patient_id = "p2".into();
        let e = [
            done_with(items::HBA1C, day(2026, 1, 10), "7.0"),
            done_with(items::HBA1C, day(2026, 11, 24), "6.5"),
            ev(items::HBA1C, day(2026, 12, 1), EventOutcome::Declined, None, "future"),
            done(items::EYE_EXAM, day(2026, 11, 1)),
            theirs,
        ];
        let r = find(&p, &c, &e, "diabetes-hba1c", today()).unwrap();
        assert_eq!(r.last_done, Some(day(2026, 1, 10)));
        assert_eq!(r.last_value.as_deref(), Some("7.0"));
        assert_eq!(r.next_due, Some(day(2026, 7, 10)));
        assert_eq!(r.status, GapStatus::Overdue);
        // The next day the later test counts.
        let r = find(&p, &c, &e, "diabetes-hba1c", day(2026, 11, 24)).unwrap();
        assert_eq!(r.last_done, Some(day(2026, 11, 24)));
        assert_eq!(r.status, GapStatus::NotDue);
    }

    #[test]
    fn pneumococcal_once_is_completed() {
        let p = man("1970-03-03");
        let e = [done(items::PNEUMOCOCCAL_VACCINE, day(2021, 4, 1))];
        let r = find(&p, &[], &e, "pneumococcal-vaccine", today()).unwrap();
        assert_eq!(r.status, GapStatus::Completed);
        assert_eq!(r.next_due, None);
        assert_eq!(r.last_done, Some(day(2021, 4, 1)));
        // Never given: due since the 50th birthday.
        let r = find(&p, &[], &[], "pneumococcal-vaccine", today()).unwrap();
        assert_eq!(r.next_due, Some(day(2020, 3, 3)));
        assert_eq!(r.status, GapStatus::Overdue);
        let e = [ev(items::PNEUMOCOCCAL_VACCINE, day(2021, 4, 1), EventOutcome::Declined, None, "")];
        let declined = GapStatus::NotApplicable { reason: "Declined".into() };
        assert_eq!(status(&p, &[], &e, "pneumococcal-vaccine", today()), declined);
        assert!(find(&man("1976-11-24"), &[], &[], "pneumococcal-vaccine", today()).is_none());
    }

    #[test]
    fn results_are_sorted_by_urgency_then_label_and_open_gaps_counted() {
        let p = woman("1970-03-03");
        let c = [cond(ChronicCondition::Diabetes, Some(day(2020, 1, 1)), None)];
        let e = [
            done(items::PNEUMOCOCCAL_VACCINE, day(2021, 4, 1)),
            ev(items::MAMMOGRAM, day(2026, 1, 1), EventOutcome::Excluded, None, "bilateral mastectomy"),
            done(items::HBA1C, day(2026, 6, 1)),                 // due 2026-12-01: due soon
            done(items::EYE_EXAM, day(2026, 2, 1)),              // due 2027-02-01: not due
            done(items::FOOT_EXAM, day(2025, 11, 23)),           // due today
            done(items::INFLUENZA_VACCINE, day(2026, 9, 15)),    // not due
            done(items::DEPRESSION_SCREEN, day(2026, 1, 5)),     // not due
            done(items::COLORECTAL_SCREEN, day(2026, 3, 1)),     // not due
            done_with(items::BLOOD_PRESSURE, day(2026, 11, 20), "120/70"),
            done(items::CERVICAL_SCREEN, day(2025, 1, 1)),       // not due
        ];
        let res = evaluate(&p, &c, &e, &default_rules(), today());
        let got: Vec<(&str, &str)> = res.iter().map(|r| (r.status.label(), r.label.as_str())).collect();
        assert_eq!(
            got,
            vec![
                ("Overdue", "Kidney screening (urine albumin + eGFR)"),
                ("Due", "Diabetic foot exam"),
                ("Due soon", "HbA1c"),
                ("Not due", "Blood pressure"),
                ("Not due", "Cervical cancer screening"),
                ("Not due", "Colorectal cancer screening"),
                ("Not due", "Depression screening"),
                ("Not due", "Diabetic eye exam"),
                ("Not due", "Flu vaccine"),
                ("Not applicable", "Mammogram"),
                ("Completed", "Pneumococcal vaccine"),
            ]
        );
        assert_eq!(open_gap_count(&res), 2);
        assert_eq!(open_gap_count(&[]), 0);
    }

    #[test]
    fn status_labels_and_which_are_open() {
        let all = [
            GapStatus::NotDue,
            GapStatus::DueSoon,
            GapStatus::Due,
            GapStatus::Overdue,
            GapStatus::Completed,
            GapStatus::NotApplicable { reason: "x".into() },
        ];
        let labels: Vec<_> = all.iter().map(GapStatus::label).collect();
        assert_eq!(labels, ["Not due", "Due soon", "Due", "Overdue", "Completed", "Not applicable"]);
        let open: Vec<_> = all.iter().map(GapStatus::is_open).collect();
        assert_eq!(open, [false, false, true, true, false, false]);
    }

    #[test]
    fn default_rules_round_trip_and_have_unique_ids() {
        let rules = default_rules();
        let json = serde_json::to_string(&rules).unwrap();
        let back: Vec<CareRule> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, rules);
        let mut ids: Vec<_> = rules.iter().map(|r| r.id.as_str()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), rules.len());
        // Every item has a rule, and every rule uses a known item.
        for item in items::ALL {
            assert!(rules.iter().any(|r| r.item == item), "{item}");
        }
        assert!(rules.iter().all(|r| items::ALL.contains(&r.item.as_str()) && r.enabled));
        assert_eq!(<CareRule as Record>::STORE, "care_rules");
        assert_eq!(rules[0].id(), "diabetes-hba1c");
    }

    #[test]
    fn stored_records_read_with_defaults() {
        let rule: CareRule = serde_json::from_str(
            r#"{"id":"x","item":"eye_exam","label":"Eye exam","interval":{"months":12},"conditions":["diabetes"]}"#,
        )
        .unwrap();
        assert_eq!(rule.due_soon_days, 30);
        assert_eq!(rule.overdue_after_days, 30);
        assert!(rule.enabled);
        assert_eq!(rule.conditions, vec![ChronicCondition::Diabetes]);
        assert_eq!(rule.min_age_months, None);
        let season: Interval = serde_json::from_str(r#"{"season":{"month":8,"day":1}}"#).unwrap();
        assert_eq!(season, Interval::Season { month: 8, day: 1 });
        assert_eq!(serde_json::to_string(&Interval::Once).unwrap(), r#""once""#);

        let e: CareEvent = serde_json::from_str(
            r#"{"id":"e1","patient_id":"p1","item":"hba1c","date":"2026-05-01","value":"7.9","outcome":"done","created_at":"2026-05-01T10:00:00Z"}"#,
        )
        .unwrap();
        assert_eq!(e.note, "");
        assert_eq!(e.outcome, EventOutcome::Done);
        assert_eq!(e.id(), "e1");
        assert_eq!(<CareEvent as Record>::STORE, "care_events");
        let back: CareEvent = serde_json::from_str(&serde_json::to_string(&e).unwrap()).unwrap();
        assert_eq!(back, e);
        let s = GapStatus::NotApplicable { reason: "Declined".into() };
        assert_eq!(serde_json::from_str::<GapStatus>(&serde_json::to_string(&s).unwrap()).unwrap(), s);
    }

    #[test]
    fn a_season_date_missing_in_some_years_is_clamped() {
        let mut r = rule("influenza-vaccine");
        r.interval = Interval::Season { month: 2, day: 29 };
        let p = man("1980-01-01");
        let res = evaluate(&p, &[], &[], std::slice::from_ref(&r), day(2026, 3, 5));
        assert_eq!(res[0].next_due, Some(day(2026, 2, 28)));
        assert_eq!(season_start(day(2028, 3, 1), 2, 29), day(2028, 2, 29));
        assert_eq!(season_start(day(2026, 7, 31), 8, 1), day(2025, 8, 1));
        assert_eq!(parse_bp("118/76"), Some((118, 76)));
        assert_eq!(parse_bp("high"), None);
        assert_eq!(parse_number("8,1%"), Some(8.1));
    }
}

#[cfg(test)]
mod draft_tests {
    use super::*;
    use crate::model::patient::tests::{at, day};

    fn gaps() -> Vec<GapResult> {
        vec![GapResult {
            rule_id: "hba1c".into(),
            item: items::HBA1C.into(),
            label: "HbA1c".into(),
            status: GapStatus::Overdue,
            last_done: None,
            last_value: None,
            next_due: None,
        }]
    }

    fn draft(date: &str, outcome: &str, note: &str) -> CareEventDraft {
        CareEventDraft { item: items::HBA1C.into(), date: date.into(), value: " 7.2 ".into(), outcome: outcome.into(), note: note.into() }
    }

    const TODAY: (i32, u32, u32) = (2026, 11, 23);

    fn check(d: &CareEventDraft) -> Result<ValidCareEvent, String> {
        d.validate(&gaps(), day(TODAY.0, TODAY.1, TODAY.2))
    }

    #[test]
    fn a_done_event_today_is_recorded_with_its_trimmed_result() {
        let v = check(&draft("2026-11-23", "done", " ok ")).unwrap();
        assert_eq!((v.label.as_str(), v.date, v.value.as_deref(), v.outcome, v.note.as_str()), ("HbA1c", day(2026, 11, 23), Some("7.2"), EventOutcome::Done, "ok"));
        let e = v.into_event("e1".into(), "p1".into(), at(2026, 11, 23));
        assert_eq!((e.id.as_str(), e.patient_id.as_str(), e.item.as_str()), ("e1", "p1", items::HBA1C));
        let blank = CareEventDraft { value: "  ".into(), outcome: String::new(), ..draft("11/20/2026", "", "") };
        let v = check(&blank).unwrap();
        assert_eq!((v.value, v.outcome, v.date), (None, EventOutcome::Done, day(2026, 11, 20)), "a blank outcome is done; US dates read");
    }

    #[test]
    fn the_item_must_be_one_of_the_gaps() {
        let none = CareEventDraft { item: String::new(), ..draft("2026-11-23", "done", "") };
        assert_eq!(check(&none).unwrap_err(), "Choose the item to record.");
        let other = CareEventDraft { item: "mammogram".into(), ..draft("2026-11-23", "done", "") };
        assert_eq!(check(&other).unwrap_err(), "Choose the item to record.");
    }

    #[test]
    fn the_date_is_required_and_not_in_the_future() {
        assert_eq!(check(&draft(" ", "done", "")).unwrap_err(), "Enter the date it was done.");
        assert_eq!(check(&draft("2026-02-30", "done", "")).unwrap_err(), "Date '2026-02-30' is not a date.");
        assert_eq!(check(&draft("2026-11-24", "done", "")).unwrap_err(), "Date 2026-11-24 is in the future.");
        assert!(check(&draft("2026-11-23", "done", "")).is_ok(), "today itself is fine");
    }

    #[test]
    fn an_exclusion_needs_its_reason_and_a_decline_does_not() {
        assert_eq!(check(&draft("2026-11-01", "excluded", "  ")).unwrap_err(), "Give the reason the item does not apply (for example: bilateral mastectomy).");
        assert_eq!(check(&draft("2026-11-01", "excluded", "bilateral mastectomy")).unwrap().outcome, EventOutcome::Excluded);
        assert_eq!(check(&draft("2026-11-01", "declined", "")).unwrap().outcome, EventOutcome::Declined);
        assert_eq!(check(&draft("2026-11-01", "Declined", "")).unwrap().outcome, EventOutcome::Declined, "codes read ignoring case");
    }

    #[test]
    fn an_unknown_outcome_is_refused() {
        assert_eq!(check(&draft("2026-11-01", "maybe", "")).unwrap_err(), "Outcome 'maybe' is not one CareCoord knows.");
    }
}
