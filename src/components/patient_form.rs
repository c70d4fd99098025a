//! The patient form, for adding and editing. Checks everything on Save; each problem is
//! shown next to its field, and nothing is saved until all are fixed.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::field::{options, Field, FieldValue, SelectField, TextAreaField};
use crate::model::{FieldError, Patient, PatientDraft, PatientField, Sex};
use crate::state::{AppState, Failure, SaveError};

fn input_id(field: PatientField) -> &'static str {
    match field {
        PatientField::FirstName => "pf-first-name",
        PatientField::LastName => "pf-last-name",
        PatientField::DateOfBirth => "pf-dob",
        PatientField::Sex => "pf-sex",
        PatientField::Mrn => "pf-mrn",
        PatientField::Phone => "pf-phone",
        PatientField::Email => "pf-email",
        PatientField::PostalCode => "pf-postal-code",
        PatientField::Notes => "pf-notes",
    }
}

fn label_of(field: PatientField) -> &'static str {
    match field {
        PatientField::FirstName => "First name",
        PatientField::LastName => "Last name",
        PatientField::DateOfBirth => "Date of birth",
        PatientField::Sex => "Sex",
        PatientField::Mrn => "MRN",
        PatientField::Phone => "Phone",
        PatientField::Email => "Email",
        PatientField::PostalCode => "ZIP / postal code",
        PatientField::Notes => "Notes",
    }
}

/// The patient form, for a new patient or for changes to `base`.
#[component]
pub fn PatientForm(
    /// The values the form starts with.
    initial: PatientDraft,
    /// The patient being edited, as the form is drawn from it; `None` adds a new patient.
    /// The save is checked against the patient as stored (see `state::PanelState::save`).
    #[prop(optional)]
    base: Option<Patient>,
    /// Called with the stored patient once the save has committed.
    on_saved: Callback<Patient>,
    /// Called when the coordinator cancels.
    on_cancel: Callback<()>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let draft = RwSignal::new(initial);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let saving = RwSignal::new(false);
    let base = StoredValue::new(base);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        saving.set(true);
        leptos::task::spawn_local_scoped(async move {
            match state.panel.save(draft.get_untracked(), base.get_value()).await {
                Ok(patient) => {
                    errors.set(Vec::new());
                    on_saved.run(patient);
                }
                Err(SaveError::Fields(found)) => {
                    if let Some(first) = found.first() {
                        focus(input_id(first.field));
                    }
                    errors.set(found);
                }
                Err(SaveError::Failed(failure)) => {
                    if let Failure::Stale(_) = failure {
                        // Changed in another window, in the same fields: show what is stored
                        // now, and base the next save on it.
                        let id = base.with_value(|b| b.as_ref().map(|b| b.id.clone())).unwrap_or_default();
                        if let Some(current) = state.panel.with_untracked(|p| p.get(&id).cloned()) {
                            draft.set(current.to_draft());
                            base.set_value(Some(current));
                        }
                    }
                    state.say_failed(&failure);
                }
            }
            saving.set(false);
        });
    };

    let summary = move || {
        errors.with(|es| {
            (!es.is_empty()).then(|| {
                let names: Vec<&str> = es.iter().map(|e| label_of(e.field)).collect();
                let n = es.len();
                format!(
                    "Not saved: {n} {} to fix: {}.",
                    if n == 1 { "field" } else { "fields" },
                    names.join(", ")
                )
            })
        })
    };

    // The message of the form's check for `field` (empty: none).
    let error = move |field: PatientField| Signal::derive(move || errors.with(|es| es.iter().find(|e| e.field == field).map(|e| e.message.clone()).unwrap_or_default()));
    let value = move |get: fn(&PatientDraft) -> String, set: fn(&mut PatientDraft, String)| FieldValue::of(draft, get, set);
    let sex = FieldValue::new(move || draft.with(|d| Sex::parse(&d.sex).unwrap_or_default().code().to_string()), move |v| draft.update(|d| d.sex = v));

    view! {
        <form class="patient-form" novalidate=true on:submit=submit>
            {move || summary().map(|s| view! { <p role="alert" class="form-summary">{s}</p> })}
            <fieldset>
                <legend>"Name and birth"</legend>
                <div class="field-row">
                    <Field id=input_id(PatientField::FirstName) label="First name" required=true autocomplete="off" error=error(PatientField::FirstName)
                        value=value(|d| d.first_name.clone(), |d, v| d.first_name = v)/>
                    <Field id=input_id(PatientField::LastName) label="Last name" required=true autocomplete="off" error=error(PatientField::LastName)
                        value=value(|d| d.last_name.clone(), |d, v| d.last_name = v)/>
                    <Field id=input_id(PatientField::DateOfBirth) label="Date of birth" kind="date" required=true autocomplete="off" error=error(PatientField::DateOfBirth)
                        value=value(|d| d.date_of_birth.clone(), |d, v| d.date_of_birth = v)/>
                    <SelectField id=input_id(PatientField::Sex) label="Sex" value=sex error=error(PatientField::Sex)
                        options=options(Sex::ALL.iter().map(|s| (s.code(), s.label())))/>
                    <Field id=input_id(PatientField::Mrn) label="MRN" autocomplete="off" error=error(PatientField::Mrn)
                        value=value(|d| d.mrn.clone(), |d, v| d.mrn = v)/>
                </div>
            </fieldset>
            <fieldset>
                <legend>"Contact"</legend>
                <div class="field-row">
                    <Field id=input_id(PatientField::Phone) label="Phone" kind="tel" autocomplete="off" error=error(PatientField::Phone)
                        value=value(|d| d.phone.clone(), |d, v| d.phone = v)/>
                    <Field id=input_id(PatientField::Email) label="Email" kind="email" autocomplete="off" error=error(PatientField::Email)
                        value=value(|d| d.email.clone(), |d, v| d.email = v)/>
                    <Field id="pf-preferred_language" label="Preferred language" autocomplete="off"
                        value=value(|d| d.preferred_language.clone(), |d, v| d.preferred_language = v)/>
                    <div class="field field-check">
                        <input
                            id="pf-interpreter"
                            type="checkbox"
                            prop:checked=move || draft.with(|d| d.interpreter_needed)
                            on:change=move |ev| draft.update(|d| d.interpreter_needed = event_target_checked(&ev))
                        />
                        <label for="pf-interpreter">"Needs an interpreter"</label>
                    </div>
                </div>
                <div class="field-row">
                    <Field id="pf-address_line" label="Street address" autocomplete="off" value=value(|d| d.address_line.clone(), |d, v| d.address_line = v)/>
                    <Field id="pf-city" label="City" autocomplete="off" value=value(|d| d.city.clone(), |d, v| d.city = v)/>
                    <Field id="pf-state" label="State" autocomplete="off" value=value(|d| d.state.clone(), |d, v| d.state = v)/>
                    <Field id=input_id(PatientField::PostalCode) label="ZIP / postal code" autocomplete="off" error=error(PatientField::PostalCode)
                        value=value(|d| d.postal_code.clone(), |d, v| d.postal_code = v)/>
                </div>
            </fieldset>
            <fieldset>
                <legend>"Care team and notes"</legend>
                <div class="field-row">
                    <Field id="pf-assigned_provider" label="Assigned provider" autocomplete="off"
                        value=value(|d| d.assigned_provider.clone(), |d, v| d.assigned_provider = v)/>
                </div>
                <TextAreaField id=input_id(PatientField::Notes) label="Notes" rows=3 error=error(PatientField::Notes)
                    value=value(|d| d.notes.clone(), |d, v| d.notes = v)/>
            </fieldset>
            <div class="form-actions">
                <button type="submit" class="primary" disabled=move || saving.get()>
                    {move || if saving.get() { "Saving…" } else { "Save" }}
                </button>
                <button type="button" on:click=move |_| on_cancel.run(())>"Cancel"</button>
                <span class="hint">"* required"</span>
            </div>
        </form>
    }
}

/// Moves keyboard focus to the element with this id.
pub fn focus(id: &str) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}
