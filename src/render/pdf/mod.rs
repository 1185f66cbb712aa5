//! The PDF renderer, on genpdfi (the maintained fork of genpdf) with printpdf's font
//! subsetting, followed by a finishing pass that gives fonts their real names, writes
//! correct metadata and makes the bytes reproducible.

mod columns;
mod elements;
mod finish;
pub mod lines;
mod strip;
mod table;

use std::sync::{Arc, Mutex, OnceLock};

use genpdfi::fonts::{FontData, FontFamily};

use crate::doc::model::{Block, Document};
use crate::error::{Error, Result};
use crate::fonts::{Face, FontBook};
use crate::render::{RenderContext, Renderer};
use columns::ColumnsElement;
use elements::{rule_height, PageNumbers, ParaElement, RuleElement};
use table::TableElement;

pub struct PdfRenderer;

impl Renderer for PdfRenderer {
    fn extension(&self) -> &'static str {
        "pdf"
    }

    fn render(&self, doc: &Document, ctx: &RenderContext) -> Result<Vec<u8>> {
        let family = genpdf_family(ctx.fonts)?;
        let mut pdf = genpdfi::Document::new(family);
        pdf.set_minimal_conformance();
        pdf.set_paper_size(genpdfi::Size::new(doc.page.width, doc.page.height));
        pdf.set_page_decorator(PageNumbers::new(doc.page.clone()));
        for element in elements(doc, ctx.fonts) {
            pdf.push(element);
        }
        let mut raw = Vec::with_capacity(64 * 1024);
        pdf.render(&mut raw)
            .map_err(|e| Error::Pdf(e.to_string()))?;
        finish::finish(&raw, doc, ctx)
    }
}

enum Flow {
    Para(ParaElement),
    Rule(RuleElement),
    Columns(ColumnsElement),
    Table(TableElement),
}

impl Flow {
    fn start_height(&self) -> f32 {
        match self {
            Flow::Para(p) => p.min_start_height(),
            Flow::Rule(r) => rule_height(&r.rule),
            Flow::Columns(c) => c.height(),
            Flow::Table(t) => t.start_height(),
        }
    }
}

/// The document's blocks as genpdf elements, with keep-with-next reservations resolved.
fn elements(doc: &Document, fonts: &FontBook) -> Vec<Box<dyn genpdfi::Element>> {
    // The text width as the DOCX has it: paper and margins each on the twip grid.
    let p = &doc.page;
    let width =
        lines::on_twips(p.width) - lines::on_twips(p.margin_left) - lines::on_twips(p.margin_right);
    let height = doc.page.text_height();
    let mut flow: Vec<Flow> = doc
        .blocks
        .iter()
        .map(|b| match b {
            Block::Para(p) => Flow::Para(ParaElement::new(p.clone(), width, fonts, height)),
            Block::Rule(r) => Flow::Rule(RuleElement { rule: r.clone() }),
            Block::Columns(c) => Flow::Columns(ColumnsElement::new(c, width, fonts, height)),
            Block::Table(t) => Flow::Table(TableElement::new(t, fonts, height)),
        })
        .collect();
    for i in 0..flow.len().saturating_sub(1) {
        let next = flow[i + 1].start_height();
        if let Flow::Para(p) = &mut flow[i] {
            if p.para.keep_with_next {
                p.reserve_after = next;
            }
        }
    }
    flow.into_iter()
        .map(|f| -> Box<dyn genpdfi::Element> {
            match f {
                Flow::Para(p) => Box::new(p),
                Flow::Rule(r) => Box::new(r),
                Flow::Columns(c) => Box::new(c),
                Flow::Table(t) => Box::new(t),
            }
        })
        .collect()
}

/// genpdf font families are parsed once per font book and then cloned (cheap: shared data).
fn genpdf_family(fonts: &FontBook) -> Result<FontFamily<FontData>> {
    type Cache = Mutex<Vec<(usize, FontFamily<FontData>)>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let key = fonts.face(Face::Regular).data.as_ptr() as usize;
    let cache = CACHE.get_or_init(|| Mutex::new(Vec::new()));
    if let Ok(guard) = cache.lock() {
        if let Some((_, fam)) = guard.iter().find(|(k, _)| *k == key) {
            return Ok(fam.clone());
        }
    }
    let load = |f: Face| {
        FontData::new_shared(Arc::clone(&fonts.face(f).data), None)
            .map_err(|e| Error::Font(format!("{}: {e}", fonts.face(f).postscript_name)))
    };
    let fam = FontFamily {
        regular: load(Face::Regular)?,
        bold: load(Face::Bold)?,
        italic: load(Face::Italic)?,
        bold_italic: load(Face::BoldItalic)?,
    };
    if let Ok(mut guard) = cache.lock() {
        guard.push((key, fam.clone()));
    }
    Ok(fam)
}
