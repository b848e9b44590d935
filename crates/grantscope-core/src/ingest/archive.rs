//! Zip archives expanded in memory, with limits, so that a hostile archive (a zip bomb, a path
//! that climbs out of the archive, millions of entries) gives a clear error instead of
//! exhausting memory.
//!
//! Sizes declared in the archive's headers are never trusted: every entry is read through
//! `Read::take(limit + 1)`, so at most one byte more than allowed is ever decompressed.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read};

use zip::ZipArchive;
use zip::result::ZipError;

use super::report::{LoadError, LoadWarning, WarningKind};
use super::{InputFile, Limits};

/// True for the two signatures a zip file can start with: a local file header (`PK\x03\x04`) or,
/// for an empty archive, the end-of-central-directory record (`PK\x05\x06`).
pub(crate) fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

/// Expands a zip archive held in memory into its member files, named `<archive name>/<entry path>`.
/// Directories are skipped. Nested zips are returned as ordinary entries (the caller recurses,
/// bounded by `limits.max_archive_depth`).
///
/// `budget` is the number of bytes all files may still take (`limits.max_total_bytes` minus what
/// was already read); what is extracted is subtracted from it.
///
/// Errors (the whole archive fails): an unreadable or corrupt archive or entry, more than
/// `limits.max_archive_entries` entries, an entry that expands beyond `limits.max_file_bytes`,
/// the remaining budget or `limits.max_expansion_ratio` times its compressed size, two entries
/// whose data overlap (an "overlapping" zip bomb reuses one compressed kernel many times). Warnings (the entry is skipped): a path that is absolute or climbs out of
/// the archive, an encrypted entry, an unsupported compression method, a symbolic link, two
/// entries with the same path. Backslashes in entry paths are read as `/`, and `.` and `x/..`
/// components are resolved. The files are returned sorted by name.
pub(crate) fn expand_zip(
    archive: &str,
    bytes: &[u8],
    limits: &Limits,
    budget: &mut u64,
) -> Result<(Vec<InputFile>, Vec<LoadWarning>), LoadError> {
    let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        LoadError::new(
            archive,
            format!(
                "cannot read the zip archive ({e}): expected a complete .zip file; \
                 the file may be truncated or not a zip archive"
            ),
        )
    })?;
    if zip.len() > limits.max_archive_entries {
        return Err(LoadError::new(
            archive,
            format!(
                "the archive holds {} entries, more than the limit of {}",
                zip.len(),
                limits.max_archive_entries
            ),
        ));
    }

    let mut files = Vec::new();
    let mut warnings = Vec::new();
    let mut names = BTreeSet::new();
    let mut spans: BTreeMap<u64, (u64, String)> = BTreeMap::new();
    let mut warn = |kind: WarningKind, message: String| {
        warnings.push(LoadWarning {
            kind,
            file: archive.to_owned(),
            line: 0,
            path: None,
            message,
        });
    };

    for index in 0..zip.len() {
        let raw_name = zip.name_for_index(index).unwrap_or_default().to_owned();
        let name = match entry_path(&raw_name) {
            EntryPath::Directory => continue,
            EntryPath::Unsafe(why) => {
                warn(
                    WarningKind::UnsupportedValue,
                    format!("entry \"{raw_name}\" was ignored because its path {why}"),
                );
                continue;
            }
            EntryPath::File(name) => name,
        };
        let mut entry = match zip.by_index(index) {
            Ok(entry) => entry,
            Err(e) => {
                let why = unreadable_entry(archive, &raw_name, e)?;
                warn(
                    WarningKind::UnsupportedValue,
                    format!("entry \"{raw_name}\" was ignored because {why}"),
                );
                continue;
            }
        };
        if entry.is_dir() {
            continue;
        }
        if entry.is_symlink() {
            warn(
                WarningKind::UnsupportedValue,
                format!("entry \"{raw_name}\" was ignored because it is a symbolic link"),
            );
            continue;
        }

        // Each entry's bytes in the archive, from its local header to the end of its data.
        let start = entry.header_start();
        let end = entry
            .data_start()
            .saturating_add(entry.compressed_size())
            .max(start.saturating_add(1));
        if let Some(other) = overlapping(&spans, start, end) {
            return Err(LoadError::new(
                archive,
                format!(
                    "entries \"{other}\" and \"{raw_name}\" overlap (they share compressed \
                     data), which no zip tool writes; the archive may be a zip bomb"
                ),
            ));
        }
        spans.insert(start, (end, raw_name.clone()));

        if names.contains(&name) {
            warn(
                WarningKind::ConflictingDuplicate,
                format!(
                    "entry \"{raw_name}\" was ignored because an earlier entry has the same path \
                     ({name})"
                ),
            );
            continue;
        }

        // The compressed size comes from the headers: never more than the archive itself.
        let compressed = entry
            .compressed_size()
            .min(u64::try_from(bytes.len()).unwrap_or(u64::MAX));
        let data = read_entry(
            archive, &name, &raw_name, &mut entry, limits, *budget, compressed,
        )?;
        let size = u64::try_from(data.len()).unwrap_or(u64::MAX);
        *budget = budget.saturating_sub(size);
        names.insert(name.clone());
        files.push(InputFile::new(format!("{archive}/{name}"), data));
    }
    crate::order::sort_by(&mut files, |a, b| a.name.cmp(&b.name));
    Ok((files, warnings))
}

/// The name of an entry already read whose span `[start, end)` in the archive overlaps this one.
fn overlapping(spans: &BTreeMap<u64, (u64, String)>, start: u64, end: u64) -> Option<&str> {
    let before = spans
        .range(..=start)
        .next_back()
        .filter(|(_, (other_end, _))| *other_end > start);
    let after = spans.range(start..end).next();
    before.or(after).map(|(_, (_, name))| name.as_str())
}

/// Why an entry that cannot be opened is skipped (encrypted, unsupported compression), or the
/// error that fails the archive (anything else: the archive is damaged).
fn unreadable_entry(archive: &str, raw_name: &str, e: ZipError) -> Result<String, LoadError> {
    const SUPPORTED: &str =
        "only unencrypted entries, stored or compressed with deflate, are supported";
    match e {
        ZipError::UnsupportedArchive(why) if why == ZipError::PASSWORD_REQUIRED => {
            Ok(format!("it is encrypted; {SUPPORTED}"))
        }
        ZipError::InvalidPassword => Ok(format!("it is encrypted; {SUPPORTED}")),
        ZipError::UnsupportedArchive(why) => Ok(format!("it cannot be read ({why}); {SUPPORTED}")),
        e => Err(corrupt_entry(archive, raw_name, &e)),
    }
}

/// Reads an entry's content, never more than one byte beyond what the limits allow: the
/// per-file limit, the remaining total, and `limits.max_expansion_ratio` times its compressed
/// size (the size the headers declare for the content is not trusted).
fn read_entry(
    archive: &str,
    name: &str,
    raw_name: &str,
    entry: &mut impl Read,
    limits: &Limits,
    budget: u64,
    compressed: u64,
) -> Result<Vec<u8>, LoadError> {
    let by_ratio = limits.max_expansion_ratio.saturating_mul(compressed);
    let allowed = limits.max_file_bytes.min(budget).min(by_ratio);
    let mut data = Vec::new();
    entry
        .take(allowed.saturating_add(1))
        .read_to_end(&mut data)
        .map_err(|e| corrupt_entry(archive, raw_name, &e))?;
    let size = u64::try_from(data.len()).unwrap_or(u64::MAX);
    if size <= allowed {
        return Ok(data);
    }
    let message = if by_ratio < limits.max_file_bytes.min(budget) {
        format!(
            "entry {name} expands to more than {} times its compressed size of {} bytes, the \
             limit; the archive may be a zip bomb",
            limits.max_expansion_ratio, compressed
        )
    } else if allowed == limits.max_file_bytes {
        format!(
            "entry {name} expands beyond the {} per-file limit; the archive may be a zip bomb",
            human_size(limits.max_file_bytes)
        )
    } else {
        format!(
            "entry {name} expands beyond the {} total size limit of all files ({} were left); \
             the archive may be a zip bomb",
            human_size(limits.max_total_bytes),
            human_size(budget)
        )
    };
    Err(LoadError::new(archive, message))
}

fn corrupt_entry(archive: &str, entry: &str, e: &dyn std::fmt::Display) -> LoadError {
    LoadError::new(
        archive,
        format!(
            "entry \"{entry}\" is corrupt ({e}): expected valid compressed data; \
             the archive may be truncated or damaged"
        ),
    )
}

/// What an entry's name says about where it would go.
#[derive(Debug, PartialEq, Eq)]
enum EntryPath {
    Directory,
    /// Why the path is refused (completes "its path …").
    Unsafe(&'static str),
    /// The normalised relative path: `/` separators, no `.`, `..` or empty components.
    File(String),
}

fn entry_path(raw: &str) -> EntryPath {
    let name = raw.replace('\\', "/");
    let bytes = name.as_bytes();
    if name.starts_with('/')
        || (bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':')
    {
        return EntryPath::Unsafe("is absolute, so it would escape the archive");
    }
    if name.contains('\0') {
        return EntryPath::Unsafe("contains a NUL character");
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in name.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return EntryPath::Unsafe("escapes the archive (\"..\")");
                }
            }
            _ => parts.push(part),
        }
    }
    if name.ends_with('/') || parts.is_empty() {
        return EntryPath::Directory;
    }
    EntryPath::File(parts.join("/"))
}

/// `512 MiB`, `4 GiB`, `1536 KiB`, or `1000 bytes`.
pub(crate) fn human_size(bytes: u64) -> String {
    const KIB: u64 = 1024;
    for (unit, name) in [(KIB * KIB * KIB, "GiB"), (KIB * KIB, "MiB"), (KIB, "KiB")] {
        if bytes >= unit && bytes.is_multiple_of(unit) {
            return format!("{} {name}", bytes / unit);
        }
    }
    format!("{bytes} bytes")
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use zip::CompressionMethod;
    use zip::write::SimpleFileOptions;

    use super::*;

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
        for (name, data) in entries {
            if name.ends_with('/') {
                writer.add_directory(*name, options).unwrap();
            } else {
                writer.start_file(*name, options).unwrap();
                writer.write_all(data).unwrap();
            }
        }
        writer.finish().unwrap().into_inner()
    }

    fn expand(
        bytes: &[u8],
        limits: &Limits,
    ) -> Result<(Vec<InputFile>, Vec<LoadWarning>), LoadError> {
        let mut budget = limits.max_total_bytes;
        expand_zip("export.zip", bytes, limits, &mut budget)
    }

    fn small_limits() -> Limits {
        Limits {
            max_file_bytes: 1024 * 1024,
            max_total_bytes: 1536 * 1024,
            max_archive_entries: 10,
            max_archive_depth: 2,
            // The tests of the other limits compress runs of one byte: let those expand.
            max_expansion_ratio: 100_000,
            ..Limits::default()
        }
    }

    /// Offsets of every header with `signature` (local `PK\3\4` or central `PK\1\2`).
    fn headers(bytes: &[u8], signature: [u8; 4]) -> Vec<usize> {
        bytes
            .windows(4)
            .enumerate()
            .filter(|(_, w)| *w == signature)
            .map(|(i, _)| i)
            .collect()
    }

    fn patch_u16(bytes: &mut [u8], at: usize, value: u16) {
        bytes[at..at + 2].copy_from_slice(&value.to_le_bytes());
    }

    fn patch_u32(bytes: &mut [u8], at: usize, value: u32) {
        bytes[at..at + 4].copy_from_slice(&value.to_le_bytes());
    }

    #[test]
    fn recognises_zip_signatures() {
        assert!(is_zip(&zip_of(&[("a.json", b"{}")])));
        assert!(is_zip(&zip_of(&[])));
        assert!(!is_zip(b"{\"value\": []}"));
        assert!(!is_zip(b"PK"));
    }

    #[test]
    fn expands_entries_sorted_and_skips_directories() {
        let bytes = zip_of(&[
            ("tenant/users.json", b"{\"value\":[]}"),
            ("tenant/", b""),
            ("catalogs.json", b"[]"),
            ("inner.zip", &zip_of(&[("x.json", b"{}")])),
        ]);
        let mut budget = 1000;
        let (files, warnings) =
            expand_zip("export.zip", &bytes, &Limits::default(), &mut budget).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "export.zip/catalogs.json",
                "export.zip/inner.zip",
                "export.zip/tenant/users.json"
            ]
        );
        assert_eq!(files[2].bytes, b"{\"value\":[]}");
        assert!(
            is_zip(&files[1].bytes),
            "nested zips are returned as they are"
        );
        let used: usize = files.iter().map(|f| f.bytes.len()).sum();
        assert_eq!(budget, 1000 - u64::try_from(used).unwrap());
    }

    #[test]
    fn empty_archive_is_valid() {
        let (files, warnings) = expand(&zip_of(&[]), &Limits::default()).unwrap();
        assert!(files.is_empty() && warnings.is_empty());
    }

    #[test]
    fn zip_bomb_hits_the_per_file_limit() {
        let zeros = vec![0_u8; 2 * 1024 * 1024];
        let bytes = zip_of(&[("big.json", &zeros)]);
        assert!(
            bytes.len() < 10 * 1024,
            "the test archive is small: {}",
            bytes.len()
        );
        let err = expand(&bytes, &small_limits()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "export.zip: entry big.json expands beyond the 1 MiB per-file limit; \
             the archive may be a zip bomb"
        );
    }

    #[test]
    fn declared_sizes_are_not_trusted() {
        let zeros = vec![0_u8; 2 * 1024 * 1024];
        let mut bytes = zip_of(&[("big.json", &zeros)]);
        // Declare 10 bytes in the local header (offset 22) and central directory (offset 24).
        for at in headers(&bytes, *b"PK\x03\x04") {
            patch_u32(&mut bytes, at + 22, 10);
        }
        for at in headers(&bytes, *b"PK\x01\x02") {
            patch_u32(&mut bytes, at + 24, 10);
        }
        let err = expand(&bytes, &small_limits()).unwrap_err();
        assert!(err.message.contains("per-file limit"), "{err}");
    }

    #[test]
    fn total_budget_is_shared_between_entries() {
        let part = vec![b' '; 1000 * 1024];
        let bytes = zip_of(&[("a.json", &part), ("b.json", &part)]);
        let err = expand(&bytes, &small_limits()).unwrap_err();
        assert!(
            err.message
                .starts_with("entry b.json expands beyond the 1536 KiB total size limit"),
            "{err}"
        );

        // A budget already used up by earlier files.
        let mut budget = 10;
        let err = expand_zip(
            "x.zip",
            &zip_of(&[("a.json", b"0123456789A")]),
            &small_limits(),
            &mut budget,
        )
        .unwrap_err();
        assert!(err.message.contains("(10 bytes were left)"), "{err}");
    }

    #[test]
    fn unsafe_paths_are_skipped_with_warnings() {
        let bytes = zip_of(&[
            ("../evil.json", b"1"),
            ("/abs.json", b"2"),
            ("C:\\windows.json", b"3"),
            ("\\\\server\\share.json", b"4"),
            ("a/../../up.json", b"5"),
            ("dir\\sub.json", b"6"),
            ("./a/./b/../c.json", b"7"),
        ]);
        let (files, warnings) = expand(&bytes, &Limits::default()).unwrap();
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["export.zip/a/c.json", "export.zip/dir/sub.json"]);
        assert_eq!(files[0].bytes, b"7");
        assert_eq!(warnings.len(), 5, "{warnings:?}");
        assert!(
            warnings
                .iter()
                .all(|w| w.kind == WarningKind::UnsupportedValue
                    && w.file == "export.zip"
                    && w.message.contains("was ignored because its path"))
        );
        assert_eq!(
            warnings[0].message,
            "entry \"../evil.json\" was ignored because its path escapes the archive (\"..\")"
        );
        assert!(
            warnings[1]
                .message
                .starts_with("entry \"/abs.json\" was ignored because its path is absolute")
        );
    }

    #[test]
    fn duplicate_paths_keep_the_first_entry() {
        let bytes = zip_of(&[("a/b.json", b"first"), ("a\\b.json", b"second")]);
        let (files, warnings) = expand(&bytes, &Limits::default()).unwrap();
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].bytes, b"first");
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].kind, WarningKind::ConflictingDuplicate);
    }

    #[test]
    fn encrypted_and_unsupported_entries_are_skipped_with_warnings() {
        let mut bytes = zip_of(&[
            ("locked.json", b"{}"),
            ("bzip.json", b"[]"),
            ("ok.json", b"1"),
        ]);
        let locals = headers(&bytes, *b"PK\x03\x04");
        let centrals = headers(&bytes, *b"PK\x01\x02");
        // General-purpose flag bit 0 = encrypted (local offset 6, central offset 8).
        patch_u16(&mut bytes, locals[0] + 6, 1);
        patch_u16(&mut bytes, centrals[0] + 8, 1);
        // Compression method 12 = bzip2, not built in (local offset 8, central offset 10).
        patch_u16(&mut bytes, locals[1] + 8, 12);
        patch_u16(&mut bytes, centrals[1] + 10, 12);
        let (files, warnings) = expand(&bytes, &Limits::default()).unwrap();
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].name, "export.zip/ok.json");
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(
            warnings[0]
                .message
                .starts_with("entry \"locked.json\" was ignored because it is encrypted")
        );
        assert!(
            warnings[1]
                .message
                .starts_with("entry \"bzip.json\" was ignored because it cannot be read")
        );
    }

    #[test]
    fn corrupt_archives_are_errors() {
        let err = expand(b"PK\x03\x04 this is not really a zip", &Limits::default()).unwrap_err();
        assert!(
            err.message.starts_with("cannot read the zip archive ("),
            "{err}"
        );
        assert_eq!(err.file, "export.zip");

        let good = zip_of(&[("a.json", &[b'x'; 4096])]);
        let err = expand(&good[..good.len() / 2], &Limits::default()).unwrap_err();
        assert!(err.message.contains("may be truncated"), "{err}");

        // Damage the compressed data: the entry fails to inflate or fails its CRC check.
        let mut bytes = zip_of(&[("a.json", "grantscope ".repeat(500).as_bytes())]);
        let data_start = 30 + "a.json".len();
        for b in &mut bytes[data_start + 4..data_start + 20] {
            *b = !*b;
        }
        let err = expand(&bytes, &Limits::default()).unwrap_err();
        assert!(
            err.message.starts_with("entry \"a.json\" is corrupt"),
            "{err}"
        );
    }

    #[test]
    fn entry_count_limit() {
        let entries: Vec<(String, Vec<u8>)> = (0..11)
            .map(|i| (format!("{i}.json"), b"{}".to_vec()))
            .collect();
        let refs: Vec<(&str, &[u8])> = entries
            .iter()
            .map(|(n, b)| (n.as_str(), b.as_slice()))
            .collect();
        let err = expand(&zip_of(&refs), &small_limits()).unwrap_err();
        assert_eq!(
            err.message,
            "the archive holds 11 entries, more than the limit of 10"
        );
        assert!(expand(&zip_of(&refs[..10]), &small_limits()).is_ok());
    }

    macro_rules! fixture {
        ($name:literal) => {
            include_bytes!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../fixtures/malformed/zip/",
                $name
            ))
        };
    }

    #[test]
    fn fixture_traversal_zip() {
        let (files, warnings) = expand(fixture!("traversal.zip"), &Limits::default()).unwrap();
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["export.zip/dir/sub.json", "export.zip/ok.json"]);
        let ignored: Vec<&str> = warnings
            .iter()
            .filter_map(|w| w.message.split('"').nth(1))
            .collect();
        assert_eq!(
            ignored,
            [
                "../evil.json",
                "/abs.json",
                "C:\\windows\\abs.json",
                "nested/../../escape.json"
            ]
        );
    }

    #[test]
    fn fixture_bombs() {
        for bytes in [
            &fixture!("bomb.zip")[..],
            &fixture!("bomb-lying-header.zip")[..],
        ] {
            assert!(bytes.len() < 11 * 1024);
            let err = expand(bytes, &small_limits()).unwrap_err();
            assert_eq!(
                err.message,
                "entry bomb.json expands beyond the 1 MiB per-file limit; \
                 the archive may be a zip bomb"
            );
        }
        // With the default limits the expansion ratio (about 1016) stops it first.
        let err = expand(fixture!("bomb.zip"), &Limits::default()).unwrap_err();
        assert!(
            err.message.starts_with(
                "entry bomb.json expands to more than 1000 times its compressed size of"
            ),
            "{err}"
        );
        let lenient = Limits {
            max_expansion_ratio: 2000,
            ..Limits::default()
        };
        let (files, _) = expand(fixture!("bomb.zip"), &lenient).unwrap();
        assert_eq!(files[0].bytes.len(), 10 * 1024 * 1024);
    }

    #[test]
    fn fixture_overlap_and_nesting() {
        let err = expand(fixture!("overlap.zip"), &Limits::default()).unwrap_err();
        assert_eq!(
            err.message,
            "entries \"copy00.json\" and \"copy01.json\" overlap (they share compressed data), \
             which no zip tool writes; the archive may be a zip bomb"
        );
        // The nesting limit is the caller's (ingest::load); one level expands here.
        let (files, _) = expand(fixture!("nested-three-deep.zip"), &Limits::default()).unwrap();
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["export.zip/level1.zip", "export.zip/ok.json"]);
    }

    #[test]
    fn overlap_is_found_in_either_order() {
        let mut spans = BTreeMap::new();
        spans.insert(100, (200, "a".to_owned()));
        spans.insert(300, (400, "b".to_owned()));
        assert_eq!(overlapping(&spans, 150, 160), Some("a"));
        assert_eq!(overlapping(&spans, 50, 101), Some("a"));
        assert_eq!(overlapping(&spans, 250, 301), Some("b"));
        assert_eq!(overlapping(&spans, 100, 101), Some("a"));
        assert_eq!(overlapping(&spans, 200, 300), None);
        assert_eq!(overlapping(&spans, 0, 100), None);
        assert_eq!(overlapping(&spans, 400, 500), None);
    }

    #[test]
    fn expansion_ratio_limit() {
        let zeros = vec![0_u8; 300 * 1024];
        let bytes = zip_of(&[("ok.json", b"{\"value\": []}"), ("zeros.json", &zeros)]);
        let limits = Limits {
            max_expansion_ratio: 100,
            ..Limits::default()
        };
        let err = expand(&bytes, &limits).unwrap_err();
        assert!(
            err.message.starts_with(
                "entry zeros.json expands to more than 100 times its compressed size of "
            ) && err
                .message
                .ends_with(" bytes, the limit; the archive may be a zip bomb"),
            "{err}"
        );
        // Only the allowed bytes (and one more) are ever decompressed: no 300 KiB buffer here
        // is observable, but the limit holds whatever the header says the size is.
        let mut lying = bytes.clone();
        for at in headers(&lying, *b"PK\x01\x02") {
            patch_u32(&mut lying, at + 24, 1);
        }
        assert!(
            expand(&lying, &limits)
                .unwrap_err()
                .message
                .contains("100 times")
        );
        // Ordinary JSON compresses far less than that.
        let json: Vec<u8> = (0..2000)
            .flat_map(|i| {
                format!("{{\"id\": \"{i:08x}-user\", \"displayName\": \"User {i}\"}},\n")
                    .into_bytes()
            })
            .collect();
        assert!(expand(&zip_of(&[("users.json", &json)]), &Limits::default()).is_ok());
    }

    #[test]
    fn fixture_corrupt_and_encrypted() {
        let err = expand(fixture!("corrupt.zip"), &Limits::default()).unwrap_err();
        assert!(
            err.message.starts_with("cannot read the zip archive"),
            "{err}"
        );
        let err = expand(fixture!("corrupt-entry.zip"), &Limits::default()).unwrap_err();
        assert!(
            err.message.starts_with("entry \"users.json\" is corrupt"),
            "{err}"
        );
        let (files, warnings) = expand(fixture!("encrypted.zip"), &Limits::default()).unwrap();
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].name, "export.zip/ok.json");
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0]
                .message
                .contains("\"secret.json\" was ignored because it is encrypted")
        );
    }

    #[test]
    fn entry_paths() {
        assert_eq!(
            entry_path("a/b.json"),
            EntryPath::File("a/b.json".to_owned())
        );
        assert_eq!(
            entry_path("a\\b.json"),
            EntryPath::File("a/b.json".to_owned())
        );
        assert_eq!(
            entry_path("a//b.json"),
            EntryPath::File("a/b.json".to_owned())
        );
        assert_eq!(entry_path("a/"), EntryPath::Directory);
        assert_eq!(entry_path("a\\"), EntryPath::Directory);
        assert_eq!(entry_path("./"), EntryPath::Directory);
        assert!(matches!(entry_path(".."), EntryPath::Unsafe(_)));
        assert!(matches!(entry_path("a/../../b"), EntryPath::Unsafe(_)));
        assert!(matches!(entry_path("/b"), EntryPath::Unsafe(_)));
        assert!(matches!(entry_path("c:b"), EntryPath::Unsafe(_)));
        assert!(matches!(entry_path("\\\\server\\x"), EntryPath::Unsafe(_)));
        assert_eq!(human_size(512 * 1024 * 1024), "512 MiB");
        assert_eq!(human_size(4 * 1024 * 1024 * 1024), "4 GiB");
        assert_eq!(human_size(1000), "1000 bytes");
    }
}
