//! Mozilla's mozLz4 container: magic `mozLz40\0`, the decompressed size as u32
//! little-endian, then one LZ4 block.

const MAGIC: &[u8; 8] = b"mozLz40\0";
/// Session files are a few MiB; refuse to allocate for absurd declared sizes.
const MAX_DECOMPRESSED: usize = 512 * 1024 * 1024;

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum MozLz4Error {
    #[error("not a mozLz4 file (wrong magic)")]
    Magic,
    #[error("truncated mozLz4 header")]
    Truncated,
    #[error("declared size {0} is too large")]
    TooLarge(usize),
    #[error("damaged LZ4 data: {0}")]
    Lz4(String),
}

pub fn decode(data: &[u8]) -> Result<Vec<u8>, MozLz4Error> {
    if data.len() < 8 {
        return Err(if MAGIC.starts_with(data) && !data.is_empty() {
            MozLz4Error::Truncated
        } else {
            MozLz4Error::Magic
        });
    }
    if &data[..8] != MAGIC {
        return Err(MozLz4Error::Magic);
    }
    if data.len() < 12 {
        return Err(MozLz4Error::Truncated);
    }
    let size = u32::from_le_bytes([data[8], data[9], data[10], data[11]]) as usize;
    if size > MAX_DECOMPRESSED {
        return Err(MozLz4Error::TooLarge(size));
    }
    let out = lz4_flex::block::decompress(&data[12..], size)
        .map_err(|e| MozLz4Error::Lz4(e.to_string()))?;
    if out.len() != size {
        return Err(MozLz4Error::Lz4(format!(
            "{} bytes decompressed, header says {size}",
            out.len()
        )));
    }
    Ok(out)
}

pub fn encode(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(12 + data.len() / 2);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(&lz4_flex::block::compress(data));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let text = br#"{"version":["sessionrestore",1],"cookies":[]}"#.repeat(50);
        let enc = encode(&text);
        assert_eq!(&enc[..8], MAGIC);
        assert_eq!(decode(&enc).unwrap(), text);
    }

    #[test]
    fn refuses_bad_input() {
        assert_eq!(decode(b"mozLz40\0\x05"), Err(MozLz4Error::Truncated));
        assert_eq!(decode(b"notmozlz4data"), Err(MozLz4Error::Magic));
        assert_eq!(decode(b"PK"), Err(MozLz4Error::Magic));
        assert!(matches!(
            decode(b"mozLz40\0\xff\xff\xff\xff\x00"),
            Err(MozLz4Error::TooLarge(_))
        ));
        let mut enc = encode(b"hello hello hello hello");
        enc.truncate(enc.len() - 3);
        assert!(matches!(decode(&enc), Err(MozLz4Error::Lz4(_))));
    }
}
