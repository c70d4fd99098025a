//! The printed huddle sheet: one page per provider.

use chrono::NaiveDate;
use leptos::prelude::*;

use crate::model::appointment::{day_by_provider, ChecklistItem};
use crate::model::dates;
use crate::pages::count_of;
use crate::state::AppState;

use super::{open_gaps, open_referrals, provider_name};

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
pub(super) fn HuddleSheet(day: RwSignal<NaiveDate>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let clinic = move || state.settings.with(|s| s.clinic_name.clone());
    let pages = Memo::new(move |_| {
        let d = day.get();
        state.schedule.appointments.with(|all| {
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
