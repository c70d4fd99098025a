//! The browser's WebCrypto (`SubtleCrypto`), for what CareCoord hashes: no JavaScript
//! crypto library and no cipher of our own.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

fn subtle() -> Result<web_sys::SubtleCrypto, String> {
    let crypto = web_sys::window().and_then(|w| w.crypto().ok()).ok_or("This browser has no Web Crypto, which CareCoord needs to keep the PIN safe.")?;
    Ok(crypto.subtle())
}

/// PBKDF2-SHA256 of `secret` with `salt` and `iterations`: 32 bytes.
pub async fn pbkdf2_sha256(secret: &str, salt: &[u8], iterations: u32) -> Result<Vec<u8>, String> {
    let fail = |_: JsValue| "The browser could not hash the PIN.".to_string();
    let subtle = subtle()?;
    let secret = js_sys::Uint8Array::from(secret.as_bytes());
    let usages = js_sys::Array::of1(&JsValue::from_str("deriveBits"));
    let key = JsFuture::from(subtle.import_key_with_str("raw", &secret, "PBKDF2", false, &usages).map_err(fail)?).await.map_err(fail)?;
    let key: web_sys::CryptoKey = key.dyn_into().map_err(fail)?;
    let params = web_sys::Pbkdf2Params::new("PBKDF2", &JsValue::from_str("SHA-256"), iterations, &js_sys::Uint8Array::from(salt));
    let bits = JsFuture::from(subtle.derive_bits_with_object(&params, &key, 256).map_err(fail)?).await.map_err(fail)?;
    Ok(js_sys::Uint8Array::new(&bits).to_vec())
}
