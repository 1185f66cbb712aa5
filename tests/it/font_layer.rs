//! Issue 11: one font layer on skrifa. The pages keep the exact layout of the genpdf-based
//! engine: every word of every page of the reference record, the real documents and the form
//! fixtures is where it was (its box as poppler reads it, within 0.01 pt), compared with
//! positions recorded from that engine (commit c12f0a7) in `tests/fixtures/positions/`.
//! `VANTHU_BLESS=1 cargo test --test font_layer` rewrites them (only for a deliberate layout
//! change, said in the commit).

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

/// How far a word may move, in pt.
const TOLERANCE_PT: f64 = 0.01;

fn records() -> Vec<PathBuf> {
    let mut records = vec![reference_record()];
    for dir in ["tests/fixtures/real", "tests/fixtures/forms"] {
        let mut found: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
            .expect("fixture folder")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
            .collect();
        found.sort();
        records.extend(found);
    }
    records
}

/// One line per word as poppler reads it: page, xMin, yMin, xMax, yMax (pt, as
/// `pdftotext -bbox` prints them), text.
fn words_of(pdf_path: &Path) -> Vec<String> {
    let html = run_tool(
        Command::new("pdftotext")
            .arg("-bbox")
            .arg(pdf_path)
            .arg("-"),
    );
    let mut out = Vec::new();
    let mut page = 0;
    for line in html.lines().map(str::trim) {
        if line.starts_with("<page ") {
            page += 1;
        }
        let Some(rest) = line.strip_prefix("<word ") else {
            continue;
        };
        let attr = |name: &str| {
            let at = rest.find(&format!("{name}=\"")).expect("attribute") + name.len() + 2;
            rest[at..].split('"').next().expect("value").to_string()
        };
        let text = rest
            .split_once('>')
            .and_then(|(_, t)| t.strip_suffix("</word>"))
            .expect("word text");
        let [x0, y0, x1, y1] = ["xMin", "yMin", "xMax", "yMax"].map(attr);
        out.push(format!("{page}\t{x0}\t{y0}\t{x1}\t{y1}\t{text}"));
    }
    out
}

/// The word's page and text, and its four coordinates.
fn fields(line: &str) -> ((String, String), [f64; 4]) {
    let f: Vec<&str> = line.splitn(6, '\t').collect();
    let num = |i: usize| {
        f.get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(f64::NAN)
    };
    let key = (
        f[0].to_string(),
        f.get(5).copied().unwrap_or("").to_string(),
    );
    (key, [num(1), num(2), num(3), num(4)])
}

#[test]
fn issue11_word_positions_are_those_of_the_genpdf_engine() {
    if !have("pdftotext") {
        return;
    }
    let out = tempfile::tempdir().expect("tempdir");
    let bless = std::env::var_os("VANTHU_BLESS").is_some();
    let fixtures = root().join("tests/fixtures/positions");
    let mut compared = 0;
    for record in records() {
        let stem = record.file_stem().and_then(|s| s.to_str()).expect("name");
        let dest = out.path().join(stem);
        render_ok(&record, &dest);
        let mut pdfs: Vec<PathBuf> = walk(&dest)
            .into_iter()
            .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
            .collect();
        pdfs.sort();
        for pdf_path in pdfs {
            let doc = pdf_path.file_stem().and_then(|s| s.to_str()).expect("name");
            let fixture = fixtures.join(format!("{stem}--{doc}.tsv"));
            let now = words_of(&pdf_path);
            if bless {
                std::fs::create_dir_all(&fixtures).expect("mkdir");
                std::fs::write(&fixture, now.join("\n") + "\n").expect("write fixture");
                continue;
            }
            let then = std::fs::read_to_string(&fixture)
                .unwrap_or_else(|e| panic!("{}: {e}", fixture.display()));
            let then: Vec<&str> = then.lines().collect();
            assert_eq!(then.len(), now.len(), "{stem}/{doc}: word count");
            for (a, b) in then.iter().zip(&now) {
                let ((ka, pa), (kb, pb)) = (fields(a), fields(b));
                assert_eq!(ka, kb, "{stem}/{doc}");
                assert!(
                    pa.iter()
                        .zip(pb)
                        .all(|(p, q)| (p - q).abs() <= TOLERANCE_PT),
                    "{stem}/{doc}: moved by more than 0.01 pt:\n  was {a}\n  now {b}"
                );
                compared += 1;
            }
        }
    }
    assert!(bless || compared > 7_500, "only {compared} words compared");
}

/// A `--fonts` folder's family is the one the DOCX names (it used to say Times New Roman
/// whatever the files were), and the PDF embeds those files.
#[test]
fn issue11_docx_names_the_family_of_the_fonts_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fonts = dir.path().join("fonts");
    std::fs::create_dir(&fonts).expect("mkdir");
    for face in ["Regular", "Bold", "Italic", "BoldItalic"] {
        std::fs::copy(
            root().join(format!("fonts/LiberationSerif-{face}.ttf")),
            fonts.join(format!("Office-{face}.ttf")),
        )
        .expect("copy font");
    }
    let run = |args: &[&str], out: &Path| {
        let o = bin()
            .arg("render")
            .arg(reference_record())
            .args(args)
            .arg("--out")
            .arg(out)
            .output()
            .expect("run vanthu");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        docx::part(
            &out.join("thuan-2022-11-10/tin-bai.docx"),
            "word/document.xml",
        )
    };
    let builtin = run(&[], &dir.path().join("a"));
    let folder = run(
        &["--fonts", fonts.to_str().expect("utf-8")],
        &dir.path().join("b"),
    );
    assert!(builtin.contains("w:ascii=\"Times New Roman\""), "built-in");
    assert!(
        !folder.contains("Times New Roman"),
        "--fonts still names Times New Roman"
    );
    assert!(
        folder.contains("w:ascii=\"Liberation Serif\""),
        "the folder's family (the files' name table), not the file names"
    );
}
