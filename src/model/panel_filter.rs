//! The panel's filters beside the search: condition, care gaps (open, overdue, or one item
//! open), provider, need level and flag. [`PanelFilter::matches`] says whether a patient is
//! kept; the panel page holds one filter and asks it of every patient the search finds.

use chrono::NaiveDate;

use super::care::GapStatus;
use super::registry::Registry;
use super::{ChronicCondition, Patient};

/// Which patients the care-gaps filter keeps.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum GapFilter {
    /// Every patient.
    #[default]
    Any,
    /// Patients with at least one open gap.
    Open,
    /// Patients with at least one overdue gap.
    Overdue,
    /// Patients with this care item (a rule's item code) open.
    Item(String),
}

impl GapFilter {
    /// The filter's form value: `any`, `open`, `overdue`, `item:{code}`.
    pub fn value(&self) -> String {
        match self {
            GapFilter::Any => "any".into(),
            GapFilter::Open => "open".into(),
            GapFilter::Overdue => "overdue".into(),
            GapFilter::Item(item) => format!("item:{item}"),
        }
    }

    /// Reads [`GapFilter::value`]; anything else is [`GapFilter::Any`].
    pub fn from_value(value: &str) -> GapFilter {
        match value {
            "open" => GapFilter::Open,
            "overdue" => GapFilter::Overdue,
            other => other.strip_prefix("item:").map_or(GapFilter::Any, |i| GapFilter::Item(i.to_string())),
        }
    }

    /// Whether the filter needs each patient's open and overdue gap counts.
    pub fn counts_gaps(&self) -> bool {
        matches!(self, GapFilter::Open | GapFilter::Overdue)
    }
}

/// The panel's filters; the default keeps every patient.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PanelFilter {
    /// Only patients with this chronic condition active.
    pub condition: Option<ChronicCondition>,
    pub gaps: GapFilter,
    /// Only this assigned provider's patients (empty: all).
    pub provider: String,
    /// Only patients at this need level (0: not set; `None`: all).
    pub level: Option<u8>,
    /// Only patients with this flag, case ignored (empty: all).
    pub flag: String,
}

impl PanelFilter {
    /// Whether the filter keeps every patient.
    pub fn is_empty(&self) -> bool {
        *self == PanelFilter::default()
    }

    /// Whether `patient` is kept on `today`.
    pub fn matches(&self, patient: &Patient, registry: &Registry, today: NaiveDate) -> bool {
        self.keeps(patient, registry, today, || {
            let gaps = registry.gaps(patient, today);
            let open = gaps.iter().filter(|g| g.is_open()).count() as u16;
            let overdue = gaps.iter().filter(|g| g.status == GapStatus::Overdue).count() as u16;
            (open, overdue)
        })
    }

    /// [`PanelFilter::matches`] with the patient's open and overdue gap counts already
    /// worked out (as [`Registry::gap_counts`] gives them for the whole panel).
    pub fn matches_counted(&self, patient: &Patient, registry: &Registry, today: NaiveDate, (open, overdue): (u16, u16)) -> bool {
        self.keeps(patient, registry, today, || (open, overdue))
    }

    fn keeps(&self, patient: &Patient, registry: &Registry, today: NaiveDate, counts: impl FnOnce() -> (u16, u16)) -> bool {
        (self.provider.is_empty() || patient.assigned_provider == self.provider)
            && self.level.is_none_or(|l| patient.profile.level() == l)
            && (self.flag.is_empty() || patient.profile.has_flag(&self.flag))
            && self.condition.is_none_or(|c| registry.chronic_of(&patient.id, today).contains(&c))
            && match &self.gaps {
                GapFilter::Any => true,
                GapFilter::Open => counts().0 > 0,
                GapFilter::Overdue => counts().1 > 0,
                GapFilter::Item(item) => registry.gaps(patient, today).iter().any(|g| &g.item == item && g.is_open()),
            }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::care::{items, CareEvent, EventOutcome};
    use crate::model::condition::tests::diabetes;
    use crate::model::patient::tests::{at, day, patient};
    use crate::model::profile::NeedLevel;
    use crate::model::Panel;

    fn today() -> NaiveDate {
        day(2026, 11, 23)
    }

    /// Ana: diabetic, Dr. Shah, level 3, flagged; Rui: no condition, no provider.
    fn setup() -> (Panel, Registry) {
        let mut a = patient("a", "Ana", "Lima", "1960-01-01");
        a.assigned_provider = "Dr. Shah".into();
        a.profile.need_level = Some(NeedLevel { level: 3, set_on: day(2026, 1, 1), reason: String::new() });
        a.profile.flags = vec!["Needs Interpreter".into()];
        let b = patient("b", "Rui", "Costa", "1990-01-01");
        (Panel::new(vec![a, b]), Registry::new(vec![diabetes("a")], vec![], vec![]))
    }

    fn kept(filter: &PanelFilter) -> Vec<String> {
        let (panel, registry) = setup();
        let counts = registry.gap_counts(&panel, today());
        let mut out = Vec::new();
        for p in panel.patients() {
            let m = filter.matches(p, &registry, today());
            assert_eq!(m, filter.matches_counted(p, &registry, today(), counts[&p.id]), "{filter:?} {}", p.id);
            if m {
                out.push(p.id.clone());
            }
        }
        out
    }

    #[test]
    fn the_default_filter_keeps_everyone() {
        assert!(PanelFilter::default().is_empty());
        assert_eq!(kept(&PanelFilter::default()), ["a", "b"]);
        assert!(!PanelFilter { level: Some(0), ..Default::default() }.is_empty());
    }

    #[test]
    fn provider_level_and_flag_must_match() {
        assert_eq!(kept(&PanelFilter { provider: "Dr. Shah".into(), ..Default::default() }), ["a"]);
        assert!(kept(&PanelFilter { provider: "Dr. Sha".into(), ..Default::default() }).is_empty(), "the whole name");
        assert_eq!(kept(&PanelFilter { level: Some(3), ..Default::default() }), ["a"]);
        assert_eq!(kept(&PanelFilter { level: Some(0), ..Default::default() }), ["b"], "0: not set");
        assert!(kept(&PanelFilter { level: Some(4), ..Default::default() }).is_empty());
        assert_eq!(kept(&PanelFilter { flag: "needs interpreter".into(), ..Default::default() }), ["a"], "case ignored");
        assert!(kept(&PanelFilter { flag: "needs".into(), ..Default::default() }).is_empty());
        let all = PanelFilter { provider: "Dr. Shah".into(), level: Some(3), flag: "needs interpreter".into(), condition: Some(ChronicCondition::Diabetes), gaps: GapFilter::Overdue };
        assert_eq!(kept(&all), ["a"], "every filter at once");
        assert!(kept(&PanelFilter { level: Some(2), ..all }).is_empty(), "one filter failing drops the patient");
    }

    #[test]
    fn condition_and_gaps() {
        assert_eq!(kept(&PanelFilter { condition: Some(ChronicCondition::Diabetes), ..Default::default() }), ["a"]);
        assert!(kept(&PanelFilter { condition: Some(ChronicCondition::Hypertension), ..Default::default() }).is_empty());
        let hba1c = PanelFilter { gaps: GapFilter::Item(items::HBA1C.into()), ..Default::default() };
        assert_eq!(kept(&hba1c), ["a"], "only the diabetic patient has HbA1c open");
        assert!(kept(&PanelFilter { gaps: GapFilter::Item("no_such_item".into()), ..Default::default() }).is_empty());
        assert!(kept(&PanelFilter { gaps: GapFilter::Open, ..Default::default() }).contains(&"a".to_string()));
        assert!(kept(&PanelFilter { gaps: GapFilter::Overdue, ..Default::default() }).contains(&"a".to_string()));
    }

    #[test]
    fn a_recorded_item_leaves_the_has_this_gap_open_filter() {
        let (panel, mut registry) = setup();
        let a = panel.get("a").unwrap();
        let hba1c = PanelFilter { gaps: GapFilter::Item(items::HBA1C.into()), ..Default::default() };
        assert!(hba1c.matches(a, &registry, today()));
        registry.put_event(CareEvent { source_id: String::new(), rev: 0,
            id: "e1".into(),
            patient_id: "a".into(),
            item: items::HBA1C.into(),
            date: day(2026, 11, 1),
            value: Some("7.1".into()),
            outcome: EventOutcome::Done,
            note: String::new(),
            created_at: at(2026, 11, 1),
        });
        assert!(!hba1c.matches(a, &registry, today()));
    }

    #[test]
    fn counts_given_are_the_ones_used() {
        let (panel, registry) = setup();
        let b = panel.get("b").unwrap();
        let open = PanelFilter { gaps: GapFilter::Open, ..Default::default() };
        let overdue = PanelFilter { gaps: GapFilter::Overdue, ..Default::default() };
        assert!(!open.matches_counted(b, &registry, today(), (0, 0)));
        assert!(open.matches_counted(b, &registry, today(), (1, 0)));
        assert!(!overdue.matches_counted(b, &registry, today(), (1, 0)));
        assert!(overdue.matches_counted(b, &registry, today(), (1, 1)));
    }

    #[test]
    fn gap_filters_read_back_from_their_form_values() {
        for f in [GapFilter::Any, GapFilter::Open, GapFilter::Overdue, GapFilter::Item(items::HBA1C.into())] {
            assert_eq!(GapFilter::from_value(&f.value()), f);
        }
        assert_eq!(GapFilter::Item("eye_exam".into()).value(), "item:eye_exam");
        assert_eq!(GapFilter::from_value(""), GapFilter::Any);
        assert_eq!(GapFilter::from_value("whatever"), GapFilter::Any);
        assert!(GapFilter::Open.counts_gaps() && GapFilter::Overdue.counts_gaps());
        assert!(!GapFilter::Any.counts_gaps() && !GapFilter::Item("x".into()).counts_gaps());
    }
}
