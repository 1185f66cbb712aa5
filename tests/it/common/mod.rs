//! Shared test helpers: running the binary, external tools (poppler, LibreOffice) that skip
//! loudly or, under `VANTHU_REQUIRE_TOOLS=1` (CI), fail; readers for our PDF and DOCX.

#![allow(dead_code)]

pub mod docx;
pub mod layout;
pub mod pages;
pub mod pdf;
pub mod words;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_vanthu"));
    c.env_remove("SOURCE_DATE_EPOCH");
    c
}

/// Runs `vanthu render <record> --out <out>` and returns the process output.
pub fn render(record: &Path, out: &Path) -> Output {
    let o = bin()
        .arg("render")
        .arg(record)
        .arg("--out")
        .arg(out)
        .output()
        .expect("run vanthu");
    o
}

pub fn render_ok(record: &Path, out: &Path) {
    let o = render(record, out);
    assert!(
        o.status.success(),
        "render {} failed: {}",
        record.display(),
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Is `tool` on PATH? Without it the test skips loudly, unless CI requires it.
pub fn have(tool: &str) -> bool {
    let found = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {tool}"))
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !found {
        if std::env::var("VANTHU_REQUIRE_TOOLS").is_ok_and(|v| v == "1") {
            panic!("`{tool}` is required (VANTHU_REQUIRE_TOOLS=1) but not installed");
        }
        eprintln!(
            "\n!!! SKIPPED: `{tool}` is not installed; this test did not run. \
             Install poppler-utils / libreoffice-writer-nogui, or run .ci/run.\n"
        );
    }
    found
}

pub fn run_tool(cmd: &mut Command) -> String {
    let o = cmd.output().expect("run tool");
    assert!(
        o.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn pdftotext_layout(pdf: &Path) -> String {
    run_tool(Command::new("pdftotext").arg("-layout").arg(pdf).arg("-"))
}

/// The text lines of one page (from 1) via `pdftotext -layout`, whitespace normalised, empty
/// lines left out.
pub fn page_text_lines(pdf: &Path, page: usize) -> Vec<String> {
    let page = page.to_string();
    let text = run_tool(
        Command::new("pdftotext")
            .args(["-layout", "-f", &page, "-l", &page])
            .arg(pdf)
            .arg("-"),
    );
    text.lines()
        .map(normalise)
        .filter(|l| !l.is_empty())
        .collect()
}

pub fn pdf_pages(pdf: &Path) -> usize {
    let info = run_tool(Command::new("pdfinfo").arg(pdf));
    info.lines()
        .find_map(|l| {
            l.strip_prefix("Pages:")
                .map(|n| n.trim().parse().unwrap_or(0))
        })
        .unwrap_or(0)
}

/// Converts a DOCX to PDF with LibreOffice and returns the PDF's path.
pub fn libreoffice_pdf(docx: &Path, outdir: &Path) -> PathBuf {
    let profile = outdir.join("lo-profile");
    run_tool(
        Command::new("soffice")
            .arg(format!(
                "-env:UserInstallation=file://{}",
                profile.display()
            ))
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(outdir)
            .arg(docx),
    );
    let stem = docx
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    outdir.join(format!("{stem}.pdf"))
}

/// Whitespace-normalised text: runs of whitespace become one space.
pub fn normalise(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Drops lines that hold only a page number (pdftotext prints them as lines of their own).
pub fn without_page_numbers(s: &str) -> String {
    s.lines()
        .filter(|l| !l.trim().chars().all(|c| c.is_ascii_digit()) || l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn reference_record() -> PathBuf {
    root().join("input/thuan-2022-11-10.yaml")
}

pub fn seed_text() -> String {
    let candidates = [
        root().join("../shared/seed/thuan-2022-11-10.txt"),
        root().join("tests/fixtures/seed/thuan-2022-11-10.txt"),
    ];
    for c in &candidates {
        if let Ok(s) = std::fs::read_to_string(c) {
            return s;
        }
    }
    panic!("seed text not found in {candidates:?}");
}

/// Every file under `dir`, at any depth (none if it cannot be read).
pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}
