//! The referral form, for a new referral (with the patient to choose, unless given) and for
//! changes to one (with a note for its history). Each problem shows next to its field.

use leptos::prelude::*;

use crate::components::pending::Pending;

use crate::components::field::{options, Field, FieldValue, SelectField, TextAreaField};
use crate::components::patient_picker::{PatientChoice, PatientPicker};
use crate::model::dates;
use crate::model::patient::parse_date;
use crate::model::referral::{CommunityOutcome, PriorAuthStatus, Referral, ReferralDraft, ReferralField as F, ReferralFieldError, ReferralKind, Urgency};
use crate::state::{AppState, Failure, Notice, SaveError};
use crate::web;

/// `existing`: the referral being changed (`None` for a new one). `patient_id`: a new
/// referral's patient when already known (the patient page).
#[component]
pub fn ReferralForm(existing: Option<Referral>, #[prop(optional)] patient_id: Option<String>, on_done: Callback<Option<Referral>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let is_new = existing.is_none();
    let initial = existing.as_ref().map(Referral::to_draft).unwrap_or_else(|| ReferralDraft {
        patient_id: patient_id.clone().unwrap_or_default(),
        kind: ReferralKind::Specialty.code().into(),
        urgency: Urgency::Routine.code().into(),
        prior_auth: PriorAuthStatus::NotNeeded.code().into(),
        referring_provider: patient_id.as_ref().and_then(|id| state.panel.with_untracked(|p| p.get(id).map(|p| p.assigned_provider.clone()))).unwrap_or_default(),
        ..Default::default()
    });
    let draft = RwSignal::new(initial);
    let choice = PatientChoice::new(draft.with_untracked(|d| d.patient_id.clone()));
    let send_now = RwSignal::new(true);
    let note = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<ReferralFieldError>::new());
    // The referral as the form was drawn from it: its save is checked against the store.
    let base = StoredValue::new(existing);
    let destinations = move || {
        let mut v: Vec<String> = state.referrals.with(|l| l.iter().map(|r| r.referred_to.clone()).collect());
        // Community resources from the directory, so a referral can point at a service.
        if draft.with(ReferralDraft::is_community) {
            state.directory.with(|c| v.extend(c.services().iter().filter(|s| s.status.is_listed()).map(|s| s.name.clone())));
        }
        v.sort();
        v.dedup();
        v.truncate(2_500);
        v
    };
    // The patient's own provider is the likely referring provider.
    Effect::new(move |_| {
        let id = choice.id.get();
        if let Some(p) = state.panel.with_untracked(|p| p.get(&id).map(|p| p.assigned_provider.clone())) {
            if draft.with_untracked(|d| d.referring_provider.is_empty()) {
                draft.update(|d| d.referring_provider = p);
            }
        }
    });
    let default_reply = move || {
        let kind = draft.with(ReferralDraft::kind).unwrap_or_default();
        let created = parse_date(&draft.with(|d| d.created.clone())).unwrap_or_else(web::today);
        let s = state.settings.with(|s| s.referral);
        let how = match kind {
            ReferralKind::Specialty => format!("{} days", s.specialty_reply_days),
            ReferralKind::Community => format!("{} business days", s.community_reply_business_days),
        };
        format!("Empty: {} ({how} after it is made)", dates::short(s.default_expected_reply(kind, created)))
    };
    let saving = Pending::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut d = draft.get_untracked();
        d.patient_id = choice.settle();
        saving.run(async move {
            let result = match base.get_value() {
                None => state.referrals.create(d, send_now.get_untracked()).await,
                Some(base) => state.referrals.edit(base, d, note.get_untracked()).await,
            };
            match result {
                Ok(r) => {
                    errors.set(Vec::new());
                    state.say(Notice::Done(format!("Referral to {} saved.", r.referred_to)));
                    on_done.run(Some(r));
                }
                Err(SaveError::Fields(e)) => {
                    errors.set(e);
                    crate::components::patient_form::focus("referral-errors");
                }
                Err(SaveError::Failed(failure)) => {
                    errors.set(Vec::new());
                    if let (Failure::Stale(_), Some(id)) = (&failure, base.with_value(|b| b.as_ref().map(|b| b.id.clone()))) {
                        // Changed in another window, in the same fields: show what is stored
                        // now (the whole record, history included), and base the next save on it.
                        if let Ok(Some(current)) = state.referrals.full(id).await {
                            draft.set(current.to_draft());
                            base.set_value(Some(current));
                        }
                    }
                    state.say_failed(&failure);
                }
            }
        });
    };
    let error_of = move |field: F| errors.with(|e| e.iter().filter(|x| x.field == field).map(|x| x.message.clone()).collect::<Vec<_>>().join(" "));
    let error = move |field: F| Signal::derive(move || error_of(field));
    let value = move |get: fn(&ReferralDraft) -> String, set: fn(&mut ReferralDraft, String)| FieldValue::of(draft, get, set);
    // A destination typed or chosen: a directory service's name links the referral to it.
    let referred_to = FieldValue::new(
        move || draft.with(|d| d.referred_to.clone()),
        move |v| {
            let service = state.directory.with_untracked(|c| c.service_named(&v).map(|s| s.id.clone()));
            draft.update(|d| d.set_destination(v, service))
        },
    );
    let is_community = move || draft.with(ReferralDraft::is_community);
    view! {
        <form class="referral-form" on:submit=submit novalidate>
            <Show when=move || !errors.with(Vec::is_empty)>
                <div id="referral-errors" role="alert" tabindex="-1" class="form-summary">
                    {move || format!("The referral was not saved: {}", errors.with(|e| e.iter().map(|x| x.message.clone()).collect::<Vec<_>>().join(" ")))}
                </div>
            </Show>
            {(is_new && patient_id.is_none()).then(|| view! {
                <PatientPicker id="ref-patient" label="Patient" choice=choice required=true error=error(F::Patient)/>
            })}
            <div class="field-row">
                <SelectField id="ref-kind" label="Kind" value=value(|d| d.kind.clone(), |d, v| d.kind = v) error=error(F::Kind)
                    options=options(ReferralKind::ALL.iter().map(|k| (k.code(), k.label())))/>
                <Field id="ref-to" label="Referred to" required=true list="ref-destinations" value=referred_to error=error(F::ReferredTo)
                    hint=move || if draft.with(|d| !d.service_id.is_empty()) { "A service in the resource directory.".to_string() } else { String::new() }>
                    <datalist id="ref-destinations">
                        <For each=destinations key=|name| name.clone() let(name)>
                            <option value=name/>
                        </For>
                    </datalist>
                </Field>
                <SelectField id="ref-urgency" label="Urgency" value=value(|d| d.urgency.clone(), |d, v| d.urgency = v) error=error(F::Urgency)
                    options=options(Urgency::ALL.iter().map(|u| (u.code(), u.label())))/>
            </div>
            <TextAreaField id="ref-reason" label="Reason" required=true value=value(|d| d.reason.clone(), |d, v| d.reason = v) error=error(F::Reason)/>
            <div class="field-row">
                <Field id="ref-provider" label="Referring provider" value=value(|d| d.referring_provider.clone(), |d, v| d.referring_provider = v) error=error(F::ReferringProvider)/>
                <Field id="ref-created" label="Date made" kind="date" hint="Empty: today" value=value(|d| d.created.clone(), |d, v| d.created = v) error=error(F::Created)/>
                <Field id="ref-expected" label="Expected reply by" kind="date" hint=default_reply
                    value=value(|d| d.expected_reply.clone(), |d, v| d.expected_reply = v) error=error(F::ExpectedReply)/>
            </div>
            <fieldset>
                <legend>"Closing the loop"</legend>
                <div class="field-row">
                    <SelectField id="ref-pa" label="Prior authorization" value=value(|d| d.prior_auth.clone(), |d, v| d.prior_auth = v) error=error(F::PriorAuth)
                        options=options(PriorAuthStatus::ALL.iter().map(|p| (p.code(), p.label())))/>
                    <Field id="ref-pa-number" label="Authorization number" value=value(|d| d.prior_auth_number.clone(), |d, v| d.prior_auth_number = v) error=error(F::PriorAuthNumber)/>
                    <Field id="ref-pa-requested" label="Authorization requested on" kind="date"
                        value=value(|d| d.prior_auth_requested.clone(), |d, v| d.prior_auth_requested = v) error=error(F::PriorAuthRequested)/>
                </div>
                <div class="field-row">
                    <Field id="ref-records" label="Records forwarded" kind="date" value=value(|d| d.records_forwarded.clone(), |d, v| d.records_forwarded = v) error=error(F::RecordsForwarded)/>
                    <Field id="ref-appointment" label="Appointment date" kind="date" value=value(|d| d.appointment.clone(), |d, v| d.appointment = v) error=error(F::Appointment)/>
                    <Field id="ref-report" label="Report received" kind="date" value=value(|d| d.report_received.clone(), |d, v| d.report_received = v) error=error(F::ReportReceived)/>
                    <Field id="ref-routed" label="Routed to provider" kind="date" value=value(|d| d.routed_to_provider.clone(), |d, v| d.routed_to_provider = v) error=error(F::RoutedToProvider)/>
                </div>
                <Show when=is_community>
                    <SelectField id="ref-outcome" label="Outcome" value=value(|d| d.outcome.clone(), |d, v| d.outcome = v) error=error(F::Outcome)
                        options=options(std::iter::once(("", "Not known yet")).chain(CommunityOutcome::ALL.iter().map(|o| (o.code(), o.label()))))/>
                </Show>
            </fieldset>
            <TextAreaField id="ref-notes" label="Notes" value=value(|d| d.notes.clone(), |d, v| d.notes = v) error=error(F::Notes)/>
            {if is_new {
                view! { <label class="check"><input type="checkbox" prop:checked=move || send_now.get() on:change=move |ev| send_now.set(event_target_checked(&ev))/>"Sent now (status “requested”; untick to keep it as a draft)"</label> }.into_any()
            } else {
                view! { <div class="field"><label for="ref-note">"Note for the history (optional)"</label>
                    <input id="ref-note" type="text" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))/></div> }.into_any()
            }}
            <div class="form-actions">
                <button type="submit" class="primary" disabled=move || saving.get()>"Save"</button>
                <button type="button" on:click=move |_| on_done.run(None)>"Cancel"</button>
            </div>
        </form>
    }
}
