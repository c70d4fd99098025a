//! The lock screen: shown while the device is protected by a passphrase and this tab has
//! not been unlocked. It shows nothing about any patient, not even a count: nothing about
//! them has been read.

use leptos::prelude::*;

use crate::components::field::Field;
use crate::components::pending::Pending;
use crate::state::AppState;

#[component]
pub fn LockScreen() -> impl IntoView {
    let state = expect_context::<AppState>();
    let passphrase = RwSignal::new(String::new());
    let problem = RwSignal::new(String::new());
    let unlocking = Pending::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = passphrase.get_untracked();
        unlocking.run(async move {
            match state.unlock(typed).await {
                Ok(()) => {}
                Err(failure) => {
                    passphrase.set(String::new());
                    problem.set(failure.to_string());
                    crate::components::patient_form::focus("lock-passphrase");
                }
            }
        });
    };
    view! {
        <main id="main" class="lock-screen" tabindex="-1">
            <div class="card">
            <p class="brand" aria-hidden="true">"CareCoord"</p>
            <h1>"CareCoord is locked"</h1>
            <p>"The records on this device are protected by a passphrase. Enter it to open them."</p>
            <form on:submit=submit novalidate>
                <Field id="lock-passphrase" label="Passphrase" kind="password" autocomplete="current-password" required=true value=passphrase/>
                <p role="alert" class="notice notice-failed" class:empty=move || problem.with(String::is_empty)>{move || problem.get()}</p>
                <div class="form-actions">
                    <button type="submit" class="primary" disabled=move || unlocking.get()>
                        {move || if unlocking.get() { "Unlocking…" } else { "Unlock" }}
                    </button>
                </div>
            </form>
            <p class="hint">"Forgot the passphrase? It cannot be recovered: that is what keeps the records safe. Clearing this site's data in the browser erases them; the clinic's encrypted backup then brings them back."</p>
            </div>
        </main>
    }
}
