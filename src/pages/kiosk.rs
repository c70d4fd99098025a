//! The waiting-room kiosk: a build of its own (`src/bin/kiosk.rs`, served from `kiosk/`),
//! with the resource directory only, in English or Spanish, big category buttons, search,
//! and a service's details to read or print. No link leads elsewhere. It reads its own
//! database (`state::kiosk_directory`), never the coordinator's, and has no code for a
//! patient store. After a while without a touch it returns to the start screen (taking a
//! new version then, if one was downloaded); leaving needs the PIN when kiosk mode is on.

use leptos::prelude::*;

use crate::components::pending::Pending;
use crate::components::service_card::ServiceCard;
use crate::model::directory::{category_name, Category, DirectoryQuery, Service};
use crate::model::i18n::{services_count, t, Key, Lang};
use crate::model::kiosk::{wait_text, LockState};
use crate::state::kiosk::{self, Refused};
use crate::state::kiosk_directory::{KioskDirectoryState, PUBLISHED_URL};
use crate::state::update::AppUpdate;
use crate::state::LoadStatus;
use crate::storage::device;
use crate::storage::kiosk_db::KIOSK_DB;
use crate::web::{self, sw};

/// localStorage key: seconds without a touch before the kiosk starts over (tests set it low).
pub const IDLE_SECONDS_KEY: &str = "carecoord.kioskIdleSeconds";
const IDLE_SECONDS_DEFAULT: u32 = 120;
/// Results drawn at once.
const SHOWN: usize = 30;

fn idle_seconds() -> u32 {
    device::get(IDLE_SECONDS_KEY).and_then(|s| s.parse().ok()).unwrap_or(IDLE_SECONDS_DEFAULT)
}

/// The kiosk build's whole app: the service worker registered first (so the next start
/// needs no network), then the kiosk, or a page that says the browser blocks storage.
#[component]
pub fn KioskMain() -> impl IntoView {
    let update = AppUpdate::start(sw::KIOSK_WORKER_URL);
    if let Err(why) = device::check_available() {
        return view! { <main id="main" class="kiosk-main"><h1>"Community resources"</h1><p role="alert" class="notice notice-failed">{why}</p></main> }.into_any();
    }
    view! { <KioskApp lock=device::kiosk_lock() update=update/> }.into_any()
}

/// The kiosk itself (no router, no navigation). `lock` is the device's kiosk lock as read
/// at start: while it is on, leaving needs the PIN; when it is off (a tablet opened at
/// `/kiosk/` without kiosk mode), **Exit kiosk** goes to the coordinator's app.
#[component]
fn KioskApp(lock: LockState, update: AppUpdate) -> impl IntoView {
    let unreadable = lock == LockState::Unreadable;
    let directory = KioskDirectoryState::start(KIOSK_DB, PUBLISHED_URL);
    let catalog = directory.catalog();
    let lang = RwSignal::new(Lang::En);
    let query = RwSignal::new(DirectoryQuery::default());
    let open = RwSignal::new(None::<String>);
    let exiting = RwSignal::new(false);
    let last_touch = StoredValue::new(js_sys::Date::now());
    let start_over = move || {
        if update.offered().get_untracked() {
            update.reload();
            return;
        }
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
    let hits = Memo::new(move |_| query.with(|q| catalog.with(|c| c.index().search(q, web::local_now()))));
    let searching = move || query.with(|q| !q.text.trim().is_empty() || q.category.is_some() || q.open_now);
    view! {
        <div class="kiosk" on:pointerdown=move |_| touched() on:keydown=move |_| touched() on:input=move |_| touched()>
            <header class="kiosk-header screen-only">
                <h1>{move || t(lang.get(), Key::KioskTitle)}</h1>
                <div class="kiosk-controls">
                    <button type="button" class="kiosk-lang" lang=move || lang.get().other().code() on:click=move |_| lang.update(|l| *l = l.other())>{move || lang.get().other().own_name()}</button>
                    <button type="button" class="kiosk-exit" on:click=move |_| if device::kiosk_lock().is_locked() { exiting.set(true) } else { web::replace_location("/") }>{move || t(lang.get(), Key::ExitKiosk)}</button>
                </div>
            </header>
            <Show when=move || exiting.get()>
                <ExitPanel lang=lang exiting=exiting unreadable=unreadable/>
            </Show>
            <main id="main" class="kiosk-main">
                {move || match directory.load().get() {
                    LoadStatus::Loading => view! { <p class="loading" aria-busy="true">{move || t(lang.get(), Key::Loading)}</p> }.into_any(),
                    LoadStatus::Failed(m) => view! { <p role="alert" class="notice notice-failed">{m}</p> }.into_any(),
                    LoadStatus::Ready => view! { {move || match open.get().and_then(|id| catalog.with(|c| c.service(&id).cloned())) {
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
                            <Show when=move || catalog.with(|c| c.is_empty())>
                                <p class="kiosk-empty" role="status">{move || t(lang.get(), Key::EmptyDirectory)}</p>
                            </Show>
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
                                        let list: Vec<Service> = hits.with(|h| catalog.with(|c| h.iter().take(SHOWN).map(|&i| c.services()[i].clone()).collect()));
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
                    }} }.into_any(),
                }}
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

/// Leaving kiosk mode: the PIN, the wait after too many wrong tries (kept on the device, so a
/// reload does not end it), and what to do when the PIN is forgotten.
#[component]
fn ExitPanel(lang: RwSignal<Lang>, exiting: RwSignal<bool>, unreadable: bool) -> impl IntoView {
    let pin = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let pending = Pending::new();
    let wait = RwSignal::new(kiosk::seconds_to_wait());
    if let Ok(handle) = set_interval_with_handle(move || wait.set(kiosk::seconds_to_wait()), std::time::Duration::from_secs(1)) {
        on_cleanup(move || handle.clear());
    }
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if unreadable {
            return;
        }
        let typed = pin.get_untracked();
        pin.set(String::new());
        pending.run(async move {
            match kiosk::try_pin(&typed).await {
                Ok(()) => {}
                Err(Refused::Wrong { wait: w }) => {
                    message.set(Some(t(lang.get_untracked(), Key::WrongPin).to_string()));
                    wait.set(w);
                }
                Err(Refused::Wait(seconds)) => {
                    message.set(None);
                    wait.set(Some(seconds));
                }
                Err(Refused::NotAPin(m) | Refused::Failed(m)) => message.set(Some(m)),
                Err(Refused::Unreadable) => message.set(Some(UNREADABLE.into())),
            }
        });
    };
    let waiting = move || wait.get().is_some();
    view! {
        <div class="kiosk-exit-panel" role="dialog" aria-modal="true" aria-labelledby="exit-heading">
            <form on:submit=submit novalidate>
                <h2 id="exit-heading">{move || t(lang.get(), Key::ExitKiosk)}</h2>
                {unreadable.then(|| view! { <p role="alert" class="notice notice-failed">{UNREADABLE}</p> })}
                <Show when=move || !unreadable>
                    <div class="field">
                        <label for="kiosk-pin">{move || t(lang.get(), Key::Pin)}</label>
                        <input id="kiosk-pin" type="password" inputmode="numeric" autocomplete="off" prop:value=move || pin.get() on:input=move |ev| pin.set(event_target_value(&ev))/>
                    </div>
                </Show>
                {move || match (wait.get(), message.get()) {
                    (Some(seconds), _) => Some(view! { <p role="alert" class="notice notice-failed">{format!("Too many wrong PINs. Try again in {}.", wait_text(seconds))}</p> }.into_any()),
                    (None, Some(m)) => Some(view! { <p role="alert" class="notice notice-failed">{m}</p> }.into_any()),
                    _ => None,
                }}
                <div class="form-actions">
                    <button type="submit" class="primary" disabled=move || unreadable || waiting() || pending.get()>{move || t(lang.get(), Key::Unlock)}</button>
                    <button type="button" on:click=move |_| exiting.set(false)>{move || t(lang.get(), Key::Back)}</button>
                </div>
                <details class="forgot-pin">
                    <summary>"Forgot the PIN?"</summary>
                    <p>{FORGOT}</p>
                </details>
            </form>
        </div>
    }
}

const UNREADABLE: &str = "This device's kiosk settings cannot be read, so kiosk mode stays on: no PIN can end it.";
const FORGOT: &str = "There is no back door. The only way out of kiosk mode without the PIN is to clear this site's data in the browser's settings (Site settings, Clear data), which erases everything CareCoord keeps on this device, patient records and the directory alike. Restore them afterwards from the clinic's latest backup.";

