//! Bytes → text. Exports arrive as UTF-8 (with or without BOM) or, from Windows PowerShell 5.1,
//! as UTF-16LE with BOM. Anything else gets an error that says where the bad byte is.

use std::borrow::Cow;

use super::report::LoadError;

/// Decodes a file's bytes. Borrows for UTF-8 (the common case), so no copy is made; UTF-16 is
/// decoded into one new string, the only extra copy ingestion ever holds.
pub(crate) fn decode<'a>(file: &str, bytes: &'a [u8]) -> Result<Cow<'a, str>, LoadError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(file, rest).map(Cow::Borrowed);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(file, rest, u16::from_le_bytes).map(Cow::Owned);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(file, rest, u16::from_be_bytes).map(Cow::Owned);
    }
    if looks_like_bomless_utf16(bytes) {
        return Err(LoadError::new(
            file,
            "the file looks like UTF-16 without a byte-order mark; save it as UTF-8 \
             (PowerShell 7: `Out-File -Encoding utf8`) or as UTF-16 with BOM",
        ));
    }
    utf8(file, bytes).map(Cow::Borrowed)
}

fn utf8<'a>(file: &str, bytes: &'a [u8]) -> Result<&'a str, LoadError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        let (line, column) = line_col_of_bytes(valid);
        LoadError::new(
            file,
            format!(
                "invalid UTF-8 at byte {}: expected UTF-8 text (or UTF-16 with a byte-order mark)",
                e.valid_up_to()
            ),
        )
        .at(line, column)
    })
}

fn utf16(file: &str, bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, LoadError> {
    if !bytes.len().is_multiple_of(2) {
        return Err(LoadError::new(
            file,
            "UTF-16 text has an odd number of bytes: the file is truncated",
        ));
    }
    let units = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]]));
    let mut out = String::with_capacity(bytes.len() / 2);
    for (i, ch) in char::decode_utf16(units).enumerate() {
        match ch {
            Ok(c) => out.push(c),
            Err(_) => {
                let (line, column) = line_col(&out, out.len());
                return Err(LoadError::new(
                    file,
                    format!("invalid UTF-16 (unpaired surrogate) at code unit {i}"),
                )
                .at(line, column));
            }
        }
    }
    Ok(out)
}

/// ASCII-heavy UTF-16 has a zero in every other byte; UTF-8 text never contains NUL.
fn looks_like_bomless_utf16(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(512)];
    if sample.len() < 4 {
        return false;
    }
    let zeros_even = sample.iter().step_by(2).filter(|b| **b == 0).count();
    let zeros_odd = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|b| **b == 0)
        .count();
    let half = sample.len() / 2;
    zeros_even * 10 >= half * 8 || zeros_odd * 10 >= half * 8
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (u32, u32) {
    line_col_of_bytes(&text.as_bytes()[..offset.min(text.len())])
}

fn line_col_of_bytes(prefix: &[u8]) -> (u32, u32) {
    let line = prefix.iter().filter(|b| **b == b'\n').count() + 1;
    let line_start = prefix
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&prefix[line_start..])
        .chars()
        .count()
        + 1;
    (to_u32(line), to_u32(column))
}

pub(crate) fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom_borrows() {
        assert!(matches!(decode("a", b"{}").unwrap(), Cow::Borrowed("{}")));
        assert!(matches!(
            decode("a", b"\xEF\xBB\xBF{}").unwrap(),
            Cow::Borrowed("{}")
        ));
    }

    #[test]
    fn utf16le_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "{\"a\":\"é\"}".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode("a", &bytes).unwrap(), "{\"a\":\"é\"}");
    }

    #[test]
    fn bomless_utf16_is_rejected_with_advice() {
        let bytes: Vec<u8> = "{\"value\": []}"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let err = decode("users.json", &bytes).unwrap_err();
        assert!(
            err.message.contains("UTF-16 without a byte-order mark"),
            "{err}"
        );
    }

    #[test]
    fn invalid_utf8_names_line_and_column() {
        let err = decode("x.json", b"{\n  \"a\": \"\xFF\"}").unwrap_err();
        assert_eq!((err.line, err.column), (2, 9));
        assert!(
            err.to_string().starts_with("x.json:2:9: invalid UTF-8"),
            "{err}"
        );
    }
}
