//! A patient's problem list and care gaps, and the form that records care (which closes a
//! gap) or marks an item not applicable with a reason.

use chrono::NaiveDate;
use leptos::prelude::*;

use crate::components::patient_form::focus;
use crate::model::care::{CareEventDraft, EventOutcome, GapStatus};
use crate::model::Patient;
use crate::pages::show_date;
use crate::state::{AppState, Notice};
use crate::web;

/// CSS class of a status badge.
pub fn status_class(status: &GapStatus) -> &'static str {
    match status {
        GapStatus::Overdue => "gap gap-overdue",
        GapStatus::Due => "gap gap-due",
        GapStatus::DueSoon => "gap gap-soon",
        GapStatus::NotDue | GapStatus::Completed => "gap gap-ok",
        GapStatus::NotApplicable { .. } => "gap gap-na",
    }
}

/// What a list section shows: a wait, a "nothing here" line, or the list itself. Only a
/// change between these redraws the section; the list's own rows follow their records.
#[derive(Clone, Copy, PartialEq)]
enum Showing {
    Reading,
    Nothing,
    List,
}

#[component]
pub fn ProblemList(patient_id: String) -> impl IntoView {
    let state = expect_context::<AppState>();
    let today = web::today();
    let id = StoredValue::new(patient_id);
    let conditions = Memo::new(move |_| {
        let mut list = id.with_value(|id| state.registry.with(|r| r.conditions_of(id).to_vec()));
        list.sort_by(|a, b| (b.active_on(today), b.chronic.is_some()).cmp(&(a.active_on(today), a.chronic.is_some())).then(a.display.cmp(&b.display)));
        list
    });
    let showing = Memo::new(move |_| match (state.registry.ready.get(), conditions.with(Vec::is_empty)) {
        (false, _) => Showing::Reading,
        (true, true) => Showing::Nothing,
        (true, false) => Showing::List,
    });
    view! {
        <section class="card" aria-labelledby="problems-heading">
            <h2 id="problems-heading">"Problem list"</h2>
            {move || match showing.get() {
                Showing::Reading => view! { <p class="loading">"Reading the problem list…"</p> }.into_any(),
                Showing::Nothing => view! { <p class="muted">"No conditions recorded. Import them with the patient list on the Data page."</p> }.into_any(),
                Showing::List => view! {
                    <ul class="problems">
                        <For each=move || conditions.get() key=|c| (c.id.clone(), c.updated_at) let(c)>
                            {
                                let active = c.active_on(today);
                                view! {
                                    <li class:resolved=!active>
                                        <strong>{c.display.clone()}</strong>
                                        {c.chronic.map(|k| view! { <span class="badge">{k.label()}</span> })}
                                        <span class="muted">
                                            {(!c.code.is_empty()).then(|| format!(" {} {}", c.system.label(), c.code))}
                                            {c.onset.map(|d| format!(" · since {}", show_date(d)))}
                                            {c.resolved.map(|d| format!(" · resolved {}", show_date(d)))}
                                        </span>
                                    </li>
                                }
                            }
                        </For>
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

/// One row of the care-gap table, as shown.
#[derive(Clone, PartialEq, Eq, Hash)]
struct GapRow {
    rule_id: String,
    item: String,
    label: String,
    class: &'static str,
    status: String,
    reason: Option<String>,
    last_done: String,
    next_due: String,
}

#[component]
pub fn CareGaps(patient: Patient) -> impl IntoView {
    let state = expect_context::<AppState>();
    let today = web::today();
    let patient = StoredValue::new(patient);
    let gaps = Memo::new(move |_| state.registry.with(|r| patient.with_value(|p| r.gaps(p, today))));
    let showing = Memo::new(move |_| match (state.registry.ready.get(), gaps.with(Vec::is_empty)) {
        (false, _) => Showing::Reading,
        (true, true) => Showing::Nothing,
        (true, false) => Showing::List,
    });
    let rows = move || {
        gaps.with(|list| {
            list.iter()
                .map(|g| GapRow {
                    rule_id: g.rule_id.clone(),
                    item: g.item.clone(),
                    label: g.label.clone(),
                    class: status_class(&g.status),
                    status: g.status.label().to_string(),
                    reason: match &g.status {
                        GapStatus::NotApplicable { reason } => Some(reason.clone()),
                        _ => None,
                    },
                    last_done: format!("{}{}", g.last_done.map(show_date).unwrap_or_else(|| "never".into()), g.last_value.as_ref().map(|v| format!(" ({v})")).unwrap_or_default()),
                    next_due: next_due_text(g.last_done, g.next_due, today),
                })
                .collect::<Vec<_>>()
        })
    };
    let item = RwSignal::new(String::new());
    let date = RwSignal::new(today.to_string());
    let value = RwSignal::new(String::new());
    let outcome = RwSignal::new(EventOutcome::Done.code().to_string());
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let saving = RwSignal::new(false);

    let choose = move |code: String| {
        item.set(code);
        outcome.set(EventOutcome::Done.code().into());
        focus("care-date");
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = CareEventDraft { item: item.get_untracked(), date: date.get_untracked(), value: value.get_untracked(), outcome: outcome.get_untracked(), note: note.get_untracked() };
        let valid = match gaps.with_untracked(|g| draft.validate(g, today)) {
            Ok(v) => v,
            Err(m) => return error.set(Some(m)),
        };
        error.set(None);
        saving.set(true);
        let (label, when) = (valid.label.clone(), valid.date);
        let event = valid.into_event(web::new_id(), patient.with_value(|p| p.id.clone()), web::now());
        leptos::task::spawn_local_scoped(async move {
            match state.registry.record_care(event).await {
                Ok(()) => {
                    state.say(Notice::Done(format!("Recorded {label} on {}.", show_date(when))));
                    value.set(String::new());
                    note.set(String::new());
                }
                Err(m) => state.say_failed(&m),
            }
            saving.set(false);
        });
    };

    view! {
        <section class="card" aria-labelledby="gaps-heading">
            <h2 id="gaps-heading">"Care gaps"</h2>
            {move || match showing.get() {
                Showing::Reading => view! { <p class="loading">"Reading the problem list and care events…"</p> }.into_any(),
                Showing::Nothing => view! { <p class="muted">"No care-gap rule applies to this patient today."</p> }.into_any(),
                Showing::List => view! {
                    <table class="gaps">
                        <thead><tr><th scope="col">"Item"</th><th scope="col">"Status"</th><th scope="col">"Last done"</th><th scope="col">"Next due"</th><th scope="col"><span class="visually-hidden">"Action"</span></th></tr></thead>
                        <tbody>
                            // Keyed by what the row shows: recording care redraws that row only.
                            <For each=rows key=|row| row.clone() let(row)>
                                {
                                    let GapRow { rule_id: _, item: code, label, class, status, reason, last_done, next_due } = row;
                                    view! {
                                        <tr>
                                            <th scope="row">{label.clone()}</th>
                                            <td><span class=class>{status}</span>{reason.map(|r| view! { <span class="muted">{format!(" {r}")}</span> })}</td>
                                            <td>{last_done}</td>
                                            <td>{next_due}</td>
                                            <td><button type="button" class="small" aria-label=format!("Record {label}") on:click=move |_| choose(code.clone())>"Record"</button></td>
                                        </tr>
                                    }
                                }
                            </For>
                        </tbody>
                    </table>
                }.into_any(),
            }}
            <form class="record-care" on:submit=submit novalidate=true>
                <h3>"Record care"</h3>
                {move || error.get().map(|m| view! { <p role="alert" class="form-summary">{m}</p> })}
                <div class="field-row">
                    <div class="field">
                        <label for="care-item">"Item"</label>
                        <select id="care-item" prop:value=move || item.get() on:change=move |ev| item.set(event_target_value(&ev))>
                            <option value="">"Choose…"</option>
                            <For each=move || gaps.with(|g| g.iter().map(|g| (g.rule_id.clone(), g.item.clone(), g.label.clone())).collect::<Vec<_>>()) key=|o| o.clone() let((_, code, label))>
                                {
                                    let this = code.clone();
                                    view! { <option value=code selected=move || item.with(|i| *i == this)>{label}</option> }
                                }
                            </For>
                        </select>
                    </div>
                    <div class="field">
                        <label for="care-date">"Date"</label>
                        <input id="care-date" type="date" prop:value=move || date.get() on:input=move |ev| date.set(event_target_value(&ev))/>
                    </div>
                    <div class="field">
                        <label for="care-value">"Result (optional)"</label>
                        <input id="care-value" type="text" placeholder="7.2 or 128/82" prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
                    </div>
                    <div class="field">
                        <label for="care-outcome">"Outcome"</label>
                        <select id="care-outcome" prop:value=move || outcome.get() on:change=move |ev| outcome.set(event_target_value(&ev))>
                            {EventOutcome::ALL.iter().map(|&o| view! { <option value=o.code()>{outcome_option(o)}</option> }).collect_view()}
                        </select>
                    </div>
                </div>
                <div class="field">
                    <label for="care-note">"Note or reason"</label>
                    <input id="care-note" type="text" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))/>
                </div>
                <div class="form-actions"><button type="submit" class="primary" disabled=move || saving.get()>"Record care"</button></div>
            </form>
        </section>
    }
}

/// "14 Mar 2027"; for an item never done and already due, "now" (a due date computed
/// from a birthday decades ago says nothing useful).
fn next_due_text(last_done: Option<NaiveDate>, next_due: Option<NaiveDate>, today: NaiveDate) -> String {
    match (last_done, next_due) {
        (None, Some(d)) if d <= today => "now".to_string(),
        (_, Some(d)) => show_date(d),
        (_, None) => String::new(),
    }
}

/// An outcome as the record-care form offers it.
fn outcome_option(o: EventOutcome) -> &'static str {
    match o {
        EventOutcome::Done => "Done",
        EventOutcome::Declined => "Declined by the patient",
        EventOutcome::Excluded => "Not applicable (excluded)",
    }
}
