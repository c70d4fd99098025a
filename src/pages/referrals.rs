//! `/referrals`: the referral work list with its filters (a count beside each), the log as
//! CSV, and the summary for a date range. One click on **Overdue** shows what needs chasing.

use chrono::{Datelike, NaiveDate};
use leptos::prelude::*;

use crate::components::page::Page;
use crate::components::referral_form::ReferralForm;
use crate::model::patient::parse_date;
use crate::model::referral::{counts, Referral, ReferralFilter, ReferralKind, ReferralStatus};
use crate::model::referral_summary::{summary, SummaryLine};
use crate::model::text::percent_text;
use crate::pages::{count_of, show_date, thousands};
use crate::state::{AppState, Notice};
use crate::web;

/// Rows drawn at once; counts and the CSV always cover the whole filtered list.
const SHOWN: usize = 200;

#[component]
pub fn ReferralsPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let today = web::today();
    let adding = RwSignal::new(false);
    let filter = RwSignal::new(ReferralFilter::default());
    let settings = move || state.settings.with(|s| s.referral);
    // A count beside a filter: "…" while the older referrals are still being read.
    let count = move |n: usize| if state.all_ready().get() { thousands(n) } else { "…".to_string() };
    let tally = Memo::new(move |_| filter.with(|f| state.referrals.with(|l| counts(l.iter(), f, today, &settings()))));
    let shown = Memo::new(move |_| {
        let s = settings();
        filter.with(|f| {
            state.referrals.with(|l| {
                let mut idx: Vec<usize> = (0..l.len()).filter(|&i| f.matches(&l[i], today, &s)).collect();
                idx.sort_by(|&a, &b| l[a].newest_first(&l[b]));
                idx
            })
        })
    });
    let providers = Memo::new(move |_| {
        let mut v: Vec<String> = state.referrals.with(|l| l.iter().map(|r| r.referring_provider.trim().to_string()).filter(|p| !p.is_empty()).collect());
        v.sort_by_key(|p| p.to_lowercase());
        v.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
        v
    });
    let export = move |_| {
        let s = settings();
        let text = shown.with_untracked(|idx| {
            state.referrals.with_untracked(|l| {
                state.panel.with_untracked(|p| {
                    crate::io::referrals_csv::write(idx.iter().map(|&i| &l[i]), |id| p.get(id).map(|x| (x.sort_name(), x.mrn.clone())).unwrap_or_default(), today, &s)
                })
            })
        });
        let n = shown.with_untracked(Vec::len);
        match web::download(&format!("carecoord-referrals-{today}.csv"), "text/csv", &text) {
            Ok(()) => state.say(Notice::Done(format!("Exported {} to CSV.", count_of(n, "referral", "referrals")))),
            Err(m) => state.say(Notice::Failed(m)),
        }
    };
    let rows = move || {
        let s = settings();
        shown.with(|idx| {
            state.referrals.with(|l| {
                state.panel.with(|p| {
                    idx.iter()
                        .take(SHOWN)
                        .map(|&i| {
                            let r = &l[i];
                            let overdue = r.overdue(today, &s).iter().map(|o| o.label()).collect::<Vec<_>>().join("; ");
                            WorkListRow {
                                id: r.id.clone(),
                                patient_id: r.patient_id.clone(),
                                patient: p.get(&r.patient_id).map(|x| x.sort_name()).unwrap_or_else(|| "(not on the panel)".into()),
                                referred_to: r.referred_to.clone(),
                                kind: r.kind.label(),
                                urgency: r.urgency.label(),
                                status: r.status.label(),
                                made: show_date(r.created),
                                reply_by: show_date(r.expected_reply),
                                late: !overdue.is_empty(),
                                overdue,
                            }
                        })
                        .collect::<Vec<_>>()
                })
            })
        })
    };
    let done = Callback::new(move |_: Option<Referral>| adding.set(false));
    let overdue_on = move || filter.with(|f| f.overdue_only);
    let date_input = move |id: &'static str, label: &'static str, set: fn(&mut ReferralFilter, Option<NaiveDate>)| view! {
        <div class="field"><label for=id>{label}</label>
            <input id=id type="date" on:change=move |ev| { let d = parse_date(&event_target_value(&ev)); filter.update(|f| set(f, d)) }/></div>
    };
    view! {
        <Page title="Referrals">
            <div class="toolbar">
                <button type="button" class="primary" aria-expanded=move || adding.get().to_string() on:click=move |_| adding.update(|a| *a = !*a)>"New referral"</button>
                <button type="button" on:click=export>"Export referral log (CSV)"</button>
            </div>
            <Show when=move || adding.get()>
                <section class="card" aria-labelledby="new-referral-heading">
                    <h2 id="new-referral-heading">"New referral"</h2>
                    <ReferralForm existing=None on_done=done/>
                </section>
            </Show>
            <div class="filter-tabs" role="group" aria-label="Show">
                <button type="button" aria-pressed=move || (!overdue_on() && filter.with(|f| f.status.is_none())).to_string()
                    on:click=move |_| filter.update(|f| { f.overdue_only = false; f.status = None; })>
                    {move || format!("All ({})", count(tally.with(|t| t.by_status.iter().sum::<usize>())))}</button>
                <button type="button" class="overdue-tab" aria-pressed=move || overdue_on().to_string()
                    on:click=move |_| filter.update(|f| f.overdue_only = !f.overdue_only)>
                    {move || format!("Overdue ({})", count(tally.with(|t| t.overdue)))}</button>
            </div>
            <div class="toolbar filters">
                <div class="field"><label for="ref-filter-status">"Status"</label>
                    <select id="ref-filter-status" on:change=move |ev| { let s = ReferralStatus::parse(&event_target_value(&ev)); filter.update(|f| f.status = s) }>
                        <option value="" selected=move || filter.with(|f| f.status.is_none())>"Any status"</option>
                        {ReferralStatus::ALL.into_iter().map(|s| view! {
                            <option value=s.code() selected=move || filter.with(|f| f.status == Some(s))>{move || format!("{} ({})", s.label(), count(tally.with(|t| t.status(s))))}</option>
                        }).collect_view()}
                    </select></div>
                <div class="field"><label for="ref-filter-kind">"Specialty or community"</label>
                    <select id="ref-filter-kind" on:change=move |ev| { let k = ReferralKind::parse(&event_target_value(&ev)); filter.update(|f| f.kind = k) }>
                        <option value="">"Both kinds"</option>
                        {ReferralKind::ALL.into_iter().map(|k| view! { <option value=k.code()>{move || format!("{} ({})", k.label(), count(tally.with(|t| t.kind(k))))}</option> }).collect_view()}
                    </select></div>
                <div class="field"><label for="ref-filter-provider">"Referring provider"</label>
                    <select id="ref-filter-provider" prop:value=move || filter.with(|f| f.provider.clone().unwrap_or_default())
                        on:change=move |ev| { let p = event_target_value(&ev); filter.update(|f| f.provider = (!p.is_empty()).then_some(p)) }>
                        <option value="">"Any provider"</option>
                        <For each=move || providers.get() key=|p| p.clone() let(p)>
                            {
                                let (this, text) = (p.clone(), p.clone());
                                view! { <option value=p selected=move || filter.with(|f| f.provider.as_ref() == Some(&this))>{text}</option> }
                            }
                        </For>
                    </select></div>
                {date_input("ref-filter-from", "Made from", |f, d| f.from = d)}
                {date_input("ref-filter-to", "Made to", |f, d| f.to = d)}
            </div>
            <p class="count" aria-live="polite">{move || {
                if !state.all_ready().get() {
                    return "Reading the referrals…".to_string();
                }
                let n = shown.with(Vec::len);
                let all = state.referrals.with(Vec::len);
                let more = if n > SHOWN { format!(" (the newest {SHOWN} are listed; narrow the filters or export the CSV for all)") } else { String::new() };
                format!("{} of {}{more}", thousands(n), count_of(all, "referral", "referrals"))
            }}</p>
            <table class="referrals" aria-label="Referral work list">
                <thead><tr>
                    <th scope="col">"Patient"</th><th scope="col">"Referred to"</th><th scope="col">"Kind"</th><th scope="col">"Urgency"</th>
                    <th scope="col">"Status"</th><th scope="col">"Made"</th><th scope="col">"Reply by"</th><th scope="col">"Overdue"</th>
                </tr></thead>
                <tbody>
                    // Keyed by referral and what its row shows: a change redraws that row only.
                    <For each=rows key=|row| row.clone() let(row)>
                        <tr class:overdue=row.late>
                            <td><a href=format!("/patients/{}", row.patient_id)>{row.patient}</a></td>
                            <td><a href=format!("/referrals/{}", row.id)>{row.referred_to}</a></td>
                            <td>{row.kind}</td>
                            <td>{row.urgency}</td>
                            <td class="status">{row.status}</td>
                            <td>{row.made}</td>
                            <td>{row.reply_by}</td>
                            <td class="overdue-why">{row.overdue}</td>
                        </tr>
                    </For>
                </tbody>
            </table>
            // Made from every referral: drawn once they are all read.
            <Show when=move || state.all_ready().get()>
                <ReferralReport/>
            </Show>
        </Page>
    }
}

/// One row of the referral work list, as shown.
#[derive(Clone, PartialEq, Eq, Hash)]
struct WorkListRow {
    id: String,
    patient_id: String,
    patient: String,
    referred_to: String,
    kind: &'static str,
    urgency: &'static str,
    status: &'static str,
    made: String,
    reply_by: String,
    /// Why it is overdue; empty when it is not.
    overdue: String,
    late: bool,
}

/// The summary for a date range: made, completed, loop closed, median days, by kind and by
/// destination.
#[component]
fn ReferralReport() -> impl IntoView {
    let state = expect_context::<AppState>();
    let today = web::today();
    let start = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    let from = RwSignal::new(start);
    let to = RwSignal::new(today);
    let report = Memo::new(move |_| state.referrals.with(|l| summary(l.iter(), from.get(), to.get())));
    let days = |d: Option<f64>| d.map_or("—".to_string(), |d| if d.fract() == 0.0 { format!("{d:.0}") } else { format!("{d:.1}") });
    // A row as shown: its label, then made, completed, loop closed, closed %, the two medians.
    let cells = move |label: String, l: &SummaryLine| {
        let pct = percent_text(l.loop_closed, l.made);
        (label, [thousands(l.made), thousands(l.completed), thousands(l.loop_closed), pct, days(l.median_days_to_appointment), days(l.median_days_to_report)])
    };
    let by_kind = move || report.with(|r| std::iter::once(cells("All referrals".into(), &r.all)).chain(r.by_kind.iter().map(|(k, l)| cells(k.label().to_string(), l))).collect::<Vec<_>>());
    let by_destination = move || report.with(|r| r.by_destination.iter().take(25).map(|(d, l)| cells(d.clone(), l)).collect::<Vec<_>>());
    let row = |(label, cells): (String, [String; 6])| view! {
        <tr><th scope="row">{label}</th>{cells.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}</tr>
    };
    view! {
        <section class="card" aria-labelledby="report-heading">
            <h2 id="report-heading">"Referral report"</h2>
            <div class="toolbar">
                <div class="field"><label for="report-from">"From"</label>
                    <input id="report-from" type="date" prop:value=move || from.get().to_string() on:change=move |ev| if let Some(d) = parse_date(&event_target_value(&ev)) { from.set(d) }/></div>
                <div class="field"><label for="report-to">"To"</label>
                    <input id="report-to" type="date" prop:value=move || to.get().to_string() on:change=move |ev| if let Some(d) = parse_date(&event_target_value(&ev)) { to.set(d) }/></div>
            </div>
            // Rows keyed by what they show: a new date range redraws only the rows that change.
            <table class="gaps summary">
                <thead><tr><th scope="col">""</th><th scope="col">"Made"</th><th scope="col">"Completed"</th><th scope="col">"Loop closed"</th><th scope="col">"Closed %"</th>
                    <th scope="col">"Median days to appointment"</th><th scope="col">"Median days to report"</th></tr></thead>
                <tbody>
                    <For each=by_kind key=|r| r.clone() children=row/>
                </tbody>
            </table>
            <h3>"By destination"</h3>
            <table class="gaps summary">
                <thead><tr><th scope="col">"Referred to"</th><th scope="col">"Made"</th><th scope="col">"Completed"</th><th scope="col">"Loop closed"</th><th scope="col">"Closed %"</th>
                    <th scope="col">"Median days to appointment"</th><th scope="col">"Median days to report"</th></tr></thead>
                <tbody>
                    <For each=by_destination key=|r| r.clone() children=row/>
                </tbody>
            </table>
        </section>
    }
}
