//! `/settings`: who uses this device, for which clinic, and the clinic's care-gap rules.

use leptos::prelude::*;

use crate::components::page::Page;
use crate::model::settings::Settings;
use crate::components::pending::Pending;
use crate::pages::kiosk_mode::StartKiosk;
use crate::state::{kiosk, AppState, Notice};

#[component]
pub fn SettingsPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let draft = RwSignal::new(state.settings.get_untracked());
    let holidays = RwSignal::new(crate::model::settings::holidays_text(&draft.with_untracked(|d| d.holidays.clone())));
    let holidays_error = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match crate::model::settings::parse_holidays(&holidays.get_untracked()) {
            Ok(days) => {
                holidays_error.set(String::new());
                draft.update(|d| d.holidays = days);
            }
            Err(e) => return holidays_error.set(e),
        }
        match state.settings.save(draft.get_untracked()) {
            Ok(()) => state.say(Notice::Done("Settings saved on this device.".into())),
            Err(message) => state.say_failed(&message),
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
        <Page title="Settings" without_records=true>
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
                    <legend>"Clinic holidays"</legend>
                    <crate::components::field::TextAreaField id="set-holidays" label="Holidays (one date per line)" rows=4 value=holidays
                        hint="Not business days for the transition-of-care clocks and refill due dates. Example: 2026-12-25." error=holidays_error/>
                </fieldset>
                <fieldset>
                    <legend>"Resource directory"</legend>
                    {number("set-review", "Months before a resource needs review", |s| s.review_after_months, |s, v| s.review_after_months = v)}
                </fieldset>
                <div class="form-actions"><button type="submit" class="primary">"Save"</button></div>
            </form>
            <crate::pages::protection::PassphraseProtection/>
            <KioskPin/>
            <crate::pages::care_rules::CareRules/>
            <crate::pages::care_codes::CareCodes/>
        </Page>
    }
}

/// The PIN that leaves kiosk mode on this device, and the way into kiosk mode (on the Data
/// page and in Settings).
#[component]
pub fn KioskPin() -> impl IntoView {
    let state = expect_context::<AppState>();
    let pin = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let pending = Pending::new();
    let is_set = RwSignal::new(kiosk::pin_is_set());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = pin.get_untracked();
        pending.run(async move {
            match kiosk::set_pin(&typed).await {
                Ok(()) => {
                    error.set(None);
                    pin.set(String::new());
                    is_set.set(true);
                    state.say(Notice::Done("Kiosk PIN set on this device.".into()));
                }
                Err(m) => error.set(Some(m)),
            }
        });
    };
    view! {
        <section class="card settings" aria-labelledby="kiosk-heading">
            <form on:submit=submit novalidate>
                <h2 id="kiosk-heading">"Waiting-room kiosk"</h2>
                <p>"Kiosk mode shows the resource directory only, full screen, in English or Spanish; no patient data is loaded, whatever address is typed, until this PIN is entered. After 5 wrong PINs each try waits, from 30 seconds up to 15 minutes."</p>
                <p>{move || if is_set.get() { "A PIN is set on this device." } else { "No PIN is set yet." }}</p>
                {move || error.get().map(|m| view! { <p role="alert" class="notice notice-failed">{m}</p> })}
                <div class="field">
                    <label for="set-pin">"Kiosk PIN"</label>
                    <input id="set-pin" type="password" inputmode="numeric" autocomplete="new-password" aria-describedby="set-pin-hint"
                        prop:value=move || pin.get() on:input=move |ev| pin.set(event_target_value(&ev))/>
                    <p class="hint" id="set-pin-hint">"4 to 8 digits. There is no way to recover a forgotten PIN: leaving kiosk mode without it means erasing this device's data."</p>
                </div>
                <div class="form-actions">
                    <button type="submit" disabled=move || pending.get()>"Set PIN"</button>
                </div>
            </form>
            <StartKiosk/>
        </section>
    }
}
