//! The directory a waiting-room kiosk holds, and when a published one replaces it.
//!
//! A kiosk shows the copy of the resource directory kept in its own database. That copy
//! comes from one of two places: the coordinator's directory on the same device, handed over
//! when kiosk mode is started there; or the clinic's published `directory.json` (the HSDS 3
//! JSON that **Export directory** writes), served beside the app's `index.html`. At each start
//! the kiosk asks for the published file and takes it only when it is newer than what it
//! holds ([`is_newer`]), so one file replaced on the host updates every tablet, and a tablet
//! with no network keeps what it has.

use serde::{Deserialize, Serialize};

use super::ids::fnv1a_32;

/// Where the kiosk's copy came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DirectorySource {
    /// Handed over by the coordinator's app on this device when kiosk mode started.
    Device,
    /// The clinic's published `directory.json`.
    Published,
}

/// What the kiosk holds: its source, when that copy was made (for a published file, the time
/// the host says it was last changed, its `Last-Modified`), and a digest of the published
/// text (so the same file served again is not read twice).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldDirectory {
    pub source: DirectorySource,
    /// Milliseconds since 1970 (UTC); `None` when not known (an empty handover, or a host
    /// that does not say when the file changed).
    pub stamp_ms: Option<i64>,
    /// [`digest`] of the published text; empty for a handover.
    #[serde(default)]
    pub digest: String,
    /// Organizations and services held, for the kiosk's status line.
    #[serde(default)]
    pub services: usize,
}

impl HeldDirectory {
    /// A handover from the coordinator's directory at `now_ms` (an empty one carries no
    /// time, so any published file is newer).
    pub fn handover(now_ms: i64, services: usize) -> HeldDirectory {
        HeldDirectory { source: DirectorySource::Device, stamp_ms: (services > 0).then_some(now_ms), digest: String::new(), services }
    }

    /// A published file read with its `Last-Modified` time, if the host gave one.
    pub fn published(text: &str, last_modified_ms: Option<i64>, services: usize) -> HeldDirectory {
        HeldDirectory { source: DirectorySource::Published, stamp_ms: last_modified_ms, digest: digest(text), services }
    }
}

/// The digest the kiosk keeps of a published file: its length and FNV-1a, in hex.
pub fn digest(text: &str) -> String {
    format!("{:x}-{:08x}", text.len(), fnv1a_32(text.bytes()))
}

/// Whether a published file (its text and `Last-Modified` time, if any) should replace what
/// the kiosk holds:
/// - nothing held: yes;
/// - the same text as the published file held: no;
/// - both dated: only a later file;
/// - a file with no date: only over an undated copy or another published file (a dated
///   handover from the coordinator is not replaced by a file that cannot say it is newer).
pub fn is_newer(held: Option<&HeldDirectory>, text: &str, last_modified_ms: Option<i64>) -> bool {
    let Some(held) = held else { return true };
    if held.source == DirectorySource::Published && held.digest == digest(text) {
        return false;
    }
    match (last_modified_ms, held.stamp_ms) {
        (Some(file), Some(copy)) => file > copy,
        (Some(_), None) => true,
        (None, None) => true,
        (None, Some(_)) => held.source == DirectorySource::Published,
    }
}

/// An HTTP date (`Last-Modified: Tue, 01 Dec 2026 10:00:00 GMT`) in milliseconds since
/// 1970; `None` for anything else.
pub fn http_date_ms(value: &str) -> Option<i64> {
    // IMF-fixdate, the one form HTTP/1.1 servers send: "Tue, 01 Dec 2026 10:00:00 GMT".
    let parts: Vec<&str> = value.split_whitespace().collect();
    let [weekday, day, month, year, time, "GMT"] = parts.as_slice() else { return None };
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let month = MONTHS.iter().position(|m| m == month)? as u32 + 1;
    let number = |s: &str, len: usize| (s.len() == len && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse::<u32>().ok()).flatten();
    let date = chrono::NaiveDate::from_ymd_opt(number(year, 4)? as i32, month, number(day, 2)?)?;
    let hms: Vec<&str> = time.split(':').collect();
    let [h, m, s] = hms.as_slice() else { return None };
    let at = date.and_hms_opt(number(h, 2)?, number(m, 2)?, number(s, 2)?)?;
    weekday.ends_with(',').then(|| at.and_utc().timestamp_millis())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400_000;

    #[test]
    fn nothing_held_takes_any_file() {
        assert!(is_newer(None, "[]", None));
        assert!(is_newer(None, "[]", Some(DAY)));
    }

    #[test]
    fn the_same_published_text_is_not_read_again() {
        let held = HeldDirectory::published("[1]", Some(DAY), 1);
        assert!(!is_newer(Some(&held), "[1]", Some(DAY)));
        // A host that touched the file without changing it.
        assert!(!is_newer(Some(&held), "[1]", Some(2 * DAY)));
        assert!(is_newer(Some(&held), "[2]", Some(2 * DAY)));
    }

    #[test]
    fn dated_files_replace_only_older_copies() {
        let handed = HeldDirectory::handover(10 * DAY, 40);
        assert!(!is_newer(Some(&handed), "[1]", Some(9 * DAY)));
        assert!(!is_newer(Some(&handed), "[1]", Some(10 * DAY)));
        assert!(is_newer(Some(&handed), "[1]", Some(11 * DAY)));
        let published = HeldDirectory::published("[1]", Some(5 * DAY), 1);
        assert!(!is_newer(Some(&published), "[2]", Some(4 * DAY)));
        assert!(is_newer(Some(&published), "[2]", Some(6 * DAY)));
    }

    #[test]
    fn an_undated_file_never_replaces_a_dated_handover() {
        let handed = HeldDirectory::handover(10 * DAY, 40);
        assert!(!is_newer(Some(&handed), "[1]", None));
        // An empty handover has no date: the clinic's file fills the tablet.
        let empty = HeldDirectory::handover(10 * DAY, 0);
        assert_eq!(empty.stamp_ms, None);
        assert!(is_newer(Some(&empty), "[1]", None));
        assert!(is_newer(Some(&empty), "[1]", Some(DAY)));
        // Another published file, undated: a different text is taken.
        let published = HeldDirectory::published("[1]", None, 1);
        assert!(is_newer(Some(&published), "[2]", None));
    }

    #[test]
    fn http_dates() {
        assert_eq!(http_date_ms("Tue, 01 Dec 2026 10:00:00 GMT"), Some(1_796_119_200_000));
        assert_eq!(http_date_ms("  Tue, 01 Dec 2026 10:00:01 GMT "), Some(1_796_119_201_000));
        assert_eq!(http_date_ms("yesterday"), None);
        assert_eq!(http_date_ms(""), None);
        assert_eq!(http_date_ms("Thu, 31 Feb 2026 10:00:00 GMT"), None);
        assert_eq!(http_date_ms("Tue, 01 Dec 2026 24:00:00 GMT"), None);
        assert_eq!(http_date_ms("Tue, 01 Dec 2026 10:00:00 +0100"), None);
        assert_eq!(http_date_ms("Tue, 1 Dec 2026 10:00:00 GMT"), None);
    }

    #[test]
    fn digests_tell_texts_apart() {
        assert_eq!(digest("abc"), digest("abc"));
        assert_ne!(digest("abc"), digest("abd"));
        assert_ne!(digest("abc"), digest("abcd"));
    }
}
