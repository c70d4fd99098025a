//! Record ids: random (version 4) UUID strings, and the FNV-1a hashes behind the ids and
//! digests the app derives from other values.
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

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The bytes of a hex string, or `None` when it is not one.
pub fn unhex(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 || !text.is_ascii() {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok()).collect()
}

/// Whether `s` has the shape of a UUID (8-4-4-4-12 hex digits).
pub fn is_uuid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5
        && parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12])
        && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_hexdigit()))
}

/// The 64-bit FNV-1a offset basis.
pub const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
/// The 64-bit FNV-1a prime.
pub const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// 64-bit FNV-1a of `bytes`, starting from `seed` and multiplying by `prime` (the standard
/// pair is [`FNV_OFFSET`] and [`FNV_PRIME`]; [`hashed_uuid`] uses others too). Fast and
/// stable across versions, not for secrets.
pub fn fnv1a(seed: u64, prime: u64, bytes: impl IntoIterator<Item = u8>) -> u64 {
    bytes.into_iter().fold(seed, |h, b| (h ^ u64::from(b)).wrapping_mul(prime))
}

/// The hasher of in-memory maps keyed by ids that are built on every view of a large list
/// (the chronic-care month over 200,000 contacts): FxHash's word-at-a-time mix, several
/// times quicker than the standard SipHash. Not resistant to keys chosen to collide, which
/// the records on this device are not.
#[derive(Clone, Copy, Debug, Default)]
pub struct QuickHasher(u64);

impl QuickHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl std::hash::Hasher for QuickHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        // The mix leaves the low bits depending on the low bytes alone: fold the high half in.
        (self.0 ^ (self.0 >> 32)).wrapping_mul(0x9e37_79b9_7f4a_7c15)
    }
}

/// A `HashMap` with [`QuickHasher`].
pub type QuickMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<QuickHasher>>;

/// 32-bit FNV-1a of `bytes`, with its standard offset basis and prime.
pub fn fnv1a_32(bytes: impl IntoIterator<Item = u8>) -> u32 {
    bytes.into_iter().fold(0x811c_9dc5, |h: u32, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193))
}

/// A UUID-shaped id made from `bytes`, not random (the same bytes always give the same id):
/// two 64-bit FNV-1a hashes, the first from [`FNV_OFFSET`] with [`FNV_PRIME`], the second
/// from the offset with its halves swapped, multiplying by `second_prime`. (Each kind of
/// derived id keeps the second prime it was first made with, so ids stay the same.)
pub fn hashed_uuid(bytes: impl Iterator<Item = u8> + Clone, second_prime: u64) -> String {
    let mut out = [0u8; 16];
    out[..8].copy_from_slice(&fnv1a(FNV_OFFSET, FNV_PRIME, bytes.clone()).to_le_bytes());
    out[8..].copy_from_slice(&fnv1a(FNV_OFFSET.rotate_left(32), second_prime, bytes).to_le_bytes());
    uuid_v4(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

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

    #[test]
    fn fnv_gives_the_published_values() {
        assert_eq!(fnv1a(FNV_OFFSET, FNV_PRIME, *b""), FNV_OFFSET);
        assert_eq!(fnv1a(FNV_OFFSET, FNV_PRIME, *b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(FNV_OFFSET, FNV_PRIME, *b"foobar"), 0x8594_4171_f739_67e8);
        assert_eq!(fnv1a_32(*b"a"), 0xe40c_292c);
        assert_eq!(fnv1a_32(*b"foobar"), 0xbf9c_f968);
        assert_eq!(FNV_OFFSET.rotate_left(32), 0x8422_2325_cbf2_9ce4);
        assert!(is_uuid(&hashed_uuid(b"x".iter().copied(), FNV_PRIME)));
    }

    #[test]
    fn the_quick_hasher_spreads_ids_over_a_tables_buckets() {
        use std::hash::BuildHasher;
        let build = std::hash::BuildHasherDefault::<QuickHasher>::default();
        // Ids that differ only in one character, at the start, the middle or the end.
        for shape in ["{}aaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee", "aaaaaaaa-bbbb-4ccc-8d{}d-eeeeeeeeeeee", "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeee{}", "p{}"] {
            let mut low: HashSet<u64> = HashSet::new();
            let mut top: HashSet<u64> = HashSet::new();
            for c in "0123456789abcdef".chars() {
                let h = build.hash_one(shape.replace("{}", &c.to_string()).as_str());
                low.insert(h & 0xff);
                top.insert(h >> 57);
            }
            assert!(low.len() >= 12 && top.len() >= 12, "{shape}: {} buckets, {} tags of 16", low.len(), top.len());
        }
        let mut map: QuickMap<String, usize> = QuickMap::default();
        for i in 0..1000u64 {
            map.insert(uuid_v4((u128::from(i) * 0x9e37_79b9_7f4a_7c15).to_le_bytes()), i as usize);
        }
        assert_eq!(map.len(), 1000);
    }

    #[test]
    fn hex_round_trips() {
        assert_eq!(hex(&[0, 15, 255]), "000fff");
        assert_eq!(unhex("000fff"), Some(vec![0, 15, 255]));
        assert_eq!(unhex("0g"), None);
        assert_eq!(unhex("abc"), None);
        assert_eq!(unhex("é1"), None);
    }
}
