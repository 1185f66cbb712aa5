//! Template front matter: the lines between the first two `---` lines, as `key: value`.
//!
//! ```text
//! ---
//! layout: official
//! type: THÔNG BÁO
//! abbr: TB
//! summary: kết luận của {{session.host}} tại buổi làm việc với {{session.counterpart}}
//! requires: number, date, signer, recipients
//! ---
//! ```
//! `layout` (`official`, `letter`, `minutes` or `news`), `type`, `abbr` and `requires` are
//! plain text; `summary`, `headline` and `byline`
//! are Handlebars and may use record values.

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Header block, title block, body, closing block (the format profile decides the rest).
    Official,
    /// A news report: headline, body, byline.
    News,
    /// A công văn (NĐ 30 Mẫu 1.5): the summary as `V/v …` under the number, no title block,
    /// the number without a type abbreviation (State).
    Letter,
    /// Minutes (Mẫu 1.9): no place and date line in the State header; two or more signers,
    /// `Nơi nhận` below the left one.
    Minutes,
}

impl Layout {
    /// Header, body and closing block: every layout but the news report.
    pub fn is_official(self) -> bool {
        self != Layout::News
    }
}

/// When a document may be dated, against its session's date (`dated:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dated {
    /// A report on a session that took place: on or after `session.date` (the default).
    #[default]
    AfterSession,
    /// An invitation, a plan: before the session.
    BeforeSession,
    /// Any date.
    Any,
}

#[derive(Debug, Clone)]
pub struct FrontMatter {
    pub layout: Layout,
    pub type_name: Option<String>,
    pub abbr: Option<String>,
    pub requires: Vec<crate::template::requires::Requirement>,
    /// Handlebars sources, rendered later.
    pub summary: Option<String>,
    pub headline: Option<String>,
    pub byline: Option<String>,
    /// Line in the template file where the body starts (1-based), for error messages.
    pub body_line: usize,
    /// When the document may be dated (`dated: after-session | before-session | any`).
    pub dated: Dated,
    /// The formats that have this kind of document (`formats: party`); empty means both.
    pub formats: Vec<crate::model::record::Format>,
    /// The sentences a record may replace (filled in when the template is compiled).
    pub slots: crate::template::slots::Slots,
}

/// Splits a template into its front matter and body source.
pub(crate) fn split(name: &str, text: &str) -> Result<(FrontMatter, String)> {
    let bad = |message: String| Error::Template {
        name: name.to_string(),
        message,
    };
    let mut lines = text.lines();
    if lines.next().map(str::trim_end) != Some("---") {
        return Err(bad(
            "the template must start with a `---` front matter line".into(),
        ));
    }
    let mut fm = FrontMatter {
        layout: Layout::Official,
        type_name: None,
        abbr: None,
        requires: Vec::new(),
        summary: None,
        headline: None,
        byline: None,
        body_line: 0,
        slots: Default::default(),
        formats: Vec::new(),
        dated: Dated::default(),
    };
    let mut closed = false;
    let mut line_no = 1;
    for line in lines.by_ref() {
        line_no += 1;
        if line.trim_end() == "---" {
            closed = true;
            break;
        }
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let (key, value) = line
            .split_once(':')
            .ok_or_else(|| bad(format!("line {line_no}: expected `key: value`")))?;
        fm.set(key.trim(), value.trim())
            .map_err(|problem| bad(format!("line {line_no}: {problem}")))?;
    }
    if !closed {
        return Err(bad("the front matter is not closed with `---`".into()));
    }
    fm.body_line = line_no + 1;
    let titled = matches!(fm.layout, Layout::Official | Layout::Minutes);
    if titled && (fm.type_name.is_none() || fm.abbr.is_none()) {
        return Err(bad("an official template declares `type` and `abbr`".into()));
    }
    let body: Vec<&str> = lines.collect();
    Ok((fm, body.join("\n")))
}

impl FrontMatter {
    /// Sets front matter key `key` to `value`; the problem, if the key or value is unknown.
    fn set(&mut self, key: &str, value: &str) -> std::result::Result<(), String> {
        let text = || Some(value.to_string());
        match key {
            "layout" => self.layout = layout(value)?,
            "type" => self.type_name = text(),
            "abbr" => self.abbr = text(),
            "requires" => self.requires = crate::template::requires::parse(value),
            "dated" => self.dated = dated(value)?,
            "formats" => self.formats.extend(formats(value)?),
            "summary" => self.summary = text(),
            "headline" => self.headline = text(),
            "byline" => self.byline = text(),
            other => return Err(format!("unknown front matter key `{other}`")),
        }
        Ok(())
    }
}

fn layout(value: &str) -> std::result::Result<Layout, String> {
    Ok(match value {
        "official" => Layout::Official,
        "news" => Layout::News,
        "letter" => Layout::Letter,
        "minutes" => Layout::Minutes,
        other => {
            return Err(format!(
                "layout `{other}` is not `official`, `letter`, `minutes` or `news`"
            ))
        }
    })
}

fn dated(value: &str) -> std::result::Result<Dated, String> {
    Ok(match value {
        "after-session" => Dated::AfterSession,
        "before-session" => Dated::BeforeSession,
        "any" => Dated::Any,
        other => {
            return Err(format!(
                "dated `{other}` is not `after-session`, `before-session` or `any`"
            ))
        }
    })
}

fn formats(value: &str) -> std::result::Result<Vec<crate::model::record::Format>, String> {
    let names = value.split(',').map(str::trim).filter(|f| !f.is_empty());
    names
        .map(|f| match f {
            "party" => Ok(crate::model::record::Format::Party),
            "state" => Ok(crate::model::record::Format::State),
            other => Err(format!("format `{other}` is not `party` or `state`")),
        })
        .collect()
}
