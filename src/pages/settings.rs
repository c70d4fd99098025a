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
            <div class="form-actions"><button type="submit" class="primary">"Save"</button></div>
        </form>
        <crate::pages::care_rules::CareRules/>
    }
}
