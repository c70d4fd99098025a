//! The one place where confirmations (`role="status"`) and errors (`role="alert"`) appear.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::state::{AppState, Notice};

#[component]
pub fn NoticeArea() -> impl IntoView {
    let state = expect_context::<AppState>();
    let pathname = use_location().pathname;
    // A notice belongs to the page it was given on.
    let current = move || state.notice().get().filter(|(_, path)| *path == pathname.get()).map(|(n, _)| n);
    let done = move || match current() {
        Some(Notice::Done(text)) => text,
        _ => String::new(),
    };
    let failed = move || match current() {
        Some(Notice::Failed(text)) => Some(text),
        _ => None,
    };
    view! {
        <div class="notice-area">
            <p role="status" class="notice notice-done" class:empty=move || done().is_empty()>{done}</p>
            {move || failed().map(|text| view! {
                <div role="alert" class="notice notice-failed">
                    <span>{text}</span>
                    <button type="button" class="link-button" on:click=move |_| state.dismiss_notice()>"Dismiss"</button>
                </div>
            })}
        </div>
    }
}
