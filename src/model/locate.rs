//! Finds the line of a field path (`session.chair.titles[1]`) in a block-style YAML source,
//! so that problems found after parsing still point at the clerk's line.

/// Returns the 1-based (line, column) of the value at `path`, or the closest parent found.
/// The column is that of the value when it is written on the key's line (`date: 2022-…`
/// points at `2022`), else that of the key.
pub(crate) fn locate(source: &str, path: &str) -> (usize, usize) {
    let (line, column, _, on_key) = locate_block(source, path);
    let Some(text) = source.lines().nth(line.saturating_sub(1)) else {
        return (line, column);
    };
    if !on_key {
        return (line, column);
    }
    (line, value_column(text, column).unwrap_or(column))
}

/// Where the character `c` of the value at `path` is: the value may span several lines
/// (`>-` blocks, list items), so the lines of its block are searched, from the key's line
/// on. Falls back to [`locate`] when the character is not found as written (e.g. escaped).
pub(crate) fn locate_char(source: &str, path: &str, c: char) -> (usize, usize) {
    let (line, column, end, _) = locate_block(source, path);
    let lines: Vec<&str> = source.lines().collect();
    let first = line.saturating_sub(1);
    for (i, text) in lines.iter().enumerate().take(end).skip(first) {
        let skip = if i == first { column - 1 } else { 0 };
        if let Some(pos) = text.chars().skip(skip).position(|x| x == c) {
            return (i + 1, skip + pos + 1);
        }
    }
    locate(source, path)
}

/// The 1-based column of the value after `key:` on a line whose key starts at `column`.
fn value_column(text: &str, column: usize) -> Option<usize> {
    let chars: Vec<char> = text.chars().collect();
    let rest: String = chars.get(column.saturating_sub(1)..)?.iter().collect();
    let colon = rest.find(':')?;
    let after = &rest[colon + 1..];
    let value = after.trim_start_matches(' ');
    if value.is_empty() || value.starts_with('#') {
        return None;
    }
    let offset =
        rest[..colon + 1].chars().count() + (after.chars().count() - value.chars().count());
    Some(column + offset)
}

/// (line, column, end of the block as a line index (exclusive), whether the place found is
/// a key rather than a list item) of `path`.
fn locate_block(source: &str, path: &str) -> (usize, usize, usize, bool) {
    let lines: Vec<&str> = source.lines().collect();
    let mut best = (1usize, 1usize);
    // Current search window: [start, end) lines, and the indentation of its keys.
    let (mut start, mut end) = (0usize, lines.len());
    let mut min_indent: usize = 0;
    let mut on_key = false;
    for segment in split_path(path) {
        let is_key = matches!(segment, Segment::Key(_));
        let found = match segment {
            Segment::Key(key) => find_key(&lines, start, end, min_indent, &key),
            Segment::Index(i) => find_item(&lines, start, end, i),
        };
        let Some((line, column, block_col)) = found else {
            break;
        };
        best = (line + 1, column + 1);
        on_key = is_key;
        start = line;
        end = block_end(&lines, line, block_col);
        min_indent = column;
    }
    (best.0, best.1, end, on_key)
}

enum Segment {
    Key(String),
    Index(usize),
}

fn split_path(path: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let mut rest = part;
        if let Some(i) = rest.find('[') {
            if i > 0 {
                out.push(Segment::Key(rest[..i].to_string()));
            }
            rest = &rest[i..];
            while let Some(stripped) = rest.strip_prefix('[') {
                let Some(close) = stripped.find(']') else {
                    break;
                };
                if let Ok(n) = stripped[..close].parse() {
                    out.push(Segment::Index(n));
                }
                rest = &stripped[close + 1..];
            }
        } else {
            out.push(Segment::Key(rest.to_string()));
        }
    }
    out
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '-']).len()
}

fn is_content(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && !t.starts_with('#')
}

fn find_key(
    lines: &[&str],
    start: usize,
    end: usize,
    min_indent: usize,
    key: &str,
) -> Option<(usize, usize, usize)> {
    (start..end).find_map(|i| {
        let l = lines[i];
        let ind = indent_of(l);
        let t = &l[ind..];
        let matches = t.strip_prefix(key).is_some_and(|r| r.starts_with(':'));
        (matches && (i == start || ind >= min_indent)).then_some((i, ind, ind))
    })
}

fn find_item(lines: &[&str], start: usize, end: usize, n: usize) -> Option<(usize, usize, usize)> {
    let first = (start + 1..end).find(|&i| lines[i].trim_start().starts_with('-'))?;
    let dash = lines[first].len() - lines[first].trim_start().len();
    (first..end)
        .filter(|&i| {
            let l = lines[i];
            l.len() - l.trim_start().len() == dash && l.trim_start().starts_with('-')
        })
        .nth(n)
        .map(|i| (i, dash + 2, dash))
}

/// The first content line after `line` indented no deeper than `col` (end of the block).
fn block_end(lines: &[&str], line: usize, col: usize) -> usize {
    (line + 1..lines.len())
        .find(|&i| is_content(lines[i]) && lines[i].len() - lines[i].trim_start().len() <= col)
        .unwrap_or(lines.len())
}

#[cfg(test)]
mod tests {
    use super::locate;

    const SRC: &str = "issuer:\n  name: X\nsession:\n  date: 2022-11-10\n  chair:\n    name: A\n    titles: [x]\n  conclusions:\n    period: p\n    directives:\n      - one\n      - >-\n        two\n      - three\ndocuments:\n  - template: tin-bai\n  - template: thong-bao\n    date: 2022-11-14\n";

    #[test]
    fn points_at_the_value_and_at_a_character_inside_a_block() {
        assert_eq!(locate(SRC, "session.date"), (4, 9));
        assert_eq!(locate(SRC, "session.conclusions.directives[1]"), (12, 9));
        assert_eq!(
            super::locate_char(SRC, "session.conclusions.directives[1]", 'w'),
            (13, 10)
        );
        assert_eq!(super::locate_char(SRC, "issuer.name", 'X'), (2, 9));
        // Not found as written: the value's place.
        assert_eq!(super::locate_char(SRC, "issuer.name", 'Z'), (2, 9));
    }

    #[test]
    fn finds_nested_keys_and_items() {
        assert_eq!(locate(SRC, "session.chair.titles"), (7, 13));
        assert_eq!(locate(SRC, "session.conclusions.directives[2]").0, 14);
        assert_eq!(locate(SRC, "documents[1].date").0, 18);
        assert_eq!(locate(SRC, "documents[1]").0, 17);
        assert_eq!(locate(SRC, "issuer.name").0, 2);
    }
}
