//! The service worker (`dist/sw.js`, written at build time by `scripts/sw.mjs`): registered
//! at start, so that after one visit with a network the app opens with none; and the news
//! that a new version has been downloaded and is waiting, with the way to switch to it.
//!
//! A new version never takes over by itself: it waits until the page asks it to
//! ([`use_new_version`], the **Reload** button) or until every CareCoord tab has closed.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorker, ServiceWorkerContainer, ServiceWorkerRegistration, ServiceWorkerState};

/// Where the build puts the coordinator's worker; its scope is the whole site but `kiosk/`.
pub const WORKER_URL: &str = "/sw.js";
/// The kiosk's own worker (scope `/kiosk/`), written into `dist/kiosk/` by the same script.
pub const KIOSK_WORKER_URL: &str = "/kiosk/sw.js";

/// How often a page that stays open asks whether a new version has been published (a page
/// load asks anyway).
const UPDATE_CHECK_MS: i32 = 60 * 60 * 1000;

thread_local! {
    static REGISTRATION: RefCell<Option<ServiceWorkerRegistration>> = const { RefCell::new(None) };
    /// Set when this page asked the waiting version to take over: it reloads when it has.
    static RELOAD_ON_TAKEOVER: Cell<bool> = const { Cell::new(false) };
}

/// The browser's service worker container, or `None` where there is none (an address that
/// is neither HTTPS nor localhost, or a browser without service workers).
fn container() -> Option<ServiceWorkerContainer> {
    let navigator = web_sys::window()?.navigator();
    let has = js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker")).unwrap_or(false);
    has.then(|| navigator.service_worker())
}

/// Whether a worker controls this page (not so on the very first visit, nor after a
/// reload that bypassed the cache): only then is a waiting worker a *new* version.
fn controlled() -> bool {
    container().and_then(|c| c.controller()).is_some()
}

/// Registers the worker. `on_new_version` is called whenever a new version has been
/// installed and waits while this page runs the one in use (at start too, when one was
/// already waiting). Where service workers are not available, the app simply works online
/// only.
pub fn register(worker_url: &'static str, on_new_version: impl Fn() + 'static) {
    let Some(container) = container() else { return };
    let on_takeover = Closure::<dyn Fn()>::new(|| {
        if RELOAD_ON_TAKEOVER.with(|r| r.replace(false)) {
            super::reload();
        }
    });
    let _ = container.add_event_listener_with_callback("controllerchange", on_takeover.as_ref().unchecked_ref());
    on_takeover.forget(); // for the life of the page
    let on_new_version: Rc<dyn Fn()> = Rc::new(on_new_version);
    wasm_bindgen_futures::spawn_local(async move {
        // A browser (or a test harness) that blocks service workers may answer with nothing.
        let registration = match JsFuture::from(container.register(worker_url)).await.map(|r| r.dyn_into::<ServiceWorkerRegistration>()) {
            Ok(Ok(r)) => r,
            Ok(Err(other)) | Err(other) => {
                web_sys::console::warn_2(&JsValue::from_str("CareCoord will need the network to open: the service worker was not registered"), &other);
                return;
            }
        };
        watch(&registration, on_new_version);
        check_every_hour(&registration);
        REGISTRATION.with(|r| *r.borrow_mut() = Some(registration));
    });
}

fn watch(registration: &ServiceWorkerRegistration, on_new_version: Rc<dyn Fn()>) {
    if registration.waiting().is_some() && controlled() {
        on_new_version();
    }
    let found_in = registration.clone();
    let on_found = Closure::<dyn Fn()>::new(move || {
        let Some(worker) = found_in.installing() else { return };
        let on_new_version = on_new_version.clone();
        let watched = worker.clone();
        let on_state = Closure::<dyn Fn()>::new(move || {
            if watched.state() == ServiceWorkerState::Installed && controlled() {
                on_new_version();
            }
        });
        let _ = worker.add_event_listener_with_callback("statechange", on_state.as_ref().unchecked_ref());
        on_state.forget(); // one small closure per version downloaded
    });
    let _ = registration.add_event_listener_with_callback("updatefound", on_found.as_ref().unchecked_ref());
    on_found.forget();
}

fn check_every_hour(registration: &ServiceWorkerRegistration) {
    let registration = registration.clone();
    let check = Closure::<dyn Fn()>::new(move || {
        let Ok(update) = registration.update() else { return };
        // Offline, the check fails: nothing to say, the next one will try again.
        wasm_bindgen_futures::spawn_local(async move {
            let _ = JsFuture::from(update).await;
        });
    });
    if let Some(w) = web_sys::window() {
        let _ = w.set_interval_with_callback_and_timeout_and_arguments_0(check.as_ref().unchecked_ref(), UPDATE_CHECK_MS);
    }
    check.forget();
}

/// Switches to the new version now: the waiting worker takes over, and this page loads
/// again under it. With no worker waiting (another tab has switched already), it reloads.
pub fn use_new_version() {
    let waiting: Option<ServiceWorker> = REGISTRATION.with(|r| r.borrow().as_ref().and_then(|r| r.waiting()));
    let Some(worker) = waiting else {
        super::reload();
        return;
    };
    RELOAD_ON_TAKEOVER.with(|r| r.set(true));
    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&message, &JsValue::from_str("type"), &JsValue::from_str("skip-waiting"));
    if worker.post_message(&message).is_err() {
        RELOAD_ON_TAKEOVER.with(|r| r.set(false));
        super::reload();
    }
}
