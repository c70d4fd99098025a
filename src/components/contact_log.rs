//! The patient's contact log on the patient page: this month's minutes, a timer that fills
//! in the minutes, the form that logs or edits a contact, and the contacts newest first,
//! each with Edit and Delete (asked again before it goes).

use leptos::prelude::*;

use crate::components::field::{options, Field, FieldValue, SelectField, TextAreaField};
use crate::components::patient_form::focus;
use crate::components::pending::Pending;
use crate::model::care_time::minutes_by_patient;
use crate::model::contact::{timer_minutes, Contact, ContactDraft, ContactField as F, ContactMethod, ContactOutcome, Direction, Party, Purpose};
use crate::model::dates::YearMonth;
use crate::model::Timestamp;
use crate::pages::{count_of, show_date};
use crate::state::{AppState, Failure, Notice, SaveError};
use crate::web;

/// The form, when open: a new contact (`None`) or the contact being edited.
#[derive(Clone, PartialEq)]
enum Editing {
    Closed,
    New,
    Contact(Contact),
}

/// One row of the log, as shown.
#[derive(Clone, PartialEq)]
struct ContactRow {
    contact: Contact,
    date: String,
    follow_up: String,
}

#[component]
pub fn ContactLog(patient_id: String) -> impl IntoView {
    let state = expect_context::<AppState>();
    let id = StoredValue::new(patient_id);
    let today = web::today();
    let month = YearMonth::of(today);

    // The patient's contacts, newest first.
    let rows = Memo::new(move |_| {
        state.day.contacts.with(|all| {
            id.with_value(|id| {
                let mut mine: Vec<&Contact> = all.iter().filter(|c| &c.patient_id == id).collect();
                mine.sort_by_key(|c| std::cmp::Reverse(c.sort_key()));
                mine.into_iter()
                    .map(|c| ContactRow {
                        contact: c.clone(),
                        date: match c.time {
                            Some(t) => format!("{} {}", show_date(c.date), t.format("%H:%M")),
                            None => show_date(c.date),
                        },
                        follow_up: c.follow_up.map(show_date).unwrap_or_else(|| "—".into()),
                    })
                    .collect::<Vec<_>>()
            })
        })
    });
    let this_month = Memo::new(move |_| state.day.contacts.with(|all| id.with_value(|id| minutes_by_patient(all, month).get(id.as_str()).copied().unwrap_or(0))));

    let editing = RwSignal::new(Editing::Closed);
    let draft = RwSignal::new(ContactDraft::default());
    let errors = RwSignal::new(Vec::<(F, String)>::new());

    // The timer: when it started (UTC and the local time of day), and a tick that redraws
    // the running minutes.
    let started = RwSignal::new(None::<(Timestamp, String)>);
    let tick = RwSignal::new(web::now());
    if let Ok(handle) = set_interval_with_handle(
        move || {
            if started.get_untracked().is_some() {
                tick.set(web::now());
            }
        },
        std::time::Duration::from_secs(15),
    ) {
        on_cleanup(move || handle.clear());
    }
    let running = move || {
        started.get().map(|(at, time)| {
            let now = tick.get().max(at);
            let minutes = (now - at).num_minutes().max(0);
            format!("Timer running since {time}: {}", count_of(minutes as usize, "minute", "minutes"))
        })
    };

    let open = move |mode: Editing, d: ContactDraft| {
        errors.set(Vec::new());
        draft.set(d);
        editing.set(mode);
        request_animation_frame(|| focus("contact-date"));
    };
    let new_draft = move || ContactDraft { date: web::today().to_string(), ..ContactDraft::default() };
    let start_timer = move |_| {
        started.set(Some((web::now(), web::local_now().format("%H:%M").to_string())));
        tick.set(web::now());
        request_animation_frame(|| focus("contact-stop"));
    };
    let stop_timer = move |_| {
        let Some((at, time)) = started.get_untracked() else { return };
        started.set(None);
        let minutes = timer_minutes(at, web::now());
        open(Editing::New, ContactDraft { time, minutes: minutes.to_string(), ..new_draft() });
    };
    let close = move || {
        editing.set(Editing::Closed);
        errors.set(Vec::new());
        request_animation_frame(|| focus("log-contact"));
    };

    let saving = Pending::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let d = draft.get_untracked();
        let mode = editing.get_untracked();
        saving.run(async move {
            let result = match mode.clone() {
                Editing::Contact(base) => state.day.edit_contact(base, d).await,
                _ => state.day.log_contact(id.get_value(), d).await,
            };
            match result {
                Ok(c) => {
                    let verb = if matches!(mode, Editing::Contact(_)) { "Saved the contact" } else { "Logged the contact" };
                    state.say(Notice::Done(format!("{verb}: {} on {}.", count_of(c.minutes as usize, "minute", "minutes"), show_date(c.date))));
                    close();
                }
                Err(SaveError::Fields(e)) => {
                    errors.set(e);
                    request_animation_frame(|| focus("contact-errors"));
                }
                Err(SaveError::Failed(failure)) => {
                    errors.set(Vec::new());
                    if let (Failure::Stale(_), Editing::Contact(base)) = (&failure, &mode) {
                        // Changed in another window: show what is stored now and base the
                        // next save on it.
                        let current = state.day.contacts.with_untracked(|l| l.iter().find(|c| c.id == base.id).cloned());
                        if let Some(current) = current {
                            draft.set(current.to_draft());
                            editing.set(Editing::Contact(current));
                        }
                    }
                    state.say_failed(&failure);
                }
            }
        });
    };

    let confirming = RwSignal::new(None::<String>);
    let deleting = Pending::new();
    let delete = move |c: Contact| {
        deleting.run(async move {
            match state.day.delete_contact(c.clone()).await {
                Ok(()) => {
                    confirming.set(None);
                    if matches!(editing.get_untracked(), Editing::Contact(ref e) if e.id == c.id) {
                        editing.set(Editing::Closed);
                    }
                    state.say(Notice::Done(format!("Deleted the contact of {}.", show_date(c.date))));
                    focus("log-contact");
                }
                Err(failure) => state.say_failed(&failure),
            }
        });
    };

    let error = move |field: F| Signal::derive(move || errors.with(|e| e.iter().filter(|x| x.0 == field).map(|x| x.1.clone()).collect::<Vec<_>>().join(" ")));
    let value = move |get: fn(&ContactDraft) -> String, set: fn(&mut ContactDraft, String)| FieldValue::of(draft, get, set);
    let form_heading = move || match editing.get() {
        Editing::Contact(c) => format!("Edit the contact of {}", show_date(c.date)),
        _ => "Log contact".to_string(),
    };

    view! {
        <section class="card contacts" aria-labelledby="contacts-heading">
            <div class="section-head">
                <h2 id="contacts-heading">"Contacts"</h2>
                <div class="toolbar">
                    <button id="log-contact" type="button" aria-expanded=move || (editing.get() == Editing::New).to_string()
                        on:click=move |_| open(Editing::New, new_draft())>"Log contact"</button>
                    {move || if started.with(Option::is_some) {
                        view! { <button id="contact-stop" type="button" on:click=stop_timer>"Stop"</button> }.into_any()
                    } else {
                        view! { <button id="contact-start" type="button" on:click=start_timer>"Start timer"</button> }.into_any()
                    }}
                </div>
            </div>
            <p class="this-month" data-testid="contact-month-minutes">
                {move || format!("This month: {}", count_of(this_month.get() as usize, "minute", "minutes"))}
                {move || running().map(|text| view! { " · " <span class="timer" role="timer" aria-live="off">{text}</span> })}
            </p>
            <Show when=move || editing.get() != Editing::Closed>
                <form class="inset contact-form" on:submit=submit novalidate aria-labelledby="contact-form-heading">
                    <h3 id="contact-form-heading">{form_heading}</h3>
                    <Show when=move || !errors.with(Vec::is_empty)>
                        <div id="contact-errors" role="alert" tabindex="-1" class="form-summary">
                            {move || format!("The contact was not saved: {}", errors.with(|e| e.iter().map(|x| x.1.clone()).collect::<Vec<_>>().join(" ")))}
                        </div>
                    </Show>
                    <div class="field-row">
                        <Field id="contact-date" label="Date" kind="date" required=true value=value(|d| d.date.clone(), |d, v| d.date = v) error=error(F::Date)/>
                        <Field id="contact-time" label="Time" kind="time" hint="Optional" value=value(|d| d.time.clone(), |d, v| d.time = v) error=error(F::Time)/>
                        <Field id="contact-minutes" label="Minutes" kind="number" required=true value=value(|d| d.minutes.clone(), |d, v| d.minutes = v) error=error(F::Minutes)/>
                        <SelectField id="contact-direction" label="Direction" value=value(|d| d.direction.clone(), |d, v| d.direction = v) error=error(F::Direction)
                            options=options(Direction::ALL.iter().map(|x| (x.code(), x.label())))/>
                    </div>
                    <div class="field-row">
                        <SelectField id="contact-with" label="With" value=value(|d| d.with.clone(), |d, v| d.with = v) error=error(F::With)
                            options=options(Party::ALL.iter().map(|x| (x.code(), x.label())))/>
                        <SelectField id="contact-method" label="Method" value=value(|d| d.method.clone(), |d, v| d.method = v) error=error(F::Method)
                            options=options(ContactMethod::ALL.iter().map(|x| (x.code(), x.label())))/>
                        <SelectField id="contact-purpose" label="Purpose" required=true value=value(|d| d.purpose.clone(), |d, v| d.purpose = v) error=error(F::Purpose)
                            options=options(std::iter::once(("", "Choose…")).chain(Purpose::ALL.iter().map(|x| (x.code(), x.label()))))/>
                        <SelectField id="contact-outcome" label="Outcome" value=value(|d| d.outcome.clone(), |d, v| d.outcome = v) error=error(F::Outcome)
                            options=options(ContactOutcome::ALL.iter().map(|x| (x.code(), x.label())))/>
                    </div>
                    <div class="field-row">
                        <Field id="contact-follow-up" label="Follow up on" kind="date" hint="Optional: the work queue shows it then"
                            value=value(|d| d.follow_up.clone(), |d, v| d.follow_up = v) error=error(F::FollowUp)/>
                    </div>
                    <TextAreaField id="contact-note" label="Note" value=value(|d| d.note.clone(), |d, v| d.note = v) error=error(F::Note)/>
                    <div class="form-actions">
                        <button type="submit" class="primary" disabled=move || saving.get()>"Save"</button>
                        <button type="button" on:click=move |_| close()>"Cancel"</button>
                    </div>
                </form>
            </Show>
            {move || if rows.with(Vec::is_empty) {
                view! { <p class="muted">"No contacts logged yet."</p> }.into_any()
            } else {
                view! {
                    <div class="wide-table">
                        <table class="contacts">
                            <thead><tr>
                                <th scope="col">"Date"</th><th scope="col">"Minutes"</th><th scope="col">"With"</th><th scope="col">"Method"</th>
                                <th scope="col">"Purpose"</th><th scope="col">"Outcome"</th><th scope="col">"Follow up"</th><th scope="col">"By"</th>
                                <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                            </tr></thead>
                            <tbody>
                                <For each=move || rows.get() key=|r| (r.contact.id.clone(), r.contact.rev) let(row)>
                                    {
                                        let c = row.contact.clone();
                                        let (cid, edit_c, del_c) = (c.id.clone(), c.clone(), c.clone());
                                        let asking = {
                                            let cid = cid.clone();
                                            move || confirming.with(|x| x.as_deref() == Some(cid.as_str()))
                                        };
                                        let arrow = if c.direction == Direction::Incoming { "Incoming" } else { "Outgoing" };
                                        view! {
                                            <tr>
                                                <td>{row.date.clone()}</td>
                                                <td class="num">{c.minutes}</td>
                                                <td>{c.with.label()}<span class="muted small">{format!(" · {arrow}")}</span></td>
                                                <td>{c.method.label()}</td>
                                                <td>{c.purpose.label()}
                                                    {(!c.note.is_empty()).then(|| view! { <div class="muted small note">{c.note.clone()}</div> })}
                                                </td>
                                                <td>{c.outcome.label()}</td>
                                                <td>{row.follow_up.clone()}</td>
                                                <td>{if c.by.is_empty() { "—".to_string() } else { c.by.clone() }}</td>
                                                <td class="row-actions">
                                                    <Show when=asking.clone() fallback=move || {
                                                        let (e, d) = (edit_c.clone(), del_c.clone());
                                                        view! {
                                                            <button type="button" class="small" on:click=move |_| open(Editing::Contact(e.clone()), e.to_draft())>"Edit"</button>
                                                            <button type="button" class="small danger" on:click=move |_| {
                                                                confirming.set(Some(d.id.clone()));
                                                                request_animation_frame(|| focus("contact-confirm-delete"));
                                                            }>"Delete"</button>
                                                        }
                                                    }>
                                                        {
                                                            let c = c.clone();
                                                            view! {
                                                                <span class="confirm-inline" role="group" aria-label="Delete this contact?">
                                                                    <span>"Delete this contact? "</span>
                                                                    <button id="contact-confirm-delete" type="button" class="small danger" disabled=move || deleting.get()
                                                                        on:click=move |_| delete(c.clone())>"Delete contact"</button>
                                                                    <button type="button" class="small" on:click=move |_| confirming.set(None)>"Keep"</button>
                                                                </span>
                                                            }
                                                        }
                                                    </Show>
                                                </td>
                                            </tr>
                                        }
                                    }
                                </For>
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}
