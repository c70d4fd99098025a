//! Pages loaded on demand. In the release build (feature `split`, built by
//! `scripts/split-build.mjs`) each page below is a split point: its code, and what only it
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
            "This part of CareCoord is not on this device yet and could not be downloaded. "
            "Connect to the network and reload the page. Your records are safe on this device."
        </p>
    }
}

/// One module per page, `name in group => Page`: `name::view()` is the route's view and
/// `name::fetch()` fetches its modules without drawing. The pages of one `group` are fetched
/// together (fewer, larger modules than one per page: the splitter makes a module for each
/// set of groups that share code).
macro_rules! on_demand {
    ($($route:ident in $group:ident => $page:path),* $(,)?) => {$(
        pub mod $route {
            use super::*;

            pub fn view() -> OnDemand {
                #[cfg(feature = "split")]
                return OnDemand(|| Box::pin($route()));
                #[cfg(not(feature = "split"))]
                return OnDemand(|| Box::pin(std::future::ready($route())));
            }

            #[cfg_attr(feature = "split", leptos::wasm_split::wasm_split($group, wasm_split_path = ::leptos::wasm_split, preload(#[allow(dead_code)] fetch), fallible))]
            pub(super) fn $route() -> Result<AnyView, NotLoaded> {
                Ok($page().into_any())
            }

            #[cfg(not(feature = "split"))]
            #[allow(dead_code)] // fetch_for names one page of each group
            pub(super) async fn fetch() -> Result<(), NotLoaded> {
                Ok(())
            }
        }
    )*};
}

on_demand! {
    panel in panel => crate::pages::panel::PanelPage,
    today in registry => crate::pages::today::TodayPage,
    registry in registry => crate::pages::registry::RegistryPage,
    recalls in registry => crate::pages::recalls::RecallsPage,
    care_time in registry => crate::pages::care_time::CareTimePage,
    patient in patients => crate::pages::patient::PatientPage,
    referrals in patients => crate::pages::referrals::ReferralsPage,
    referral in patients => crate::pages::referral::ReferralPage,
    resources in directory => crate::pages::resources::ResourcesPage,
    kiosk_start in directory => crate::pages::kiosk_mode::KioskStartPage,
    data in admin => crate::pages::data::DataPage,
    settings in admin => crate::pages::settings::SettingsPage,
}

/// Starts fetching the modules of the page at `path` (the address the app opens at), so they
/// arrive while the stores are read rather than after. Only the first part of the path
/// counts; an unknown one fetches nothing (the route then shows Not found).
pub fn fetch_for(path: &str) {
    let first = path.trim_start_matches('/').split('/').next().unwrap_or_default().to_string();
    leptos::task::spawn_local(async move {
        // A failure is shown when the page is drawn; here it only means nothing was fetched.
        let _ = match first.as_str() {
            "" => today::fetch().await,
            "panel" => panel::fetch().await,
            "registry" | "recalls" | "care-time" => registry::fetch().await,
            "patients" | "referrals" => patient::fetch().await,
            "resources" | "kiosk-mode" => resources::fetch().await,
            "data" | "settings" => data::fetch().await,
            _ => Ok(()),
        };
    });
}

/// Fetches every page's modules, once the app has read its stores: a page opened later is
/// drawn at once, with no fetch between the click and the page.
pub fn fetch_all() {
    leptos::task::spawn_local(async {
        let _ = today::fetch().await;
        let _ = panel::fetch().await;
        let _ = patient::fetch().await;
        let _ = resources::fetch().await;
        let _ = data::fetch().await;
    });
}
