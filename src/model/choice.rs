//! Choices: the enums the coordinator picks one value of (a select, a CSV column), each
//! value with a stored code and a label. [`Choice`] lets what works on any of them (a
//! select's options, a column's reader, the checks below) be written once.
//!
//! Each type keeps its own `ALL`, `code`, `label` (and, for most, `parse`) as inherent
//! items, so callers need not import the trait; the trait is implemented from them with
//! `choice_impl!`. A type's own `parse` may differ from [`Choice::parse`]: some read an
//! empty text as their default (`Urgency::parse("")` is routine) or read codes only.

use super::text::fold;

/// An enum with a fixed list of values, each with a stored code and a label.
pub trait Choice: Copy + PartialEq + std::fmt::Debug + 'static {
    /// Every value, in the order they are offered.
    fn all() -> &'static [Self];

    /// The stored code (what records and files carry); unique within the type.
    fn code(&self) -> &'static str;

    /// What the coordinator reads.
    fn label(&self) -> &'static str;

    /// The value whose code (case ignored) or label (case and accents ignored) is `s`,
    /// spaces around it ignored.
    fn parse(s: &str) -> Option<Self> {
        by_code(s).or_else(|| {
            let f = fold(s.trim());
            Self::all().iter().copied().find(|x| fold(x.label()) == f)
        })
    }
}

/// The value of `T` whose code is `s` (case and surrounding spaces ignored).
pub fn by_code<T: Choice>(s: &str) -> Option<T> {
    let s = s.trim();
    T::all().iter().copied().find(|x| x.code().eq_ignore_ascii_case(s))
}

/// [`by_code`], with a blank `s` read as `blank` (a form's choice left at its default).
pub fn by_code_or<T: Choice>(s: &str, blank: T) -> Option<T> {
    if s.trim().is_empty() {
        Some(blank)
    } else {
        by_code(s)
    }
}

/// Implements [`Choice`] for types with inherent `ALL`, `code(self)` and `label(self)`:
/// `choice_impl!(Urgency, PriorAuthStatus)` keeps the trait's `parse`;
/// `choice_impl!(own_parse: Sex)` uses the type's own `parse`, for types whose `parse`
/// already reads codes and labels (and more).
macro_rules! choice_impl {
    (@common $t:ty) => {
        fn all() -> &'static [Self] {
            &<$t>::ALL
        }

        fn code(&self) -> &'static str {
            <$t>::code(*self)
        }

        fn label(&self) -> &'static str {
            <$t>::label(*self)
        }
    };
    (own_parse: $($t:ty),+ $(,)?) => {
        $(impl $crate::model::choice::Choice for $t {
            $crate::model::choice::choice_impl!(@common $t);

            fn parse(s: &str) -> Option<Self> {
                <$t>::parse(s)
            }
        })+
    };
    ($($t:ty),+ $(,)?) => {
        $(impl $crate::model::choice::Choice for $t {
            $crate::model::choice::choice_impl!(@common $t);
        })+
    };
}

pub(crate) use choice_impl;

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::model::appointment::ChecklistItem;
    use crate::model::care::EventOutcome;
    use crate::model::care_codes::Terminology;
    use crate::model::directory::{Category, ServiceStatus};
    use crate::model::contact::{ContactMethod, ContactOutcome, Direction, Party, Purpose};
    use crate::model::encounter::EncounterClass;
    use crate::model::refill::{RefillStatus, Requester};
    use crate::model::transition::{ClockKind, Step};
    use crate::model::work_queue::QueueKind;
    use crate::model::i18n::Lang;
    use crate::model::recall::{OutreachMethod, OutreachOutcome};
    use crate::model::referral::{CommunityOutcome, PriorAuthStatus, ReferralKind, ReferralStatus, Urgency};
    use crate::model::{ChangeAction, ChronicCondition, CodeSystem, Sex};

    /// Every value reads back from its code and from its label; codes are unique.
    fn reads_back<T: Choice>() {
        let name = std::any::type_name::<T>();
        assert!(!T::all().is_empty(), "{name}");
        let codes: HashSet<&str> = T::all().iter().map(|x| x.code()).collect();
        assert_eq!(codes.len(), T::all().len(), "{name}: codes are not unique");
        for &x in T::all() {
            assert!(!x.code().is_empty() && !x.label().is_empty(), "{name}: {x:?}");
            assert_eq!(T::parse(x.code()), Some(x), "{name}: code {}", x.code());
            assert_eq!(T::parse(&x.code().to_uppercase()), Some(x), "{name}: code {} in capitals", x.code());
            assert_eq!(T::parse(x.label()), Some(x), "{name}: label {}", x.label());
            assert_eq!(by_code::<T>(&format!(" {} ", x.code())), Some(x), "{name}: {x:?}");
        }
        assert_eq!(T::parse("no such choice"), None, "{name}");
    }

    /// Records store the value as its code (serde's name for it is the code).
    fn stored_as_code<T: Choice + serde::Serialize>() {
        for x in T::all() {
            assert_eq!(serde_json::to_value(x).unwrap(), serde_json::json!(x.code()), "{}", std::any::type_name::<T>());
        }
    }

    /// A choice that records store: it reads back, and is stored as its code.
    fn stored_choice<T: Choice + serde::Serialize>() {
        reads_back::<T>();
        stored_as_code::<T>();
    }

    #[test]
    fn every_choice_reads_back_from_its_code_and_label() {
        stored_choice::<ReferralKind>();
        stored_choice::<Urgency>();
        stored_choice::<ReferralStatus>();
        stored_choice::<PriorAuthStatus>();
        stored_choice::<CommunityOutcome>();
        stored_choice::<Sex>();
        stored_choice::<Category>();
        stored_choice::<OutreachMethod>();
        stored_choice::<OutreachOutcome>();
        stored_choice::<EventOutcome>();
        stored_choice::<ChangeAction>();
        stored_choice::<ChronicCondition>();
        stored_choice::<CodeSystem>();
        stored_choice::<EncounterClass>();
        stored_choice::<Direction>();
        stored_choice::<Party>();
        stored_choice::<ContactMethod>();
        stored_choice::<Purpose>();
        stored_choice::<ContactOutcome>();
        stored_choice::<Requester>();
        stored_choice::<RefillStatus>();
        // Its code is HSDS's ("temporarily closed"); records keep serde's "temporarily_closed".
        reads_back::<ServiceStatus>();
        // Not stored: element ids and the page's language.
        reads_back::<ChecklistItem>();
        reads_back::<Lang>();
        // Not stored: the code systems of care history (`model::care_codes`).
        reads_back::<Terminology>();
        // Not stored: the transition clocks and steps, the work queue's kinds.
        reads_back::<ClockKind>();
        reads_back::<Step>();
        reads_back::<QueueKind>();
    }

    #[test]
    fn own_parsers_keep_what_they_read() {
        // The trait reads codes and labels; a type's own parse keeps its own rules.
        assert_eq!(Urgency::parse(""), Some(Urgency::Routine));
        assert_eq!(<Urgency as Choice>::parse(""), None);
        assert_eq!(PriorAuthStatus::parse(" "), Some(PriorAuthStatus::NotNeeded));
        assert_eq!(ReferralKind::parse("Community resource"), None, "the type's own parse reads codes only");
        assert_eq!(<ReferralKind as Choice>::parse("community resource"), Some(ReferralKind::Community));
        assert_eq!(<Sex as Choice>::parse("F"), Some(Sex::Female));
        assert_eq!(<Category as Choice>::parse("Vivienda"), Some(Category::Housing));
        assert_eq!(<ServiceStatus as Choice>::parse("temporarily_closed"), Some(ServiceStatus::TemporarilyClosed));
        assert_eq!(<Lang as Choice>::parse("espanol"), Some(Lang::Es));
    }
}
