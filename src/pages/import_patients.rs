//! The "Import patients" part of `/data`: patient lists (CareCoord's CSV template, Synthea's
//! patients.csv with conditions.csv, FHIR R4 Patient/Condition JSON) and care history
//! (Synthea's observations, immunizations, procedures and encounters, FHIR, CareCoord's care
//! history template), together or apart (see `state::import`). Long files are read a slice
//! at a time with progress and Cancel. Everything is checked and shown as a preview (what is
//! new, which fields of which patients change, the care events by item, what stays as it
//! is); nothing is written before the Import button. After it, what was left out stays
//! listed under the control until dismissed.

use std::sync::Arc;

use leptos::prelude::*;

use crate::components::file_import::{FileImport, ImportButtons, ImportOutcome, Outcome, PreviewList, Reading, ReadingProgress};
use crate::io::care_history::{self, ItemSummary};
use crate::io::patients_csv;
use crate::model::history_import::HistoryPlan;
use crate::model::patient_import::ImportPlan;
use crate::pages::{count_of, thousands};
use crate::state::import::{self, HistoryCounts, ImportPreview};
use crate::state::{AppState, Notice};
use crate::web;

#[component]
pub fn ImportPatients() -> impl IntoView {
    let state = expect_context::<AppState>();
    let file = FileImport::<ImportPreview>::new();
    let outcome = RwSignal::new(None::<Outcome>);
    let chosen = move |_| {
        state.dismiss_notice();
        outcome.set(None);
        file.on_chosen_files(async move |files, reading: Reading| {
            let rules = state.registry.with_untracked(|r| r.rules().to_vec());
            let read = import::read_files(files, &rules, web::today(), web::now(), |p| reading.say(p), || reading.cancelled()).await?;
            if !read.notes.is_empty() {
                state.say(Notice::Done(read.notes.join(" ")));
            }
            Ok(state.plan_files_import(read).await?)
        });
    };
    let import = async move |p: ImportPreview| state.import_files(p).await.map(|(message, left_out)| outcome.set(Some(Outcome { message, left_out })));
    let download_template = move |_| {
        if let Err(m) = web::download("carecoord-patients-template.csv", "text/csv", &patients_csv::template_csv()) {
            state.say(Notice::Failed(m));
        }
    };
    let download_history_template = move |_| {
        if let Err(m) = web::download("carecoord-care-history-template.csv", "text/csv", &care_history::template_csv()) {
            state.say(Notice::Failed(m));
        }
    };

    view! {
        <section class="card" aria-labelledby="import-patients-heading">
            <h2 id="import-patients-heading">"Patient lists and care history"</h2>
            <p>"Patient lists: CareCoord's CSV template, Synthea's " <code>"patients.csv"</code> " (with " <code>"conditions.csv"</code>
               " for the problem lists), or FHIR R4 Patient and Condition resources as a Bundle or NDJSON."</p>
            <p>"Care history, so care gaps show what was done: Synthea's " <code>"observations.csv"</code> ", " <code>"immunizations.csv"</code> ", "
               <code>"procedures.csv"</code> " and " <code>"encounters.csv"</code> ", FHIR R4 Observation, Immunization, Procedure and Encounter resources, or CareCoord's care history template. "
               "Choose them together with the patient list, or later on their own. Importing the same files again adds nothing."</p>
            <p>"You see a preview first."</p>
            <p class="links">
                <button type="button" class="link-button" on:click=download_template>"Download the patient template"</button>
                <button type="button" class="link-button" on:click=download_history_template>"Download the care history template"</button>
            </p>
            <div class="field">
                <label for="import-patients">"Import patients"</label>
                <input id="import-patients" type="file" multiple=true accept=".csv,.json,.ndjson,text/csv,application/json" node_ref=file.input on:change=chosen/>
            </div>
            <ReadingProgress file/>
            <ImportOutcome outcome=outcome/>
            {move || file.preview.get().map(|p| {
                let label = p.button_label();
                let nothing = p.is_empty();
                view! {
                    <div class="preview" role="group" aria-labelledby="patients-preview-heading">
                        <h3 id="patients-preview-heading">"Ready to import"</h3>
                        {p.patients.clone().zip(p.files.patients.as_ref().map(|i| (i.problems.clone(), i.skipped.clone()))).map(|(plan, (problems, skipped))| view! {
                            <PatientsPreview plan problems=problems.iter().map(ToString::to_string).collect() skipped=skipped.iter().map(ToString::to_string).collect()/>
                        })}
                        {p.history.clone().zip(p.files.history.as_ref().map(HistoryCounts::of)).map(|(plan, history)| view! {
                            <HistoryPreview plan history summary=p.summary.clone()/>
                        })}
                        {nothing.then(|| view! { <p>"Nothing to import: everything these files hold is already stored."</p> })}
                        <ImportButtons file label nothing write=import/>
                    </div>
                }
            })}
        </section>
    }
}

/// What importing a patient list does to the panel.
#[component]
fn PatientsPreview(plan: Arc<ImportPlan>, problems: Vec<String>, skipped: Vec<String>) -> impl IntoView {
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
        <h4>"Patients"</h4>
        <p>{counts}</p>
        {plan.update_summary().map(|s| view! { <p>{s}</p> })}
        {(!plan.unchanged.is_empty()).then(|| view! { <p>{unchanged}</p> })}
        <PreviewList summary=format!("Which fields change for {}", count_of(changes.len(), "patient", "patients")) items=changes/>
        <PreviewList open=true summary=format!("{} look like patients already on the panel and will be skipped", thousands(plan.duplicates.len()))
            items=plan.duplicates.iter().map(ToString::to_string).collect()/>
        <PreviewList open=true summary=format!("{} not used", count_of(plan.notes.len(), "value", "values")) items=plan.notes.clone()/>
        <div class="problems-list">
            <PreviewList open=true summary=format!("{} cannot be imported", count_of(problems.len(), "row", "rows")) items=problems/>
        </div>
        <PreviewList summary=format!("{} left out on purpose", count_of(skipped.len(), "row", "rows")) items=skipped/>
    }
}

/// What importing care history adds: events by care item, encounters, and what is left out.
#[component]
fn HistoryPreview(plan: Arc<HistoryPlan>, history: HistoryCounts, summary: Vec<ItemSummary>) -> impl IntoView {
    let events = if plan.events_already > 0 {
        format!("{} new; {} already stored.", count_of(plan.events.len(), "care event", "care events"), thousands(plan.events_already))
    } else {
        format!("{} new.", count_of(plan.events.len(), "care event", "care events"))
    };
    let acute = plan.encounters.iter().filter(|e| e.class.is_acute()).count();
    let encounters = format!(
        "{} to keep: {} emergency or inpatient and {} latest routine visits{}{}.",
        count_of(plan.encounters.len(), "encounter", "encounters"),
        thousands(acute),
        thousands(plan.encounters.len() - acute),
        if plan.encounters_already > 0 { format!("; {} already stored", thousands(plan.encounters_already)) } else { String::new() },
        if plan.encounters_not_kept > 0 { format!("; {} older routine visits not kept", thousands(plan.encounters_not_kept)) } else { String::new() },
    );
    let unmapped = format!(
        "{} with codes CareCoord does not read as a care item (counted, not imported)",
        count_of(history.unmapped_records, "record", "records"),
    );
    view! {
        <h4>"Care history"</h4>
        <p>{events}</p>
        <ul class="item-counts">{summary.into_iter().map(|s| view! { <li>{s.to_string()}</li> }).collect_view()}</ul>
        {(plan.encounters.len() + plan.encounters_already + plan.encounters_not_kept > 0).then(|| view! { <p>{encounters}</p> })}
        <PreviewList summary=unmapped items=history.unmapped/>
        <div class="problems-list">
            <PreviewList open=true summary=format!("{} not on the panel", count_of(plan.not_in_panel.len(), "patient", "patients"))
                items=plan.not_in_panel.iter().map(ToString::to_string).collect()/>
            <PreviewList open=true summary=format!("{} cannot be imported", count_of(history.problems.len(), "row", "rows")) items=history.problems/>
        </div>
        <PreviewList summary=format!("{} left out on purpose", count_of(history.skipped.len(), "row", "rows")) items=history.skipped/>
    }
}
