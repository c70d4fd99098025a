//! The frame of every page of the coordinator's app: its one `<h1>`, the line under it, and
//! the content once the stored records are in memory (`WhenLoaded`: a loading message until
//! then, or what went wrong).

use leptos::prelude::*;

use crate::components::loading::WhenLoaded;

#[component]
pub fn Page(
    /// The page's one `<h1>` (it may change, as on a record's page once the record is read).
    #[prop(into)]
    title: Signal<String>,
    /// A line under the heading. Empty: none.
    #[prop(optional, into)]
    subtitle: Signal<String>,
    /// The heading and the line under it are left off paper (pages that print a sheet with a
    /// heading of its own: the huddle sheet, the referral letter, the handout).
    #[prop(optional)]
    screen_only: bool,
    /// The content needs none of the stored records and shows at once (Data, Settings).
    #[prop(optional)]
    without_records: bool,
    /// The content shows the panel's first rows while the rest is read (the panel page).
    #[prop(optional)]
    first_rows: bool,
    /// The page's content.
    children: ChildrenFn,
) -> impl IntoView {
    let content = if without_records { children().into_any() } else { view! { <WhenLoaded first_rows=first_rows children=children/> }.into_any() };
    view! {
        <h1 class:screen-only=screen_only>{move || title.get()}</h1>
        {move || {
            let text = subtitle.get();
            (!text.is_empty()).then(|| view! { <p class="subtitle" class:screen-only=screen_only>{text}</p> })
        }}
        {content}
    }
}
