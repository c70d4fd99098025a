//! Shows a page's content once the stored records are in memory, and a clear message if the
//! browser's storage cannot be opened.

use leptos::prelude::*;

use crate::state::{AppState, LoadStatus};

/// Renders `children` when the panel is loaded, or (`first_rows`: the panel page) as soon
/// as its first rows are.
#[component]
pub fn WhenLoaded(#[prop(optional)] first_rows: bool, children: ChildrenFn) -> impl IntoView {
    let state = expect_context::<AppState>();
    let first_rows_only = state.panel.first_rows_only();
    // The content is one state whether drawn from the first rows or the whole panel, so it
    // is not drawn again when the rest arrives.
    let shown = Memo::new(move |_| match state.load().get() {
        LoadStatus::Loading if first_rows && first_rows_only.get() => LoadStatus::Ready,
        other => other,
    });
    move || match shown.get() {
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
