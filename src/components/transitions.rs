//! A patient's transitions of care: **Record admission** and **Record discharge**, and for
//! each stay its clocks (`model::transition::clocks`): due, met or missed.

use leptos::prelude::*;

use crate::components::field::{Field, FieldValue, SelectField};
use crate::components::patient_form::focus;
use crate::model::transition::{clocks, AdmissionDraft, ClockState, DischargeDraft, Step, Transition, TransitionField, DISCHARGE_PLACES};
use crate::pages::show_date;
use crate::state::{AppState, SaveError};
use crate::web;

/// Which form is open.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Open {
    None,
    Admission,
    Discharge,
}

#[component]
pub fn Transitions(patient_id: String) -> impl IntoView {
    let state = expect_context::<AppState>();
    let today = web::today();
    let id = StoredValue::new(patient_id);
    let mine = Memo::new(move |_| {
        let mut list: Vec<Transition> = id.with_value(|id| state.day.transitions.with(|l| l.iter().filter(|t| &t.patient_id == id).cloned().collect()));
        list.sort_by(|a, b| b.admitted.cmp(&a.admitted).then(b.created_at.cmp(&a.created_at)));
        list
    });
    // The stay still open (admitted, not discharged), if any: Record discharge closes it.
    let open_stay = Memo::new(move |_| mine.with(|l| l.iter().find(|t| t.discharged.is_none()).cloned()));
    let open = RwSignal::new(Open::None);
    let admission = RwSignal::new(AdmissionDraft::default());
    let discharge = RwSignal::new(DischargeDraft::default());
    let errors = RwSignal::new(Vec::<(TransitionField, String)>::new());
    let saving = RwSignal::new(false);
    let error_of = move |f: TransitionField| Signal::derive(move || errors.with(|e| e.iter().filter(|(x, _)| *x == f).map(|(_, m)| m.clone()).collect::<Vec<_>>().join(" ")));

    let show = move |which: Open| {
        errors.set(Vec::new());
        admission.set(AdmissionDraft { admitted: today.to_string(), ..Default::default() });
        discharge.set(DischargeDraft { discharged: today.to_string(), discharged_to: DISCHARGE_PLACES[0].to_string(), ..Default::default() });
        open.set(which);
        focus(if which == Open::Admission { "adm-facility" } else { "dis-date" });
    };
    let finished = move |result: Result<Transition, SaveError<(TransitionField, String)>>, done: &str| match result {
        Ok(_) => {
            open.set(Open::None);
            state.say(crate::state::Notice::Done(done.to_string()));
        }
        Err(SaveError::Fields(e)) => errors.set(e),
        Err(SaveError::Failed(f)) => state.say_failed(&f),
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        saving.set(true);
        let which = open.get_untracked();
        let patient = id.get_value();
        let (a, d) = (admission.get_untracked(), discharge.get_untracked());
        let stay = open_stay.get_untracked();
        leptos::task::spawn_local_scoped(async move {
            match (which, stay) {
                (Open::Admission, _) => finished(state.day.record_admission(patient, a).await, "Admission recorded."),
                (Open::Discharge, Some(t)) => finished(state.day.record_discharge(t.id, d).await, "Discharge recorded."),
                (Open::Discharge, None) => finished(state.day.record_stay(patient, a, d).await, "Stay and discharge recorded."),
                (Open::None, _) => {}
            }
            saving.set(false);
        });
    };

    let admission_fields = move || {
        view! {
            <Field id="adm-facility" label="Facility" required=true value=FieldValue::of(admission, |d| d.facility.clone(), |d, v| d.facility = v) error=error_of(TransitionField::Facility)/>
            <Field id="adm-date" label="Date admitted" kind="date" required=true value=FieldValue::of(admission, |d| d.admitted.clone(), |d, v| d.admitted = v) error=error_of(TransitionField::Admitted)/>
            <Field id="adm-reason" label="Reason" value=FieldValue::of(admission, |d| d.reason.clone(), |d, v| d.reason = v) error=error_of(TransitionField::Reason)/>
        }
    };
    view! {
        <section class="card" aria-labelledby="transitions-heading">
            <h2 id="transitions-heading">"Transitions of care"</h2>
            <div class="toolbar">
                <button type="button" on:click=move |_| show(Open::Admission)>"Record admission"</button>
                <button type="button" on:click=move |_| show(Open::Discharge)>"Record discharge"</button>
            </div>
            <Show when=move || open.get() != Open::None>
                <form class="transition-form" on:submit=submit novalidate=true>
                    {move || (!errors.with(Vec::is_empty)).then(|| view! { <p role="alert" class="form-summary">"Check the fields marked below."</p> })}
                    {move || match (open.get(), open_stay.get()) {
                        (Open::Admission, _) => view! { <h3>"Record admission"</h3> <div class="field-row">{admission_fields()}</div> }.into_any(),
                        (_, Some(t)) => view! {
                            <h3>"Record discharge"</h3>
                            <p>{format!("Admitted on {}{}.", show_date(t.admitted), if t.facility.is_empty() { String::new() } else { format!(" to {}", t.facility) })}</p>
                        }.into_any(),
                        (_, None) => view! {
                            <h3>"Record discharge"</h3>
                            <p class="hint">"No admission is open for this patient: say where and when they were admitted too."</p>
                            <div class="field-row">{admission_fields()}</div>
                        }.into_any(),
                    }}
                    <Show when=move || open.get() == Open::Discharge>
                        <div class="field-row">
                            <Field id="dis-date" label="Date discharged" kind="date" required=true value=FieldValue::of(discharge, |d| d.discharged.clone(), |d, v| d.discharged = v) error=error_of(TransitionField::Discharged)/>
                            <SelectField id="dis-to" label="Discharged to" options=DISCHARGE_PLACES.iter().map(|p| (p.to_string(), p.to_string())).collect() value=FieldValue::of(discharge, |d| d.discharged_to.clone(), |d, v| d.discharged_to = v) error=error_of(TransitionField::DischargedTo)/>
                            <Field id="dis-summary" label="Discharge summary received on" kind="date" hint="Empty: not received yet." value=FieldValue::of(discharge, |d| d.summary_received.clone(), |d, v| d.summary_received = v) error=error_of(TransitionField::SummaryReceived)/>
                        </div>
                        <label class="check"><input type="checkbox" prop:checked=move || discharge.with(|d| d.high_complexity) on:change=move |ev| discharge.update(|d| d.high_complexity = event_target_checked(&ev))/>" High complexity (visit by day 7, 99496)"</label>
                    </Show>
                    <div class="form-actions">
                        <button type="submit" class="primary" disabled=move || saving.get()>"Save"</button>
                        <button type="button" on:click=move |_| open.set(Open::None)>"Cancel"</button>
                    </div>
                </form>
            </Show>
            {move || mine.with(|l| l.is_empty()).then(|| view! { <p class="muted">"No admission or discharge recorded."</p> })}
            <For each=move || mine.get() key=|t| (t.id.clone(), t.rev) let(t)>
                <Stay t=t today=today/>
            </For>
        </section>
    }
}

/// One stay with its clocks and the steps that meet them.
#[component]
fn Stay(t: Transition, today: chrono::NaiveDate) -> impl IntoView {
    let state = expect_context::<AppState>();
    let holidays = state.settings.with_untracked(|s| s.holidays.clone());
    let t = StoredValue::new(t);
    let clock_rows = Memo::new(move |_| {
        state.day.contacts.with(|c| t.with_value(|t| clocks(t, c, today, &holidays)))
    });
    let step_date = RwSignal::new(today.to_string());
    let busy = RwSignal::new(false);
    let record = move |step: Step| {
        busy.set(true);
        let id = t.with_value(|t| t.id.clone());
        let date = step_date.get_untracked();
        leptos::task::spawn_local_scoped(async move {
            match state.day.record_step(id, step, date).await {
                Ok(_) => state.say(crate::state::Notice::Done(format!("{} recorded.", step.label()))),
                Err(f) => state.say_failed(&f),
            }
            busy.set(false);
        });
    };
    let (head, period) = t.with_value(|t| {
        let place = if t.facility.is_empty() { String::new() } else { format!(" · {}", t.facility) };
        let reason = if t.reason.is_empty() { String::new() } else { format!(" · {}", t.reason) };
        let head = match t.discharged {
            Some(d) => format!("Admitted {}, discharged {}{}{place}{reason}", show_date(t.admitted), show_date(d), if t.discharged_to.is_empty() { String::new() } else { format!(" to {}", t.discharged_to) }),
            None => format!("Admitted {} (still in){place}{reason}", show_date(t.admitted)),
        };
        (head, t.is_open(today))
    });
    view! {
        <div class="stay">
            <h3>{head}</h3>
            {period.then(|| view! {
                <table class="clocks">
                    <thead><tr><th scope="col">"Clock"</th><th scope="col">"Due"</th><th scope="col">"Status"</th></tr></thead>
                    <tbody>
                        {move || clock_rows.get().into_iter().map(|c| {
                            let class = match c.state { ClockState::Met(_) => "gap gap-ok", ClockState::Missed => "gap gap-overdue", ClockState::Due => "gap gap-due" };
                            view! { <tr><th scope="row">{c.kind.label()}</th><td>{show_date(c.due)}</td><td><span class=class>{c.state.label()}</span></td></tr> }
                        }).collect_view()}
                    </tbody>
                </table>
                <Show when=move || t.with_value(|t| t.discharged.is_some())>
                    <div class="steps">
                        <label>"Date " <input type="date" prop:value=move || step_date.get() on:input=move |ev| step_date.set(event_target_value(&ev))/></label>
                        {Step::ALL.iter().map(|&step| view! {
                            <button type="button" class="small" disabled=move || busy.get() on:click=move |_| record(step)>{step.label()}</button>
                        }).collect_view()}
                    </div>
                </Show>
            })}
        </div>
    }
}
