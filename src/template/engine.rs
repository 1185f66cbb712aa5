//! The Handlebars engine: strict mode, record values escaped for the markup (so a clerk's
//! `*`, `#`, `1.`, `<` or `&` prints literally), and the helpers templates use.
//!
//! A template from `--templates` is not trusted to end: partials that include each other
//! are refused when the templates are loaded (`template::partials`), and what one render
//! writes is capped ([`MAX_OUTPUT_BYTES`]), each with an error naming the template.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::io::Write;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use handlebars::{
    handlebars_helper, Context, Handlebars, Helper, HelperDef, RenderContext, RenderError,
    RenderErrorReason, ScopedJson,
};
use serde_json::Value;

use crate::calendar::Date;
use crate::error::{Error, Result};
use crate::template::each_session::{template_allows_cuts, EachSession, NoSessions, Sessions};
use crate::template::front::{self, FrontMatter};
use crate::template::partials;
use crate::template::slots::{self, SlotHelper, Slots};
use crate::template::structured::escape_markup;
#[cfg(doc)]
use crate::template::TemplateSource;
use crate::template::TemplateText;

/// A template rendered against one record: front matter values and the body markup.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub front: FrontMatter,
    pub summary: Option<String>,
    pub headline: Option<String>,
    pub byline: Option<String>,
    pub body: String,
}

handlebars_helper!(upper: |s: str| {
    use unicode_normalization::UnicodeNormalization;
    s.to_uppercase().nfc().collect::<String>()
});
handlebars_helper!(cap: |s: str| {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect::<String>(),
        None => String::new(),
    }
});
handlebars_helper!(ngay: |s: str| Date::parse(s).map(|d| d.written_out()).unwrap_or_else(|_| s.to_string()));
handlebars_helper!(so_ngay: |s: str| Date::parse(s).map(|d| d.slashed()).unwrap_or_else(|_| s.to_string()));
handlebars_helper!(count: |v: array| v.len());
handlebars_helper!(gio: |s: str| crate::model::values::Time::parse(s).map(|t| format!("{:02} giờ {:02}", t.hour, t.minute)).unwrap_or_else(|_| s.to_string()));
handlebars_helper!(thu: |s: str| Date::parse(s).map(|d| d.weekday().to_string()).unwrap_or_default());

/// `inline_list LIST`: the items in one sentence as `(1) item (2) item`: each item keeps its own
/// final punctuation, an item without any is followed by `;`, and the last one ends with `.`.
/// Each item is escaped (or translated) as a record value by the helper itself.
struct InlineList;

impl HelperDef for InlineList {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn handlebars::Output,
    ) -> handlebars::HelperResult {
        let items = h
            .param(0)
            .and_then(|p| p.value().as_array())
            .ok_or(RenderErrorReason::ParamNotFoundForIndex("inline_list", 0))?;
        let n = items.len();
        let mut text = String::new();
        for (i, item) in items.iter().enumerate() {
            let s = match item {
                Value::String(s) => s.trim().to_string(),
                other => other.to_string(),
            };
            if i > 0 {
                text.push(' ');
            }
            text.push_str(&format!("({}) ", i + 1));
            let ends = s.chars().last().is_some_and(|c| ".;:!?".contains(c));
            let item_text = escape_markup(&s);
            text.push_str(&item_text);
            if !ends {
                text.push(if i + 1 == n { '.' } else { ';' });
            }
        }
        out.write(&text)?;
        Ok(())
    }
}

/// `inc N`: N + 1, an error (not a wrap to 0) past the largest whole number.
struct Inc;

impl HelperDef for Inc {
    fn call_inner<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
    ) -> Result<ScopedJson<'rc>, RenderError> {
        let param = h
            .param(0)
            .ok_or(RenderErrorReason::ParamNotFoundForIndex("inc", 0))?;
        let n = param.value().as_u64().ok_or_else(|| {
            RenderErrorReason::ParamTypeMismatchForName(
                "inc",
                "0".into(),
                "a whole number from 0".into(),
            )
        })?;
        let next = n.checked_add(1).ok_or_else(|| {
            RenderErrorReason::Other(format!("`inc {n}`: the result is too large"))
        })?;
        Ok(ScopedJson::Derived(Value::from(next)))
    }
}
handlebars_helper!(join: |v: array, sep: str| {
    v.iter().map(|x| match x { Value::String(s) => s.clone(), other => other.to_string() })
        .collect::<Vec<_>>().join(sep)
});

/// Compiled templates for one run.
pub struct Engine {
    hb: Handlebars<'static>,
    fronts: BTreeMap<String, FrontMatter>,
    /// Templates whose body output may be cut into pieces (`doc::chunk`).
    cuttable: BTreeMap<String, bool>,
}

impl Engine {
    pub fn new() -> Engine {
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        hb.register_escape_fn(escape_markup);
        hb.register_helper("upper", Box::new(upper));
        hb.register_helper("cap", Box::new(cap));
        hb.register_helper("ngay", Box::new(ngay));
        hb.register_helper("count", Box::new(count));
        hb.register_helper("so_ngay", Box::new(so_ngay));
        hb.register_helper("inc", Box::new(Inc));
        hb.register_helper("join", Box::new(join));
        hb.register_helper("each_session", Box::new(NoSessions));
        hb.register_helper("slot", Box::new(SlotHelper));
        hb.register_helper("inline_list", Box::new(InlineList));
        hb.register_helper("gio", Box::new(gio));
        hb.register_helper("thu", Box::new(thu));
        Engine {
            hb,
            fronts: BTreeMap::new(),
            cuttable: BTreeMap::new(),
        }
    }

    /// Compiles the given template sources (read once, by [`TemplateSource::read_all`]);
    /// a broken one is an error naming it.
    pub fn compile(texts: &[TemplateText]) -> Result<Engine> {
        let mut engine = Engine::new();
        for t in texts {
            engine.add(t)?;
        }
        Ok(engine)
    }

    pub fn add(&mut self, t: &TemplateText) -> Result<()> {
        partials::check_source(&t.name, &t.text)?;
        let (mut fm, body) = front::split(&t.name, &t.text)?;
        fm.slots = Slots::of(
            &body,
            &[
                ("summary", fm.summary.as_deref()),
                ("headline", fm.headline.as_deref()),
                ("byline", fm.byline.as_deref()),
            ],
        );
        let reg = |hb: &mut Handlebars<'static>, key: String, src: &str, line: usize| {
            hb.register_template_string(&key, src)
                .map_err(|e| Error::Template {
                    name: t.origin.clone(),
                    message: offset_message(&e.to_string(), line),
                })
        };
        reg(&mut self.hb, t.name.clone(), &body, fm.body_line)?;
        for (part, src) in [
            ("summary", &fm.summary),
            ("headline", &fm.headline),
            ("byline", &fm.byline),
        ] {
            if let Some(src) = src {
                reg(&mut self.hb, format!("{}#{part}", t.name), src, 0)?;
            }
        }
        partials::check(&self.hb, &t.name)?;
        self.cuttable
            .insert(t.name.clone(), template_allows_cuts(&body));
        self.fronts.insert(t.name.clone(), fm);
        Ok(())
    }

    pub fn has(&self, name: &str) -> bool {
        self.fronts.contains_key(name)
    }

    pub fn front(&self, name: &str) -> Option<&FrontMatter> {
        self.fronts.get(name)
    }

    /// Whether the body's output of `name` may be cut into pieces (`doc::chunk`).
    pub fn cuttable(&self, name: &str) -> bool {
        self.cuttable.get(name).copied().unwrap_or(false)
    }

    pub fn render(&self, name: &str, data: &Value) -> Result<Rendered> {
        self.render_parts(name, data, true)
    }

    /// Front matter values only; the body is left empty (it is streamed by
    /// [`Engine::render_body_to`]).
    pub fn render_front(&self, name: &str, data: &Value) -> Result<Rendered> {
        self.render_parts(name, data, false)
    }

    /// Renders the body of `name` to `out` as it goes, with `{{#each_session}}` loading
    /// `sessions` one at a time and counting each finished iteration in `marks`. A session
    /// that fails to load stops the render with its own error.
    pub fn render_body_to(
        &self,
        name: &str,
        data: &Value,
        sessions: Arc<dyn Sessions>,
        marks: Arc<AtomicUsize>,
        out: impl Write,
    ) -> Result<()> {
        let front = self.fronts.get(name).ok_or_else(|| Error::Template {
            name: name.to_string(),
            message: "no such template".into(),
        })?;
        let helper = EachSession {
            sessions,
            marks: Arc::clone(&marks),
            failure: Arc::new(Mutex::new(None)),
        };
        let mut hb = self.hb.clone();
        hb.register_helper("each_session", Box::new(helper.clone()));
        let capped = Capped::new(out, Some(marks));
        let tripped = capped.tripped();
        hb.render_to_write(name, data, capped).map_err(|e| {
            if tripped.get() {
                return too_large(name, "the output of one session");
            }
            helper.take_failure().unwrap_or_else(|| {
                let mut message = offset_message(&e.to_string(), front.body_line);
                if message.contains("sessions") || message.contains("count") {
                    // A template written for the first report, which had every session in
                    // its data.
                    message.push_str(
                        "; the monthly report reads its sessions with \
                         {{#each_session}}…{{/each_session}} and their number as \
                         {{session_count}} (see the README, Templates)",
                    );
                }
                Error::Template {
                    name: name.to_string(),
                    message,
                }
            })
        })
    }

    /// Renders the registered template `key` (the body of `name`, or one of its front matter
    /// values) into a string, capped at [`MAX_OUTPUT_BYTES`].
    fn render_capped(&self, name: &str, key: &str, data: &Value, line: usize) -> Result<String> {
        let mut buf = Vec::new();
        let capped = Capped::new(&mut buf, None);
        let tripped = capped.tripped();
        self.hb.render_to_write(key, data, capped).map_err(|e| {
            if tripped.get() {
                return too_large(name, "the output");
            }
            Error::Template {
                name: name.to_string(),
                message: offset_message(&e.to_string(), line),
            }
        })?;
        String::from_utf8(buf).map_err(|e| Error::Template {
            name: name.to_string(),
            message: format!("the output is not UTF-8 ({e})"),
        })
    }

    fn render_parts(&self, name: &str, data: &Value, with_body: bool) -> Result<Rendered> {
        let front = self
            .fronts
            .get(name)
            .cloned()
            .ok_or_else(|| Error::Template {
                name: name.to_string(),
                message: "no such template".into(),
            })?;
        let run = |key: &str, line: usize| self.render_capped(name, key, data, line);
        let part = |p: &str, present: bool| -> Result<Option<String>> {
            if let Some(text) = slots::replacement(data, p) {
                return Ok(Some(escape_markup(text)));
            }
            if present {
                run(&format!("{name}#{p}"), 0).map(Some)
            } else {
                Ok(None)
            }
        };
        Ok(Rendered {
            summary: part("summary", front.summary.is_some())?,
            headline: part("headline", front.headline.is_some())?,
            byline: part("byline", front.byline.is_some())?,
            body: if let Some(text) = slots::replacement(data, "body").filter(|_| with_body) {
                escape_markup(text)
            } else if with_body {
                run(name, front.body_line)?
            } else {
                String::new()
            },
            front,
        })
    }
}

impl Default for Engine {
    fn default() -> Engine {
        Engine::new()
    }
}

/// What one render may write (for the monthly report: what one session's iteration may
/// write). A record is at most 1 MiB and its documents' markup a few times less (the
/// sample notice: 8 KB); a template that multiplies it past this (an `#each` nested in
/// `#each`s) is stopped before it fills the memory.
pub(crate) const MAX_OUTPUT_BYTES: usize = 16 * 1024 * 1024;

fn too_large(name: &str, what: &str) -> Error {
    Error::Template {
        name: name.to_string(),
        message: format!(
            "{what} passed {} MiB and was stopped; look for `#each` blocks nested in each \
             other or a partial included over and over",
            MAX_OUTPUT_BYTES / (1024 * 1024)
        ),
    }
}

/// A writer that fails once more than [`MAX_OUTPUT_BYTES`] were written (since the last
/// `{{#each_session}}` mark, when it is given the marks), and remembers that it did.
struct Capped<W: Write> {
    inner: W,
    written: usize,
    marks: Option<(Arc<AtomicUsize>, usize)>,
    tripped: Rc<Cell<bool>>,
}

impl<W: Write> Capped<W> {
    fn new(inner: W, marks: Option<Arc<AtomicUsize>>) -> Capped<W> {
        Capped {
            inner,
            written: 0,
            marks: marks.map(|m| (m, 0)),
            tripped: Rc::new(Cell::new(false)),
        }
    }

    fn tripped(&self) -> Rc<Cell<bool>> {
        Rc::clone(&self.tripped)
    }
}

impl<W: Write> Write for Capped<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Some((marks, seen)) = self.marks.as_mut() {
            let now = marks.load(Ordering::SeqCst);
            if now != *seen {
                *seen = now;
                self.written = 0;
            }
        }
        self.written = self.written.saturating_add(buf.len());
        if self.written > MAX_OUTPUT_BYTES {
            self.tripped.set(true);
            return Err(std::io::Error::other("template output cap reached"));
        }
        self.inner.write_all(buf)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Handlebars counts lines from the start of the body; shift them to file lines.
fn offset_message(msg: &str, body_line: usize) -> String {
    if body_line <= 1 {
        return msg.to_string();
    }
    format!("{msg} (the body starts at line {body_line} of the template file)")
}
