//! `/`: the coordinator's start page: the day's schedule with each patient's open care gaps
//! and pre-visit planning, and the huddle sheet printed from it (one page per provider).

mod add;
mod card;
mod huddle;
mod import;

use chrono::{Duration, NaiveDate};
use leptos::prelude::*;

use crate::components::page::Page;
use crate::model::appointment::day_by_provider;
use crate::model::care::GapResult;
use crate::model::dates;
use crate::model::Patient;
use crate::pages::{count_of, thousands};
use crate::state::{AppState, Guard};
use crate::web;

use add::AddAppointment;
use card::AppointmentCard;
use huddle::HuddleSheet;
use import::ImportAppointments;

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
                            {(state.protection.guard().get_untracked() == Guard::Off).then(|| view! {
                                <li><strong>"Recommended first: "</strong>"protect this device's records with a passphrase ("<a href="/settings#protection-heading">"Settings"</a>", " <strong>"Protect with a passphrase"</strong>"). They are then encrypted on this device and the app locks when you step away."</li>
                            })}
                            <li>"Add the patients on your panel: " <a href="/panel">"Panel"</a> ", then " <strong>"Add patient"</strong> ", or import a list on the " <a href="/data">"Data"</a> " page."</li>
                            <li>"Then add or import the day's appointments here, and print the huddle sheet."</li>
                            <li>"Export a backup at the end of each day (Data page)."</li>
                        </ol>
                    </section>
                }.into_any()
            } else {
                view! { <crate::components::work_queue::WorkQueue/> <ReferralsDue/> <Schedule day=day/> <HuddleSheet day=day/> }.into_any()
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
        state.schedule.appointments.with(|all| {
            day_by_provider(all, d).into_iter().map(|(p, list)| (p, list.into_iter().map(|a| a.id.clone()).collect::<Vec<_>>())).collect::<Vec<_>>()
        })
    });
    let ids_of = move |provider: &str| groups.with(|g| g.iter().find(|(p, _)| p == provider).map(|(_, ids)| ids.clone()).unwrap_or_default());
    let count = move || state.schedule.appointments.with(|all| all.iter().filter(|a| a.date == day.get()).count());
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
    if !state.registry.ready.get() {
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
