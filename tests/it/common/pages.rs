//! Page-for-page comparison with LibreOffice: our PDF against LibreOffice's rendering of our
//! DOCX, page by page (the same page count, each page starting and ending with the same line).

use std::path::Path;

use super::{libreoffice_pdf, page_text_lines, pdf_pages};

/// The text lines of a page, via pdftotext, whitespace normalised, empty lines and the page
/// number left out.
pub fn page_lines(pdf: &Path, page: usize) -> Vec<String> {
    page_text_lines(pdf, page)
        .into_iter()
        .filter(|l| !l.chars().all(|c| c.is_ascii_digit()))
        .collect()
}

/// The first text line of a page (without its page number).
pub fn first_line(pdf: &Path, page: usize) -> String {
    page_lines(pdf, page).into_iter().next().unwrap_or_default()
}

/// The last text line of a page.
pub fn last_line(pdf: &Path, page: usize) -> String {
    page_lines(pdf, page).pop().unwrap_or_default()
}

/// Our PDF against LibreOffice's rendering of our DOCX: the same number of pages, each
/// starting and ending with the same line.
pub fn assert_same_pages_as_libreoffice(pdf: &Path, docx: &Path) {
    let lo = tempfile::tempdir().unwrap();
    let theirs = libreoffice_pdf(docx, lo.path());
    let (n, m) = (pdf_pages(pdf), pdf_pages(&theirs));
    assert_eq!(n, m, "{}: PDF {n} pages, LibreOffice {m}", pdf.display());
    for page in 1..=n {
        let (a, b) = (first_line(pdf, page), first_line(&theirs, page));
        assert_eq!(
            a, b,
            "page {page} starts differently here and in LibreOffice"
        );
        let (a, b) = (last_line(pdf, page), last_line(&theirs, page));
        assert_eq!(a, b, "page {page} ends differently here and in LibreOffice");
    }
}
