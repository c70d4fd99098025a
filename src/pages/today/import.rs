//! Importing the day's schedule from a CSV file.

use leptos::prelude::*;

use crate::io::appointments_csv::{self, AppointmentImport};
use crate::pages::count_of;
use crate::state::{AppState, Notice};
use crate::web;

#[component]
pub(super) fn ImportAppointments() -> impl IntoView {
    let state = expect_context::<AppState>();
    let file = crate::components::file_import::FileImport::<AppointmentImport>::new();
    let preview = file.preview;
    let input = file.input;
    let reset = move || file.reset();
    let chosen = move |_| {
        let Some(chosen) = file.chosen().into_iter().next() else { return };
        leptos::task::spawn_local_scoped(async move {
            let parsed = match web::read_text(&chosen).await {
                Err(m) => Err(m),
                Ok(read) => {
                    if let Some(note) = read.note {
                        state.say(Notice::Done(note));
                    }
                    state.panel.with_untracked(|panel| {
                        state.schedule.appointments.with_untracked(|existing| appointments_csv::parse(&read.text, panel, existing, web::now(), web::new_id))
                    }).map_err(|p| p.to_string())
                }
            };
            match parsed {
                Ok(p) => preview.set(Some(p)),
                Err(m) => {
                    reset();
                    state.say(Notice::Failed(format!("{m} Nothing was changed.")));
                }
            }
        });
    };
    let import = move |_| {
        let Some(p) = preview.get_untracked() else { return };
        leptos::task::spawn_local_scoped(async move {
            match state.schedule.import(p.appointments).await {
                Ok(m) => state.say(Notice::Done(m)),
                Err(m) => state.say_failed(&m),
            }
            reset();
        });
    };
    view! {
        <div class="import-appointments">
            <h3>"Import the day's schedule"</h3>
            <p class="hint">"A CSV with the columns " <code>{appointments_csv::TEMPLATE_HEADER}</code> " (a patient is found by MRN, or by name and date of birth). "
                <button type="button" class="link-button" on:click=move |_| {
                    if let Err(m) = web::download("carecoord-appointments-template.csv", "text/csv", &appointments_csv::template_csv()) { state.say(Notice::Failed(m)) }
                }>"Download the appointments template"</button></p>
            <label for="import-appointments">"Import appointments"</label>
            <input id="import-appointments" type="file" accept=".csv,text/csv" node_ref=input on:change=chosen/>
            {move || preview.get().map(|p| {
                let n = p.appointments.len();
                view! {
                    <div class="preview" role="region" aria-label="Appointments import preview">
                        <p><strong>{count_of(n, "appointment", "appointments")}</strong> " ready to import"
                            {(!p.already_scheduled.is_empty()).then(|| format!("; {} already on the schedule (left out)", p.already_scheduled.len()))} "."</p>
                        <Show when={let bad = !p.problems.is_empty(); move || bad}>
                            <div role="alert" class="notice notice-failed">
                                <p>{count_of(p.problems.len(), "row", "rows")} " will not be imported:"</p>
                                <ul>{p.problems.iter().map(|r| view! { <li>{r.to_string()}</li> }).collect_view()}</ul>
                            </div>
                        </Show>
                        <div class="form-actions">
                            <button type="button" class="primary" prop:disabled=n == 0 on:click=import>{format!("Import {}", count_of(n, "appointment", "appointments"))}</button>
                            <button type="button" on:click=move |_| reset()>"Cancel"</button>
                        </div>
                    </div>
                }
            })}
        </div>
    }
}
