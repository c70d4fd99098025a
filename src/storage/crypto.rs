//! The browser's WebCrypto (`SubtleCrypto`): no JavaScript crypto library and no cipher of
//! our own. PBKDF2-SHA256 for the kiosk PIN and for passphrases; AES-GCM for the data key
//! and every protected value.

use js_sys::{Promise, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::model::protection::{Kdf, Protection, IV_BYTES, SALT_BYTES};

pub(super) fn subtle() -> Result<web_sys::SubtleCrypto, String> {
    let crypto = web_sys::window().and_then(|w| w.crypto().ok()).ok_or("This browser has no Web Crypto, which CareCoord needs to keep data safe.")?;
    Ok(crypto.subtle())
}

/// `N` random bytes from the browser's cryptographic generator (never a weaker fallback).
pub fn random<const N: usize>() -> Result<[u8; N], String> {
    let mut bytes = [0u8; N];
    let crypto = web_sys::window().and_then(|w| w.crypto().ok()).ok_or("This browser has no Web Crypto, which CareCoord needs to keep data safe.")?;
    crypto.get_random_values_with_u8_array(&mut bytes).map_err(|_| "The browser could not make random numbers.".to_string())?;
    Ok(bytes)
}

/// PBKDF2-SHA256 of `secret` with `salt` and `iterations`: 32 bytes.
pub async fn pbkdf2_sha256(secret: &str, salt: &[u8], iterations: u32) -> Result<Vec<u8>, String> {
    let fail = |_: JsValue| "The browser could not derive a key from the secret.".to_string();
    let subtle = subtle()?;
    let secret = js_sys::Uint8Array::from(secret.as_bytes());
    let usages = js_sys::Array::of1(&JsValue::from_str("deriveBits"));
    let key = JsFuture::from(subtle.import_key_with_str("raw", &secret, "PBKDF2", false, &usages).map_err(fail)?).await.map_err(fail)?;
    let key: web_sys::CryptoKey = key.dyn_into().map_err(fail)?;
    let params = web_sys::Pbkdf2Params::new("PBKDF2", &JsValue::from_str("SHA-256"), iterations, &js_sys::Uint8Array::from(salt));
    let bits = JsFuture::from(subtle.derive_bits_with_object(&params, &key, 256).map_err(fail)?).await.map_err(fail)?;
    Ok(js_sys::Uint8Array::new(&bits).to_vec())
}

/// An AES-GCM key held by the browser: it cannot be read back out of it.
#[derive(Clone, Debug)]
pub struct AesKey(web_sys::CryptoKey);

impl AesKey {
    /// Imports 32 raw bytes as a non-extractable AES-GCM key (the caller drops the bytes).
    pub async fn import(raw: &[u8]) -> Result<AesKey, String> {
        let fail = |_: JsValue| "The browser could not use the key.".to_string();
        let usages = js_sys::Array::of2(&JsValue::from_str("encrypt"), &JsValue::from_str("decrypt"));
        let key = JsFuture::from(subtle()?.import_key_with_str("raw", &js_sys::Uint8Array::from(raw), "AES-GCM", false, &usages).map_err(fail)?)
            .await
            .map_err(fail)?;
        Ok(AesKey(key.dyn_into().map_err(fail)?))
    }

    /// The key PBKDF2-SHA256 derives from `passphrase`.
    pub async fn derive(passphrase: &str, salt: &[u8], iterations: u32) -> Result<AesKey, String> {
        let mut bits = pbkdf2_sha256(passphrase, salt, iterations).await?;
        let key = AesKey::import(&bits).await;
        bits.fill(0);
        key
    }

    /// `SubtleCrypto.encrypt` with AES-GCM under `iv`, bound to `aad`: a promise of the
    /// ciphertext ‖ tag (kept in JS).
    pub(super) fn encrypt_promise(&self, iv: &[u8], plain: &Uint8Array, aad: &[u8]) -> Result<Promise, JsValue> {
        let params = web_sys::AesGcmParams::new("AES-GCM", &Uint8Array::from(iv));
        params.set_additional_data(&Uint8Array::from(aad));
        subtle().map_err(|m| JsValue::from_str(&m))?.encrypt_with_object_and_buffer_source(&params, &self.0, plain)
    }

    /// `SubtleCrypto.decrypt`: a promise of the plain bytes, rejected when the tag fails.
    pub(super) fn decrypt_promise(&self, iv: &Uint8Array, body: &Uint8Array, aad: &[u8]) -> Result<Promise, JsValue> {
        let params = web_sys::AesGcmParams::new("AES-GCM", iv);
        params.set_additional_data(&Uint8Array::from(aad));
        subtle().map_err(|m| JsValue::from_str(&m))?.decrypt_with_object_and_buffer_source(&params, &self.0, body)
    }

    /// Encrypts `plain` under a fresh random 96-bit IV, bound to `aad`: IV ‖ ciphertext ‖ tag.
    pub async fn seal(&self, plain: &[u8], aad: &[u8]) -> Result<Vec<u8>, String> {
        let fail = |_: JsValue| "The browser could not encrypt.".to_string();
        let iv = random::<IV_BYTES>()?;
        let sealed = JsFuture::from(self.encrypt_promise(&iv, &Uint8Array::from(plain), aad).map_err(fail)?).await.map_err(fail)?;
        let mut out = iv.to_vec();
        out.extend(Uint8Array::new(&sealed).to_vec());
        Ok(out)
    }

    /// Opens what [`AesKey::seal`] made with the same `aad`; `None` when it was changed,
    /// cut, or sealed under another key (the GCM tag does not match).
    pub async fn open(&self, sealed: &[u8], aad: &[u8]) -> Option<Vec<u8>> {
        if sealed.len() < IV_BYTES + 16 {
            return None;
        }
        let (iv, body) = sealed.split_at(IV_BYTES);
        let promise = self.decrypt_promise(&Uint8Array::from(iv), &Uint8Array::from(body), aad).ok()?;
        let plain = JsFuture::from(promise).await.ok()?;
        Some(Uint8Array::new(&plain).to_vec())
    }
}

/// What the data key is wrapped for (the GCM additional data of the wrapped key).
const DATA_KEY_AAD: &[u8] = b"carecoord/data-key";

/// A new random data key, wrapped under `passphrase`: the protection record to keep, and the
/// key itself for this connection.
pub async fn new_protection(passphrase: &str) -> Result<(Protection, AesKey), String> {
    let salt = random::<SALT_BYTES>()?;
    let kdf = Kdf::new(&salt);
    let kek = AesKey::derive(passphrase, &salt, kdf.iterations).await?;
    let mut raw = random::<32>()?;
    let wrapped = kek.seal(&raw, DATA_KEY_AAD).await;
    let key = AesKey::import(&raw).await;
    raw.fill(0);
    let wrapped = wrapped?;
    let (iv, body) = wrapped.split_at(IV_BYTES);
    Ok((Protection::new(kdf, iv, body), key?))
}

/// The data key's raw bytes, when `passphrase` is the right one (`Ok(None)`: it is not).
async fn unwrap_raw(protection: &Protection, passphrase: &str) -> Result<Option<Vec<u8>>, String> {
    let damaged = || "This device's protection record is damaged, so its data cannot be unlocked. Restore from a backup.".to_string();
    let salt = protection.kdf.salt_bytes().ok_or_else(damaged)?;
    let (iv, body) = protection.wrapped().ok_or_else(damaged)?;
    let kek = AesKey::derive(passphrase, &salt, protection.kdf.iterations).await?;
    let mut sealed = iv;
    sealed.extend(body);
    Ok(kek.open(&sealed, DATA_KEY_AAD).await.filter(|raw| raw.len() == 32))
}

/// The data key, when `passphrase` is the right one (`Ok(None)`: it is not).
pub async fn unwrap_key(protection: &Protection, passphrase: &str) -> Result<Option<AesKey>, String> {
    let Some(mut raw) = unwrap_raw(protection, passphrase).await? else { return Ok(None) };
    let key = AesKey::import(&raw).await;
    raw.fill(0);
    key.map(Some)
}

/// The same data key wrapped under `new` (with a new salt), when `old` is the right
/// passphrase: no record changes.
pub async fn rewrap(protection: &Protection, old: &str, new: &str) -> Result<Option<Protection>, String> {
    let Some(mut raw) = unwrap_raw(protection, old).await? else { return Ok(None) };
    let salt = random::<SALT_BYTES>()?;
    let kdf = Kdf::new(&salt);
    let kek = AesKey::derive(new, &salt, kdf.iterations).await;
    let wrapped = match kek {
        Ok(kek) => kek.seal(&raw, DATA_KEY_AAD).await,
        Err(e) => Err(e),
    };
    raw.fill(0);
    let wrapped = wrapped?;
    let (iv, body) = wrapped.split_at(IV_BYTES);
    let fresh = Protection::new(kdf, iv, body);
    Ok(Some(Protection { kdf: fresh.kdf, wrap_iv: fresh.wrap_iv, wrapped_key: fresh.wrapped_key, ..protection.clone() }))
}

/// A backup's text encrypted under its own passphrase: the envelope's JSON.
pub async fn seal_backup(text: &str, passphrase: &str) -> Result<String, String> {
    let salt = random::<SALT_BYTES>()?;
    let kdf = Kdf::new(&salt);
    let key = AesKey::derive(passphrase, &salt, kdf.iterations).await?;
    let sealed = key.seal(text.as_bytes(), crate::model::protection::ENCRYPTED_BACKUP_FORMAT.as_bytes()).await?;
    let (iv, body) = sealed.split_at(IV_BYTES);
    Ok(crate::model::protection::BackupEnvelope::new(kdf, iv, body).to_json())
}

/// The backup's text inside an envelope, when `passphrase` is its passphrase (`Ok(None)`:
/// it is not, or the file was changed).
pub async fn open_backup(envelope: &crate::model::protection::BackupEnvelope, passphrase: &str) -> Result<Option<String>, String> {
    let salt = envelope.kdf.salt_bytes().ok_or("This encrypted backup is damaged.")?;
    let (iv, body) = envelope.parts().ok_or("This encrypted backup is damaged.")?;
    let key = AesKey::derive(passphrase, &salt, envelope.kdf.iterations).await?;
    let mut sealed = iv;
    sealed.extend(body);
    Ok(key.open(&sealed, crate::model::protection::ENCRYPTED_BACKUP_FORMAT.as_bytes()).await.and_then(|b| String::from_utf8(b).ok()))
}
