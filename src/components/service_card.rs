//! One directory service as families read it: name, organization, categories, phone,
//! address, hours, languages, ages, eligibility, fees, how to apply; in English or Spanish.
//! Used by the Resources page, the kiosk and the printed handout.

use chrono::NaiveDateTime;
use leptos::prelude::*;

use crate::model::directory::{category_name, OpenState, Service};
use crate::model::i18n::{hours_in, t, Key, Lang};

/// What is shown: `full` adds eligibility, fees, how to apply and the description.
#[component]
pub fn ServiceCard(service: Service, lang: Lang, now: NaiveDateTime, #[prop(optional)] full: bool) -> impl IntoView {
    let s = service;
    let hours = s.hours_text();
    let open = match s.open_state(now) {
        OpenState::Open => Some(("open", t(lang, Key::OpenNow))),
        OpenState::Closed => Some(("closed", t(lang, Key::Closed))),
        OpenState::Unknown => None,
    };
    let cats = s.categories.iter().map(|c| category_name(lang, *c)).collect::<Vec<_>>().join(" · ");
    let phones = s.phones.iter().map(|p| p.display()).collect::<Vec<_>>();
    let address = s.address().map(|a| a.one_line()).unwrap_or_default();
    let fact = move |key: Key, value: String| (!value.trim().is_empty()).then(|| view! { <dt>{t(lang, key)}</dt><dd>{value}</dd> });
    let ages = match (s.minimum_age, s.maximum_age) {
        (None, None) => String::new(),
        (a, b) => format!("{}–{}", a.map_or("0".into(), |n| n.to_string()), b.map_or("".into(), |n| n.to_string())),
    };
    view! {
        <div class="service-card">
            <h3 class="service-name">{s.name.clone()}
                {open.map(|(class, label)| view! { <span class=format!("open-badge {class}")>{label}</span> })}
            </h3>
            <p class="service-org">{s.organization_name.clone()} {(!cats.is_empty()).then(|| format!(" · {cats}"))}</p>
            <dl class="service-facts">
                {fact(Key::Phone, phones.join(", "))}
                {fact(Key::Address, address)}
                <dt>{t(lang, Key::Hours)}</dt><dd>{if hours.is_empty() { t(lang, Key::HoursUnknown).to_string() } else { hours_in(lang, &hours) }}</dd>
                {fact(Key::Languages, s.languages.join(", "))}
                {fact(Key::Ages, ages)}
                {full.then(|| view! {
                    {fact(Key::LastVerified, s.last_verified().map(crate::model::dates::iso).unwrap_or_default())}
                    {fact(Key::Eligibility, s.eligibility.clone())}
                    {fact(Key::Fees, s.fees.clone())}
                    {fact(Key::HowToApply, s.application_process.clone())}
                    {fact(Key::Website, s.url.clone())}
                })}
            </dl>
            {(full && !s.description.is_empty()).then(|| view! { <p class="service-description">{s.description.clone()}</p> })}
        </div>
    }
}
