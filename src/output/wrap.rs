//! Text fitted to the terminal: lines broken by display width (a Japanese character
//! takes two columns), at spaces or between Japanese characters but never before 「。」
//! 「、」「）」 nor after 「（」 (the usual line-breaking rules of Japanese), never inside a
//! run of Latin letters, digits and symbols (a domain, an id, a command or a path stays
//! whole even when it overflows), continuation lines hanging under the text of a list
//! item.

use unicode_width::UnicodeWidthChar;

/// Characters that may not begin a line.
const NO_BREAK_BEFORE: &str =
    "。、，．）」』】〕〉》］｝！？ー・：；…‥ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々〜";
/// Characters that may not end a line.
const NO_BREAK_AFTER: &str = "（「『【〔〈《［｛";

/// Units and counters that stay on the line of the number before them (`17.4 KB`,
/// `6 件`).
const UNITS: &[&str] = &[
    "B", "KB", "MB", "GB", "TB", "KiB", "MiB", "GiB", "TiB", "ms", "s", "件", "つ", "個",
];

/// The columns `s` takes on a terminal, colour escapes (`ESC [ … m`) taking none.
pub fn width(s: &str) -> usize {
    let mut n = 0;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // A CSI sequence ends with a byte in @..~.
            for d in chars.by_ref() {
                if ('@'..='~').contains(&d) && d != '[' {
                    break;
                }
            }
            continue;
        }
        n += c.width().unwrap_or(0);
    }
    n
}

/// A piece of a line that is never broken, and whether a space came before it.
struct Unit {
    text: String,
    space_before: bool,
}

fn is_wide(c: char) -> bool {
    c.width() == Some(2) || NO_BREAK_BEFORE.contains(c) || NO_BREAK_AFTER.contains(c)
}

fn units(text: &str) -> Vec<Unit> {
    let mut units: Vec<Unit> = Vec::new();
    let mut space = false;
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c == ' ' {
            space = true;
            chars.next();
            continue;
        }
        let mut piece = String::new();
        if c == '`' {
            // A command or a name quoted in backquotes is one piece, spaces and all.
            piece.push(c);
            chars.next();
            for d in chars.by_ref() {
                piece.push(d);
                if d == '`' {
                    break;
                }
            }
            // What is glued to its end (`…`。) goes with it.
            while let Some(&d) = chars.peek() {
                if d == ' ' || d == '`' || (is_wide(d) && !NO_BREAK_BEFORE.contains(d)) {
                    break;
                }
                piece.push(d);
                chars.next();
            }
        } else if is_wide(c) {
            piece.push(c);
            chars.next();
        } else {
            // A run of anything else (Latin, digits, symbols, colour escapes) up to a
            // space or a Japanese character.
            while let Some(&d) = chars.peek() {
                if d == ' ' || d == '`' || is_wide(d) {
                    break;
                }
                piece.push(d);
                chars.next();
            }
        }
        // A unit after a number: kept with it, whatever punctuation follows (`KB）`).
        if space && is_wide(piece.chars().next().unwrap_or(' ')) {
            while let Some(&d) = chars.peek() {
                if !NO_BREAK_BEFORE.contains(d) {
                    break;
                }
                piece.push(d);
                chars.next();
            }
        }
        let first = piece.chars().next().unwrap_or(' ');
        // Nor does a line begin with a dash standing alone (`Adblock Plus - free`).
        let dash = space && matches!(piece.as_str(), "-" | "–" | "—");
        let unit_of_number = space
            && units
                .last()
                .is_some_and(|u: &Unit| u.text.ends_with(|c: char| c.is_ascii_digit()))
            && UNITS.iter().any(|u| {
                piece
                    .strip_prefix(u)
                    .is_some_and(|rest| !rest.starts_with(|c: char| c.is_ascii_alphanumeric()))
            });
        let glued_to_previous = !space
            && units.last().is_some_and(|u: &Unit| {
                NO_BREAK_BEFORE.contains(first)
                    || u.text
                        .chars()
                        .last()
                        .is_some_and(|l| NO_BREAK_AFTER.contains(l))
            });
        match units.last_mut() {
            Some(last) if unit_of_number || dash => {
                last.text.push(' ');
                last.text.push_str(&piece);
            }
            Some(last) if glued_to_previous => last.text.push_str(&piece),
            _ => units.push(Unit {
                text: piece,
                space_before: space,
            }),
        }
        space = false;
    }
    units
}

/// `text` (one line) broken into lines of at most `max` columns where it can be; a
/// piece that cannot be broken and is wider than `max` gets a line of its own.
pub fn wrap(text: &str, max: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for unit in units(text) {
        let w = width(&unit.text);
        let gap = usize::from(unit.space_before && !line.is_empty());
        if !line.is_empty() && used + gap + w > max {
            lines.push(std::mem::take(&mut line));
            used = 0;
        } else if gap == 1 {
            line.push(' ');
            used += 1;
        }
        line.push_str(&unit.text);
        used += w;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// How far the continuation lines of `line` are indented: its leading spaces, and the
/// marker of a list item (`- `, `1. `) after them.
fn hang(line: &str) -> usize {
    let spaces = line.len() - line.trim_start_matches(' ').len();
    let rest = &line[spaces..];
    let marker = if rest.starts_with("- ") {
        2
    } else {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && rest[digits..].starts_with(". ") {
            digits + 2
        } else {
            0
        }
    };
    spaces + marker
}

/// A whole text fitted to `max` columns: each line wider than that is broken, its
/// continuation lines hanging under its text.
pub fn fit(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for (n, line) in text.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        if width(line) <= max {
            out.push_str(line);
            continue;
        }
        let indent = hang(line).min(max / 2);
        let (head, body) = line.split_at(indent);
        for (i, piece) in wrap(body, max.saturating_sub(indent).max(1))
            .iter()
            .enumerate()
        {
            if i > 0 {
                out.push('\n');
                out.push_str(&" ".repeat(indent));
            } else {
                out.push_str(head);
            }
            out.push_str(piece);
        }
    }
    out
}

/// Where text goes.
pub enum Stream {
    Stdout,
    Stderr,
}

/// The width of the terminal `stream` is, when it is one (`None` when piped: no wrap).
pub fn terminal_columns(stream: Stream) -> Option<usize> {
    use std::io::IsTerminal;
    let size = match stream {
        Stream::Stdout if std::io::stdout().is_terminal() => {
            terminal_size::terminal_size_of(std::io::stdout())
        }
        Stream::Stderr if std::io::stderr().is_terminal() => {
            terminal_size::terminal_size_of(std::io::stderr())
        }
        _ => None,
    };
    let (terminal_size::Width(w), _) = size?;
    (w >= 20).then_some(usize::from(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_breaks_between_characters_but_not_before_closing_marks() {
        let text = "ブラウザーのウィンドウをすべて閉じて、終了してください。";
        let lines = wrap(text, 20);
        assert!(lines.iter().all(|l| width(l) <= 20), "{lines:?}");
        assert_eq!(lines.concat(), text);
        for l in &lines[1..] {
            let first = l.chars().next().unwrap();
            assert!(!NO_BREAK_BEFORE.contains(first), "{lines:?}");
        }
        // 「、」 would start the second line at 18 columns: it goes up with its word.
        assert_eq!(
            wrap("あいうえおかきくけ、こさしすせ", 18)[0],
            "あいうえおかきく"
        );
    }

    #[test]
    fn nothing_breaks_after_an_opening_bracket() {
        let lines = wrap("あいうえお（かきく）", 12);
        assert_eq!(lines, ["あいうえお", "（かきく）"]);
        let lines = wrap("あいうえお［かきく］", 12);
        assert_eq!(lines, ["あいうえお", "［かきく］"]);
    }

    #[test]
    fn names_in_backquotes_listed_one_after_another_stay_whole() {
        let text = "フォルダー名（`Default`、`Profile 2`、`abcd.default-release`）または表示名";
        for max in 10..40 {
            for line in wrap(text, max) {
                assert_eq!(line.matches('`').count() % 2, 0, "{max}: {line}");
            }
        }
    }

    #[test]
    fn domains_commands_and_ids_stay_whole() {
        let text = "許可リストに chatgpt.com、auth.openai.com を入れて `loginfix restore 20261207T084834Z-258242758-9268-0` を実行";
        for max in [10, 16, 30, 60] {
            let lines = wrap(text, max);
            let joined = lines.join("\n");
            for word in [
                "chatgpt.com、",
                "auth.openai.com",
                "20261207T084834Z-258242758-9268-0`",
            ] {
                assert!(joined.contains(word), "{max}: {lines:?}");
            }
        }
    }

    #[test]
    fn english_breaks_at_spaces_and_list_items_hang() {
        let text =
            "  2. Try another browser, or another network (for example your phone's hotspot).";
        let fitted = fit(text, 40);
        let lines: Vec<&str> = fitted.lines().collect();
        assert!(lines.len() > 1, "{fitted}");
        assert!(lines.iter().all(|l| width(l) <= 40), "{fitted}");
        assert!(lines[0].starts_with("  2. Try"));
        assert!(lines[1].starts_with("     ") && !lines[1].starts_with("      "));
        assert_eq!(
            fitted.split_whitespace().collect::<Vec<_>>(),
            text.split_whitespace().collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_quoted_command_stays_whole() {
        let text = "元に戻したいときは、次のように入力してください：`loginfix restore 20261207T090014Z-742784226-8737-0`";
        for max in [20, 40, 60, 80] {
            let lines = wrap(text, max);
            assert!(
                lines
                    .iter()
                    .any(|l| l.contains("`loginfix restore 20261207T090014Z-742784226-8737-0`")),
                "{max}: {lines:?}"
            );
        }
        assert_eq!(wrap("Adblock Plus - free", 14), ["Adblock Plus -", "free"]);
        assert_eq!(wrap("Adblock Plus - free", 13), ["Adblock", "Plus - free"]);
    }

    #[test]
    fn a_number_keeps_its_unit() {
        for max in 4..20 {
            let lines = wrap("キャッシュ 3 件（7.4 KB）、Cookie 6 件", max);
            let joined = lines.join("\n");
            assert!(joined.contains("7.4 KB）"), "{max}: {lines:?}");
            assert!(joined.contains("3 件"), "{max}: {lines:?}");
            assert!(joined.contains("6 件"), "{max}: {lines:?}");
        }
    }

    #[test]
    fn colour_escapes_take_no_columns() {
        assert_eq!(width("\u{1b}[1mabc\u{1b}[0m"), 3);
        assert_eq!(width("エラー"), 6);
        assert_eq!(fit("short", 10), "short");
        assert_eq!(fit("a\n\nb", 10), "a\n\nb");
    }
}
