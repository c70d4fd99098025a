//! `/data`: export and import of everything stored on this device.

use leptos::prelude::*;

use crate::components::field::Field;
use crate::components::file_import::{FileImport, Refusal};
use crate::components::page::Page;
use crate::components::pending::Pending;
use crate::io::backup::{self, Backup};
use crate::model::protection::BackupEnvelope;
use crate::pages::import_patients::ImportPatients;
use crate::pages::{show_time, thousands};
use crate::state::device::DeviceStatus;
use crate::state::{AppState, Failure, Guard, ImportMode, Notice};
use crate::web;

#[component]
pub fn DataPage() -> impl IntoView {
    // Export, import and the device's storage work before (and even without) the records.
    view! {
        <Page title="Data" without_records=true>
            <p class="lead">"Everything CareCoord keeps stays in this browser on this device. Export a backup regularly and keep it somewhere safe: it is the only copy elsewhere."</p>
            <DeviceStorage/>
            <ExportBackup/>
            <ImportBackup/>
            <ImportPatients/>
            <crate::pages::import_resources::ImportResources/>
            <crate::pages::settings::KioskPin/>
        </Page>
    }
}

/// What the browser says of this site's storage: kept for good or not, used and available.
#[component]
fn DeviceStorage() -> impl IntoView {
    let status = expect_context::<DeviceStatus>();
    status.refresh();
    let mb = |bytes: f64| {
        if bytes >= 1e9 {
            format!("{:.1} GB", bytes / 1e9)
        } else {
            format!("{:.1} MB", bytes / 1e6)
        }
    };
    view! {
        <section class="card" aria-labelledby="storage-heading">
            <h2 id="storage-heading">"Storage on this device"</h2>
            {move || match status.storage().get() {
                None => view! { <p>"Asking the browser…"</p> }.into_any(),
                Some(r) => view! {
                    <dl class="storage-facts">
                        <dt>"Kept until you delete it"</dt>
                        <dd data-testid="persisted">{match (r.in_memory_only, r.persisted) {
                            (true, _) => "No: this is a private window, and everything is lost when it closes.",
                            (false, Some(true)) => "Yes: the browser will not clear this site's data to free space.",
                            (false, Some(false)) => "Not promised: the browser may clear this site's data when the device runs out of space. Export backups often.",
                            (false, None) => "Unknown: this browser does not say.",
                        }}</dd>
                        <dt>"Used"</dt>
                        <dd>{match (r.usage, r.quota) {
                            (Some(u), Some(q)) => format!("{} of {} available to this site", mb(u), mb(q)),
                            (Some(u), None) => mb(u),
                            _ => "Unknown: this browser does not say.".to_string(),
                        }}</dd>
                    </dl>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn ExportBackup() -> impl IntoView {
    let state = expect_context::<AppState>();
    let exporting = Pending::new();
    // Encrypted by default on a protected device.
    let encrypt = RwSignal::new(state.protection.guard().get_untracked() == Guard::Unlocked);
    let (passphrase, repeat) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let export = move |_| {
        let secret = encrypt.get_untracked().then(|| (passphrase.get_untracked(), repeat.get_untracked()));
        exporting.run(async move {
            let result = state
                .export_backup(secret)
                .await
                .and_then(|(name, text, count)| web::download(&name, "application/json", &text).map(|_| (name, count)).map_err(Failure::Storage));
            match result {
                Ok((name, count)) => {
                    passphrase.set(String::new());
                    repeat.set(String::new());
                    state.say(Notice::Done(format!("Exported {} patients to {name}.", thousands(count))));
                }
                Err(message) => state.say_failed(&message),
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="export-heading">
            <h2 id="export-heading">"Back up"</h2>
            <p>"One JSON file with everything: patients, problem lists, care events and rules, appointments, recalls, referrals, the resource directory and the history of changes. It holds personal health information: store it as your clinic requires."</p>
            <label class="check">
                <input type="checkbox" aria-describedby="encrypt-hint" prop:checked=move || encrypt.get() on:change=move |ev| encrypt.set(event_target_checked(&ev))/>
                "Encrypt the backup with a passphrase"
            </label>
            <p class="hint" id="encrypt-hint">"Then the file opens only with that passphrase (AES-256). Keep the passphrase apart from the file."</p>
            <Show when=move || encrypt.get()>
                <Field id="backup-passphrase" label="Backup passphrase" kind="password" autocomplete="new-password" required=true value=passphrase/>
                <Field id="backup-repeat" label="Repeat backup passphrase" kind="password" autocomplete="new-password" required=true value=repeat/>
            </Show>
            <button type="button" class="primary" disabled=move || exporting.get() on:click=export>"Export backup"</button>
        </section>
    }
}

/// A chosen backup file: encrypted (waiting for its passphrase) or read and checked.
#[derive(Clone)]
enum BackupFile {
    Sealed(BackupEnvelope),
    Open(Backup),
}

#[component]
fn ImportBackup() -> impl IntoView {
    let state = expect_context::<AppState>();
    let file = FileImport::<BackupFile>::new();
    let chosen = move |_| {
        state.dismiss_notice();
        file.on_chosen(async move |texts| {
            let (name, text) = texts.into_iter().next().ok_or("No file was chosen.")?;
            let not_imported = |e: String| Refusal::File(format!("{name} was not imported. {e}"));
            match BackupEnvelope::parse(&text).map_err(not_imported)? {
                Some(envelope) => Ok(BackupFile::Sealed(envelope)),
                None => backup::parse(&text, web::today()).map(BackupFile::Open).map_err(|e| not_imported(e.to_string())),
            }
        });
    };
    let import = move |mode| {
        file.import(async move |b| match b {
            BackupFile::Open(b) => state.import_backup(b, mode).await.map(|m| state.say(Notice::Done(m))),
            BackupFile::Sealed(_) => Ok(()),
        })
    };
    let passphrase = RwSignal::new(String::new());
    let problem = RwSignal::new(String::new());
    let opening = Pending::new();
    let open = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(BackupFile::Sealed(envelope)) = file.preview.get_untracked() else { return };
        let typed = passphrase.get_untracked();
        opening.run(async move {
            match state.open_backup(envelope, typed).await {
                Ok(b) => {
                    problem.set(String::new());
                    file.preview.set(Some(BackupFile::Open(b)));
                }
                Err(failure) => problem.set(failure.to_string()),
            }
            passphrase.set(String::new());
        });
    };

    view! {
        <section class="card" aria-labelledby="import-heading">
            <h2 id="import-heading">"Restore from a backup"</h2>
            <p>"The whole file is checked first. If anything in it is wrong, nothing is changed and you are told why."</p>
            <div class="field">
                <label for="import-backup">"Import backup"</label>
                <input id="import-backup" type="file" accept=".json,application/json" node_ref=file.input on:change=chosen/>
            </div>
            {move || match file.preview.get() {
                Some(BackupFile::Sealed(_)) => Some(view! {
                    <form class="preview" on:submit=open novalidate>
                        <h3>"This backup is encrypted"</h3>
                        <Field id="open-backup-passphrase" label="Backup passphrase" kind="password" autocomplete="off" required=true value=passphrase/>
                        <p role="alert" class="notice notice-failed" class:empty=move || problem.with(String::is_empty)>{move || problem.get()}</p>
                        <div class="form-actions">
                            <button type="submit" class="primary" disabled=move || opening.get()>"Open backup"</button>
                            <button type="button" on:click=move |_| file.reset()>"Cancel"</button>
                        </div>
                    </form>
                }.into_any()),
                Some(BackupFile::Open(b)) => Some({
                let now = state.panel.with(|p| p.len());
                view! {
                    <div class="preview" role="group" aria-labelledby="preview-heading">
                        <h3 id="preview-heading">"Ready to import"</h3>
                        <p>{format!(
                            "This backup was made on {} and holds {} patients and {} recorded changes{}. This device has {} patients now.",
                            show_time(b.exported_at),
                            thousands(b.contents.patients.len()),
                            thousands(b.contents.changes.len()),
                            if b.schema_version < crate::model::schema::SCHEMA_VERSION { " (from an older version of CareCoord; it will be brought up to date)" } else { "" },
                            thousands(now),
                        )}</p>
                        <ul class="choices">
                            <li><strong>"Replace"</strong>": everything on this device is replaced by the backup."</li>
                            <li><strong>"Merge"</strong>": patients in the backup are added, or updated where the same patient is already here; nobody is removed."</li>
                        </ul>
                        <div class="form-actions">
                            <button type="button" class="danger" disabled=move || file.pending.get() on:click=move |_| import(ImportMode::Replace)>"Replace"</button>
                            <button type="button" class="primary" disabled=move || file.pending.get() on:click=move |_| import(ImportMode::Merge)>"Merge"</button>
                            <button type="button" disabled=move || file.pending.get() on:click=move |_| file.reset()>"Cancel"</button>
                        </div>
                    </div>
                }.into_any()
                }),
                None => None,
            }}
        </section>
    }
}
