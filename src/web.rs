//! Browser glue that is not storage: the clock, random ids, files in and out, and the
//! service worker ([`sw`]).

use chrono::NaiveDate;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::model::{ids, Timestamp};

pub mod sw;

/// Where the kiosk build is served (`dist/kiosk/`, its own wasm; see `pages::kiosk`).
pub const KIOSK_PATH: &str = "/kiosk/";

/// localStorage key that sets "today" for tests and demonstrations ("2026-03-01").
pub const TODAY_OVERRIDE_KEY: &str = "carecoord.today";

/// The coordinator's local calendar date, or the date set under [`TODAY_OVERRIDE_KEY`].
pub fn today() -> NaiveDate {
    crate::storage::device::get(TODAY_OVERRIDE_KEY)
        .and_then(|s| crate::model::dates::parse_date(&s))
        .unwrap_or_else(|| chrono::Local::now().date_naive())
}

/// The coordinator's local date and time, on [`today`] (so an overridden day keeps the
/// clock's time of day): what "open now" is checked against.
pub fn local_now() -> chrono::NaiveDateTime {
    today().and_time(chrono::Local::now().time())
}

/// The current time.
pub fn now() -> Timestamp {
    chrono::Utc::now()
}

/// The current time in milliseconds since 1970 (UTC), as the browser's clock gives it.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// A `performance.mark` (the app's steps of a load, for the benchmarks).
pub fn mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}

/// The path of the page's address ("/panel"); empty if the browser gives none.
pub fn path() -> String {
    web_sys::window().and_then(|w| w.location().pathname().ok()).unwrap_or_default()
}

/// Loads `path` in place of the current page, leaving no history entry to go back to.
pub fn replace_location(path: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().replace(path);
    }
}

/// Loads the page again (how the app locks: everything in memory goes with the page).
pub fn reload() {
    if let Some(w) = web_sys::window() {
        let _ = w.location().reload();
    }
}

/// `N` random bytes from the browser's cryptographic generator.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    let crypto = web_sys::window().and_then(|w| w.crypto().ok());
    match crypto {
        Some(c) if c.get_random_values_with_u8_array(&mut bytes).is_ok() => {}
        _ => {
            // No Web Crypto (very old browser): fall back to Math.random.
            for b in bytes.iter_mut() {
                *b = (js_sys::Math::random() * 256.0) as u8;
            }
        }
    }
    bytes
}

/// A new record id (UUID v4).
pub fn new_id() -> String {
    ids::uuid_v4(random_bytes())
}

/// A short random tag for journal ids.
pub fn nonce() -> String {
    ids::hex(&random_bytes::<4>())
}

/// Offers `text` to the coordinator as a downloaded file.
pub fn download(file_name: &str, mime: &str, text: &str) -> Result<(), String> {
    download_part(file_name, mime, &JsValue::from_str(text))
}

/// Offers `bytes` (a zip) as a downloaded file.
pub fn download_bytes(file_name: &str, mime: &str, bytes: &[u8]) -> Result<(), String> {
    download_part(file_name, mime, &js_sys::Uint8Array::from(bytes))
}

fn download_part(file_name: &str, mime: &str, part: &JsValue) -> Result<(), String> {
    let fail = |_| format!("Could not save the file {file_name}.");
    let parts = js_sys::Array::of1(part);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_buffer_source_sequence_and_options(&parts, &options).map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or("No document.")?;
    let a: web_sys::HtmlAnchorElement = document.create_element("a").map_err(fail)?.unchecked_into();
    a.set_href(&url);
    a.set_download(file_name);
    a.style().set_property("display", "none").ok();
    document.body().ok_or("No body.")?.append_child(&a).map_err(fail)?;
    a.click();
    a.remove();
    // Let the browser start the download before the URL is released.
    let release = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    if let Some(w) = web_sys::window() {
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(release.unchecked_ref(), 10_000);
    }
    Ok(())
}

/// The text of a file the coordinator picked, decoded by [`crate::io::text::decode`]
/// (UTF-8, UTF-16 with a byte-order mark, else Windows-1252 with a note to show). A file
/// over [`crate::io::text::MAX_IMPORT_BYTES`] is refused before it is read.
pub async fn read_text(file: &web_sys::File) -> Result<crate::io::text::Decoded, String> {
    let bytes = read_bytes(file).await?;
    crate::io::text::decode(&bytes, &file.name()).map_err(|p| p.to_string())
}

/// The bytes of a file the coordinator picked (a zip, or text to decode). A file over
/// [`crate::io::text::MAX_IMPORT_BYTES`] is refused before it is read.
pub async fn read_bytes(file: &web_sys::File) -> Result<Vec<u8>, String> {
    let size = file.size();
    let size = if size.is_finite() && size > 0.0 { size as u64 } else { 0 };
    if let Some(problem) = crate::io::text::too_large(&file.name(), size) {
        return Err(problem.to_string());
    }
    let buffer = JsFuture::from(file.array_buffer()).await.map_err(|_| format!("Could not read the file {}.", file.name()))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// The files chosen in an `<input type="file">`.
pub fn chosen_files(input: &web_sys::HtmlInputElement) -> Vec<web_sys::File> {
    let Some(list) = input.files() else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// Waits `ms` milliseconds without blocking the page.
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// A file the coordinator picked, read a slice at a time (a clinic's 60 MB
/// `observations.csv` is never one buffer): [`FileSlices::next`] gives the next
/// `chunk` bytes, or `None` at the end.
pub struct FileSlices {
    file: web_sys::File,
    at: f64,
    size: f64,
    chunk: f64,
}

impl FileSlices {
    /// A file over [`crate::io::text::MAX_IMPORT_BYTES`] is refused before it is read.
    pub fn new(file: &web_sys::File, chunk: usize) -> Result<FileSlices, String> {
        let size = file.size();
        let size = if size.is_finite() && size > 0.0 { size } else { 0.0 };
        if let Some(problem) = crate::io::text::too_large(&file.name(), size as u64) {
            return Err(problem.to_string());
        }
        Ok(FileSlices { file: file.clone(), at: 0.0, size, chunk: chunk.max(1) as f64 })
    }

    /// The file's size in bytes.
    pub fn size(&self) -> f64 {
        self.size
    }

    /// How many bytes have been read.
    pub fn read(&self) -> f64 {
        self.at
    }

    /// The next slice, or `None` when the whole file has been read.
    pub async fn next(&mut self) -> Result<Option<Vec<u8>>, String> {
        if self.at >= self.size {
            return Ok(None);
        }
        let end = (self.at + self.chunk).min(self.size);
        let failed = || format!("Could not read the file {}.", self.file.name());
        let blob = self.file.slice_with_f64_and_f64(self.at, end).map_err(|_| failed())?;
        let buffer = JsFuture::from(blob.array_buffer()).await.map_err(|_| failed())?;
        self.at = end;
        Ok(Some(js_sys::Uint8Array::new(&buffer).to_vec()))
    }
}

/// A file published beside the app on its host (the kiosk's `directory.json`), asked for
/// afresh (the browser revalidates its copy): its text and `Last-Modified` header, `Ok(None)`
/// when the host has no such file, `Err` when it could not be asked (no network).
pub async fn fetch_published(url: &str) -> Result<Option<(String, Option<String>)>, String> {
    let window = web_sys::window().ok_or("no window")?;
    let init = web_sys::RequestInit::new();
    init.set_cache(web_sys::RequestCache::NoCache);
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    let failed = |_| format!("Could not ask for {url}.");
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(url, &init)).await.map_err(failed)?.unchecked_into();
    if response.status() == 404 || response.status() == 410 {
        return Ok(None);
    }
    if !response.ok() {
        return Err(format!("{url} answered {}.", response.status()));
    }
    let last_modified = response.headers().get("last-modified").ok().flatten();
    let text = JsFuture::from(response.text().map_err(failed)?).await.map_err(failed)?;
    Ok(Some((text.as_string().unwrap_or_default(), last_modified)))
}
