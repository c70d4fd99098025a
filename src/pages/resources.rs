//! `/resources`: the community resource directory. Search as you type by words, category,
//! language, city, "open now" and age; add, edit, verify and delete services; the review
//! list; referral counts per service; a printed handout in English or Spanish; HSDS export.

use std::collections::HashMap;

use leptos::prelude::*;

use crate::components::pending::Pending;

use crate::components::field::{options, Field, FieldValue, SelectField, TextAreaField};
use crate::components::page::Page;
use crate::components::service_card::ServiceCard;
use crate::model::catalog::{referrals_by_service, ServiceReferrals};
use crate::model::directory::{needs_review, Category, DirectoryQuery, Service, ServiceDraft, ServiceField as F, ServiceFieldError, ServiceStatus};
use crate::model::i18n::{t, Key, Lang};
use crate::pages::{count_of, show_date, thousands};
use crate::state::{AppState, Failure, Notice, SaveError};
use crate::web;

/// Services drawn at once; the count covers every match.
const SHOWN: usize = 25;

#[component]
pub fn ResourcesPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let today = web::today();
    let query = RwSignal::new(DirectoryQuery::default());
    let review_only = RwSignal::new(false);
    let editing = RwSignal::new(None::<Option<String>>); // Some(None): new; Some(Some(id)): edit
    let handout = RwSignal::new(Vec::<String>::new());
    let handout_lang = RwSignal::new(Lang::En);
    let months = move || state.settings.with(|s| s.review_after_months);
    let hits = Memo::new(move |_| {
        let now = web::local_now();
        let review = review_only.get();
        let m = months();
        query.with(|q| state.directory.with(|c| {
            let found = c.index().search(q, now);
            if review { found.into_iter().filter(|&i| needs_review(&c.services()[i], today, m)).collect() } else { found }
        }))
    });
    let review_count = Memo::new(move |_| {
        let m = months();
        state.directory.with(|c| c.services().iter().filter(|s| needs_review(s, today, m)).count())
    });
    let referral_counts = Memo::new(move |_| state.referrals.with(|l| referrals_by_service(l)));
    let set = move |f: fn(&mut DirectoryQuery, String)| move |ev: leptos::ev::Event| { let v = event_target_value(&ev); query.update(|q| f(q, v)) };
    let export_json = move |_| {
        let text = state.directory.with_untracked(|c| crate::io::hsds::export_json(c.organizations(), c.services()));
        if let Err(m) = web::download(&format!("carecoord-directory-{today}.hsds.json"), "application/json", &text) { state.say(Notice::Failed(m)) }
    };
    let export_csv = move |_| {
        let files: Vec<(String, Vec<u8>)> = state.directory.with_untracked(|c| crate::io::hsds::export_tabular(c.organizations(), c.services()))
            .into_iter().map(|(n, t)| (n, t.into_bytes())).collect();
        if let Err(m) = web::download_bytes(&format!("carecoord-directory-{today}.hsds-csv.zip"), "application/zip", &crate::io::zip::write(&files)) { state.say(Notice::Failed(m)) }
    };
    let print_handout = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        <Page title="Resources" screen_only=true>
            <div class="screen-only">
                <div class="toolbar">
                    <div class="field search-field">
                        <label for="resource-search">"Search resources"</label>
                        <input id="resource-search" type="search" autocomplete="off" placeholder="Food pantry, housing, rides, counselling…"
                            prop:value=move || query.with(|q| q.text.clone()) on:input=set(|q, v| q.text = v)/>
                    </div>
                    <div class="field"><label for="res-category">"Kind of need"</label>
                        <select id="res-category" on:change=set(|q, v| q.category = Category::parse(&v))>
                            <option value="">"All"</option>
                            {Category::ALL.into_iter().map(|c| view! { <option value=c.code()>{c.label()}</option> }).collect_view()}
                        </select></div>
                    <div class="field"><label for="res-language">"Spoken language"</label>
                        <select id="res-language" prop:value=move || query.with(|q| q.language.clone().unwrap_or_default()) on:change=set(|q, v| q.language = (!v.is_empty()).then_some(v))>
                            <option value="">"Any"</option>
                            <For each=move || state.directory.with(|c| c.index().languages().to_vec()) key=|l| l.clone() let(l)>
                                {
                                    let (this, text) = (l.clone(), l.clone());
                                    view! { <option value=l selected=move || query.with(|q| q.language.as_ref() == Some(&this))>{text}</option> }
                                }
                            </For>
                        </select></div>
                    <div class="field"><label for="res-city">"Town or city"</label>
                        <select id="res-city" prop:value=move || query.with(|q| q.city.clone().unwrap_or_default()) on:change=set(|q, v| q.city = (!v.is_empty()).then_some(v))>
                            <option value="">"Any"</option>
                            <For each=move || state.directory.with(|c| c.index().cities().to_vec()) key=|l| l.clone() let(l)>
                                {
                                    let (this, text) = (l.clone(), l.clone());
                                    view! { <option value=l selected=move || query.with(|q| q.city.as_ref() == Some(&this))>{text}</option> }
                                }
                            </For>
                        </select></div>
                    <div class="field age-field"><label for="res-age">"Person's age"</label>
                        <input id="res-age" type="number" min="0" max="120" inputmode="numeric" on:input=set(|q, v| q.age = v.trim().parse().ok())/></div>
                    <label class="check"><input type="checkbox" on:change=move |ev| { let on = event_target_checked(&ev); query.update(|q| q.open_now = on) }/>"Open now"</label>
                    <label class="check"><input type="checkbox" on:change=move |ev| { let on = event_target_checked(&ev); query.update(|q| q.include_inactive = on) }/>"Show inactive"</label>
                </div>
                <div class="toolbar">
                    <button type="button" class="primary" on:click=move |_| editing.set(Some(None))>"Add resource"</button>
                    <button type="button" aria-pressed=move || review_only.get().to_string() on:click=move |_| review_only.update(|r| *r = !*r)>
                        {move || format!("Needs review ({})", thousands(review_count.get()))}</button>
                    <button type="button" on:click=export_json>"Export directory (HSDS JSON)"</button>
                    <button type="button" on:click=export_csv>"Export directory (HSDS CSV zip)"</button>
                    <crate::pages::kiosk_mode::StartKiosk/>
                </div>
                <details class="card publish-help screen-only">
                    <summary>"Publish the directory to every kiosk tablet"</summary>
                    <ol>
                        <li>"Click " <strong>"Export directory (HSDS JSON)"</strong> "."</li>
                        <li>"Rename the downloaded file to " <code>"directory.json"</code> "."</li>
                        <li>"Put it on the clinic's web host beside CareCoord's " <code>"index.html"</code> " (the folder that also holds " <code>"kiosk/"</code> "), replacing the old one."</li>
                    </ol>
                    <p>"Each kiosk tablet checks for that file whenever it starts and takes it when it is newer than the directory it holds, then keeps it for when there is no network. To update every tablet, replace that one file. A file with a mistake in it is not used: the tablets keep what they have."</p>
                </details>
                {move || editing.get().map(|id| view! { <ServiceForm id=id close=editing/> })}
                <Show when=move || !handout.with(Vec::is_empty)>
                    <div class="card handout-bar">
                        <strong>{move || format!("Handout: {}", count_of(handout.with(Vec::len), "service", "services"))}</strong>
                        <label for="handout-lang" class="inline-label">"Handout language"</label>
                        <select id="handout-lang" prop:value=move || handout_lang.get().code() on:change=move |ev| handout_lang.set(Lang::from_code(&event_target_value(&ev)).unwrap_or(Lang::En))>
                            {Lang::ALL.into_iter().map(|l| view! { <option value=l.code() selected=move || handout_lang.get() == l>{l.own_name()}</option> }).collect_view()}
                        </select>
                        <button type="button" class="primary" on:click=print_handout>"Print handout"</button>
                        <button type="button" on:click=move |_| handout.set(Vec::new())>"Clear handout"</button>
                    </div>
                </Show>
                <p class="count" aria-live="polite">{move || {
                    if !state.directory.ready.get() {
                        return "Reading the directory…".to_string();
                    }
                    let n = hits.with(Vec::len);
                    let all = state.directory.with(|c| c.len());
                    let more = if n > SHOWN { format!(" (the first {SHOWN} are shown; narrow the search)") } else { String::new() };
                    format!("{} of {}{more}", thousands(n), count_of(all, "resource", "resources"))
                }}</p>
                {move || (state.directory.with(|c| c.is_empty()) && state.directory.ready.get()).then(|| view! {
                    <p class="card empty">"The directory is empty. " <strong>"Add resource"</strong> " here, or import an Open Referral (HSDS) file on the " <a href="/data">"Data"</a> " page."</p>
                })}
                <ul class="resources">
                    // Keyed by service id: typing keeps the cards still listed; each redraws when its own service changes.
                    <For each=move || hits.with(|h| state.directory.with(|c| h.iter().take(SHOWN).map(|&i| c.services()[i].id.clone()).collect::<Vec<_>>()))
                        key=|id| id.clone() let(id)>
                        <ResourceItem id=id referral_counts=referral_counts editing=editing handout=handout/>
                    </For>
                </ul>
            </div>
            <Handout ids=handout lang=handout_lang/>
        </Page>
    }
}

/// One service in the list, drawn again when that service (or its referral counts, or the
/// review period) changes.
#[component]
fn ResourceItem(
    id: String,
    referral_counts: Memo<HashMap<String, ServiceReferrals>>,
    editing: RwSignal<Option<Option<String>>>,
    handout: RwSignal<Vec<String>>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let today = web::today();
    let id = StoredValue::new(id);
    let service = Memo::new(move |_| id.with_value(|id| state.directory.with(|c| c.service(id).cloned())));
    let refs = Memo::new(move |_| id.with_value(|id| referral_counts.with(|r| r.get(id).cloned())));
    let months = Memo::new(move |_| state.settings.with(|s| s.review_after_months));
    let review = move || service.with(|s| s.as_ref().is_some_and(|s| needs_review(s, today, months.get())));
    let confirming = RwSignal::new(false);
    let verify = move |_| {
        leptos::task::spawn_local_scoped(async move {
            match state.directory.verify(id.get_value()).await {
                Ok(()) => state.say(Notice::Done("Marked as verified today.".into())),
                Err(m) => state.say_failed(&m),
            }
        });
    };
    let delete = move |_| {
        if !confirming.get_untracked() {
            return confirming.set(true);
        }
        leptos::task::spawn_local_scoped(async move {
            match state.directory.delete(id.get_value()).await {
                Ok(n) => state.say(Notice::Done(format!("Deleted {n} from the directory."))),
                Err(m) => state.say_failed(&m),
            }
        });
    };
    view! {
        <li class="resource" class:needs-review=review>
            {move || service.get().map(|service| {
                let name = service.name.clone();
                let verified = service.last_verified();
                let inactive = service.status != ServiceStatus::Active;
                view! {
                    <ServiceCard service=service.clone() lang=Lang::En now=web::local_now()/>
                    <p class="resource-meta">
                        {inactive.then(|| view! { <span class="gap gap-na">{service.status.label()}</span> " " })}
                        {format!("Information checked: {}", verified.map(show_date).unwrap_or_else(|| "never".into()))}
                        {move || review().then(|| view! { " " <span class="gap gap-due">"Needs review"</span> })}
                        {move || refs.get().map(|r| format!(" · {}", r.describe()))}
                    </p>
                    <div class="resource-actions">
                        <label class="check"><input type="checkbox" prop:checked=move || handout.with(|h| h.contains(&id.get_value()))
                            on:change=move |ev| { let on = event_target_checked(&ev); handout.update(|h| { h.retain(|x| *x != id.get_value()); if on { h.push(id.get_value()) } }) }/>
                            "Add to handout"</label>
                        <button type="button" class="small" aria-label=format!("Edit {name}") on:click=move |_| editing.set(Some(Some(id.get_value())))>"Edit"</button>
                        <button type="button" class="small" aria-label=format!("Mark verified: {name}") on:click=verify>"Mark verified"</button>
                        <button type="button" class="small danger" aria-label=format!("Delete {name}") on:click=delete>{move || if confirming.get() { "Confirm delete" } else { "Delete" }}</button>
                    </div>
                }
            })}
        </li>
    }
}

#[component]
fn ServiceForm(id: Option<String>, close: RwSignal<Option<Option<String>>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let existing = id.as_ref().and_then(|id| state.directory.with_untracked(|c| c.service(id).cloned()));
    let heading = existing.as_ref().map_or("New resource".to_string(), |s| format!("Edit {}", s.name));
    let draft = RwSignal::new(existing.as_ref().map(Service::to_draft).unwrap_or_default());
    let errors = RwSignal::new(Vec::<ServiceFieldError>::new());
    // The service as the form was drawn from it: its save is checked against the store.
    let base = StoredValue::new(existing);
    let id = StoredValue::new(id);
    let saving = Pending::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let d = draft.get_untracked();
        saving.run(async move {
            match state.directory.save_service(d, base.get_value()).await {
                Ok(s) => {
                    close.set(None);
                    state.say(Notice::Done(format!("Saved {}.", s.name)));
                }
                Err(SaveError::Fields(e)) => errors.set(e),
                Err(SaveError::Failed(failure)) => {
                    errors.set(Vec::new());
                    if let (Failure::Stale(_), Some(id)) = (&failure, id.get_value()) {
                        if let Some(current) = state.directory.with_untracked(|c| c.service(&id).cloned()) {
                            draft.set(current.to_draft());
                            base.set_value(Some(current));
                        }
                    }
                    state.say_failed(&failure);
                }
            }
        });
    };
    let error = move |field: F| Signal::derive(move || errors.with(|e| e.iter().filter(|x| x.field == field).map(|x| x.message.clone()).collect::<Vec<_>>().join(" ")));
    let value = move |get: fn(&ServiceDraft) -> String, set: fn(&mut ServiceDraft, String)| FieldValue::of(draft, get, set);
    // Shown by code, whether the draft holds the code or the label.
    let category = FieldValue::new(
        move || draft.with(|d| Category::parse(&d.category).map_or_else(|| d.category.clone(), |c| c.code().to_string())),
        move |v| draft.update(|d| d.category = v),
    );
    let status = FieldValue::new(move || draft.with(|d| ServiceStatus::parse(&d.status).unwrap_or_default().code().to_string()), move |v| draft.update(|d| d.status = v));
    view! {
        <form class="card inset" on:submit=submit novalidate aria-labelledby="service-form-heading">
            <h2 id="service-form-heading">{heading}</h2>
            <Show when=move || !errors.with(Vec::is_empty)>
                <div role="alert" class="form-summary">{move || format!("The resource was not saved: {}", errors.with(|e| e.iter().map(|x| x.message.clone()).collect::<Vec<_>>().join(" ")))}</div>
            </Show>
            <div class="field-row">
                <Field id="svc-name" label="Name" required=true value=value(|d| d.name.clone(), |d, v| d.name = v) error=error(F::Name)/>
                <Field id="svc-org" label="Organization" required=true value=value(|d| d.organization.clone(), |d, v| d.organization = v) error=error(F::Organization)/>
                <SelectField id="svc-category" label="Category" value=category error=error(F::Category)
                    options=options(std::iter::once(("", "Work it out from the name")).chain(Category::ALL.into_iter().map(|c| (c.code(), c.label()))))/>
            </div>
            <div class="field-row">
                <Field id="svc-phone" label="Phone" kind="tel" value=value(|d| d.phone.clone(), |d, v| d.phone = v) error=error(F::Phone)/>
                <Field id="svc-address" label="Address" hint="Street, city, state ZIP" value=value(|d| d.address.clone(), |d, v| d.address = v) error=error(F::Address)/>
            </div>
            <div class="field-row">
                <Field id="svc-languages" label="Languages" hint="English, Spanish" value=value(|d| d.languages.clone(), |d, v| d.languages = v) error=error(F::Languages)/>
                <Field id="svc-hours" label="Hours" hint="Mon-Fri 09:00-17:00; Sat 10:00-14:00" value=value(|d| d.hours.clone(), |d, v| d.hours = v) error=error(F::Hours)/>
            </div>
            <div class="field-row">
                <Field id="svc-min-age" label="Minimum age" value=value(|d| d.minimum_age.clone(), |d, v| d.minimum_age = v) error=error(F::MinimumAge)/>
                <Field id="svc-max-age" label="Maximum age" value=value(|d| d.maximum_age.clone(), |d, v| d.maximum_age = v) error=error(F::MaximumAge)/>
                <Field id="svc-url" label="Website" value=value(|d| d.url.clone(), |d, v| d.url = v) error=error(F::Url)/>
                <SelectField id="svc-status" label="Status" value=status
                    options=options([ServiceStatus::Active, ServiceStatus::TemporarilyClosed, ServiceStatus::Inactive, ServiceStatus::Defunct].into_iter().map(|s| (s.code(), s.label())))/>
            </div>
            <Field id="svc-eligibility" label="Eligibility" value=value(|d| d.eligibility.clone(), |d, v| d.eligibility = v)/>
            <Field id="svc-fees" label="Fees" value=value(|d| d.fees.clone(), |d, v| d.fees = v)/>
            <Field id="svc-apply" label="How to apply" value=value(|d| d.application_process.clone(), |d, v| d.application_process = v)/>
            <TextAreaField id="svc-description" label="Description" rows=3 value=value(|d| d.description.clone(), |d, v| d.description = v)/>
            <div class="form-actions">
                <button type="submit" class="primary" disabled=move || saving.get()>"Save"</button>
                <button type="button" on:click=move |_| close.set(None)>"Cancel"</button>
            </div>
        </form>
    }
}

/// The printed handout: the chosen services in large type (shown only on paper).
#[component]
fn Handout(ids: RwSignal<Vec<String>>, lang: RwSignal<Lang>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let clinic = move || state.settings.with(|s| s.clinic_name.clone());
    // The chosen services that are still in the directory, in the order chosen.
    let chosen = move || ids.with(|ids| state.directory.with(|c| ids.iter().filter(|id| c.service(id).is_some()).cloned().collect::<Vec<_>>()));
    view! {
        <section class="print-only handout" lang=move || lang.get().code()>
            <h2>{move || t(lang.get(), Key::HandoutTitle)}</h2>
            {move || { let c = clinic(); (!c.is_empty()).then(|| view! { <p>{c}</p> }) }}
            // Keyed by service and language: a card is drawn again when either changes.
            <For each=move || { let l = lang.get(); chosen().into_iter().map(move |id| (id, l)).collect::<Vec<_>>() } key=|entry| entry.clone() let((id, l))>
                {move || state.directory.with(|c| c.service(&id).cloned()).map(|s| view! { <ServiceCard service=s lang=l now=web::local_now() full=true/> })}
            </For>
        </section>
    }
}
