//! A zip archive of text files, for the page's downloads (the generated set, the fixed inputs).
//!
//! The entries are *stored*, not compressed. The `zip` crate would bring deflate code and size
//! the page does not need for a few kilobytes of configuration text, and a stored archive is a
//! few headers around the bytes: the local header before each file, the central directory after
//! them, and its end record (PKWARE APPNOTE 6.3, sections 4.3.7, 4.3.12 and 4.3.16). The CRC-32
//! is computed here too: crc32fast carries 16 KiB of slice-by-16 tables, where one 1 KiB table
//! built at compile time is plenty for a few kilobytes. Names are
//! UTF-8 (general purpose flag bit 11), and scripts keep their executable bit through the Unix
//! mode in the external attributes. ZIP64 is not written: a page's download never approaches
//! 4 GiB or 65,535 entries, and an archive that would is refused with a message.

/// One file to put in the archive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
    /// Written with mode 0755 instead of 0644.
    pub executable: bool,
}

/// Why an archive could not be written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArchiveError {
    /// More entries, or more bytes, than a zip without ZIP64 can describe.
    TooLarge(String),
    /// An entry without a name, or whose name a zip reader would refuse or place outside
    /// the folder it extracts into.
    BadName(String),
}

impl std::fmt::Display for ArchiveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ArchiveError::TooLarge(what) => write!(f, "the archive is too large for a zip without ZIP64: {what}"),
            ArchiveError::BadName(name) => write!(f, "{name:?} cannot be a file name in a zip archive"),
        }
    }
}

const LOCAL_HEADER: u32 = 0x0403_4b50;
const CENTRAL_HEADER: u32 = 0x0201_4b50;
const END_OF_CENTRAL_DIRECTORY: u32 = 0x0605_4b50;
/// Version 2.0: the lowest that readers accept for stored files with folders.
const VERSION: u16 = 20;
/// "Version made by": Unix (3) in the high byte, so the external attributes hold a mode.
const MADE_BY_UNIX: u16 = (3 << 8) | VERSION;
/// General purpose flag bit 11: the name is UTF-8.
const UTF8_NAMES: u16 = 1 << 11;
const STORED: u16 = 0;

/// The CRC-32 of zip (ISO 3309, reflected polynomial 0xEDB88320), one table entry per byte value.
const CRC_TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut n = 0;
    while n < 256 {
        let mut c = n as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
            k += 1;
        }
        table[n] = c;
        n += 1;
    }
    table
};

fn crc32(bytes: &[u8]) -> u32 {
    !bytes.iter().fold(!0u32, |c, &b| CRC_TABLE[((c ^ u32::from(b)) & 0xff) as usize] ^ (c >> 8))
}

/// MS-DOS date and time (the zip headers' format) of a Unix time, to the even second; times
/// before 1980, which the format cannot hold, become 1980-01-01 00:00.
fn dos_date_time(unix: i64) -> (u16, u16) {
    let earliest = (0x21, 0);
    let Some(date) = pgtls_audit::civil::basic_date(unix) else { return earliest };
    let field = |r: std::ops::Range<usize>| date.get(r).and_then(|d| d.parse::<u16>().ok());
    let (Some(year), Some(month), Some(day)) = (field(0..4), field(4..6), field(6..8)) else { return earliest };
    if !(1980..=2107).contains(&year) {
        return earliest;
    }
    let secs = unix.rem_euclid(86_400) as u16;
    let time = ((secs / 3600) << 11) | ((secs % 3600 / 60) << 5) | (secs % 60 / 2);
    (((year - 1980) << 9) | (month << 5) | day, time)
}

fn put16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn check_name(name: &str) -> Result<(), ArchiveError> {
    let bad = name.is_empty()
        || name.starts_with('/')
        || name.contains('\\')
        || name.contains('\0')
        || name.split('/').any(|part| part.is_empty() || part == "." || part == "..");
    if bad {
        Err(ArchiveError::BadName(name.to_string()))
    } else {
        Ok(())
    }
}

/// Writes the entries, in order, as a zip archive; `modified` (Unix seconds) is every entry's
/// modification time.
pub fn zip(entries: &[Entry], modified: i64) -> Result<Vec<u8>, ArchiveError> {
    let count = u16::try_from(entries.len())
        .ok()
        .filter(|&n| n < u16::MAX)
        .ok_or_else(|| ArchiveError::TooLarge(format!("{} entries", entries.len())))?;
    let (date, time) = dos_date_time(modified);
    let too_large = |what: &str| ArchiveError::TooLarge(what.to_string());
    let mut out = Vec::new();
    let mut central = Vec::new();
    for entry in entries {
        check_name(entry.name)?;
        let name = entry.name.as_bytes();
        let name_len = u16::try_from(name.len()).map_err(|_| ArchiveError::BadName(entry.name.to_string()))?;
        let size = u32::try_from(entry.bytes.len())
            .ok()
            .filter(|&n| n < u32::MAX)
            .ok_or_else(|| too_large(entry.name))?;
        let offset = u32::try_from(out.len()).ok().filter(|&n| n < u32::MAX).ok_or_else(|| too_large(entry.name))?;
        let crc = crc32(entry.bytes);

        put32(&mut out, LOCAL_HEADER);
        put16(&mut out, VERSION);
        put16(&mut out, UTF8_NAMES);
        put16(&mut out, STORED);
        put16(&mut out, time);
        put16(&mut out, date);
        put32(&mut out, crc);
        put32(&mut out, size); // compressed size: stored, so the same
        put32(&mut out, size);
        put16(&mut out, name_len);
        put16(&mut out, 0); // no extra field
        out.extend_from_slice(name);
        out.extend_from_slice(entry.bytes);

        let mode: u32 = if entry.executable { 0o100_755 } else { 0o100_644 };
        put32(&mut central, CENTRAL_HEADER);
        put16(&mut central, MADE_BY_UNIX);
        put16(&mut central, VERSION);
        put16(&mut central, UTF8_NAMES);
        put16(&mut central, STORED);
        put16(&mut central, time);
        put16(&mut central, date);
        put32(&mut central, crc);
        put32(&mut central, size);
        put32(&mut central, size);
        put16(&mut central, name_len);
        put16(&mut central, 0); // extra field
        put16(&mut central, 0); // comment
        put16(&mut central, 0); // disk number
        put16(&mut central, 0); // internal attributes: binary
        put32(&mut central, mode << 16);
        put32(&mut central, offset);
        central.extend_from_slice(name);
    }
    let central_offset = u32::try_from(out.len()).ok().filter(|&n| n < u32::MAX).ok_or_else(|| too_large("the files"))?;
    let central_size = u32::try_from(central.len()).ok().filter(|&n| n < u32::MAX).ok_or_else(|| too_large("the directory"))?;
    out.extend_from_slice(&central);
    put32(&mut out, END_OF_CENTRAL_DIRECTORY);
    put16(&mut out, 0); // this disk
    put16(&mut out, 0); // the disk where the directory starts
    put16(&mut out, count);
    put16(&mut out, count);
    put32(&mut out, central_size);
    put32(&mut out, central_offset);
    put16(&mut out, 0); // no archive comment
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Read};

    use super::*;

    /// Year, month, day, hour, minute, second.
    type Time = (u16, u8, u8, u8, u8, u8);

    /// What the `zip` crate reads back: name, bytes, Unix mode, modification time.
    fn read_back(archive: &[u8]) -> Vec<(String, Vec<u8>, Option<u32>, Time)> {
        let mut reader = ::zip::ZipArchive::new(Cursor::new(archive)).expect("a readable archive");
        (0..reader.len())
            .map(|i| {
                let mut file = reader.by_index(i).expect("a readable entry");
                assert_eq!(file.compression(), ::zip::CompressionMethod::Stored);
                let mut bytes = Vec::new();
                // read_to_end checks the CRC-32 at the end of the entry.
                file.read_to_end(&mut bytes).expect("the entry's bytes, with a matching CRC-32");
                let t = file.last_modified().expect("a modification time");
                let when = (t.year(), t.month(), t.day(), t.hour(), t.minute(), t.second());
                (file.name().to_string(), bytes, file.unix_mode(), when)
            })
            .collect()
    }

    #[test]
    fn names_bytes_and_modes_round_trip_through_a_zip_reader() {
        let script = b"#!/bin/sh\nset -eu\nopenssl req -new\n".to_vec();
        let entries = [
            Entry { name: "README.md", bytes: b"# Steps\n\n1. Run make-certs.sh\n", executable: false },
            Entry { name: "make-certs.sh", bytes: &script, executable: true },
            Entry { name: "clients/Zürich — ünïcode ✓.txt", bytes: "sslmode=verify-full ✓\n".as_bytes(), executable: false },
            Entry { name: "empty.conf", bytes: b"", executable: false },
        ];
        // 2026-03-04 05:06:08 UTC
        let archive = zip(&entries, 1_772_600_768).unwrap();
        let back = read_back(&archive);
        assert_eq!(back.len(), entries.len());
        for (entry, (name, bytes, mode, when)) in entries.iter().zip(&back) {
            assert_eq!(name, entry.name);
            assert_eq!(bytes.as_slice(), entry.bytes, "{name}");
            let expected = if entry.executable { 0o100_755 } else { 0o100_644 };
            assert_eq!(*mode, Some(expected), "{name}");
            assert_eq!(*when, (2026, 3, 4, 5, 6, 8), "{name}");
        }
    }

    #[test]
    fn crc32_matches_the_standard_check_values() {
        // The check value of the CRC-32 catalogue, and zlib's for an empty input.
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32(b"The quick brown fox jumps over the lazy dog"), 0x414F_A339);
    }

    #[test]
    fn an_empty_archive_is_just_the_end_record() {
        let archive = zip(&[], 0).unwrap();
        assert_eq!(archive.len(), 22);
        assert!(read_back(&archive).is_empty());
    }

    #[test]
    fn times_outside_the_dos_range_fall_back_to_1980() {
        assert_eq!(dos_date_time(0), (0x21, 0));
        assert_eq!(dos_date_time(i64::MAX), (0x21, 0));
        // 1980-01-01 00:00:02, the first representable second after the epoch of the format.
        assert_eq!(dos_date_time(315_532_802), (0x21, 1));
    }

    #[test]
    fn names_that_escape_the_folder_are_refused() {
        for name in ["", "/etc/passwd", "../x", "a/../../x", "a\\b", "a//b", "dir/"] {
            let entries = [Entry { name, bytes: b"x", executable: false }];
            assert_eq!(zip(&entries, 0), Err(ArchiveError::BadName(name.to_string())), "{name:?}");
        }
        let message = zip(&[Entry { name: "../x", bytes: b"", executable: false }], 0).unwrap_err().to_string();
        assert_eq!(message, "\"../x\" cannot be a file name in a zip archive");
    }

    #[test]
    fn the_python_zipfile_module_reads_it_too() {
        // A second, independent reader (`cargo xtask setup` installs python3).
        let entries = [
            Entry { name: "pg_hba.conf", bytes: b"hostssl all all 0.0.0.0/0 scram-sha-256\n", executable: false },
            Entry { name: "café/ключ.txt", bytes: "Ωmega\n".as_bytes(), executable: true },
        ];
        let dir = std::env::temp_dir().join(format!("pgtls-archive-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("set.zip");
        std::fs::write(&path, zip(&entries, 1_772_600_768).unwrap()).unwrap();
        let script = "import sys, zipfile, json\n\
                      z = zipfile.ZipFile(sys.argv[1])\n\
                      assert z.testzip() is None\n\
                      print(json.dumps([[i.filename, z.read(i).decode('utf-8'), i.external_attr >> 16] for i in z.infolist()]))";
        let out = std::process::Command::new("python3").arg("-c").arg(script).arg(&path).output().unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let listed: Vec<(String, String, u32)> = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            listed,
            vec![
                ("pg_hba.conf".to_string(), "hostssl all all 0.0.0.0/0 scram-sha-256\n".to_string(), 0o100_644),
                ("café/ключ.txt".to_string(), "Ωmega\n".to_string(), 0o100_755),
            ]
        );
    }
}
