//! Issue 5: bad input never passes quietly.
//!
//! `tests/fixtures/bad/<case>.yaml` is a record with one mistake; `<case>.expected` says what
//! a clerk must be told:
//!
//! ```text
//! exit: 1                         # the exit code of `vanthu check` on that file alone
//! severity: error                 # error | warning (the first diagnostic)
//! at: <case>.yaml:LINE:COL        # exactly, from the `-->` line
//! field: session.chair.titles     # the field path (empty: the whole file)
//! says: …                         # words that must appear in the message or the hint (any number)
//! ```
//!
//! Every test runs the real binary, as a clerk would.

use crate::common::walk;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use unicode_normalization::UnicodeNormalization;

const BIN: &str = env!("CARGO_BIN_EXE_vanthu");

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn bad_dir() -> PathBuf {
    root().join("tests/fixtures/bad")
}

fn good_record() -> PathBuf {
    root().join("input/thuan-2022-11-10.yaml")
}

/// Runs vanthu in `cwd` with the repository's paths made relative where possible, so the
/// `-->` lines are stable.
fn vanthu(cwd: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .env("SOURCE_DATE_EPOCH", "0")
        .output()
        .expect("run vanthu")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[derive(Debug)]
struct Expected {
    case: String,
    exit: i32,
    severity: String,
    at: String,
    field: String,
    says: Vec<String>,
}

fn expectations() -> Vec<Expected> {
    let mut cases: BTreeMap<String, Option<Expected>> = BTreeMap::new();
    for entry in std::fs::read_dir(bad_dir()).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        match path.extension().and_then(|e| e.to_str()) {
            Some("yaml") => {
                cases.entry(stem).or_insert(None);
            }
            Some("expected") => {
                let text = std::fs::read_to_string(&path).unwrap();
                let mut e = Expected {
                    case: stem.clone(),
                    exit: 1,
                    severity: "error".into(),
                    at: String::new(),
                    field: String::new(),
                    says: Vec::new(),
                };
                for line in text.lines() {
                    let (k, v) = line.split_once(':').unwrap_or((line, ""));
                    let v = v.trim().to_string();
                    match k {
                        "exit" => e.exit = v.parse().unwrap(),
                        "severity" => e.severity = v,
                        "at" => e.at = v,
                        "field" => e.field = v,
                        "says" => e.says.push(v),
                        other => panic!("{}: unknown key `{other}`", path.display()),
                    }
                }
                assert!(
                    path.with_extension("yaml").exists(),
                    "{} has no record",
                    path.display()
                );
                cases.insert(stem, Some(e));
            }
            _ => {}
        }
    }
    cases
        .into_iter()
        .map(|(stem, e)| e.unwrap_or_else(|| panic!("{stem}.yaml has no {stem}.expected")))
        .collect()
}

/// Checks the first diagnostic printed for `e`'s record in `err` (which may hold the output
/// for several files); returns the problems found.
fn problems(e: &Expected, err: &str) -> Vec<String> {
    let mut out = Vec::new();
    let arrow = format!("--> tests/fixtures/bad/{}", e.at);
    // The block of this record's first diagnostic: from its header to the blank line.
    let Some(pos) = err.find(&format!("{arrow}\n")) else {
        out.push(format!("no `{arrow}` line"));
        return out;
    };
    let start = err[..pos].rfind("\n\n").map_or(0, |i| i + 2);
    let end = err[pos..].find("\n\n").map_or(err.len(), |i| pos + i);
    let block = &err[start..end];
    if !block.starts_with(&format!("{}: ", e.severity)) {
        out.push(format!("not a {}: {block}", e.severity));
    }
    let header = block.lines().next().unwrap_or("");
    if e.field.is_empty() {
        if header.contains("(field `") {
            out.push(format!("a field where none was expected: {header}"));
        }
    } else if !header.contains(&format!("(field `{}`)", e.field)) {
        out.push(format!("field `{}` not named in: {header}", e.field));
    }
    for w in &e.says {
        if !block.contains(w.as_str()) {
            out.push(format!("does not say `{w}`"));
        }
    }
    if !block.contains("= hint: ") {
        out.push("no hint".into());
    }
    // The source line with a marker, unless the file has no line to show (empty file).
    let line: usize = e.at.split(':').nth(1).unwrap().parse().unwrap();
    let shown = block.lines().any(|l| l.starts_with(&format!("{line} | ")));
    let source = std::fs::read(bad_dir().join(format!("{}.yaml", e.case))).unwrap();
    let has_line = String::from_utf8_lossy(&source).lines().count() >= line;
    if has_line && (!shown || !block.contains("^")) {
        out.push("no source line with a marker".into());
    }
    if !out.is_empty() {
        out.push(format!("printed:\n{block}"));
    }
    out
}

#[test]
fn issue5_every_bad_fixture_is_refused_with_its_exact_place_field_and_hint() {
    let cases = expectations();
    assert!(cases.len() >= 30, "only {} cases", cases.len());
    let failures: Vec<String> = cases.iter().flat_map(failures_of).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Runs `vanthu check` on the fixture of `e` and returns what differs from `e`.
fn failures_of(e: &Expected) -> Vec<String> {
    let rel = format!("tests/fixtures/bad/{}.yaml", e.case);
    let o = vanthu(&root(), &["check", &rel]);
    let err = stderr(&o);
    if o.status.code() != Some(e.exit) {
        return vec![format!(
            "{}: exit {:?}, expected {}\n{err}",
            e.case,
            o.status.code(),
            e.exit
        )];
    }
    problems(e, &err)
        .into_iter()
        .map(|p| format!("{}: {p}", e.case))
        .collect()
}

/// The fixtures named `names` checked against their `.expected` files.
fn check_fixtures(names: &[&str]) {
    let cases: Vec<Expected> = expectations()
        .into_iter()
        .filter(|e| names.contains(&e.case.as_str()))
        .collect();
    assert_eq!(cases.len(), names.len(), "fixtures missing: {names:?}");
    let failures: Vec<String> = cases.iter().flat_map(failures_of).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Issue 9: CR-only line ends were "the file is empty"; `0245` and `!!str 245` were told to
/// "write digits only"; `- Nhiệm vụ 1: …` was told to write the value on the key's line.
#[test]
fn issue9_misleading_messages_say_what_is_wrong_and_how_to_fix_it() {
    check_fixtures(&[
        "cr-line-ends",
        "number-leading-zero",
        "number-str-tag",
        "item-with-colon",
    ]);
}

/// Issue 9: a `!!binary` value was decoded silently into text nobody can read in the file.
#[test]
fn issue9_binary_tagged_value_is_refused_with_its_line_and_field() {
    check_fixtures(&["binary-value"]);
}

/// `render` over every bad fixture and the sample record at once: each bad record is
/// reported and has no output at all; the warning-only record and the sample are rendered;
/// nothing is written anywhere but `--out`, whatever the template names say.
#[test]
fn issue5_render_batch_goes_on_and_writes_nothing_for_a_bad_record() {
    let work = tempfile::tempdir().unwrap();
    let cwd = work.path().join("cwd");
    std::fs::create_dir(&cwd).unwrap();
    let out = work.path().join("out");
    let bad = bad_dir();
    let o = vanthu(
        &cwd,
        &[
            "render",
            bad.to_str().unwrap(),
            good_record().to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    let cases = expectations();
    let mut failures = Vec::new();
    for e in &cases {
        let dir = out.join(&e.case);
        let arrow = format!("{}.yaml:{}", e.case, e.at.split_once(':').unwrap().1);
        if !err.contains(&arrow) {
            failures.push(format!("{}: `{arrow}` not reported by render", e.case));
        }
        match e.exit {
            1 => {
                if dir.exists() {
                    failures.push(format!("{}: output written: {}", e.case, dir.display()));
                }
            }
            _ => {
                for f in [
                    "tin-bai.pdf",
                    "tin-bai.docx",
                    "thong-bao-ket-luan.pdf",
                    "thong-bao-ket-luan.docx",
                ] {
                    if !dir.join(f).is_file() {
                        failures.push(format!("{}: {f} missing (warnings only)", e.case));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}\n\n{err}", failures.join("\n"));
    // The good record in the same run was rendered, in full.
    let good = out.join("thuan-2022-11-10");
    for f in [
        "tin-bai.pdf",
        "tin-bai.docx",
        "thong-bao-ket-luan.pdf",
        "thong-bao-ket-luan.docx",
    ] {
        let bytes = std::fs::read(good.join(f)).unwrap_or_default();
        assert!(bytes.len() > 1000, "{f} not rendered\n{err}");
    }
    // Nothing outside --out: the working folder and the temp root hold nothing else, and
    // `../../etc/passwd` led nowhere.
    let stray: Vec<PathBuf> = walk(work.path())
        .into_iter()
        .filter(|p| !p.starts_with(&out))
        .collect();
    assert!(stray.is_empty(), "written outside --out: {stray:?}");
    let escaped: Vec<PathBuf> = walk(&out)
        .into_iter()
        .filter(|p| {
            p.components()
                .any(|c| c.as_os_str() == "etc" || c.as_os_str() == "..")
        })
        .collect();
    assert!(escaped.is_empty(), "{escaped:?}");
    assert!(!Path::new("/etc/passwd.pdf").exists() && !Path::new("/etc/passwd.docx").exists());
    // The summary counts the outcome.
    let failed = cases.iter().filter(|e| e.exit == 1).count();
    assert!(
        err.contains(&format!("{failed} failed")),
        "summary should count {failed} failed records:\n{}",
        err.lines().last().unwrap_or("")
    );
}

/// `check` over the whole folder reports a problem for every bad file (not only the first
/// one of the run) and exits 1; warnings are counted apart from errors.
#[test]
fn issue5_check_reports_every_problem_in_every_file() {
    let cases = expectations();
    let o = vanthu(&root(), &["check", "tests/fixtures/bad"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    let failures: Vec<String> = cases
        .iter()
        .flat_map(|e| {
            problems(e, &err)
                .into_iter()
                .map(|p| format!("{}: {p}", e.case))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    let errors = cases.iter().filter(|e| e.exit == 1).count();
    let valid = cases.len() - errors;
    let summary = err.lines().last().unwrap_or("");
    assert!(
        summary.contains(&format!("{valid} record(s) valid"))
            && summary.contains(&format!("{errors} with errors"))
            && summary.contains("warning"),
        "{summary}"
    );
    // Every rule error of one record is reported, not only the first.
    let work = tempfile::tempdir().unwrap();
    let src = std::fs::read_to_string(bad_dir().join("state-prefix-in-party.yaml"))
        .unwrap()
        .replace("    date: 2022-11-14", "    date: 2022-11-01")
        .replace("    number: 245", "    number: 0");
    let file = work.path().join("three-mistakes.yaml");
    std::fs::write(&file, src).unwrap();
    let o = vanthu(work.path(), &["check", "three-mistakes.yaml"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1));
    for (at, what) in [
        ("three-mistakes.yaml:36:11", "before the session"),
        ("three-mistakes.yaml:35:13", "document number 0"),
        ("three-mistakes.yaml:38:18", "State prefix"),
    ] {
        assert!(
            err.contains(at) && err.contains(what),
            "{at} {what}:\n{err}"
        );
    }
}

#[test]
fn issue5_a_file_over_the_cap_is_refused_before_parsing() {
    let work = tempfile::tempdir().unwrap();
    let mut big = std::fs::read_to_string(good_record()).unwrap();
    while big.len() <= 1024 * 1024 {
        big.push_str("# đệm cho đủ lớn: một dòng chú thích dài để vượt giới hạn một mebibyte\n");
    }
    std::fs::write(work.path().join("big.yaml"), &big).unwrap();
    let t = Instant::now();
    let o = vanthu(work.path(), &["check", "big.yaml"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("big.yaml") && err.contains("limited to 1048576 bytes"),
        "{err}"
    );
    // Refused before parsing: a guard against reading the whole file, not a timing.
    assert!(t.elapsed() < Duration::from_secs(30));
}

/// Alias bombs and deep nesting are refused by the parser's budget, fast, whatever the
/// target type: here with the record and with `serde_json::Value`, which would accept any
/// shape (so only the budget stops them).
#[test]
fn issue5_alias_bomb_and_deep_nesting_are_refused_fast() {
    use vanthu::internals::{load_bytes, yaml_options};

    let bomb = {
        let mut s = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for i in 1..10 {
            let refs = vec![format!("*a{}", i - 1); 9].join(", ");
            s.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        s
    };
    let deep_flow = format!("{}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let deep_block = format!("{}x\n", "- ".repeat(100_000));
    let deep_map: String = (0..1_000)
        .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
        .collect();

    let mut report = Vec::new();
    for (name, text) in [
        ("9-level alias bomb", bomb.as_str()),
        ("100,000-deep flow list", deep_flow.as_str()),
        ("100,000-deep block list", deep_block.as_str()),
        ("1,000-deep mapping", deep_map.as_str()),
    ] {
        // As a record (what vanthu does).
        let t = Instant::now();
        let r = load_bytes(Path::new("x.yaml"), text.as_bytes());
        let as_record = t.elapsed();
        let diags = r.expect_err(name);
        assert!(diags.iter().any(|d| d.is_error()), "{name}");
        // As any value: only the budget stands in the way.
        let t = Instant::now();
        let any: Result<serde_json::Value, _> =
            serde_saphyr::from_str_with_options(text, yaml_options());
        let as_value = t.elapsed();
        let e = any.expect_err(name).to_string();
        assert!(
            e.contains("budget")
                || e.contains("limit")
                || e.contains("depth")
                || e.contains("alias")
                || e.contains("recursion"),
            "{name}: {e}"
        );
        report.push(format!(
            "{name}: refused in {as_record:?} as a record, {as_value:?} as any value ({})",
            e.lines().next().unwrap_or("")
        ));
        // A guard against a blow-up (an expanded bomb runs for minutes or exhausts memory),
        // not a speed measurement: generous, so a loaded CI machine does not fail it. The
        // times are in the report; speed belongs to the benchmarks.
        assert!(
            as_record < Duration::from_secs(10) && as_value < Duration::from_secs(10),
            "{name} took {as_record:?} / {as_value:?}"
        );
    }
    eprintln!("{}", report.join("\n"));

    // The message a clerk gets for nesting.
    let nested = format!("session:\n  attendees: {}\n", "[".repeat(50));
    let d = load_bytes(Path::new("x.yaml"), nested.as_bytes()).unwrap_err();
    assert!(d[0].message.contains("nests deeper than"), "{}", d[0]);
}

/// Issue 5, §4: decomposed (NFD) input comes out composed (NFC), in the PDF text and in the
/// DOCX XML.
#[test]
fn issue5_nfd_input_renders_as_nfc() {
    let nfc = std::fs::read_to_string(good_record()).unwrap();
    let nfd: String = nfc.nfd().collect();
    assert_ne!(nfd, nfc, "the sample must have composed letters");
    let work = tempfile::tempdir().unwrap();
    std::fs::write(work.path().join("nfd.yaml"), &nfd).unwrap();
    let o = vanthu(work.path(), &["render", "nfd.yaml", "--out", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let phrase = "Đảng ủy xã Thuận";
    let phrase_nfd: String = phrase.nfd().collect();
    assert_ne!(phrase, phrase_nfd);

    // DOCX: the document XML holds the composed text.
    let docx = std::fs::File::open(work.path().join("out/nfd/tin-bai.docx")).unwrap();
    let mut zip = zip::ZipArchive::new(docx).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    assert!(xml.contains(phrase), "DOCX lacks the NFC text");
    assert!(!xml.contains(&phrase_nfd), "DOCX holds NFD text");

    // PDF: what a reader extracts is the composed text.
    let pdf = work.path().join("out/nfd/tin-bai.pdf");
    match Command::new("pdftotext").arg(&pdf).arg("-").output() {
        Ok(o) if o.status.success() => {
            let text = String::from_utf8_lossy(&o.stdout).replace('\n', " ");
            assert!(text.contains(phrase), "pdftotext: {text}");
            assert!(!text.contains(&phrase_nfd));
        }
        _ => {
            assert!(
                std::env::var_os("VANTHU_REQUIRE_TOOLS").is_none(),
                "pdftotext is required (VANTHU_REQUIRE_TOOLS is set)"
            );
            eprintln!(
                "SKIPPED: pdftotext (poppler-utils) is not installed; the PDF text was not checked"
            );
        }
    }
}

/// Issue 5, §3: the glyph check names the character, its code point, the field and the line.
#[test]
fn issue5_emoji_is_an_error_naming_character_code_point_field_and_line() {
    let o = vanthu(&root(), &["check", "tests/fixtures/bad/emoji.yaml"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        err.contains("`🎉` (U+1F389)")
            && err.contains("(field `session.topic`)")
            && err.contains("--> tests/fixtures/bad/emoji.yaml:13:"),
        "{err}"
    );
}

/// A usage error (a path that does not exist) is exit 2, not 1.
#[test]
fn issue5_missing_path_is_a_usage_error() {
    let o = vanthu(&root(), &["check", "tests/fixtures/bad/no-such-file.yaml"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn issue5_a_rule_error_does_not_hide_a_glyph_error_in_the_same_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rec = std::fs::read_to_string(good_record())
        .expect("sample")
        .replace("T/L BAN THƯỜNG VỤ", "TL. BAN THƯỜNG VỤ")
        .replace("name: Nguyễn Tăng", "name: Nguyễn Tăng 🎉");
    let path = dir.path().join("two-problems.yaml");
    std::fs::write(&path, rec).expect("write");
    let o = vanthu(dir.path(), &["check", "two-problems.yaml"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("U+1F389"), "{err}");
    assert!(err.contains("TL. BAN THƯỜNG VỤ"), "{err}");
}

/// Issue 10 (design §4.9): `check` knows what a template prints. A topic left as the form's
/// `…` is a warning at its line and field, naming both templates; the exit code stays 0 and
/// `render` tells the same warning and still writes the documents.
#[test]
fn issue10_check_warns_about_a_printed_placeholder_at_its_line() {
    let work = tempfile::tempdir().unwrap();
    let src = std::fs::read_to_string(good_record()).unwrap().replace(
        "topic: tình hình triển khai thực hiện nhiệm vụ năm 2022",
        "topic: …",
    );
    std::fs::write(work.path().join("r.yaml"), src).unwrap();
    let o = vanthu(work.path(), &["check", "r.yaml"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.starts_with("warning: `session.topic` looks like a placeholder copied from a form (`…`); the `tin-bai` and `thong-bao-ket-luan` templates print it (field `session.topic`)\n  --> r.yaml:15:10\n"),
        "{err}"
    );
    assert!(err.contains("0 with errors, 1 warning(s)"), "{err}");
    let o = vanthu(work.path(), &["render", "r.yaml", "--out", "out"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("--> r.yaml:15:10"), "{err}");
    assert!(work.path().join("out/r/thong-bao-ket-luan.pdf").is_file());
    // The reference record itself: nothing to warn about.
    let o = vanthu(&root(), &["check", "input/thuan-2022-11-10.yaml"]);
    assert!(stderr(&o).contains("0 warning(s)"), "{}", stderr(&o));
}
