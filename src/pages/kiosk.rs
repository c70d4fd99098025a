//! `/kiosk`: the waiting-room tablet. The resource directory only, in English or Spanish,
//! with big category buttons, search, and a service's details to read or print. No link
//! leads elsewhere; no patient record is ever read (see [`AppState::start_kiosk`]); after a
//! while without a touch it returns to the start screen; leaving needs the PIN.

use leptos::prelude::*;

use crate::components::loading::WhenLoaded;
use crate::components::service_card::ServiceCard;
use crate::model::directory::{Category, DirectoryQuery, Service};
use crate::model::i18n::{category_name, services_count, t, Key, Lang};
use crate::model::settings::pin_hash;
use crate::state::AppState;
use crate::storage::DB_NAME;
use crate::web;

/// localStorage key: seconds without a touch before the kiosk starts over (tests set it low).
pub const IDLE_SECONDS_KEY: &str = "carecoord.kioskIdleSeconds";
const IDLE_SECONDS_DEFAULT: u32 = 120;
/// Results drawn at once.
const SHOWN: usize = 30;

fn idle_seconds() -> u32 {
    use gloo_storage::{LocalStorage, Storage};
    LocalStorage::raw().get_item(IDLE_SECONDS_KEY).ok().flatten().and_then(|s| s.parse().ok()).unwrap_or(IDLE_SECONDS_DEFAULT)
}

/// The whole kiosk app (no router, no navigation).
#[component]
pub fn KioskApp() -> impl IntoView {
    let state = AppState::start_kiosk(DB_NAME);
    let lang = RwSignal::new(Lang::En);
    let query = RwSignal::new(DirectoryQuery::default());
    let open = RwSignal::new(None::<String>);
    let exiting = RwSignal::new(false);
    let last_touch = StoredValue::new(js_sys::Date::now());
    let start_over = move || {
        query.set(DirectoryQuery::default());
        open.set(None);
        lang.set(Lang::En);
        exiting.set(false);
    };
    // The idle timer: checks every second; any touch, click or key resets it.
    let touched = move || last_touch.set_value(js_sys::Date::now());
    let limit_ms = f64::from(idle_seconds()) * 1000.0;
    if let Ok(handle) = set_interval_with_handle(
        move || {
            let idle = js_sys::Date::now() - last_touch.get_value();
            let busy = query.with_untracked(|q| *q != DirectoryQuery::default()) || open.with_untracked(Option::is_some) || lang.get_untracked() != Lang::En || exiting.get_untracked();
            if idle >= limit_ms && busy {
                start_over();
            }
        },
        std::time::Duration::from_secs(1),
    ) {
        on_cleanup(move || handle.clear());
    }
    Effect::new(move |_| {
        let code = lang.get().code();
        if let Some(html) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
            let _ = html.set_attribute("lang", code);
        }
    });
    let hits = Memo::new(move |_| query.with(|q| state.catalog.with(|c| c.index().search(q, web::local_now()))));
    let searching = move || query.with(|q| !q.text.trim().is_empty() || q.category.is_some() || q.open_now);
    view! {
        <div class="kiosk" on:pointerdown=move |_| touched() on:keydown=move |_| touched() on:input=move |_| touched()>
            <header class="kiosk-header screen-only">
                <h1>{move || t(lang.get(), Key::KioskTitle)}</h1>
                <div class="kiosk-controls">
                    <button type="button" class="kiosk-lang" lang=move || lang.get().other().code() on:click=move |_| lang.update(|l| *l = l.other())>{move || lang.get().other().own_name()}</button>
                    <button type="button" class="kiosk-exit" on:click=move |_| exiting.set(true)>{move || t(lang.get(), Key::ExitKiosk)}</button>
                </div>
            </header>
            <Show when=move || exiting.get()>
                <ExitPanel lang=lang exiting=exiting/>
            </Show>
            <main id="main" class="kiosk-main">
                <WhenLoaded>
                    {move || match open.get().and_then(|id| state.catalog.with(|c| c.service(&id).cloned())) {
                        Some(s) => view! { <KioskDetails service=s lang=lang open=open/> }.into_any(),
                        None => view! {
                            <div class="kiosk-search screen-only">
                                <label for="kiosk-search">{move || t(lang.get(), Key::SearchResources)}</label>
                                <input id="kiosk-search" type="search" autocomplete="off" prop:value=move || query.with(|q| q.text.clone())
                                    on:input=move |ev| { let v = event_target_value(&ev); query.update(|q| q.text = v) }/>
                                <button type="button" class="kiosk-toggle" aria-pressed=move || query.with(|q| q.open_now).to_string()
                                    on:click=move |_| query.update(|q| q.open_now = !q.open_now)>{move || t(lang.get(), Key::OpenNow)}</button>
                                <button type="button" on:click=move |_| start_over()>{move || t(lang.get(), Key::StartOver)}</button>
                            </div>
                            <p class="kiosk-prompt">{move || t(lang.get(), Key::PickCategory)}</p>
                            <div class="kiosk-categories" role="group" aria-label=move || t(lang.get(), Key::Categories)>
                                {Category::ALL.into_iter().filter(|c| *c != Category::Other).map(|c| view! {
                                    <button type="button" class="kiosk-category" aria-pressed=move || query.with(|q| q.category == Some(c)).to_string()
                                        on:click=move |_| query.update(|q| q.category = if q.category == Some(c) { None } else { Some(c) })>
                                        {move || category_name(lang.get(), c)}</button>
                                }).collect_view()}
                            </div>
                            <Show when=searching>
                                <p class="kiosk-count" aria-live="polite">{move || {
                                    let n = hits.with(Vec::len);
                                    if n == 0 { t(lang.get(), Key::NoServicesMatch).to_string() } else { services_count(lang.get(), n) }
                                }}</p>
                                <ul class="kiosk-results">
                                    {move || {
                                        let l = lang.get();
                                        let list: Vec<Service> = hits.with(|h| state.catalog.with(|c| h.iter().take(SHOWN).map(|&i| c.services()[i].clone()).collect()));
                                        list.into_iter().map(|s| {
                                            let id = s.id.clone();
                                            let phone = s.phones.first().map(|p| p.display()).unwrap_or_default();
                                            view! {
                                                <li><button type="button" class="kiosk-result" on:click=move |_| open.set(Some(id.clone()))>
                                                    <strong>{s.name.clone()}</strong>
                                                    <span>{s.organization_name.clone()}</span>
                                                    <span>{(!phone.is_empty()).then(|| format!("{}: {phone}", t(l, Key::Phone)))}</span>
                                                </button></li>
                                            }
                                        }).collect_view()
                                    }}
                                </ul>
                            </Show>
                        }.into_any(),
                    }}
                </WhenLoaded>
            </main>
        </div>
    }
}

#[component]
fn KioskDetails(service: Service, lang: RwSignal<Lang>, open: RwSignal<Option<String>>) -> impl IntoView {
    let print = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    let s = StoredValue::new(service);
    view! {
        <div class="kiosk-details">
            <div class="kiosk-detail-actions screen-only">
                <button type="button" on:click=move |_| open.set(None)>{move || format!("← {}", t(lang.get(), Key::Back))}</button>
                <button type="button" on:click=print>{move || t(lang.get(), Key::Print)}</button>
            </div>
            {move || view! { <ServiceCard service=s.get_value() lang=lang.get() now=web::local_now() full=true/> }}
        </div>
    }
}

#[component]
fn ExitPanel(lang: RwSignal<Lang>, exiting: RwSignal<bool>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let pin = RwSignal::new(String::new());
    let wrong = RwSignal::new(false);
    let stored = state.settings.with_untracked(|s| s.kiosk_pin_hash.clone());
    let leave = || {
        if let Some(w) = web_sys::window() {
            let _ = w.location().assign("/");
        }
    };
    let stored_for_submit = stored.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if stored_for_submit.is_empty() || pin_hash(&pin.get_untracked()).is_ok_and(|h| h == stored_for_submit) {
            leave();
        } else {
            wrong.set(true);
            pin.set(String::new());
        }
    };
    let no_pin = stored.is_empty();
    view! {
        <div class="kiosk-exit-panel" role="dialog" aria-modal="true" aria-labelledby="exit-heading">
            <form on:submit=submit>
                <h2 id="exit-heading">{move || t(lang.get(), Key::ExitKiosk)}</h2>
                {no_pin.then(|| view! { <p>"No PIN is set on this device. Set one in Settings before leaving the tablet in the waiting room."</p> })}
                <Show when=move || !no_pin>
                    <div class="field">
                        <label for="kiosk-pin">{move || t(lang.get(), Key::Pin)}</label>
                        <input id="kiosk-pin" type="password" inputmode="numeric" autocomplete="off" prop:value=move || pin.get() on:input=move |ev| pin.set(event_target_value(&ev))/>
                    </div>
                </Show>
                <Show when=move || wrong.get()>
                    <p role="alert" class="notice notice-failed">{move || t(lang.get(), Key::WrongPin)}</p>
                </Show>
                <div class="form-actions">
                    <button type="submit" class="primary">{move || t(lang.get(), Key::Unlock)}</button>
                    <button type="button" on:click=move |_| exiting.set(false)>{move || t(lang.get(), Key::Back)}</button>
                </div>
            </form>
        </div>
    }
}
