//! The kiosk's one slice: the directory it shows, read from its own database
//! (`storage::kiosk_db`), then replaced by the clinic's published `directory.json` when that
//! is newer (`model::kiosk_directory::is_newer`). The kiosk binary uses this and
//! `state::kiosk` (the lock) and nothing else of `state`: no store of the coordinator's app
//! is ever opened there.

use leptos::prelude::*;
use wasm_bindgen::JsValue;

use super::LoadStatus;
use crate::io::hsds::{parse_hsds3_json, DirectoryImport};
use crate::model::catalog::Catalog;
use crate::model::kiosk_directory::{http_date_ms, is_newer, HeldDirectory};
use crate::storage::kiosk_db::{self, KioskDb};
use crate::web;

/// Where the kiosk (served from `kiosk/`) finds the published directory: beside the app's
/// `index.html`.
pub const PUBLISHED_URL: &str = "../directory.json";

/// The directory on the kiosk's screen, and whether it has been read.
#[derive(Clone, Copy)]
pub struct KioskDirectoryState {
    catalog: RwSignal<Catalog>,
    load: RwSignal<LoadStatus>,
}

/// A directory text read whole, or why it is not used: all or nothing, so a file with a bad
/// record is left for the clinic to mend.
fn read(text: &str) -> Result<DirectoryImport, String> {
    let read = parse_hsds3_json("directory.json", text).map_err(|p| p.0)?;
    match read.problems.first() {
        Some(p) => Err(format!("{} problem(s), the first: {} {}: {}", read.problems.len(), p.file, p.place, p.message)),
        None => Ok(read),
    }
}

impl KioskDirectoryState {
    /// Reads what the kiosk holds from the database `db_name` and shows it; then asks the host
    /// for `published_url` and keeps it when it is newer. With no network, or no such file,
    /// the kiosk goes on with what it holds.
    pub fn start(db_name: &'static str, published_url: &'static str) -> KioskDirectoryState {
        let state = KioskDirectoryState { catalog: RwSignal::new(Catalog::default()), load: RwSignal::new(LoadStatus::Loading) };
        leptos::task::spawn_local_scoped(async move {
            let db = match kiosk_db::open(db_name).await {
                Ok(db) => db,
                Err(e) => return state.load.set(LoadStatus::Failed(e.message)),
            };
            let copy = match db.load().await {
                Ok(copy) => copy,
                Err(e) => return state.load.set(LoadStatus::Failed(e.message)),
            };
            if let Some(text) = &copy.text {
                match read(text) {
                    Ok(d) => state.catalog.set(Catalog::new(d.organizations, d.services)),
                    Err(why) => warn(&format!("the directory held could not be read: {why}")),
                }
            }
            state.load.set(LoadStatus::Ready);
            if let Err(why) = state.take_published(&db, copy.held.as_ref(), published_url).await {
                // The tablet carries on with what it holds; the reason is for whoever set it up.
                warn(&format!("the published directory was not used: {why}"));
            }
        });
        state
    }

    async fn take_published(self, db: &KioskDb, held: Option<&HeldDirectory>, url: &str) -> Result<(), String> {
        let Some((text, last_modified)) = web::fetch_published(url).await? else { return Ok(()) };
        let stamp = last_modified.as_deref().and_then(http_date_ms);
        if !is_newer(held, &text, stamp) {
            return Ok(());
        }
        let d = read(&text)?;
        db.replace(&text, &HeldDirectory::published(&text, stamp, d.services.len())).await.map_err(|e| e.message)?;
        self.catalog.set(Catalog::new(d.organizations, d.services));
        Ok(())
    }

    /// The directory shown.
    pub fn catalog(&self) -> ReadSignal<Catalog> {
        self.catalog.read_only()
    }

    /// Whether it has been read (or why it could not be).
    pub fn load(&self) -> ReadSignal<LoadStatus> {
        self.load.read_only()
    }
}

fn warn(message: &str) {
    web_sys::console::warn_1(&JsValue::from_str(&format!("kiosk: {message}")));
}
