//! The patient form, for adding and editing. Checks everything on Save; each problem is
//! shown next to its field, and nothing is saved until all are fixed.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::model::{FieldError, Patient, PatientDraft, PatientField, Sex};
use crate::state::{AppState, Notice, SaveError};

/// One text input of the form.
struct Input {
    id: &'static str,
    label: &'static str,
    kind: &'static str,
    autocomplete: &'static str,
    field: Option<PatientField>,
    required: bool,
    get: fn(&PatientDraft) -> &String,
    get_mut: fn(&mut PatientDraft) -> &mut String,
}

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

macro_rules! input {
    ($field:expr, $name:ident, $label:expr, $kind:expr, $auto:expr, $required:expr) => {
        Input {
            id: match $field {
                Some(f) => input_id(f),
                None => concat!("pf-", stringify!($name)),
            },
            label: $label,
            kind: $kind,
            autocomplete: $auto,
            field: $field,
            required: $required,
            get: |d| &d.$name,
            get_mut: |d| &mut d.$name,
        }
    };
}

/// Renders one input with its label and its error message.
fn text_input(spec: Input, draft: RwSignal<PatientDraft>, errors: RwSignal<Vec<FieldError>>) -> impl IntoView {
    let Input { id, label, kind, autocomplete, field, required, get, get_mut } = spec;
    let error = move || field.and_then(|f| errors.with(|es| es.iter().find(|e| e.field == f).map(|e| e.message.clone())));
    let error_id = format!("{id}-error");
    let described = error_id.clone();
    view! {
        <div class="field" class:invalid=move || error().is_some()>
            <label for=id>{label}{required.then_some(view! { <span class="required" aria-hidden="true">" *"</span> })}</label>
            <input
                id=id
                type=kind
                autocomplete=autocomplete
                aria-required=required.then_some("true")
                aria-invalid=move || error().map(|_| "true")
                aria-describedby=move || error().map(|_| described.clone())
                prop:value=move || draft.with(|d| get(d).clone())
                on:input=move |ev| draft.update(|d| *get_mut(d) = event_target_value(&ev))
            />
            <p class="field-error" id=error_id>{error}</p>
        </div>
    }
}

/// The patient form. `existing_id` is the patient being edited, or `None` for a new one.
#[component]
pub fn PatientForm(
    /// The values the form starts with.
    initial: PatientDraft,
    /// The patient being edited; `None` adds a new patient.
    #[prop(optional)]
    existing_id: Option<String>,
    /// Called with the stored patient once the save has committed.
    on_saved: Callback<Patient>,
    /// Called when the coordinator cancels.
    on_cancel: Callback<()>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let draft = RwSignal::new(initial);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let saving = RwSignal::new(false);
    let existing = StoredValue::new(existing_id);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        saving.set(true);
        leptos::task::spawn_local_scoped(async move {
            match state.save_patient(draft.get_untracked(), existing.get_value()).await {
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
                Err(SaveError::Storage(message)) => state.say(Notice::Failed(message)),
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

    view! {
        <form class="patient-form" novalidate=true on:submit=submit>
            {move || summary().map(|s| view! { <p role="alert" class="form-summary">{s}</p> })}
            <fieldset>
                <legend>"Name and birth"</legend>
                <div class="field-row">
                    {text_input(input!(Some(PatientField::FirstName), first_name, "First name", "text", "off", true), draft, errors)}
                    {text_input(input!(Some(PatientField::LastName), last_name, "Last name", "text", "off", true), draft, errors)}
                    {text_input(input!(Some(PatientField::DateOfBirth), date_of_birth, "Date of birth", "date", "off", true), draft, errors)}
                    <div class="field" class:invalid=move || errors.with(|es| es.iter().any(|e| e.field == PatientField::Sex))>
                        <label for="pf-sex">"Sex"</label>
                        <select
                            id="pf-sex"
                            prop:value=move || draft.with(|d| Sex::parse(&d.sex).unwrap_or_default().code().to_string())
                            on:change=move |ev| draft.update(|d| d.sex = event_target_value(&ev))
                        >
                            {Sex::ALL.iter().map(|s| view! { <option value=s.code()>{s.label()}</option> }).collect_view()}
                        </select>
                    </div>
                    {text_input(input!(Some(PatientField::Mrn), mrn, "MRN", "text", "off", false), draft, errors)}
                </div>
            </fieldset>
            <fieldset>
                <legend>"Contact"</legend>
                <div class="field-row">
                    {text_input(input!(Some(PatientField::Phone), phone, "Phone", "tel", "off", false), draft, errors)}
                    {text_input(input!(Some(PatientField::Email), email, "Email", "email", "off", false), draft, errors)}
                    {text_input(input!(None, preferred_language, "Preferred language", "text", "off", false), draft, errors)}
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
                    {text_input(input!(None, address_line, "Street address", "text", "off", false), draft, errors)}
                    {text_input(input!(None, city, "City", "text", "off", false), draft, errors)}
                    {text_input(input!(None, state, "State", "text", "off", false), draft, errors)}
                    {text_input(input!(Some(PatientField::PostalCode), postal_code, "ZIP / postal code", "text", "off", false), draft, errors)}
                </div>
            </fieldset>
            <fieldset>
                <legend>"Care team and notes"</legend>
                <div class="field-row">
                    {text_input(input!(None, assigned_provider, "Assigned provider", "text", "off", false), draft, errors)}
                </div>
                <div class="field" class:invalid=move || errors.with(|es| es.iter().any(|e| e.field == PatientField::Notes))>
                    <label for="pf-notes">"Notes"</label>
                    <textarea
                        id="pf-notes"
                        rows="3"
                        prop:value=move || draft.with(|d| d.notes.clone())
                        on:input=move |ev| draft.update(|d| d.notes = event_target_value(&ev))
                    ></textarea>
                </div>
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
