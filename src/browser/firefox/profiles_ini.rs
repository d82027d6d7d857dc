//! The INI dialect Firefox writes (`profiles.ini`, `installs.ini`, `compatibility.ini`):
//! `[Section]`, `Key=Value`, `;`/`#` comments, a BOM and CRLF tolerated.

use std::path::Path;

use crate::fsutil;

/// A section of an INI file: its name and its `key=value` lines in order.
pub type Section = (String, Vec<(String, String)>);

/// Parses the INI dialect Firefox writes: `[Section]`, `Key=Value`, `;`/`#` comments.
pub fn parse_ini(text: &str) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with(';') || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            sections.push((name.trim().to_string(), Vec::new()));
        } else if let (Some((key, value)), Some(section)) =
            (line.split_once('='), sections.last_mut())
        {
            section
                .1
                .push((key.trim().to_string(), value.trim().to_string()));
        }
    }
    sections
}

pub fn get<'a>(section: &'a Section, key: &str) -> Option<&'a str> {
    section
        .1
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v.as_str())
}

/// `compatibility.ini` → `LastVersion=153.7.0_20260101000000/20260101000000` → `153.7.0`.
pub fn read_version(fs: &crate::confine::Confined, profile: &Path) -> Option<String> {
    let text = fsutil::read_text(fs, &profile.join("compatibility.ini")).ok()?;
    let sections = parse_ini(&text);
    let value = sections.iter().find_map(|s| get(s, "LastVersion"))?;
    let version = value.split(['_', '/']).next()?.trim();
    (!version.is_empty() && version.len() < 64).then(|| version.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ini_parser_tolerates_junk() {
        let s = parse_ini("junk\n[A]\nk = v\n; c\n#c\n=\nnovalue\n[B]\n");
        assert_eq!(s.len(), 2);
        assert_eq!(
            s[0].1,
            vec![
                ("k".to_string(), "v".to_string()),
                (String::new(), String::new())
            ]
        );
    }
}
