//! The referrals slice: every referral as the work list needs it (without its history,
//! [`Listed`]), the whole record read from the store on demand, and the changes to them.

use std::ops::Deref;

use leptos::prelude::*;

use super::{Core, Failure, Held, SaveError, Snapshotted};
use crate::model::referral::{Referral, ReferralDraft, ReferralFieldError, ReferralStatus};
use crate::model::{upsert_by_id, ChangeAction, Listed, Panel, Record};
use crate::storage::tabs::Fresh;
use crate::storage::{RestOf, WriteBatch, Written};
use crate::web;

/// The referrals: read them through [`Deref`] (`state.referrals.with(|list| …)`). They are
/// held without their history (`Referral::listed`): what needs it (the referral's page, a
/// form's `base`) reads the whole record with [`ReferralState::full`].
#[derive(Clone, Copy)]
pub struct ReferralState {
    core: Core,
    panel: ReadSignal<Panel>,
    referrals: Held<Vec<Referral>>,
    snapshot: Snapshotted,
}

impl Deref for ReferralState {
    type Target = ReadSignal<Vec<Referral>>;
    fn deref(&self) -> &ReadSignal<Vec<Referral>> {
        &self.referrals
    }
}

impl ReferralState {
    pub(super) fn new(core: Core, panel: ReadSignal<Panel>) -> ReferralState {
        ReferralState { core, panel, referrals: Held::new(Vec::new()), snapshot: Snapshotted::new() }
    }

    /// The newest referrals, read first so the work list's first rows show early; the
    /// others follow with [`ReferralState::loaded`] (counts say "…" until then).
    pub(super) fn loaded_first(self, newest: Vec<Referral>) {
        self.referrals.write.set(newest);
    }

    /// The rest of the referrals, read after the first part at generation `gen` of the
    /// store (or every referral again, when the snapshot's second part was not of that
    /// generation).
    pub(super) fn loaded(self, rest: RestOf<Referral>, gen: u64, from_snapshot: bool) {
        let (gen, from_snapshot) = match rest {
            RestOf::More(more) => {
                if !more.is_empty() {
                    self.referrals.write.update(|l| l.extend(more));
                }
                (gen, from_snapshot)
            }
            RestOf::Everything(all, now) => {
                self.referrals.write.set(all);
                (now, false)
            }
        };
        self.snapshot.gen.set_value(gen);
        if !from_snapshot {
            self.snapshot.written::<Referral>(self.core, gen);
        }
    }

    /// After a write: the referrals match the generation it created.
    pub(super) fn written(self, written: &Written) {
        if let Some(gen) = written.of(Referral::STORE) {
            self.snapshot.written::<Referral>(self.core, gen);
        }
    }

    pub(super) fn heard(self, gen: Option<u64>) {
        self.snapshot.heard(gen);
    }

    /// Every referral replaced by `all` (a backup restored).
    pub(super) fn replace_all(self, all: Vec<Referral>) {
        self.referrals.write.set(all.into_iter().map(Referral::listed).collect());
    }

    /// `records` added or put in place of those with their ids (a backup merged).
    pub(super) fn upsert_all(self, records: Vec<Referral>) {
        self.referrals.write.update(|l| upsert_by_id(l, records.into_iter().map(Referral::listed)));
    }

    /// What another tab's write left on disk.
    pub(super) fn apply_fresh(self, fresh: Fresh<Referral>) {
        let fresh = fresh.map(Referral::listed);
        self.referrals.write.update(|l| fresh.apply_to(l));
    }

    /// The whole referral (with its history) as stored now; `None` when it is not stored.
    pub async fn full(self, id: String) -> Result<Option<Referral>, Failure> {
        Ok(self.core.db()?.get::<Referral>(&id).await?)
    }

    pub(super) fn forget_patient(self, patient_id: &str) {
        self.referrals.write.update(|list| list.retain(|r| r.patient_id != patient_id));
    }

    fn stored(self, referral: Referral, written: &Written) {
        self.referrals.write.update(|l| upsert_by_id(l, [referral.listed()]));
        self.written(written);
    }

    /// Saves a new referral; `send_now` marks it requested at once (otherwise it stays a draft).
    pub async fn create(self, draft: ReferralDraft, send_now: bool) -> Result<Referral, SaveError<ReferralFieldError>> {
        self.core.all_read().await?;
        let settings = self.core.settings.with_untracked(|s| s.referral);
        let valid = draft.validate(web::today(), &settings).map_err(SaveError::Fields)?;
        if self.panel.with_untracked(|p| p.get(&valid.patient_id).is_none()) {
            return Err(Failure::refused("This patient is no longer on the panel.").into());
        }
        let (by, now) = (self.core.by(), web::now());
        let mut referral = valid.into_new(web::new_id(), &by, now);
        if send_now {
            referral = referral.move_to(ReferralStatus::Requested, &by, now, "").map_err(Failure::Refused)?;
        }
        let mut batch = WriteBatch::new();
        batch.add(&referral).journal(&self.core.change(&referral, ChangeAction::Created, format!("referral to {}", referral.referred_to)));
        let written = self.core.write(&batch, "save the referral").await?;
        self.stored(referral.clone(), &written);
        Ok(referral)
    }

    /// Saves the form's changes to `base` (the referral as the form was drawn from), with an
    /// optional note. Checked against the referral as stored: merged when another window
    /// changed other fields meanwhile, refused when it changed the same ones.
    pub async fn edit(self, base: Referral, draft: ReferralDraft, note: String) -> Result<Referral, SaveError<ReferralFieldError>> {
        self.core.all_read().await?;
        let settings = self.core.settings.with_untracked(|s| s.referral);
        let mine = base.apply_edit(&draft, web::today(), &settings, &self.core.by(), web::now(), &note).map_err(SaveError::Fields)?;
        if mine == base {
            return Ok(base);
        }
        let what = base.changed_fields(&mine).join(", ");
        let summary = if what.is_empty() { "note".to_string() } else { what };
        let list = self.referrals.write;
        let stale = move |current: Referral| list.update(|l| upsert_by_id(l, [current.listed()]));
        let (referral, written) = self.core.save_revised(&base, mine, "This referral", summary, "save the referral", stale).await?;
        self.stored(referral.clone(), &written);
        Ok(referral)
    }

    /// Moves a referral to another status: the move is made on the referral as stored, and
    /// only the moves its status allows succeed.
    pub async fn move_to(self, id: String, to: ReferralStatus, note: String) -> Result<Referral, Failure> {
        self.core.all_read().await?;
        let (by, now) = (self.core.by(), web::now());
        let apply = |r: &mut Referral| {
            *r = r.move_to(to, &by, now, &note)?;
            Ok(())
        };
        let summary = format!("status → {}", to.code());
        let (referral, written) = self.core.update(&id, apply, summary, "This referral", "save the referral").await?;
        self.stored(referral.clone(), &written);
        Ok(referral)
    }
}
