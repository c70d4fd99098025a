//! `/settings`: who uses this device, for which clinic, and the clinic's care-gap rules.

use leptos::prelude::*;

use crate::model::settings::{pin_hash, Settings};
use crate::state::{AppState, Notice};

#[component]
pub fn SettingsPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let draft = RwSignal::new(state.settings.get_untracked());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // The PIN is set by its own form; keep whatever it holds now.
        let mut next = draft.get_untracked();
        next.kiosk_pin_hash = state.settings.with_untracked(|s| s.kiosk_pin_hash.clone());
        match state.save_settings(next) {
            Ok(()) => state.say(Notice::Done("Settings saved on this device.".into())),
            Err(message) => state.say(Notice::Failed(message)),
        }
    };
    let number = move |id: &'static str, label: &'static str, get: fn(&Settings) -> u32, set: fn(&mut Settings, u32)| view! {
        <div class="field">
            <label for=id>{label}</label>
            <input id=id type="number" min="1" max="365" prop:value=move || draft.with(|d| get(d).to_string())
                on:input=move |ev| draft.update(|d| set(d, event_target_value(&ev).trim().parse().unwrap_or(0)))/>
        </div>
    };
    view! {
        <h1>"Settings"</h1>
        <form class="card settings" on:submit=submit>
            <p>"These settings are kept on this device only."</p>
            <div class="field">
                <label for="set-name">"Your name"</label>
                <input id="set-name" type="text" autocomplete="name"
                    prop:value=move || draft.with(|d| d.coordinator_name.clone())
                    on:input=move |ev| draft.update(|d: &mut Settings| d.coordinator_name = event_target_value(&ev))/>
                <p class="hint">"Written beside every change you make, in each record's history."</p>
            </div>
            <div class="field">
                <label for="set-clinic">"Clinic name"</label>
                <input id="set-clinic" type="text" autocomplete="organization"
                    prop:value=move || draft.with(|d| d.clinic_name.clone())
                    on:input=move |ev| draft.update(|d: &mut Settings| d.clinic_name = event_target_value(&ev))/>
            </div>
            <fieldset>
                <legend>"Referral clocks"</legend>
                {number("set-specialty", "Days for a specialist's reply", |s| s.referral.specialty_reply_days, |s, v| s.referral.specialty_reply_days = v)}
                {number("set-community", "Business days for a community resource's reply", |s| s.referral.community_reply_business_days, |s, v| s.referral.community_reply_business_days = v)}
                {number("set-pa", "Days a prior authorization may stay requested", |s| s.referral.prior_auth_overdue_days, |s, v| s.referral.prior_auth_overdue_days = v)}
                {number("set-report", "Days after the appointment the report is expected", |s| s.referral.report_after_appointment_days, |s, v| s.referral.report_after_appointment_days = v)}
            </fieldset>
            <fieldset>
                <legend>"Resource directory"</legend>
                {number("set-review", "Months before a resource needs review", |s| s.review_after_months, |s, v| s.review_after_months = v)}
            </fieldset>
            <div class="form-actions"><button type="submit" class="primary">"Save"</button></div>
        </form>
        <KioskPin/>
        <crate::pages::care_rules::CareRules/>
    }
}

/// The PIN that leaves kiosk mode on this device, and the way into kiosk mode (on the Data
/// page and in Settings).
#[component]
pub fn KioskPin() -> impl IntoView {
    let state = expect_context::<AppState>();
    let pin = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let is_set = move || state.settings.with(|s| !s.kiosk_pin_hash.is_empty());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let hash = match pin_hash(&pin.get_untracked()) {
            Ok(h) => h,
            Err(m) => return error.set(Some(m)),
        };
        let mut next = state.settings.get_untracked();
        next.kiosk_pin_hash = hash;
        match state.save_settings(next) {
            Ok(()) => {
                error.set(None);
                pin.set(String::new());
                state.say(Notice::Done("Kiosk PIN set on this device.".into()));
            }
            Err(m) => error.set(Some(m)),
        }
    };
    view! {
        <form class="card settings" on:submit=submit aria-labelledby="kiosk-heading" novalidate>
            <h2 id="kiosk-heading">"Waiting-room kiosk"</h2>
            <p>"Kiosk mode shows the resource directory only, full screen, in English or Spanish; no patient data is loaded. Leaving it needs this PIN."</p>
            <p>{move || if is_set() { "A PIN is set on this device." } else { "No PIN is set yet." }}</p>
            {move || error.get().map(|m| view! { <p role="alert" class="notice notice-failed">{m}</p> })}
            <div class="field">
                <label for="set-pin">"Kiosk PIN"</label>
                <input id="set-pin" type="password" inputmode="numeric" autocomplete="new-password" prop:value=move || pin.get() on:input=move |ev| pin.set(event_target_value(&ev))/>
                <p class="hint">"4 to 8 digits."</p>
            </div>
            <div class="form-actions">
                <button type="submit">"Set PIN"</button>
                <button type="button" class="primary" on:click=move |_| { if let Some(w) = web_sys::window() { let _ = w.location().assign("/kiosk"); } }>"Start kiosk mode"</button>
            </div>
        </form>
    }
}
