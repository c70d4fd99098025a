//! `/care-time`: the chronic-care month. Every eligible patient with the minutes logged in
//! the month and the codes reached, who is close to a threshold with the days left, the
//! patients with time who are not eligible (and why), and the month as CSV for billing.
//! The rules are `model::care_time`'s.

use leptos::prelude::*;

use crate::components::page::Page;
use crate::model::care_time::{codes_text, CareMonth, CareRow};
use crate::model::dates::YearMonth;
use crate::pages::{count_of, thousands};
use crate::state::{AppState, Notice};
use crate::web;

/// Rows drawn at once in each table; the counts and the CSV always cover the whole month.
/// Rows drawn at first in each list, and added by each "Show more" (the page stays quick
/// with 10,000 patients; the CSV has every row).
const SHOWN: usize = 100;

#[component]
pub fn CareTimePage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let today = web::today();
    let current = YearMonth::of(today);
    let month_text = RwSignal::new(current.code());
    let month = Memo::new(move |_| month_text.with(|t| YearMonth::parse(t)).unwrap_or(current));
    let care = Memo::new(move |_| {
        let m = month.get();
        state.panel.with(|p| state.registry.with(|r| state.day.contacts.with(|c| CareMonth::build(p, r, c, m))))
    });
    let close = Memo::new(move |_| care.with(|c| c.close_to_threshold(today)));
    let (close_shown, eligible_shown, others_shown) = (RwSignal::new(SHOWN), RwSignal::new(SHOWN), RwSignal::new(SHOWN));
    let more = move |shown: RwSignal<usize>, total: usize| {
        (move || {
            let left = total.saturating_sub(shown.get());
            (left > 0).then(|| view! {
                <button type="button" class="link-button" on:click=move |_| shown.update(|n| *n += 4 * SHOWN)>
                    {format!("Show {} more of {}", thousands(left.min(4 * SHOWN)), thousands(left))}
                </button>
            })
        }).into_any()
    };

    let export = move |_| {
        let (name, text, n) = care.with_untracked(|c| (crate::io::care_time_csv::file_name(c.month), crate::io::care_time_csv::write(c), c.eligible.len()));
        match web::download(&name, "text/csv", &text) {
            Ok(()) => state.say(Notice::Done(format!("Exported {} to CSV.", count_of(n, "patient", "patients")))),
            Err(m) => state.say(Notice::Failed(m)),
        }
    };

    let summary = move || {
        care.with(|c| {
            let minutes: u32 = c.eligible.iter().map(|r| r.minutes).sum();
            format!(
                "{}: {} eligible, {} with a code reached, {} logged for them.",
                c.month.label(),
                thousands(c.eligible.len()),
                thousands(c.billable()),
                count_of(minutes as usize, "minute", "minutes")
            )
        })
    };

    view! {
        <Page title="Care time" subtitle="Chronic care management: the minutes logged with each patient in a calendar month and the codes they reach.">
            <div class="toolbar">
                <label class="inline-label" for="care-month">"Month"</label>
                <input id="care-month" type="month" prop:value=move || month_text.get()
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if !v.is_empty() { month_text.set(v); }
                    }/>
                <button type="button" on:click=export>"Export month (CSV)"</button>
            </div>
            {move || if state.registry.ready.get() {
                view! {
                    <p class="count">{summary}</p>
                    <section class="card" aria-labelledby="close-heading">
                        <h2 id="close-heading">"Close to a threshold"</h2>
                        {move || if close.with(Vec::is_empty) {
                            view! { <p class="muted">{move || if care.with(|c| crate::model::care_time::days_left(c.month, today)) == 0 {
                                "The month is over."
                            } else {
                                "No eligible patient is within 5 minutes of a code."
                            }}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="close-list">
                                    <For each=move || close.with(|l| l.iter().take(close_shown.get()).cloned().collect::<Vec<_>>()) key=|n| (n.patient_id.clone(), n.minutes) let(n)>
                                        <li>
                                            <a href=format!("/patients/{}", n.patient_id)>{n.name.clone()}</a>
                                            {format!(
                                                ": {} logged, {} short of {} ({}); {} left in the month",
                                                count_of(n.minutes as usize, "minute", "minutes"),
                                                n.short_by,
                                                n.threshold,
                                                n.code,
                                                count_of(n.days_left as usize, "day", "days"),
                                            )}
                                        </li>
                                    </For>
                                </ul>
                                {move || more(close_shown, close.with(Vec::len))}
                            }.into_any()
                        }}
                    </section>
                    <section class="card" aria-labelledby="eligible-heading">
                        <h2 id="eligible-heading">"Eligible patients"</h2>
                        {move || if care.with(|c| c.eligible.is_empty()) {
                            view! { <p class="muted">"No patient is eligible this month: chronic care management needs two or more chronic conditions in the registry and CCM consent on file (set on the patient page, under Care profile)."</p> }.into_any()
                        } else {
                            view! {
                                <MonthTable rows=Signal::derive(move || care.with(|c| c.eligible.iter().take(eligible_shown.get()).cloned().collect())) eligible=true month=Signal::derive(move || month.get())/>
                                {move || more(eligible_shown, care.with(|c| c.eligible.len()))}
                            }.into_any()
                        }}
                    </section>
                    <Show when=move || care.with(|c| !c.others.is_empty())>
                        <section class="card" aria-labelledby="others-heading">
                            <h2 id="others-heading">"Time logged, not eligible"</h2>
                            <p class="muted">"Their minutes are not billed as chronic care management."</p>
                            <MonthTable rows=Signal::derive(move || care.with(|c| c.others.iter().take(others_shown.get()).cloned().collect())) eligible=false month=Signal::derive(move || month.get())/>
                            {move || more(others_shown, care.with(|c| c.others.len()))}
                        </section>
                    </Show>
                }.into_any()
            } else {
                view! { <p class="loading">"Reading the registry…"</p> }.into_any()
            }}
        </Page>
    }
}

/// The month's rows: eligible ones with their codes, complex mark and staff; the others
/// with the reason they are not eligible.
#[component]
fn MonthTable(rows: Signal<Vec<CareRow>>, eligible: bool, month: Signal<YearMonth>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let busy = RwSignal::new(false);
    let set_complex = move |patient_id: String, complex: bool| {
        busy.set(true);
        let m = month.get_untracked();
        leptos::task::spawn_local_scoped(async move {
            if let Err(f) = state.panel.set_complex(patient_id, m, complex).await {
                state.say_failed(&f);
            }
            busy.set(false);
        });
    };
    view! {
        <div class="wide-table">
            <table class="care-month">
                <thead><tr>
                    <th scope="col">"Patient"</th>
                    <th scope="col">"MRN"</th>
                    <th scope="col" class="num">"Minutes"</th>
                    {if eligible {
                        view! { <th scope="col">"Codes reached"</th><th scope="col">"Complex"</th><th scope="col">"Staff"</th> }.into_any()
                    } else {
                        view! { <th scope="col">"Not eligible because"</th><th scope="col">"Staff"</th> }.into_any()
                    }}
                </tr></thead>
                <tbody>
                    <For each=move || rows.get() key=|r| (r.patient_id.clone(), r.minutes, r.complex, r.contacts, r.staff.join("\n"), r.mrn.clone(), r.name.clone(), format!("{:?}", r.not_eligible)) let(r)>
                        <tr>
                            <th scope="row"><a href=format!("/patients/{}", r.patient_id)>{r.name.clone()}</a></th>
                            <td>{if r.mrn.is_empty() { "—".to_string() } else { r.mrn.clone() }}</td>
                            <td class="num">{r.minutes}</td>
                            {if eligible {
                                let codes = codes_text(&r.codes);
                                view! {
                                    <td>{if codes.is_empty() { "—".to_string() } else { codes }}</td>
                                    <td>
                                        {
                                            let id = r.patient_id.clone();
                                            view! {
                                                <input type="checkbox" aria-label=format!("Complex this month: {}", r.name) prop:checked=r.complex disabled=move || busy.get()
                                                    on:change=move |ev| set_complex(id.clone(), event_target_checked(&ev))/>
                                            }
                                        }
                                    </td>
                                }.into_any()
                            } else {
                                view! { <td>{r.not_eligible.iter().map(|n| n.label()).collect::<Vec<_>>().join("; ")}</td> }.into_any()
                            }}
                            <td>{if r.staff.is_empty() { "—".to_string() } else { r.staff.join(", ") }}</td>
                        </tr>
                    </For>
                </tbody>
            </table>
        </div>
    }
}
