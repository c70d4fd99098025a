//! One appointment on the day's schedule: the patient, their open care gaps and referrals,
//! the pre-visit checklist and the pre-visit call.

use leptos::prelude::*;

use crate::components::pending::Pending;

use crate::components::care_gaps::status_class;
use crate::model::appointment::{Appointment, ChecklistItem, PrevisitCall};
use crate::model::choice::by_code;
use crate::model::recall::OutreachOutcome;
use crate::state::{AppState, Notice};
use crate::web;

use super::{open_gaps, open_referrals};

#[component]
pub(super) fn AppointmentCard(id: String) -> impl IntoView {
    let state = expect_context::<AppState>();
    let id = StoredValue::new(id);
    // This appointment alone: a change to another one does not redraw this card.
    let appt = Memo::new(move |_| state.schedule.appointments.with(|l| l.iter().find(|a| a.id == id.get_value()).cloned()));
    let save = move |change: Box<dyn Fn(&mut Appointment)>, what: String| async move {
        if let Err(m) = state.schedule.update(id.get_value(), change, &what).await {
            state.say_failed(&m);
            state.schedule.show_as_stored(); // put the checkboxes back as stored
        }
    };
    // A call is logged once however often Log call is pressed; ticks each apply at once.
    let logging = Pending::new();
    let call_outcome = RwSignal::new(OutreachOutcome::Reached.code().to_string());
    let call_note = RwSignal::new(String::new());
    view! {
        {move || appt.get().map(|a| {
            let patient = state.panel.with(|p| p.get(&a.patient_id).cloned());
            let Some(patient) = patient else { return view! { <li class="visit">{a.time_text()} " · a patient no longer on the panel"</li> }.into_any() };
            let gaps = open_gaps(state, &patient);
            let patient_id = patient.id.clone();
            let refs = Memo::new(move |_| open_referrals(state, &patient_id));
            let key = a.id.clone();
            let log_call = move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                let outcome = by_code(&call_outcome.get_untracked()).unwrap_or(OutreachOutcome::Reached);
                let call = PrevisitCall { at: web::now(), by: state.settings.with_untracked(|s| s.coordinator_name.clone()), outcome, note: call_note.get_untracked().trim().to_string() };
                call_note.set(String::new());
                logging.run(save(Box::new(move |a: &mut Appointment| a.calls.push(call.clone())), format!("pre-visit call: {}", outcome.label().to_lowercase())));
            };
            let remove = {
                let id = a.id.clone();
                move |_| {
                    let id = id.clone();
                    leptos::task::spawn_local_scoped(async move {
                        match state.schedule.delete(id).await {
                            Ok(()) => state.say(Notice::Done("Appointment removed from the schedule.".into())),
                            Err(m) => state.say_failed(&m),
                        }
                    });
                }
            };
            view! {
                <li class="visit">
                    <div class="visit-head">
                        <span class="visit-time">{a.time_text()}</span>
                        <a href=format!("/patients/{}", patient.id)>{patient.sort_name()}</a>
                        <span class="muted">{format!("{} y · {}", patient.age_on(web::today()), patient.sex.label())}</span>
                        <span>{a.visit_type.clone()}</span>
                        {patient.profile.flags.iter().map(|f| view! { <span class="flag">{f.clone()}</span> }).collect_view()}
                        <button type="button" class="link-button remove" on:click=remove aria-label=format!("Remove {}'s appointment at {}", patient.sort_name(), a.time_text())>"Remove"</button>
                    </div>
                    <div class="visit-gaps">
                        <strong>"Open care gaps: "</strong>
                        {match gaps {
                            None => view! { <span aria-busy="true">"…"</span> }.into_any(),
                            Some(g) if g.is_empty() => view! { <span>"none"</span> }.into_any(),
                            Some(g) => g.into_iter().map(|g| view! { <span class=status_class(&g.status)>{g.label.clone()} " (" {g.status.label()} ")"</span> }).collect_view().into_any(),
                        }}
                    </div>
                    <Show when=move || refs.with(|r| !r.is_empty())>
                        <div class="visit-gaps">
                            <strong>"Open referrals: "</strong>
                            <For each=move || refs.get() key=|r| r.clone() let((_, text, late))>
                                <span class="referral-chip" class:late=late>{text}{late.then_some(" (overdue)")}</span>
                            </For>
                        </div>
                    </Show>
                    <fieldset class="checklist">
                        <legend>{format!("Pre-visit planning ({} of 4 done)", a.checklist.done())}</legend>
                        {ChecklistItem::ALL.into_iter().map(|item| {
                            view! {
                                <label class="check">
                                    <input type="checkbox" prop:checked=a.checklist.get(item)
                                        on:change=move |ev| {
                                            let done = event_target_checked(&ev);
                                            leptos::task::spawn_local_scoped(save(Box::new(move |a: &mut Appointment| a.checklist.set(item, done)), format!("checklist: {} {}", item.label().to_lowercase(), if done { "done" } else { "not done" })));
                                        }/>
                                    {item.label()}
                                </label>
                            }
                        }).collect_view()}
                    </fieldset>
                    <details class="calls">
                        <summary>{format!("Pre-visit calls ({})", a.calls.len())}</summary>
                        <ul>
                            {a.calls.iter().map(|c| view! {
                                <li>{crate::pages::show_time(c.at)} " · " {c.outcome.label()} {(!c.by.is_empty()).then(|| format!(" · {}", c.by))} {(!c.note.is_empty()).then(|| format!(" · {}", c.note))}</li>
                            }).collect_view()}
                        </ul>
                        <form class="inline-form" on:submit=log_call>
                            <label for=format!("call-outcome-{key}")>"Call outcome"</label>
                            // Shows the outcome that Log call records, also after the card is redrawn.
                            <select id=format!("call-outcome-{key}") prop:value=move || call_outcome.get() on:change=move |ev| call_outcome.set(event_target_value(&ev))>
                                {OutreachOutcome::ALL.iter().map(|&o| view! { <option value=o.code() selected=move || call_outcome.with(|c| c == o.code())>{o.label()}</option> }).collect_view()}
                            </select>
                            <label for=format!("call-note-{key}")>"Note"</label>
                            <input id=format!("call-note-{key}") type="text" prop:value=move || call_note.get() on:input=move |ev| call_note.set(event_target_value(&ev))/>
                            <button type="submit" disabled=move || logging.get()>"Log call"</button>
                        </form>
                    </details>
                </li>
            }.into_any()
        })}
    }
}
