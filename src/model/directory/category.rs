//! Categories of need ([`Category`], the kiosk's buttons) and how a service's categories
//! are worked out from its taxonomy terms, name and description ([`categorize`]).

use serde::{Deserialize, Serialize};

use super::search::words_of;
use super::TaxonomyTerm;
use crate::model::choice::choice_impl;
use crate::model::i18n::{t, Key, Lang};
use crate::model::text::fold;

/// The fixed top-level needs the kiosk offers as buttons.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Food,
    Housing,
    Transportation,
    FinancialHelp,
    MentalHealth,
    HealthCare,
    SupportGroups,
    Legal,
    EducationEmployment,
    Other,
}

/// Folded word stems per category ("=" in front: the whole word only).
pub const KEYWORDS: &[(Category, &[&str])] = &[
    (Category::Food, &["food", "meal", "pantr", "grocer", "nutrition", "soup", "hunger", "hungry", "lunch", "breakfast", "dinner",
        "kitchen", "=snap", "=wic", "comida", "aliment", "despensa"]),
    (Category::Housing, &["hous", "shelter", "homeless", "=rent", "rental", "evict", "tenan", "landlord", "vivienda", "albergue",
        "refugio"]),
    (Category::Transportation, &["transport", "transit", "=bus", "=buses", "=ride", "=rides", "taxi", "paratransit", "shuttle",
        "=car", "vehicle", "transporte"]),
    (Category::FinancialHelp, &["financ", "money", "=cash", "benefit", "utilit", "=bill", "=bills", "income", "=tax", "taxes",
        "debt", "=loan", "loans", "budget", "dinero"]),
    (Category::MentalHealth, &["mental", "counsel", "therap", "behavio", "psych", "substance", "addict", "alcohol", "crisis",
        "depress", "anxiety", "suicid", "recovery", "=drug", "=drugs"]),
    (Category::HealthCare, &["=health", "healthcare", "clinic", "medical", "medic", "doctor", "dental", "dentist", "hospital",
        "nurs", "pharmac", "vaccin", "immuniz", "prenatal", "salud", "=care"]),
    (Category::SupportGroups, &["peer", "=anon", "alanon", "grief", "bereave", "mutual", "=group", "=groups", "caregiver"]),
    (Category::Legal, &["legal", "=law", "lawyer", "attorney", "=court", "courts", "immigra", "=rights", "advoca"]),
    (Category::EducationEmployment, &["educat", "school", "tutor", "literac", "=ged", "=esl", "=job", "=jobs", "employ", "career",
        "=work", "workforce", "training", "skill", "college", "resume", "=class", "classes", "mentor", "empleo", "escuela"]),
];

impl Category {
    pub const ALL: [Category; 10] = [
        Category::Food, Category::Housing, Category::Transportation, Category::FinancialHelp, Category::MentalHealth,
        Category::HealthCare, Category::SupportGroups, Category::Legal, Category::EducationEmployment, Category::Other,
    ];

    /// The stable code (what the export and stored records use): "food", "financial_help", ...
    pub fn code(self) -> &'static str {
        match self {
            Category::Food => "food",
            Category::Housing => "housing",
            Category::Transportation => "transportation",
            Category::FinancialHelp => "financial_help",
            Category::MentalHealth => "mental_health",
            Category::HealthCare => "health_care",
            Category::SupportGroups => "support_groups",
            Category::Legal => "legal",
            Category::EducationEmployment => "education_employment",
            Category::Other => "other",
        }
    }

    /// The English label (the kiosk uses [`category_name`]).
    pub fn label(self) -> &'static str {
        category_name(Lang::En, self)
    }

    /// From a code or a label in any kiosk language, case- and accent-insensitive.
    pub fn parse(s: &str) -> Option<Category> {
        let f = fold(s.trim());
        if f.is_empty() {
            return None;
        }
        Category::ALL.into_iter().find(|c| {
            c.code() == f
                || c.code().replace('_', " ") == f
                || Lang::ALL.into_iter().any(|l| fold(category_name(l, *c)) == f)
        })
    }

    pub(super) fn bit(self) -> u16 {
        1 << (self as u16)
    }

    /// From an AIRS/211 LA taxonomy code ("BD-1800.2000" is food): BD food, BH housing,
    /// BT transportation, BV utilities (financial help), F legal, H education, L health
    /// care, ND employment, other N income support (financial help), R mental health and
    /// substance use. Other codes say nothing.
    pub fn from_code(code: &str) -> Option<Category> {
        let c = code.trim().to_ascii_uppercase();
        let b = c.as_bytes();
        let letters = b.iter().take_while(|x| x.is_ascii_uppercase()).count();
        // AIRS codes are one or two letters, then a dash or the end ("BD", "BD-1800").
        if !(1..=2).contains(&letters) || (b.len() > letters && b[letters] != b'-') {
            return None;
        }
        Some(match (b[0], b.get(1).filter(|_| letters == 2)) {
            (b'B', Some(b'D')) => Category::Food,
            (b'B', Some(b'H')) => Category::Housing,
            (b'B', Some(b'T')) => Category::Transportation,
            (b'B', Some(b'V')) => Category::FinancialHelp,
            (b'F', _) => Category::Legal,
            (b'H', _) => Category::EducationEmployment,
            (b'L', _) => Category::HealthCare,
            (b'N', Some(b'D')) => Category::EducationEmployment,
            (b'N', _) => Category::FinancialHelp,
            (b'R', _) => Category::MentalHealth,
            _ => return None,
        })
    }

    /// The key of its button label in the kiosk's words (`model::i18n`).
    pub fn key(self) -> Key {
        match self {
            Category::Food => Key::CatFood,
            Category::Housing => Key::CatHousing,
            Category::Transportation => Key::CatTransportation,
            Category::FinancialHelp => Key::CatFinancialHelp,
            Category::MentalHealth => Key::CatMentalHealth,
            Category::HealthCare => Key::CatHealthCare,
            Category::SupportGroups => Key::CatSupportGroups,
            Category::Legal => Key::CatLegal,
            Category::EducationEmployment => Key::CatEducationEmployment,
            Category::Other => Key::CatOther,
        }
    }
}

choice_impl!(own_parse: Category);

/// A category's button label.
pub fn category_name(lang: Lang, c: Category) -> &'static str {
    t(lang, c.key())
}

/// The categories whose keywords occur in `text` (in [`Category::ALL`] order).
pub fn categories_in_text(text: &str) -> Vec<Category> {
    let folded = fold(text);
    let words: Vec<&str> = words_of(&folded).collect();
    let mut found = Vec::new();
    for (cat, stems) in KEYWORDS {
        let hit = words.iter().enumerate().any(|(i, w)| {
            stems.iter().any(|stem| {
                let ok = match stem.strip_prefix('=') {
                    Some(whole) => *w == whole,
                    None => w.starts_with(stem),
                };
                // "mental health" and "behavioral health" are not health care.
                ok && !(*cat == Category::HealthCare
                    && i > 0
                    && matches!(words[i - 1], "mental" | "behavioral" | "behavioural"))
            })
        });
        if hit {
            found.push(*cat);
        }
    }
    found
}

/// The categories of a service: see the module documentation of `model::directory`.
pub fn categorize(terms: &[TaxonomyTerm], name: &str, description: &str) -> Vec<Category> {
    let mut cats: Vec<Category> = Vec::new();
    for t in terms {
        if t.taxonomy.eq_ignore_ascii_case(CARECOORD_TAXONOMY) {
            cats.extend(Category::parse(&t.code));
            continue;
        }
        match Category::from_code(&t.code) {
            Some(c) => cats.push(c),
            None => cats.extend(categories_in_text(&t.name)),
        }
    }
    if cats.is_empty() {
        cats = categories_in_text(name);
    }
    if cats.is_empty() {
        cats = categories_in_text(description);
    }
    if cats.is_empty() {
        cats.push(Category::Other);
    }
    super::sort_dedup_small(&mut cats);
    cats
}

/// The taxonomy name the export gives CareCoord's own categories.
pub const CARECOORD_TAXONOMY: &str = "CareCoord";
