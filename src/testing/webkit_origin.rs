//! Writer of WebKit's `origin` file (WTF::Persistence encoding of `ClientOrigin`: the
//! top origin, then the client origin; each scheme and host as a u32 LE length, a
//! Latin-1 flag byte and the characters, then `0x00` for the default port or `0x01` and
//! a u16 LE port), for tests only (built with the `test-support` feature).

fn string(out: &mut Vec<u8>, s: &str) {
    if s.bytes().all(|b| b < 0x80) {
        out.extend_from_slice(&(s.len() as u32).to_le_bytes());
        out.push(1);
        out.extend_from_slice(s.as_bytes());
    } else {
        let units: Vec<u16> = s.encode_utf16().collect();
        out.extend_from_slice(&(units.len() as u32).to_le_bytes());
        out.push(0);
        for u in units {
            out.extend_from_slice(&u.to_le_bytes());
        }
    }
}

fn origin(out: &mut Vec<u8>, origin: &str) {
    let (scheme, rest) = origin.split_once("://").expect("scheme://host[:port]");
    let (host, port) = match rest.rsplit_once(':') {
        Some((h, p)) => (h, Some(p.parse::<u16>().expect("a port"))),
        None => (rest, None),
    };
    string(out, scheme);
    string(out, host);
    match port {
        Some(p) => {
            out.push(1);
            out.extend_from_slice(&p.to_le_bytes());
        }
        None => out.push(0),
    }
}

/// The `origin` file of a client directory: `top` and `client` as
/// `scheme://host[:port]`.
pub fn origin_file(top: &str, client: &str) -> Vec<u8> {
    let mut out = Vec::new();
    origin(&mut out, top);
    origin(&mut out, client);
    out
}
