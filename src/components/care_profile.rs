//! A patient's care profile on the patient page: need level (with its history), flags,
//! consent for chronic care management and the care team, and the form that edits them.

use leptos::prelude::*;

use crate::model::profile::{NeedLevel, ProfileDraft, COMMON_FLAGS};
use crate::model::Patient;
use crate::pages::show_date;
use crate::state::{AppState, Notice};

#[component]
pub fn CareProfileCard(patient: Patient) -> impl IntoView {
    let state = expect_context::<AppState>();
    let editing = RwSignal::new(false);
    let draft = RwSignal::new(patient.profile.to_draft());
    let problems = RwSignal::new(Vec::<String>::new());
    let id = StoredValue::new(patient.id.clone());
    let profile = patient.profile.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let d = draft.get_untracked();
        leptos::task::spawn_local_scoped(async move {
            match state.save_profile(id.get_value(), d).await {
                Ok(()) => state.say(Notice::Done("Care profile saved.".into())),
                Err(p) => problems.set(p),
            }
        });
    };
    let field = move |id: &'static str, label: &'static str, get: fn(&ProfileDraft) -> String, set: fn(&mut ProfileDraft, String), kind: &'static str, hint: &'static str| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input id=id type=kind prop:value=move || draft.with(get) on:input=move |ev| draft.update(|d| set(d, event_target_value(&ev)))/>
                {(!hint.is_empty()).then(|| view! { <p class="hint">{hint}</p> })}
            </div>
        }
    };
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
                        <div class="field"><label for="profile-level">"Need level"</label>
                            <select id="profile-level" prop:value=move || draft.with(|d| d.need_level.clone()) on:change=move |ev| draft.update(|d| d.need_level = event_target_value(&ev))>
                                <option value="">"Not set"</option>
                                {(1..=4u8).map(|n| view! { <option value=n.to_string()>{NeedLevel::describe(n)}</option> }).collect_view()}
                            </select></div>
                        {field("profile-reason", "Reason for the change", |d| d.reason.clone(), |d, v| d.reason = v, "text", "Needed when the level changes")}
                    </div>
                    {field("profile-flags", "Flags", |d| d.flags.clone(), |d, v| d.flags = v, "text", "")}
                    <p class="hint">"Separate flags with commas. Common: " {COMMON_FLAGS.join(", ")} "."</p>
                    <div class="field-row">
                        {field("profile-ccm", "CCM consent date", |d| d.ccm_consent_on.clone(), |d, v| d.ccm_consent_on = v, "date", "Empty: no consent on file")}
                        {field("profile-team", "Care team", |d| d.care_team.clone(), |d, v| d.care_team = v, "text", "")}
                    </div>
                    <div class="form-actions">
                        <button type="submit" class="primary">"Save care profile"</button>
                        <button type="button" on:click=move |_| editing.set(false)>"Cancel"</button>
                    </div>
                </form>
            </Show>
        </section>
    }
}
