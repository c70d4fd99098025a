//! Record ids: random (version 4) UUID strings.
//!
//! The random bytes come from the caller (the browser's `crypto.getRandomValues` in the
//! app, fixed bytes in tests), so this stays pure.

/// Formats 16 random bytes as a version 4, variant 1 UUID: `xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`.
pub fn uuid_v4(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let mut out = String::with_capacity(36);
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// Whether `s` has the shape of a UUID (8-4-4-4-12 hex digits).
pub fn is_uuid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5
        && parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12])
        && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_version_and_variant_bits() {
        let id = uuid_v4([0xff; 16]);
        assert_eq!(id, "ffffffff-ffff-4fff-bfff-ffffffffffff");
        assert!(is_uuid(&id));
        let id = uuid_v4([0; 16]);
        assert_eq!(id, "00000000-0000-4000-8000-000000000000");
    }

    #[test]
    fn recognises_uuids() {
        assert!(is_uuid("ad2e3fc5-2b5d-4cb9-8d03-9ea0f4ac8423"));
        assert!(!is_uuid("ad2e3fc5-2b5d-4cb9-8d03"));
        assert!(!is_uuid("zd2e3fc5-2b5d-4cb9-8d03-9ea0f4ac8423"));
        assert!(!is_uuid(""));
    }
}
