//! `/recalls`: patients overdue for a care item, the outreach made to bring them in
//! (date, method, outcome) and the list as CSV for a mail merge.

use leptos::prelude::*;

use crate::components::pending::Pending;

use crate::components::page::Page;
use crate::model::recall::{recall_list, OutreachDraft, OutreachMethod, OutreachOutcome, RecallEntry};
use crate::pages::{count_of, show_date, thousands};
use crate::state::{AppState, Notice};
use crate::web;

/// Rows drawn at once; the count and the CSV always cover the whole list.
const SHOWN: usize = 200;

#[component]
pub fn RecallsPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let today = web::today();
    let item = RwSignal::new(String::new());
    let show_settled = RwSignal::new(false);
    let selected = RwSignal::new(None::<RecallEntry>);
    let all = Memo::new(move |_| {
        if !state.registry.ready.get() {
            return Vec::new();
        }
        let it = item.get();
        state.panel.with(|p| {
            state.registry.with(|r| state.schedule.outreach.with(|o| recall_list(p, r, o, (!it.is_empty()).then_some(it.as_str()), today)))
        })
    });
    let list = Memo::new(move |_| {
        let settled = show_settled.get();
        all.with(|l| l.iter().filter(|e| settled || !e.settled()).cloned().collect::<Vec<_>>())
    });
    let items = move || state.registry.with(|r| r.rule_items());
    let export = move |_| {
        let text = list.with_untracked(|l| crate::io::recall_csv::write(l));
        match web::download(&format!("carecoord-recalls-{today}.csv"), "text/csv", &text) {
            Ok(()) => state.say(Notice::Done(format!("Exported {}.", count_of(list.with_untracked(Vec::len), "recall", "recalls")))),
            Err(m) => state.say(Notice::Failed(m)),
        }
    };
    view! {
        <Page title="Recalls" subtitle="Patients overdue for a care item, and the outreach made to bring them in.">
            <div class="toolbar card">
                <label for="recall-item" class="inline-label">"Care item"</label>
                <select id="recall-item" prop:value=move || item.get() on:change=move |ev| item.set(event_target_value(&ev))>
                    <option value="">"Every overdue item"</option>
                    <For each=items key=|i| i.clone() let((code, label))>
                        {
                            let this = code.clone();
                            view! { <option value=code selected=move || item.with(|i| *i == this)>{label}</option> }
                        }
                    </For>
                </select>
                <label class="check"><input type="checkbox" prop:checked=move || show_settled.get() on:change=move |ev| show_settled.set(event_target_checked(&ev))/>"Show settled (scheduled or declined)"</label>
                <button type="button" on:click=export>"Export recall list (CSV)"</button>
            </div>
            {move || (!state.registry.ready.get()).then(|| view! { <p class="loading">"Reading the problem lists…"</p> })}
            <p class="count" aria-live="polite">{move || {
                let n = list.with(Vec::len);
                if n > SHOWN { format!("{} overdue (the first {SHOWN} are shown; the CSV has them all).", thousands(n)) } else { format!("{} overdue.", count_of(n, "recall", "recalls")) }
            }}</p>
            {move || selected.get().map(|e| view! { <OutreachForm entry=e selected=selected/> })}
            <table class="recalls">
                <thead><tr><th scope="col">"Patient"</th><th scope="col">"Phone"</th><th scope="col">"Overdue for"</th><th scope="col">"Due since"</th><th scope="col">"Attempts"</th><th scope="col">"Last outcome"</th><th scope="col"><span class="visually-hidden">"Action"</span></th></tr></thead>
                <tbody>
                    // Keyed by patient and item, with what the row shows: a recorded attempt redraws that row only.
                    <For each=move || list.with(|l| l.iter().take(SHOWN).map(|e| (row_key(e), e.clone())).collect::<Vec<_>>()) key=|(k, _)| k.clone() let((_, e))>
                        {
                            let label = format!("Record outreach for {} ({})", e.patient_name, e.item_label);
                            let pick = e.clone();
                            view! {
                                <tr>
                                    <th scope="row"><a href=format!("/patients/{}", e.patient_id)>{e.patient_name.clone()}</a></th>
                                    <td>{e.phone.clone()}</td>
                                    <td>{e.item_label.clone()}</td>
                                    <td>{e.due_since.map(show_date).unwrap_or_else(|| "never done".into())}</td>
                                    <td>{e.attempts}</td>
                                    <td>{e.last_attempt.map(|(d, o)| format!("{} · {}", o.label(), show_date(d))).unwrap_or_default()}</td>
                                    <td><button type="button" aria-label=label on:click=move |_| selected.set(Some(pick.clone()))>"Record outreach"</button></td>
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>
        </Page>
    }
}

/// A recall row's key: the patient and the item, and every value the row shows.
type RowKey = (String, String, String, String, String, Option<chrono::NaiveDate>, usize, Option<(chrono::NaiveDate, &'static str)>);

fn row_key(e: &RecallEntry) -> RowKey {
    (e.patient_id.clone(), e.item.clone(), e.patient_name.clone(), e.phone.clone(), e.item_label.clone(), e.due_since, e.attempts, e.last_attempt.map(|(d, o)| (d, o.label())))
}

#[component]
fn OutreachForm(entry: RecallEntry, selected: RwSignal<Option<RecallEntry>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let start = OutreachDraft::default();
    let date = RwSignal::new(web::today().to_string());
    let method = RwSignal::new(start.method);
    let outcome = RwSignal::new(start.outcome);
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let heading = format!("Outreach to {} about {}", entry.patient_name, entry.item_label);
    let entry = StoredValue::new(entry);
    let saving = Pending::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let e = entry.get_value();
        let draft = OutreachDraft { date: date.get_untracked(), method: method.get_untracked(), outcome: outcome.get_untracked(), note: note.get_untracked() };
        let attempt = match draft.validate(&e.patient_id, &e.item, web::today(), web::new_id(), web::now()) {
            Ok(a) => a,
            Err(m) => return error.set(Some(m)),
        };
        saving.run(async move {
            match state.schedule.record_outreach(attempt).await {
                Ok(()) => {
                    selected.set(None);
                    state.say(Notice::Done(format!("Outreach to {} recorded.", e.patient_name)));
                }
                Err(m) => error.set(Some(m.to_string())),
            }
        });
    };
    view! {
        <form class="card inset" on:submit=submit aria-labelledby="out-heading" novalidate>
            <h2 id="out-heading">{heading}</h2>
            {move || error.get().map(|m| view! { <p role="alert" class="notice notice-failed">{m}</p> })}
            <div class="field-row">
                <div class="field"><label for="out-date">"Date"</label>
                    <input id="out-date" type="date" prop:value=move || date.get() on:input=move |ev| date.set(event_target_value(&ev))/></div>
                <div class="field"><label for="out-method">"Method"</label>
                    <select id="out-method" prop:value=move || method.get() on:change=move |ev| method.set(event_target_value(&ev))>
                        {OutreachMethod::ALL.iter().map(|&m| view! { <option value=m.code() selected=move || method.with(|x| x == m.code())>{m.label()}</option> }).collect_view()}
                    </select></div>
                <div class="field"><label for="out-outcome">"Outcome"</label>
                    <select id="out-outcome" prop:value=move || outcome.get() on:change=move |ev| outcome.set(event_target_value(&ev))>
                        {OutreachOutcome::ALL.iter().map(|&o| view! { <option value=o.code() selected=move || outcome.with(|x| x == o.code())>{o.label()}</option> }).collect_view()}
                    </select></div>
            </div>
            <div class="field"><label for="out-note">"Note"</label>
                <input id="out-note" type="text" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))/></div>
            <div class="form-actions">
                <button type="submit" class="primary" disabled=move || saving.get()>"Save outreach"</button>
                <button type="button" on:click=move |_| selected.set(None)>"Cancel"</button>
            </div>
        </form>
    }
}
