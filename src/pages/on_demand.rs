//! Pages loaded on demand. In the release build (feature `split`, built by
//! `scripts/split-build.sh`) each page below is a split point: its code, and what only it
//! uses, goes into wasm modules of their own that the browser fetches the first time the
//! page opens (the service worker keeps them for offline use). The app's first download is
//! then what starting needs: the shell, the state and the stores. Without the
//! feature (the browser tests, `cargo check`) the same pages are linked in as usual.

use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;
use leptos_router::ChooseView;

/// A page's module could not be fetched (the device is offline and never had it, or the
/// site was updated in between): the route shows [`PageNotLoaded`] instead.
#[derive(Debug, Clone, Copy)]
pub struct NotLoaded;

#[cfg(feature = "split")]
impl From<leptos::wasm_split::SplitLoaderError> for NotLoaded {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        NotLoaded
    }
}

type Drawing = Pin<Box<dyn Future<Output = Result<AnyView, NotLoaded>>>>;

/// A route's view that is fetched (if need be) and then drawn.
#[derive(Clone, Copy)]
pub struct OnDemand(fn() -> Drawing);

impl ChooseView for OnDemand {
    async fn choose(self) -> AnyView {
        match (self.0)().await {
            Ok(view) => view,
            Err(NotLoaded) => view! { <PageNotLoaded/> }.into_any(),
        }
    }

    async fn preload(&self) {}
}

#[component]
fn PageNotLoaded() -> impl IntoView {
    view! {
        <h1>"This page could not be opened"</h1>
        <p role="alert">
            "Its part of CareCoord is not on this device yet and could not be downloaded. "
            "Connect to the network and reload the page. Your records are safe on this device."
        </p>
    }
}

/// One function per page, `name in module => Page`: `name()` is the route's view; the pages
/// of one `module` are fetched together (fewer, larger modules than one per page: the
/// splitter makes a module for each set of pages that share code).
macro_rules! on_demand {
    ($($route:ident in $module:ident => $page:path),* $(,)?) => {$(
        pub fn $route() -> OnDemand {
            #[cfg_attr(feature = "split", leptos::wasm_split::wasm_split($module, wasm_split_path = ::leptos::wasm_split, fallible))]
            fn $route() -> Result<AnyView, NotLoaded> {
                Ok($page().into_any())
            }
            #[cfg(feature = "split")]
            return OnDemand(|| Box::pin($route()));
            #[cfg(not(feature = "split"))]
            return OnDemand(|| Box::pin(std::future::ready($route())));
        }
    )*};
}

on_demand! {
    panel in panel => super::panel::PanelPage,
    today in registry => super::today::TodayPage,
    registry in registry => super::registry::RegistryPage,
    recalls in registry => super::recalls::RecallsPage,
    care_time in registry => super::care_time::CareTimePage,
    patient in patients => super::patient::PatientPage,
    referrals in patients => super::referrals::ReferralsPage,
    referral in patients => super::referral::ReferralPage,
    resources in directory => super::resources::ResourcesPage,
    kiosk_start in directory => super::kiosk_mode::KioskStartPage,
    data in admin => super::data::DataPage,
    settings in admin => super::settings::SettingsPage,
}
