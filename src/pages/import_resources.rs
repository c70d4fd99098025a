//! The "Import resources" part of `/data`: Open Referral HSDS 3 JSON, the HSDS CSV package
//! (the CSV files with `datapackage.json`, chosen together or as a zip) and the older HSDS
//! 1.1 package. Everything is checked and shown first; likely duplicates (same name and
//! address) are offered for merging; nothing is written before the Import button.

use leptos::prelude::*;

use crate::components::file_import::{FileImport, ImportButtons, PreviewList};
use crate::io::hsds::{self, DirectoryImport, DuplicateReason};
use crate::pages::count_of;
use crate::state::{AppState, Notice};

#[component]
pub fn ImportResources() -> impl IntoView {
    let state = expect_context::<AppState>();
    let file = FileImport::<DirectoryImport>::new();
    // For each likely duplicate (by position in `preview.duplicates`): merge into the existing entry?
    let merge = RwSignal::new(Vec::<bool>::new());
    let chosen = move |_| {
        file.on_chosen_bytes(async move |read| {
            let p = state.directory.with_untracked(|c| hsds::import_files(&read, c.services()))?;
            merge.set(vec![true; p.duplicates.len()]);
            Ok(p)
        });
    };
    let import = async move |p: DirectoryImport| {
        let choices = merge.get_untracked();
        let merged = p.duplicates.iter().zip(choices).filter(|(_, m)| *m).map(|(d, _)| (d.new, d.existing_id.clone())).collect();
        state.directory.import(p.organizations, p.services, merged).await.map(|m| state.say(Notice::Done(m)))
    };
    view! {
        <section class="card" aria-labelledby="import-resources-heading">
            <h2 id="import-resources-heading">"Import a resource directory"</h2>
            <p>"Accepted: Open Referral HSDS 3 JSON (a service, an organization with its services, or a list of them), the HSDS CSV package ("
               <code>"datapackage.json"</code> " with its CSV files, chosen together or as one zip), and HSDS 1.1 packages. You see a preview first."</p>
            <div class="field">
                <label for="import-resources">"Import resources"</label>
                <input id="import-resources" type="file" multiple=true accept=".json,.csv,.zip,application/json,text/csv,application/zip" node_ref=file.input on:change=chosen/>
            </div>
            {move || file.preview.get().map(|p| {
                let n = p.services.len();
                let label = format!("Import {}", count_of(n, "resource", "resources"));
                view! {
                    <div class="preview" role="group" aria-labelledby="resources-preview-heading">
                        <h3 id="resources-preview-heading">"Ready to import"</h3>
                        <p>{format!("{}: {}, {} and {} can be imported.", p.format, count_of(p.counts.services, "service", "services"),
                            count_of(p.counts.organizations, "organization", "organizations"), count_of(p.counts.locations, "location", "locations"))}</p>
                        {(!p.duplicates.is_empty()).then(|| view! {
                            <fieldset>
                                <legend>{format!("{} already in the directory", count_of(p.duplicates.len(), "service looks", "services look"))}</legend>
                                <p class="hint">"Ticked: the imported entry replaces the existing one (merge). Unticked: it is added as a separate entry."</p>
                                {p.duplicates.iter().enumerate().map(|(i, d)| {
                                    let why = match d.reason { DuplicateReason::SameId => "same id", DuplicateReason::SameNameAndAddress => "same name and address" };
                                    let new_name = p.services.get(d.new).map(|s| s.name.clone()).unwrap_or_default();
                                    view! { <label class="check"><input type="checkbox" prop:checked=move || merge.with(|m| m.get(i).copied().unwrap_or(false))
                                        prop:disabled=d.reason == DuplicateReason::SameId
                                        on:change=move |ev| { let on = event_target_checked(&ev); merge.update(|m| if let Some(x) = m.get_mut(i) { *x = on }) }/>
                                        {format!("Merge {new_name} into {} ({why})", d.existing_name)}</label> }
                                }).collect_view()}
                            </fieldset>
                        })}
                        {(!p.problems.is_empty()).then(|| view! {
                            <div role="alert" class="notice notice-failed problems-list">
                                <PreviewList open=true summary=format!("{} cannot be imported", count_of(p.problems.len(), "row", "rows"))
                                    items=p.problems.iter().map(ToString::to_string).collect()/>
                            </div>
                        })}
                        <PreviewList summary=format!("{} about the file", count_of(p.notes.len(), "note", "notes"))
                            items=p.notes.iter().map(ToString::to_string).collect()/>
                        <ImportButtons file label nothing={n == 0} write=import/>
                    </div>
                }
            })}
        </section>
    }
}
