//! Just enough protobuf wire format to read the top-level length-delimited fields of a
//! small message (Cache Storage's `index.txt`): every length is checked against the
//! bytes that are there, varints are at most ten bytes, and nothing panics on damage.

/// The top-level length-delimited fields of `msg` as (field number, bytes), in order;
/// other wire types are stepped over. Damage is an error saying where.
pub fn length_delimited_fields(msg: &[u8]) -> Result<Vec<(u64, &[u8])>, String> {
    let mut out = Vec::new();
    let mut at = 0usize;
    while at < msg.len() {
        let tag = varint(msg, &mut at)?;
        let field = tag >> 3;
        if field == 0 {
            return Err(format!("field number 0 at byte {at}"));
        }
        match tag & 7 {
            0 => {
                varint(msg, &mut at)?;
            }
            1 => at = skip(msg, at, 8)?,
            2 => {
                let len = varint(msg, &mut at)?;
                let len = usize::try_from(len).map_err(|_| format!("absurd length {len}"))?;
                let end = skip(msg, at, len)?;
                out.push((field, &msg[at..end]));
                at = end;
            }
            5 => at = skip(msg, at, 4)?,
            wire => return Err(format!("unsupported wire type {wire} at byte {at}")),
        }
    }
    Ok(out)
}

/// The last value of the top-level varint field `number` of `msg` (protobuf's rule for a
/// repeated scalar), or `None` when it is absent; damage is an error.
pub fn varint_field(msg: &[u8], number: u64) -> Result<Option<u64>, String> {
    let mut found = None;
    let mut at = 0usize;
    while at < msg.len() {
        let tag = varint(msg, &mut at)?;
        let field = tag >> 3;
        if field == 0 {
            return Err(format!("field number 0 at byte {at}"));
        }
        match tag & 7 {
            0 => {
                let v = varint(msg, &mut at)?;
                if field == number {
                    found = Some(v);
                }
            }
            1 => at = skip(msg, at, 8)?,
            2 => {
                let len = varint(msg, &mut at)?;
                let len = usize::try_from(len).map_err(|_| format!("absurd length {len}"))?;
                at = skip(msg, at, len)?;
            }
            5 => at = skip(msg, at, 4)?,
            wire => return Err(format!("unsupported wire type {wire} at byte {at}")),
        }
    }
    Ok(found)
}

fn skip(msg: &[u8], at: usize, n: usize) -> Result<usize, String> {
    at.checked_add(n)
        .filter(|&end| end <= msg.len())
        .ok_or_else(|| format!("truncated: {n} bytes wanted at byte {at} of {}", msg.len()))
}

fn varint(msg: &[u8], at: &mut usize) -> Result<u64, String> {
    let mut value = 0u64;
    for i in 0..10 {
        let Some(&b) = msg.get(*at) else {
            return Err(format!("truncated varint at byte {at}"));
        };
        *at += 1;
        value |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return Ok(value);
        }
    }
    Err(format!("varint longer than ten bytes before byte {at}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A length-delimited field, as a test writes it.
    pub fn field(n: u8, data: &[u8]) -> Vec<u8> {
        let mut v = vec![(n << 3) | 2, data.len() as u8];
        v.extend_from_slice(data);
        v
    }

    #[test]
    fn reads_string_fields_and_steps_over_others() {
        let mut msg = field(1, &field(1, b"cache"));
        msg.extend([0x20, 0x96, 0x01]); // field 4, varint 150
        msg.extend(field(2, b"https://chatgpt.com/"));
        msg.extend([0x29, 1, 2, 3, 4, 5, 6, 7, 8]); // field 5, fixed64
        msg.extend([0x35, 1, 2, 3, 4]); // field 6, fixed32
        let fields = length_delimited_fields(&msg).unwrap();
        assert_eq!(fields.len(), 2);
        assert_eq!(fields[1], (2, &b"https://chatgpt.com/"[..]));
        assert_eq!(length_delimited_fields(&[]).unwrap(), vec![]);
    }

    #[test]
    fn reads_a_varint_field() {
        let mut msg = field(2, b"https://chatgpt.com/sw.js");
        msg.extend([0x20, 0x96, 0x01]); // field 4 = 150
        assert_eq!(varint_field(&msg, 4), Ok(Some(150)));
        assert_eq!(varint_field(&msg, 1), Ok(None));
        assert!(varint_field(&msg[..msg.len() - 1], 4).is_err());
    }

    #[test]
    fn damage_is_an_error_never_a_panic() {
        let good = field(2, b"https://chatgpt.com/");
        for cut in 0..good.len() {
            let r = length_delimited_fields(&good[..cut]);
            assert!(cut == 0 || r.is_err(), "{cut}");
        }
        assert!(length_delimited_fields(&[
            0x12, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01
        ])
        .is_err());
        assert!(length_delimited_fields(&[0x80; 20]).is_err());
        assert!(length_delimited_fields(&[0x0b]).is_err()); // wire type 3
        assert!(length_delimited_fields(&[0x02, 0]).is_err()); // field 0
        for seed in 0u32..2000 {
            let bytes: Vec<u8> = (0..(seed % 40))
                .map(|i| (seed.wrapping_mul(2654435761).wrapping_add(i * 97) >> 7) as u8)
                .collect();
            let _ = length_delimited_fields(&bytes);
        }
    }
}
