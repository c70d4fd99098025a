//! The form that adds one appointment to the day's schedule.

use chrono::NaiveDate;
use leptos::prelude::*;

use crate::components::field::Field;
use crate::components::pending::Pending;
use crate::components::patient_picker::{PatientChoice, PatientPicker};
use crate::model::appointment::{AppointmentDraft, VISIT_TYPES};
use crate::model::dates;
use crate::state::{AppState, Notice, SaveError};

#[component]
pub(super) fn AddAppointment(day: RwSignal<NaiveDate>, adding: RwSignal<bool>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let patient = PatientChoice::new(String::new());
    let time = RwSignal::new(String::new());
    let provider = RwSignal::new(String::new());
    let visit_type = RwSignal::new(VISIT_TYPES[0].to_string());
    let problems = RwSignal::new(Vec::<String>::new());
    let providers = move || state.panel.with(|p| p.providers());
    // The patient's own provider is the likely one.
    Effect::new(move |_| {
        let id = patient.id.get();
        if let Some(p) = state.panel.with_untracked(|p| p.get(&id).map(|p| p.assigned_provider.clone())) {
            if provider.get_untracked().is_empty() {
                provider.set(p);
            }
        }
    });
    let saving = Pending::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = AppointmentDraft {
            patient_id: patient.settle(),
            date: day.get_untracked().to_string(),
            time: time.get_untracked(),
            provider: provider.get_untracked(),
            visit_type: visit_type.get_untracked(),
        };
        saving.run(async move {
            match state.schedule.add(draft).await {
                Ok(a) => {
                    problems.set(Vec::new());
                    adding.set(false);
                    state.say(Notice::Done(format!("Appointment at {} added to the schedule.", a.time_text())));
                }
                Err(SaveError::Fields(p)) => problems.set(p),
                Err(SaveError::Failed(failure)) => {
                    problems.set(Vec::new());
                    state.say_failed(&failure);
                }
            }
        });
    };
    view! {
        <form class="card inset" on:submit=submit aria-labelledby="add-appt-heading" novalidate>
            <h3 id="add-appt-heading">"Add appointment on " {move || dates::with_weekday(day.get())}</h3>
            <Show when=move || !problems.with(Vec::is_empty)>
                <div role="alert" class="notice notice-failed"><ul>{move || problems.get().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul></div>
            </Show>
            <PatientPicker id="appt-patient" label="Patient" choice=patient required=true/>
            <div class="field-row">
                <Field id="appt-time" label="Time" kind="time" required=true value=time/>
                <Field id="appt-provider" label="Provider" list="appt-providers" value=provider>
                    <datalist id="appt-providers"><For each=providers key=|p| p.clone() let(p)><option value=p/></For></datalist>
                </Field>
                <Field id="appt-type" label="Visit type" list="appt-types" value=visit_type>
                    <datalist id="appt-types">{VISIT_TYPES.iter().map(|t| view! { <option value=*t/> }).collect_view()}</datalist>
                </Field>
            </div>
            <div class="form-actions">
                <button type="submit" class="primary" disabled=move || saving.get()>"Save"</button>
                <button type="button" on:click=move |_| adding.set(false)>"Cancel"</button>
            </div>
        </form>
    }
}
