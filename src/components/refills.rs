//! A patient's refill requests on the patient page: **New refill request** opens the form;
//! the open requests come first (soonest due first), each with its status, due-by date,
//! notes, status history and a button for each move the model allows; the finished ones
//! (the patient was told) are folded under a `<details>`.

use leptos::prelude::*;

use crate::components::field::{options, Field, FieldValue, SelectField, TextAreaField};
use crate::components::patient_form::focus;
use crate::components::pending::Pending;
use crate::model::refill::{allowed_next, RefillDraft, RefillEvent, RefillField as F, RefillRequest, RefillStatus, Requester, DUE_BUSINESS_DAYS};
use crate::model::transition::add_business_days;
use crate::pages::show_date;
use crate::state::{AppState, Notice, SaveError};
use crate::web;

/// The card "Refill requests" of one patient.
#[component]
pub fn Refills(patient_id: String) -> impl IntoView {
    let state = expect_context::<AppState>();
    let adding = RwSignal::new(false);
    let id = StoredValue::new(patient_id.clone());
    // (open ones, soonest due first; finished ones, last changed first): ids only, so a
    // row is drawn once per request and follows its changes itself.
    let lists = Memo::new(move |_| {
        state.day.refills.with(|l| {
            let mut open: Vec<&RefillRequest> = Vec::new();
            let mut closed: Vec<&RefillRequest> = Vec::new();
            for r in l.iter().filter(|r| id.with_value(|id| &r.patient_id == id)) {
                if r.is_open() { open.push(r) } else { closed.push(r) }
            }
            open.sort_by(|a, b| (a.due_by, a.created_at).cmp(&(b.due_by, b.created_at)));
            closed.sort_by(|a, b| b.updated_at.cmp(&a.updated_at));
            let ids = |v: Vec<&RefillRequest>| v.into_iter().map(|r| r.id.clone()).collect::<Vec<_>>();
            (ids(open), ids(closed))
        })
    });
    let none = Memo::new(move |_| lists.with(|(o, c)| o.is_empty() && c.is_empty()));
    let closed_count = Memo::new(move |_| lists.with(|(_, c)| c.len()));
    let done = Callback::new(move |_: ()| {
        adding.set(false);
        focus("new-refill");
    });
    view! {
        <section class="card refills" aria-labelledby="refills-heading">
            <div class="section-head">
                <h2 id="refills-heading">"Refill requests"</h2>
                <button id="new-refill" type="button" aria-expanded=move || adding.get().to_string()
                    on:click=move |_| adding.update(|a| *a = !*a)>"New refill request"</button>
            </div>
            <Show when=move || adding.get()>
                <RefillForm patient_id=patient_id.clone() on_done=done/>
            </Show>
            <Show when=move || none.get()>
                <p class="muted">"No refill requests yet."</p>
            </Show>
            <Show when=move || !none.get() && lists.with(|(o, _)| o.is_empty())>
                <p class="muted">"No open refill requests."</p>
            </Show>
            <ul class="refill-list" aria-label="Open refill requests">
                <For each=move || lists.with(|(o, _)| o.clone()) key=|id| id.clone() let(rid)>
                    <RefillRow id=rid/>
                </For>
            </ul>
            <Show when=move || { closed_count.get() > 0 }>
                <details class="refills-closed">
                    <summary>{move || format!("Finished: the patient was told ({})", closed_count.get())}</summary>
                    <ul class="refill-list" aria-label="Finished refill requests">
                        <For each=move || lists.with(|(_, c)| c.clone()) key=|id| id.clone() let(rid)>
                            <RefillRow id=rid/>
                        </For>
                    </ul>
                </details>
            </Show>
        </section>
    }
}

/// The words on the button that moves a request to `to`.
fn move_label(to: RefillStatus) -> &'static str {
    match to {
        RefillStatus::SentToProvider => "Send to provider",
        other => other.label(),
    }
}

/// One request: what, where, who asked, status, due by, notes, history and its moves.
#[component]
fn RefillRow(id: String) -> impl IntoView {
    let state = expect_context::<AppState>();
    let today = web::today();
    let rid = StoredValue::new(id.clone());
    let request = Memo::new(move |_| state.day.refills.with(|l| rid.with_value(|id| l.iter().find(|r| &r.id == id).cloned())));
    let note = RwSignal::new(String::new());
    let moving = Pending::new();
    let note_id = format!("refill-note-{id}");
    let heading_id = format!("refill-{id}");
    let labelled_by = heading_id.clone();
    let open = Memo::new(move |_| request.with(|r| r.as_ref().is_some_and(RefillRequest::is_open)));
    let focus_after = StoredValue::new(note_id.clone());
    let go = move |to: RefillStatus| {
        let Some(r) = request.get_untracked() else { return };
        moving.run(async move {
            match state.day.move_refill(r.id.clone(), to, note.get_untracked()).await {
                Ok(saved) => {
                    note.set(String::new());
                    // The pressed button is gone: the next moves start at the note; a
                    // finished request folds away, so back to New refill request.
                    match saved.is_open() {
                        true => focus_after.with_value(|id| focus(id)),
                        false => focus("new-refill"),
                    }
                    state.say(Notice::Done(format!("{}: {}.", saved.medication, saved.status.label().to_lowercase())));
                }
                Err(failure) => state.say_failed(&failure),
            }
        });
    };
    let line = move |f: fn(&RefillRequest) -> String| move || request.with(|r| r.as_ref().map(f).unwrap_or_default());
    view! {
        <li class="refill" aria-labelledby=labelled_by>
            <h3 class="refill-title" id=heading_id>{line(|r| r.medication.clone())}</h3>
            <p class="refill-facts">
                <span class="status" data-testid="refill-status">{line(|r| r.status.label().to_string())}</span>
                // Once the patient was told, what they were told.
                {line(|r| match (r.is_open(), r.decision()) {
                    (false, Some(answer)) => format!(" ({})", answer.label().to_lowercase()),
                    _ => String::new(),
                })}
                {line(|r| {
                    let pharmacy = if r.pharmacy.is_empty() { "no pharmacy given".to_string() } else { r.pharmacy.clone() };
                    format!(" · {pharmacy} · requested by {} on {}", r.requested_by.label().to_lowercase(), show_date(r.requested_on))
                })}
            </p>
            <p class="refill-due">
                {move || request.with(|r| r.as_ref().map(|r| {
                    if r.is_overdue(today) {
                        view! { <span><span class="gap gap-overdue">"Overdue"</span>{format!(" · due by {}", show_date(r.due_by))}</span> }.into_any()
                    } else if r.is_open() && r.due_by == today {
                        view! { <span><span class="gap gap-due">"Due today"</span>{format!(" · {}", show_date(r.due_by))}</span> }.into_any()
                    } else if r.is_open() {
                        view! { <span>{format!("Due by {}", show_date(r.due_by))}</span> }.into_any()
                    } else {
                        view! { <span class="muted">{format!("Was due by {}", show_date(r.due_by))}</span> }.into_any()
                    }
                }))}
            </p>
            {move || request.with(|r| r.as_ref().filter(|r| !r.notes.is_empty()).map(|r| view! {
                <p class="refill-notes"><strong>"Insurance or prior authorization: "</strong>{r.notes.clone()}</p>
            }))}
            <details class="refill-history">
                <summary>{move || format!("Status history ({})", request.with(|r| r.as_ref().map_or(0, |r| r.history.len())))}</summary>
                <ol class="history">
                    {move || request.with(|r| r.as_ref().map(|r| r.history.iter().map(|e| view! { <li>{event_line(e)}</li> }).collect_view()))}
                </ol>
            </details>
            <Show when=move || open.get()>
                <div class="inline-form refill-moves">
                    <label for=note_id.clone()>"Note (optional)"</label>
                    <input id=note_id.clone() type="text" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))/>
                    <span class="muted">"Next step:"</span>
                    {move || {
                        let next = request.with(|r| r.as_ref().map(|r| allowed_next(r.status)).unwrap_or(&[]));
                        next.iter().map(|&to| view! {
                            <button type="button" class="small" disabled=move || moving.get() on:click=move |_| go(to)>{move_label(to)}</button>
                        }).collect_view()
                    }}
                </div>
            </Show>
        </li>
    }
}

/// "23 Nov 2026 · Sent to provider → Approved · Dana · note".
fn event_line(e: &RefillEvent) -> String {
    let mut s = match e.from {
        None => format!("{} · Logged as {}", show_date(e.date), e.to.label().to_lowercase()),
        Some(from) => format!("{} · {} → {}", show_date(e.date), from.label(), e.to.label()),
    };
    if !e.by.is_empty() {
        s.push_str(&format!(" · by {}", e.by));
    }
    if !e.note.is_empty() {
        s.push_str(&format!(" · “{}”", e.note));
    }
    s
}

/// The form of a new refill request; each problem shows next to its field.
#[component]
fn RefillForm(patient_id: String, on_done: Callback<()>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let draft = RwSignal::new(RefillDraft::default());
    let errors = RwSignal::new(Vec::<(F, String)>::new());
    let saving = Pending::new();
    let patient = StoredValue::new(patient_id);
    let today = web::today();
    let default_due = add_business_days(today, DUE_BUSINESS_DAYS, &state.settings.with_untracked(|s| s.holidays.clone()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let d = draft.get_untracked();
        saving.run(async move {
            match state.day.add_refill(patient.get_value(), d, state.settings.with_untracked(|s| s.holidays.clone())).await {
                Ok(r) => {
                    errors.set(Vec::new());
                    state.say(Notice::Done(format!("Refill request for {} saved.", r.medication)));
                    on_done.run(());
                }
                Err(SaveError::Fields(e)) => {
                    errors.set(e);
                    focus("refill-errors");
                }
                Err(SaveError::Failed(failure)) => {
                    errors.set(Vec::new());
                    state.say_failed(&failure);
                }
            }
        });
    };
    let error = move |field: F| Signal::derive(move || errors.with(|e| e.iter().filter(|(f, _)| *f == field).map(|(_, m)| m.clone()).collect::<Vec<_>>().join(" ")));
    let value = move |get: fn(&RefillDraft) -> String, set: fn(&mut RefillDraft, String)| FieldValue::of(draft, get, set);
    view! {
        <form class="refill-form inset" on:submit=submit novalidate>
            <Show when=move || !errors.with(Vec::is_empty)>
                <div id="refill-errors" role="alert" tabindex="-1" class="form-summary">
                    {move || format!("The refill request was not saved: {}", errors.with(|e| e.iter().map(|(_, m)| m.clone()).collect::<Vec<_>>().join(" ")))}
                </div>
            </Show>
            <div class="field-row">
                <Field id="refill-medication" label="Medication" required=true value=value(|d| d.medication.clone(), |d, v| d.medication = v) error=error(F::Medication)/>
                <Field id="refill-pharmacy" label="Pharmacy" value=value(|d| d.pharmacy.clone(), |d, v| d.pharmacy = v) error=error(F::Pharmacy)/>
                <SelectField id="refill-requested-by" label="Requested by" value=value(|d| d.requested_by.clone(), |d, v| d.requested_by = v) error=error(F::RequestedBy)
                    options=options(Requester::ALL.iter().map(|r| (r.code(), r.label())))/>
                <Field id="refill-due" label="Due by" kind="date" value=value(|d| d.due_by.clone(), |d, v| d.due_by = v) error=error(F::DueBy)
                    hint=format!("Empty: {} ({DUE_BUSINESS_DAYS} business days from today)", show_date(default_due))/>
            </div>
            <TextAreaField id="refill-notes" label="Insurance or prior authorization notes" value=value(|d| d.notes.clone(), |d, v| d.notes = v) error=error(F::Notes)/>
            <div class="form-actions">
                <button type="submit" class="primary" disabled=move || saving.get()>"Save"</button>
                <button type="button" on:click=move |_| on_done.run(())>"Cancel"</button>
            </div>
        </form>
    }
}
