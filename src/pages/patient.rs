//! `/patients/{id}`: one patient's details, edit, delete, and the history of changes.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};

use crate::components::care_gaps::{CareGaps, ProblemList};
use crate::components::page::Page;
use crate::components::patient_form::{focus, PatientForm};
use crate::model::{Change, Patient};
use crate::pages::{show_date, show_time};
use crate::state::{AppState, LoadStatus, Notice};
use crate::web;

#[component]
pub fn PatientPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let patient = Memo::new(move |_| state.panel.with(|p| p.get(&id.get()).cloned()));
    let title = move || match patient.with(|p| p.as_ref().map(Patient::full_name)) {
        Some(name) => name,
        None if state.load.with(|l| *l == LoadStatus::Ready) => "Patient not found".to_string(),
        None => "Patient".to_string(),
    };

    view! {
        <Page title=title>
            {move || match patient.get() {
                Some(p) => view! { <PatientDetails patient=p/> }.into_any(),
                None => view! {
                    <p>"No patient with this id is on the panel on this device. It may have been deleted. "
                        <a href="/panel">"Back to the panel"</a>"."</p>
                }.into_any(),
            }}
        </Page>
    }
}

#[component]
fn PatientDetails(patient: Patient) -> impl IntoView {
    let state = expect_context::<AppState>();
    let editing = RwSignal::new(false);
    let deleting = RwSignal::new(false);
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let id = patient.id.clone();
    let name = patient.full_name();
    let today = web::today();

    let saved = Callback::new(move |p: Patient| {
        editing.set(false);
        state.say(Notice::Done(format!("Saved {}.", p.full_name())));
        focus("edit-patient");
    });
    let cancel = Callback::new(move |_| {
        editing.set(false);
        focus("edit-patient");
    });
    let navigate = use_navigate();
    let delete_id = id.clone();
    let confirm_delete = move |_| {
        if deleting.get_untracked() {
            return;
        }
        deleting.set(true);
        let id = delete_id.clone();
        let navigate = navigate.clone();
        leptos::task::spawn_local_scoped(async move {
            match state.delete_patient(id).await {
                Ok(p) => {
                    if let Some(d) = dialog.get_untracked() {
                        d.close();
                    }
                    navigate("/panel", Default::default());
                    state.say(Notice::Done(format!("Deleted {} from the panel.", p.full_name())));
                }
                Err(message) => {
                    if let Some(d) = dialog.get_untracked() {
                        d.close();
                    }
                    deleting.set(false);
                    state.say(Notice::Failed(message));
                }
            }
        });
    };

    let draft = patient.to_draft();
    let p = patient.clone();
    view! {
        <p class="subtitle">
            {format!("Born {} (age {})", show_date(p.date_of_birth), p.age_on(today))}
            {(!p.mrn.is_empty()).then(|| format!(" · MRN {}", p.mrn))}
        </p>
        <div class="toolbar">
            <button id="edit-patient" type="button" aria-expanded=move || editing.get().to_string()
                on:click=move |_| { editing.set(true); }>"Edit"</button>
            <button type="button" class="danger" on:click=move |_| {
                if let Some(d) = dialog.get() { let _ = d.show_modal(); }
            }>"Delete"</button>
            <a href="/panel" class="button-link">"Back to the panel"</a>
        </div>
        {move || if editing.get() {
            let draft = draft.clone();
            let id = id.clone();
            view! {
                <section class="card" aria-labelledby="edit-heading">
                    <h2 id="edit-heading">"Edit patient"</h2>
                    <PatientForm initial=draft existing_id=id on_saved=saved on_cancel=cancel/>
                </section>
            }.into_any()
        } else {
            view! { <PatientFacts patient=p.clone()/> }.into_any()
        }}
        <crate::components::care_profile::CareProfileCard patient=patient.clone()/>
        <CareGaps patient=patient.clone()/>
        <ProblemList patient_id=patient.id.clone()/>
        <PatientVisits patient_id=patient.id.clone()/>
        <crate::components::patient_referrals::PatientReferrals patient_id=patient.id.clone()/>
        <History entity_id=patient.id.clone()/>
        <dialog node_ref=dialog class="confirm" aria-labelledby="delete-heading">
            <h2 id="delete-heading">{format!("Delete {name}?")}</h2>
            <p>"This removes the patient from the panel on this device. It cannot be undone; a backup exported earlier still holds them."</p>
            <div class="form-actions">
                <button type="button" class="danger" disabled=move || deleting.get() on:click=confirm_delete>"Delete"</button>
                <button type="button" autofocus=true on:click=move |_| { if let Some(d) = dialog.get() { d.close(); } }>"Cancel"</button>
            </div>
        </dialog>
    }
}

#[component]
fn PatientFacts(patient: Patient) -> impl IntoView {
    let p = patient;
    let or_dash = |s: &str| if s.trim().is_empty() { "—".to_string() } else { s.to_string() };
    let language = match (p.preferred_language.is_empty(), p.interpreter_needed) {
        (true, true) => "Needs an interpreter".to_string(),
        (false, true) => format!("{} (needs an interpreter)", p.preferred_language),
        _ => or_dash(&p.preferred_language),
    };
    view! {
        <section class="card" aria-labelledby="facts-heading">
            <h2 id="facts-heading">"Details"</h2>
            <dl class="facts">
                <dt>"Sex"</dt><dd>{p.sex.label()}</dd>
                <dt>"Phone"</dt><dd>{or_dash(&p.phone)}</dd>
                <dt>"Email"</dt><dd>{or_dash(&p.email)}</dd>
                <dt>"Address"</dt><dd>{or_dash(&p.address.one_line())}</dd>
                <dt>"Preferred language"</dt><dd>{language}</dd>
                <dt>"Assigned provider"</dt><dd>{or_dash(&p.assigned_provider)}</dd>
                <dt>"Notes"</dt><dd class="notes">{or_dash(&p.notes)}</dd>
                <dt>"Added"</dt><dd>{show_time(p.created_at)}</dd>
                <dt>"Last changed"</dt><dd>{show_time(p.updated_at)}</dd>
            </dl>
        </section>
    }
}

/// The patient's appointments: coming ones first (soonest first), then the last three.
#[component]
fn PatientVisits(patient_id: String) -> impl IntoView {
    let state = expect_context::<AppState>();
    let today = web::today();
    let line = |a: &crate::model::appointment::Appointment| {
        let who = if a.provider.is_empty() { String::new() } else { format!(" · {}", a.provider) };
        let what = if a.visit_type.is_empty() { String::new() } else { format!(" · {}", a.visit_type) };
        (a.id.clone(), format!("{} {}{who}{what} · pre-visit {} of 4 done", crate::model::dates::with_weekday(a.date), a.time_text(), a.checklist.done()))
    };
    // (coming, recent): each visit's id and its line.
    let visits = Memo::new(move |_| {
        let mut v: Vec<crate::model::appointment::Appointment> = state.appointments.with(|l| l.iter().filter(|a| a.patient_id == patient_id).cloned().collect());
        v.sort_by_key(|a| (a.date, a.time));
        let (past, coming): (Vec<_>, Vec<_>) = v.into_iter().partition(|a| a.date < today);
        (coming.iter().map(line).collect::<Vec<_>>(), past.iter().rev().take(3).map(line).collect::<Vec<_>>())
    });
    let any = Memo::new(move |_| visits.with(|(coming, recent)| !coming.is_empty() || !recent.is_empty()));
    view! {
        <Show when=move || any.get()>
            <section class="card" aria-labelledby="visits-heading">
                <h2 id="visits-heading">"Appointments"</h2>
                <ul class="problems">
                    <For each=move || visits.with(|v| v.0.clone()) key=|row| row.clone() let((_, text))>
                        <li><strong>"Coming: "</strong>{text}</li>
                    </For>
                    <For each=move || visits.with(|v| v.1.clone()) key=|row| row.clone() let((_, text))>
                        <li class="resolved">"Past: "{text}</li>
                    </For>
                </ul>
            </section>
        </Show>
    }
}

/// The journal entries about one record, newest first. The details view is rebuilt after
/// every saved change, so this reads the journal again each time.
#[component]
fn History(entity_id: String) -> impl IntoView {
    let state = expect_context::<AppState>();
    let entries = RwSignal::new(None::<Result<Vec<Change>, String>>);
    leptos::task::spawn_local_scoped(async move {
        entries.set(Some(state.history(entity_id).await));
    });
    view! {
        <section class="card" aria-labelledby="history-heading">
            <h2 id="history-heading">"History of changes"</h2>
            {move || match entries.get() {
                None => view! { <p class="loading">"Loading…"</p> }.into_any(),
                Some(Err(message)) => view! { <p role="alert">{message}</p> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="muted">"No changes recorded (imported from a backup or a list)."</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <ol class="history" reversed=true>
                        <For each=move || list.clone().into_iter().rev() key=|c| c.id.clone() let(c)>
                            <li><time datetime=c.at.to_rfc3339()>{show_time(c.at)}</time>" — "{c.describe()}</li>
                        </For>
                    </ol>
                }.into_any(),
            }}
        </section>
    }
}
