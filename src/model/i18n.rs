//! The kiosk's and the printed handout's words, in every language the kiosk offers.
//!
//! One row per [`Key`], one column per [`Lang`]: adding a language is adding a column to
//! [`row`] (the compiler then asks for it in every row) and a variant to [`Lang`]; the
//! completeness test checks that no cell is empty. Messages with a number use `{n}`
//! ([`services_count`] fills it in and picks the singular or plural row).

use chrono::Weekday;

use super::choice::Choice;

/// A language the kiosk and handouts are offered in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Lang {
    #[default]
    En,
    Es,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Es];

    /// The BCP 47 tag for the page's `lang` attribute.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }

    /// The language's own name, for the language switch ("English", "Español").
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Es => "Español",
        }
    }

    /// The language the kiosk's switch offers from this one (its accessible name is that
    /// language's own name, per the UI contract: **Español** / **English**).
    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Es,
            Lang::Es => Lang::En,
        }
    }

    fn column(self) -> usize {
        self as usize
    }

    /// From a tag such as "es", "es-MX" or "EN".
    pub fn from_code(code: &str) -> Option<Lang> {
        let base = code.trim().split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.code() == base)
    }
}

impl Choice for Lang {
    fn all() -> &'static [Lang] {
        &Lang::ALL
    }

    fn code(&self) -> &'static str {
        Lang::code(*self)
    }

    /// The language's own name.
    fn label(&self) -> &'static str {
        self.own_name()
    }
}

/// The strings of the kiosk and handout.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Key {
    KioskTitle,
    SearchResources,
    Categories,
    AllCategories,
    CatFood,
    CatHousing,
    CatTransportation,
    CatFinancialHelp,
    CatMentalHealth,
    CatHealthCare,
    CatSupportGroups,
    CatLegal,
    CatEducationEmployment,
    CatOther,
    OpenNow,
    OpenToday,
    Closed,
    HoursUnknown,
    Phone,
    Address,
    Hours,
    Languages,
    Eligibility,
    Fees,
    HowToApply,
    Ages,
    Print,
    Back,
    Clear,
    StartOver,
    NoServicesMatch,
    /// "{n} service" (exactly one).
    ServicesOne,
    /// "{n} services".
    ServicesMany,
    ExitKiosk,
    Pin,
    Unlock,
    WrongPin,
    LastVerified,
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
    Daily,
    HandoutTitle,
    Website,
    MoreDetails,
    PickCategory,
    Language,
    Loading,
    EmptyDirectory,
}

impl Key {
    pub const ALL: [Key; 53] = [
        Key::KioskTitle, Key::SearchResources, Key::Categories, Key::AllCategories, Key::CatFood, Key::CatHousing,
        Key::CatTransportation, Key::CatFinancialHelp, Key::CatMentalHealth, Key::CatHealthCare, Key::CatSupportGroups,
        Key::CatLegal, Key::CatEducationEmployment, Key::CatOther, Key::OpenNow, Key::OpenToday, Key::Closed,
        Key::HoursUnknown, Key::Phone, Key::Address, Key::Hours, Key::Languages, Key::Eligibility, Key::Fees,
        Key::HowToApply, Key::Ages, Key::Print, Key::Back, Key::Clear, Key::StartOver, Key::NoServicesMatch,
        Key::ServicesOne, Key::ServicesMany, Key::ExitKiosk, Key::Pin, Key::Unlock, Key::WrongPin, Key::LastVerified,
        Key::Mon, Key::Tue, Key::Wed, Key::Thu, Key::Fri, Key::Sat, Key::Sun, Key::Daily, Key::HandoutTitle,
        Key::Website, Key::MoreDetails, Key::PickCategory, Key::Language, Key::Loading,
        Key::EmptyDirectory,
    ];

    /// The key of a day's short name (Mon..Sun).
    pub fn day(d: Weekday) -> Key {
        [Key::Mon, Key::Tue, Key::Wed, Key::Thu, Key::Fri, Key::Sat, Key::Sun][d.num_days_from_monday() as usize]
    }
}

/// The table: one column per [`Lang`], in `Lang::ALL` order.
fn row(key: Key) -> [&'static str; 2] {
    match key {
        Key::KioskTitle => ["Community resources", "Recursos comunitarios"],
        Key::SearchResources => ["Search resources", "Buscar recursos"],
        Key::Categories => ["Categories", "Categorías"],
        Key::AllCategories => ["All categories", "Todas las categorías"],
        Key::CatFood => ["Food", "Comida"],
        Key::CatHousing => ["Housing", "Vivienda"],
        Key::CatTransportation => ["Transportation", "Transporte"],
        Key::CatFinancialHelp => ["Financial help", "Ayuda económica"],
        Key::CatMentalHealth => ["Behavioral and mental health", "Salud mental y conductual"],
        Key::CatHealthCare => ["Health care", "Atención médica"],
        Key::CatSupportGroups => ["Support groups", "Grupos de apoyo"],
        Key::CatLegal => ["Legal help", "Ayuda legal"],
        Key::CatEducationEmployment => ["Education and jobs", "Educación y empleo"],
        Key::CatOther => ["Other", "Otros"],
        Key::OpenNow => ["Open now", "Abierto ahora"],
        Key::OpenToday => ["Open today", "Abierto hoy"],
        Key::Closed => ["Closed", "Cerrado"],
        Key::HoursUnknown => ["Call for hours", "Llame para saber el horario"],
        Key::Phone => ["Phone", "Teléfono"],
        Key::Address => ["Address", "Dirección"],
        Key::Hours => ["Hours", "Horario"],
        Key::Languages => ["Languages", "Idiomas"],
        Key::Eligibility => ["Eligibility", "Requisitos"],
        Key::Fees => ["Fees", "Costo"],
        Key::HowToApply => ["How to apply", "Cómo solicitar"],
        Key::Ages => ["Ages", "Edades"],
        Key::Print => ["Print", "Imprimir"],
        Key::Back => ["Back", "Volver"],
        Key::Clear => ["Clear", "Borrar"],
        Key::StartOver => ["Start over", "Empezar de nuevo"],
        Key::NoServicesMatch => ["No services match", "Ningún servicio coincide"],
        Key::ServicesOne => ["{n} service", "{n} servicio"],
        Key::ServicesMany => ["{n} services", "{n} servicios"],
        Key::ExitKiosk => ["Exit kiosk", "Salir del quiosco"],
        Key::Pin => ["PIN", "PIN"],
        Key::Unlock => ["Unlock", "Desbloquear"],
        Key::WrongPin => ["That PIN is not right.", "Ese PIN no es correcto."],
        Key::LastVerified => ["Information checked", "Información verificada"],
        Key::Mon => ["Mon", "lun"],
        Key::Tue => ["Tue", "mar"],
        Key::Wed => ["Wed", "mié"],
        Key::Thu => ["Thu", "jue"],
        Key::Fri => ["Fri", "vie"],
        Key::Sat => ["Sat", "sáb"],
        Key::Sun => ["Sun", "dom"],
        Key::Daily => ["Daily", "Todos los días"],
        Key::HandoutTitle => ["Community resources for you", "Recursos comunitarios para usted"],
        Key::Website => ["Website", "Sitio web"],
        Key::MoreDetails => ["More details", "Más detalles"],
        Key::PickCategory => ["Choose what you need, or search", "Elija lo que necesita, o busque"],
        Key::Language => ["Language", "Idioma"],
        Key::Loading => ["Loading…", "Cargando…"],
        Key::EmptyDirectory => ["No resources are on this tablet yet. Please ask at the front desk.", "Todavía no hay recursos en esta tableta. Pregunte en la recepción."],
    }
}

/// The string for `key` in `lang`.
pub fn t(lang: Lang, key: Key) -> &'static str {
    row(key)[lang.column()]
}

/// "1 service", "12 services" / "1 servicio", "12 servicios".
pub fn services_count(lang: Lang, n: usize) -> String {
    let key = if n == 1 { Key::ServicesOne } else { Key::ServicesMany };
    t(lang, key).replace("{n}", &n.to_string())
}

/// A day's short name.
pub fn day_name(lang: Lang, d: Weekday) -> &'static str {
    t(lang, Key::day(d))
}

/// Opening hours as `model::directory::format_hours` writes them ("Mon-Fri 09:00-17:00;
/// Daily 10:00-14:00"), with the day names in `lang`.
pub fn hours_in(lang: Lang, hours: &str) -> String {
    if lang == Lang::En {
        return hours.to_string();
    }
    let mut out = hours.to_string();
    for (en, key) in [("Mon", Key::Mon), ("Tue", Key::Tue), ("Wed", Key::Wed), ("Thu", Key::Thu), ("Fri", Key::Fri), ("Sat", Key::Sat), ("Sun", Key::Sun), ("Daily", Key::Daily)] {
        out = out.replace(en, t(lang, key));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn hours_read_in_spanish() {
        use super::*;
        assert_eq!(hours_in(Lang::Es, "Mon-Fri 09:00-17:00; Sat 10:00-14:00"), "lun-vie 09:00-17:00; sáb 10:00-14:00");
        assert_eq!(hours_in(Lang::Es, "Daily 00:00-24:00"), "Todos los días 00:00-24:00");
        assert_eq!(hours_in(Lang::En, "Daily 08:00-12:00"), "Daily 08:00-12:00");
    }

    use super::*;

    #[test]
    fn every_key_has_a_translation_in_every_language() {
        for lang in Lang::ALL {
            for key in Key::ALL {
                assert!(!t(lang, key).trim().is_empty(), "{key:?} is empty in {lang:?}");
            }
        }
        // Key::ALL lists every key once (a new key must be added there too).
        let distinct: std::collections::HashSet<Key> = Key::ALL.into_iter().collect();
        assert_eq!(distinct.len(), Key::ALL.len());
        assert_eq!(Lang::ALL.len(), row(Key::KioskTitle).len());
    }

    #[test]
    fn kiosk_words_and_counts() {
        assert_eq!(t(Lang::En, Key::KioskTitle), "Community resources");
        assert_eq!(t(Lang::Es, Key::KioskTitle), "Recursos comunitarios");
        assert_eq!(t(Lang::Es, Key::SearchResources), "Buscar recursos");
        assert_eq!(services_count(Lang::En, 1), "1 service");
        assert_eq!(services_count(Lang::En, 0), "0 services");
        assert_eq!(services_count(Lang::Es, 12), "12 servicios");
        assert_eq!(day_name(Lang::Es, Weekday::Wed), "mié");
        assert_eq!(Lang::En.other().own_name(), "Español");
        assert_eq!(Lang::from_code("es-MX"), Some(Lang::Es));
        assert_eq!(Lang::from_code("fr"), None);
    }
}
