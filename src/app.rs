//! The app shell: header, navigation, the notice area and the routes.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;

use crate::components::notice::NoticeArea;
use crate::pages::{
    data::DataPage, panel::PanelPage, patient::PatientPage, recalls::RecallsPage, referral::ReferralPage, referrals::ReferralsPage, resources::ResourcesPage, registry::RegistryPage, settings::SettingsPage,
    today::TodayPage,
};
use crate::state::AppState;
use crate::storage::DB_NAME;

/// The app: the kiosk on its own at `/kiosk` (nothing else is loaded there), else the
/// coordinator's app with its navigation.
#[component]
pub fn App() -> impl IntoView {
    let path = web_sys::window().and_then(|w| w.location().pathname().ok()).unwrap_or_default();
    if path == "/kiosk" || path.starts_with("/kiosk/") {
        return view! { <crate::pages::kiosk::KioskApp/> }.into_any();
    }
    view! { <CoordinatorApp/> }.into_any()
}

#[component]
fn CoordinatorApp() -> impl IntoView {
    let state = AppState::start(DB_NAME);
    view! {
        <Router>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <header class="app-header">
                <span class="brand">"CareCoord"</span>
                <span class="who">
                    {move || state.settings.with(|s| {
                        let clinic = s.clinic_name.clone();
                        let name = if s.coordinator_name.is_empty() { "Name not set".to_string() } else { s.coordinator_name.clone() };
                        if clinic.is_empty() { name } else { format!("{name} · {clinic}") }
                    })}
                </span>
            </header>
            <nav aria-label="Main" class="main-nav">
                <A href="/" exact=true>"Today"</A>
                <A href="/panel">"Panel"</A>
                <A href="/registry">"Registry"</A>
                <A href="/recalls">"Recalls"</A>
                <A href="/referrals">"Referrals"</A>
                <A href="/resources">"Resources"</A>
                <A href="/data">"Data"</A>
                <A href="/settings">"Settings"</A>
            </nav>
            <NoticeArea/>
            <main id="main" tabindex="-1">
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view=TodayPage/>
                    <Route path=path!("/panel") view=PanelPage/>
                    <Route path=path!("/patients/:id") view=PatientPage/>
                    <Route path=path!("/registry") view=RegistryPage/>
                    <Route path=path!("/recalls") view=RecallsPage/>
                    <Route path=path!("/referrals") view=ReferralsPage/>
                    <Route path=path!("/referrals/:id") view=ReferralPage/>
                    <Route path=path!("/resources") view=ResourcesPage/>
                    <Route path=path!("/data") view=DataPage/>
                    <Route path=path!("/settings") view=SettingsPage/>
                </Routes>
            </main>
        </Router>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    view! {
        <h1>"Page not found"</h1>
        <p>"There is no page at this address. " <a href="/">"Go to Today"</a>"."</p>
    }
}
