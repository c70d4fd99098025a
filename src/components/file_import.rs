//! The state every "choose a file, see a preview, then Import or Cancel" control shares: the
//! file input and the checked preview. `reset` clears both, so choosing the same file again
//! starts over.

use leptos::html::Input;
use leptos::prelude::*;

use crate::web;

pub struct FileImport<T: Send + Sync + 'static> {
    /// The checked file, waiting for Import or Cancel.
    pub preview: RwSignal<Option<T>>,
    /// The `<input type="file">` (bind it with `node_ref`).
    pub input: NodeRef<Input>,
}

impl<T: Send + Sync + 'static> Clone for FileImport<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for FileImport<T> {}

impl<T: Send + Sync + 'static> Default for FileImport<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Send + Sync + 'static> FileImport<T> {
    pub fn new() -> Self {
        FileImport { preview: RwSignal::new(None), input: NodeRef::new() }
    }

    /// No preview, and the input emptied.
    pub fn reset(&self) {
        self.preview.set(None);
        if let Some(el) = self.input.get_untracked() {
            el.set_value("");
        }
    }

    /// The files just chosen (the previous preview is dropped).
    pub fn chosen(&self) -> Vec<web_sys::File> {
        self.preview.set(None);
        self.input.get_untracked().map(|el| web::chosen_files(&el)).unwrap_or_default()
    }
}

/// How many lines a preview lists under one heading (the count in the summary covers all).
const LISTED: usize = 100;

/// A preview's list of rows (problems, rows left out, notes): a `<details>` whose summary
/// says how many, listing the first hundred. Nothing when `items` is empty.
#[component]
pub fn PreviewList(summary: String, items: Vec<String>, #[prop(optional)] open: bool) -> impl IntoView {
    (!items.is_empty()).then(|| {
        view! {
            <details open=open>
                <summary>{summary}</summary>
                <ul>{items.into_iter().take(LISTED).map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
            </details>
        }
    })
}

/// What an import did: the confirmation and everything that was not imported.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// "Imported 8 new patients. 2 rows were not imported: Line 4: …; Line 7: …"
    pub message: String,
    /// Every row left out, with its reason.
    pub left_out: Vec<String>,
}

/// How many left-out rows the outcome lists (the message gives the count of all).
const LISTED_AFTER: usize = 1000;

/// The outcome of an import, under its control until the coordinator dismisses it (a
/// notice at the top of the page would scroll away and be replaced by the next one): the
/// confirmation in `role="status"`, the rows not imported below it, and **Dismiss**.
#[component]
pub fn ImportOutcome(outcome: RwSignal<Option<Outcome>>) -> impl IntoView {
    let message = move || outcome.with(|o| o.as_ref().map(|o| o.message.clone()).unwrap_or_default());
    view! {
        <div class="import-outcome">
            <p role="status" class="notice notice-done" class:empty=move || message().is_empty()>{message}</p>
            {move || outcome.get().map(|o| {
                let more = o.left_out.len().saturating_sub(LISTED_AFTER);
                view! {
                    <div class="import-left-out">
                        {(!o.left_out.is_empty()).then(|| view! {
                            <ul aria-label="Rows not imported">
                                {o.left_out.into_iter().take(LISTED_AFTER).map(|r| view! { <li>{r}</li> }).collect_view()}
                                {(more > 0).then(|| view! { <li>{format!("… and {more} more.")}</li> })}
                            </ul>
                        })}
                        <button type="button" class="link-button" on:click=move |_| outcome.set(None)>"Dismiss"</button>
                    </div>
                }
            })}
        </div>
    }
}
