//! "Nothing lost" (issue 9): every word of a document, in order, in its PDF (read back with
//! lopdf) and in its DOCX (read from the XML). Shared by the tests and the fuzz target.
//!
//! - The DOCX's paragraphs, word by word, are exactly the model's paragraphs.
//! - The PDF holds exactly the model's words (the same multiset, page numbers aside), and the
//!   words of every paragraph appear in the order they are drawn. A two-column block that
//!   continues across pages interleaves its columns page by page, so the order is checked
//!   paragraph by paragraph, not across the columns.
//! - A token wider than a line is broken by characters in the PDF; its pieces are joined back.

use std::collections::{BTreeSet, HashMap};

use vanthu::document::{Block, Document, PageSetup};

use super::{docx, pdf};

/// What a check saw, for the test's report.
#[derive(Debug, Default, Clone, Copy)]
pub struct Seen {
    pub words: usize,
    pub pdf_pages: usize,
}

/// The model's paragraphs as words.
pub fn model_paragraphs(doc: &Document) -> Vec<Vec<String>> {
    doc.paragraphs()
        .iter()
        .map(|p| words(&p.text()))
        .filter(|w| !w.is_empty())
        .collect()
}

/// The DOCX body's paragraphs as words.
pub fn docx_paragraphs(docx_bytes: &[u8]) -> Vec<Vec<String>> {
    let xml = docx::part_of(docx_bytes, "word/document.xml");
    docx::paragraphs(&xml)
        .iter()
        .map(|p| words(&p.text))
        .filter(|w| !w.is_empty())
        .collect()
}

fn words(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_owned).collect()
}

/// The PDF's words in the order they are drawn (each line of a cell after the one above it,
/// cell after cell), without the page numbers (text in the top margin), and the number of
/// pages. Spans on one baseline with no gap between them are one word. Text drawn outside the
/// text block (below the bottom margin, past the right margin, off the page) is an error: a
/// reader of the page never sees it.
pub fn pdf_words(pdf_bytes: &[u8], setup: &PageSetup) -> Result<(Vec<String>, usize), String> {
    let doc = lopdf::Document::load_mem(pdf_bytes).expect("lopdf loads the PDF");
    let pages = pdf::read_doc(&doc);
    let bottom = setup.height - setup.margin_bottom + 0.5;
    let right = setup.width - setup.margin_right + 0.5;
    let mut text = String::new();
    // Page 1's footer (ô 13, the address) is drawn in the bottom margin: its words are read
    // apart and must be the footer's, exactly.
    let mut footer_text = String::new();
    // The footer starts under its rule across the text width, the lowest such rule of page 1
    // (a tall footer reaches above the bottom margin: the text block shrinks).
    let footer_top = setup.first_page_footer.as_ref().and_then(|_| {
        pages.first().and_then(|p| {
            p.lines
                .iter()
                .filter(|r| ((r.x1 - r.x0) - setup.text_width()).abs() <= 1.0)
                .map(|r| r.y)
                .fold(None, |a: Option<f32>, y| Some(a.map_or(y, |a| a.max(y))))
        })
    });
    for (n, page) in pages.iter().enumerate() {
        let mut last: Option<&pdf::Span> = None;
        for span in page.spans.iter().filter(|s| s.y >= setup.margin_top) {
            if n == 0
                && footer_top.is_some_and(|top| span.y > top)
                && span.y < setup.height
                && span.x1 <= right
            {
                footer_text.push(' ');
                footer_text.push_str(&span.text);
                continue;
            }
            if span.y > bottom || span.x1 > right || span.x0 < setup.margin_left - 0.5 {
                return Err(format!(
                    "page {}: {:?} is drawn outside the text block (baseline {:.1} mm, x {:.1}–{:.1} mm)",
                    n + 1,
                    span.text,
                    span.y,
                    span.x0,
                    span.x1
                ));
            }
            let joined = last.is_some_and(|l| {
                (l.y - span.y).abs() < 0.3 && (span.x0 - l.x1).abs() < 0.1 * span.size * pdf::PT
            });
            if !joined {
                text.push(' ');
            }
            text.push_str(&span.text);
            last = Some(span);
        }
    }
    let footer_words: Vec<String> = setup
        .first_page_footer
        .iter()
        .flat_map(|f| f.paras.iter())
        .flat_map(|p| words(&p.text()))
        .collect();
    // Compared without spaces: a token wider than the line is broken by characters.
    if words(&footer_text).concat() != footer_words.concat() {
        return Err(format!(
            "page 1's footer reads {:?}, the model has {:?}",
            words(&footer_text),
            footer_words
        ));
    }
    Ok((words(&text), pages.len()))
}

/// Joins the pieces of tokens the PDF broke by characters: a word the model does not have is
/// joined with the next such pieces (the rest of the token may come after another cell's
/// lines at a page break) while together they start a word it has.
fn join_pieces(pdf: Vec<String>, model: &BTreeSet<&str>) -> Vec<String> {
    let is_prefix = |s: &str| {
        model
            .range::<&str, _>((std::ops::Bound::Included(s), std::ops::Bound::Unbounded))
            .next()
            .is_some_and(|w| w.starts_with(s))
    };
    let mut words: Vec<Option<String>> = pdf.into_iter().map(Some).collect();
    for i in 0..words.len() {
        let Some(mut word) = words[i].clone() else {
            continue;
        };
        let mut j = i + 1;
        while !model.contains(word.as_str()) && j < words.len() {
            if let Some(piece) = words[j].as_deref() {
                let joined = format!("{word}{piece}");
                if !model.contains(piece) && is_prefix(&joined) {
                    word = joined;
                    words[j] = None;
                }
            }
            j += 1;
        }
        words[i] = Some(word);
    }
    words.into_iter().flatten().collect()
}

/// Checks that the DOCX and the PDF each carry every word of `doc`, in order.
pub fn check(doc: &Document, pdf_bytes: &[u8], docx_bytes: &[u8]) -> Result<Seen, String> {
    let model = model_paragraphs(doc);
    let docx = docx_paragraphs(docx_bytes);
    if docx != model {
        let at = model.iter().zip(&docx).position(|(a, b)| a != b);
        let at = at.unwrap_or(model.len().min(docx.len()));
        return Err(format!(
            "{}: the DOCX's paragraphs differ from the model's at paragraph {at} of {} ({} in the DOCX):\n  model: {:?}\n  docx:  {:?}",
            doc.kind,
            model.len(),
            docx.len(),
            model.get(at).map(|p| p.join(" ")),
            docx.get(at).map(|p| p.join(" ")),
        ));
    }
    let (pdf_raw, pages) =
        pdf_words(pdf_bytes, &doc.page).map_err(|e| format!("{}: {e}", doc.kind))?;
    let headers: Vec<String> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table(t) => Some(t.header.iter().flat_map(|p| words(&p.text()))),
            _ => None,
        })
        .flatten()
        .collect();
    let mut seen = check_pdf(&doc.kind, &model, pdf_raw, &headers)?;
    seen.pdf_pages = pages;
    Ok(seen)
}

/// Checks the PDF's words against paragraphs (the model's, or a DOCX's). Words of `repeated`
/// (a table's header row, drawn again on every page the table continues on) may be there more
/// often.
pub fn check_pdf(
    kind: &str,
    paragraphs: &[Vec<String>],
    pdf_raw: Vec<String>,
    repeated: &[String],
) -> Result<Seen, String> {
    let all: Vec<&String> = paragraphs.iter().flatten().collect();
    let vocabulary: BTreeSet<&str> = all.iter().map(|w| w.as_str()).collect();
    let pdf = join_pieces(pdf_raw, &vocabulary);
    // The same words, as many times each.
    let mut count: HashMap<&str, i64> = HashMap::new();
    for w in &all {
        *count.entry(w.as_str()).or_default() += 1;
    }
    for w in &pdf {
        *count.entry(w.as_str()).or_default() -= 1;
    }
    let mut missing: Vec<(&str, i64)> = count
        .into_iter()
        .filter(|(w, n)| *n > 0 || (*n < 0 && !repeated.iter().any(|r| r == w)))
        .collect();
    if !missing.is_empty() {
        missing.sort();
        missing.truncate(20);
        return Err(format!(
            "{kind}: the PDF's words differ from the document's ({} words there, {} in the PDF); word: missing (+) or extra (-) count: {missing:?}",
            all.len(),
            pdf.len()
        ));
    }
    // Each paragraph in reading order.
    let mut places: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, w) in pdf.iter().enumerate() {
        places.entry(w.as_str()).or_default().push(i);
    }
    for (n, para) in paragraphs.iter().enumerate() {
        let mut at: Option<usize> = None;
        for w in para {
            let next = places
                .get(w.as_str())
                .and_then(|ps| ps.iter().copied().find(|&p| at.is_none_or(|a| p > a)));
            match next {
                Some(p) => at = Some(p),
                None => {
                    return Err(format!(
                        "{kind}: paragraph {n} is out of order in the PDF at the word {w:?}: {}",
                        para.join(" ")
                    ))
                }
            }
        }
    }
    Ok(Seen {
        words: all.len(),
        pdf_pages: 0,
    })
}
