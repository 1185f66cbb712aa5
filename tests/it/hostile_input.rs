//! Issue 9: input a clerk or an administrator can get wrong (indented paragraphs, templates
//! that never end, damaged fonts, odd numbers) is printed as written or refused with a
//! message naming what is wrong, never a crash, a hang or a silently wrong document.
//!
//! Every test runs the real binary.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

use common::*;

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The sample record with `from` replaced by `to`, written as `dir/rec.yaml`.
fn record_with(dir: &Path, from: &str, to: &str) -> PathBuf {
    let text = std::fs::read_to_string(reference_record()).expect("sample");
    assert!(text.contains(from), "{from:?} not in the sample");
    let path = dir.join("rec.yaml");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write record");
    path
}

/// A `--templates` folder holding `files` (name, text).
fn templates(dir: &Path, files: &[(&str, &str)]) -> PathBuf {
    let tpl = dir.join("tpl");
    std::fs::create_dir_all(&tpl).expect("mkdir");
    for (name, text) in files {
        std::fs::write(tpl.join(name), text).expect("write template");
    }
    tpl
}

fn render_with(args: &[&str], record: &Path, out: &Path) -> Output {
    bin()
        .arg("render")
        .arg(record)
        .arg("--out")
        .arg(out)
        .args(args)
        .output()
        .expect("run vanthu")
}

/// `vanthu bundle` of the sample record's month with `--templates tpl`.
fn bundle_with(tpl: &Path, out: &Path) -> Output {
    bin()
        .args(["bundle", "--month", "2022-11", "--templates"])
        .arg(tpl)
        .arg("--out")
        .arg(out)
        .arg(reference_record())
        .output()
        .expect("run vanthu")
}

const NEWS_FRONT: &str = "---\nlayout: news\nheadline: TIN\nbyline: {{doc.author}}\n---\n";

#[test]
fn issue9_indented_paragraph_in_a_block_prints_as_typed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let typed = "Sản lượng lúa đạt 5.120 tấn (năm 2022), tăng 3,5% [so với] kế hoạch.";
    // A literal block whose second paragraph is indented by four more spaces and the third
    // by six: CommonMark reads both as code blocks.
    let rec = record_with(
        dir.path(),
        "  results: >-                 # kết quả đạt được (one paragraph per blank-line-separated block)\n",
        "  results: |\n",
    );
    let text = std::fs::read_to_string(&rec).expect("read");
    let last = "    giám sát, dân vận có nhiều cố gắng.\n";
    let text = text.replacen(
        last,
        &format!("{last}\n        {typed}\n\n          Kết thúc.\n"),
        1,
    );
    std::fs::write(&rec, text).expect("write");
    let out = dir.path().join("out");
    render_ok(&rec, &out);
    for doc in ["tin-bai", "thong-bao-ket-luan"] {
        let xml = docx::part(&out.join(format!("rec/{doc}.docx")), "word/document.xml");
        let paras: Vec<String> = docx::paragraphs(&xml).into_iter().map(|p| p.text).collect();
        assert!(paras.iter().any(|p| p == typed), "{doc}.docx: {paras:?}");
        assert!(
            paras.iter().any(|p| p == "Kết thúc."),
            "{doc}.docx: {paras:?}"
        );
        assert!(
            !paras.iter().any(|p| p.contains('\\')),
            "{doc}.docx: {paras:?}"
        );
        let pdf = out.join(format!("rec/{doc}.pdf"));
        let lines = pdf::body_lines(&pdf::read(&pdf));
        let pdf_text = normalise(&lines.join(" "));
        assert!(pdf_text.contains(typed), "{doc}.pdf: {pdf_text}");
        assert!(!pdf_text.contains('\\'), "{doc}.pdf: {pdf_text}");
        if have("pdftotext") {
            let text = normalise(&pdftotext_layout(&pdf));
            assert!(text.contains(typed), "{doc}.pdf (pdftotext): {text}");
            assert!(!text.contains('\\'), "{doc}.pdf (pdftotext): {text}");
        }
    }
}

/// Templates that include each other are refused when loaded, naming them, by `render`
/// and by `bundle` (which used to die of a stack overflow, SIGABRT).
#[test]
fn issue9_mutually_recursive_partials_are_refused_naming_the_templates() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tpl = templates(
        dir.path(),
        &[
            (
                "tin-bai.hbs",
                &format!("{NEWS_FRONT}Mở đầu. {{{{> vong-a}}}}\n"),
            ),
            ("vong-a.hbs", &format!("{NEWS_FRONT}A {{{{> vong-b}}}}\n")),
            ("vong-b.hbs", &format!("{NEWS_FRONT}B {{{{> vong-a}}}}\n")),
        ],
    );
    let tpl_arg = tpl.to_str().expect("utf-8 path");
    let o = render_with(
        &["--templates", tpl_arg],
        &reference_record(),
        &dir.path().join("out"),
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("includes itself through partials"), "{err}");
    let cycle = |err: &str| {
        err.contains("vong-a → vong-b → vong-a") || err.contains("vong-b → vong-a → vong-b")
    };
    assert!(cycle(&err), "{err}");
    let o = bundle_with(&tpl, &dir.path().join("bundles"));
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(cycle(&err), "{err}");
}

/// A thousand nested blocks overflowed a render thread's stack in `bundle` (SIGABRT, the
/// whole run lost); now the template is refused when loaded, naming it.
#[test]
fn issue9_deeply_nested_blocks_are_refused_naming_the_template_not_a_stack_overflow() {
    let dir = tempfile::tempdir().expect("tempdir");
    let n = 1000;
    let body = format!(
        "{NEWS_FRONT}{}x{}\n",
        "{{#if session.topic}}".repeat(n),
        "{{/if}}".repeat(n)
    );
    let tpl = templates(dir.path(), &[("tin-bai.hbs", &body)]);
    let o = bundle_with(&tpl, &dir.path().join("bundles"));
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("template `tin-bai`"), "{err}");
    assert!(err.contains("nest 1000 levels deep"), "{err}");
}

/// Ten nested `#each` used to run past 60 s and 1.5 GB; the output cap stops it in
/// seconds with an error naming the template.
#[test]
fn issue9_nested_each_stops_at_the_output_cap_naming_the_template() {
    let dir = tempfile::tempdir().expect("tempdir");
    let open = "{{#each @root.session.attendees}}".repeat(9);
    let close = "{{/each}}".repeat(9);
    let body = format!(
        "{NEWS_FRONT}{{{{#each session.attendees}}}}{open}{{{{@root.session.results}}}}\n{close}{{{{/each}}}}\n"
    );
    let tpl = templates(dir.path(), &[("tin-bai.hbs", &body)]);
    let start = Instant::now();
    let o = render_with(
        &["--templates", tpl.to_str().expect("utf-8")],
        &reference_record(),
        &dir.path().join("out"),
    );
    let took = start.elapsed();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("template `tin-bai`"), "{err}");
    assert!(err.contains("passed 16 MiB"), "{err}");
    assert!(took < Duration::from_secs(30), "took {took:?}");
    assert!(!dir.path().join("out/thuan-2022-11-10/tin-bai.pdf").exists());
}

#[test]
fn issue9_inc_past_the_largest_number_is_an_error_naming_the_template() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tpl = templates(
        dir.path(),
        &[(
            "tin-bai.hbs",
            &format!("{NEWS_FRONT}Số {{{{inc 18446744073709551615}}}}.\n"),
        )],
    );
    let o = render_with(
        &["--templates", tpl.to_str().expect("utf-8")],
        &reference_record(),
        &dir.path().join("out"),
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("template `tin-bai`"), "{err}");
    assert!(
        err.contains("`inc 18446744073709551615`: the result is too large"),
        "{err}"
    );
}

#[test]
fn issue9_template_with_a_byte_order_mark_is_accepted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let body = format!("\u{feff}{NEWS_FRONT}Bản tin có BOM về {{{{session.topic}}}}.\n");
    let tpl = templates(dir.path(), &[("tin-bai.hbs", &body)]);
    let out = dir.path().join("out");
    let o = render_with(
        &["--templates", tpl.to_str().expect("utf-8")],
        &reference_record(),
        &out,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let xml = docx::part(
        &out.join("thuan-2022-11-10/tin-bai.docx"),
        "word/document.xml",
    );
    let paras: Vec<String> = docx::paragraphs(&xml).into_iter().map(|p| p.text).collect();
    assert!(
        paras
            .iter()
            .any(|p| p == "Bản tin có BOM về tình hình triển khai thực hiện nhiệm vụ năm 2022."),
        "{paras:?}"
    );
}

#[test]
fn issue9_templates_with_invalid_names_are_named_in_a_warning() {
    let dir = tempfile::tempdir().expect("tempdir");
    let body = format!("{NEWS_FRONT}x\n");
    let tpl = templates(
        dir.path(),
        &[
            ("Bien Ban.hbs", &body),
            ("TIN-BAI.hbs", &body),
            ("ghi-chu.hbs", &body),
        ],
    );
    let o = render_with(
        &["--templates", tpl.to_str().expect("utf-8")],
        &reference_record(),
        &dir.path().join("out"),
    );
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    for name in ["Bien Ban.hbs", "TIN-BAI.hbs"] {
        assert!(
            err.lines()
                .any(|l| l.contains("warning") && l.contains(name) && l.contains("ignored")),
            "{name}: {err}"
        );
    }
    assert!(!err.contains("ghi-chu.hbs"), "{err}");
}

#[test]
fn issue9_truncated_font_is_refused_naming_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fonts = dir.path().join("fonts");
    std::fs::create_dir(&fonts).expect("mkdir");
    for face in ["Regular", "Bold", "Italic", "BoldItalic"] {
        let bytes =
            std::fs::read(root().join(format!("fonts/LiberationSerif-{face}.ttf"))).expect("font");
        let kept = if face == "Italic" {
            &bytes[..bytes.len() / 2]
        } else {
            &bytes[..]
        };
        std::fs::write(fonts.join(format!("Office-{face}.ttf")), kept).expect("write font");
    }
    let out = dir.path().join("out");
    let o = render_with(
        &["--fonts", fonts.to_str().expect("utf-8")],
        &reference_record(),
        &out,
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("Office-Italic.ttf"), "{err}");
    assert!(err.contains("truncated"), "{err}");
    assert!(!err.contains("cannot be printed"), "{err}");
    assert!(!out.exists());
}

#[test]
fn issue9_source_date_epoch_out_of_range_is_a_usage_error_naming_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    for value in ["-99999999999", "-1", "253402300800"] {
        let out = dir.path().join(format!("out{value}"));
        let o = bin()
            .env("SOURCE_DATE_EPOCH", value)
            .arg("render")
            .arg(reference_record())
            .arg("--out")
            .arg(&out)
            .output()
            .expect("run vanthu");
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{value}: {err}");
        assert!(
            err.contains(&format!("SOURCE_DATE_EPOCH=`{value}`")),
            "{err}"
        );
        assert!(!out.exists(), "{value}");
    }
}

/// The monthly report's cap counts one session's iteration at a time (a month of normal
/// sessions may write far more in all), and names the report template.
#[test]
fn issue9_nested_each_in_the_monthly_report_stops_at_the_cap_per_session() {
    let dir = tempfile::tempdir().expect("tempdir");
    let report = std::fs::read_to_string(root().join("templates/bao-cao-thang.hbs"))
        .expect("built-in report");
    let loop_start = "{{#each_session}}\n\n**2.";
    assert!(report.contains(loop_start), "the report changed: {report}");
    let nested = format!(
        "{{{{#each_session}}}}\n{{{{#with this as |s|}}}}{}{{{{s.results}}}}\n{}{{{{/with}}}}\n\n**2.",
        "{{#each s.attendees}}".repeat(10),
        "{{/each}}".repeat(10)
    );
    let tpl = templates(
        dir.path(),
        &[(
            "bao-cao-thang.hbs",
            &report.replacen(loop_start, &nested, 1),
        )],
    );
    let start = Instant::now();
    let o = bundle_with(&tpl, &dir.path().join("bundles"));
    let err = stderr(&o);
    assert_ne!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("template `bao-cao-thang`"), "{err}");
    assert!(
        err.contains("the output of one session passed 16 MiB"),
        "{err}"
    );
    assert!(
        start.elapsed() < Duration::from_secs(30),
        "{:?}",
        start.elapsed()
    );
}
