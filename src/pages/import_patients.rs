//! The "Import patients" part of `/data`: CareCoord's CSV template, Synthea's patients.csv
//! (with conditions.csv) or FHIR R4 Patient/Condition JSON. Everything is checked and shown
//! as a preview; nothing is written before the Import button.

use leptos::prelude::*;

use crate::io::patients_csv::{self, PatientImport};
use crate::components::file_import::PreviewList;
use crate::pages::{count_of, thousands};
use crate::state::{AppState, Notice};
use crate::web;

/// A checked file, with the likely duplicates found against the panel.
#[derive(Clone)]
struct Preview {
    import: PatientImport,
    /// (imported patient's name, existing patient's name, imported id)
    duplicates: Vec<(String, String, String)>,
    updates: usize,
}

#[component]
pub fn ImportPatients() -> impl IntoView {
    let state = expect_context::<AppState>();
    let file = crate::components::file_import::FileImport::<Preview>::new();
    let preview = file.preview;
    let busy = RwSignal::new(false);
    let input = file.input;
    let reset = move || file.reset();
    let chosen = move |_| {
        let files = file.chosen();
        if files.is_empty() {
            return;
        }
        state.notice.set(None);
        leptos::task::spawn_local_scoped(async move {
            let mut texts = Vec::new();
            for f in &files {
                match web::read_text(f).await {
                    Ok(t) => texts.push((f.name(), t)),
                    Err(m) => {
                        reset();
                        state.say(Notice::Failed(format!("{m} Nothing was changed.")));
                        return;
                    }
                }
            }
            let mut new_id = web::new_id;
            match patients_csv::detect_and_parse(&texts, web::today(), web::now(), &mut new_id) {
                Err(problem) => {
                    reset();
                    state.say(Notice::Failed(format!("{problem} Nothing was changed.")));
                }
                Ok(import) => {
                    let (duplicates, updates) = state.panel.with_untracked(|panel| {
                        let dups = import
                            .patients
                            .iter()
                            .filter_map(|p| panel.likely_duplicate(p).map(|q| (p.full_name(), q.full_name(), p.id.clone())))
                            .collect::<Vec<_>>();
                        let updates = import.patients.iter().filter(|p| panel.get(&p.id).is_some()).count();
                        (dups, updates)
                    });
                    preview.set(Some(Preview { import, duplicates, updates }));
                }
            }
        });
    };
    let import = move |_| {
        let Some(p) = preview.get_untracked() else { return };
        busy.set(true);
        let skip = p.duplicates.iter().map(|d| d.2.clone()).collect();
        leptos::task::spawn_local_scoped(async move {
            match state.import_patients(p.import, skip).await {
                Ok(m) => state.say(Notice::Done(m)),
                Err(m) => state.say(Notice::Failed(m)),
            }
            reset();
            busy.set(false);
        });
    };
    let download_template = move |_| {
        if let Err(m) = web::download("carecoord-patients-template.csv", "text/csv", &patients_csv::template_csv()) {
            state.say(Notice::Failed(m));
        }
    };

    view! {
        <section class="card" aria-labelledby="import-patients-heading">
            <h2 id="import-patients-heading">"Import a patient list"</h2>
            <p>"Accepted: CareCoord's CSV template, Synthea's " <code>"patients.csv"</code> " (choose " <code>"conditions.csv"</code>
               " with it to bring the problem lists), or FHIR R4 Patient and Condition resources as a Bundle or NDJSON. You see a preview first."</p>
            <p><button type="button" class="link-button" on:click=download_template>"Download the CSV template"</button></p>
            <div class="field">
                <label for="import-patients">"Import patients"</label>
                <input id="import-patients" type="file" multiple=true accept=".csv,.json,.ndjson,text/csv,application/json" node_ref=input on:change=chosen/>
            </div>
            {move || preview.get().map(|p| {
                let to_write = p.import.patients.len() - p.duplicates.len();
                let label = format!("Import {}", crate::pages::count_of(to_write, "patient", "patients"));
                view! {
                    <div class="preview" role="group" aria-labelledby="patients-preview-heading">
                        <h3 id="patients-preview-heading">"Ready to import"</h3>
                        <p>{format!(
                            "{} patients and {} conditions can be imported{}.",
                            thousands(p.import.patients.len()),
                            thousands(p.import.conditions.len()),
                            if p.updates > 0 { format!(" ({} are already on the panel and will be updated)", p.updates) } else { String::new() },
                        )}</p>
                        {(!p.duplicates.is_empty()).then(|| view! {
                            <details open=true>
                                <summary>{format!("{} look like patients already on the panel and will be skipped", p.duplicates.len())}</summary>
                                <ul>{p.duplicates.iter().take(50).map(|(new, old, _)| view! { <li>{format!("{new}: same MRN or same name and date of birth as {old}")}</li> }).collect_view()}</ul>
                            </details>
                        })}
                        <div class="problems-list">
                            <PreviewList open=true summary=format!("{} cannot be imported", count_of(p.import.problems.len(), "row", "rows"))
                                items=p.import.problems.iter().map(ToString::to_string).collect()/>
                        </div>
                        <PreviewList summary=format!("{} left out on purpose", count_of(p.import.skipped.len(), "row", "rows"))
                            items=p.import.skipped.iter().map(ToString::to_string).collect()/>
                        <div class="form-actions">
                            <button type="button" class="primary" disabled=move || busy.get() || to_write == 0 on:click=import>{label}</button>
                            <button type="button" disabled=move || busy.get() on:click=move |_| reset()>"Cancel"</button>
                        </div>
                    </div>
                }
            })}
        </section>
    }
}
