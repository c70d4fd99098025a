//! `/referrals/{id}`: one referral: its status and the moves allowed from it, every field,
//! the timeline of changes, the printed referral letter / fax cover sheet and the FHIR export.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::components::page::Page;
use crate::components::referral_form::ReferralForm;
use crate::model::referral::{allowed_next, Referral};
use crate::model::Patient;
use crate::pages::{show_date, show_time};
use crate::state::{AppState, Notice};
use crate::web;

#[component]
pub fn ReferralPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    // The referral as the work list holds it (no history): its id and revision say which
    // whole record to read, and a change to it (here or in another tab) reads it again.
    let listed = Memo::new(move |_| {
        if !state.all_ready().get() {
            return None;
        }
        state.referrals.with(|l| l.iter().find(|r| r.id == id.get()).map(|r| (r.id.clone(), r.rev, r.updated_at)))
    });
    // The whole referral, with its history, as last read from the store.
    let read = RwSignal::new(None::<Result<Option<Referral>, String>>);
    let asked = StoredValue::new(0u32);
    Effect::new(move |_| {
        let Some((id, _, _)) = listed.get() else { return };
        asked.update_value(|n| *n += 1);
        let mine = asked.get_value();
        leptos::task::spawn_local_scoped(async move {
            let result = state.referrals.full(id).await.map_err(|f| f.to_string());
            if asked.get_value() == mine {
                read.set(Some(result)); // an older read never replaces a newer one
            }
        });
    });
    let shown = Memo::new(move |_| {
        if !state.all_ready().get() {
            return Shown::Loading;
        }
        let Some((id, _, _)) = listed.get() else { return Shown::NotFound };
        read.with(|r| match r {
            Some(Ok(Some(r))) if r.id == id => Shown::Found(r.clone()),
            Some(Ok(None)) => Shown::NotFound,
            Some(Err(message)) => Shown::Failed(message.clone()),
            _ => Shown::Loading, // being read
        })
    });
    let title = move || {
        shown.with(|s| match s {
            Shown::Found(r) => format!("Referral to {}", r.referred_to),
            Shown::NotFound => "Referral not found".to_string(),
            Shown::Loading | Shown::Failed(_) => "Referral".to_string(),
        })
    };
    view! {
        <Page title=title screen_only=true>
            {move || match shown.get() {
                Shown::Found(r) => view! { <ReferralDetails referral=r/> }.into_any(),
                Shown::Loading => view! { <p class="loading" aria-busy="true">"Loading…"</p> }.into_any(),
                Shown::Failed(message) => view! { <p role="alert" class="notice notice-failed">{message}</p> }.into_any(),
                Shown::NotFound => view! {
                    <p>"No referral with this id is stored on this device. " <a href="/referrals">"Back to the referrals"</a>"."</p>
                }.into_any(),
            }}
        </Page>
    }
}

/// What the referral's page shows.
#[derive(Clone, PartialEq)]
enum Shown {
    /// The work list is not read yet, or the whole referral is being read.
    Loading,
    Found(Referral),
    NotFound,
    Failed(String),
}

fn date_or_dash(d: Option<chrono::NaiveDate>) -> String {
    d.map(show_date).unwrap_or_else(|| "—".into())
}

#[component]
fn ReferralDetails(referral: Referral) -> impl IntoView {
    let state = expect_context::<AppState>();
    let today = web::today();
    let editing = RwSignal::new(false);
    let note = RwSignal::new(String::new());
    let patient: Option<Patient> = state.panel.with_untracked(|p| p.get(&referral.patient_id).cloned());
    let patient_name = patient.as_ref().map(Patient::sort_name).unwrap_or_else(|| "(not on the panel)".into());
    let settings = state.settings.with_untracked(|s| s.referral);
    let overdue: Vec<String> = referral.overdue(today, &settings).iter().map(|o| o.label()).collect();
    let r = StoredValue::new(referral.clone());
    let done = Callback::new(move |_| editing.set(false));
    let fhir_patient = patient.clone();
    let export_fhir = move |_| {
        let Some(p) = fhir_patient.clone() else { return state.say(Notice::Failed("The patient is no longer on the panel, so the FHIR export cannot name them.".into())) };
        let text = crate::io::fhir_referral::write(&r.get_value(), &p);
        if let Err(m) = web::download(&format!("carecoord-referral-{}.fhir.json", r.with_value(|r| r.created)), "application/fhir+json", &text) {
            state.say(Notice::Failed(m));
        }
    };
    let print = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        <p class="subtitle screen-only">
            "For " {patient.as_ref().map(|p| view! { <a href=format!("/patients/{}", p.id)>{p.sort_name()}</a> })}
            {format!(" · {} · made {}", referral.kind.label(), show_date(referral.created))}
        </p>
        <div class="card screen-only status-card">
            <p class="status-line">"Status: " <strong class="status">{referral.status.label()}</strong></p>
            {(!overdue.is_empty()).then(|| view! { <p class="overdue-why"><strong>"Overdue: "</strong>{overdue.join("; ")}</p> })}
            {(!allowed_next(referral.status).is_empty()).then(|| view! {
                <div class="moves">
                    <div class="field"><label for="move-note">"Note for the status change (optional)"</label>
                        <input id="move-note" type="text" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))/></div>
                    <div class="toolbar">
                        {allowed_next(referral.status).iter().map(|&to| view! {
                            <button type="button" class=if to.is_terminal() && to != crate::model::referral::ReferralStatus::Completed { "" } else { "primary" }
                                on:click=move |_| {
                                    let id = r.with_value(|r| r.id.clone());
                                    leptos::task::spawn_local_scoped(async move {
                                        match state.referrals.move_to(id, to, note.get_untracked()).await {
                                            Ok(_) => state.say(Notice::Done(format!("Status changed to “{}”.", to.label()))),
                                            Err(m) => state.say_failed(&m),
                                        }
                                    });
                                }>{format!("Mark {}", to.label())}</button>
                        }).collect_view()}
                    </div>
                </div>
            })}
        </div>
        <div class="toolbar screen-only">
            <button type="button" aria-expanded=move || editing.get().to_string() on:click=move |_| editing.update(|e| *e = !*e)>"Edit"</button>
            <button type="button" on:click=print>"Print referral letter"</button>
            <button type="button" on:click=export_fhir>"Export as FHIR"</button>
            <a href="/referrals" class="button-link">"Back to the referrals"</a>
        </div>
        {move || if editing.get() {
            view! { <section class="card screen-only" aria-labelledby="edit-ref-heading"><h2 id="edit-ref-heading">"Edit referral"</h2>
                <ReferralForm existing=Some(r.get_value()) on_done=done/></section> }.into_any()
        } else {
            view! { <ReferralFacts referral=r.get_value()/> }.into_any()
        }}
        <section class="card screen-only" aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">"Timeline"</h2>
            <ol class="history">
                {referral.history.iter().map(|e| view! { <li><time datetime=e.at.to_rfc3339()>{show_time(e.at)}</time>" — "{e.describe()}</li> }).collect_view()}
            </ol>
        </section>
        <ReferralLetter referral=referral.clone() patient=patient patient_name=patient_name/>
    }
}

#[component]
fn ReferralFacts(referral: Referral) -> impl IntoView {
    let r = referral;
    let or_dash = |s: &str| if s.trim().is_empty() { "—".to_string() } else { s.to_string() };
    view! {
        <section class="card screen-only" aria-labelledby="ref-facts-heading">
            <h2 id="ref-facts-heading">"Details"</h2>
            <dl class="facts">
                <dt>"Reason"</dt><dd class="notes">{or_dash(&r.reason)}</dd>
                <dt>"Urgency"</dt><dd>{r.urgency.label()}</dd>
                <dt>"Referring provider"</dt><dd>{or_dash(&r.referring_provider)}</dd>
                <dt>"Expected reply by"</dt><dd>{show_date(r.expected_reply)}</dd>
                <dt>"Prior authorization"</dt><dd>{r.prior_auth.describe()}</dd>
                <dt>"Records forwarded"</dt><dd>{date_or_dash(r.records_forwarded)}</dd>
                <dt>"Appointment"</dt><dd>{date_or_dash(r.appointment)}</dd>
                <dt>"Report received"</dt><dd>{date_or_dash(r.report_received)}</dd>
                <dt>"Routed to provider"</dt><dd>{date_or_dash(r.routed_to_provider)}</dd>
                {r.outcome.map(|o| view! { <dt>"Outcome"</dt><dd>{o.label()}</dd> })}
                <dt>"Notes"</dt><dd class="notes">{or_dash(&r.notes)}</dd>
            </dl>
        </section>
    }
}

/// The printed letter / fax cover sheet (shown only on paper).
#[component]
fn ReferralLetter(referral: Referral, patient: Option<Patient>, patient_name: String) -> impl IntoView {
    let state = expect_context::<AppState>();
    let (clinic, who) = state.settings.with_untracked(|s| (s.clinic_name.clone(), s.coordinator_name.clone()));
    let r = referral;
    let line = |label: &'static str, value: String| view! { <tr><th scope="row">{label}</th><td>{value}</td></tr> };
    view! {
        <section class="print-only letter">
            <p class="letter-from">{if clinic.is_empty() { "Referral".to_string() } else { clinic }}</p>
            <h2>"Referral · fax cover sheet"</h2>
            <p>{format!("Date: {} · To: {} · Urgency: {}", show_date(web::today()), r.referred_to, r.urgency.label())}</p>
            <table class="letter-table">
                <tbody>
                    {line("Patient", patient_name)}
                    {patient.as_ref().map(|p| view! {
                        {line("Date of birth", show_date(p.date_of_birth))}
                        {line("MRN", p.mrn.clone())}
                        {line("Phone", p.phone.clone())}
                        {line("Address", p.address.one_line())}
                        {line("Preferred language", if p.interpreter_needed { format!("{} (needs an interpreter)", p.preferred_language) } else { p.preferred_language.clone() })}
                    })}
                    {line("Kind", r.kind.label().to_string())}
                    {line("Reason for referral", r.reason.clone())}
                    {line("Referring provider", r.referring_provider.clone())}
                    {line("Prior authorization", r.prior_auth.describe())}
                    {line("Reply requested by", show_date(r.expected_reply))}
                    {line("Notes", r.notes.clone())}
                </tbody>
            </table>
            <p>"Please send the consultation report to the referring provider, attention of the care coordinator"
                {if who.is_empty() { String::new() } else { format!(" ({who})") }} "."</p>
            <p class="confidential">"Confidential: this message holds protected health information. If you received it in error, tell the sender and destroy it."</p>
        </section>
    }
}
