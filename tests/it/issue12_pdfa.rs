//! Issue 12: `--pdfa` writes PDF/A-2b. veraPDF is not available offline, so the rules of
//! ISO 19005-2 that a file of ours could break are listed below as data ([`RULES`]: the
//! clause and test number as veraPDF's PDF/A-2 profile names them, what the rule asks, and a
//! check that reads the file back: the raw bytes for the file structure, lopdf for the
//! objects, quick-xml for the XMP packet, skrifa for the embedded font programs). Every
//! document kind of both profiles is checked, with and without `--signing-fields`, and the
//! monthly report of a bundle; `qpdf --check` must also find nothing (skipped loudly without
//! qpdf, failing under `VANTHU_REQUIRE_TOOLS=1`).
//!
//! Not checked, because nothing in the renderer can produce it: images and their
//! `/Alternates`, `/Interpolate`; transparency groups and blend modes; optional content;
//! embedded files; Type 1/3 and simple TrueType fonts (all our fonts are CID fonts); the
//! stream `/Length` against the bytes and the cross-reference offsets (qpdf checks both).
//! The ICC profile's content (its curves and colorants) is checked by a unit test in
//! `src/render/pdf/archive.rs`; here only its header.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use lopdf::Document;

use crate::common::{self, bin, have, root};
use crate::issue12_fields::{fields, models, records, render_with};

mod fonts;
mod metadata;
mod structure;

use fonts::*;
use metadata::*;
use structure::*;

/// A PDF under test: its bytes and the objects lopdf reads from them.
pub struct Pdf {
    pub bytes: Vec<u8>,
    pub doc: Document,
}

/// One rule: its id (ISO 19005-2 clause and veraPDF test number), what it asks, the check.
pub struct Rule {
    pub id: &'static str,
    pub asks: &'static str,
    pub check: fn(&Pdf) -> Result<(), String>,
}

pub const RULES: &[Rule] = &[
    Rule {
        id: "6.1.2-1",
        asks: "the file starts with %PDF-1.n",
        check: header,
    },
    Rule {
        id: "6.1.2-2",
        asks: "a comment of four bytes > 127 follows the header",
        check: binary_comment,
    },
    Rule {
        id: "6.1.3-1",
        asks: "the trailer has an /ID",
        check: trailer_id,
    },
    Rule {
        id: "6.1.3-2",
        asks: "no /Encrypt in the trailer",
        check: no_encryption,
    },
    Rule {
        id: "6.1.3-3",
        asks: "nothing after %%EOF but one end of line",
        check: nothing_after_eof,
    },
    Rule {
        id: "6.1.7.1-2",
        asks: "no stream has /F, /FFilter or /FDecodeParms",
        check: no_external_streams,
    },
    Rule {
        id: "6.1.7.2-1",
        asks: "no LZWDecode (only FlateDecode is used)",
        check: only_flate,
    },
    Rule {
        id: "6.1.13-7",
        asks: "at most 8,388,607 indirect objects",
        check: object_count,
    },
    Rule {
        id: "6.2.2-1",
        asks: "one PDF/A output intent (/S /GTS_PDFA1)",
        check: output_intent,
    },
    Rule {
        id: "6.2.3-2",
        asks: "its profile is a valid ICC v2-4 mntr/prtr RGB profile, /N 3",
        check: output_profile,
    },
    Rule {
        id: "6.2.4.3-4",
        asks: "no CMYK device colour with an RGB output intent",
        check: no_cmyk,
    },
    Rule {
        id: "6.2.5-2",
        asks: "no transfer functions (/TR, /TR2 other than Default)",
        check: no_transfer_functions,
    },
    Rule {
        id: "6.2.9-1",
        asks: "form XObjects have no /OPI, /Ref, /Subtype2 /PS; no PostScript XObjects",
        check: plain_form_xobjects,
    },
    Rule {
        id: "6.2.11.3.1-1",
        asks: "Type0 fonts use Identity-H with an Adobe-Identity CIDFont",
        check: cid_system_info,
    },
    Rule {
        id: "6.2.11.3.2-1",
        asks: "every CIDFontType2 has /CIDToGIDMap /Identity or a stream",
        check: cid_to_gid_map,
    },
    Rule {
        id: "6.2.11.4.1-1",
        asks: "every font program is embedded (/FontFile2)",
        check: fonts_embedded,
    },
    Rule {
        id: "6.2.11.4.2-2",
        asks: "no /CIDSet (allowed: it is left out, never incomplete)",
        check: no_cid_set,
    },
    Rule {
        id: "6.2.11.5-1",
        asks: "/W widths match the embedded program within 1/1000 em",
        check: widths_match,
    },
    Rule {
        id: "6.2.11.8-1",
        asks: "no text shows CID 0 (.notdef)",
        check: no_notdef,
    },
    Rule {
        id: "6.3.1-1",
        asks: "annotations are of allowed types (Widget)",
        check: annotation_types,
    },
    Rule {
        id: "6.3.2-1",
        asks: "annotations print and are not hidden (/F 4)",
        check: annotation_flags,
    },
    Rule {
        id: "6.3.3-1",
        asks: "every annotation has /AP holding only /N",
        check: annotation_appearance,
    },
    Rule {
        id: "6.4.1-1",
        asks: "widgets have no /A or /AA; the form no NeedAppearances, XFA",
        check: form_without_actions,
    },
    Rule {
        id: "6.5.1-1",
        asks: "no JavaScript and no additional actions in the catalog",
        check: no_javascript,
    },
    Rule {
        id: "6.6.2.1-1",
        asks: "the catalog's /Metadata is an XML stream, a well-formed XMP packet",
        check: metadata_stream,
    },
    Rule {
        id: "6.6.2.3.1-1",
        asks: "Info /Title, /Producer, dates equal the XMP's",
        check: info_matches_xmp,
    },
    Rule {
        id: "6.6.4-1",
        asks: "pdfaid:part 2 and pdfaid:conformance B",
        check: pdfa_identification,
    },
];

pub fn ensure(ok: bool, why: impl FnOnce() -> String) -> Result<(), String> {
    if ok {
        Ok(())
    } else {
        Err(why())
    }
}

/// Every rule on `pdf`; the failures, each naming the rule.
pub fn failures(pdf: &Path) -> Vec<String> {
    let bytes = std::fs::read(pdf).unwrap();
    let doc = Document::load_mem(&bytes).unwrap();
    let p = Pdf { bytes, doc };
    RULES
        .iter()
        .filter_map(|r| {
            (r.check)(&p)
                .err()
                .map(|e| format!("{pdf:?}: {} ({}): {e}", r.id, r.asks))
        })
        .collect()
}

fn qpdf_clean(pdf: &Path) {
    let o = Command::new("qpdf")
        .arg("--check")
        .arg(pdf)
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success() && out.contains("No syntax or stream encoding errors"),
        "qpdf --check {pdf:?}: {out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

fn pdfs(dir: &Path) -> Vec<PathBuf> {
    let mut all: Vec<PathBuf> = common::walk(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    all.sort();
    all
}

#[test]
fn issue12_pdfa_rules_hold_for_every_kind_with_and_without_fields() {
    let tmp = tempfile::tempdir().unwrap();
    let records = records();
    let qpdf = have("qpdf");
    let kinds: BTreeSet<String> = models(&records).into_iter().map(|(_, m)| m.kind).collect();
    for (name, flags) in [
        ("a", vec!["--pdfa"]),
        ("af", vec!["--pdfa", "--signing-fields"]),
    ] {
        let out = tmp.path().join(name);
        render_with(&records, &out, &flags);
        let files = pdfs(&out);
        let seen: BTreeSet<String> = files
            .iter()
            .map(|f| f.file_stem().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(seen, kinds, "every kind rendered");
        let mut with_fields = 0;
        for pdf in &files {
            let bad = failures(pdf);
            assert!(bad.is_empty(), "{}", bad.join("\n"));
            if qpdf {
                qpdf_clean(pdf);
            }
            with_fields += usize::from(!fields(&Document::load(pdf).unwrap()).is_empty());
        }
        assert_eq!(with_fields > 0, flags.contains(&"--signing-fields"));
    }
}

#[test]
fn issue12_the_rules_catch_a_plain_pdf_and_a_broken_ending() {
    let tmp = tempfile::tempdir().unwrap();
    render_with(&[common::reference_record()], tmp.path(), &[]);
    let plain = tmp.path().join("thuan-2022-11-10/thong-bao-ket-luan.pdf");
    let bad = failures(&plain).join("\n");
    for id in ["6.2.2-1", "6.6.2.1-1", "6.6.4-1"] {
        assert!(
            bad.contains(&format!(": {id} (")),
            "{id} fails on a plain PDF:\n{bad}"
        );
    }
    let pdfa = tmp.path().join("a");
    render_with(&[common::reference_record()], &pdfa, &["--pdfa"]);
    let file = pdfa.join("thuan-2022-11-10/thong-bao-ket-luan.pdf");
    let mut bytes = std::fs::read(&file).unwrap();
    bytes.extend_from_slice(b"junk\n");
    std::fs::write(&file, &bytes).unwrap();
    let bad = failures(&file).join("\n");
    assert!(bad.contains("6.1.3-3"), "{bad}");
}

#[test]
fn issue12_pdfa_without_a_glyph_is_refused_naming_the_character() {
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(common::reference_record()).unwrap();
    // A character no built-in face has, in the notice's text.
    let text = text.replacen("Thuận", "Thuận \u{1F600}", 1);
    let record = tmp.path().join("emoji.yaml");
    std::fs::write(&record, text).unwrap();
    let o = bin()
        .args(["render", "--pdfa", "--out"])
        .arg(tmp.path().join("out"))
        .arg(&record)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    // The record's check refuses it first; the renderer's own refusal (FontUse::missing)
    // is the second line of defence, unit-tested in render/pdf/embed.rs.
    assert!(err.contains("U+1F600"), "{err}");
    assert!(!tmp.path().join("out/emoji").exists(), "nothing written");
}

#[test]
fn issue12_a_bundle_with_pdfa_and_fields_reaches_the_report_and_reruns_on_a_flag_change() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("b");
    let bundle = |flags: &[&str]| {
        let o = bin()
            .arg("bundle")
            .arg(root().join("tests/fixtures/month-2022-11"))
            .args(["--month", "2022-11", "--out"])
            .arg(&out)
            .args(flags)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    bundle(&[]);
    let report = pdfs(&out)
        .into_iter()
        .find(|p| p.to_string_lossy().contains("bao-cao-thang"))
        .expect("the monthly report");
    assert!(!failures(&report).is_empty(), "a plain bundle is not PDF/A");
    bundle(&["--pdfa", "--signing-fields"]);
    let qpdf = have("qpdf");
    for pdf in pdfs(&out) {
        let bad = failures(&pdf);
        assert!(bad.is_empty(), "{}", bad.join("\n"));
        if qpdf {
            qpdf_clean(&pdf);
        }
    }
    // The report has no signer: only the electronic field.
    let names: Vec<String> = fields(&Document::load(&report).unwrap())
        .into_iter()
        .map(|f| f.name)
        .collect();
    assert_eq!(names, ["electronic"]);
}

#[test]
fn issue12_pdfa_dates_follow_source_date_epoch_and_the_bytes_repeat() {
    let tmp = tempfile::tempdir().unwrap();
    let run = |out: &str| {
        let o = bin()
            .env("SOURCE_DATE_EPOCH", "1668038400")
            .args(["render", "--pdfa", "--signing-fields", "--out"])
            .arg(tmp.path().join(out))
            .arg(common::reference_record())
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        std::fs::read(
            tmp.path()
                .join(out)
                .join("thuan-2022-11-10/thong-bao-ket-luan.pdf"),
        )
        .unwrap()
    };
    let (a, b) = (run("a"), run("b"));
    assert_eq!(a, b, "the same input and epoch give the same bytes");
    let pdf = tmp.path().join("a/thuan-2022-11-10/thong-bao-ket-luan.pdf");
    assert!(failures(&pdf).is_empty(), "{:?}", failures(&pdf));
    let doc = Document::load_mem(&a).unwrap();
    let p = Pdf { bytes: a, doc };
    let x = xmp(&p).unwrap();
    assert!(
        x.contains("<xmp:CreateDate>2022-11-10T00:00:00Z</xmp:CreateDate>"),
        "{x}"
    );
    assert_eq!(info_string(&p, b"ModDate").unwrap(), "D:20221110000000Z");
}
