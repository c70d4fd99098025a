//! `/referrals`: the referral work list with its filters (a count beside each), the log as
//! CSV, and the summary for a date range. One click on **Overdue** shows what needs chasing.

use chrono::{Datelike, NaiveDate};
use leptos::prelude::*;

use crate::components::loading::WhenLoaded;
use crate::components::referral_form::ReferralForm;
use crate::model::patient::parse_date;
use crate::model::referral::{counts, Referral, ReferralFilter, ReferralKind, ReferralStatus};
use crate::model::referral_summary::{summary, SummaryLine};
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
    let tally = Memo::new(move |_| filter.with(|f| state.referrals.with(|l| counts(l.iter(), f, today, &settings()))));
    let shown = Memo::new(move |_| {
        let s = settings();
        filter.with(|f| {
            state.referrals.with(|l| {
                let mut idx: Vec<usize> = (0..l.len()).filter(|&i| f.matches(&l[i], today, &s)).collect();
                idx.sort_by(|&a, &b| l[b].created.cmp(&l[a].created).then_with(|| l[b].created_at.cmp(&l[a].created_at)));
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
    let done = Callback::new(move |_: Option<Referral>| adding.set(false));
    let overdue_on = move || filter.with(|f| f.overdue_only);
    let date_input = move |id: &'static str, label: &'static str, set: fn(&mut ReferralFilter, Option<NaiveDate>)| view! {
        <div class="field"><label for=id>{label}</label>
            <input id=id type="date" on:change=move |ev| { let d = parse_date(&event_target_value(&ev)); filter.update(|f| set(f, d)) }/></div>
    };
    view! {
        <h1>"Referrals"</h1>
        <WhenLoaded>
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
                    {move || format!("All ({})", thousands(tally.with(|t| t.by_status.iter().sum::<usize>())))}</button>
                <button type="button" class="overdue-tab" aria-pressed=move || overdue_on().to_string()
                    on:click=move |_| filter.update(|f| f.overdue_only = !f.overdue_only)>
                    {move || format!("Overdue ({})", thousands(tally.with(|t| t.overdue)))}</button>
            </div>
            <div class="toolbar filters">
                <div class="field"><label for="ref-filter-status">"Status"</label>
                    <select id="ref-filter-status" on:change=move |ev| { let s = ReferralStatus::parse(&event_target_value(&ev)); filter.update(|f| f.status = s) }>
                        <option value="" selected=move || filter.with(|f| f.status.is_none())>"Any status"</option>
                        {ReferralStatus::ALL.into_iter().map(|s| view! {
                            <option value=s.code() selected=move || filter.with(|f| f.status == Some(s))>{move || format!("{} ({})", s.label(), thousands(tally.with(|t| t.status(s))))}</option>
                        }).collect_view()}
                    </select></div>
                <div class="field"><label for="ref-filter-kind">"Specialty or community"</label>
                    <select id="ref-filter-kind" on:change=move |ev| { let k = ReferralKind::parse(&event_target_value(&ev)); filter.update(|f| f.kind = k) }>
                        <option value="">"Both kinds"</option>
                        {ReferralKind::ALL.into_iter().map(|k| view! { <option value=k.code()>{move || format!("{} ({})", k.label(), thousands(tally.with(|t| t.kind(k))))}</option> }).collect_view()}
                    </select></div>
                <div class="field"><label for="ref-filter-provider">"Referring provider"</label>
                    <select id="ref-filter-provider" on:change=move |ev| { let p = event_target_value(&ev); filter.update(|f| f.provider = (!p.is_empty()).then_some(p)) }>
                        <option value="">"Any provider"</option>
                        {move || providers.get().into_iter().map(|p| view! { <option value=p.clone()>{p.clone()}</option> }).collect_view()}
                    </select></div>
                {date_input("ref-filter-from", "Made from", |f, d| f.from = d)}
                {date_input("ref-filter-to", "Made to", |f, d| f.to = d)}
            </div>
            <p class="count" aria-live="polite">{move || {
                if !state.all_ready.get() {
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
                    {move || {
                        let s = settings();
                        shown.with(|idx| state.referrals.with(|l| state.panel.with(|p| idx.iter().take(SHOWN).map(|&i| {
                            let r = &l[i];
                            let name = p.get(&r.patient_id).map(|x| x.sort_name()).unwrap_or_else(|| "(not on the panel)".into());
                            let reasons = r.overdue(today, &s).iter().map(|o| o.label()).collect::<Vec<_>>().join("; ");
                            let late = !reasons.is_empty();
                            view! {
                                <tr class:overdue=late>
                                    <td><a href=format!("/patients/{}", r.patient_id)>{name}</a></td>
                                    <td><a href=format!("/referrals/{}", r.id)>{r.referred_to.clone()}</a></td>
                                    <td>{r.kind.label()}</td>
                                    <td>{r.urgency.label()}</td>
                                    <td class="status">{r.status.label()}</td>
                                    <td>{show_date(r.created)}</td>
                                    <td>{show_date(r.expected_reply)}</td>
                                    <td class="overdue-why">{reasons}</td>
                                </tr>
                            }
                        }).collect_view())))
                    }}
                </tbody>
            </table>
            <ReferralReport/>
        </WhenLoaded>
    }
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
    let row = move |label: String, l: &SummaryLine| {
        let pct = if l.made == 0 { "—".to_string() } else { format!("{}%", (200 * l.loop_closed + l.made) / (2 * l.made)) };
        view! {
            <tr><th scope="row">{label}</th><td>{thousands(l.made)}</td><td>{thousands(l.completed)}</td><td>{thousands(l.loop_closed)}</td><td>{pct}</td>
                <td>{days(l.median_days_to_appointment)}</td><td>{days(l.median_days_to_report)}</td></tr>
        }
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
            {move || report.with(|r| view! {
                <table class="gaps summary">
                    <thead><tr><th scope="col">""</th><th scope="col">"Made"</th><th scope="col">"Completed"</th><th scope="col">"Loop closed"</th><th scope="col">"Closed %"</th>
                        <th scope="col">"Median days to appointment"</th><th scope="col">"Median days to report"</th></tr></thead>
                    <tbody>
                        {row("All referrals".into(), &r.all)}
                        {r.by_kind.iter().map(|(k, l)| row(k.label().to_string(), l)).collect_view()}
                    </tbody>
                </table>
                <h3>"By destination"</h3>
                <table class="gaps summary">
                    <thead><tr><th scope="col">"Referred to"</th><th scope="col">"Made"</th><th scope="col">"Completed"</th><th scope="col">"Loop closed"</th><th scope="col">"Closed %"</th>
                        <th scope="col">"Median days to appointment"</th><th scope="col">"Median days to report"</th></tr></thead>
                    <tbody>{r.by_destination.iter().take(25).map(|(d, l)| row(d.clone(), l)).collect_view()}</tbody>
                </table>
            })}
        </section>
    }
}
