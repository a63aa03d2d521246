//! From bytes to UTF-8 text: compression, byte-order marks and legacy encodings.
//!
//! Windows PowerShell writes UTF-16 (`Out-File`, `>`) or the ANSI code page (`Export-Csv`),
//! the portal writes UTF-8 with or without a byte-order mark, and tools gzip their output. The
//! content is sniffed from its first bytes; file names are never trusted for this.

use std::io::{self, BufRead, BufReader, Read};

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};
use encoding_rs_io::DecodeReaderBytesBuilder;

/// How many bytes are looked at to decide.
const SNIFF: usize = 64 * 1024;

/// What the first bytes say about a stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Gzip-compressed; decompress and look again.
    Gzip,
    /// A zip archive; its members are read one by one.
    Zip,
    /// Text in this encoding.
    Text(&'static Encoding),
    /// Neither text nor an archive we know.
    Binary,
}

/// Looks at the first bytes without consuming them.
pub(crate) fn sniff<R: BufRead>(reader: &mut R) -> io::Result<Kind> {
    let head = reader.fill_buf()?;
    Ok(classify(&head[..head.len().min(SNIFF)]))
}

fn classify(head: &[u8]) -> Kind {
    if head.starts_with(&[0x1f, 0x8b]) {
        return Kind::Gzip;
    }
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        return Kind::Zip;
    }
    if head.starts_with(b"\xEF\xBB\xBF") {
        return Kind::Text(UTF_8);
    }
    if head.starts_with(b"\xFF\xFE") {
        return Kind::Text(UTF_16LE);
    }
    if head.starts_with(b"\xFE\xFF") {
        return Kind::Text(UTF_16BE);
    }
    // UTF-16 without a mark: ASCII text leaves every other byte zero.
    let pairs = head.len() / 2;
    if pairs >= 2 {
        let odd_zero = head
            .chunks_exact(2)
            .filter(|p| p[1] == 0 && p[0] != 0)
            .count();
        let even_zero = head
            .chunks_exact(2)
            .filter(|p| p[0] == 0 && p[1] != 0)
            .count();
        if odd_zero * 10 >= pairs * 9 {
            return Kind::Text(UTF_16LE);
        }
        if even_zero * 10 >= pairs * 9 {
            return Kind::Text(UTF_16BE);
        }
    }
    let controls = head
        .iter()
        .filter(|b| matches!(b, 0..=8 | 14..=26 | 28..=31))
        .count();
    if controls > 0 && (head.contains(&0) || controls * 100 > head.len()) {
        return Kind::Binary;
    }
    match std::str::from_utf8(head) {
        Ok(_) => Kind::Text(UTF_8),
        // A character cut by the end of the sniffed bytes is still UTF-8.
        Err(e) if e.error_len().is_none() => Kind::Text(UTF_8),
        Err(_) => Kind::Text(WINDOWS_1252),
    }
}

/// A reader of UTF-8 text from a stream in `encoding` (a byte-order mark is removed).
pub(crate) fn decode<'a, R: Read + 'a>(
    reader: R,
    encoding: &'static Encoding,
) -> Box<dyn BufRead + 'a> {
    if encoding == UTF_8 {
        return Box::new(BufReader::with_capacity(1 << 16, reader));
    }
    let decoded = DecodeReaderBytesBuilder::new()
        .encoding(Some(encoding))
        .bom_override(true)
        .build(reader);
    Box::new(BufReader::with_capacity(1 << 16, decoded))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_encodings_are_recognised_from_their_bytes() {
        assert_eq!(classify(b"\xEF\xBB\xBF[{}]"), Kind::Text(UTF_8));
        assert_eq!(classify(b"[{\"id\":\"caf\xC3\xA9\"}]"), Kind::Text(UTF_8));
        assert_eq!(classify(b"\xFF\xFE[\0{\0"), Kind::Text(UTF_16LE));
        assert_eq!(classify(b"[\0{\0\"\0i\0d\0"), Kind::Text(UTF_16LE));
        assert_eq!(classify(b"\0[\0{\0\"\0i\0d"), Kind::Text(UTF_16BE));
        assert_eq!(classify(b"User,Caf\xE9\n"), Kind::Text(WINDOWS_1252));
        assert_eq!(
            classify(b"[{\"id\":\"caf\xC3"),
            Kind::Text(UTF_8),
            "a character cut at the end"
        );
    }

    #[test]
    fn archives_and_binary_data_are_recognised() {
        assert_eq!(classify(&[0x1f, 0x8b, 8, 0]), Kind::Gzip);
        assert_eq!(classify(b"PK\x03\x04rest"), Kind::Zip);
        assert_eq!(classify(b"\x7fELF\x02\x01\x01\0\0\0\0\0"), Kind::Binary);
        assert_eq!(
            classify(&[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
            Kind::Binary
        );
    }

    #[test]
    fn utf16_and_ansi_text_is_decoded_to_utf8() {
        let utf16: Vec<u8> = "\u{feff}[{\"id\":\"é\"}]"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let mut text = String::new();
        decode(&utf16[..], UTF_16LE)
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, "[{\"id\":\"é\"}]");
        let mut text = String::new();
        decode(&b"User,Caf\xE9"[..], WINDOWS_1252)
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, "User,Café");
    }
}
