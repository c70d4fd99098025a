//! Choosing a patient by typing part of a name, MRN, phone or date of birth: the panel's own
//! search, showing the first few matches as buttons.

use leptos::prelude::*;

use crate::model::PanelSort;
use crate::pages::show_date;
use crate::state::AppState;

/// How many matches are offered at once.
const SHOWN: usize = 6;

/// A labelled search field (`id`, label `label`) that sets `chosen` to a patient id.
#[component]
pub fn PatientPicker(id: &'static str, label: &'static str, chosen: RwSignal<String>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let query = RwSignal::new(String::new());
    let matches = move || {
        let q = query.get();
        if q.trim().is_empty() {
            return Vec::new();
        }
        state.panel.with(|p| {
            p.search(&q, PanelSort::Name)
                .into_iter()
                .take(SHOWN)
                .map(|i| {
                    let pt = p.at(i);
                    (pt.id.clone(), format!("{} · born {} · {}", pt.sort_name(), show_date(pt.date_of_birth), pt.mrn))
                })
                .collect::<Vec<_>>()
        })
    };
    let chosen_name = move || {
        let id = chosen.get();
        state.panel.with(|p| p.get(&id).map(|pt| format!("{} (born {})", pt.sort_name(), show_date(pt.date_of_birth))))
    };
    view! {
        <div class="field picker">
            <label for=id>{label}</label>
            <input id=id type="search" autocomplete="off" placeholder="Type a name, MRN or date of birth"
                prop:value=move || query.get()
                on:input=move |ev| { query.set(event_target_value(&ev)); chosen.set(String::new()); }/>
            {move || chosen_name().map(|n| view! { <p class="chosen">"Chosen: " <strong>{n}</strong></p> })}
            <Show when=move || chosen.with(String::is_empty)>
                <ul class="picker-list">
                    {move || matches().into_iter().map(|(pid, text)| {
                        let pick = pid.clone();
                        view! { <li><button type="button" class="link-button" on:click=move |_| chosen.set(pick.clone())>{text}</button></li> }
                    }).collect_view()}
                </ul>
            </Show>
        </div>
    }
}
