//! Shows a page's content once the stored records are in memory, and a clear message if the
//! browser's storage cannot be opened.

use leptos::prelude::*;

use crate::state::{AppState, LoadStatus};

/// Renders `children` when the panel is loaded.
#[component]
pub fn WhenLoaded(children: ChildrenFn) -> impl IntoView {
    let state = expect_context::<AppState>();
    move || match state.load().get() {
        LoadStatus::Loading => view! { <p class="loading" aria-busy="true">"Loading your records…"</p> }.into_any(),
        LoadStatus::Failed(message) => view! {
            <div role="alert" class="notice notice-failed">
                <p>{message}</p>
                <p>"Your records have not been changed. Reload the page to try again; if this keeps happening, the browser may be blocking storage for this site."</p>
            </div>
        }
        .into_any(),
        LoadStatus::Ready => children().into_any(),
    }
}
