//! The waiting-room kiosk's entry point, a wasm binary of its own (served from `kiosk/`):
//! it mounts `pages::kiosk::KioskMain` and nothing else, so the coordinator's pages, state
//! and stores are not in it.
#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(carecoord::pages::kiosk::KioskMain);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The CareCoord kiosk runs in the browser: build it with `make dist` (trunk) and open dist/kiosk/.");
}
