//! `/`: the coordinator's start page.

use leptos::prelude::*;

use crate::components::loading::WhenLoaded;
use crate::pages::thousands;
use crate::state::AppState;
use crate::web;

#[component]
pub fn TodayPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let today = web::today();
    let name_missing = move || state.settings.with(|s| s.coordinator_name.is_empty());
    view! {
        <h1>"Today"</h1>
        <p class="subtitle">{crate::model::dates::with_weekday(today)}</p>
        <WhenLoaded>
            <Show when=name_missing>
                <p class="card tip">"Tip: set your name in " <a href="/settings">"Settings"</a> " so that every change you make is signed in the patient's history."</p>
            </Show>
            {move || {
                let n = state.panel.with(|p| p.len());
                if n == 0 {
                    view! {
                        <section class="card" aria-labelledby="start-heading">
                            <h2 id="start-heading">"Getting started"</h2>
                            <ol>
                                <li>"Add the patients on your panel: " <a href="/panel">"Panel"</a> ", then " <strong>"Add patient"</strong> "."</li>
                                <li>"Or restore a backup from another device on the " <a href="/data">"Data"</a> " page."</li>
                                <li>"Export a backup at the end of each day (Data page)."</li>
                            </ol>
                        </section>
                    }.into_any()
                } else {
                    view! {
                        <section class="card" aria-labelledby="panel-heading">
                            <h2 id="panel-heading">"Your panel"</h2>
                            <p class="big-number">{thousands(n)} " patients"</p>
                            <p><a href="/panel">"Find a patient"</a> " · " <a href="/data">"Export a backup"</a></p>
                        </section>
                    }.into_any()
                }
            }}
        </WhenLoaded>
    }
}
