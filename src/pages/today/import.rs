//! Importing the day's schedule from a CSV file.

use leptos::prelude::*;

use crate::components::file_import::{FileImport, ImportButtons};
use crate::io::appointments_csv::{self, AppointmentImport};
use crate::pages::count_of;
use crate::state::{AppState, Notice};
use crate::web;

#[component]
pub(super) fn ImportAppointments() -> impl IntoView {
    let state = expect_context::<AppState>();
    let file = FileImport::<AppointmentImport>::new();
    let chosen = move |_| {
        file.on_chosen(async move |texts| {
            let (_, text) = texts.into_iter().next().ok_or("No file was chosen.")?;
            Ok(state.panel.with_untracked(|panel| {
                state.schedule.appointments.with_untracked(|existing| appointments_csv::parse(&text, panel, existing, web::now(), web::new_id))
            })?)
        });
    };
    let import = async move |p: AppointmentImport| state.schedule.import(p.appointments).await.map(|m| state.say(Notice::Done(m)));
    view! {
        <div class="import-appointments">
            <h3>"Import the day's schedule"</h3>
            <p class="hint">"A CSV with the columns " <code>{appointments_csv::TEMPLATE_HEADER}</code> " (a patient is found by MRN, or by name and date of birth). "
                <button type="button" class="link-button" on:click=move |_| {
                    if let Err(m) = web::download("carecoord-appointments-template.csv", "text/csv", &appointments_csv::template_csv()) { state.say(Notice::Failed(m)) }
                }>"Download the appointments template"</button></p>
            <label for="import-appointments">"Import appointments"</label>
            <input id="import-appointments" type="file" accept=".csv,text/csv" node_ref=file.input on:change=chosen/>
            {move || file.preview.get().map(|p| {
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
                        <ImportButtons file label=format!("Import {}", count_of(n, "appointment", "appointments")) nothing={n == 0} write=import/>
                    </div>
                }
            })}
        </div>
    }
}
