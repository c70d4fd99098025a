//! The backup: every store exported from disk, or a checked backup written in one
//! transaction (Replace or Merge). It reaches every slice, so it is [`AppState`]'s.

use leptos::prelude::*;

use super::{AppState, Failure};
use crate::io::backup::{self, Backup, BackupContents};
use crate::model::care::CareRule;
use crate::model::catalog::Catalog;
use crate::model::registry::Registry;
use crate::model::schema::DATA_STORES;
use crate::model::{upsert_by_id, Change, ChangeAction, Panel, Patient, Record};
use crate::pages::count_of;
use crate::model::protection::{check_new_passphrase, BackupEnvelope};
use crate::storage::{crypto, WriteBatch};
use crate::web;

/// How an imported backup meets what is already stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportMode {
    /// Everything stored now is replaced by the backup.
    Replace,
    /// Records are added, or updated when the id is already stored.
    Merge,
}

impl AppState {
    /// Everything stored, as a backup file's name, its text and the number of patients;
    /// with `passphrase` (typed twice), encrypted under it in an envelope
    /// (`model::protection::BackupEnvelope`).
    pub async fn export_backup(self, passphrase: Option<(String, String)>) -> Result<(String, String, usize), Failure> {
        if let Some((new, repeat)) = &passphrase {
            check_new_passphrase(new, repeat).map_err(Failure::Refused)?;
        }
        self.core.all_read().await?;
        // From disk, every store in one transaction: what is stored, not what this tab holds.
        let contents = self.core.db()?.load_contents().await?;
        let text = backup::write(&contents, web::now());
        let name = backup::file_name(web::today());
        match passphrase {
            None => Ok((name, text, contents.patients.len())),
            Some((passphrase, _)) => {
                let sealed = crypto::seal_backup(&text, &passphrase).await.map_err(Failure::Storage)?;
                Ok((name.replace(".json", "-encrypted.json"), sealed, contents.patients.len()))
            }
        }
    }

    /// The backup inside an encrypted backup's envelope, checked, when `passphrase` opens it.
    pub async fn open_backup(self, envelope: BackupEnvelope, passphrase: String) -> Result<Backup, Failure> {
        let text = crypto::open_backup(&envelope, &passphrase).await.map_err(Failure::Storage)?;
        let text = text.ok_or_else(|| Failure::refused("That passphrase does not open this backup (or the file was changed)."))?;
        backup::parse(&text, web::today()).map_err(|e| Failure::Refused(format!("The backup was opened but not imported. {e}")))
    }

    /// Writes a checked backup in one transaction: all of it or nothing. Problem-list
    /// entries from a backup older than schema 8 get random ids here (see `model::schema`).
    pub async fn import_backup(self, mut backup: Backup, mode: ImportMode) -> Result<String, Failure> {
        self.core.all_read().await?;
        for c in backup.contents.conditions.iter_mut().filter(|c| !c.has_opaque_id()) {
            c.rekey(web::new_id());
        }
        let how = match mode {
            ImportMode::Replace => "replacing everything",
            ImportMode::Merge => "merged by id",
        };
        let summary = format!("backup: {} patients, {how}", backup.contents.patients.len());
        let mut batch = WriteBatch::new();
        if mode == ImportMode::Replace {
            for store in DATA_STORES {
                batch.clear(store);
            }
        }
        batch
            .put_contents(&backup.contents)
            .journal(&Change::new(Patient::STORE, Change::BATCH, ChangeAction::Imported, web::now(), &self.core.by(), summary, &web::nonce()));
        let written = self.core.write(&batch, "import the backup").await?;
        // The journal is not held in memory (it is read when shown).
        let BackupContents {
            patients,
            changes: _,
            conditions,
            care_events,
            care_rules,
            appointments,
            outreach,
            referrals,
            organizations,
            services,
            encounters,
            contacts,
            transitions,
            refills,
            queue_marks,
        } = backup.contents;
        let count = patients.len();
        match mode {
            ImportMode::Replace => {
                self.registry.write().set(Registry::new(conditions, care_events, care_rules).with_encounters(encounters));
                self.schedule.write_appointments().set(appointments);
                self.schedule.write_outreach().set(outreach);
                self.day.loaded(contacts, transitions, refills, queue_marks);
                self.referrals.replace_all(referrals);
                self.directory.set(Catalog::new(organizations, services));
                self.panel.write().set(Panel::new(patients));
            }
            ImportMode::Merge => {
                let rules: Vec<CareRule> = self.core.db()?.load_all().await?;
                self.registry.write().update(|r| {
                    for c in conditions {
                        r.put_condition(c);
                    }
                    for e in care_events {
                        r.put_event(e);
                    }
                    for e in encounters {
                        r.put_encounter(e);
                    }
                    r.set_rules(rules);
                });
                self.schedule.write_appointments().update(|list| upsert_by_id(list, appointments));
                self.schedule.write_outreach().update(|list| upsert_by_id(list, outreach));
                self.day.write_contacts().update(|list| upsert_by_id(list, contacts));
                self.day.write_transitions().update(|list| upsert_by_id(list, transitions));
                self.day.write_refills().update(|list| upsert_by_id(list, refills));
                self.day.write_marks().update(|list| upsert_by_id(list, queue_marks));
                self.referrals.upsert_all(referrals);
                let merged = self.directory.with_untracked(|c| c.with(&organizations, &services));
                self.directory.set(merged);
                self.panel.write().update(|p| p.upsert_all(patients));
            }
        }
        self.written(&written);
        Ok(format!("Imported {} from the backup ({how}).", count_of(count, "patient", "patients")))
    }
}
