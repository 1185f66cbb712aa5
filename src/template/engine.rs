//! The Handlebars engine: strict mode, record values escaped for the markup (so a clerk's
//! `*`, `#`, `1.`, `<` or `&` prints literally), and the helpers templates use.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Mutex};

use handlebars::{handlebars_helper, Handlebars};
use serde_json::Value;

use crate::doc::chunk::template_allows_cuts;
use crate::error::{Error, Result};
use crate::model::date::Date;
use crate::template::each_session::{EachSession, NoSessions, Sessions};
use crate::template::front::{self, FrontMatter};
use crate::template::{TemplateSource, TemplateText};

/// A template rendered against one record: front matter values and the body markup.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub front: FrontMatter,
    pub summary: Option<String>,
    pub headline: Option<String>,
    pub byline: Option<String>,
    pub body: String,
}

/// Escapes text for the markup: every ASCII punctuation character that CommonMark could
/// read as syntax gets a backslash, which the parser removes again.
pub fn escape_markup(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`'
                | '*'
                | '_'
                | '{'
                | '}'
                | '['
                | ']'
                | '('
                | ')'
                | '#'
                | '+'
                | '-'
                | '.'
                | '!'
                | '<'
                | '>'
                | '&'
                | '|'
                | '~'
                | '='
                | '"'
                | '\''
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
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
handlebars_helper!(so_ngay: |s: str| Date::parse(s).map(|d| format!("{:02}/{:02}/{}", d.day, d.month, d.year)).unwrap_or_else(|_| s.to_string()));
handlebars_helper!(count: |v: array| v.len());
handlebars_helper!(inc: |n: u64| n + 1);
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
        hb.register_helper("inc", Box::new(inc));
        hb.register_helper("join", Box::new(join));
        hb.register_helper("each_session", Box::new(NoSessions));
        Engine {
            hb,
            fronts: BTreeMap::new(),
            cuttable: BTreeMap::new(),
        }
    }

    /// Compiles every available template; a broken one is an error naming it.
    pub fn load(source: &TemplateSource) -> Result<Engine> {
        let mut engine = Engine::new();
        for name in source.available() {
            if let Some(t) = source.get(&name)? {
                engine.add(&t)?;
            }
        }
        Ok(engine)
    }

    pub fn add(&mut self, t: &TemplateText) -> Result<()> {
        let (fm, body) = front::split(&t.name, &t.text)?;
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
            marks,
            failure: Arc::new(Mutex::new(None)),
        };
        let mut hb = self.hb.clone();
        hb.register_helper("each_session", Box::new(helper.clone()));
        hb.render_to_write(name, data, out).map_err(|e| {
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

    fn render_parts(&self, name: &str, data: &Value, with_body: bool) -> Result<Rendered> {
        let front = self
            .fronts
            .get(name)
            .cloned()
            .ok_or_else(|| Error::Template {
                name: name.to_string(),
                message: "no such template".into(),
            })?;
        let run = |key: &str, line: usize| {
            self.hb.render(key, data).map_err(|e| Error::Template {
                name: name.to_string(),
                message: offset_message(&e.to_string(), line),
            })
        };
        let part = |p: &str, present: bool| -> Result<Option<String>> {
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
            body: if with_body {
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

/// Renders one template source directly (used by tests and `check`).
pub fn render_template(t: &TemplateText, data: &Value) -> Result<Rendered> {
    let mut e = Engine::new();
    e.add(t)?;
    e.render(&t.name, data)
}

/// Handlebars counts lines from the start of the body; shift them to file lines.
fn offset_message(msg: &str, body_line: usize) -> String {
    if body_line <= 1 {
        return msg.to_string();
    }
    format!("{msg} (the body starts at line {body_line} of the template file)")
}
