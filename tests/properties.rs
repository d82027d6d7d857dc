//! Property tests for the parsers that read untrusted files: random and mutated inputs
//! never panic, and rewrites keep what they must keep.

use loginfix::stores::{binarycookies, mozlz4};
use proptest::prelude::*;

const DOMAINS: [&str; 8] = [
    "chatgpt.com",
    ".chatgpt.com",
    "auth.openai.com",
    ".openai.com",
    "example.org",
    "notchatgpt.com",
    "chatgpt.com.evil.org",
    ".example.com",
];

fn cookie() -> impl Strategy<Value = (usize, String, String, String)> {
    (
        0..DOMAINS.len(),
        "[a-zA-Z0-9_-]{1,12}",
        "/[a-z]{0,6}",
        "[ -~]{0,40}",
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn binarycookies_rewrite_drops_exactly_the_listed_records(
        cookies in prop::collection::vec(cookie(), 0..24),
        remove_mask in prop::collection::vec(any::<bool>(), 24),
    ) {
        let list: Vec<(&str, &str, &str, &str)> = cookies
            .iter()
            .map(|(d, n, p, v)| (DOMAINS[*d], n.as_str(), p.as_str(), v.as_str()))
            .collect();
        let file = binarycookies::encode(&list, b"bplist00-trailer");
        let parsed = binarycookies::parse(&file).unwrap();
        let records: Vec<_> = parsed.records().cloned().collect();
        prop_assert_eq!(records.len(), list.len());
        prop_assert_eq!(binarycookies::rewrite(&file, &[]).unwrap(), file.clone());
        let remove: Vec<usize> = (0..records.len()).filter(|i| remove_mask[*i]).collect();
        let out = binarycookies::rewrite(&file, &remove).unwrap();
        let after = binarycookies::parse(&out).unwrap();
        let kept: Vec<Vec<u8>> = records
            .iter()
            .enumerate()
            .filter(|(i, _)| !remove.contains(i))
            .map(|(_, r)| file[r.start..r.end].to_vec())
            .collect();
        let got: Vec<Vec<u8>> = after.records().map(|r| out[r.start..r.end].to_vec()).collect();
        prop_assert_eq!(got, kept);
        prop_assert!(out.ends_with(b"bplist00-trailer"));
    }

    #[test]
    fn binarycookies_survives_mutations(
        cookies in prop::collection::vec(cookie(), 1..8),
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
        cut in any::<prop::sample::Index>(),
    ) {
        let list: Vec<(&str, &str, &str, &str)> = cookies
            .iter()
            .map(|(d, n, p, v)| (DOMAINS[*d], n.as_str(), p.as_str(), v.as_str()))
            .collect();
        let mut file = binarycookies::encode(&list, b"bplist00");
        for (at, byte) in flips {
            let i = at.index(file.len());
            file[i] = byte;
        }
        let _ = binarycookies::parse(&file);
        let _ = binarycookies::rewrite(&file, &[0]);
        let short = &file[..cut.index(file.len())];
        let _ = binarycookies::parse(short);
    }

    #[test]
    fn binarycookies_survives_garbage(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let mut with_magic = b"cook".to_vec();
        with_magic.extend_from_slice(&bytes);
        let _ = binarycookies::parse(&bytes);
        let _ = binarycookies::parse(&with_magic);
    }

    #[test]
    fn mozlz4_survives_garbage(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let mut with_magic = b"mozLz40\0".to_vec();
        with_magic.extend_from_slice(&bytes);
        let _ = mozlz4::decode(&bytes);
        let _ = mozlz4::decode(&with_magic);
    }
}
