//! Kiosk mode from the coordinator's app: what it is and the way into it (`/kiosk-mode`,
//! and the same button on the Resources and Settings pages). Starting it hands the
//! directory as stored to the kiosk's own database, sets the lock and loads the kiosk, a
//! build of its own in `kiosk/` (see `pages::kiosk`).

use leptos::prelude::*;

use crate::components::pending::Pending;
use crate::state::{kiosk, AppState};

/// `/kiosk-mode`: what kiosk mode is and the way into it (a bookmark for setting up a
/// waiting-room tablet).
#[component]
pub fn KioskStartPage() -> impl IntoView {
    view! {
        <h1>"Kiosk mode"</h1>
        <section class="card">
            <p>"Kiosk mode turns this device into a waiting-room tablet: the resource directory only, full screen, in English or Spanish. No patient data is shown or read while it is on, whatever address is typed, and it stays on after a reload until the PIN is entered."</p>
            <StartKiosk/>
        </section>
    }
}

/// The **Start kiosk mode** button. With no PIN set on the device it asks for one first.
#[component]
pub fn StartKiosk() -> impl IntoView {
    let asking = RwSignal::new(false);
    let pin = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let pending = Pending::new();
    let state = expect_context::<AppState>();
    // The directory as stored goes to the kiosk first; then the lock, then the kiosk loads.
    let hand_over_and_start = move || async move {
        state.directory.hand_to_kiosk().await.map_err(|f| f.to_string())?;
        kiosk::start()
    };
    let start = move |_| {
        error.set(None);
        if kiosk::pin_is_set() {
            pending.run(async move {
                if let Err(m) = hand_over_and_start().await {
                    error.set(Some(m));
                }
            });
        } else {
            asking.set(true);
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = pin.get_untracked();
        pending.run(async move {
            let result = match kiosk::set_pin(&typed).await {
                Ok(()) => hand_over_and_start().await,
                Err(m) => Err(m),
            };
            if let Err(m) = result {
                error.set(Some(m));
            }
        });
    };
    view! {
        <div class="start-kiosk">
            <button type="button" class="primary" on:click=start disabled=move || pending.get()>"Start kiosk mode"</button>
            <Show when=move || !asking.get()>
                {move || error.get().map(|m| view! { <p role="alert" class="notice notice-failed">{m}</p> })}
            </Show>
            <Show when=move || asking.get()>
                <form class="card first-pin" on:submit=submit novalidate aria-labelledby="first-pin-heading">
                    <h2 id="first-pin-heading">"Set a PIN first"</h2>
                    <p>"Kiosk mode can only be left with this PIN. Write it down somewhere safe: without it, the only way out is to erase everything stored on this device."</p>
                    <div class="field">
                        <label for="first-pin">"PIN"</label>
                        <input id="first-pin" type="password" inputmode="numeric" autocomplete="new-password" aria-describedby="first-pin-hint"
                            prop:value=move || pin.get() on:input=move |ev| pin.set(event_target_value(&ev))/>
                        <p class="hint" id="first-pin-hint">"4 to 8 digits."</p>
                    </div>
                    {move || error.get().map(|m| view! { <p role="alert" class="notice notice-failed">{m}</p> })}
                    <div class="form-actions">
                        <button type="submit" class="primary" disabled=move || pending.get()>"Use this PIN and start"</button>
                        <button type="button" on:click=move |_| { asking.set(false); error.set(None); }>"Cancel"</button>
                    </div>
                </form>
            </Show>
        </div>
    }
}
