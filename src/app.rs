//! The app shell: header, navigation, the notice area and the routes.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;

use wasm_bindgen::prelude::Closure;
use wasm_bindgen::JsCast;

use crate::components::notice::NoticeArea;
use crate::components::update_prompt::UpdatePrompt;
use crate::state::device::DeviceStatus;
use crate::storage::device;
use crate::web;
use crate::pages::on_demand;
use crate::state::tabs::TabNotice;
use crate::pages::lock::LockScreen;
use crate::state::update::AppUpdate;
use crate::state::{AppState, Guard};
use crate::storage::DB_NAME;

/// The app. Decided before any store is opened: a device in kiosk mode loads the kiosk
/// build in place of this page, whatever the path (nothing is opened or read here); a
/// device whose storage is blocked gets a page that says so; any other gets the
/// coordinator's app. The service worker is registered first, so the next start needs no
/// network.
#[component]
pub fn App() -> impl IntoView {
    let blocked = device::check_available().err();
    if blocked.is_none() && device::kiosk_lock().is_locked() {
        web::replace_location(web::KIOSK_PATH);
        return view! { <main id="main" class="opening"><p class="loading" role="status">"Opening the kiosk…"</p></main> }.into_any();
    }
    AppUpdate::start(crate::web::sw::WORKER_URL);
    if let Some(why) = blocked {
        return view! { <StorageBlocked why=why/> }.into_any();
    }
    view! { <CoordinatorApp/> }.into_any()
}

/// Leaves the coordinator's app for the kiosk when kiosk mode starts in another tab, or when
/// the browser brings back this page from its back-forward cache after kiosk mode started.
fn follow_kiosk_lock() {
    let Some(window) = web_sys::window() else { return };
    let to_kiosk = || {
        if device::kiosk_lock().is_locked() {
            if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) {
                body.set_inner_html("");
            }
            web::replace_location(web::KIOSK_PATH);
        }
    };
    let on_storage = Closure::<dyn Fn(web_sys::StorageEvent)>::new(move |ev: web_sys::StorageEvent| {
        if ev.key().is_none_or(|k| k == device::KIOSK_KEY) {
            to_kiosk();
        }
    });
    let on_pageshow = Closure::<dyn Fn()>::new(to_kiosk);
    let _ = window.add_event_listener_with_callback("storage", on_storage.as_ref().unchecked_ref());
    let _ = window.add_event_listener_with_callback("pageshow", on_pageshow.as_ref().unchecked_ref());
    // For the life of the page.
    on_storage.forget();
    on_pageshow.forget();
}

#[component]
fn CoordinatorApp() -> impl IntoView {
    on_demand::fetch_for(&web::path());
    let state = AppState::start(DB_NAME);
    follow_kiosk_lock();
    // Nothing is drawn until it is known whether the device is locked; then only a change
    // between locked and not redraws the app.
    let screen = Memo::new(move |_| match state.protection.guard().get() {
        Guard::Checking => 0,
        Guard::Locked => 1,
        Guard::Off | Guard::Unlocked => 2,
    });
    move || match screen.get() {
        0 => view! { <main id="main" class="opening"><p class="loading" role="status">"Opening CareCoord…"</p></main> }.into_any(),
        1 => view! { <LockScreen/> }.into_any(),
        _ => view! { <Shell/> }.into_any(),
    }
}

/// The coordinator's app once it may show records: header, navigation, notices, routes.
#[component]
fn Shell() -> impl IntoView {
    let state = expect_context::<AppState>();
    crate::components::work_queue::provide_queue();
    // Every other page's modules, once the stores are read (the first page's came at start;
    // a module already fetched is not fetched again).
    let all_read = state.all_ready();
    Effect::new(move |_| {
        if all_read.get() {
            on_demand::fetch_all();
        }
    });
    let unlocked = move || state.protection.guard().get() == Guard::Unlocked;
    view! {
        <Router>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <header class="app-header">
                <span class="brand">"CareCoord"</span>
                <span class="who">
                    {move || state.settings.with(|s| {
                        let clinic = s.clinic_name.clone();
                        let name = if s.coordinator_name.is_empty() { "Name not set".to_string() } else { s.coordinator_name.clone() };
                        if clinic.is_empty() { name } else { format!("{name} · {clinic}") }
                    })}
                </span>
                <Show when=unlocked>
                    <button type="button" class="lock-now" on:click=move |_| state.protection.lock_now()>"Lock now"</button>
                </Show>
            </header>
            <nav aria-label="Main" class="main-nav">
                <A href="/" exact=true>"Today"<crate::components::work_queue::QueueCount/></A>
                <A href="/panel">"Panel"</A>
                <A href="/registry">"Registry"</A>
                <A href="/recalls">"Recalls"</A>
                <A href="/care-time">"Care time"</A>
                <A href="/referrals">"Referrals"</A>
                <A href="/resources">"Resources"</A>
                <A href="/data">"Data"</A>
                <A href="/settings">"Settings"</A>
            </nav>
            <UpdatePrompt/>
            <TabWarning/>
            <DeviceWarnings/>
            <NoticeArea/>
            <main id="main" tabindex="-1">
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view=on_demand::today::view()/>
                    <Route path=path!("/panel") view=on_demand::panel::view()/>
                    <Route path=path!("/patients/:id") view=on_demand::patient::view()/>
                    <Route path=path!("/registry") view=on_demand::registry::view()/>
                    <Route path=path!("/recalls") view=on_demand::recalls::view()/>
                    <Route path=path!("/care-time") view=on_demand::care_time::view()/>
                    <Route path=path!("/referrals") view=on_demand::referrals::view()/>
                    <Route path=path!("/referrals/:id") view=on_demand::referral::view()/>
                    <Route path=path!("/resources") view=on_demand::resources::view()/>
                    <Route path=path!("/data") view=on_demand::data::view()/>
                    <Route path=path!("/settings") view=on_demand::settings::view()/>
                    <Route path=path!("/kiosk-mode") view=on_demand::kiosk_start::view()/>
                </Routes>
            </main>
        </Router>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    view! {
        <h1>"Page not found"</h1>
        <p>"There is no page at this address. " <a href="/">"Go to Today"</a>"."</p>
    }
}

/// What other tabs of CareCoord mean for this one: an upgrade that waits for an older tab,
/// or this tab's storage closed by a newer tab's upgrade (then nothing more can be saved
/// here until a reload).
#[component]
fn TabWarning() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.tab_notice().get().map(|notice| {
            let outdated = notice == TabNotice::Outdated;
            view! {
                <div class="device-warning tab-warning" role="alert">
                    <span>{notice.text()}</span>
                    {outdated.then(|| view! {
                        " "
                        <button type="button" on:click=move |_| { let _ = web_sys::window().map(|w| w.location().reload()); }>"Reload"</button>
                    })}
                </div>
            }
        })
    }
}

/// Warnings about this device that hold on every page: settings that could not be read,
/// and a browser that keeps the data only until the window closes.
#[component]
fn DeviceWarnings() -> impl IntoView {
    let status = expect_context::<DeviceStatus>();
    let private = move || status.storage().with(|r| r.as_ref().is_some_and(|r| r.in_memory_only));
    view! {
        <Show when=private>
            <aside class="device-warning" aria-label="Storage warning">
                <strong>"This window keeps nothing."</strong>
                " The browser is in a private (incognito) window: everything entered here is lost when the window closes. Use a normal window, or export a backup before closing."
            </aside>
        </Show>
        {move || status.settings_notice().get().map(|text| view! {
            <aside class="device-warning" aria-label="Settings warning">
                <span>{text}</span>
                " " <a href="/settings">"Open Settings"</a>
                <button type="button" class="link-button" on:click=move |_| status.dismiss_settings_notice()>"Dismiss"</button>
            </aside>
        })}
    }
}

/// Shown instead of the app when the browser lets it keep nothing on this device.
#[component]
fn StorageBlocked(why: String) -> impl IntoView {
    view! {
        <main id="main" class="storage-blocked">
            <h1>"CareCoord cannot keep data in this browser"</h1>
            <p>{why}</p>
            <p>"CareCoord keeps every record on this device, in the browser's own storage, and nothing on a server. To use it:"</p>
            <ul>
                <li>"allow site data (cookies and site data) for this site in the browser's privacy settings, then reload this page;"</li>
                <li>"or open this address in another browser, or in a normal (not private) window."</li>
            </ul>
        </main>
    }
}
