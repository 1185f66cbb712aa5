//! One record through the whole pipeline: load → validate → template → document → bytes.
//! Nothing here writes files; [`crate::output`] does that atomically.

use std::path::Path;

use std::collections::BTreeMap;

use serde_json::Value;

use crate::diag::Diagnostic;
use crate::doc::assemble::AssemblyInput;
use crate::doc::copy::copy_document;
use crate::doc::document::assemble;
use crate::doc::Document;
use crate::env::Env;
use crate::model::locate::locate;
use crate::model::record::DocumentEntry;
use crate::model::Loaded;
use crate::render::{self, RenderContext};
use crate::template::front::{Dated, FrontMatter};
use crate::template::requires::{self, Requirement, Unmet};
use crate::template::slots;
use crate::template::Rendered;

/// One rendered file: `<template>.<ext>`.
pub(crate) struct RenderedFile {
    pub template: String,
    pub extension: &'static str,
    pub bytes: Vec<u8>,
}

/// The outcome for one record: its outputs, or the problems that stopped it.
pub(crate) struct RecordOutcome {
    pub warnings: Vec<Diagnostic>,
    pub result: Result<Vec<RenderedFile>, Vec<Diagnostic>>,
}

/// Loads and checks a record and builds its documents, without rendering bytes.
pub fn documents_for(env: &Env, file: &Path) -> Result<(Loaded, Vec<Document>), Vec<Diagnostic>> {
    documents_from(env, file, crate::model::load::load_file_checked(file))
}

/// [`documents_for`] a record whose bytes were already read (and hashed) by the caller: the
/// documents are made from exactly these bytes, the file is not read again.
pub fn documents_for_bytes(
    env: &Env,
    file: &Path,
    bytes: &[u8],
) -> Result<(Loaded, Vec<Document>), Vec<Diagnostic>> {
    documents_from(
        env,
        file,
        crate::model::load::load_bytes_checked(file, bytes),
    )
}

fn documents_from(
    env: &Env,
    file: &Path,
    checked: crate::model::load::Checked,
) -> Result<(Loaded, Vec<Document>), Vec<Diagnostic>> {
    // Rule errors do not hide font and template errors: every problem of the file is told.
    let (loaded, diags) = checked?;
    let mut cx = Checking {
        env,
        file,
        loaded: &loaded,
        data: &loaded.data,
        diags,
        docs: Vec::new(),
        printed: Vec::new(),
        record_unmet: BTreeMap::new(),
    };
    check_glyphs(env, &loaded, cx.data, &mut cx.diags);
    for (i, entry) in loaded.record.documents.iter().enumerate() {
        cx.entry(i, entry);
    }
    let Checking {
        mut diags,
        docs,
        mut printed,
        record_unmet,
        ..
    } = cx;
    for (unmet, req, templates) in record_unmet.into_values() {
        diags.push(unmet_diagnostic(
            file,
            &loaded.source,
            &unmet,
            &req,
            &templates,
        ));
    }
    if diags.iter().any(Diagnostic::is_error) {
        diags.extend(loaded.warnings);
        return Err(diags);
    }
    let mut loaded = loaded;
    printed.extend(crate::printed::recipients(&loaded));
    printed.extend(crate::printed::check(env, &loaded));
    loaded.warnings.extend(printed);
    Ok((loaded, docs))
}

/// A document entry being checked: its index, its template's front matter, its JSON.
#[derive(Clone, Copy)]
struct Entry<'e> {
    i: usize,
    entry: &'e DocumentEntry,
    front: &'e FrontMatter,
    json: &'e Value,
}

/// One record's documents being checked and built, entry by entry.
struct Checking<'a> {
    env: &'a Env,
    file: &'a Path,
    loaded: &'a Loaded,
    /// The record as template data.
    data: &'a Value,
    diags: Vec<Diagnostic>,
    docs: Vec<Document>,
    /// Warnings about what the documents print.
    printed: Vec<Diagnostic>,
    /// Record values a template needs and the record lacks: one diagnostic per path,
    /// naming every template that prints it.
    record_unmet: BTreeMap<String, (Unmet, Requirement, Vec<String>)>,
}

impl<'a> Checking<'a> {
    /// An error at `field` of document `i` (`".template"`, `""` for the entry itself).
    fn error(&self, i: usize, field: &str, message: String) -> Diagnostic {
        let path = format!("documents[{i}]{field}");
        let (l, c) = locate(&self.loaded.source, &path);
        Diagnostic::error(self.file, message)
            .at(&self.loaded.source, l, c)
            .field(path)
    }

    /// Document entry `i`: checked, then rendered to its documents if the record has no
    /// error so far.
    fn entry(&mut self, i: usize, entry: &DocumentEntry) {
        let env = self.env;
        let Some(front) = self.front(i, entry) else {
            return;
        };
        self.date_order(i, entry, front);
        // The entry's part of the record's JSON, built once when it loaded.
        let json = &self.data["documents"][i];
        let this = Entry {
            i,
            entry,
            front,
            json,
        };
        if self.slot_errors(&this) || !self.requirements(&this) {
            return;
        }
        let unmet_here = self
            .record_unmet
            .values()
            .any(|(_, _, t)| t.contains(&entry.template));
        if unmet_here || !self.diags.is_empty() {
            return;
        }
        let mut ctx = self.data.clone();
        if let Value::Object(m) = &mut ctx {
            m.insert("doc".into(), json.clone());
        }
        match env.engine.render(&entry.template, &ctx) {
            Ok(rendered) => self.build(i, entry, &rendered),
            Err(e) => {
                let d = self.error(i, ".template", e.to_string());
                self.diags.push(d);
            }
        }
    }

    /// The entry's template, if it exists and has the record's format.
    fn front(&mut self, i: usize, entry: &DocumentEntry) -> Option<&'a FrontMatter> {
        let env = self.env;
        let Some(front) = env.engine.front(&entry.template) else {
            let d = self
                .error(
                    i,
                    ".template",
                    format!("unknown template `{}`", entry.template),
                )
                .hint(format!(
                    "available templates: {}",
                    env.template_names().join(", ")
                ));
            self.diags.push(d);
            return None;
        };
        let format = self.loaded.record.format;
        if front.formats.is_empty() || front.formats.contains(&format) {
            return Some(front);
        }
        let hint = if entry.template == "ket-luan" {
            "a State body writes its conclusions as a notice: `thong-bao-ket-luan`".to_string()
        } else {
            format!(
                "the `{}` template is for {} documents",
                entry.template,
                front
                    .formats
                    .iter()
                    .map(|f| f.profile().name)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let message = format!(
            "the `{}` template has no `{}` form",
            entry.template,
            format.profile().name
        );
        let d = self.error(i, ".template", message).hint(hint);
        self.diags.push(d);
        None
    }

    /// The document's date against the session's, as its template is dated.
    fn date_order(&mut self, i: usize, entry: &DocumentEntry, front: &FrontMatter) {
        let session_date = self.loaded.record.session.date;
        let broken = match (entry.date, session_date, front.dated) {
            (Some(d), Some(s), Dated::AfterSession) => {
                (d < s).then_some((d, s, "on or after", "before the session it reports on"))
            }
            (Some(d), Some(s), Dated::BeforeSession) => {
                (d > s).then_some((d, s, "on or before", "after the session it prepares"))
            }
            _ => None,
        };
        if let Some((date, session, rule, relation)) = broken {
            let message = format!("the document is dated {date}, {relation} ({session})");
            let d = self.error(i, ".date", message).hint(format!(
                "a `{}` is dated {rule} `session.date`",
                entry.template
            ));
            self.diags.push(d);
        }
    }

    /// Sentences replaced that the template does not have, or given twice; `true` if any.
    fn slot_errors(&mut self, this: &Entry) -> bool {
        let (i, entry, front, entry_json) = (this.i, this.entry, this.front, this.json);
        let mut found = false;
        for key in entry.text.keys() {
            if !front.slots.names.contains(key) {
                found = true;
                let message = format!(
                    "the `{}` template has no sentence `{key}` to replace",
                    entry.template
                );
                let names: Vec<String> = front.slots.names.iter().cloned().collect();
                let d = self
                    .error(i, &format!(".text.{key}"), message)
                    .hint(format!("its sentences are: {}", names.join(", ")));
                self.diags.push(d);
            }
        }
        for (short, long) in [("content", "body"), ("summary", "summary")] {
            let given = entry_json.get(short).is_some_and(|v| !v.is_null());
            if given && entry.text.contains_key(long) {
                found = true;
                let message =
                    format!("both `{short}` and `text.{long}` are given; they are the same text");
                let d = self
                    .error(i, &format!(".text.{long}"), message)
                    .hint(format!("keep one of them (`{short}` is the short form)"));
                self.diags.push(d);
            }
        }
        found
    }

    /// The template's `requires:`: record values missing are gathered (told once per path,
    /// after every entry); entry keys missing are told here. `false` if any of these.
    fn requirements(&mut self, this: &Entry) -> bool {
        let (i, entry, front, entry_json) = (this.i, this.entry, this.front, this.json);
        let replaced = slots::replaced(entry_json);
        let mut entry_missing = Vec::new();
        for req in &front.requires {
            let waived = req
                .alternatives
                .iter()
                .any(|a| requires::is_record_path(a) && front.slots.waived(a, &replaced));
            if waived {
                continue;
            }
            let Some(unmet) = requires::check(req, self.data, entry_json) else {
                continue;
            };
            let first = &req.alternatives[0];
            if requires::is_record_path(first) {
                self.record_unmet
                    .entry(first.clone())
                    .or_insert_with(|| (unmet, req.clone(), Vec::new()))
                    .2
                    .push(entry.template.clone());
            } else {
                entry_missing.push(req.written());
            }
        }
        if entry_missing.is_empty() {
            return true;
        }
        let keys: Vec<String> = entry_missing.iter().map(|k| format!("`{k}`")).collect();
        let message = format!(
            "the `{}` template needs {}",
            entry.template,
            keys.join(", ")
        );
        let d = self
            .error(i, "", message)
            .hint("add the missing keys under this document entry");
        self.diags.push(d);
        false
    }

    /// The document of entry `i` from its rendered text, and its copies.
    fn build(&mut self, i: usize, entry: &DocumentEntry, rendered: &Rendered) {
        let (env, loaded) = (self.env, self.loaded);
        self.printed
            .extend(crate::printed::body_end(loaded, i, rendered));
        let input = AssemblyInput::for_entry(&loaded.record, entry, rendered, &env.fonts);
        let doc = assemble(&input);
        let mut copies = Vec::new();
        for copy in &entry.copies {
            match copy_of(env, self.data, entry, copy, &doc, &input) {
                Ok(c) => copies.push(c),
                Err(e) => {
                    let d = self.error(i, ".copies", e.to_string());
                    self.diags.push(d);
                }
            }
        }
        self.docs.push(doc);
        self.docs.extend(copies);
    }
}

/// "missing required key `host` in `session` (the `tin-bai` template prints it)", at the
/// parent key, or "the list of directives is empty (…)", at the key.
fn unmet_diagnostic(
    file: &Path,
    source: &str,
    unmet: &Unmet,
    req: &Requirement,
    templates: &[String],
) -> Diagnostic {
    let who = crate::printed::who_prints(templates);
    let others: Vec<String> = req.alternatives[1..]
        .iter()
        .map(|a| {
            if requires::is_record_path(a) {
                format!("`{a}`")
            } else {
                format!("the document's `{a}`")
            }
        })
        .collect();
    let or_else = if others.is_empty() {
        String::new()
    } else {
        format!(", or give {}", others.join(" or "))
    };
    match unmet {
        Unmet::Missing { missing } => {
            let (parent, key) = missing.rsplit_once('.').unwrap_or(("", missing));
            let (l, c) = if parent.is_empty() {
                (1, 1)
            } else {
                locate(source, parent)
            };
            Diagnostic::error(
                file,
                format!("missing required key `{key}` in `{parent}` ({who})"),
            )
            .at(source, l, c)
            .field(missing.clone())
            .hint(format!(
                "add `{key}: …` under `{parent}`, indented like its other keys{or_else}"
            ))
        }
        Unmet::Empty { path, list } => {
            let (l, c) = locate(source, path);
            let key = path.rsplit('.').next().unwrap_or(path);
            let what = if *list {
                format!("the list of {key} is empty")
            } else {
                format!("`{key}` is empty")
            };
            Diagnostic::error(file, format!("{what} ({who})"))
                .at(source, l, c)
                .field(path.clone())
                .hint(format!("write the {key}{or_else}"))
        }
    }
}

/// A copy (bản sao) of the document `doc`: for `TRÍCH SAO` with an `excerpt`, the document is
/// assembled again with the excerpt as its body.
fn copy_of(
    env: &Env,
    data: &Value,
    entry: &crate::model::record::DocumentEntry,
    copy: &crate::model::record::Copy,
    doc: &Document,
    input: &AssemblyInput,
) -> crate::error::Result<Document> {
    let Some(excerpt) = &copy.excerpt else {
        return Ok(copy_document(doc, copy, input));
    };
    let mut part = entry.clone();
    part.content = Some(excerpt.clone());
    part.text.remove("body");
    let mut ctx = data.clone();
    if let Value::Object(m) = &mut ctx {
        m.insert(
            "doc".into(),
            serde_json::to_value(&part).unwrap_or(Value::Null),
        );
    }
    let rendered = env.engine.render(&entry.template, &ctx)?;
    let part_input = AssemblyInput {
        rendered: &rendered,
        signers: input.signers.clone(),
        ..*input
    };
    let excerpt_doc = assemble(&part_input);
    Ok(copy_document(&excerpt_doc, copy, &part_input))
}

/// Renders every document of a record in every output format.
pub(crate) fn render_record(env: &Env, file: &Path) -> RecordOutcome {
    render_documents(env, file, documents_for(env, file))
}

/// [`render_record`] of a record the caller already read (and hashed) and loaded: its
/// documents are made from that very record; the file is neither read nor parsed again.
pub(crate) fn render_loaded(env: &Env, file: &Path, loaded: Loaded) -> RecordOutcome {
    render_documents(
        env,
        file,
        documents_from(env, file, Ok((loaded, Vec::new()))),
    )
}

fn render_documents(
    env: &Env,
    file: &Path,
    documents: Result<(Loaded, Vec<Document>), Vec<Diagnostic>>,
) -> RecordOutcome {
    let (loaded, docs) = match documents {
        Ok(x) => x,
        Err(d) => {
            return RecordOutcome {
                warnings: Vec::new(),
                result: Err(d),
            }
        }
    };
    let ctx = RenderContext {
        fonts: &env.fonts,
        epoch: env.epoch,
        pdf: env.pdf,
    };
    let mut files = Vec::new();
    for doc in &docs {
        for r in render::all() {
            match r.render(doc, &ctx) {
                Ok(bytes) => files.push(RenderedFile {
                    template: doc.kind.clone(),
                    extension: r.extension(),
                    bytes,
                }),
                Err(e) => {
                    return RecordOutcome {
                        warnings: loaded.warnings,
                        result: Err(vec![Diagnostic::error(
                            file,
                            format!("rendering `{}` as {}: {e}", doc.kind, r.extension()),
                        )]),
                    }
                }
            }
        }
    }
    RecordOutcome {
        warnings: loaded.warnings,
        result: Ok(files),
    }
}

/// Every character of every value must be drawable by all four faces.
fn check_glyphs(env: &Env, loaded: &Loaded, data: &Value, diags: &mut Vec<Diagnostic>) {
    let mut strings = Vec::new();
    crate::model::validate::collect_strings(data, String::new(), &mut strings);
    for (path, s) in strings {
        if let Some(c) = env.fonts.first_missing(&s) {
            let (line, col) = crate::model::locate::locate_char(&loaded.source, &path, c);
            diags.push(
                Diagnostic::error(
                    &loaded.path,
                    format!(
                        "the character `{c}` (U+{:04X}) cannot be printed with the document fonts",
                        c as u32
                    ),
                )
                .at(&loaded.source, line, col)
                .field(path)
                .hint("remove it or replace it with a Vietnamese/Latin character; symbols, emoji and CJK are not in the official font"),
            );
        }
    }
}
