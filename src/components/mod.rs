//! Widgets shared by several pages. Thin views: the rules live in `model`, the writes in `state`.

pub mod care_gaps;
pub mod care_profile;
pub mod contact_log;
pub mod field;
pub mod file_import;
pub mod loading;
pub mod notice;
pub mod page;
pub mod patient_form;
pub mod pending;
pub mod patient_picker;
pub mod patient_referrals;
pub mod referral_form;
pub mod refills;
pub mod service_card;
pub mod transitions;
pub mod update_prompt;
pub mod work_queue;
