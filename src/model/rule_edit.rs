//! Editing the care-gap rule table: a rule as form text and back, with plain-words summaries
//! of who a rule applies to and how often, and the list of what changed for the journal.

use super::care::{CareRule, Interval};
use super::{ChronicCondition, Sex};

/// The rule form's text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleDraft {
    pub label: String,
    /// The conditions ticked (none: the rule applies whatever the conditions).
    pub conditions: Vec<ChronicCondition>,
    /// Whole years, or "".
    pub min_age_years: String,
    pub max_age_years: String,
    /// "", "female" or "male".
    pub sex: String,
    /// "months", "once" or "season".
    pub interval_kind: String,
    pub interval_months: String,
    pub due_soon_days: String,
    pub overdue_after_days: String,
    pub enabled: bool,
}

impl RuleDraft {
    /// The form for an existing rule.
    pub fn of(rule: &CareRule) -> RuleDraft {
        let (kind, months) = match rule.interval {
            Interval::Months(m) => ("months", m.to_string()),
            Interval::Once => ("once", String::new()),
            Interval::Season { .. } => ("season", String::new()),
        };
        RuleDraft {
            label: rule.label.clone(),
            conditions: rule.conditions.clone(),
            min_age_years: rule.min_age_months.map(years_text).unwrap_or_default(),
            max_age_years: rule.max_age_months.map(years_text).unwrap_or_default(),
            sex: rule.sex.map(|s| s.code().to_string()).unwrap_or_default(),
            interval_kind: kind.into(),
            interval_months: months,
            due_soon_days: rule.due_soon_days.to_string(),
            overdue_after_days: rule.overdue_after_days.to_string(),
            enabled: rule.enabled,
        }
    }

    /// A blank form for a new rule (every 12 months, 30-day windows).
    pub fn blank() -> RuleDraft {
        RuleDraft {
            interval_kind: "months".into(),
            interval_months: "12".into(),
            due_soon_days: "30".into(),
            overdue_after_days: "30".into(),
            enabled: true,
            ..Default::default()
        }
    }

    /// `base` with this form's values (for a new rule, `base` is [`new_rule`]'s).
    pub fn apply(&self, base: &CareRule) -> Result<CareRule, Vec<String>> {
        let mut problems = Vec::new();
        let label = self.label.trim().to_string();
        if label.is_empty() {
            problems.push("Name the care item (for example: HbA1c).".to_string());
        }
        let mut age = |text: &str, what: &str| -> Option<u32> {
            let t = text.trim();
            if let Some(m) = t.strip_suffix("months").or_else(|| t.strip_suffix("month")) {
                if let Ok(m) = m.trim().parse::<u32>() {
                    return Some(m);
                }
            }
            match t {
                "" => None,
                s => match s.parse::<u32>() {
                    Ok(n) if n <= 120 => Some(n * 12),
                    _ => {
                        problems.push(format!("{what} '{s}' is not a whole number of years (or a number of months, such as '6 months')."));
                        None
                    }
                },
            }
        };
        // In months; a maximum covers the whole year of age (see `CareRule::max_age_months`).
        let min_age = age(&self.min_age_years, "Minimum age");
        let max_age = age(&self.max_age_years, "Maximum age");
        let mut number = |text: &str, what: &str, max: u32| -> Option<u32> {
            match text.trim() {
                "" => None,
                s => match s.parse::<u32>() {
                    Ok(n) if n <= max => Some(n),
                    _ => {
                        problems.push(format!("{what} '{s}' is not a whole number from 0 to {max}."));
                        None
                    }
                },
            }
        };
        let months = number(&self.interval_months, "Interval", 600);
        let due_soon = number(&self.due_soon_days, "Due soon", 365);
        let overdue_after = number(&self.overdue_after_days, "Overdue after", 365);
        if let (Some(a), Some(b)) = (min_age, max_age) {
            if a > b {
                problems.push(format!("The minimum age ({}) is above the maximum age ({}).", years_text(a), years_text(b)));
            }
        }
        let interval = match self.interval_kind.as_str() {
            "once" => Some(Interval::Once),
            "season" => Some(match base.interval {
                Interval::Season { month, day } => Interval::Season { month, day },
                _ => Interval::Season { month: 8, day: 1 },
            }),
            _ => match months {
                Some(m) if m > 0 => Some(Interval::Months(m)),
                _ => {
                    if self.interval_months.trim().is_empty() || months == Some(0) {
                        problems.push("Give the interval in months (1 or more).".into());
                    }
                    None
                }
            },
        };
        let sex = match self.sex.as_str() {
            "" => None,
            s => Sex::parse(s).filter(|s| *s != Sex::Unknown),
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(CareRule {
            label,
            conditions: self.conditions.clone(),
            min_age_months: min_age,
            max_age_months: max_age,
            sex,
            interval: interval.expect("checked above"),
            due_soon_days: due_soon.unwrap_or(30),
            overdue_after_days: overdue_after.unwrap_or(30),
            enabled: self.enabled,
            ..base.clone()
        })
    }
}

/// "18" (years) or "6 months", as the age fields read them.
fn years_text(months: u32) -> String {
    if months.is_multiple_of(12) {
        (months / 12).to_string()
    } else {
        format!("{months} months")
    }
}

/// A new rule's starting point: its id and item code come from the label
/// ("Hepatitis C screening" → `custom-hepatitis-c-screening`), unique among `existing`.
pub fn new_rule(label: &str, existing: &[CareRule]) -> CareRule {
    let slug: String = super::text::fold(label)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let base = format!("custom-{}", if slug.is_empty() { "item".to_string() } else { slug });
    let mut id = base.clone();
    let mut n = 2;
    while existing.iter().any(|r| r.id == id || r.item == id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    CareRule::new(&id, &id, label.trim(), Interval::Months(12))
}

/// "Diabetes · women · age 40–74", "Everyone".
pub fn who(rule: &CareRule) -> String {
    let mut parts: Vec<String> = Vec::new();
    if !rule.conditions.is_empty() {
        parts.push(rule.conditions.iter().map(|c| c.label()).collect::<Vec<_>>().join(" or "));
    }
    match rule.sex {
        Some(Sex::Female) => parts.push("women".into()),
        Some(Sex::Male) => parts.push("men".into()),
        _ => {}
    }
    match (rule.min_age_months, rule.max_age_months) {
        (Some(a), Some(b)) => parts.push(format!("age {}–{}", years_text(a), years_text(b))),
        (Some(a), None) => parts.push(format!("age {} and over", years_text(a))),
        (None, Some(b)) => parts.push(format!("up to age {}", years_text(b))),
        (None, None) => {}
    }
    if parts.is_empty() {
        "Everyone".into()
    } else {
        parts.join(" · ")
    }
}

/// "every 6 months", "once", "each season from 1 Aug".
pub fn how_often(rule: &CareRule) -> String {
    match rule.interval {
        Interval::Months(1) => "every month".into(),
        Interval::Months(m) if m % 12 == 0 && m > 12 => format!("every {} years", m / 12),
        Interval::Months(12) => "every year".into(),
        Interval::Months(m) => format!("every {m} months"),
        Interval::Once => "once".into(),
        Interval::Season { month, day } => {
            let name = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"].get(month as usize - 1).copied().unwrap_or("?");
            format!("each season from {day} {name}")
        }
    }
}

/// What differs between two versions of a rule, for the journal.
pub fn changed(old: &CareRule, new: &CareRule) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut check = |name, same: bool| {
        if !same {
            out.push(name)
        }
    };
    check("name", old.label == new.label);
    check("conditions", old.conditions == new.conditions);
    check("ages", old.min_age_months == new.min_age_months && old.max_age_months == new.max_age_months);
    check("sex", old.sex == new.sex);
    check("interval", old.interval == new.interval);
    check("due-soon window", old.due_soon_days == new.due_soon_days);
    check("overdue window", old.overdue_after_days == new.overdue_after_days);
    check(if new.enabled { "enabled" } else { "disabled" }, old.enabled == new.enabled);
    out
}

/// What saving the rule form comes to.
#[derive(Clone, Debug, PartialEq)]
pub enum RuleSave {
    /// The form changes nothing of the rule: there is nothing to write.
    Unchanged,
    /// The rule to write, with the journal's summary ("rule HbA1c: interval, disabled",
    /// "new rule Hepatitis C screening").
    Save { rule: CareRule, summary: String },
}

/// The rule form's save: `draft` applied to `old` (or, for a new rule, to [`new_rule`]
/// made unique among `rules`), and what changed.
pub fn save(draft: &RuleDraft, old: Option<&CareRule>, rules: &[CareRule]) -> Result<RuleSave, Vec<String>> {
    let base = old.cloned().unwrap_or_else(|| new_rule(&draft.label, rules));
    let rule = draft.apply(&base)?;
    let summary = match old {
        Some(old) => {
            let fields = changed(old, &rule);
            if fields.is_empty() {
                return Ok(RuleSave::Unchanged);
            }
            format!("rule {}: {}", rule.label, fields.join(", "))
        }
        None => format!("new rule {}", rule.label),
    };
    Ok(RuleSave::Save { rule, summary })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::care::default_rules;

    fn rule(id: &str) -> CareRule {
        default_rules().into_iter().find(|r| r.id == id).unwrap_or_else(|| panic!("no rule {id}"))
    }

    #[test]
    fn every_default_rule_survives_the_form_unchanged() {
        for r in default_rules() {
            assert_eq!(RuleDraft::of(&r).apply(&r).unwrap(), r, "{}", r.id);
        }
    }

    #[test]
    fn edits_change_the_rule_and_are_named() {
        let old = default_rules().into_iter().find(|r| r.interval == Interval::Months(6) && !r.conditions.is_empty()).unwrap();
        let mut d = RuleDraft::of(&old);
        d.interval_months = "4".into();
        d.enabled = false;
        d.due_soon_days = "14".into();
        let new = d.apply(&old).unwrap();
        assert_eq!(new.interval, Interval::Months(4));
        assert!(!new.enabled);
        assert_eq!(new.id, old.id, "the id and item never change");
        assert_eq!(changed(&old, &new), vec!["interval", "due-soon window", "disabled"]);
    }

    #[test]
    fn bad_numbers_and_ages_are_explained() {
        let base = new_rule("Hep C", &[]);
        let d = RuleDraft { label: " ".into(), min_age_years: "80".into(), max_age_years: "18".into(), interval_kind: "months".into(), interval_months: "x".into(), ..RuleDraft::blank() };
        let errs = d.apply(&base).unwrap_err();
        assert_eq!(
            errs,
            vec![
                "Name the care item (for example: HbA1c).".to_string(),
                "Interval 'x' is not a whole number from 0 to 600.".into(),
                "The minimum age (80) is above the maximum age (18).".into(),
            ]
        );
        let zero = RuleDraft { label: "A".into(), interval_months: "0".into(), ..RuleDraft::blank() };
        assert_eq!(zero.apply(&base).unwrap_err(), vec!["Give the interval in months (1 or more).".to_string()]);
    }

    #[test]
    fn a_new_rule_gets_a_unique_id_from_its_label() {
        let mut rules = default_rules();
        let a = new_rule("Hepatitis C screening", &rules);
        assert_eq!(a.id, "custom-hepatitis-c-screening");
        rules.push(a);
        assert_eq!(new_rule("Hepatitis C  screening!", &rules).id, "custom-hepatitis-c-screening-2");
        let d = RuleDraft { label: "Hepatitis C screening".into(), min_age_years: "18".into(), max_age_years: "79".into(), interval_kind: "once".into(), ..RuleDraft::blank() };
        let r = d.apply(&new_rule(&d.label, &[])).unwrap();
        assert_eq!((r.min_age_months, r.max_age_months, r.interval.clone()), (Some(216), Some(948), Interval::Once));
        assert_eq!(who(&r), "age 18–79");
        assert_eq!(how_often(&r), "once");
    }

    #[test]
    fn summaries_read_as_plain_words() {
        assert_eq!(how_often(&rule("influenza-vaccine")), "each season from 1 Aug");
        let mammo = default_rules().into_iter().find(|r| r.sex == Some(Sex::Female) && r.min_age_months == Some(480)).unwrap();
        assert_eq!(who(&mammo), "women · age 40–74");
        assert_eq!(how_often(&mammo), "every 2 years");
    }

    #[test]
    fn saving_names_what_changed_or_nothing() {
        let rules = default_rules();
        let old = rule("influenza-vaccine");
        assert_eq!(save(&RuleDraft::of(&old), Some(&old), &rules).unwrap(), RuleSave::Unchanged);
        let mut d = RuleDraft::of(&old);
        d.label = "Flu shot".into();
        d.enabled = false;
        let RuleSave::Save { rule: new, summary } = save(&d, Some(&old), &rules).unwrap() else { panic!("a change is saved") };
        assert_eq!((new.id.as_str(), new.label.as_str(), new.enabled), (old.id.as_str(), "Flu shot", false));
        assert_eq!(summary, "rule Flu shot: name, disabled");
        d.enabled = true;
        d.label = old.label.clone();
        d.due_soon_days = (old.due_soon_days + 1).to_string();
        let RuleSave::Save { summary, .. } = save(&d, Some(&old), &rules).unwrap() else { panic!() };
        assert_eq!(summary, format!("rule {}: due-soon window", old.label));
    }

    #[test]
    fn saving_a_new_rule_gives_it_a_unique_id() {
        let mut rules = default_rules();
        rules.push(new_rule("Hepatitis C screening", &rules));
        let d = RuleDraft { label: " Hepatitis C screening ".into(), ..RuleDraft::blank() };
        let RuleSave::Save { rule: r, summary } = save(&d, None, &rules).unwrap() else { panic!("a new rule is saved") };
        assert_eq!(r.id, "custom-hepatitis-c-screening-2");
        assert_eq!(summary, "new rule Hepatitis C screening");
        let bad = RuleDraft { label: " ".into(), ..RuleDraft::blank() };
        assert_eq!(save(&bad, None, &rules).unwrap_err(), vec!["Name the care item (for example: HbA1c).".to_string()]);
    }
}
