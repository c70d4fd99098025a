//! `/settings`: who uses this device, for which clinic, and the clinic's care-gap rules.

use leptos::prelude::*;

use crate::model::settings::Settings;
use crate::state::{AppState, Notice};

#[component]
pub fn SettingsPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let draft = RwSignal::new(state.settings.get_untracked());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match state.save_settings(draft.get_untracked()) {
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
            <div class="form-actions"><button type="submit" class="primary">"Save"</button></div>
        </form>
        <crate::pages::care_rules::CareRules/>
    }
}
