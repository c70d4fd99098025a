//! A patient's care profile on the patient page: need level (with its history), flags,
//! consent for chronic care management and the care team, and the form that edits them.

use leptos::prelude::*;

use crate::components::pending::Pending;

use crate::components::field::{options, Field, FieldValue, SelectField};
use crate::model::profile::{NeedLevel, ProfileDraft, COMMON_FLAGS};
use crate::model::Patient;
use crate::pages::show_date;
use crate::state::{AppState, Notice, SaveError};

#[component]
pub fn CareProfileCard(patient: Patient) -> impl IntoView {
    let state = expect_context::<AppState>();
    let editing = RwSignal::new(false);
    let draft = RwSignal::new(patient.profile.to_draft());
    let problems = RwSignal::new(Vec::<String>::new());
    let id = StoredValue::new(patient.id.clone());
    let profile = patient.profile.clone();
    let saving = Pending::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let d = draft.get_untracked();
        saving.run(async move {
            match state.panel.save_profile(id.get_value(), d).await {
                Ok(()) => state.say(Notice::Done("Care profile saved.".into())),
                Err(SaveError::Fields(p)) => problems.set(p),
                Err(SaveError::Failed(failure)) => state.say_failed(&failure),
            }
        });
    };
    let value = move |get: fn(&ProfileDraft) -> String, set: fn(&mut ProfileDraft, String)| FieldValue::of(draft, get, set);
    let level_text = |n: &NeedLevel| format!("{} (set {}{})", NeedLevel::describe(n.level), show_date(n.set_on), if n.reason.is_empty() { String::new() } else { format!(": {}", n.reason) });
    view! {
        <section class="card" aria-labelledby="profile-heading">
            <div class="section-head">
                <h2 id="profile-heading">"Care profile"</h2>
                <button type="button" aria-expanded=move || editing.get().to_string() on:click=move |_| editing.update(|e| *e = !*e)>"Update care profile"</button>
            </div>
            <dl class="facts">
                <dt>"Need level"</dt>
                <dd>{profile.need_level.as_ref().map_or("Not set".to_string(), level_text)}
                    {(!profile.need_history.is_empty()).then(|| view! {
                        <details><summary>{format!("Earlier levels ({})", profile.need_history.len())}</summary>
                            <ul>{profile.need_history.iter().rev().map(|n| view! { <li>{level_text(n)}</li> }).collect_view()}</ul>
                        </details>
                    })}
                </dd>
                <dt>"Flags"</dt>
                <dd>{if profile.flags.is_empty() { view! { "None" }.into_any() } else { profile.flags.iter().map(|f| view! { <span class="flag">{f.clone()}</span> " " }).collect_view().into_any() }}</dd>
                <dt>"CCM consent"</dt>
                <dd>{profile.ccm_consent_on.map_or("No consent on file".to_string(), |d| format!("On file since {}", show_date(d)))}</dd>
                <dt>"Care team"</dt>
                <dd>{if profile.care_team.is_empty() { "—".to_string() } else { profile.care_team.clone() }}</dd>
            </dl>
            <Show when=move || editing.get()>
                <form class="inset" on:submit=submit novalidate aria-label="Care profile">
                    <Show when=move || !problems.with(Vec::is_empty)>
                        <div role="alert" class="notice notice-failed"><ul>{move || problems.get().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul></div>
                    </Show>
                    <div class="field-row">
                        <SelectField id="profile-level" label="Need level" value=value(|d| d.need_level.clone(), |d, v| d.need_level = v)
                            options=options(std::iter::once((String::new(), "Not set".to_string())).chain((1..=4u8).map(|n| (n.to_string(), NeedLevel::describe(n).to_string()))))/>
                        <Field id="profile-reason" label="Reason for the change" hint="Needed when the level changes" value=value(|d| d.reason.clone(), |d, v| d.reason = v)/>
                    </div>
                    <Field id="profile-flags" label="Flags" hint=format!("Separate flags with commas. Common: {}.", COMMON_FLAGS.join(", ")) value=value(|d| d.flags.clone(), |d, v| d.flags = v)/>
                    <div class="field-row">
                        <Field id="profile-ccm" label="CCM consent date" kind="date" hint="Empty: no consent on file" value=value(|d| d.ccm_consent_on.clone(), |d, v| d.ccm_consent_on = v)/>
                        <Field id="profile-team" label="Care team" value=value(|d| d.care_team.clone(), |d, v| d.care_team = v)/>
                    </div>
                    <div class="form-actions">
                        <button type="submit" class="primary" disabled=move || saving.get()>"Save care profile"</button>
                        <button type="button" on:click=move |_| editing.set(false)>"Cancel"</button>
                    </div>
                </form>
            </Show>
        </section>
    }
}
