//! Entry point: installs the panic hook and mounts the app. Everything else lives in the library.
#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(carecoord::app::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("CareCoord runs in the browser: build it with `make dist` (trunk) and open dist/index.html.");
}
