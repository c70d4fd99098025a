//! A patient's care profile: need level, flags, consent for chronic care management, the
//! months marked complex for it, and the care team. Kept inside the patient record (`Patient::profile`), so one write saves it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::dates::{parse_date, YearMonth};

/// Flags the coordinator picks from most often; any other text is allowed too.
pub const COMMON_FLAGS: [&str; 8] = [
    "needs interpreter",
    "transport barrier",
    "food insecurity",
    "housing insecurity",
    "hard of hearing",
    "low vision",
    "caregiver involved",
    "frequent ED visits",
];

/// The longest flag, in characters (flags are short labels, not notes).
pub const MAX_FLAG_CHARS: usize = 40;

/// How much help a patient needs, 1 (self-managing) to 4 (intensive), with when and why it
/// was set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedLevel {
    pub level: u8,
    pub set_on: NaiveDate,
    #[serde(default)]
    pub reason: String,
}

impl NeedLevel {
    /// The words beside each level.
    pub fn describe(level: u8) -> &'static str {
        match level {
            1 => "1 · self-managing",
            2 => "2 · some support",
            3 => "3 · high need",
            4 => "4 · intensive / complex",
            _ => "not set",
        }
    }
}

/// Everything the coordinator tracks about a patient's care beyond the chart's demographics.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CareProfile {
    /// The current need level.
    pub need_level: Option<NeedLevel>,
    /// Earlier levels, oldest first (each change up or down is kept).
    pub need_history: Vec<NeedLevel>,
    /// Free labels: "needs interpreter", "transport barrier".
    pub flags: Vec<String>,
    /// The date consent for chronic care management was recorded; `None`: no consent on file.
    pub ccm_consent_on: Option<NaiveDate>,
    /// The calendar months the patient is marked complex for chronic care management
    /// (99487 and 99489 instead of 99490 and 99439), oldest first; stored as "2026-11".
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub complex_months: Vec<YearMonth>,
    /// The care team beside the assigned provider: "RN Kim; SW Lopez; Dr Shah (cardiology)".
    pub care_team: String,
}

impl CareProfile {
    /// Whether the patient has this flag (ignoring case).
    pub fn has_flag(&self, flag: &str) -> bool {
        self.flags.iter().any(|f| f.eq_ignore_ascii_case(flag.trim()))
    }

    /// Whether the patient is marked complex for chronic care management in `month`.
    pub fn is_complex_in(&self, month: YearMonth) -> bool {
        self.complex_months.binary_search(&month).is_ok()
    }

    /// Marks the patient complex in `month`, or not.
    pub fn set_complex(&mut self, month: YearMonth, complex: bool) {
        match (self.complex_months.binary_search(&month), complex) {
            (Err(at), true) => self.complex_months.insert(at, month),
            (Ok(at), false) => {
                self.complex_months.remove(at);
            }
            _ => {}
        }
    }

    /// The current level number (0 when not set).
    pub fn level(&self) -> u8 {
        self.need_level.as_ref().map_or(0, |n| n.level)
    }

    /// The form's text for this profile.
    pub fn to_draft(&self) -> ProfileDraft {
        ProfileDraft {
            need_level: self.need_level.as_ref().map(|n| n.level.to_string()).unwrap_or_default(),
            reason: String::new(),
            flags: self.flags.join(", "),
            ccm_consent_on: self.ccm_consent_on.map(|d| d.to_string()).unwrap_or_default(),
            care_team: self.care_team.clone(),
        }
    }

    /// Names of the fields that differ, for the change journal (never the values).
    pub fn changed_fields(&self, other: &CareProfile) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.need_level != other.need_level {
            out.push("need level");
        }
        if self.flags != other.flags {
            out.push("flags");
        }
        if self.ccm_consent_on != other.ccm_consent_on {
            out.push("CCM consent");
        }
        if self.complex_months != other.complex_months {
            out.push("complex months");
        }
        if self.care_team != other.care_team {
            out.push("care team");
        }
        out
    }
}

/// What the coordinator typed into the care-profile form.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProfileDraft {
    /// "" (not set) or "1".."4".
    pub need_level: String,
    /// Why the level changed; required when it does.
    pub reason: String,
    /// Comma-separated.
    pub flags: String,
    /// ISO date or "" (no consent on file).
    pub ccm_consent_on: String,
    pub care_team: String,
}

impl ProfileDraft {
    /// The profile after this form is saved on `today`: a changed level is dated today and
    /// the old one kept in the history. Errors are whole sentences for the coordinator.
    pub fn apply(&self, current: &CareProfile, today: NaiveDate) -> Result<CareProfile, Vec<String>> {
        let mut problems = Vec::new();
        let level: Option<u8> = match self.need_level.trim() {
            "" => None,
            s => match s.parse::<u8>() {
                Ok(n @ 1..=4) => Some(n),
                _ => {
                    problems.push(format!("Need level '{s}' is not 1, 2, 3 or 4."));
                    None
                }
            },
        };
        let reason = self.reason.trim().to_string();
        let mut next = current.clone();
        if problems.is_empty() && level != current.need_level.as_ref().map(|n| n.level) {
            match level {
                Some(_) if reason.is_empty() => {
                    problems.push("Say why the need level changes (for example: new diagnosis, recent hospital stay).".into());
                }
                Some(level) => {
                    if let Some(old) = next.need_level.take() {
                        next.need_history.push(old);
                    }
                    next.need_level = Some(NeedLevel { level, set_on: today, reason });
                }
                None => {
                    if let Some(old) = next.need_level.take() {
                        next.need_history.push(old);
                    }
                }
            }
        }
        let mut flags: Vec<String> = Vec::new();
        for raw in self.flags.split([',', ';', '\n']) {
            let flag = raw.split_whitespace().collect::<Vec<_>>().join(" ");
            if flag.is_empty() {
                continue;
            }
            if flag.chars().count() > MAX_FLAG_CHARS {
                problems.push(format!("The flag '{flag}' is longer than {MAX_FLAG_CHARS} characters; put details in the notes."));
                continue;
            }
            if !flags.iter().any(|f| f.eq_ignore_ascii_case(&flag)) {
                flags.push(flag);
            }
        }
        next.flags = flags;
        next.ccm_consent_on = match self.ccm_consent_on.trim() {
            "" => None,
            s => match parse_date(s) {
                Some(d) if d > today => {
                    problems.push(format!("CCM consent date {s} is in the future."));
                    None
                }
                Some(d) if !super::dates::date_in_range(d) => {
                    problems.push(format!("{}.", super::dates::outside_range("CCM consent date", s)));
                    None
                }
                Some(d) => Some(d),
                None => {
                    problems.push(format!("CCM consent date '{s}' is not a date."));
                    None
                }
            },
        };
        next.care_team = self.care_team.trim().to_string();
        if problems.is_empty() {
            Ok(next)
        } else {
            Err(problems)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn draft(level: &str, reason: &str) -> ProfileDraft {
        ProfileDraft { need_level: level.into(), reason: reason.into(), ..Default::default() }
    }

    #[test]
    fn a_level_is_dated_and_earlier_levels_are_kept_up_and_down() {
        let p = draft("2", "new diabetes diagnosis").apply(&CareProfile::default(), day(2026, 3, 1)).unwrap();
        assert_eq!(p.need_level, Some(NeedLevel { level: 2, set_on: day(2026, 3, 1), reason: "new diabetes diagnosis".into() }));
        let up = draft("4", "two admissions this month").apply(&p, day(2026, 6, 1)).unwrap();
        assert_eq!(up.level(), 4);
        assert_eq!(up.need_history.len(), 1);
        assert_eq!(up.need_history[0].level, 2);
        let down = draft("3", "stable after TCM").apply(&up, day(2026, 9, 1)).unwrap();
        assert_eq!(down.level(), 3);
        assert_eq!(down.need_history.iter().map(|n| n.level).collect::<Vec<_>>(), vec![2, 4]);
        assert_eq!(down.need_level.unwrap().set_on, day(2026, 9, 1));
    }

    #[test]
    fn a_changed_level_needs_a_reason_but_an_unchanged_one_does_not() {
        let errs = draft("3", " ").apply(&CareProfile::default(), day(2026, 3, 1)).unwrap_err();
        assert!(errs[0].contains("why the need level changes"), "{errs:?}");
        let p = draft("3", "x").apply(&CareProfile::default(), day(2026, 3, 1)).unwrap();
        let same = ProfileDraft { care_team: "RN Kim".into(), ..p.to_draft() }.apply(&p, day(2026, 4, 1)).unwrap();
        assert_eq!(same.need_level, p.need_level, "the date is not moved when the level stays");
        assert_eq!(same.care_team, "RN Kim");
    }

    #[test]
    fn bad_levels_and_dates_are_named() {
        let errs = draft("5", "x").apply(&CareProfile::default(), day(2026, 3, 1)).unwrap_err();
        assert_eq!(errs, vec!["Need level '5' is not 1, 2, 3 or 4.".to_string()]);
        let d = ProfileDraft { ccm_consent_on: "2026-02-30".into(), ..Default::default() };
        assert_eq!(d.apply(&CareProfile::default(), day(2026, 3, 1)).unwrap_err(), vec!["CCM consent date '2026-02-30' is not a date.".to_string()]);
        let d = ProfileDraft { ccm_consent_on: "2026-03-02".into(), ..Default::default() };
        assert!(d.apply(&CareProfile::default(), day(2026, 3, 1)).unwrap_err()[0].contains("in the future"));
        // A year a backup could not carry back (1900–2200) is refused at the form.
        let d = ProfileDraft { ccm_consent_on: "1066-10-14".into(), ..Default::default() };
        assert_eq!(d.apply(&CareProfile::default(), day(2026, 3, 1)).unwrap_err(), vec!["CCM consent date '1066-10-14' is outside 1900–2200.".to_string()]);
    }

    #[test]
    fn flags_are_trimmed_and_deduplicated_ignoring_case() {
        let d = ProfileDraft { flags: " needs  interpreter, Transport barrier;needs interpreter,, ".into(), ..Default::default() };
        let p = d.apply(&CareProfile::default(), day(2026, 3, 1)).unwrap();
        assert_eq!(p.flags, vec!["needs interpreter".to_string(), "Transport barrier".to_string()]);
        assert!(p.has_flag("transport BARRIER"));
        assert!(!p.has_flag("food insecurity"));
        let long = ProfileDraft { flags: "x".repeat(41), ..Default::default() };
        assert!(long.apply(&CareProfile::default(), day(2026, 3, 1)).is_err());
    }

    #[test]
    fn complex_months_are_kept_sorted_and_older_profiles_read_without_them() {
        let old: CareProfile = serde_json::from_str(r#"{"flags":["needs interpreter"],"ccm_consent_on":"2026-01-05"}"#).unwrap();
        assert!(old.complex_months.is_empty());
        assert!(!serde_json::to_string(&old).unwrap().contains("complex_months"));
        let (nov, dec) = (YearMonth::parse("2026-11").unwrap(), YearMonth::parse("2026-12").unwrap());
        let mut p = old.clone();
        p.set_complex(dec, true);
        p.set_complex(nov, true);
        p.set_complex(nov, true);
        assert_eq!(p.complex_months, vec![nov, dec]);
        assert!(p.is_complex_in(nov) && !p.is_complex_in(nov.previous()));
        assert_eq!(old.changed_fields(&p), vec!["complex months"]);
        let json = serde_json::to_string(&p).unwrap();
        assert!(json.contains(r#""complex_months":["2026-11","2026-12"]"#), "{json}");
        assert_eq!(serde_json::from_str::<CareProfile>(&json).unwrap(), p);
        // The profile form keeps the marks.
        let saved = ProfileDraft { care_team: "RN Kim".into(), ..p.to_draft() }.apply(&p, day(2026, 11, 23)).unwrap();
        assert_eq!(saved.complex_months, vec![nov, dec]);
        p.set_complex(nov, false);
        assert_eq!(p.complex_months, vec![dec]);
    }

    #[test]
    fn clearing_the_level_keeps_it_in_the_history() {
        let p = draft("2", "x").apply(&CareProfile::default(), day(2026, 3, 1)).unwrap();
        let cleared = draft("", "").apply(&p, day(2026, 4, 1)).unwrap();
        assert_eq!(cleared.need_level, None);
        assert_eq!(cleared.need_history.len(), 1);
        assert_eq!(p.changed_fields(&cleared), vec!["need level"]);
    }
}
