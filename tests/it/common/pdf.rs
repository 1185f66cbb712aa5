//! Reads our PDFs back with lopdf (≥ 0.42): text spans with font name, size and position
//! (decoded through each font's ToUnicode map and measured with its /W widths), and the
//! stroked horizontal lines. Coordinates are millimetres from the page's top-left corner.

use std::collections::HashMap;
use std::path::Path;

use lopdf::content::Content;
use lopdf::{Document, Object, ObjectId};

pub const PT: f32 = 25.4 / 72.0;

#[derive(Debug, Clone)]
pub struct Span {
    pub text: String,
    pub font: String,
    pub size: f32,
    pub x0: f32,
    pub x1: f32,
    /// Baseline, from the top of the page.
    pub y: f32,
}

impl Span {
    pub fn bold(&self) -> bool {
        self.font.contains("Bold")
    }
    pub fn italic(&self) -> bool {
        self.font.contains("Italic")
    }
    pub fn centre(&self) -> f32 {
        (self.x0 + self.x1) / 2.0
    }
}

#[derive(Debug, Clone)]
pub struct HLine {
    pub x0: f32,
    pub x1: f32,
    pub y: f32,
    pub width_pt: f32,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub width: f32,
    pub height: f32,
    pub spans: Vec<Span>,
    pub lines: Vec<HLine>,
    /// Operands of every fill-colour operator (`g`, `rg`, `k`, `sc`, `scn`).
    pub fill_colours: Vec<Vec<f32>>,
    /// Rectangles (`re`), stroked: boxed marks.
    pub rects: Vec<RectBox>,
}

/// A rectangle in mm from the page's top-left, with its line width.
#[derive(Debug, Clone)]
pub struct RectBox {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
    pub width_pt: f32,
}

/// A line of text: spans on one baseline, left to right.
#[derive(Debug, Clone)]
pub struct TextLine {
    pub spans: Vec<Span>,
}

impl TextLine {
    pub fn text(&self) -> String {
        let mut s = String::new();
        let mut last_x1: Option<f32> = None;
        for sp in &self.spans {
            if let Some(x1) = last_x1 {
                if sp.x0 - x1 > 0.1 * sp.size * PT {
                    s.push(' ');
                }
            }
            s.push_str(&sp.text);
            last_x1 = Some(sp.x1);
        }
        s
    }
    pub fn x0(&self) -> f32 {
        self.spans.first().map_or(0.0, |s| s.x0)
    }
    pub fn x1(&self) -> f32 {
        self.spans.last().map_or(0.0, |s| s.x1)
    }
    pub fn y(&self) -> f32 {
        self.spans.first().map_or(0.0, |s| s.y)
    }
    pub fn centre(&self) -> f32 {
        (self.x0() + self.x1()) / 2.0
    }
    pub fn size(&self) -> f32 {
        self.spans.first().map_or(0.0, |s| s.size)
    }
    pub fn all_bold(&self) -> bool {
        self.spans.iter().all(Span::bold)
    }
    pub fn all_italic(&self) -> bool {
        self.spans.iter().all(Span::italic)
    }
}

impl Page {
    /// Spans grouped into lines. Spans on the same baseline but far apart (two columns)
    /// become separate lines.
    pub fn text_lines(&self) -> Vec<TextLine> {
        // Rows: spans whose baselines agree within 0.3 mm.
        let mut spans = self.spans.clone();
        spans.sort_by(|a, b| a.y.total_cmp(&b.y));
        let mut rows: Vec<Vec<Span>> = Vec::new();
        for s in spans {
            match rows.last_mut() {
                Some(row) if (row[0].y - s.y).abs() < 0.3 => row.push(s),
                _ => rows.push(vec![s]),
            }
        }
        // Within a row, left to right; a gap wider than an em (columns) splits it.
        let mut out: Vec<TextLine> = Vec::new();
        for mut row in rows {
            row.sort_by(|a, b| a.x0.total_cmp(&b.x0));
            let mut cur: Vec<Span> = Vec::new();
            for s in row {
                if let Some(prev) = cur.last() {
                    if s.x0 - prev.x1 > s.size.max(prev.size) * PT {
                        out.push(TextLine {
                            spans: std::mem::take(&mut cur),
                        });
                    }
                }
                cur.push(s);
            }
            if !cur.is_empty() {
                out.push(TextLine { spans: cur });
            }
        }
        out
    }
}

struct FontInfo {
    name: String,
    to_unicode: HashMap<u16, String>,
    widths: HashMap<u16, f32>,
    default_width: f32,
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(id) => doc.get_object(*id).unwrap_or(o),
        _ => o,
    }
}

fn parse_cmap(data: &[u8]) -> HashMap<u16, String> {
    let text = String::from_utf8_lossy(data);
    let hex = |s: &str| -> Vec<u8> {
        let s = s.trim().trim_start_matches('<').trim_end_matches('>');
        (0..s.len() / 2)
            .filter_map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok())
            .collect()
    };
    let utf16 = |b: &[u8]| -> String {
        let units: Vec<u16> = b
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
            .collect();
        String::from_utf16_lossy(&units)
    };
    let mut map = HashMap::new();
    let mut in_char = false;
    let mut in_range = false;
    for line in text.lines() {
        let l = line.trim();
        if l.ends_with("beginbfchar") {
            in_char = true;
            continue;
        }
        if l.ends_with("beginbfrange") {
            in_range = true;
            continue;
        }
        if l == "endbfchar" {
            in_char = false;
            continue;
        }
        if l == "endbfrange" {
            in_range = false;
            continue;
        }
        let parts: Vec<&str> = l.split_whitespace().collect();
        if in_char && parts.len() >= 2 {
            let k = hex(parts[0]);
            if k.len() == 2 {
                map.insert(u16::from_be_bytes([k[0], k[1]]), utf16(&hex(parts[1])));
            }
        } else if in_range && parts.len() >= 3 {
            let (a, b, c) = (hex(parts[0]), hex(parts[1]), hex(parts[2]));
            if a.len() == 2 && b.len() == 2 && c.len() == 2 {
                let (a, b) = (
                    u16::from_be_bytes([a[0], a[1]]),
                    u16::from_be_bytes([b[0], b[1]]),
                );
                let start = u16::from_be_bytes([c[0], c[1]]);
                for (i, g) in (a..=b).enumerate() {
                    map.insert(g, String::from_utf16_lossy(&[start + i as u16]));
                }
            }
        }
    }
    map
}

fn font_info(doc: &Document, font: &Object) -> FontInfo {
    let dict = deref(doc, font).as_dict().expect("font dict");
    let name = dict
        .get(b"BaseFont")
        .ok()
        .and_then(|n| n.as_name().ok())
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .unwrap_or_default();
    let to_unicode = dict
        .get(b"ToUnicode")
        .ok()
        .map(|o| deref(doc, o))
        .and_then(|o| o.as_stream().ok())
        .and_then(|s| {
            s.decompressed_content()
                .ok()
                .or_else(|| Some(s.content.clone()))
        })
        .map(|d| parse_cmap(&d))
        .unwrap_or_default();
    let mut widths = HashMap::new();
    let mut default_width = 1000.0;
    if let Some(desc) = dict
        .get(b"DescendantFonts")
        .ok()
        .map(|o| deref(doc, o))
        .and_then(|o| o.as_array().ok())
        .and_then(|a| a.first())
        .map(|o| deref(doc, o))
        .and_then(|o| o.as_dict().ok())
    {
        if let Ok(dw) = desc.get(b"DW").and_then(|o| o.as_i64()) {
            default_width = dw as f32;
        }
        if let Ok(w) = desc
            .get(b"W")
            .map(|o| deref(doc, o))
            .and_then(|o| o.as_array())
        {
            let mut i = 0;
            while i + 1 < w.len() {
                let start = w[i].as_i64().unwrap_or(0) as u16;
                match deref(doc, &w[i + 1]) {
                    Object::Array(ws) => {
                        for (k, v) in ws.iter().enumerate() {
                            let v = v.as_float().unwrap_or(0.0);
                            widths.insert(start + k as u16, v);
                        }
                        i += 2;
                    }
                    _ => {
                        // c_first c_last w
                        let last = w[i + 1].as_i64().unwrap_or(0) as u16;
                        let v = w.get(i + 2).and_then(|o| o.as_float().ok()).unwrap_or(0.0);
                        for g in start..=last {
                            widths.insert(g, v);
                        }
                        i += 3;
                    }
                }
            }
        }
    }
    FontInfo {
        name,
        to_unicode,
        widths,
        default_width,
    }
}

fn num(o: &Object) -> f32 {
    o.as_float().unwrap_or(0.0)
}

pub fn read(path: &Path) -> Vec<Page> {
    let doc = Document::load(path).expect("lopdf loads the PDF");
    read_doc(&doc)
}

pub fn read_doc(doc: &Document) -> Vec<Page> {
    let mut pages = Vec::new();
    for (_, page_id) in doc.get_pages() {
        pages.push(read_page(doc, page_id));
    }
    pages
}

fn read_page(doc: &Document, page_id: ObjectId) -> Page {
    let page = doc.get_dictionary(page_id).expect("page dict");
    let mb = page
        .get(b"MediaBox")
        .ok()
        .map(|o| deref(doc, o))
        .and_then(|o| o.as_array().ok())
        .map(|a| a.iter().map(num).collect::<Vec<_>>())
        .unwrap_or_else(|| vec![0.0, 0.0, 595.28, 841.89]);
    let (w_pt, h_pt) = (mb[2] - mb[0], mb[3] - mb[1]);
    let mut fonts: HashMap<Vec<u8>, FontInfo> = HashMap::new();
    if let Ok((inline, ids)) = doc.get_page_resources(page_id) {
        let dicts = inline
            .into_iter()
            .chain(ids.into_iter().filter_map(|id| doc.get_dictionary(id).ok()));
        for res in dicts {
            if let Ok(fd) = res
                .get(b"Font")
                .map(|o| deref(doc, o))
                .and_then(|o| o.as_dict())
            {
                for (k, v) in fd.iter() {
                    fonts.insert(k.clone(), font_info(doc, v));
                }
            }
        }
    }
    let content = doc.get_page_content(page_id);
    let ops = Content::decode(&content)
        .expect("content decodes")
        .operations;
    let mut spans = Vec::new();
    let mut lines = Vec::new();
    let (mut tx, mut ty) = (0.0f32, 0.0f32);
    let mut font: Option<&FontInfo> = None;
    let mut size = 0.0f32;
    let mut lw = 1.0f32;
    let mut path_start: Option<(f32, f32)> = None;
    let mut segments: Vec<((f32, f32), (f32, f32))> = Vec::new();
    let mut fill_colours = Vec::new();
    let mut rects = Vec::new();
    for op in &ops {
        let a = &op.operands;
        match op.operator.as_str() {
            "BT" => {
                tx = 0.0;
                ty = 0.0;
            }
            "Td" | "TD" if a.len() == 2 => {
                tx += num(&a[0]);
                ty += num(&a[1]);
            }
            "Tm" if a.len() == 6 => {
                tx = num(&a[4]);
                ty = num(&a[5]);
            }
            "Tf" if a.len() == 2 => {
                font = a[0].as_name().ok().and_then(|n| fonts.get(n));
                size = num(&a[1]);
            }
            "Tj" | "TJ" => {
                let Some(f) = font else { continue };
                let items: Vec<Object> = match &a[..] {
                    [Object::Array(items)] => items.clone(),
                    [s @ Object::String(..)] => vec![s.clone()],
                    _ => continue,
                };
                let mut text = String::new();
                let start = tx;
                for it in items {
                    match it {
                        Object::String(bytes, _) => {
                            for c in bytes.chunks(2) {
                                let gid = u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]);
                                text.push_str(
                                    f.to_unicode
                                        .get(&gid)
                                        .map(String::as_str)
                                        .unwrap_or("\u{FFFD}"),
                                );
                                let w = f.widths.get(&gid).copied().unwrap_or(f.default_width);
                                tx += w / 1000.0 * size;
                            }
                        }
                        other => tx -= num(&other) / 1000.0 * size,
                    }
                }
                spans.push(Span {
                    text,
                    font: f.name.clone(),
                    size,
                    x0: start * PT,
                    x1: tx * PT,
                    y: (h_pt - ty) * PT,
                });
            }
            "g" | "rg" | "k" | "sc" | "scn" => fill_colours.push(a.iter().map(num).collect()),
            "w" if a.len() == 1 => lw = num(&a[0]),
            "re" if a.len() == 4 => {
                let (x, y, w, h) = (num(&a[0]), num(&a[1]), num(&a[2]), num(&a[3]));
                rects.push(RectBox {
                    x0: x * PT,
                    x1: (x + w) * PT,
                    y0: (h_pt - y - h) * PT,
                    y1: (h_pt - y) * PT,
                    width_pt: lw,
                });
            }
            "m" if a.len() == 2 => path_start = Some((num(&a[0]), num(&a[1]))),
            "l" if a.len() == 2 => {
                let p = (num(&a[0]), num(&a[1]));
                if let Some(s) = path_start {
                    segments.push((s, p));
                }
                path_start = Some(p);
            }
            "S" => {
                for ((x0, y0), (x1, y1)) in segments.drain(..) {
                    if (y0 - y1).abs() < 0.01 {
                        lines.push(HLine {
                            x0: x0.min(x1) * PT,
                            x1: x0.max(x1) * PT,
                            y: (h_pt - y0) * PT,
                            width_pt: lw,
                        });
                    }
                }
            }
            _ => {}
        }
    }
    Page {
        width: w_pt * PT,
        height: h_pt * PT,
        spans,
        lines,
        fill_colours,
        rects,
    }
}

/// The text lines of all pages in reading order, without the page numbers in the top margin.
pub fn body_lines(pages: &[Page]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, p) in pages.iter().enumerate() {
        for l in p.text_lines() {
            let t = l.text();
            // The page number in the top margin (an appendix numbers its pages on its own).
            let number = !t.trim().is_empty() && t.trim().chars().all(|c| c.is_ascii_digit());
            if i > 0 && l.y() < 20.0 && number {
                continue;
            }
            out.push(t);
        }
    }
    out
}
