//! Loading a record: size cap, UTF-8, NFC, YAML (serde-saphyr with budgets) and the mapping
//! of every failure to a [`Diagnostic`] with file, line, column and field path.

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use serde_saphyr::granit_parser::ErrorKind;
use unicode_normalization::UnicodeNormalization;

use crate::diag::Diagnostic;
use crate::model::binary;
use crate::model::locate::locate;
use crate::model::record::Record;
use crate::model::validate;

/// Records larger than this are refused before parsing.
pub(crate) const MAX_RECORD_BYTES: usize = 1024 * 1024;

/// A record that loaded, with its NFC source (for diagnostics) and any warnings.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub path: PathBuf,
    pub source: String,
    pub record: Record,
    pub warnings: Vec<Diagnostic>,
    /// The record as JSON (the templates' data), built once when the record loads.
    pub(crate) data: serde_json::Value,
}

/// What the `*_checked` loaders return: the record with the errors of the rules it breaks
/// (warnings are in [`Loaded::warnings`]); `Err` only when there is no record at all.
pub(crate) type Checked = Result<(Loaded, Vec<Diagnostic>), Vec<Diagnostic>>;

/// Loads and validates a record; any error refuses it.
pub fn load_file(path: &Path) -> Result<Loaded, Vec<Diagnostic>> {
    strict(load_file_checked(path))
}

/// Like [`load_file`], but a record that parses is returned even when rules fail, with the
/// rule errors beside it, so a caller can go on checking (fonts, templates) and report
/// every problem of the file at once.
pub(crate) fn load_file_checked(path: &Path) -> Checked {
    let bytes = read_record(path).map_err(|e| vec![e.diagnostic(path)])?;
    load_bytes_checked(path, &bytes)
}

/// Why a record file's bytes could not be read.
#[derive(Debug)]
pub(crate) enum ReadError {
    Io(std::io::Error),
    /// Larger than [`MAX_RECORD_BYTES`] (the size found); not read.
    TooLarge(u64),
}

impl ReadError {
    /// The error as the record's diagnostic, naming `path`.
    pub(crate) fn diagnostic(&self, path: &Path) -> Diagnostic {
        match self {
            ReadError::Io(e) => Diagnostic::error(path, format!("cannot read the file: {e}")),
            ReadError::TooLarge(len) => too_large(path, *len),
        }
    }
}

/// The bytes of the record file at `path`: the one place every command (`render`, `check`,
/// `bundle` and its monthly report) reads a record from disk. A file over
/// [`MAX_RECORD_BYTES`] is refused without reading it whole.
pub(crate) fn read_record(path: &Path) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    let len = file.metadata().map_err(ReadError::Io)?.len();
    if len > MAX_RECORD_BYTES as u64 {
        return Err(ReadError::TooLarge(len));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    // One byte over the cap is enough to know a file grew past it since its size was read.
    file.take(MAX_RECORD_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() > MAX_RECORD_BYTES {
        return Err(ReadError::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Errors refuse the record; warnings go with the errors when they do.
fn strict(checked: Checked) -> Result<Loaded, Vec<Diagnostic>> {
    let (loaded, errors) = checked?;
    if errors.is_empty() {
        return Ok(loaded);
    }
    let mut all = errors;
    all.extend(loaded.warnings);
    Err(all)
}

fn too_large(path: &Path, len: u64) -> Diagnostic {
    Diagnostic::error(
        path,
        format!("the file is {len} bytes; records are limited to {MAX_RECORD_BYTES} bytes"),
    )
    .hint("one file holds one working session; split larger material into several records")
}

pub fn load_bytes(path: &Path, bytes: &[u8]) -> Result<Loaded, Vec<Diagnostic>> {
    strict(load_bytes_checked(path, bytes))
}

/// [`load_bytes`] that keeps a record breaking rules: see [`load_file_checked`].
pub(crate) fn load_bytes_checked(path: &Path, bytes: &[u8]) -> Checked {
    if bytes.len() > MAX_RECORD_BYTES {
        return Err(vec![too_large(path, bytes.len() as u64)]);
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&valid[line_start..])
            .chars()
            .count()
            + 1;
        let lossy = String::from_utf8_lossy(bytes);
        if let Some(d) = not_a_record(path, &lossy) {
            return vec![d];
        }
        vec![Diagnostic::error(
            path,
            format!(
                "the file is not valid UTF-8 (byte 0x{:02X})",
                bytes[e.valid_up_to()]
            ),
        )
        .at(&lossy, line, column)
        .hint("save the file as UTF-8 (Unicode); legacy TCVN3/VNI encodings are not supported")]
    })?;
    load_str_checked(path, text)
}

/// Parses a record from text. Every string is normalised to NFC first; NFC never changes
/// line breaks, so line numbers stay those of the clerk's file.
pub fn load_str(path: &Path, text: &str) -> Result<Loaded, Vec<Diagnostic>> {
    strict(load_str_checked(path, text))
}

/// [`load_str`] that keeps a record breaking rules: see [`load_file_checked`].
pub(crate) fn load_str_checked(path: &Path, text: &str) -> Checked {
    let text = text.trim_start_matches('\u{feff}');
    // Most records are NFC already: checking is several times cheaper than recomposing.
    let source: String = match unicode_normalization::is_nfc(text) {
        true => text.to_owned(),
        false => text.nfc().collect(),
    };
    if let Some(d) = lone_carriage_return(path, &source) {
        return Err(vec![d]);
    }
    if source
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return Err(vec![Diagnostic::error(path, "the file is empty")
            .at(&source, 1, 1)
            .hint("copy input/thuan-2022-11-10.yaml and fill in the session")]);
    }
    if let Some(d) = binary::check(path, &source) {
        return Err(vec![d]);
    }
    let record =
        parse(path, &source).map_err(|d| vec![not_a_record(path, &source).unwrap_or(*d)])?;
    let data = serde_json::to_value(&record).unwrap_or_default();
    let diags = validate::validate(path, &source, &record, &data);
    let (errors, warnings): (Vec<_>, Vec<_>) = diags.into_iter().partition(|d| d.is_error());
    Ok((
        Loaded {
            path: path.to_path_buf(),
            source,
            record,
            warnings,
            data,
        },
        errors,
    ))
}

/// A line ended by a carriage return alone (old Mac line ends), which YAML reads as a line
/// break but no line count here (or the clerk's editor status bar) does: refused, at the
/// first one, before it can read as "empty" or shift every line number.
fn lone_carriage_return(path: &Path, source: &str) -> Option<Diagnostic> {
    let at = source
        .char_indices()
        .find(|&(i, c)| c == '\r' && !source[i + 1..].starts_with('\n'))
        .map(|(i, _)| i)?;
    let before = &source[..at];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    Some(
        Diagnostic::error(
            path,
            "the file ends its lines with a carriage return alone (CR, old Mac line ends)",
        )
        .at(source, line, column)
        .hint(
            "save the file with LF (Unix) or CRLF (Windows) line ends, e.g. with the editor's \
             line-ending setting, or `sed -i 's/\\r/\\n/g' FILE`",
        ),
    )
}

/// A record's top-level keys.
const RECORD_KEYS: [&str; 4] = ["issuer", "format", "session", "documents"];

/// A file that does not load and in which no line starts with a record's key is not a
/// record (a password file, a binary, another program's data, reached by a stray link or
/// copy): it is refused as such, quoting nothing of it.
fn not_a_record(path: &Path, text: &str) -> Option<Diagnostic> {
    let keyed = text.lines().any(|l| {
        let l = l.trim_start_matches([' ', '-', '{', '"', '\'']);
        RECORD_KEYS.iter().any(|k| {
            l.strip_prefix(k)
                .is_some_and(|rest| rest.trim_start_matches(['"', '\'', ' ']).starts_with(':'))
        })
    });
    (!keyed).then(|| {
        Diagnostic::error(
            path,
            "this file is not a record: no line starts with a record's keys (`issuer:`, \
             `format:`, `session:`, `documents:`); nothing of it is shown",
        )
        .hint("a record is written like input/thuan-2022-11-10.yaml; move other files out of the records folder")
    })
}

fn parse(path: &Path, source: &str) -> Result<Record, Box<Diagnostic>> {
    let field_path = RefCell::new(String::new());
    let result = serde_saphyr::with_deserializer_from_str_with_options(source, options(), |de| {
        serde_path_to_error::deserialize(de).map_err(|e| {
            *field_path.borrow_mut() = e.path().to_string();
            e.into_inner()
        })
    });
    result.map_err(|e| {
        let path_str = field_path.into_inner();
        let path_str = if path_str == "." {
            String::new()
        } else {
            path_str
        };
        // serde_path_to_error writes `?` for a key it has not read yet.
        let path_str = path_str
            .strip_suffix(".?")
            .or_else(|| path_str.strip_suffix('?'))
            .unwrap_or(&path_str)
            .to_string();
        Box::new(describe(path, source, &e, path_str))
    })
}

/// The parser's limits. A record is a few dozen nodes, at most four levels deep, and has
/// no use for anchors: these limits are far above any real record and far below what
/// would cost time or memory (see `tests/it/bad_input.rs` for the measured cases).
pub(crate) const MAX_DEPTH: usize = 16;
pub(crate) const MAX_NODES: usize = 20_000;
pub(crate) const MAX_ALIASES: usize = 100;
pub(crate) const MAX_REPLAYED_EVENTS: usize = 10_000;

/// The YAML options every record is parsed with: budgets (depth, nodes, aliases, one
/// document) and duplicate keys refused. Public so tests can show the limits hold for any
/// target type, not only for [`Record`].
pub fn yaml_options() -> serde_saphyr::Options {
    options()
}

fn options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_reader_input_bytes = Some(MAX_RECORD_BYTES);
    budget.max_depth = MAX_DEPTH;
    budget.flow_nesting_limit = MAX_DEPTH;
    budget.max_nodes = MAX_NODES;
    budget.max_events = 4 * MAX_NODES;
    budget.max_aliases = MAX_ALIASES;
    budget.max_anchors = MAX_ALIASES;
    budget.max_documents = 1;
    budget.max_merge_keys = MAX_ALIASES;
    budget.max_total_scalar_bytes = 4 * MAX_RECORD_BYTES;
    budget.max_recorded_anchor_events = MAX_REPLAYED_EVENTS;
    budget.max_recorded_anchor_bytes = MAX_RECORD_BYTES;
    let mut alias_limits = serde_saphyr::options::AliasLimits::default();
    alias_limits.max_total_replayed_events = MAX_REPLAYED_EVENTS;
    alias_limits.max_replay_stack_depth = MAX_DEPTH;
    let mut o = serde_saphyr::Options::default();
    o.budget = Some(budget);
    o.alias_limits = alias_limits;
    o.duplicate_keys = serde_saphyr::options::DuplicateKeyPolicy::Error;
    o
}

/// Unwraps the snippet and alias wrappers down to the error itself.
fn original(e: &serde_saphyr::Error) -> &serde_saphyr::Error {
    match e.without_snippet() {
        serde_saphyr::Error::AliasError { error, .. } => original(error),
        other => other,
    }
}

/// Where a parser error is, and the helpers that place a diagnostic there.
struct Place<'a> {
    file: &'a Path,
    source: &'a str,
    field: &'a str,
    line: usize,
    column: usize,
}

impl Place<'_> {
    /// `d` at (l, c) of the source; line 0 is no place.
    fn at(&self, d: Diagnostic, (l, c): (usize, usize)) -> Diagnostic {
        if l == 0 {
            d
        } else {
            d.at(self.source, l, c)
        }
    }

    /// An error at the parser's place, on the field, with an optional hint.
    fn plain(&self, message: String, hint: Option<String>) -> Diagnostic {
        let d = Diagnostic::error(self.file, message).field(self.field.to_string());
        let d = self.at(d, (self.line, self.column));
        match hint {
            Some(h) => d.hint(h),
            None => d,
        }
    }

    /// The text of the scalar at the parser's place.
    fn value(&self) -> String {
        scalar_at(self.source, self.line, self.column)
    }
}

/// Turns a parser or serde error into a diagnostic a clerk can act on: what is wrong in
/// plain words, where (the line of the field itself, or of its parent for a missing key),
/// the field path, and how to fix it. Each kind of error has its words: a fixed pair in
/// [`fixed_words`], the YAML scanner's kinds in [`scanner_words`], the rest below.
fn describe(file: &Path, source: &str, e: &serde_saphyr::Error, field: String) -> Diagnostic {
    use serde_saphyr::Error as E;
    let (line, column) = e
        .location()
        .map(|l| (l.line() as usize, l.column() as usize))
        .unwrap_or((0, 0));
    let p = Place {
        file,
        source,
        field: &field,
        line,
        column,
    };
    let inner = original(e);
    if let Some((message, hint)) = fixed_words(inner) {
        return p.plain(message, Some(hint.into()));
    }
    match inner {
        E::SerdeMissingField { field: name, .. } => missing_field(&p, name),
        E::SerdeUnknownField {
            field: name,
            expected,
            ..
        } => unknown_field(&p, name, expected),
        E::SerdeUnknownVariant {
            variant, expected, ..
        } => unknown_variant(&p, variant, expected),
        E::Unexpected { expected, .. } => unexpected(&p, expected),
        E::InvalidScalar { ty, .. } => invalid_scalar(&p, ty),
        E::SerdeInvalidType {
            unexpected,
            expected,
            ..
        }
        | E::SerdeInvalidValue {
            unexpected,
            expected,
            ..
        } => wrong_type(&p, unexpected, expected),
        E::Message { msg, .. } => {
            let hint = if msg.contains("impossible date") {
                Some("check the day against the calendar".to_string())
            } else if msg.contains("is not a date") {
                Some("dates are written YYYY-MM-DD, e.g. 2022-11-10".to_string())
            } else {
                None
            };
            p.plain(
                strip_location_suffix(msg),
                continuation_hint(source, line).or(hint),
            )
        }
        E::DuplicateMappingKey { key, .. } => duplicate_key(&p, key.as_deref()),
        _ => scanner(&p, inner),
    }
}

/// The errors told in the same words every time: (message, hint).
fn fixed_words(e: &serde_saphyr::Error) -> Option<(String, &'static str)> {
    use serde_saphyr::budget::BudgetBreach as B;
    use serde_saphyr::Error as E;
    const ONE_DOCUMENT: &str = "the file holds more than one YAML document (`---`)";
    let (message, hint) = match e {
        E::NullIntoString { .. } => (
            "the value is empty".to_string(),
            "write the text after the colon (an optional key can be left out instead)",
        ),
        E::MultipleDocuments { .. }
        | E::Budget {
            breach: B::Documents { .. },
            ..
        } => (
            ONE_DOCUMENT.to_string(),
            "one file holds one working session; put the next one in its own file",
        ),
        E::Eof { .. } => (
            "the file ends in the middle of a value".to_string(),
            "close the open quote or bracket",
        ),
        E::Budget { breach, .. } => (
            budget_message(breach),
            "a record is plain keys, lists and text; anchors (`&`), aliases (`*`) and deep \
             nesting are not needed",
        ),
        E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. }
        | E::AliasReplayCounterOverflow { .. } => (
            format!("aliases (`*name`) expand to more than {MAX_REPLAYED_EVENTS} values; refused"),
            "write the values out instead of repeating them with aliases",
        ),
        E::UnknownAnchor { .. } => (
            "this alias (`*name`) refers to no anchor (`&name`)".to_string(),
            "write the value out; records do not need anchors",
        ),
        _ => return None,
    };
    Some((message, hint))
}

/// serde reports a missing key at the end of the parent mapping; it is told at the parent's
/// key instead (or the first line for a top-level key), with the full path.
fn missing_field(p: &Place, name: &str) -> Diagnostic {
    let field = p.field;
    let (full, place) = if field.is_empty() {
        (name.to_string(), first_content_line(p.source))
    } else {
        (format!("{field}.{name}"), locate(p.source, field))
    };
    let (parent, under) = if field.is_empty() {
        (
            "the record".to_string(),
            "at the top level, without indentation".to_string(),
        )
    } else {
        (
            format!("`{field}`"),
            format!("under `{field}`, indented like its other keys"),
        )
    };
    let d =
        Diagnostic::error(p.file, format!("missing required key `{name}` in {parent}")).field(full);
    p.at(d, place).hint(format!("add `{name}: …` {under}"))
}

/// "`a`, `b`" for a list of allowed words.
fn allowed(expected: &[&str]) -> String {
    expected
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn unknown_field(p: &Place, name: &str, expected: &[&'static str]) -> Diagnostic {
    let best = expected
        .iter()
        .map(|k| (strsim_distance(name, k), *k))
        .min();
    let hint = match best {
        Some((d, k)) if d <= 3 || k.starts_with(name) => format!("did you mean `{k}`?"),
        _ => format!("allowed keys here: {}", allowed(expected)),
    };
    p.plain(format!("unknown key `{name}`"), Some(hint))
}

fn unknown_variant(p: &Place, variant: &str, expected: &[&'static str]) -> Diagnostic {
    let allowed = allowed(expected);
    let hint = if expected.contains(&"party") && expected.contains(&"state") {
        "`format` is `party` (Hướng dẫn 36-HD/VPTW) or `state` (Nghị định 30/2020/NĐ-CP)"
            .to_string()
    } else {
        format!("write one of {allowed}")
    };
    p.plain(
        format!("`{variant}` is not allowed here; expected one of {allowed}"),
        Some(hint),
    )
}

fn unexpected(p: &Place, expected: &str) -> Diagnostic {
    let (what, hint) = expected_shape(expected);
    if let Some(item) = item_read_as_key(p.source, p.line).filter(|_| what == "a single value") {
        return p.plain(
            "this list item contains `: `, so YAML reads it as a key and a value, not as text"
                .into(),
            Some(format!("put the item in quotes: `- {}`", quoted(&item))),
        );
    }
    let value = p.value();
    let found = if value.is_empty() {
        String::new()
    } else {
        format!(", found `{value}`")
    };
    p.plain(format!("expected {what} here{found}"), Some(hint.into()))
}

fn invalid_scalar(p: &Place, ty: &str) -> Diagnostic {
    let value = p.value();
    let written = match tag_before(p.source, p.line, p.column) {
        Some(tag) => format!("{tag} {value}"),
        None => value.clone(),
    };
    if let Some((message, hint)) = number_written_otherwise(ty, &written) {
        return p.plain(message, Some(hint));
    }
    let (what, hint) = scalar_type(ty);
    p.plain(
        format!("`{value}` is not {what}"),
        continuation_hint(p.source, p.line).or(Some(hint.into())),
    )
}

/// serde's "invalid type" and "invalid value"; a text value (a line, a recipient, content)
/// written as a list or a block of keys is told as such.
fn wrong_type(p: &Place, unexpected: &str, expected: &str) -> Diagnostic {
    let text_as_block = (unexpected.contains("sequence") || unexpected.contains("map"))
        && !expected.contains("sequence")
        && !expected.contains("list");
    if text_as_block {
        let (what, hint) = expected_shape("");
        return p.plain(
            format!("expected {what} here, found a {unexpected}"),
            Some(hint.into()),
        );
    }
    p.plain(
        format!("expected {expected}, found {unexpected}"),
        Some("check the value against input/thuan-2022-11-10.yaml".into()),
    )
}

fn duplicate_key(p: &Place, key: Option<&str>) -> Diagnostic {
    let message = match key {
        Some(k) => format!("the key `{k}` appears twice"),
        None => "a key appears twice".into(),
    };
    let field = match key {
        Some(k) if p.field.is_empty() => k.to_string(),
        Some(k) => format!("{}.{k}", p.field),
        None => p.field.to_string(),
    };
    p.at(
        Diagnostic::error(p.file, message).field(field),
        (p.line, p.column),
    )
    .hint("keep one of them: a repeated key would silently replace the first")
}

/// Every other error: mostly the YAML scanner's, told by its kind ([`scanner_words`]).
fn scanner(p: &Place, inner: &serde_saphyr::Error) -> Diagnostic {
    let raw = inner.to_string();
    let first = raw.lines().next().unwrap_or("invalid YAML");
    let message = strip_location_suffix(&strip_location_prefix(first));
    // A tab in the indentation: serde-saphyr points at the token before the tab; point at
    // the tab itself.
    if let Some((tl, tc)) = tab_indent(p.source, p.line) {
        return p
            .at(
                Diagnostic::error(p.file, "a tab is used for indentation".to_string())
                    .field(p.field.to_string()),
                (tl, tc),
            )
            .hint("YAML indents with spaces only: replace the tab with spaces");
    }
    let (message, hint, place) = syntax(scan_kind(inner), &message, p);
    match place {
        Some(at) => p
            .at(
                Diagnostic::error(p.file, message).field(p.field.to_string()),
                at,
            )
            .hint(hint),
        None => p.plain(message, Some(hint)),
    }
}

/// The kind of a YAML scanner error, which serde-saphyr passes on inside its error.
fn scan_kind(e: &serde_saphyr::Error) -> Option<&ErrorKind> {
    match e {
        serde_saphyr::Error::ExternalMessage { source, .. } => match source.as_ref() {
            serde_saphyr::ExternalMessageSource::Parser(scan) => Some(scan.kind()),
            _ => None,
        },
        _ => None,
    }
}

/// A diagnostic's words: message, hint, and a better place than the parser's, if any.
type Told = (String, String, Option<(usize, usize)>);

/// Plain words for a YAML scanner error (`message` is its own words): (message, hint,
/// a better place than the scanner's, if any).
fn syntax(kind: Option<&ErrorKind>, message: &str, p: &Place) -> Told {
    let said = |m: &str, h: &str| (m.to_string(), h.to_string(), None);
    let words = kind.and_then(scanner_words);
    if let Some(Words::TooDeep) = words {
        return said(
            &format!("the record nests deeper than {MAX_DEPTH} levels; refused"),
            "a record is plain keys, lists and text, at most four levels deep",
        );
    }
    if let Some(&ErrorKind::UnexpectedCharacter { character }) = kind {
        if let Some(told) = control_character(character, p) {
            return told;
        }
    }
    if let Some(open) = unclosed_bracket(p.source, p.line) {
        return said(
            &format!("a `[` or `{{` opened on line {open} is never closed ({message})"),
            &format!("close the bracket on line {open}: `[a, b]`"),
        );
    }
    match words {
        Some(Words::Fixed(m, h)) => said(m, h),
        Some(Words::Quoting(m, h)) => said(&format!("{m} ({message})"), h),
        Some(Words::TooDeep) | None => said(
            message,
            "this is not valid YAML: check the quotes, brackets and indentation on this line \
             and the one above",
        ),
    }
}

/// How a scanner error is told.
enum Words {
    /// These words.
    Fixed(&'static str, &'static str),
    /// These words, followed by the scanner's own in brackets.
    Quoting(&'static str, &'static str),
    /// The nesting limit.
    TooDeep,
}

/// The table of the YAML scanner's errors that have words of their own, by kind; the
/// others are told in the scanner's words. `tests::issue11_serde_saphyr_reports_these_shapes`
/// pins what the parser reports for each case a record can meet.
fn scanner_words(kind: &ErrorKind) -> Option<Words> {
    use ErrorKind as K;
    Some(match kind {
        K::RecursionLimitExceeded => Words::TooDeep,
        K::MappingValueNotAllowed | K::InvalidColonPlacement => Words::Quoting(
            "unexpected `:`",
            "a key is indented differently from the keys around it, or a value contains `: `; \
             align the key with the keys above it, or put the value in quotes",
        ),
        K::UnclosedQuotedScalar
        | K::DocumentIndicatorInQuotedScalar
        | K::InvalidQuotedScalarIndent
        | K::InvalidTrailingSingleQuotedScalar
        | K::InvalidTrailingDoubleQuotedScalar
        | K::UnknownQuotedScalarEscape
        | K::InvalidQuotedScalarHexEscape
        | K::InvalidLowSurrogateHexEscape
        | K::InvalidLowSurrogate
        | K::MissingLowSurrogate
        | K::UnpairedLowSurrogate
        | K::InvalidUnicodeEscape => Words::Fixed(
            "a quote is opened here and never closed",
            "close the quote at the end of the value, or remove it",
        ),
        K::SimpleKeyExpected => Words::Fixed(
            "a line of text where a key (`name:`) is expected",
            "text that goes on from the line above must be indented more than its key \
             (or written after `>-`); a new key needs its `:`",
        ),
        K::ExpectedBlockMappingKey | K::ExpectedDocumentStart => Words::Fixed(
            "this line is not indented like the lines of its block",
            "align it with the keys or `- ` items above it (same number of spaces)",
        ),
        K::MissingAnchorOrAliasName => Words::Fixed(
            "`&` or `*` at the start of a value begins a YAML anchor or alias",
            "records need no anchors or aliases: if the text starts with `&` or `*`, put it in \
             quotes",
        ),
        K::ZeroBlockScalarIndent
        | K::InvalidBlockScalarHeader
        | K::TabAtBlockScalarStart
        | K::InvalidBlockScalarIndent => Words::Fixed(
            "text follows `>-` or `|` on the same line",
            "start the text on the next line, indented under the key",
        ),
        _ => return None,
    })
}

/// A control character the scanner stopped at (its reported place can be the start of the
/// token, so the character is looked for there first, then anywhere).
fn control_character(named: char, p: &Place) -> Option<Told> {
    let at_place = p
        .source
        .lines()
        .nth(p.line.saturating_sub(1))
        .and_then(|l| l.chars().nth(p.column.saturating_sub(1)))
        .filter(|c| c.is_control());
    let c = at_place.or(Some(named).filter(|c| c.is_control()))?;
    let place = if at_place.is_some() {
        None
    } else {
        first_char(p.source, c)
    };
    Some((
        format!("the file contains the control character U+{:04X}", c as u32),
        "remove it; it often comes from copying text out of another program".into(),
        place,
    ))
}

/// The first place of `c` in the source, 1-based.
fn first_char(source: &str, c: char) -> Option<(usize, usize)> {
    source
        .lines()
        .enumerate()
        .find_map(|(i, l)| l.chars().position(|x| x == c).map(|p| (i + 1, p + 1)))
}

/// What a clerk is told for serde-saphyr's "expected …" (a list where a value is written,
/// a block where a single value is written, …).
fn expected_shape(expected: &str) -> (&'static str, &'static str) {
    if expected.contains("sequence") {
        (
            "a list",
            "write a list: `[a, b]`, or one `- item` per line below the key",
        )
    } else if expected.contains("mapping") {
        (
            "a block of keys",
            "write the keys on the lines below, indented by two spaces",
        )
    } else {
        (
            "a single value",
            "write the value on the same line as the key (text, a number or a date)",
        )
    }
}

fn scalar_type(ty: &str) -> (&'static str, &'static str) {
    match ty {
        "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" | "isize" => (
            "a whole number",
            "write digits only, e.g. `number: 245` (the code `-TB/HU` is added by the template)",
        ),
        "bool" => ("`true` or `false`", "write `true` or `false`"),
        "f32" | "f64" => ("a number", "write a number"),
        _ => ("a valid value", "check the value"),
    }
}

/// The YAML tag (`!!str`) written just before (line, column), which the parser's place
/// for a tagged value skips.
fn tag_before(source: &str, line: usize, column: usize) -> Option<String> {
    let text = source.lines().nth(line.checked_sub(1)?)?;
    let before: String = text.chars().take(column.saturating_sub(1)).collect();
    let token = before.split_whitespace().last()?;
    token.starts_with('!').then(|| token.to_string())
}

/// A whole number that was written with a leading zero (`0245`) or a tag (`!!str 245`):
/// digits, so "write digits only" would not help; say what is in the way.
fn number_written_otherwise(ty: &str, value: &str) -> Option<(String, String)> {
    if !scalar_type(ty).0.contains("whole number") {
        return None;
    }
    if let Some(tagged) = value.strip_prefix('!') {
        let (tag, rest) = tagged.split_once(' ').unwrap_or((tagged, ""));
        let rest = rest.trim();
        let makes = if tag.trim_start_matches('!') == "str" {
            "which makes it text, not a number"
        } else {
            "which is not needed here"
        };
        return Some((
            format!("`{value}` carries the YAML tag `!{tag}`, {makes}"),
            format!("remove the tag and write the number alone: `{rest}`"),
        ));
    }
    let digits = value.len() > 1 && value.bytes().all(|b| b.is_ascii_digit());
    if digits && value.starts_with('0') {
        let plain = value.trim_start_matches('0');
        let plain = if plain.is_empty() { "0" } else { plain };
        return Some((
            format!(
                "`{value}` starts with a zero, which YAML does not read as a whole number \
                 (a leading zero once meant an octal number)"
            ),
            format!(
                "write `{plain}` without the leading zero; the document still prints small \
                 numbers with two digits (7 as 07)"
            ),
        ));
    }
    None
}

/// The text of the `- ` list item on `line` when it holds `: ` (`- Nhiệm vụ 1: …`).
fn item_read_as_key(source: &str, line: usize) -> Option<String> {
    let text = source.lines().nth(line.checked_sub(1)?)?;
    let item = text.trim_start().strip_prefix("- ")?.trim();
    let item = item.split(" #").next().unwrap_or(item).trim_end();
    item.contains(": ").then(|| item.to_string())
}

/// `text` as a YAML quoted scalar: double quotes, or single ones when it holds `"`.
fn quoted(text: &str) -> String {
    if text.contains('"') {
        format!("'{}'", text.replace('\'', "''"))
    } else {
        format!("\"{}\"", text.replace('\\', "\\\\"))
    }
}

fn budget_message(breach: &serde_saphyr::budget::BudgetBreach) -> String {
    use serde_saphyr::budget::BudgetBreach as B;
    match breach {
        B::Depth { .. } => format!("the record nests deeper than {MAX_DEPTH} levels; refused"),
        B::Aliases { .. } | B::Anchors { .. } | B::MergeKeys { .. } => {
            format!("the record uses more than {MAX_ALIASES} aliases or anchors; refused")
        }
        B::Nodes { .. } | B::Events { .. } => {
            format!("the record has more than {MAX_NODES} values; refused")
        }
        B::Documents { .. } => "the file holds more than one YAML document (`---`)".into(),
        other => format!("the record exceeds a parser limit ({other:?}); refused"),
    }
}

/// The text of the scalar starting at (line, column), for "`hai` is not a whole number".
fn scalar_at(source: &str, line: usize, column: usize) -> String {
    let Some(l) = source.lines().nth(line.saturating_sub(1)) else {
        return String::new();
    };
    let rest: String = l.chars().skip(column.saturating_sub(1)).collect();
    let rest = rest.split(" #").next().unwrap_or("").trim();
    let rest = rest.trim_matches(|c| c == '"' || c == '\'');
    rest.chars().take(60).collect()
}

/// When the line after a `key: value` line is indented deeper, YAML reads it as the rest
/// of the value (`2022-11-10 host: …`): say so.
fn continuation_hint(source: &str, line: usize) -> Option<String> {
    let lines: Vec<&str> = source.lines().collect();
    let this = lines.get(line.checked_sub(1)?)?;
    let indent = |l: &str| l.len() - l.trim_start_matches([' ', '-']).len();
    let (key, value) = this.trim_start_matches([' ', '-']).split_once(':')?;
    let value = value.split(" #").next().unwrap_or("").trim();
    if value.is_empty() || value.starts_with(['>', '|', '"', '\'', '[', '{']) {
        return None;
    }
    let (next_no, next) = lines
        .iter()
        .enumerate()
        .skip(line)
        .find(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))?;
    (indent(next) > indent(this)).then(|| {
        format!(
            "line {} is indented deeper than `{key}`, so YAML reads it as part of this value; \
             indent it like `{key}`",
            next_no + 1
        )
    })
}

/// A line among the few before `line` (or `line` itself) with a `[`/`{` left open.
fn unclosed_bracket(source: &str, line: usize) -> Option<usize> {
    let lines: Vec<&str> = source.lines().collect();
    let end = line.min(lines.len());
    (end.saturating_sub(3)..end).find_map(|i| {
        let code = lines[i].split(" #").next().unwrap_or("");
        let mut depth = 0i32;
        let mut quote: Option<char> = None;
        for c in code.chars() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '[' | '{') => depth += 1,
                (None, ']' | '}') => depth -= 1,
                _ => {}
            }
        }
        (depth > 0 && i + 1 < line).then_some(i + 1)
    })
}

/// The first line that is neither blank nor a comment (1-based), column 1.
fn first_content_line(source: &str) -> (usize, usize) {
    source
        .lines()
        .position(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map_or((1, 1), |i| (i + 1, 1))
}

/// A line near `line` (the error's line, the one after it, or the first anywhere) whose
/// indentation contains a tab: (line, column of the tab), both 1-based.
fn tab_indent(source: &str, line: usize) -> Option<(usize, usize)> {
    let tabbed: Vec<(usize, usize)> = source
        .lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let indent = &l[..l.len() - l.trim_start().len()];
            indent
                .find('\t')
                .filter(|_| !l.trim().is_empty())
                .map(|c| (i + 1, indent[..c].chars().count() + 1))
        })
        .collect();
    tabbed
        .iter()
        .find(|(l, _)| *l + 1 >= line && *l <= line + 1)
        .copied()
}

/// `… at line 15, column 10` → `…` (the place is printed by the diagnostic itself).
fn strip_location_suffix(s: &str) -> String {
    match s.rfind(" at line ") {
        Some(i) if s[i..].contains(", column ") => s[..i].to_string(),
        _ => s.to_string(),
    }
}

fn strip_location_prefix(s: &str) -> String {
    let s = s.strip_prefix("error: ").unwrap_or(s);
    match s.find(": ") {
        Some(i) if s.starts_with("line ") => s[i + 2..].to_string(),
        _ => s.to_string(),
    }
}

/// Levenshtein distance, for "did you mean".
fn strsim_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = include_str!("../../input/thuan-2022-11-10.yaml");

    #[test]
    fn names_the_control_character_the_scanner_reports() {
        let d = load_str(Path::new("x.yaml"), "format: party\n/&a\u{f}b: c\n").unwrap_err();
        assert!(d[0].message.contains("U+000F"), "{}", d[0]);
    }

    /// What serde-saphyr reports, in the terms `describe` matches on: the error's variant,
    /// the scanner's kind, or the `expected` text it reads.
    fn shape(e: &serde_saphyr::Error) -> String {
        use serde_saphyr::Error as E;
        let e = original(e);
        if let Some(kind) = scan_kind(e) {
            return format!("scan {kind:?}");
        }
        match e {
            E::SerdeMissingField { field, .. } => format!("missing {field}"),
            E::SerdeUnknownField { field, .. } => format!("unknown field {field}"),
            E::SerdeUnknownVariant { variant, .. } => format!("unknown variant {variant}"),
            E::Unexpected { expected, .. } => format!("unexpected, expected {expected}"),
            E::InvalidScalar { ty, .. } => format!("invalid scalar {ty}"),
            E::SerdeInvalidType {
                unexpected,
                expected,
                ..
            } => format!("invalid type {unexpected}, expected {expected}"),
            E::DuplicateMappingKey { key, .. } => format!("duplicate {key:?}"),
            E::NullIntoString { .. } => "null into string".into(),
            E::MultipleDocuments { .. } => "multiple documents".into(),
            E::Budget { breach, .. } => format!("budget {breach:?}"),
            E::UnknownAnchor { .. } => "unknown anchor".into(),
            E::Eof { .. } => "eof".into(),
            E::Message { msg, .. } => format!("message {msg}"),
            other => format!("other: {other}"),
        }
    }

    /// serde-saphyr is pinned (`=` in Cargo.toml) because `describe` reads its errors: the
    /// variants, the scanner's kinds and the `expected` texts. If an update changes what it
    /// reports for these records, this fails, naming each change.
    #[test]
    fn issue11_serde_saphyr_reports_these_shapes() {
        let cases: Vec<(&str, &str)> = vec![
            ("format: party\nfoo: 1\n", "unknown field foo"),
            ("format: nation\n", "unknown variant nation"),
            (
                "issuer:\n  name: X\n  name: Y\n",
                "duplicate Some(\"name\")",
            ),
            ("format: 'open\n", "scan UnclosedQuotedScalar"),
            ("format: party\n  bad: x\n", "unknown variant party bad"),
            ("format: party\nsession\nx: 1\n", "scan SimpleKeyExpected"),
            ("format: party\n- x\n", "scan ExpectedBlockMappingKey"),
            ("format: *a\n", "unknown anchor"),
            ("format: & y\n", "scan MissingAnchorOrAliasName"),
            ("format: | text\n", "scan InvalidBlockScalarHeader"),
            ("format: party: x\n", "scan MappingValueNotAllowed"),
            ("format: \"a\\q\"\n", "scan UnknownQuotedScalarEscape"),
            (
                "format: party\n\u{f}x: 1\n",
                "scan UnexpectedCharacter { character: '\\u{f}' }",
            ),
            ("documents: hello\n", "unexpected, expected sequence start"),
            ("issuer: [a]\n", "unexpected, expected mapping start"),
            ("issuer:\n  name:\n", "null into string"),
            (
                "session:\n  date: 2022-13-01\n",
                "message impossible date `2022-13-01`: there is no month 13",
            ),
        ];
        let mut changed = Vec::new();
        for (yaml, want) in &cases {
            let got = match serde_saphyr::from_str_with_options::<Record>(yaml, options()) {
                Ok(_) => "parsed".to_string(),
                Err(e) => shape(&e),
            };
            if got != *want {
                changed.push(format!("{yaml:?}: now `{got}`, was `{want}`"));
            }
        }
        assert!(
            changed.is_empty(),
            "serde-saphyr reports these records differently; update `describe` (and its pin \
             in Cargo.toml):\n{}",
            changed.join("\n")
        );
    }

    #[test]
    fn checked_loading_keeps_a_record_that_breaks_rules() {
        let bad = GOOD.replace("    number: 245", "    number: 0");
        let p = Path::new("x.yaml");
        let (loaded, errors) = load_str_checked(p, &bad).unwrap();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(
            loaded.record.session.host.as_deref(),
            Some("Ban Thường vụ Huyện ủy")
        );
        let strict = load_str(p, &bad).unwrap_err();
        assert_eq!(strict, errors);
        assert!(load_str_checked(p, "issuer: [").is_err());
        assert!(load_str(p, GOOD).is_ok());
    }
}
