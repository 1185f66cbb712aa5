//! `vanthu bundle` (issue 4), run as the real binary on folders of records made from the
//! reference record: month filtering, the manifest, a byte-identical zip, incremental reruns,
//! failure isolation and shards.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::Path;
use std::process::Output;
use std::time::SystemTime;

use common::*;
use serde_json::Value;
use sha2::{Digest, Sha256};

const MONTH: &str = "2022-11";

/// The reference record with its session (and notice) on `date`, notice number `number`.
fn record_on(date: &str, number: u32) -> String {
    let text = std::fs::read_to_string(reference_record()).expect("reference record");
    text.replacen("  date: 2022-11-10", &format!("  date: {date}"), 1)
        .replacen("    number: 245", &format!("    number: {number}"), 1)
        .replacen("    date: 2022-11-14", &format!("    date: {date}"), 1)
}

/// A folder of records: `name → session date`.
fn records(dir: &Path, list: &[(&str, &str)]) {
    std::fs::create_dir_all(dir).expect("mkdir");
    for (i, (name, date)) in list.iter().enumerate() {
        std::fs::write(
            dir.join(format!("{name}.yaml")),
            record_on(date, 100 + i as u32),
        )
        .expect("write record");
    }
}

fn bundle(args: &[&str], cwd: &Path) -> Output {
    bin()
        .arg("bundle")
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run vanthu bundle")
}

fn ok(o: &Output) -> String {
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(0), "bundle failed:\n{err}");
    err
}

fn manifest(dir: &Path) -> Value {
    let bytes = std::fs::read(dir.join("manifest.json")).expect("manifest.json");
    serde_json::from_slice(&bytes).expect("manifest is JSON")
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Every file under `dir`, relative, `/`-separated.
fn tree(dir: &Path) -> BTreeSet<String> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeSet<String>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(base, &p, out);
            } else if let Ok(rel) = p.strip_prefix(base) {
                out.insert(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(dir, dir, &mut out);
    out
}

fn mtimes(dir: &Path) -> BTreeMap<String, SystemTime> {
    tree(dir)
        .into_iter()
        .map(|rel| {
            let t = std::fs::metadata(dir.join(&rel))
                .and_then(|m| m.modified())
                .expect("mtime");
            (rel, t)
        })
        .collect()
}

/// The record names (file names) of a manifest's `records`.
fn record_names(m: &Value) -> BTreeSet<String> {
    m["records"]
        .as_array()
        .expect("records")
        .iter()
        .map(|r| r["file"].as_str().expect("file").to_string())
        .collect()
}

/// The summary line's `N rendered` and `N reused`.
fn counts(stderr: &str) -> (usize, usize) {
    let line = stderr
        .lines()
        .find(|l| l.starts_with("vanthu: bundle"))
        .unwrap_or_else(|| panic!("no summary line in:\n{stderr}"));
    let n = |word: &str| -> usize {
        let before = line
            .split(&format!(" {word}"))
            .next()
            .expect("word in summary");
        before
            .rsplit([' ', ':'])
            .next()
            .and_then(|x| x.parse().ok())
            .unwrap_or_else(|| panic!("no count before `{word}` in {line}"))
    };
    (n("rendered,"), n("reused"))
}

#[test]
fn issue4_bundle_holds_exactly_the_months_records_and_the_report() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = tmp.path().join("in");
    records(
        &input,
        &[
            ("a-nov-01", "2022-11-01"),
            ("b-nov-30", "2022-11-30"),
            ("c-oct-31", "2022-10-31"),
            ("d-dec-01", "2022-12-01"),
        ],
    );
    let err = ok(&bundle(
        &["in", "--month", MONTH, "--out", "out"],
        tmp.path(),
    ));
    assert!(
        err.contains("2 record(s)") && err.contains("2 in other months"),
        "{err}"
    );
    let dir = tmp.path().join("out").join(MONTH);
    let mut expected: BTreeSet<String> = ["a-nov-01", "b-nov-30"]
        .iter()
        .flat_map(|r| {
            ["tin-bai", "thong-bao-ket-luan"]
                .iter()
                .flat_map(move |t| ["pdf", "docx"].map(|e| format!("{r}/{t}.{e}")))
        })
        .collect();
    expected.extend(
        [
            "bao-cao-thang.pdf",
            "bao-cao-thang.docx",
            "manifest.json",
            "2022-11.zip",
            "2022-11.zip.sha256",
        ]
        .map(String::from),
    );
    assert_eq!(tree(&dir), expected);
    // Nothing outside --out.
    let top: BTreeSet<String> = std::fs::read_dir(tmp.path())
        .expect("ls")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(top, ["in", "out"].map(String::from).into());
    // The report lists both sessions of the month and no other.
    let pages = pdf::read(&dir.join("bao-cao-thang.pdf"));
    let text = normalise(&pdf::body_lines(&pages).join("\n"));
    assert!(text.contains("tháng 11 năm 2022"), "{text}");
    assert!(
        text.contains("01/11/2022") && text.contains("30/11/2022"),
        "{text}"
    );
    assert!(
        !text.contains("31/10/2022") && !text.contains("01/12/2022"),
        "{text}"
    );

    // The default output folder is `bundles/`.
    ok(&bundle(&["in", "--month", "2022-12"], tmp.path()));
    let dec = tmp.path().join("bundles/2022-12");
    assert_eq!(
        record_names(&manifest(&dec)),
        ["d-dec-01.yaml".to_string()].into()
    );
}

#[test]
fn issue4_manifest_hashes_match_the_files_and_inputs() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = tmp.path().join("in");
    records(&input, &[("a", "2022-11-02"), ("b", "2022-11-03")]);
    ok(&bundle(
        &["in", "--month", MONTH, "--out", "out"],
        tmp.path(),
    ));
    let dir = tmp.path().join("out").join(MONTH);
    let m = manifest(&dir);
    assert_eq!(m["format"], "vanthu-bundle/1");
    assert_eq!(m["month"], MONTH);
    assert_eq!(
        m["tool"],
        format!("vanthu {}", env!("CARGO_PKG_VERSION")).as_str()
    );
    assert_eq!(m["source_date_epoch"], 0);
    let is_hash = |v: &Value| {
        v.as_str()
            .is_some_and(|s| s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()))
    };
    assert!(
        is_hash(&m["fonts_sha256"]) && is_hash(&m["templates"]["sha256"]),
        "{m}"
    );
    // The fonts hash is that of the embedded faces, in order.
    let mut fonts = Vec::new();
    for face in ["Regular", "Bold", "Italic", "BoldItalic"] {
        fonts.extend(
            std::fs::read(root().join(format!("fonts/LiberationSerif-{face}.ttf"))).expect("ttf"),
        );
    }
    assert_eq!(m["fonts_sha256"], sha256(&fonts).as_str());
    let templates: BTreeMap<String, String> = m["templates"]["each"]
        .as_array()
        .expect("each")
        .iter()
        .map(|t| {
            (
                t["name"].as_str().unwrap_or("").into(),
                t["sha256"].as_str().unwrap_or("").into(),
            )
        })
        .collect();
    for (name, hash) in &templates {
        let src = std::fs::read(root().join(format!("templates/{name}.hbs"))).expect("template");
        assert_eq!(*hash, sha256(&src), "{name}");
    }
    assert!(templates.contains_key("bao-cao-thang"));

    // Every file: path, size and SHA-256 as on disk; and every file on disk is listed.
    let files = m["files"].as_array().expect("files");
    let mut listed = BTreeSet::new();
    for f in files {
        let path = f["path"].as_str().expect("path");
        let bytes = std::fs::read(dir.join(path)).expect("listed file exists");
        assert_eq!(f["size"].as_u64(), Some(bytes.len() as u64), "{path}");
        assert_eq!(f["sha256"], sha256(&bytes).as_str(), "{path}");
        listed.insert(path.to_string());
    }
    let mut on_disk = tree(&dir);
    on_disk.remove("manifest.json");
    on_disk.remove("2022-11.zip");
    on_disk.remove("2022-11.zip.sha256");
    assert_eq!(listed, on_disk);
    let sorted: Vec<&str> = files.iter().filter_map(|f| f["path"].as_str()).collect();
    assert!(
        sorted.windows(2).all(|w| w[0] < w[1]),
        "files sorted: {sorted:?}"
    );

    // Each input record's SHA-256, and its outputs.
    for r in m["records"].as_array().expect("records") {
        let file = r["file"].as_str().expect("file");
        let bytes = std::fs::read(input.join(file)).expect("input");
        assert_eq!(r["sha256"], sha256(&bytes).as_str(), "{file}");
        assert!(is_hash(&r["cache_key"]));
        assert_eq!(r["outputs"].as_array().map(Vec::len), Some(4), "{r}");
    }
    assert_eq!(
        m["report"]["outputs"],
        serde_json::json!(["bao-cao-thang.pdf", "bao-cao-thang.docx"])
    );
    assert_eq!(m["failed"], serde_json::json!([]));
    // No absolute paths or temp folders leak into it.
    let text = std::fs::read_to_string(dir.join("manifest.json")).expect("manifest");
    assert!(!text.contains(&tmp.path().display().to_string()));
}

fn zip_entries(path: &Path) -> Vec<(String, Vec<u8>, zip::DateTime, Option<u32>)> {
    let file = std::fs::File::open(path).expect("zip");
    let mut z = zip::ZipArchive::new(file).expect("zip reads");
    (0..z.len())
        .map(|i| {
            let mut e = z.by_index(i).expect("entry");
            let mut data = Vec::new();
            e.read_to_end(&mut data).expect("entry data");
            // PDFs are compressed inside and stored; DOCX and JSON are deflated.
            let method = if e.name().ends_with(".pdf") {
                zip::CompressionMethod::Stored
            } else {
                zip::CompressionMethod::Deflated
            };
            assert_eq!(e.compression(), method, "{}", e.name());
            let t = e.last_modified().unwrap_or_default();
            (e.name().to_string(), data, t, e.unix_mode())
        })
        .collect()
}

#[test]
fn issue4_zip_is_byte_identical_across_runs_and_holds_the_bundle() {
    let tmp = tempfile::tempdir().expect("tempdir");
    records(
        &tmp.path().join("in"),
        &[
            ("a", "2022-11-05"),
            ("b", "2022-11-06"),
            ("c", "2022-11-07"),
        ],
    );
    let run = |out: &str| {
        let o = bin()
            .args(["bundle", "in", "--month", MONTH, "--out", out])
            .env("SOURCE_DATE_EPOCH", "1668384000")
            .current_dir(tmp.path())
            .output()
            .expect("run");
        ok(&o);
        tmp.path().join(out).join(MONTH)
    };
    let (one, two) = (run("one"), run("two"));
    let zip1 = std::fs::read(one.join("2022-11.zip")).expect("zip 1");
    let zip2 = std::fs::read(two.join("2022-11.zip")).expect("zip 2");
    assert!(zip1 == zip2, "two fresh runs give different zips");
    // A rerun into the same folder leaves the same bytes.
    run("one");
    assert!(std::fs::read(one.join("2022-11.zip")).expect("zip") == zip1);

    let entries = zip_entries(&one.join("2022-11.zip"));
    let names: Vec<&str> = entries.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(names[0], "2022-11/manifest.json");
    assert!(names[1..].windows(2).all(|w| w[0] < w[1]), "{names:?}");
    let mut expected: BTreeSet<String> = tree(&one)
        .into_iter()
        .filter(|p| !p.starts_with("2022-11.zip"))
        .map(|p| format!("2022-11/{p}"))
        .collect();
    for (name, data, time, mode) in &entries {
        assert!(expected.remove(name), "unexpected entry {name}");
        let on_disk = std::fs::read(one.join(name.trim_start_matches("2022-11/"))).expect("file");
        assert!(*data == on_disk, "{name} differs from the file");
        // SOURCE_DATE_EPOCH 1668384000 = 2022-11-14T00:00:00Z.
        assert_eq!(
            (time.year(), time.month(), time.day(), time.hour()),
            (2022, 11, 14, 0),
            "{name}"
        );
        assert_eq!(mode.map(|m| m & 0o777), Some(0o644), "{name}");
    }
    assert!(expected.is_empty(), "missing from the zip: {expected:?}");
    // Its checksum file, as sha256sum writes it.
    assert_eq!(
        std::fs::read_to_string(one.join("2022-11.zip.sha256")).expect("sha256 file"),
        format!("{}  2022-11.zip\n", sha256(&zip1))
    );
}

#[test]
fn issue4_rerun_renders_nothing_and_changes_nothing_then_only_what_changed() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = tmp.path().join("in");
    records(
        &input,
        &[
            ("a", "2022-11-05"),
            ("b", "2022-11-06"),
            ("c", "2022-11-07"),
        ],
    );
    let args = ["in", "--month", MONTH, "--out", "out"];
    let first = ok(&bundle(&args, tmp.path()));
    assert_eq!(counts(&first), (3, 0), "{first}");
    let dir = tmp.path().join("out").join(MONTH);
    let before = mtimes(&dir);
    let zip_before = std::fs::read(dir.join("2022-11.zip")).expect("zip");
    std::thread::sleep(std::time::Duration::from_millis(20));

    let again = ok(&bundle(&args, tmp.path()));
    assert_eq!(counts(&again), (0, 3), "{again}");
    assert!(
        again.contains("0 rendered in"),
        "the report is reused too: {again}"
    );
    assert_eq!(mtimes(&dir), before, "a rerun touched files");
    assert!(std::fs::read(dir.join("2022-11.zip")).expect("zip") == zip_before);
    // A damaged zip does not match its checksum file and is built again, the same.
    std::fs::write(dir.join("2022-11.zip"), b"PK damaged").expect("damage zip");
    let mended = ok(&bundle(&args, tmp.path()));
    assert_eq!(counts(&mended), (0, 3), "{mended}");
    assert!(std::fs::read(dir.join("2022-11.zip")).expect("zip") == zip_before);
    let before = mtimes(&dir);

    // One record changes: only it (and the report) is rendered again.
    let b = input.join("b.yaml");
    let text = std::fs::read_to_string(&b).expect("b");
    std::fs::write(&b, text.replace("Nguyễn Tăng", "Nguyễn Văn Tăng")).expect("edit b");
    let third = ok(&bundle(&args, tmp.path()));
    assert_eq!(counts(&third), (1, 2), "{third}");
    let after = mtimes(&dir);
    for (rel, t) in &before {
        let changed = after.get(rel) != Some(t);
        let expect_change = rel.starts_with("b/")
            || rel.starts_with("bao-cao-thang.")
            || rel == "manifest.json"
            || rel.starts_with("2022-11.zip");
        assert_eq!(changed, expect_change, "{rel}");
    }

    // A damaged output is noticed and rendered again.
    std::fs::write(dir.join("a/tin-bai.pdf"), b"not a pdf").expect("damage");
    let fourth = ok(&bundle(&args, tmp.path()));
    assert_eq!(counts(&fourth), (1, 2), "{fourth}");
    assert!(std::fs::read(dir.join("a/tin-bai.pdf"))
        .expect("pdf")
        .starts_with(b"%PDF-"));

    // A record that moves to another month leaves the bundle, files and all.
    std::fs::write(input.join("c.yaml"), record_on("2022-12-01", 7)).expect("move c");
    let fifth = ok(&bundle(&args, tmp.path()));
    assert_eq!(counts(&fifth), (0, 2), "{fifth}");
    assert!(!dir.join("c").exists(), "stale files of c remain");
    assert_eq!(
        record_names(&manifest(&dir)),
        ["a.yaml", "b.yaml"].map(String::from).into()
    );

    // Temp files an interrupted run left behind are cleared by the next one.
    std::fs::write(dir.join("a/.vanthu-AbC123.tmp"), b"half a pdf").expect("temp");
    std::fs::write(dir.join(".vanthu-XyZ789.tmp"), b"half a zip").expect("temp");
    ok(&bundle(&args, tmp.path()));
    assert!(
        tree(&dir).iter().all(|f| !f.contains(".vanthu-")),
        "{:?}",
        tree(&dir)
    );
}

#[test]
fn issue4_a_bad_record_is_reported_the_rest_renders_and_nothing_partial_remains() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = tmp.path().join("in");
    records(
        &input,
        &[("good-1", "2022-11-03"), ("good-2", "2022-11-04")],
    );
    // Does not load: an impossible date, line 12 (the month is still read from the text).
    std::fs::write(
        input.join("bad-date.yaml"),
        record_on("2022-11-31", 1).replace("    date: 2022-11-31", "    date: 2022-12-01"),
    )
    .expect("bad-date");
    // Loads, but names a template that does not exist (line 89).
    std::fs::write(
        input.join("bad-template.yaml"),
        record_on("2022-11-20", 2).replace("template: tin-bai", "template: tin-bia"),
    )
    .expect("bad-template");
    let o = bundle(&["in", "--month", MONTH, "--out", "out"], tmp.path());
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("bad-date.yaml:12:"), "{err}");
    assert!(err.contains("session.date"), "{err}");
    assert!(err.contains("bad-template.yaml:89:"), "{err}");
    assert!(err.contains("documents[0].template"), "{err}");
    assert!(err.contains("2 failed"), "{err}");

    let dir = tmp.path().join("out").join(MONTH);
    let m = manifest(&dir);
    assert_eq!(
        record_names(&m),
        ["good-1.yaml", "good-2.yaml"].map(String::from).into()
    );
    let failed: BTreeMap<String, Value> = m["failed"]
        .as_array()
        .expect("failed")
        .iter()
        .map(|f| (f["file"].as_str().unwrap_or("").to_string(), f.clone()))
        .collect();
    assert_eq!(
        failed.keys().cloned().collect::<Vec<_>>(),
        ["bad-date.yaml", "bad-template.yaml"]
    );
    let e = &failed["bad-date.yaml"]["errors"][0];
    assert_eq!(
        (e["line"].as_u64(), e["field"].as_str()),
        (Some(12), Some("session.date"))
    );
    assert!(
        e["message"]
            .as_str()
            .is_some_and(|s| s.contains("2022-11-31")),
        "{e}"
    );
    let bytes = std::fs::read(input.join("bad-date.yaml")).expect("bad");
    assert_eq!(failed["bad-date.yaml"]["sha256"], sha256(&bytes).as_str());
    assert_eq!(
        failed["bad-template.yaml"]["errors"][0]["field"],
        "documents[0].template"
    );

    // The good records and the report are there; nothing of the bad ones, no temp files.
    let files = tree(&dir);
    assert!(files.contains("good-1/thong-bao-ket-luan.pdf"));
    assert!(files.contains("bao-cao-thang.pdf"));
    assert!(
        files
            .iter()
            .all(|f| !f.starts_with("bad-") && !f.contains(".vanthu-") && !f.ends_with(".tmp")),
        "{files:?}"
    );
    // The zip holds what the manifest lists and nothing of the failed records.
    let names: Vec<String> = zip_entries(&dir.join("2022-11.zip"))
        .into_iter()
        .map(|e| e.0)
        .collect();
    assert_eq!(names.len(), 1 + 8 + 2, "{names:?}");
    assert!(names.iter().all(|n| !n.contains("bad-")));
    // The report summarises the good records only: the record with the unknown template
    // (20/11) loaded, so the report went ahead with it, then was rendered again without it.
    let report = normalise(&pdf::body_lines(&pdf::read(&dir.join("bao-cao-thang.pdf"))).join("\n"));
    assert!(
        report.contains("03/11/2022") && report.contains("04/11/2022"),
        "{report}"
    );
    assert!(!report.contains("20/11/2022"), "{report}");
    assert_eq!(
        m["report"]["outputs"],
        serde_json::json!(["bao-cao-thang.pdf", "bao-cao-thang.docx"])
    );

    // Once it is fixed, a rerun renders just that record and exits 0.
    std::fs::write(input.join("bad-date.yaml"), record_on("2022-11-30", 1)).expect("fix");
    std::fs::remove_file(input.join("bad-template.yaml")).expect("rm");
    let err = ok(&bundle(
        &["in", "--month", MONTH, "--out", "out"],
        tmp.path(),
    ));
    assert_eq!(counts(&err), (1, 2), "{err}");
}

#[test]
fn issue4_shards_partition_the_month_and_combine_into_the_same_bundle() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let list: Vec<(String, String)> = (1..=10)
        .map(|d| (format!("r{d:02}"), format!("2022-11-{d:02}")))
        .collect();
    let refs: Vec<(&str, &str)> = list.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    records(&tmp.path().join("in"), &refs);
    // Another month's record is in no shard's bundle.
    std::fs::write(tmp.path().join("in/x-oct.yaml"), record_on("2022-10-10", 9)).expect("x");
    let n = 3;
    let dir = tmp.path().join("sharded").join(MONTH);
    let mut seen: Vec<BTreeSet<String>> = Vec::new();
    for k in 1..=n {
        let shard = format!("{k}/{n}");
        let err = ok(&bundle(
            &[
                "in", "--month", MONTH, "--out", "sharded", "--shard", &shard,
            ],
            tmp.path(),
        ));
        assert!(err.contains(&format!("shard {shard}")), "{err}");
        let part = dir.join(format!("manifest.part-{k}-of-{n}.json"));
        let m: Value = serde_json::from_slice(&std::fs::read(&part).expect("part")).expect("json");
        assert_eq!(m["shard"]["index"], k);
        assert!(m.get("report").is_none(), "a shard writes no report");
        seen.push(record_names(&m));
    }
    assert!(!dir.join("manifest.json").exists() && !dir.join("2022-11.zip").exists());
    // Disjoint, and together exactly the month.
    let all: BTreeSet<String> = list.iter().map(|(a, _)| format!("{a}.yaml")).collect();
    let total: usize = seen.iter().map(BTreeSet::len).sum();
    let union: BTreeSet<String> = seen.iter().flatten().cloned().collect();
    assert_eq!(total, all.len(), "shards overlap: {seen:?}");
    assert_eq!(union, all);
    assert!(
        seen.iter().filter(|s| !s.is_empty()).count() >= 2,
        "{seen:?}"
    );

    // The unsharded run combines them: nothing to render but the report, and the result
    // equals a bundle made in one go.
    let err = ok(&bundle(
        &["in", "--month", MONTH, "--out", "sharded"],
        tmp.path(),
    ));
    assert_eq!(counts(&err), (0, 10), "{err}");
    assert!(tree(&dir).iter().all(|f| !f.starts_with("manifest.part-")));
    ok(&bundle(
        &["in", "--month", MONTH, "--out", "whole"],
        tmp.path(),
    ));
    let whole = tmp.path().join("whole").join(MONTH);
    assert!(
        std::fs::read(dir.join("2022-11.zip")).expect("zip")
            == std::fs::read(whole.join("2022-11.zip")).expect("zip"),
        "sharded-then-combined differs from one run"
    );
}

#[test]
fn issue4_usage_errors_exit_2_and_write_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    records(&tmp.path().join("in"), &[("a", "2022-11-05")]);
    std::fs::create_dir_all(tmp.path().join("in2")).expect("mkdir");
    std::fs::write(tmp.path().join("in2/a.yaml"), record_on("2022-11-06", 2)).expect("dup");
    for args in [
        vec!["in", "--month", "2022-13", "--out", "out"],
        vec!["in", "--month", "11/2022", "--out", "out"],
        vec!["in", "--month", MONTH, "--out", "out", "--shard", "0/3"],
        vec!["in", "--month", MONTH, "--out", "out", "--shard", "4/3"],
        vec!["in", "in2", "--month", MONTH, "--out", "out"],
        vec!["missing", "--month", MONTH, "--out", "out"],
        vec!["in"],
    ] {
        let o = bundle(&args, tmp.path());
        assert_eq!(
            o.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(!tmp.path().join("out").exists(), "{args:?} wrote output");
    }
}

#[test]
fn issue4_each_bundled_file_equals_render_of_that_record_alone() {
    // Rendering many documents in one process, on several threads, must not change a byte
    // of any of them (printpdf's per-process random IDs once leaked into the output).
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = tmp.path().join("in");
    records(
        &input,
        &[
            ("a", "2022-11-05"),
            ("b", "2022-11-06"),
            ("c", "2022-11-07"),
        ],
    );
    ok(&bundle(
        &["in", "--month", MONTH, "--out", "out"],
        tmp.path(),
    ));
    let dir = tmp.path().join("out").join(MONTH);
    for name in ["c", "b", "a"] {
        let alone = tmp.path().join(format!("alone-{name}"));
        render_ok(&input.join(format!("{name}.yaml")), &alone);
        for file in tree(&alone.join(name)) {
            let a = std::fs::read(alone.join(name).join(&file)).expect("alone");
            let b = std::fs::read(dir.join(name).join(&file)).expect("bundled");
            assert!(a == b, "{name}/{file} differs between render and bundle");
        }
    }
}

/// A `--templates` copy of the first monthly report template, which had every session in its
/// data (`{{#each sessions}}`, `{{count sessions}}`), is refused with a pointer to the helper
/// that replaced them, and no report is left behind.
#[test]
fn issue4_an_old_style_report_template_is_refused_with_a_hint() {
    let tmp = tempfile::tempdir().unwrap();
    records(&tmp.path().join("in"), &[("a", "2022-11-03")]);
    let templates = tmp.path().join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("bao-cao-thang.hbs"),
        "---\nlayout: official\ntype: BÁO CÁO\nabbr: BC\nsummary: tháng\n---\n\
         Có {{count sessions}} buổi.\n\n{{#each sessions}}\n{{counterpart}}\n{{/each}}\n",
    )
    .unwrap();
    let o = bundle(
        &[
            "in",
            "--month",
            "2022-11",
            "--out",
            "b",
            "--templates",
            "templates",
        ],
        tmp.path(),
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("template `bao-cao-thang`"), "{err}");
    assert!(
        err.contains("{{#each_session}}") && err.contains("{{session_count}}"),
        "{err}"
    );
    assert!(!tmp.path().join("b/2022-11/bao-cao-thang.pdf").exists());
}
