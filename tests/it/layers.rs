//! Issue 11: the arrows point one way. This test reads every `src/**/*.rs`, collects the crate
//! paths each file names (`use crate::…`, `crate::…` in code and in attribute strings, `super::…`,
//! `self::…`, with `{…}` groups expanded) and fails on
//!
//! - an import from a layer above the file's own ([`LAYERS`], bottom first; the list is the one
//!   in `docs/ARCHITECTURE.md`),
//! - an import a [`RULES`] entry forbids (renderers read only the document model; the PDF and
//!   DOCX renderers know nothing of each other),
//! - a cycle between files (edges between a `mod.rs` and the files of its own folder are the
//!   module's facade and do not count),
//!
//! listing each offending `file:line`. [`ALLOWED`] names the known violations left in
//! `src/render/pdf` until the PDF renderer's rewrite lands; an entry that no longer matches
//! anything fails the test, so the list only shrinks.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The layers, bottom first: a module may import from its own layer and the layers below.
/// `base` holds the cross-cutting leaves (errors, diagnostics, fonts, the profiles as data,
/// the calendar, hashing, atomic output); they import only from each other.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "base",
        &[
            "error", "diag", "fonts", "profile", "calendar", "hashing", "output",
        ],
    ),
    ("model", &["model"]),
    ("template", &["template"]),
    ("doc", &["doc"]),
    ("render", &["render"]),
    ("sign", &["sign"]),
    ("pipeline", &["pipeline", "printed", "env", "report"]),
    ("bundle", &["bundle"]),
    ("cmd", &["cmd"]),
];

/// Imports forbidden although they point down: (module of the file, module it may not name,
/// why). A module is a `::` path prefix.
const RULES: &[(&str, &str, &str)] = &[
    (
        "render",
        "profile",
        "renderers read only the document model (the assembler copies the profile's numbers into it)",
    ),
    (
        "render::pdf",
        "render::docx",
        "the two renderers know nothing of each other",
    ),
    (
        "render::docx",
        "render::pdf",
        "the two renderers know nothing of each other",
    ),
];

/// Known violations in `src/render/pdf` (the lead's PDF rewrite removes them, and this list):
/// (file, the offence as reported after the file name). Nothing else may be added here.
const ALLOWED: &[(&str, &str)] = &[];

#[test]
fn issue11_no_module_imports_from_a_layer_above_and_no_file_cycles() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sources = read_tree(&root.join("src"), "src");
    assert!(sources.len() > 50, "read only {} files", sources.len());
    let problems = check(&sources);
    let (allowed, offending): (Vec<&Problem>, Vec<&Problem>) =
        problems.iter().partition(|p| is_allowed(p));
    let unused: Vec<_> = ALLOWED
        .iter()
        .filter(|a| !allowed.iter().any(|p| matches_allowed(p, a)))
        .collect();
    assert!(
        offending.is_empty() && unused.is_empty(),
        "imports against the layering (docs/ARCHITECTURE.md):\n{}\nallow-list entries that match nothing (remove them):\n{unused:#?}",
        offending
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn issue11_layer_check_flags_an_upward_import_with_its_line() {
    let tree = synthetic(&[
        (
            "src/model/record.rs",
            "//! A record.\n// crate::cmd in a comment is no import\nuse crate::error::Result;\n\n#[schemars(schema_with = \"crate::cmd::schema::format_schema\")]\nstruct R;\n",
        ),
        ("src/cmd/schema.rs", "use crate::error::Result;\n"),
        ("src/error.rs", ""),
        ("src/model/mod.rs", "pub mod record;\n"),
        ("src/cmd/mod.rs", "pub mod schema;\n"),
    ]);
    let problems: Vec<String> = check(&tree).iter().map(|p| p.to_string()).collect();
    assert_eq!(
        problems,
        vec![
            "src/model/record.rs:5: imports crate::cmd::schema::format_schema from layer cmd, above its own layer model"
        ]
    );
}

#[test]
fn issue11_layer_check_reads_groups_super_paths_and_inline_modules() {
    let tree = synthetic(&[
        (
            "src/doc/assemble.rs",
            "use crate::{\n    error::Result,\n    model::{record::Record, self},\n};\nmod tests {\n    use super::*;\n    use super::super::chunk::x;\n}\nfn f() { let _ = crate::render::all(); let _ = '\"'; let s = \"// crate::bundle\"; }\n",
        ),
        ("src/doc/chunk.rs", "fn x() {}\n"),
        ("src/doc/mod.rs", ""),
        ("src/render/mod.rs", ""),
        ("src/render/docx/blocks.rs", "use super::super::pdf::lines;\n"),
        ("src/render/pdf/lines.rs", "use crate::profile::single_pitch;\n"),
        ("src/profile/mod.rs", ""),
    ]);
    let problems: Vec<String> = check(&tree).iter().map(|p| p.to_string()).collect();
    assert_eq!(
        problems,
        vec![
            "src/doc/assemble.rs:9: imports crate::bundle from layer bundle, above its own layer doc".to_string(),
            "src/doc/assemble.rs:9: imports crate::render::all from layer render, above its own layer doc".into(),
            "src/render/docx/blocks.rs:1: imports crate::render::pdf::lines (the two renderers know nothing of each other)".into(),
            "src/render/pdf/lines.rs:1: imports crate::profile::single_pitch (renderers read only the document model (the assembler copies the profile's numbers into it))".into(),
        ]
    );
    // The edge `super::super::chunk` from the inline test module reaches `doc/chunk.rs`.
    let edges = edges(&tree);
    assert!(edges.contains(&("src/doc/assemble.rs".into(), "src/doc/chunk.rs".into())));
}

#[test]
fn issue11_layer_check_finds_a_file_cycle_but_not_a_facade() {
    let tree = synthetic(&[
        (
            "src/render/docx/mod.rs",
            "use self::splice::Splice;\npub fn twips() {}\n",
        ),
        (
            "src/render/docx/splice.rs",
            "use super::package::DOCUMENT;\nuse super::twips;\n",
        ),
        (
            "src/render/docx/package.rs",
            "\n\nuse super::splice::Splice;\n",
        ),
        ("src/render/mod.rs", ""),
    ]);
    let problems: Vec<String> = check(&tree).iter().map(|p| p.to_string()).collect();
    assert_eq!(
        problems,
        vec![
            "src/render/docx/package.rs:3: is in a file cycle: src/render/docx/package.rs → src/render/docx/splice.rs",
            "src/render/docx/splice.rs:1: is in a file cycle: src/render/docx/splice.rs → src/render/docx/package.rs",
        ]
    );
}

#[test]
fn issue11_every_source_module_has_a_layer() {
    let tree = synthetic(&[
        ("src/newthing.rs", "use crate::error::Error;\n"),
        ("src/error.rs", ""),
    ]);
    let problems: Vec<String> = check(&tree).iter().map(|p| p.to_string()).collect();
    assert_eq!(
        problems,
        vec!["src/newthing.rs:1: module newthing is in no layer (add it to LAYERS and docs/ARCHITECTURE.md)"]
    );
}

// ---------------------------------------------------------------------------------------------

/// One offence: a file, a line and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Problem {
    file: String,
    line: usize,
    what: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.what)
    }
}

fn is_allowed(p: &Problem) -> bool {
    ALLOWED.iter().any(|a| matches_allowed(p, a))
}

fn matches_allowed(p: &Problem, (file, what): &(&str, &str)) -> bool {
    p.file == *file && p.what.starts_with(what)
}

fn synthetic(files: &[(&str, &str)]) -> BTreeMap<String, String> {
    files
        .iter()
        .map(|(p, s)| (p.to_string(), s.to_string()))
        .collect()
}

/// Every `.rs` file under `dir`, keyed by its path from the crate root (`src/doc/model.rs`).
fn read_tree(dir: &Path, name: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("folder entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let file = path
            .file_name()
            .and_then(|f| f.to_str())
            .expect("UTF-8 name");
        let rel = format!("{name}/{file}");
        if path.is_dir() {
            out.extend(read_tree(&path, &rel));
        } else if file.ends_with(".rs") {
            let text = std::fs::read_to_string(&path).expect("UTF-8 source");
            out.insert(rel, text);
        }
    }
    out
}

/// The module path of a file: `src/doc/model.rs` → `doc::model`, `src/doc/mod.rs` → `doc`;
/// `None` for the crate roots (`lib.rs` declares the modules, `main.rs` is another crate).
fn module_of(file: &str) -> Option<Vec<String>> {
    let rel = file.strip_prefix("src/")?.strip_suffix(".rs")?;
    if rel == "lib" || rel == "main" {
        return None;
    }
    let mut parts: Vec<String> = rel.split('/').map(str::to_string).collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    Some(parts)
}

fn layer_of(top: &str) -> Option<usize> {
    LAYERS.iter().position(|(_, mods)| mods.contains(&top))
}

/// A crate path named in a file: the line and the absolute module path (`["doc", "model",
/// "Mm"]`).
struct Reference {
    line: usize,
    path: Vec<String>,
}

fn check(files: &BTreeMap<String, String>) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (file, text) in files {
        let Some(module) = module_of(file) else {
            continue;
        };
        let top = &module[0];
        let Some(own) = layer_of(top) else {
            problems.push(Problem {
                file: file.clone(),
                line: 1,
                what: format!(
                    "module {top} is in no layer (add it to LAYERS and docs/ARCHITECTURE.md)"
                ),
            });
            continue;
        };
        for r in references(&module, text) {
            if let Some(what) = offence(&module, own, &r.path) {
                problems.push(Problem {
                    file: file.clone(),
                    line: r.line,
                    what,
                });
            }
        }
    }
    problems.extend(cycles(files));
    problems.sort();
    problems.dedup();
    problems
}

/// What is wrong with `module` (in layer `own`) naming `path`, if anything.
fn offence(module: &[String], own: usize, path: &[String]) -> Option<String> {
    let shown = format!("crate::{}", path.join("::"));
    let Some(target) = path.first().and_then(|t| layer_of(t)) else {
        return Some(format!("imports {shown}, which is in no layer"));
    };
    if target > own {
        return Some(format!(
            "imports {shown} from layer {}, above its own layer {}",
            LAYERS[target].0, LAYERS[own].0
        ));
    }
    let starts = |p: &[String], prefix: &str| {
        let prefix: Vec<&str> = prefix.split("::").collect();
        p.len() >= prefix.len() && p.iter().zip(&prefix).all(|(a, b)| a == b)
    };
    RULES
        .iter()
        .find(|(from, to, _)| starts(module, from) && starts(path, to))
        .map(|(_, _, why)| format!("imports {shown} ({why})"))
}

/// Every crate path `text` names, resolved against the file's module.
fn references(module: &[String], text: &str) -> Vec<Reference> {
    let tokens = tokens(text);
    let mut out = Vec::new();
    // Inline modules (`mod tests { … }`) open at a brace depth.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < tokens.len() {
        let (tok, line) = (&tokens[i].0, tokens[i].1);
        match tok.as_str() {
            "{" => depth += 1,
            "}" => {
                depth = depth.saturating_sub(1);
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
            }
            "mod" if tokens.get(i + 2).is_some_and(|t| t.0 == "{") => {
                inline.push((tokens[i + 1].0.clone(), depth));
            }
            "crate" | "super" | "self"
                if tokens.get(i + 1).is_some_and(|t| t.0 == "::")
                    && (i == 0 || tokens[i - 1].0 != "::") =>
            {
                let mut here = module.to_vec();
                here.extend(inline.iter().map(|(m, _)| m.clone()));
                let (paths, next) = use_tree(&tokens, i, Vec::new());
                for p in paths {
                    if let Some(path) = resolve(&here, &p) {
                        out.push(Reference { line, path });
                    }
                }
                i = next;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// The absolute path of `p` (which starts with `crate`, `super` or `self`) named in `here`.
fn resolve(here: &[String], p: &[String]) -> Option<Vec<String>> {
    let mut base: Vec<String> = here.to_vec();
    let mut rest = p;
    match p.first()?.as_str() {
        "crate" => {
            base.clear();
            rest = &p[1..];
        }
        _ => {
            while let Some(first) = rest.first() {
                match first.as_str() {
                    "super" => {
                        base.pop()?;
                    }
                    "self" => {}
                    _ => break,
                }
                rest = &rest[1..];
            }
        }
    }
    base.extend(rest.iter().filter(|s| *s != "self").cloned());
    (!base.is_empty()).then_some(base)
}

/// Parses a path or use tree starting at `tokens[i]`: every full path it names (`a::{b, c::d}`
/// gives `a::b`, `a::c::d`), and the index after it.
fn use_tree(
    tokens: &[(String, usize)],
    mut i: usize,
    mut prefix: Vec<String>,
) -> (Vec<Vec<String>>, usize) {
    loop {
        match tokens.get(i).map(|t| t.0.as_str()) {
            Some("{") => {
                let mut out = Vec::new();
                i += 1;
                while let Some(t) = tokens.get(i) {
                    match t.0.as_str() {
                        "}" => return (out, i + 1),
                        "," => i += 1,
                        _ => {
                            let (paths, next) = use_tree(tokens, i, prefix.clone());
                            out.extend(paths);
                            // Skip `as name` and anything else up to the item's end.
                            i = next;
                            while tokens.get(i).is_some_and(|t| t.0 != "," && t.0 != "}") {
                                i += 1;
                            }
                        }
                    }
                }
                return (out, i);
            }
            Some(t) if is_ident(t) => {
                prefix.push(t.to_string());
                if tokens.get(i + 1).is_some_and(|t| t.0 == "::") {
                    i += 2;
                } else {
                    return (vec![prefix], i + 1);
                }
            }
            // `*`, `<` (a generic path) or anything else ends the path.
            _ => return (vec![prefix], i),
        }
    }
}

fn is_ident(t: &str) -> bool {
    t.chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
}

/// The tokens that matter for paths, each with its line: identifiers, `::`, `{`, `}`, `,`
/// and single punctuation. Comments are dropped; string literals are read as code (an
/// attribute such as `schema_with = "crate::…"` names a path), char literals are dropped.
fn tokens(text: &str) -> Vec<(String, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    lex(&chars, 1, false, &mut out);
    out
}

/// Appends the tokens of `chars` (starting on `line`) to `out`. In a string's contents
/// (`in_string`) nothing is a comment, a char literal or a nested string.
fn lex(chars: &[char], mut line: usize, in_string: bool, out: &mut Vec<(String, usize)>) {
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '\n' {
            line += 1;
            i += 1;
        } else if in_string && !(c.is_alphanumeric() || c == '_' || c == ':') {
            i += 1;
        } else if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i = skip_block_comment(chars, i, &mut line);
        } else if c == '\'' {
            i = skip_char_literal(chars, i);
        } else if c == '"' {
            // A string's contents are read for paths too (`schema_with = "crate::…"`).
            let end = string_end(chars, i);
            lex(&chars[i + 1..end.min(chars.len())], line, true, out);
            line += chars[i..end.min(chars.len())]
                .iter()
                .filter(|c| **c == '\n')
                .count();
            i = end + 1;
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push((chars[start..i].iter().collect(), line));
        } else if c == ':' && next == Some(':') {
            out.push(("::".into(), line));
            i += 2;
        } else if c.is_whitespace() {
            i += 1;
        } else {
            out.push((c.to_string(), line));
            i += 1;
        }
    }
}

/// The index of the closing quote of the string opening at `chars[open]`: a raw string
/// (`r"…"`, `r#"…"#`) ends at a quote followed by as many `#` as opened it; another at the
/// first quote not escaped by a backslash.
fn string_end(chars: &[char], open: usize) -> usize {
    let hashes = chars[..open]
        .iter()
        .rev()
        .take_while(|c| **c == '#')
        .count();
    let raw = open > hashes && chars[open - hashes - 1] == 'r';
    let mut j = open + 1;
    while j < chars.len() {
        if raw
            && chars[j] == '"'
            && chars[j + 1..]
                .iter()
                .take(hashes)
                .filter(|c| **c == '#')
                .count()
                == hashes
        {
            return j + hashes;
        }
        if !raw && chars[j] == '\\' {
            j += 2;
            continue;
        }
        if !raw && chars[j] == '"' {
            return j;
        }
        j += 1;
    }
    chars.len()
}

fn skip_block_comment(chars: &[char], mut i: usize, line: &mut usize) -> usize {
    let mut nest = 0;
    while i < chars.len() {
        if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
            nest += 1;
            i += 2;
        } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
            nest -= 1;
            i += 2;
            if nest == 0 {
                return i;
            }
        } else {
            if chars[i] == '\n' {
                *line += 1;
            }
            i += 1;
        }
    }
    i
}

/// Skips a char literal (`'x'`, `'\n'`, `'"'`); a lifetime (`'a`) is left as an identifier.
fn skip_char_literal(chars: &[char], i: usize) -> usize {
    match (chars.get(i + 1), chars.get(i + 2)) {
        (Some('\\'), _) => {
            let mut j = i + 3;
            while j < chars.len() && chars[j] != '\'' {
                j += 1;
            }
            j + 1
        }
        (Some(_), Some('\'')) => i + 3,
        _ => i + 1,
    }
}

/// The file that defines the longest prefix of `path` that is a module with its own file.
fn file_of(files: &BTreeMap<String, String>, path: &[String]) -> Option<String> {
    (1..=path.len()).rev().find_map(|n| {
        let rel = path[..n].join("/");
        [format!("src/{rel}.rs"), format!("src/{rel}/mod.rs")]
            .into_iter()
            .find(|f| files.contains_key(f))
    })
}

/// The folder a `mod.rs` is the facade of (`src/render/docx/`), if `file` is one.
fn facade_dir(file: &str) -> Option<&str> {
    file.strip_suffix("mod.rs")
}

/// File → file edges, without self edges and without the edges between a `mod.rs` and the
/// files under its folder.
fn edges(files: &BTreeMap<String, String>) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for (file, text) in files {
        let Some(module) = module_of(file) else {
            continue;
        };
        for r in references(&module, text) {
            let Some(target) = file_of(files, &r.path) else {
                continue;
            };
            let facade = |a: &str, b: &str| facade_dir(a).is_some_and(|d| b.starts_with(d));
            if target != *file && !facade(file, &target) && !facade(&target, file) {
                out.insert((file.clone(), target));
            }
        }
    }
    out
}

/// Each edge that lies on a cycle, reported at the first line of the file that names the
/// edge's target.
fn cycles(files: &BTreeMap<String, String>) -> Vec<Problem> {
    let edges = edges(files);
    let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (a, b) in &edges {
        next.entry(a).or_default().push(b);
    }
    let reaches = |from: &str, to: &str| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from];
        while let Some(n) = stack.pop() {
            if n == to {
                return true;
            }
            if seen.insert(n) {
                stack.extend(next.get(n).into_iter().flatten().copied());
            }
        }
        false
    };
    let mut out = Vec::new();
    for (a, b) in &edges {
        if reaches(b, a) {
            let module = module_of(a).unwrap_or_default();
            let line = references(&module, &files[a])
                .into_iter()
                .find(|r| file_of(files, &r.path).as_deref() == Some(b))
                .map_or(1, |r| r.line);
            out.push(Problem {
                file: a.clone(),
                line,
                what: format!("is in a file cycle: {a} → {b}"),
            });
        }
    }
    out
}
