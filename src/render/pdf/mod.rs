//! The PDF renderer, on genpdfi (the maintained fork of genpdf) and printpdf with its font
//! subsetting, followed by a finishing pass that gives fonts their real names, writes
//! correct metadata and makes the bytes reproducible.
//!
//! Pages are laid out here, as genpdf's `Document::render` and `LinearLayout` would (the same
//! loop, the same decisions), so that text can be drawn a line at a time ([`canvas`]) rather
//! than through genpdf's per-word text objects.

mod canvas;
mod columns;
mod elements;
mod finish;
pub mod lines;
mod strip;
mod table;

use std::sync::{Arc, Mutex, OnceLock};

use genpdfi::fonts::{FontCache, FontData, FontFamily};
use genpdfi::{RenderResult, Size};

use crate::doc::model::{Block, Document, Mm};
use crate::doc::DocumentStream;
use crate::error::{Error, Result};
use crate::fonts::{Face, FontBook};
use crate::render::{RenderContext, Renderer};
use canvas::{Canvas, Frame, WidthTable};
use columns::ColumnsElement;
use elements::{rule_height, PageNumbers, ParaElement, RuleElement};
use table::TableElement;

pub struct PdfRenderer;

impl Renderer for PdfRenderer {
    fn extension(&self) -> &'static str {
        "pdf"
    }

    fn render_to(
        &self,
        doc: DocumentStream<'_>,
        ctx: &RenderContext,
        out: &mut dyn std::io::Write,
    ) -> Result<()> {
        let doc = doc.collect()?;
        let bytes = render_whole(&doc, ctx)?;
        out.write_all(&bytes)
            .map_err(|e| crate::render::write_error("pdf output", e))
    }
}

fn render_whole(doc: &Document, ctx: &RenderContext) -> Result<Vec<u8>> {
    let gen = |e: genpdfi::error::Error| Error::Pdf(e.to_string());
    let family = genpdf_family(ctx.fonts)?;
    let paper = Size::new(doc.page.width, doc.page.height);
    let mut renderer = genpdfi::render::Renderer::new(paper, "")
        .map_err(gen)?
        .with_conformance(printpdf::PdfConformance::Custom(
            printpdf::CustomPdfConformance {
                requires_icc_profile: false,
                requires_xmp_metadata: false,
                ..Default::default()
            },
        ));
    let mut fonts = FontCache::new(family);
    fonts.load_pdf_fonts(&renderer).map_err(gen)?;
    let widths = width_table(ctx.fonts);
    let mut decorator = PageNumbers::new(doc.page.clone());
    let mut blocks = Blocks::new(doc, ctx.fonts);
    loop {
        let page = renderer.last_page();
        let layer = page.last_layer();
        let cx = Canvas::new(&fonts, layer.layer().clone(), doc.page.height, &widths);
        let full = Frame {
            area: layer.area(),
            x: 0.0,
            y: 0.0,
        };
        let frame = decorator.decorate(&cx, full).map_err(gen)?;
        let result = layout_page(&cx, frame, &mut blocks).map_err(gen)?;
        if !result.has_more {
            break;
        }
        if result.size == Size::new(0, 0) {
            return Err(Error::Pdf("could not fit an element on a new page".into()));
        }
        renderer.add_page(paper);
    }
    let mut raw = Vec::with_capacity(64 * 1024);
    renderer.write(&mut raw).map_err(gen)?;
    finish::finish(&raw, doc, ctx)
}

/// The blocks from `next` on, one below the other on this page (genpdf's vertical
/// `LinearLayout`): stops at the first block that continues on the next page.
fn layout_page(
    cx: &Canvas<'_>,
    mut frame: Frame<'_>,
    blocks: &mut Blocks<'_>,
) -> std::result::Result<RenderResult, genpdfi::error::Error> {
    let mut result = RenderResult::default();
    while frame.height() > 0.0 {
        let Some(block) = blocks.current.as_mut() else {
            break;
        };
        let r = block.render(cx, frame.clone())?;
        frame.offset(r.size.height.into());
        result.size = result.size.stack_vertical(r.size);
        if r.has_more {
            result.has_more = true;
            return Ok(result);
        }
        blocks.advance();
    }
    result.has_more = blocks.current.is_some();
    Ok(result)
}

/// Glyph advances per font book, computed once (like the genpdf families).
fn width_table(fonts: &FontBook) -> Arc<WidthTable> {
    type Cache = Mutex<Vec<(usize, Arc<WidthTable>)>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let key = fonts.face(Face::Regular).data.as_ptr() as usize;
    let cache = CACHE.get_or_init(|| Mutex::new(Vec::new()));
    if let Ok(guard) = cache.lock() {
        if let Some((_, t)) = guard.iter().find(|(k, _)| *k == key) {
            return Arc::clone(t);
        }
    }
    let table = Arc::new(WidthTable::new(fonts));
    if let Ok(mut guard) = cache.lock() {
        guard.push((key, Arc::clone(&table)));
    }
    table
}

enum Flow {
    Para(ParaElement),
    Rule(RuleElement),
    Columns(ColumnsElement),
    Table(TableElement),
}

impl Flow {
    fn render(
        &mut self,
        cx: &Canvas<'_>,
        frame: Frame<'_>,
    ) -> std::result::Result<RenderResult, genpdfi::error::Error> {
        match self {
            Flow::Para(p) => p.render(cx, frame),
            Flow::Rule(r) => r.render(frame),
            Flow::Columns(c) => c.render(cx, frame),
            Flow::Table(t) => t.render(cx, frame),
        }
    }

    fn start_height(&self) -> f32 {
        match self {
            Flow::Para(p) => p.min_start_height(),
            Flow::Rule(r) => rule_height(&r.rule),
            Flow::Columns(c) => c.height(),
            Flow::Table(t) => t.start_height(),
        }
    }
}

/// The document's blocks as elements, built when the block before them is placed (one ahead,
/// for its keep-with-next reservation) and dropped once placed: only two blocks' laid-out
/// lines are in memory at a time, not the document's.
struct Blocks<'d> {
    doc: &'d Document,
    fonts: &'d FontBook,
    width: Mm,
    height: Mm,
    index: usize,
    current: Option<Flow>,
    next: Option<Flow>,
}

impl<'d> Blocks<'d> {
    fn new(doc: &'d Document, fonts: &'d FontBook) -> Blocks<'d> {
        // The text width as the DOCX has it: paper and margins each on the twip grid.
        let p = &doc.page;
        let width = lines::on_twips(p.width)
            - lines::on_twips(p.margin_left)
            - lines::on_twips(p.margin_right);
        let mut blocks = Blocks {
            doc,
            fonts,
            width,
            height: doc.page.text_height(),
            index: 0,
            current: None,
            next: None,
        };
        blocks.current = blocks.build(0);
        blocks.next = blocks.build(1);
        blocks.reserve();
        blocks
    }

    fn build(&self, i: usize) -> Option<Flow> {
        let (width, height, fonts) = (self.width, self.height, self.fonts);
        Some(match self.doc.blocks.get(i)? {
            Block::Para(p) => Flow::Para(ParaElement::new(p.clone(), width, fonts, height)),
            Block::Rule(r) => Flow::Rule(RuleElement { rule: r.clone() }),
            Block::Columns(c) => Flow::Columns(ColumnsElement::new(c, width, fonts, height)),
            Block::Table(t) => Flow::Table(TableElement::new(t, fonts, height)),
        })
    }

    /// A paragraph kept with the next block reserves room for the next block's start.
    fn reserve(&mut self) {
        let next = self.next.as_ref().map(Flow::start_height);
        if let (Some(Flow::Para(p)), Some(next)) = (&mut self.current, next) {
            if p.para.keep_with_next {
                p.reserve_after = next;
            }
        }
    }

    fn advance(&mut self) {
        self.index += 1;
        self.current = self.next.take();
        self.next = self.build(self.index + 1);
        self.reserve();
    }
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
