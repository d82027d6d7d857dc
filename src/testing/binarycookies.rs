//! Writers of Safari's `Cookies.binarycookies`, for tests only (built with the
//! `test-support` feature); the sample homes are made by an independent writer.

use crate::stores::safari::binarycookies::{checksum, FOOTER, MAGIC, PAGE_MAGIC, RECORD_HEADER};

/// Builds a file in the layout Safari writes (tests use it; the sample homes are made by
/// an independent writer). One page per domain, in first-seen order.
pub fn encode(cookies: &[(&str, &str, &str, &str)], plist: &[u8]) -> Vec<u8> {
    let mut by_domain: Vec<(&str, Vec<Vec<u8>>)> = Vec::new();
    for (domain, name, path, value) in cookies {
        let mut rec = vec![0u8; RECORD_HEADER];
        let mut strings = Vec::new();
        let mut offsets = [0u32; 4];
        for (k, s) in [domain, name, path, value].iter().enumerate() {
            offsets[k] = (RECORD_HEADER + strings.len()) as u32;
            strings.extend_from_slice(s.as_bytes());
            strings.push(0);
        }
        rec.extend_from_slice(&strings);
        let size = rec.len() as u32;
        rec[0..4].copy_from_slice(&size.to_le_bytes());
        rec[8..12].copy_from_slice(&1u32.to_le_bytes());
        for (k, off) in offsets.iter().enumerate() {
            rec[16 + 4 * k..20 + 4 * k].copy_from_slice(&off.to_le_bytes());
        }
        rec[40..48].copy_from_slice(&8.0e8f64.to_le_bytes());
        rec[48..56].copy_from_slice(&7.0e8f64.to_le_bytes());
        match by_domain.iter_mut().find(|(d, _)| d == domain) {
            Some((_, list)) => list.push(rec),
            None => by_domain.push((domain, vec![rec])),
        }
    }
    let pages: Vec<Vec<u8>> = by_domain
        .into_iter()
        .map(|(_, recs)| {
            let header = 8 + 4 * recs.len() + 4;
            let mut page = PAGE_MAGIC.to_vec();
            page.extend_from_slice(&(recs.len() as u32).to_le_bytes());
            let mut off = header;
            for r in &recs {
                page.extend_from_slice(&(off as u32).to_le_bytes());
                off += r.len();
            }
            page.extend_from_slice(&[0; 4]);
            for r in recs {
                page.extend_from_slice(&r);
            }
            page
        })
        .collect();
    let mut out = MAGIC.to_vec();
    out.extend_from_slice(&(pages.len() as u32).to_be_bytes());
    for p in &pages {
        out.extend_from_slice(&(p.len() as u32).to_be_bytes());
    }
    for p in &pages {
        out.extend_from_slice(p);
    }
    out.extend_from_slice(&checksum(pages.iter().map(Vec::as_slice)).to_be_bytes());
    out.extend_from_slice(&FOOTER);
    out.extend_from_slice(plist);
    out
}
