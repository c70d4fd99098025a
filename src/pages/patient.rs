//! `/patients/{id}`: one patient's details, edit, delete, and the history of changes.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};

use crate::components::care_gaps::{CareGaps, ProblemList};
use crate::components::page::Page;
use crate::components::patient_form::{focus, PatientForm};
use crate::model::{Change, Patient};
use crate::pages::{show_date, show_time};
use crate::state::{AppState, Failure, LoadStatus, Notice};
use crate::web;

#[component]
pub fn PatientPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let patient = Memo::new(move |_| state.panel.with(|p| p.get(&id.get()).cloned()));
    let title = move || match patient.with(|p| p.as_ref().map(Patient::full_name)) {
        Some(name) => name,
        None if state.load().with(|l| *l == LoadStatus::Ready) => "Patient not found".to_string(),
        None => "Patient".to_string(),
    };

    // The details are drawn once per patient and follow each change (from this window or
    // another) section by section, so a form being filled in stays open.
    let present = Memo::new(move |_| patient.with(|p| p.as_ref().map(|p| p.id.clone())));
    view! {
        <Page title=title>
            {move || match present.get() {
                Some(_) => view! { <PatientDetails patient=patient/> }.into_any(),
                None => view! {
                    <p>"No patient with this id is on the panel on this device. It may have been deleted. "
                        <a href="/panel">"Back to the panel"</a>"."</p>
                }.into_any(),
            }}
        </Page>
    }
}

#[component]
fn PatientDetails(patient: Memo<Option<Patient>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let Some(first) = patient.get_untracked() else { return ().into_any() };
    let editing = RwSignal::new(false);
    let deleting = RwSignal::new(false);
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let id = first.id.clone();
    let name = move || patient.with(|p| p.as_ref().map(Patient::full_name).unwrap_or_default());
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
                    state.say_failed(&message);
                }
            }
        });
    };

    let subtitle = move || {
        patient.with(|p| {
            p.as_ref().map(|p| {
                let mrn = if p.mrn.is_empty() { String::new() } else { format!(" · MRN {}", p.mrn) };
                format!("Born {} (age {}){mrn}", show_date(p.date_of_birth), p.age_on(today))
            })
        })
    };
    let patient_id = first.id.clone();
    view! {
        <p class="subtitle">{subtitle}</p>
        <div class="toolbar">
            <button id="edit-patient" type="button" aria-expanded=move || editing.get().to_string()
                on:click=move |_| { editing.set(true); }>"Edit"</button>
            <button type="button" class="danger" on:click=move |_| {
                if let Some(d) = dialog.get() { let _ = d.show_modal(); }
            }>"Delete"</button>
            <a href="/panel" class="button-link">"Back to the panel"</a>
        </div>
        {move || if editing.get() {
            // The form is drawn from the patient as it is when Edit is pressed, and stays
            // as typed while other windows save; its save is checked against the store.
            patient.get_untracked().map(|base| view! {
                <section class="card" aria-labelledby="edit-heading">
                    <h2 id="edit-heading">"Edit patient"</h2>
                    <PatientForm initial=base.to_draft() base=base on_saved=saved on_cancel=cancel/>
                </section>
            }).into_any()
        } else {
            (move || patient.get().map(|p| view! { <PatientFacts patient=p/> })).into_any()
        }}
        {move || patient.get().map(|p| view! { <crate::components::care_profile::CareProfileCard patient=p/> })}
        {move || patient.get().map(|p| view! { <CareGaps patient=p/> })}
        <crate::components::contact_log::ContactLog patient_id=patient_id.clone()/>
        <crate::components::transitions::Transitions patient_id=patient_id.clone()/>
        <LatestCare patient_id=patient_id.clone()/>
        <ProblemList patient_id=patient_id.clone()/>
        <crate::components::refills::Refills patient_id=patient_id.clone()/>
        <PatientVisits patient_id=patient_id.clone()/>
        <crate::components::patient_referrals::PatientReferrals patient_id=patient_id.clone()/>
        // Read again after each change to the patient.
        {move || {
            patient.with(|p| p.as_ref().map(|p| p.rev));
            view! { <History entity_id=patient_id.clone()/> }
        }}
        <dialog node_ref=dialog class="confirm" aria-labelledby="delete-heading">
            <h2 id="delete-heading">{move || format!("Delete {}?", name())}</h2>
            <p>"This removes the patient from the panel on this device. It cannot be undone; a backup exported earlier still holds them."</p>
            <div class="form-actions">
                <button type="button" class="danger" disabled=move || deleting.get() on:click=confirm_delete>"Delete"</button>
                <button type="button" autofocus=true on:click=move |_| { if let Some(d) = dialog.get() { d.close(); } }>"Cancel"</button>
            </div>
        </dialog>
    }
    .into_any()
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

/// What imported care history says last: the last visit, each care item's latest result,
/// and the emergency and hospital stays.
#[component]
fn LatestCare(patient_id: String) -> impl IntoView {
    let state = expect_context::<AppState>();
    let today = web::today();
    let id = StoredValue::new(patient_id);
    let facts = Memo::new(move |_| {
        state.registry.with(|r| {
            id.with_value(|id| {
                let visit = r.last_visit(id, today).map(encounter_line);
                let results: Vec<(String, String)> = crate::model::care::items::ALL
                    .iter()
                    .filter_map(|&item| {
                        let e = r.last_result(id, item)?;
                        let label = r.item_label(item);
                        let value = e.value.as_ref().map(|v| format!("{v} · ")).unwrap_or_default();
                        Some((label, format!("{value}{}", show_date(e.date))))
                    })
                    .collect();
                let mut stays: Vec<&crate::model::encounter::Encounter> = r.encounters_of(id).iter().filter(|e| e.class.is_acute()).collect();
                stays.sort_by(|a, b| b.start.cmp(&a.start));
                (visit, results, stays.into_iter().take(5).map(encounter_line).collect::<Vec<_>>())
            })
        })
    });
    view! {
        <section class="card" aria-labelledby="latest-heading">
            <h2 id="latest-heading">"Latest care"</h2>
            {move || facts.with(|(visit, results, stays)| {
                if !state.registry.ready.get() {
                    return view! { <p class="loading">"Reading the care history…"</p> }.into_any();
                }
                if visit.is_none() && results.is_empty() {
                    return view! { <p class="muted">"No visits or results recorded. Import care history (observations, immunizations, procedures, encounters) on the Data page."</p> }.into_any();
                }
                view! {
                    <dl class="facts">
                        <dt>"Last visit"</dt><dd data-testid="last-visit">{visit.clone().unwrap_or_else(|| "—".into())}</dd>
                        {results.iter().map(|(label, text)| view! { <dt>{label.clone()}</dt><dd>{text.clone()}</dd> }).collect_view()}
                        {(!stays.is_empty()).then(|| view! {
                            <dt>"Emergency and hospital"</dt>
                            <dd><ul class="plain">{stays.iter().map(|s| view! { <li>{s.clone()}</li> }).collect_view()}</ul></dd>
                        })}
                    </dl>
                }.into_any()
            })}
        </section>
    }
}

/// "12 Mar 2024 · Wellness · General examination of patient", with the discharge date of a
/// stay.
fn encounter_line(e: &crate::model::encounter::Encounter) -> String {
    let mut line = format!("{} · {}", show_date(e.start.date_naive()), e.class.label());
    if let Some(stop) = e.stop.filter(|s| e.class.is_acute() && s.date_naive() != e.start.date_naive()) {
        line.push_str(&format!(" until {}", show_date(stop.date_naive())));
    }
    if !e.description.is_empty() {
        line.push_str(&format!(" · {}", e.description));
    }
    line
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
        let mut v: Vec<crate::model::appointment::Appointment> = state.schedule.appointments.with(|l| l.iter().filter(|a| a.patient_id == patient_id).cloned().collect());
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

/// The journal entries about one record, newest first, as read when drawn.
#[component]
fn History(entity_id: String) -> impl IntoView {
    let state = expect_context::<AppState>();
    let entries = RwSignal::new(None::<Result<Vec<Change>, Failure>>);
    leptos::task::spawn_local_scoped(async move {
        entries.set(Some(state.history(entity_id).await));
    });
    view! {
        <section class="card" aria-labelledby="history-heading">
            <h2 id="history-heading">"History of changes"</h2>
            {move || match entries.get() {
                None => view! { <p class="loading">"Loading…"</p> }.into_any(),
                Some(Err(failure)) => view! { <p role="alert">{failure.to_string()}</p> }.into_any(),
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
