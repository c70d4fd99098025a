//! The "Passphrase protection" section of Settings: turn it on, change the passphrase, the
//! idle minutes before locking, turn it off.

use leptos::prelude::*;

use crate::components::field::Field;
use crate::components::pending::Pending;
use crate::model::protection::MIN_PASSPHRASE;
use crate::state::{AppState, Failure, Guard, Notice};

/// What a form of this section shows after its write: the confirmation goes to the notice
/// area, a failure stays under the form (its fields are emptied: they held passphrases).
fn outcome(state: AppState, problem: RwSignal<String>, result: Result<String, Failure>) {
    match result {
        Ok(done) => {
            problem.set(String::new());
            state.say(Notice::Done(done));
        }
        Err(failure) => problem.set(failure.to_string()),
    }
}

#[component]
pub fn PassphraseProtection() -> impl IntoView {
    let state = expect_context::<AppState>();
    let guard = state.protection.guard();
    view! {
        <section class="card settings protection" aria-labelledby="protection-heading">
            <h2 id="protection-heading">"Passphrase protection"</h2>
            {move || state.protection.work().get().map(|w| view! { <p role="status" class="notice notice-done">{w}</p> })}
            {move || match guard.get() {
                Guard::Unlocked => view! { <ProtectionOn/> }.into_any(),
                _ => view! { <ProtectionOff/> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn ProtectionOff() -> impl IntoView {
    let state = expect_context::<AppState>();
    let (new, repeat, problem) = (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let pending = Pending::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (n, r) = (new.get_untracked(), repeat.get_untracked());
        pending.run(async move {
            let result = state.protection.protect(n, r).await.map(|()| "This device's records are now protected by the passphrase.".to_string());
            new.set(String::new());
            repeat.set(String::new());
            outcome(state, problem, result);
        });
    };
    view! {
        <p>"Not on. Anyone who opens this browser can read the panel, and the browser's files hold every record in plain text."</p>
        <p>"With a passphrase, every record about a patient is encrypted on this device (AES-256, by the browser's own cryptography), the app locks after some idle minutes or with " <strong>"Lock now"</strong> ", and it opens only with the passphrase. The resource directory stays readable, so the waiting-room kiosk still works."</p>
        <p class="warning"><strong>"A forgotten passphrase cannot be recovered"</strong>", by anyone: the records stay encrypted for good. Keep an encrypted backup (Data page) where the clinic keeps such things."</p>
        <form on:submit=submit novalidate>
            <Field id="new-passphrase" label="New passphrase" kind="password" autocomplete="new-password" required=true value=new
                hint=format!("At least {MIN_PASSPHRASE} characters; a few unrelated words are easy to remember.")/>
            <Field id="repeat-passphrase" label="Repeat passphrase" kind="password" autocomplete="new-password" required=true value=repeat/>
            <p role="alert" class="notice notice-failed" class:empty=move || problem.with(String::is_empty)>{move || problem.get()}</p>
            <div class="form-actions">
                <button type="submit" class="primary" disabled=move || pending.get()>"Protect with a passphrase"</button>
            </div>
        </form>
    }
}

#[component]
fn ProtectionOn() -> impl IntoView {
    let state = expect_context::<AppState>();
    let minutes = RwSignal::new(state.protection.idle_minutes().map(|m| m.to_string()).unwrap_or_default());
    let minutes_problem = RwSignal::new(String::new());
    let saving_minutes = Pending::new();
    let save_minutes = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = minutes.get_untracked();
        saving_minutes.run(async move {
            let result = state.protection.set_idle_minutes(typed).await.map(|m| format!("CareCoord now locks after {m} idle minutes."));
            outcome(state, minutes_problem, result);
        });
    };

    let (current, new, repeat, change_problem) = (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let changing = Pending::new();
    let change = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (c, n, r) = (current.get_untracked(), new.get_untracked(), repeat.get_untracked());
        changing.run(async move {
            let result = state.protection.change(c, n, r).await.map(|()| "Passphrase changed.".to_string());
            for field in [current, new, repeat] {
                field.set(String::new());
            }
            outcome(state, change_problem, result);
        });
    };

    let (off_passphrase, off_problem) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let turning_off = Pending::new();
    let turn_off = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = off_passphrase.get_untracked();
        turning_off.run(async move {
            let result = state.protection.turn_off(typed).await.map(|()| "Protection is off: the records are stored in clear again.".to_string());
            off_passphrase.set(String::new());
            outcome(state, off_problem, result);
        });
    };
    view! {
        <p>"On: every record about a patient is encrypted on this device. " <strong>"Lock now"</strong> " is at the top of every page."</p>
        <form on:submit=save_minutes novalidate>
            <Field id="idle-minutes" label="Lock after (minutes)" kind="number" required=true value=minutes
                hint="Without a key press, click or touch for this long, every tab locks."/>
            <p role="alert" class="notice notice-failed" class:empty=move || minutes_problem.with(String::is_empty)>{move || minutes_problem.get()}</p>
            <div class="form-actions"><button type="submit" disabled=move || saving_minutes.get()>"Save lock time"</button></div>
        </form>
        <form on:submit=change novalidate>
            <h3>"Change passphrase"</h3>
            <Field id="current-passphrase" label="Current passphrase" kind="password" autocomplete="current-password" required=true value=current/>
            <Field id="changed-passphrase" label="New passphrase" kind="password" autocomplete="new-password" required=true value=new/>
            <Field id="changed-repeat" label="Repeat passphrase" kind="password" autocomplete="new-password" required=true value=repeat/>
            <p role="alert" class="notice notice-failed" class:empty=move || change_problem.with(String::is_empty)>{move || change_problem.get()}</p>
            <div class="form-actions"><button type="submit" disabled=move || changing.get()>"Change passphrase"</button></div>
        </form>
        <details>
            <summary>"Turn protection off"</summary>
            <form on:submit=turn_off novalidate>
                <p>"Every record is decrypted and stored in clear again on this device."</p>
                <Field id="off-passphrase" label="Passphrase to turn protection off" kind="password" autocomplete="current-password" required=true value=off_passphrase/>
                <p role="alert" class="notice notice-failed" class:empty=move || off_problem.with(String::is_empty)>{move || off_problem.get()}</p>
                <div class="form-actions"><button type="submit" class="danger" disabled=move || turning_off.get()>"Turn protection off"</button></div>
            </form>
        </details>
    }
}
