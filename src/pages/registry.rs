//! `/registry`: the clinic's quality figures: per chronic condition, how many patients have
//! it and how many of them have each care gap open today.

use leptos::prelude::*;

use crate::components::page::Page;
use crate::model::text::percent_text;
use crate::pages::{count_of, thousands};
use crate::state::AppState;
use crate::web;

#[component]
pub fn RegistryPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let today = web::today();
    let summary = Memo::new(move |_| state.registry.with(|r| state.panel.with(|p| r.summary(p, today))));
    // Each condition's section is keyed by what it shows: new figures redraw that section only.
    let sections = move || summary.with(|list| list.iter().map(|s| (s.condition.label(), s.patients, s.open_by_rule.clone())).collect::<Vec<_>>());
    view! {
        <Page title="Registry" subtitle=format!("Open care gaps by condition, as of {}.", crate::model::dates::long(today))>
            {move || (!state.registry.ready.get()).then(|| view! { <p class="loading">"Reading the problem lists…"</p> })}
            <For each=sections key=|s| s.clone() let((condition, patients, open_by_rule))>
                {
                    let heading_id = format!("reg-{}", condition.to_lowercase().replace(' ', "-"));
                    view! {
                        <section class="card" aria-labelledby=heading_id.clone()>
                            <h2 id=heading_id.clone()>{format!("{} · {}", condition, count_of(patients, "patient", "patients"))}</h2>
                            {if patients == 0 {
                                view! { <p class="muted">"No patient on the panel has this condition active."</p> }.into_any()
                            } else {
                                view! {
                                    <table class="gaps summary">
                                        <thead><tr><th scope="col">"Care item"</th><th scope="col">"Gap open"</th><th scope="col">"Share of patients"</th></tr></thead>
                                        <tbody>
                                            {open_by_rule.into_iter().map(|(label, open)| view! {
                                                <tr>
                                                    <th scope="row">{label}</th>
                                                    <td>{thousands(open)}</td>
                                                    <td>{percent_text(open, patients)}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                }.into_any()
                            }}
                        </section>
                    }
                }
            </For>
        </Page>
    }
}
