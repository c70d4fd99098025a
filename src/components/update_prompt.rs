//! The offer of a new version of CareCoord, once the service worker has downloaded it.

use leptos::prelude::*;

use crate::state::update::AppUpdate;

/// "A new version of CareCoord is ready." with **Reload** (use it now) and **Later** (it
/// starts the next time CareCoord is opened after every tab of it has closed). Nothing is
/// drawn while no new version waits.
#[component]
pub fn UpdatePrompt() -> impl IntoView {
    let update = expect_context::<AppUpdate>();
    view! {
        <Show when=move || update.offered().get()>
            <div class="device-warning update-ready" role="status">
                <span>
                    <strong>"A new version of CareCoord is ready."</strong>
                    " Reload to use it now; your records stay as they are. Or choose Later: it starts the next time CareCoord is opened after all its tabs are closed."
                </span>
                <button type="button" on:click=move |_| update.reload()>"Reload"</button>
                <button type="button" class="link-button" on:click=move |_| update.later()>"Later"</button>
            </div>
        </Show>
    }
}
