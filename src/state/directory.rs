//! The directory slice: organizations and services, with their search index.

use std::ops::Deref;

use leptos::prelude::*;

use super::{Core, Failure, Held, SaveError};
use crate::model::catalog::Catalog;
use crate::model::directory::{Organization, Service, ServiceDraft, ServiceFieldError};
use crate::model::{Change, ChangeAction, Record};
use crate::pages::count_of;
use crate::model::kiosk_directory::HeldDirectory;
use crate::storage::{kiosk_db, Db, StorageError, WriteBatch};
use crate::web;

/// The resource directory: read it through [`Deref`] (`state.directory.with(|c| …)`).
#[derive(Clone, Copy)]
pub struct DirectoryState {
    core: Core,
    catalog: Held<Catalog>,
    /// Whether the directory has been read.
    pub ready: ReadSignal<bool>,
    set_ready: RwSignal<bool>,
}

impl Deref for DirectoryState {
    type Target = ReadSignal<Catalog>;
    fn deref(&self) -> &ReadSignal<Catalog> {
        &self.catalog
    }
}

impl DirectoryState {
    pub(super) fn new(core: Core) -> DirectoryState {
        let ready = Held::new(false);
        DirectoryState { core, catalog: Held::new(Catalog::default()), ready: *ready, set_ready: ready.write }
    }

    pub(super) async fn load(self, db: &Db) -> Result<(), StorageError> {
        let (organizations, services) = read_stored(db).await?;
        self.catalog.write.set(Catalog::new(organizations, services));
        self.set_ready.set(true);
        Ok(())
    }

    /// Hands the directory as stored to the kiosk's own database (`storage::kiosk_db`), as
    /// the HSDS 3 JSON that **Export directory** writes, replacing what the kiosk held: what
    /// kiosk mode shows once it starts on this device.
    pub async fn hand_to_kiosk(self) -> Result<(), Failure> {
        let (organizations, services) = read_stored(&*self.core.db()?).await?;
        let held = HeldDirectory::handover(web::now_ms(), services.len());
        let text = crate::io::hsds::export_json(&organizations, &services);
        let kiosk = kiosk_db::open(kiosk_db::KIOSK_DB).await?;
        let written = kiosk.replace(&text, &held).await;
        kiosk.close();
        Ok(written?)
    }

    pub(super) fn set(self, catalog: Catalog) {
        self.catalog.write.set(catalog);
    }

    fn ready_to_write(self) -> Result<(), Failure> {
        if self.set_ready.get_untracked() {
            Ok(())
        } else {
            Err(Failure::refused("The resource directory is still being read; try again in a moment."))
        }
    }

    fn stored(self, organizations: &[Organization], services: &[Service]) {
        let next = self.catalog.with_untracked(|c| c.with(organizations, services));
        self.catalog.write.set(next);
    }

    /// Saves a new directory service (`base` is `None`) or the form's changes to `base`,
    /// the service as the form was drawn from (checked against the service as stored). The
    /// organization is found by name or created.
    pub async fn save_service(self, draft: ServiceDraft, base: Option<Service>) -> Result<Service, SaveError<ServiceFieldError>> {
        self.ready_to_write()?;
        let valid = draft.validate().map_err(SaveError::Fields)?;
        let today = web::today();
        let (org, new_org) = match self.catalog.with_untracked(|c| c.organization_named(&draft.organization).cloned()) {
            Some(o) => (o, false),
            None => (Organization { rev: 0, id: web::new_id(), name: draft.organization.trim().to_string(), ..Default::default() }, true),
        };
        let orgs = if new_org { vec![org.clone()] } else { Vec::new() };
        let service = match base {
            None => {
                let service = valid.into_new(web::new_id(), org.id.clone(), today);
                let mut batch = WriteBatch::new();
                batch.put_all(&orgs);
                batch.add(&service).journal(&self.core.change(&service, ChangeAction::Created, service.name.clone()));
                self.core.write(&batch, "save the resource").await?;
                service
            }
            Some(base) => {
                if new_org {
                    let mut batch = WriteBatch::new();
                    batch.put_all(&orgs);
                    self.core.write(&batch, "save the organization").await?;
                }
                let mine = valid.into_update(&base, org.id.clone(), today);
                let catalog = self.catalog;
                let stale = move |current: Service| {
                    let next = catalog.with_untracked(|c| c.with(&[], &[current]));
                    catalog.write.set(next);
                };
                let summary = mine.name.clone();
                self.core.save_revised(&base, mine, "This resource", summary, "save the resource", stale).await?.0
            }
        };
        self.stored(&orgs, std::slice::from_ref(&service));
        Ok(service)
    }

    /// Marks a service's information as checked today.
    pub async fn verify(self, id: String) -> Result<(), Failure> {
        let today = web::today();
        let apply = |s: &mut Service| {
            s.assured_date = Some(today);
            Ok(())
        };
        let (service, _) = self.core.update(&id, apply, "verified", "This resource", "mark the resource as verified").await?;
        self.stored(&[], &[service]);
        Ok(())
    }

    /// Removes a service from the directory.
    pub async fn delete(self, id: String) -> Result<String, Failure> {
        let s = self.catalog.with_untracked(|c| c.service(&id).cloned()).ok_or_else(|| Failure::refused("This resource is no longer in the directory."))?;
        let mut batch = WriteBatch::new();
        batch.delete::<Service>(&id).journal(&self.core.change(&s, ChangeAction::Deleted, s.name.clone()));
        self.core.write(&batch, "delete the resource").await?;
        let next = self.catalog.with_untracked(|c| c.without(&id));
        self.catalog.write.set(next);
        Ok(s.name)
    }

    /// Writes an imported directory in one transaction. `merge` maps an imported service's
    /// position to the id of the existing service it replaces (a duplicate the coordinator
    /// chose to merge).
    pub async fn import(self, organizations: Vec<Organization>, mut services: Vec<Service>, merge: Vec<(usize, String)>) -> Result<String, Failure> {
        self.ready_to_write()?;
        for (i, existing) in merge {
            let rev = self.catalog.with_untracked(|c| c.service(&existing).map(|s| s.rev));
            if let Some(s) = services.get_mut(i) {
                s.id = existing;
                s.rev = rev.map_or(0, |r| r + 1);
            }
        }
        let mut batch = WriteBatch::new();
        batch.put_all(&organizations).put_all(&services).journal(&Change::new(
            Service::STORE,
            Change::BATCH,
            ChangeAction::Imported,
            web::now(),
            &self.core.by(),
            format!("{} services, {} organizations", services.len(), organizations.len()),
            &web::nonce(),
        ));
        self.core.write(&batch, "import the resources").await?;
        let message = format!("Imported {} and {}.", count_of(services.len(), "resource", "resources"), count_of(organizations.len(), "organization", "organizations"));
        self.stored(&organizations, &services);
        Ok(message)
    }
}

/// The directory as stored: every organization and every service.
async fn read_stored(db: &Db) -> Result<(Vec<Organization>, Vec<Service>), StorageError> {
    Ok((db.load_all().await?, db.load_all().await?))
}
