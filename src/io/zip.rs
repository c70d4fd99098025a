//! Zip archives: [`write()`] makes one of stored (uncompressed) files, so the HSDS CSV package
//! goes out as one download; [`unzip`] reads one (stored and deflated entries), so a
//! chosen HSDS package can come in as one file.

/// CRC-32 (IEEE) of every byte value, computed at compile time.
const CRC_TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
};

/// CRC-32 (IEEE), as zip requires: the one checksum of the app (writing and reading zips).
pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc = CRC_TABLE[((crc ^ u32::from(b)) & 0xFF) as usize] ^ (crc >> 8);
    }
    !crc
}

/// A zip holding `files` (name, bytes), stored without compression, dated 1 January 2026.
pub fn write(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    const DOS_TIME: u16 = 0;
    const DOS_DATE: u16 = ((2026 - 1980) << 9) | (1 << 5) | 1;
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in files {
        let offset = out.len() as u32;
        let crc = crc32(data);
        let size = data.len() as u32;
        let name_bytes = name.as_bytes();
        let header = |sig: u32, central: bool| {
            let mut h = Vec::new();
            h.extend_from_slice(&sig.to_le_bytes());
            if central {
                h.extend_from_slice(&20u16.to_le_bytes()); // made by
            }
            h.extend_from_slice(&20u16.to_le_bytes()); // version needed
            h.extend_from_slice(&0x0800u16.to_le_bytes()); // flags: UTF-8 names
            h.extend_from_slice(&0u16.to_le_bytes()); // stored
            h.extend_from_slice(&DOS_TIME.to_le_bytes());
            h.extend_from_slice(&DOS_DATE.to_le_bytes());
            h.extend_from_slice(&crc.to_le_bytes());
            h.extend_from_slice(&size.to_le_bytes());
            h.extend_from_slice(&size.to_le_bytes());
            h.extend_from_slice(&(name_bytes.len() as u16).to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes()); // extra
            if central {
                h.extend_from_slice(&0u16.to_le_bytes()); // comment
                h.extend_from_slice(&0u16.to_le_bytes()); // disk
                h.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
                h.extend_from_slice(&0u32.to_le_bytes()); // external attributes
                h.extend_from_slice(&offset.to_le_bytes());
            }
            h.extend_from_slice(name_bytes);
            h
        };
        out.extend(header(0x0403_4b50, false));
        out.extend_from_slice(data);
        central.extend(header(0x0201_4b50, true));
    }
    let central_offset = out.len() as u32;
    let central_size = central.len() as u32;
    out.extend(central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0, 0, 0, 0]); // disk numbers
    out.extend_from_slice(&(files.len() as u16).to_le_bytes());
    out.extend_from_slice(&(files.len() as u16).to_le_bytes());
    out.extend_from_slice(&central_size.to_le_bytes());
    out.extend_from_slice(&central_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// The most a zip may unpack to (a guard against a zip bomb), counted as the sum of the
/// sizes its entries declare (each entry is then held to its declared size).
const UNZIP_LIMIT: u64 = 200 * 1024 * 1024;


/// The files in a zip (stored or deflated entries), with their paths; folders, and the
/// `__MACOSX/` and hidden files a Mac adds, are left out. `Err` says why it cannot be read,
/// naming the entry when one is at fault. Every offset and size comes from the file and is
/// checked (no arithmetic that can overflow, no slice that can fall outside the bytes), so
/// a damaged or hostile zip is refused, never a panic.
pub fn unzip(bytes: &[u8]) -> Result<Vec<(String, Vec<u8>)>, String> {
    let u16_at = |i: usize, off: usize| -> Option<usize> {
        let start = i.checked_add(off)?;
        bytes.get(start..start.checked_add(2)?).map(|b| usize::from(u16::from_le_bytes([b[0], b[1]])))
    };
    let u32_at = |i: usize, off: usize| -> Option<u32> {
        let start = i.checked_add(off)?;
        bytes.get(start..start.checked_add(4)?).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let len = bytes.len();
    let damaged = || "the zip file is damaged or incomplete.".to_string();
    // The end of central directory record is in the last 22 + 65,535 bytes.
    let search_from = len.saturating_sub(22 + 65_535);
    let eocd = (search_from..len.saturating_sub(21)).rev().find(|&i| u32_at(i, 0) == Some(0x0605_4b50)).ok_or_else(|| {
        if bytes.starts_with(b"PK") { damaged() } else { "this is not a zip file.".to_string() }
    })?;
    let count = u16_at(eocd, 10).ok_or_else(damaged)?;
    let directory = u32_at(eocd, 16).ok_or_else(damaged)?;
    if count == 0xFFFF || directory == 0xFFFF_FFFF {
        return Err("this zip uses the ZIP64 format, which is not supported; zip fewer or smaller files.".into());
    }
    let mut pos = usize::try_from(directory).ok().filter(|&p| p <= len).ok_or_else(|| {
        format!("the zip's list of files is said to start at byte {directory}, past its end ({len} bytes); the zip is damaged or incomplete.")
    })?;
    let mut out = Vec::new();
    let mut total: u64 = 0;
    for n in 1..=count {
        let entry_damaged = || format!("entry {n} of {count} in the zip's list of files is damaged or missing; the zip is damaged or incomplete.");
        if u32_at(pos, 0) != Some(0x0201_4b50) {
            return Err(entry_damaged());
        }
        let field16 = |off: usize| u16_at(pos, off).ok_or_else(entry_damaged);
        let field32 = |off: usize| u32_at(pos, off).ok_or_else(entry_damaged);
        let (flags, method, crc) = (field16(8)?, field16(10)?, field32(16)?);
        let (compressed, size, local) = (field32(20)?, field32(24)?, field32(42)?);
        let (name_len, extra_len, comment_len) = (field16(28)?, field16(30)?, field16(32)?);
        let name_start = pos.checked_add(46).ok_or_else(entry_damaged)?;
        let name_end = name_start.checked_add(name_len).ok_or_else(entry_damaged)?;
        let name_bytes = bytes.get(name_start..name_end).ok_or_else(entry_damaged)?;
        let name = String::from_utf8_lossy(name_bytes).replace('\\', "/");
        pos = name_end.checked_add(extra_len).and_then(|p| p.checked_add(comment_len)).ok_or_else(entry_damaged)?;

        let base = name.rsplit('/').next().unwrap_or("");
        if name.ends_with('/') || name.starts_with("__MACOSX/") || base.starts_with('.') || base.is_empty() {
            continue;
        }
        if flags & 1 != 0 {
            return Err(format!("{name} is encrypted; zip the files without a password."));
        }
        let lying = |what: String| format!("{name} in the zip {what} past the end of the file ({len} bytes); the zip is damaged or incomplete.");
        let local_at = usize::try_from(local).ok().filter(|&l| u32_at(l, 0) == Some(0x0403_4b50));
        let Some(local_at) = local_at else {
            return Err(format!("{name} in the zip is said to start at byte {local}, but no file starts there; the zip is damaged or incomplete."));
        };
        let header_len = u16_at(local_at, 26).zip(u16_at(local_at, 28)).map(|(a, b)| 30 + a + b);
        let data_start = header_len.and_then(|h| local_at.checked_add(h)).filter(|&s| s <= len);
        let Some(data_start) = data_start else {
            return Err(lying(format!("has a header at byte {local} that runs")));
        };
        let data = usize::try_from(compressed)
            .ok()
            .and_then(|c| data_start.checked_add(c))
            .and_then(|end| bytes.get(data_start..end))
            .ok_or_else(|| lying(format!("is said to be {compressed} bytes from byte {data_start}, which runs")))?;
        total = total.saturating_add(u64::from(size));
        if total > UNZIP_LIMIT {
            return Err(format!("the zip unpacks to more than 200 MB (counting up to {name}); that is too large for a resource directory."));
        }
        let size = usize::try_from(size).map_err(|_| format!("{name} in the zip is too large ({size} bytes)."))?;
        let content = match method {
            0 => data.to_vec(),
            8 => miniz_oxide::inflate::decompress_to_vec_with_limit(data, size.max(1))
                .map_err(|_| format!("{name} in the zip cannot be unpacked (damaged, or larger than the {size} bytes it says)."))?,
            m => return Err(format!("{name} is compressed with method {m}, which is not supported; use ordinary (deflate) zip.")),
        };
        if content.len() != size || crc32(&content) != crc {
            return Err(format!("{name} in the zip is damaged (its size or checksum does not match)."));
        }
        out.push((name, content));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_of_a_known_string() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn what_is_written_reads_back() {
        let files = vec![("services.csv".to_string(), "id,name\n1,Café Pantry\n".as_bytes().to_vec()), ("datapackage.json".to_string(), b"{}".to_vec())];
        let bytes = write(&files);
        assert_eq!(unzip(&bytes).unwrap(), files);
    }

    #[test]
    fn the_directory_exported_as_a_zip_imports_again() {
        let (orgs, services) = crate::io::synth_directory::directory(12, 5, chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
        let package: Vec<(String, Vec<u8>)> = crate::io::hsds::export_tabular(&orgs, &services).into_iter().map(|(n, t)| (n, t.into_bytes())).collect();
        let zipped = write(&package);
        let back = crate::io::hsds::import_files(&[("directory.zip".to_string(), zipped)], &[]).unwrap();
        assert!(back.problems.is_empty(), "{:?}", back.problems);
        assert_eq!(back.services.len(), 12);
    }
}
