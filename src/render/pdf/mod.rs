//! The PDF renderer: the document model's blocks become elements ([`elements`], [`columns`],
//! [`table`], [`boxed`]) that a layout loop stacks down each page ([`flow`]); each page is
//! written to the output the moment it is complete ([`file`], pdf-writer), with fonts
//! subset as glyphs are first drawn ([`embed`], subsetter). Text is measured and drawn with
//! the faces of [`crate::fonts`]. Memory does not grow with the number of pages, so a
//! month's report of thousands of pages costs what a notice does.
//!
//! The elements and the loop are genpdf's design (`Element::render` into a frame, answering
//! with the size taken and whether more follows; genpdf's `Document::render` and
//! `LinearLayout`), rewritten on maintained crates: genpdf wrote through printpdf, which keeps
//! every page's operations until the document is saved and then scans them all to subset the
//! fonts (measured: 0.27 MB a page, 2.3 GB for an 8,500-page report).

mod archive;
mod boxed;
mod canvas;
mod catalog;
mod columns;
mod compress;
mod content;
mod elements;
mod embed;
pub(crate) use embed::unicode_cmap;
mod fields;
mod file;
mod flow;
pub(crate) mod lines;
mod row;
mod strip;
mod table;

use std::cell::RefCell;

use pdf_writer::{Filter, Name, Rect, Ref};

use crate::doc::model::{Block, Mm, PageSetup, SectionStart};
use crate::doc::stream::{self, DocumentStream};
use crate::error::{Error, Result};
use crate::fonts::FontBook;
use crate::render::{Output, RenderContext, Renderer};
use boxed::BoxedElement;
use canvas::{to_pt, Canvas, Frame};
use columns::ColumnsElement;
use compress::deflate;
use elements::{pt, rule_height, FooterElement, PageNumbers, ParaElement, RuleElement};
use embed::{resource_name, FontUse};
use fields::Fields;
use file::PdfFile;
use flow::{RenderResult, Size};
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
        out: &mut dyn Output,
    ) -> Result<()> {
        let glyphs = RefCell::new(FontUse::default());
        let page = doc.page.clone();
        let mut file = PdfFile::new(out)?;
        let (catalog, pages, resources, info) =
            (file.alloc(), file.alloc(), file.alloc(), file.alloc());
        let shared = PageShared {
            pages,
            resources,
            media: Rect::new(0.0, 0.0, to_pt(page.width), to_pt(page.height)),
            signing_fields: ctx.pdf.signing_fields,
        };
        let mut decorator = PageNumbers::new(page.clone());
        let mut blocks = Blocks::new(doc.blocks, &page, ctx.fonts);
        let footer = page
            .first_page_footer
            .as_ref()
            .map(|f| FooterElement::new(f, &page, blocks.width, ctx.fonts));
        let mut kids: Vec<Ref> = Vec::new();
        let mut fields = Fields::default();
        loop {
            let number = kids.len() + 1;
            let cx = Canvas::new(ctx.fonts, &glyphs, (page.height, number));
            let full = Frame {
                x: 0.0,
                y: 0.0,
                width: page.width,
                height: page.height,
            };
            if let Some(start) = blocks.section_started.take() {
                decorator.start_section(start);
            }
            let mut frame = decorator.decorate(&cx, full);
            if let (1, Some(footer)) = (number, &footer) {
                footer.draw(&cx, &frame);
                frame.height -= footer.overlap();
            }
            let result = layout_page(&cx, frame, &mut blocks);
            if let Some(e) = blocks.error.take() {
                return Err(e);
            }
            kids.push(write_page(&mut file, cx, &shared, &page, &mut fields)?);
            if !result.has_more {
                break;
            }
            if result.size == Size::ZERO {
                return Err(Error::Pdf("could not fit an element on a new page".into()));
            }
        }
        let glyphs = glyphs.into_inner();
        if let (true, Some(c)) = (ctx.pdf.pdfa, glyphs.missing()) {
            return Err(Error::Pdf(format!(
                "PDF/A: the fonts have no glyph for U+{:04X} `{c}`, and PDF/A-2 forbids drawing \
                 the missing glyph (.notdef); remove the character or use fonts that have it",
                u32::from(c)
            )));
        }
        write_fonts_and_pages(&mut file, glyphs, ctx.fonts, &shared, &kids)?;
        let ending = catalog::Ending {
            catalog,
            pages,
            info,
            form: fields.all(),
            title: &doc.meta_title,
            epoch: ctx.epoch,
            pdfa: ctx.pdf.pdfa,
        };
        catalog::finish(file, &ending)
    }
}

/// What every page object points to.
struct PageShared {
    pages: Ref,
    resources: Ref,
    media: Rect,
    signing_fields: bool,
}

/// Writes a laid-out page: its content, its signature fields (with `--signing-fields`), and
/// the page object; returns the page.
fn write_page(
    file: &mut PdfFile<'_>,
    cx: Canvas<'_>,
    shared: &PageShared,
    setup: &PageSetup,
    fields: &mut Fields,
) -> Result<Ref> {
    let number = cx.page;
    let (content, signing_spaces) = cx.finish();
    let content = deflate(&content)?;
    let (content_ref, page_ref) = (file.alloc(), file.alloc());
    file.object(|c| {
        c.stream(content_ref, &content).filter(Filter::FlateDecode);
    })?;
    let annots = if shared.signing_fields {
        fields.write_page(file, page_ref, number, setup, &signing_spaces)?
    } else {
        Vec::new()
    };
    file.object(|c| {
        let mut p = c.page(page_ref);
        p.parent(shared.pages)
            .media_box(shared.media)
            .contents(content_ref)
            .pair(Name(b"Resources"), shared.resources);
        if !annots.is_empty() {
            p.annotations(annots.iter().copied());
        }
    })?;
    Ok(page_ref)
}

/// The fonts used, the resources naming them, and the page tree.
fn write_fonts_and_pages(
    file: &mut PdfFile<'_>,
    glyphs: FontUse,
    book: &FontBook,
    shared: &PageShared,
    kids: &[Ref],
) -> Result<()> {
    let faces = glyphs.write(file, book)?;
    file.packed(|c| {
        let mut dict = c.indirect(shared.resources).dict();
        let mut font_dict = dict.insert(Name(b"Font")).dict();
        for (face, font) in &faces {
            font_dict.pair(resource_name(*face), *font);
        }
    })?;
    file.packed(|c| {
        c.pages(shared.pages)
            .kids(kids.iter().copied())
            .count(i32::try_from(kids.len()).unwrap_or(i32::MAX));
    })
}

/// The blocks from `next` on, one below the other on this page (genpdf's vertical
/// `LinearLayout`): stops at the first block that continues on the next page.
fn layout_page(cx: &Canvas<'_>, mut frame: Frame, blocks: &mut Blocks<'_, '_>) -> RenderResult {
    let mut result = RenderResult::default();
    while frame.height() > 0.0 {
        let Some(block) = blocks.current.as_mut() else {
            break;
        };
        let r = block.render(cx, frame.clone());
        if let Flow::Section(s) = block {
            if s.placed && r.has_more {
                blocks.section_started = Some(s.start);
            }
        }
        frame.offset(r.size.height);
        result.size = result.size.stack_vertical(r.size);
        if r.has_more {
            result.has_more = true;
            return result;
        }
        blocks.advance();
    }
    result.has_more = blocks.current.is_some();
    result
}

enum Flow {
    Para(ParaElement),
    Rule(RuleElement),
    Columns(ColumnsElement),
    Table(TableElement),
    Boxed(BoxedElement),
    Section(SectionElement),
}

impl Flow {
    fn render(&mut self, cx: &Canvas<'_>, frame: Frame) -> RenderResult {
        match self {
            Flow::Para(p) => p.render(cx, frame),
            Flow::Rule(r) => r.render(cx, frame),
            Flow::Columns(c) => c.render(cx, frame),
            Flow::Table(t) => t.render(cx, frame),
            Flow::Boxed(b) => b.render(cx, frame),
            Flow::Section(s) => s.render(frame),
        }
    }

    fn start_height(&self) -> f32 {
        match self {
            Flow::Para(p) => p.min_start_height(),
            Flow::Rule(r) => rule_height(&r.rule),
            Flow::Columns(c) => c.height(),
            Flow::Table(t) => t.start_height(),
            Flow::Boxed(b) => b.height(),
            Flow::Section(_) => pt(SECTION_BREAK_PT),
        }
    }
}

/// The document's blocks as elements, built when the block before them is placed (one ahead,
/// for its keep-with-next reservation) and dropped once placed: only two blocks' laid-out
/// lines are in memory at a time, not the document's.
struct Blocks<'d, 'f> {
    source: stream::Blocks<'d>,
    fonts: &'f FontBook,
    width: Mm,
    height: Mm,
    current: Option<Flow>,
    next: Option<Flow>,
    /// The stream's error, if it ended with one (layout stops there).
    error: Option<Error>,
    /// A section break was placed: the next page starts the section.
    section_started: Option<SectionStart>,
}

impl<'d, 'f> Blocks<'d, 'f> {
    fn new(source: stream::Blocks<'d>, page: &PageSetup, fonts: &'f FontBook) -> Blocks<'d, 'f> {
        // The text width as the DOCX has it: paper and margins each on the twip grid.
        let width = lines::on_twips(page.width)
            - lines::on_twips(page.margin_left)
            - lines::on_twips(page.margin_right);
        let mut blocks = Blocks {
            source,
            fonts,
            width,
            height: page.text_height(),
            current: None,
            next: None,
            error: None,
            section_started: None,
        };
        blocks.current = blocks.pull();
        blocks.next = blocks.pull();
        blocks.reserve();
        blocks
    }

    /// The next block of the stream as an element.
    fn pull(&mut self) -> Option<Flow> {
        if self.error.is_some() {
            return None;
        }
        let block = match self.source.next()? {
            Ok(b) => b,
            Err(e) => {
                self.error = Some(e);
                return None;
            }
        };
        let (width, height, fonts) = (self.width, self.height, self.fonts);
        Some(match block.into_owned() {
            Block::Para(p) => Flow::Para(ParaElement::new(p, width, fonts, height)),
            Block::Rule(rule) => Flow::Rule(RuleElement { rule }),
            Block::Columns(c) => Flow::Columns(ColumnsElement::new(&c, width, fonts, height)),
            Block::Table(t) => Flow::Table(TableElement::new(t, fonts, height)),
            Block::Boxed(b) => Flow::Boxed(BoxedElement::new(&b, width, fonts, false)),
            Block::Section(start) => Flow::Section(SectionElement {
                start,
                placed: false,
            }),
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
        self.current = self.next.take();
        self.next = self.pull();
        self.reserve();
    }
}

/// Height of the paragraph that ends a section in the DOCX (it holds the `w:sectPr`).
const SECTION_BREAK_PT: f32 = 1.0;

/// A section break: the DOCX's 1 pt paragraph that ends the section where it stands (on the
/// next page if no room is left), then a new page.
struct SectionElement {
    start: SectionStart,
    placed: bool,
}

impl SectionElement {
    fn render(&mut self, frame: Frame) -> RenderResult {
        if self.placed {
            // The new page: the section's blocks follow from its top.
            return RenderResult::default();
        }
        let h = pt(SECTION_BREAK_PT);
        if h > frame.height() + elements::EPS {
            return RenderResult {
                size: Size::ZERO,
                has_more: true,
            };
        }
        self.placed = true;
        RenderResult {
            size: Size::new(frame.width(), h),
            has_more: true,
        }
    }
}
