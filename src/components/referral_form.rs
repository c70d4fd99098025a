//! The referral form, for a new referral (with the patient to choose, unless given) and for
//! changes to one (with a note for its history). Each problem shows next to its field.

use leptos::prelude::*;

use crate::components::patient_picker::PatientPicker;
use crate::model::dates;
use crate::model::patient::parse_date;
use crate::model::referral::{CommunityOutcome, PriorAuthStatus, Referral, ReferralDraft, ReferralField as F, ReferralFieldError, ReferralKind, Urgency};
use crate::state::{AppState, Notice};
use crate::web;

/// `existing`: the referral being changed (`None` for a new one). `patient_id`: a new
/// referral's patient when already known (the patient page).
#[component]
pub fn ReferralForm(existing: Option<Referral>, #[prop(optional)] patient_id: Option<String>, on_done: Callback<Option<Referral>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let is_new = existing.is_none();
    let initial = existing.as_ref().map(Referral::to_draft).unwrap_or_else(|| ReferralDraft {
        patient_id: patient_id.clone().unwrap_or_default(),
        kind: "specialty".into(),
        urgency: "routine".into(),
        prior_auth: "not_needed".into(),
        referring_provider: patient_id.as_ref().and_then(|id| state.panel.with_untracked(|p| p.get(id).map(|p| p.assigned_provider.clone()))).unwrap_or_default(),
        ..Default::default()
    });
    let draft = RwSignal::new(initial);
    let chosen = RwSignal::new(draft.with_untracked(|d| d.patient_id.clone()));
    let send_now = RwSignal::new(true);
    let note = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<ReferralFieldError>::new());
    let existing_id = existing.as_ref().map(|r| r.id.clone());
    let destinations = move || {
        let mut v: Vec<String> = state.referrals.with(|l| l.iter().map(|r| r.referred_to.clone()).collect());
        // Community resources from the directory, so a referral can point at a service.
        if draft.with(|d| d.kind == "community") {
            state.catalog.with(|c| v.extend(c.services().iter().filter(|s| s.status.is_listed()).map(|s| s.name.clone())));
        }
        v.sort();
        v.dedup();
        v.truncate(2_500);
        v
    };
    // The patient's own provider is the likely referring provider.
    Effect::new(move |_| {
        let id = chosen.get();
        if let Some(p) = state.panel.with_untracked(|p| p.get(&id).map(|p| p.assigned_provider.clone())) {
            if draft.with_untracked(|d| d.referring_provider.is_empty()) {
                draft.update(|d| d.referring_provider = p);
            }
        }
    });
    let default_reply = move || {
        let kind = ReferralKind::parse(&draft.with(|d| d.kind.clone())).unwrap_or_default();
        let created = parse_date(&draft.with(|d| d.created.clone())).unwrap_or_else(web::today);
        let s = state.settings.with(|s| s.referral);
        let how = match kind {
            ReferralKind::Specialty => format!("{} days", s.specialty_reply_days),
            ReferralKind::Community => format!("{} business days", s.community_reply_business_days),
        };
        format!("Empty: {} ({how} after it is made)", dates::short(s.default_expected_reply(kind, created)))
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut d = draft.get_untracked();
        d.patient_id = chosen.get_untracked();
        let id = existing_id.clone();
        leptos::task::spawn_local_scoped(async move {
            let result = match id {
                None => state.create_referral(d, send_now.get_untracked()).await,
                Some(id) => state.edit_referral(id, d, note.get_untracked()).await,
            };
            match result {
                Ok(r) => {
                    errors.set(Vec::new());
                    state.say(Notice::Done(format!("Referral to {} saved.", r.referred_to)));
                    on_done.run(Some(r));
                }
                Err(e) => {
                    errors.set(e);
                    crate::components::patient_form::focus("referral-errors");
                }
            }
        });
    };
    let error_of = move |field: F| errors.with(|e| e.iter().filter(|x| x.field == field).map(|x| x.message.clone()).collect::<Vec<_>>().join(" "));
    let text = move |id: &'static str, label: &'static str, field: F, kind: &'static str, get: fn(&ReferralDraft) -> String, set: fn(&mut ReferralDraft, String)| {
        let err_id = format!("{id}-error");
        view! {
            <div class="field" class:invalid=move || !error_of(field).is_empty()>
                <label for=id>{label}</label>
                <input id=id type=kind prop:value=move || draft.with(get) aria-describedby=err_id.clone()
                    aria-invalid=move || (!error_of(field).is_empty()).to_string()
                    on:input=move |ev| draft.update(|d| set(d, event_target_value(&ev)))/>
                <p class="field-error" id=err_id>{move || error_of(field)}</p>
            </div>
        }
    };
    let select = move |id: &'static str, label: &'static str, field: F, options: Vec<(&'static str, &'static str)>, get: fn(&ReferralDraft) -> String, set: fn(&mut ReferralDraft, String)| {
        view! {
            <div class="field" class:invalid=move || !error_of(field).is_empty()>
                <label for=id>{label}</label>
                <select id=id prop:value=move || draft.with(get) on:change=move |ev| draft.update(|d| set(d, event_target_value(&ev)))>
                    {options.into_iter().map(|(code, label)| view! { <option value=code selected=move || draft.with(get) == code>{label}</option> }).collect_view()}
                </select>
                <p class="field-error">{move || error_of(field)}</p>
            </div>
        }
    };
    let is_community = move || draft.with(|d| d.kind == "community");
    view! {
        <form class="referral-form" on:submit=submit novalidate>
            <Show when=move || !errors.with(Vec::is_empty)>
                <div id="referral-errors" role="alert" tabindex="-1" class="form-summary">
                    {move || format!("The referral was not saved: {}", errors.with(|e| e.iter().map(|x| x.message.clone()).collect::<Vec<_>>().join(" ")))}
                </div>
            </Show>
            {is_new.then(|| match patient_id.clone() {
                Some(_) => view! { <span></span> }.into_any(),
                None => view! {
                    <PatientPicker id="ref-patient" label="Patient" chosen=chosen/>
                    <p class="field-error">{move || error_of(F::Patient)}</p>
                }.into_any(),
            })}
            <div class="field-row">
                {select("ref-kind", "Kind", F::Kind, ReferralKind::ALL.iter().map(|k| (k.code(), k.label())).collect(), |d| d.kind.clone(), |d, v| d.kind = v)}
                <div class="field" class:invalid=move || !error_of(F::ReferredTo).is_empty()>
                    <label for="ref-to">"Referred to"</label>
                    <input id="ref-to" type="text" list="ref-destinations" prop:value=move || draft.with(|d| d.referred_to.clone())
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            let service = state.catalog.with_untracked(|c| c.service_named(&v).map(|s| s.id.clone()));
                            draft.update(|d| { d.referred_to = v; d.service_id = if d.kind == "community" { service.unwrap_or_default() } else { String::new() }; })
                        }/>
                    {move || draft.with(|d| !d.service_id.is_empty()).then(|| view! { <p class="hint">"A service in the resource directory."</p> })}
                    <datalist id="ref-destinations">{move || destinations().into_iter().map(|p| view! { <option value=p/> }).collect_view()}</datalist>
                    <p class="field-error">{move || error_of(F::ReferredTo)}</p>
                </div>
                {select("ref-urgency", "Urgency", F::Urgency, Urgency::ALL.iter().map(|u| (u.code(), u.label())).collect(), |d| d.urgency.clone(), |d, v| d.urgency = v)}
            </div>
            <div class="field" class:invalid=move || !error_of(F::Reason).is_empty()>
                <label for="ref-reason">"Reason"</label>
                <textarea id="ref-reason" rows="2" prop:value=move || draft.with(|d| d.reason.clone()) on:input=move |ev| draft.update(|d| d.reason = event_target_value(&ev))></textarea>
                <p class="field-error">{move || error_of(F::Reason)}</p>
            </div>
            <div class="field-row">
                {text("ref-provider", "Referring provider", F::ReferringProvider, "text", |d| d.referring_provider.clone(), |d, v| d.referring_provider = v)}
                <div class="field" class:invalid=move || !error_of(F::Created).is_empty()>
                    <label for="ref-created">"Date made"</label>
                    <input id="ref-created" type="date" prop:value=move || draft.with(|d| d.created.clone()) on:input=move |ev| draft.update(|d| d.created = event_target_value(&ev))/>
                    <p class="hint">"Empty: today"</p>
                    <p class="field-error">{move || error_of(F::Created)}</p>
                </div>
                <div class="field" class:invalid=move || !error_of(F::ExpectedReply).is_empty()>
                    <label for="ref-expected">"Expected reply by"</label>
                    <input id="ref-expected" type="date" prop:value=move || draft.with(|d| d.expected_reply.clone()) on:input=move |ev| draft.update(|d| d.expected_reply = event_target_value(&ev))/>
                    <p class="hint">{default_reply}</p>
                    <p class="field-error">{move || error_of(F::ExpectedReply)}</p>
                </div>
            </div>
            <fieldset>
                <legend>"Closing the loop"</legend>
                <div class="field-row">
                    {select("ref-pa", "Prior authorization", F::PriorAuth, PriorAuthStatus::ALL.iter().map(|p| (p.code(), p.label())).collect(), |d| d.prior_auth.clone(), |d, v| d.prior_auth = v)}
                    {text("ref-pa-number", "Authorization number", F::PriorAuthNumber, "text", |d| d.prior_auth_number.clone(), |d, v| d.prior_auth_number = v)}
                    {text("ref-pa-requested", "Authorization requested on", F::PriorAuthRequested, "date", |d| d.prior_auth_requested.clone(), |d, v| d.prior_auth_requested = v)}
                </div>
                <div class="field-row">
                    {text("ref-records", "Records forwarded", F::RecordsForwarded, "date", |d| d.records_forwarded.clone(), |d, v| d.records_forwarded = v)}
                    {text("ref-appointment", "Appointment date", F::Appointment, "date", |d| d.appointment.clone(), |d, v| d.appointment = v)}
                    {text("ref-report", "Report received", F::ReportReceived, "date", |d| d.report_received.clone(), |d, v| d.report_received = v)}
                    {text("ref-routed", "Routed to provider", F::RoutedToProvider, "date", |d| d.routed_to_provider.clone(), |d, v| d.routed_to_provider = v)}
                </div>
                <Show when=is_community>
                    {select("ref-outcome", "Outcome", F::Outcome,
                        std::iter::once(("", "Not known yet")).chain(CommunityOutcome::ALL.iter().map(|o| (o.code(), o.label()))).collect(),
                        |d| d.outcome.clone(), |d, v| d.outcome = v)}
                </Show>
            </fieldset>
            <div class="field">
                <label for="ref-notes">"Notes"</label>
                <textarea id="ref-notes" rows="2" prop:value=move || draft.with(|d| d.notes.clone()) on:input=move |ev| draft.update(|d| d.notes = event_target_value(&ev))></textarea>
                <p class="field-error">{move || error_of(F::Notes)}</p>
            </div>
            {if is_new {
                view! { <label class="check"><input type="checkbox" prop:checked=move || send_now.get() on:change=move |ev| send_now.set(event_target_checked(&ev))/>"Sent now (status “requested”; untick to keep it as a draft)"</label> }.into_any()
            } else {
                view! { <div class="field"><label for="ref-note">"Note for the history (optional)"</label>
                    <input id="ref-note" type="text" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))/></div> }.into_any()
            }}
            <div class="form-actions">
                <button type="submit" class="primary">"Save"</button>
                <button type="button" on:click=move |_| on_done.run(None)>"Cancel"</button>
            </div>
        </form>
    }
}
