//! `/`: the coordinator's start page: the day's schedule with each patient's open care gaps
//! and pre-visit planning, and the huddle sheet printed from it (one page per provider).

use chrono::{Duration, NaiveDate};
use leptos::prelude::*;

use crate::components::pending::Pending;

use crate::components::care_gaps::status_class;
use crate::components::field::Field;
use crate::components::page::Page;
use crate::components::patient_picker::{PatientChoice, PatientPicker};
use crate::io::appointments_csv::{self, AppointmentImport};
use crate::model::appointment::{day_by_provider, Appointment, AppointmentDraft, ChecklistItem, PrevisitCall, VISIT_TYPES};
use crate::model::care::GapResult;
use crate::model::choice::by_code;
use crate::model::dates;
use crate::model::recall::OutreachOutcome;
use crate::model::Patient;
use crate::pages::{count_of, thousands};
use crate::state::{AppState, Notice};
use crate::web;

#[component]
pub fn TodayPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let day = RwSignal::new(web::today());
    let name_missing = move || state.settings.with(|s| s.coordinator_name.is_empty());
    // Only a change between an empty panel and one with patients redraws the page.
    let panel_empty = Memo::new(move |_| state.panel.with(|p| p.is_empty()));
    view! {
        <Page title="Today" subtitle=dates::with_weekday(web::today()) screen_only=true>
            <Show when=name_missing>
                <p class="card tip screen-only">"Tip: set your name in " <a href="/settings">"Settings"</a> " so that every change you make is signed in the patient's history."</p>
            </Show>
            {move || if panel_empty.get() {
                view! {
                    <section class="card" aria-labelledby="start-heading">
                        <h2 id="start-heading">"Getting started"</h2>
                        <ol>
                            <li>"Add the patients on your panel: " <a href="/panel">"Panel"</a> ", then " <strong>"Add patient"</strong> ", or import a list on the " <a href="/data">"Data"</a> " page."</li>
                            <li>"Then add or import the day's appointments here, and print the huddle sheet."</li>
                            <li>"Export a backup at the end of each day (Data page)."</li>
                        </ol>
                    </section>
                }.into_any()
            } else {
                view! { <ReferralsDue/> <Schedule day=day/> <HuddleSheet day=day/> }.into_any()
            }}
        </Page>
    }
}

/// Referrals that need action today: overdue, due today, or drafts not yet sent.
#[component]
fn ReferralsDue() -> impl IntoView {
    let state = expect_context::<AppState>();
    let today = web::today();
    let due = Memo::new(move |_| {
        let s = state.settings.with(|s| s.referral);
        state.referrals.with(|l| {
            let mut v: Vec<(String, String, String, String)> = l
                .iter()
                .filter_map(|r| r.needs_action(today, &s).map(|why| (r.id.clone(), r.patient_id.clone(), r.referred_to.clone(), why.label())))
                .collect();
            v.sort_by(|a, b| a.3.cmp(&b.3));
            v
        })
    });
    const LISTED: usize = 15;
    view! {
        <Show when=move || !due.with(Vec::is_empty)>
            <section class="card screen-only" aria-labelledby="ref-due-heading">
                <h2 id="ref-due-heading">{move || format!("Referrals needing action today ({})", due.with(Vec::len))}</h2>
                <ul class="problems">
                    <For each=move || due.get().into_iter().take(LISTED) key=|row| row.clone() let((id, pid, to, why))>
                        {
                            let name = move || state.panel.with(|p| p.get(&pid).map(|p| p.sort_name())).unwrap_or_default();
                            view! { <li><a href=format!("/referrals/{id}")>{move || format!("{} → {to}", name())}</a> " · " {why}</li> }
                        }
                    </For>
                </ul>
                {move || (due.with(Vec::len) > LISTED).then(|| view! { <p><a href="/referrals">"See them all on the Referrals page (Overdue)"</a></p> })}
            </section>
        </Show>
    }
}

/// The screen view of one day's schedule.
#[component]
fn Schedule(day: RwSignal<NaiveDate>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let adding = RwSignal::new(false);
    // The day's appointment ids by provider.
    let groups = Memo::new(move |_| {
        let d = day.get();
        state.appointments.with(|all| {
            day_by_provider(all, d).into_iter().map(|(p, list)| (p, list.into_iter().map(|a| a.id.clone()).collect::<Vec<_>>())).collect::<Vec<_>>()
        })
    });
    let ids_of = move |provider: &str| groups.with(|g| g.iter().find(|(p, _)| p == provider).map(|(_, ids)| ids.clone()).unwrap_or_default());
    let count = move || state.appointments.with(|all| all.iter().filter(|a| a.date == day.get()).count());
    let print = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        <section class="card screen-only" aria-labelledby="schedule-heading">
            <div class="section-head">
                <h2 id="schedule-heading">"Schedule · " {move || dates::with_weekday(day.get())}</h2>
                <div class="toolbar">
                    <label for="schedule-day" class="inline-label">"Schedule date"</label>
                    <input id="schedule-day" type="date" prop:value=move || day.get().to_string()
                        on:change=move |ev| if let Ok(d) = event_target_value(&ev).parse() { day.set(d) }/>
                    <button type="button" on:click=move |_| day.update(|d| *d -= Duration::days(1))>"Previous day"</button>
                    <button type="button" on:click=move |_| day.update(|d| *d += Duration::days(1))>"Next day"</button>
                    <button type="button" class="primary" on:click=move |_| adding.update(|a| *a = !*a)>"Add appointment"</button>
                    <button type="button" on:click=print prop:disabled=move || count() == 0>"Print huddle sheet"</button>
                </div>
            </div>
            <Show when=move || adding.get()>
                <AddAppointment day=day adding=adding/>
            </Show>
            <p>{move || match count() {
                0 => "No appointments on this day yet. Add them one by one, or import the day's schedule as CSV below.".to_string(),
                n => format!("{} with {}.", count_of(n, "appointment", "appointments"), count_of(groups.with(Vec::len), "provider", "providers")),
            }}</p>
            // Keyed by provider, then by appointment: a change to one visit redraws that card only.
            <For each=move || groups.with(|g| g.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>()) key=|provider| provider.clone() let(provider)>
                {
                    let ids = StoredValue::new(provider.clone());
                    let ids = move || ids.with_value(|p| ids_of(p));
                    view! {
                        <section class="provider-day" aria-label=format!("Appointments with {}", provider_name(&provider))>
                            <h3>{provider_name(&provider)} " · " {move || count_of(ids().len(), "visit", "visits")}</h3>
                            <ul class="visits">
                                <For each=ids key=|id| id.clone() let(id)>
                                    <AppointmentCard id=id/>
                                </For>
                            </ul>
                        </section>
                    }
                }
            </For>
            <ImportAppointments/>
        </section>
        <section class="card screen-only" aria-labelledby="panel-heading">
            <h2 id="panel-heading">"Your panel"</h2>
            <p class="big-number">{move || thousands(state.panel.with(|p| p.len()))} " patients"</p>
            <p><a href="/panel">"Find a patient"</a> " · " <a href="/recalls">"Recalls"</a> " · " <a href="/registry">"Registry"</a> " · " <a href="/data">"Export a backup"</a></p>
        </section>
    }
}

fn provider_name(p: &str) -> String {
    if p.is_empty() { "No provider given".to_string() } else { p.to_string() }
}

/// The open care gaps of a patient, or `None` while the registry is still being read.
fn open_gaps(state: AppState, patient: &Patient) -> Option<Vec<GapResult>> {
    if !state.registry_ready.get() {
        return None;
    }
    Some(state.registry.with(|r| r.gaps(patient, web::today()).into_iter().filter(GapResult::is_open).collect()))
}

/// A patient's referrals still open (not final): each one's id, "Boston Cardiology: Accepted",
/// and whether it is overdue: what the huddle asks about ("is the cardiology report back?").
fn open_referrals(state: AppState, patient_id: &str) -> Vec<(String, String, bool)> {
    let today = web::today();
    let s = state.settings.with(|s| s.referral);
    state.referrals.with(|l| {
        l.iter()
            .filter(|r| r.patient_id == patient_id && !r.status.is_terminal())
            .map(|r| (r.id.clone(), format!("{}: {}", r.referred_to, r.status.label()), r.is_overdue(today, &s)))
            .collect()
    })
}

#[component]
fn AppointmentCard(id: String) -> impl IntoView {
    let state = expect_context::<AppState>();
    let id = StoredValue::new(id);
    // This appointment alone: a change to another one does not redraw this card.
    let appt = Memo::new(move |_| state.appointments.with(|l| l.iter().find(|a| a.id == id.get_value()).cloned()));
    let save = move |change: Box<dyn FnOnce(&mut Appointment)>, what: String| async move {
        if let Err(m) = state.update_appointment(id.get_value(), change, &what).await {
            state.say(Notice::Failed(m));
            state.appointments.update(|_| {}); // put the checkboxes back as stored
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
                logging.run(save(Box::new(move |a: &mut Appointment| a.calls.push(call)), format!("pre-visit call: {}", outcome.label().to_lowercase())));
            };
            let remove = {
                let id = a.id.clone();
                move |_| {
                    let id = id.clone();
                    leptos::task::spawn_local_scoped(async move {
                        match state.delete_appointment(id).await {
                            Ok(()) => state.say(Notice::Done("Appointment removed from the schedule.".into())),
                            Err(m) => state.say(Notice::Failed(m)),
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

#[component]
fn AddAppointment(day: RwSignal<NaiveDate>, adding: RwSignal<bool>) -> impl IntoView {
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
            match state.add_appointment(draft).await {
                Ok(a) => {
                    problems.set(Vec::new());
                    adding.set(false);
                    state.say(Notice::Done(format!("Appointment at {} added to the schedule.", a.time_text())));
                }
                Err(p) => problems.set(p),
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

#[component]
fn ImportAppointments() -> impl IntoView {
    let state = expect_context::<AppState>();
    let file = crate::components::file_import::FileImport::<AppointmentImport>::new();
    let preview = file.preview;
    let input = file.input;
    let reset = move || file.reset();
    let chosen = move |_| {
        let Some(chosen) = file.chosen().into_iter().next() else { return };
        leptos::task::spawn_local_scoped(async move {
            let parsed = match web::read_text(&chosen).await {
                Err(m) => Err(m),
                Ok(read) => {
                    if let Some(note) = read.note {
                        state.say(Notice::Done(note));
                    }
                    state.panel.with_untracked(|panel| {
                        state.appointments.with_untracked(|existing| appointments_csv::parse(&read.text, panel, existing, web::now(), web::new_id))
                    }).map_err(|p| p.to_string())
                }
            };
            match parsed {
                Ok(p) => preview.set(Some(p)),
                Err(m) => {
                    reset();
                    state.say(Notice::Failed(format!("{m} Nothing was changed.")));
                }
            }
        });
    };
    let import = move |_| {
        let Some(p) = preview.get_untracked() else { return };
        leptos::task::spawn_local_scoped(async move {
            match state.import_appointments(p.appointments).await {
                Ok(m) => state.say(Notice::Done(m)),
                Err(m) => state.say(Notice::Failed(m)),
            }
            reset();
        });
    };
    view! {
        <div class="import-appointments">
            <h3>"Import the day's schedule"</h3>
            <p class="hint">"A CSV with the columns " <code>{appointments_csv::TEMPLATE_HEADER}</code> " (a patient is found by MRN, or by name and date of birth). "
                <button type="button" class="link-button" on:click=move |_| {
                    if let Err(m) = web::download("carecoord-appointments-template.csv", "text/csv", &appointments_csv::template_csv()) { state.say(Notice::Failed(m)) }
                }>"Download the appointments template"</button></p>
            <label for="import-appointments">"Import appointments"</label>
            <input id="import-appointments" type="file" accept=".csv,text/csv" node_ref=input on:change=chosen/>
            {move || preview.get().map(|p| {
                let n = p.appointments.len();
                view! {
                    <div class="preview" role="region" aria-label="Appointments import preview">
                        <p><strong>{count_of(n, "appointment", "appointments")}</strong> " ready to import"
                            {(!p.already_scheduled.is_empty()).then(|| format!("; {} already on the schedule (left out)", p.already_scheduled.len()))} "."</p>
                        <Show when={let bad = !p.problems.is_empty(); move || bad}>
                            <div role="alert" class="notice notice-failed">
                                <p>{count_of(p.problems.len(), "row", "rows")} " will not be imported:"</p>
                                <ul>{p.problems.iter().map(|r| view! { <li>{r.to_string()}</li> }).collect_view()}</ul>
                            </div>
                        </Show>
                        <div class="form-actions">
                            <button type="button" class="primary" prop:disabled=n == 0 on:click=import>{format!("Import {}", count_of(n, "appointment", "appointments"))}</button>
                            <button type="button" on:click=move |_| reset()>"Cancel"</button>
                        </div>
                    </div>
                }
            })}
        </div>
    }
}

/// One line of the huddle sheet, as printed.
#[derive(Clone, PartialEq, Eq, Hash)]
struct HuddleLine {
    time: String,
    name: String,
    about: String,
    visit_type: String,
    gaps: String,
    referrals: String,
    checklist: String,
    flags: String,
}

/// The printed huddle sheet: one page per provider (shown only on paper).
#[component]
fn HuddleSheet(day: RwSignal<NaiveDate>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let clinic = move || state.settings.with(|s| s.clinic_name.clone());
    let pages = Memo::new(move |_| {
        let d = day.get();
        state.appointments.with(|all| {
            day_by_provider(all, d)
                .into_iter()
                .map(|(provider, list)| {
                    let lines = list
                        .into_iter()
                        .map(|a| {
                            let p = state.panel.with(|panel| panel.get(&a.patient_id).cloned());
                            let (name, about, gaps, referrals, flags) = match &p {
                                Some(p) => (
                                    p.sort_name(),
                                    format!("{} y {} · {}", p.age_on(d), p.sex.label(), p.mrn),
                                    open_gaps(state, p).map(|g| g.iter().map(|g| format!("{} ({})", g.label, g.status.label().to_lowercase())).collect::<Vec<_>>().join("; ")).unwrap_or_default(),
                                    open_referrals(state, &p.id).into_iter().map(|(_, t, late)| if late { format!("{t} (overdue)") } else { t }).collect::<Vec<_>>().join("; "),
                                    p.profile.flags.join(", "),
                                ),
                                None => ("(no longer on the panel)".into(), String::new(), String::new(), String::new(), String::new()),
                            };
                            let line = HuddleLine {
                                time: a.time_text(),
                                name,
                                about,
                                visit_type: a.visit_type.clone(),
                                gaps,
                                referrals,
                                checklist: ChecklistItem::ALL.iter().map(|&i| format!("{} {}", if a.checklist.get(i) { "☑" } else { "☐" }, i.label())).collect::<Vec<_>>().join("\n"),
                                flags,
                            };
                            (a.id.clone(), line)
                        })
                        .collect::<Vec<_>>();
                    (provider, lines)
                })
                .collect::<Vec<_>>()
        })
    });
    let lines_of = move |provider: &str| pages.with(|g| g.iter().find(|(p, _)| p == provider).map(|(_, l)| l.clone()).unwrap_or_default());
    view! {
        // Keyed by provider, then by appointment and its line as printed: only lines that change are redrawn.
        <For each=move || pages.with(|g| g.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>()) key=|provider| provider.clone() let(provider)>
            {
                let stored = StoredValue::new(provider.clone());
                let lines = move || stored.with_value(|p| lines_of(p));
                view! {
                    <section class="huddle-page print-only">
                        <h2>"Huddle sheet · " {provider_name(&provider)}</h2>
                        <p>{move || dates::with_weekday(day.get())} {move || { let c = clinic(); (!c.is_empty()).then(|| format!(" · {c}")) }} " · " {move || count_of(lines().len(), "visit", "visits")}</p>
                        <table class="huddle">
                            <thead><tr><th>"Time"</th><th>"Patient"</th><th>"Visit"</th><th>"Open care gaps and referrals"</th><th>"Pre-visit"</th><th>"Flags"</th></tr></thead>
                            <tbody>
                                <For each=lines key=|entry| entry.clone() let((_, line))>
                                    <tr>
                                        <td>{line.time}</td>
                                        <td><strong>{line.name}</strong><br/>{line.about}</td>
                                        <td>{line.visit_type}</td>
                                        <td>{if line.gaps.is_empty() { "No open gaps".to_string() } else { line.gaps }}
                                            {(!line.referrals.is_empty()).then(|| view! { <br/><strong>"Referrals: "</strong>{line.referrals} })}</td>
                                        <td class="pre">{line.checklist}</td>
                                        <td>{line.flags}</td>
                                    </tr>
                                </For>
                            </tbody>
                        </table>
                    </section>
                }
            }
        </For>
    }
}
