//! The "Import patients" part of `/data`: CareCoord's CSV template, Synthea's patients.csv
//! (with conditions.csv) or FHIR R4 Patient/Condition JSON. Everything is checked and shown
//! as a preview (what is new, which fields of which patients change, what stays as it is);
//! nothing is written before the Import button. After it, what was left out stays listed
//! under the control until dismissed.

use leptos::prelude::*;

use crate::components::file_import::{FileImport, ImportButtons, ImportOutcome, Outcome, PreviewList};
use crate::io::patients_csv::{self, PatientImport};
use crate::model::patient_import::ImportPlan;
use crate::pages::{count_of, thousands};
use crate::state::{AppState, Notice};
use crate::web;

/// A checked file and what importing it would do to the panel.
#[derive(Clone)]
struct Preview {
    import: PatientImport,
    plan: ImportPlan,
}

#[component]
pub fn ImportPatients() -> impl IntoView {
    let state = expect_context::<AppState>();
    let file = FileImport::<Preview>::new();
    let outcome = RwSignal::new(None::<Outcome>);
    let chosen = move |_| {
        state.dismiss_notice();
        outcome.set(None);
        file.on_chosen(async move |texts| {
            let mut new_id = web::new_id;
            let import = patients_csv::detect_and_parse(&texts, web::today(), web::now(), &mut new_id)?;
            let plan = state.plan_patient_import(&import).await?;
            Ok(Preview { import, plan })
        });
    };
    let import = async move |p: Preview| state.import_patients(p.import).await.map(|(message, left_out)| outcome.set(Some(Outcome { message, left_out })));
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
                <input id="import-patients" type="file" multiple=true accept=".csv,.json,.ndjson,text/csv,application/json" node_ref=file.input on:change=chosen/>
            </div>
            <ImportOutcome outcome=outcome/>
            {move || file.preview.get().map(|p| {
                let plan = &p.plan;
                let patients = plan.new.len() + plan.updated.len();
                let label = if patients > 0 || plan.conditions.is_empty() {
                    format!("Import {}", count_of(patients, "patient", "patients"))
                } else {
                    format!("Import {}", count_of(plan.conditions.len(), "condition", "conditions"))
                };
                let nothing = plan.is_empty();
                let counts = format!(
                    "{} and {} can be imported.",
                    count_of(plan.new.len(), "patient", "patients"),
                    count_of(plan.conditions.len(), "condition", "conditions"),
                );
                let unchanged = format!(
                    "{} already on the panel as in the file (nothing to change){}.",
                    count_of(plan.unchanged.len(), "patient is", "patients are"),
                    if plan.conditions_unchanged > 0 { format!("; {} already stored", count_of(plan.conditions_unchanged, "condition", "conditions")) } else { String::new() },
                );
                let changes: Vec<String> = plan.updated.iter().map(|u| format!("{}: {}", u.patient.sort_name(), u.fields.join(", "))).collect();
                view! {
                    <div class="preview" role="group" aria-labelledby="patients-preview-heading">
                        <h3 id="patients-preview-heading">"Ready to import"</h3>
                        <p>{counts}</p>
                        {plan.update_summary().map(|s| view! { <p>{s}</p> })}
                        {(!plan.unchanged.is_empty()).then(|| view! { <p>{unchanged}</p> })}
                        {nothing.then(|| view! { <p>"Nothing to import: the panel already has everything this file holds."</p> })}
                        <PreviewList summary=format!("Which fields change for {}", count_of(changes.len(), "patient", "patients")) items=changes/>
                        <PreviewList open=true summary=format!("{} look like patients already on the panel and will be skipped", thousands(plan.duplicates.len()))
                            items=plan.duplicates.iter().map(ToString::to_string).collect()/>
                        <PreviewList open=true summary=format!("{} not used", count_of(plan.notes.len(), "value", "values"))
                            items=plan.notes.clone()/>
                        <div class="problems-list">
                            <PreviewList open=true summary=format!("{} cannot be imported", count_of(p.import.problems.len(), "row", "rows"))
                                items=p.import.problems.iter().map(ToString::to_string).collect()/>
                        </div>
                        <PreviewList summary=format!("{} left out on purpose", count_of(p.import.skipped.len(), "row", "rows"))
                            items=p.import.skipped.iter().map(ToString::to_string).collect()/>
                        <ImportButtons file label nothing write=import/>
                    </div>
                }
            })}
        </section>
    }
}
