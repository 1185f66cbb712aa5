//! Issue 9, the bundle, output and command-line items, run as the real binary: a zip left by
//! an interrupted run, a record edited during a run, clashing and reserved record names, the
//! lock on an output folder, manifest paths, special files where outputs go and in input
//! folders, `--jobs`, exit codes and a full disk.

use crate::common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::*;
use serde_json::Value;

const MONTH: &str = "2022-11";

/// The reference record with its session and notice on `2022-11-DD`, notice number `number`.
fn record(day: u32, number: u32) -> String {
    let text = std::fs::read_to_string(reference_record()).expect("reference record");
    text.replacen(
        "  date: 2022-11-10",
        &format!("  date: 2022-11-{day:02}"),
        1,
    )
    .replacen("    number: 245", &format!("    number: {number}"), 1)
    .replacen(
        "    date: 2022-11-14",
        &format!("    date: 2022-11-{day:02}"),
        1,
    )
}

/// `n` records `r000.yaml`… in `dir`.
fn folder_of(dir: &Path, n: u32) {
    std::fs::create_dir_all(dir).expect("mkdir");
    for i in 0..n {
        std::fs::write(
            dir.join(format!("r{i:03}.yaml")),
            record(1 + i % 28, 100 + i),
        )
        .expect("write record");
    }
}

fn vanthu(args: &[&str], cwd: &Path) -> Output {
    bin()
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run vanthu")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn code(o: &Output) -> Option<i32> {
    o.status.code()
}

fn bundle_in(cwd: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["bundle", "in", "--month", MONTH, "--out", "out"];
    args.extend_from_slice(extra);
    vanthu(&args, cwd)
}

fn month_dir(cwd: &Path) -> PathBuf {
    cwd.join("out").join(MONTH)
}

/// Every entry of a zip: name and bytes (in no particular order).
fn zip_entries(path: &Path) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).expect("zip")).expect("zip reads");
    let names: Vec<String> = z.file_names().map(String::from).collect();
    names
        .into_iter()
        .map(|name| {
            let mut data = Vec::new();
            let mut entry = z.by_name(&name).expect("entry");
            entry.read_to_end(&mut data).expect("entry data");
            (name, data)
        })
        .collect()
}

fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "mkfifo {}", path.display());
}

/// Runs the command, killing it after `limit`: `None` when it had to be killed (it hung).
fn run_with_limit(cmd: &mut Command, limit: Duration) -> Option<Output> {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let start = Instant::now();
    while start.elapsed() < limit {
        if child.try_wait().expect("wait").is_some() {
            return Some(child.wait_with_output().expect("output"));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

#[test]
fn issue9_zip_left_by_interrupted_run_is_rebuilt() {
    let tmp = tempfile::tempdir().expect("tempdir");
    folder_of(&tmp.path().join("in"), 3);
    assert_eq!(code(&bundle_in(tmp.path(), &[])), Some(0));
    let dir = month_dir(tmp.path());
    let zip = dir.join("2022-11.zip");
    let sidecar = dir.join("2022-11.zip.sha256");
    let (old_zip, old_sum) = (
        std::fs::read(&zip).expect("zip"),
        std::fs::read(&sidecar).expect("sha256"),
    );
    // A record changes; the run completes: a new manifest and a new zip.
    std::fs::write(tmp.path().join("in/r001.yaml"), record(2, 999)).expect("edit");
    assert_eq!(code(&bundle_in(tmp.path(), &[])), Some(0));
    let new_zip = std::fs::read(&zip).expect("zip");
    assert_ne!(new_zip, old_zip);
    // The state a run killed after writing the manifest, before the new zip, leaves: the
    // new manifest beside the old zip and its (agreeing) checksum.
    std::fs::write(&zip, &old_zip).expect("old zip");
    std::fs::write(&sidecar, &old_sum).expect("old sum");
    let o = bundle_in(tmp.path(), &[]);
    assert_eq!(code(&o), Some(0), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(&zip).expect("zip"),
        new_zip,
        "the stale zip was kept"
    );
    let manifest = std::fs::read(dir.join("manifest.json")).expect("manifest");
    let inside = zip_entries(&zip)
        .into_iter()
        .find(|(n, _)| n == "2022-11/manifest.json")
        .expect("manifest in zip");
    assert_eq!(inside.1, manifest);
    let sum = std::fs::read_to_string(&sidecar).expect("sum");
    assert!(sum.starts_with(&sha256_hex(&new_zip)), "{sum}");
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `zz-last.yaml` (session on the 28th, so the last record rendered and the last the report
/// reads) among 120 records; the original and an edited text.
fn folder_with_last(root: &Path) -> (PathBuf, String, String) {
    let input = root.join("in");
    folder_of(&input, 120);
    let last = input.join("zz-last.yaml");
    let original = record(28, 7);
    std::fs::write(&last, &original).expect("last");
    let edited = original.replacen(
        "host: Ban Thường vụ Huyện ủy",
        "host: Ban Chấp hành SỬA GIỮA CHỪNG",
        1,
    );
    assert_ne!(edited, original);
    (last, original, edited)
}

/// Starts a one-worker bundle (records in order, then the report), waits for `marker` to
/// appear and writes `edited` to `last` then.
fn edit_when(root: &Path, marker: &Path, last: &Path, edited: &str) -> Output {
    let child = bin()
        .args([
            "bundle", "in", "--month", MONTH, "--out", "out", "--jobs", "1",
        ])
        .current_dir(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let start = Instant::now();
    while !marker.exists() && start.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(Duration::from_millis(1));
    }
    std::fs::write(last, edited).expect("edit during the run");
    child.wait_with_output().expect("wait")
}

/// Issue 9 guarded that an edit made during a bundle is never rendered under the hash read
/// before it. Since issue 11 a record is read once, hashed, parsed and rendered from those
/// very bytes: an edit made before its turn is rendered, under the hash of the edited bytes.
#[test]
fn issue9_record_edited_during_bundle_is_never_rendered_under_the_old_hash() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (last, _original, edited) = folder_with_last(tmp.path());
    let dir = month_dir(tmp.path());
    let o = edit_when(tmp.path(), &dir.join("r000"), &last, &edited);
    assert_eq!(code(&o), Some(0), "{}", stderr(&o));
    let m: Value = serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).expect("m"))
        .expect("json");
    let entry = m["records"]
        .as_array()
        .expect("records")
        .iter()
        .find(|r| r["file"] == "zz-last.yaml")
        .expect("zz-last in the manifest")
        .clone();
    assert_eq!(entry["sha256"], sha256_hex(edited.as_bytes()), "{entry}");
    let text = pdf::body_lines(&pdf::read(&dir.join("zz-last/tin-bai.pdf"))).join(" ");
    assert!(text.contains("SỬA GIỮA CHỪNG"), "{text}");
}

/// Issue 11: the monthly report reads each record again when its turn comes, and only if it
/// still has the SHA-256 of the bytes that were rendered. Edited after its documents were
/// made, the record stops the run (exit 3, naming it), and no manifest or zip is written.
#[test]
fn issue11_record_edited_after_it_rendered_stops_the_report_naming_it() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (last, original, edited) = folder_with_last(tmp.path());
    let dir = month_dir(tmp.path());
    let o = edit_when(
        tmp.path(),
        &dir.join("zz-last/tin-bai.docx"),
        &last,
        &edited,
    );
    let err = stderr(&o);
    assert_eq!(code(&o), Some(3), "{err}");
    assert!(
        err.contains("zz-last.yaml") && err.contains("changed while the bundle was being made"),
        "{err}"
    );
    assert!(!dir.join("manifest.json").exists());
    assert!(!dir.join("2022-11.zip").exists());
    // Reverted, the run completes from the record's own bytes.
    std::fs::write(&last, &original).expect("revert");
    let o = bundle_in(tmp.path(), &[]);
    assert_eq!(code(&o), Some(0), "{}", stderr(&o));
    let text = pdf::body_lines(&pdf::read(&dir.join("zz-last/tin-bai.pdf"))).join(" ");
    assert!(!text.contains("SỬA GIỮA CHỪNG"), "{text}");
}

#[test]
fn issue9_render_and_check_refuse_two_records_with_one_stem() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = tmp.path().join("in");
    std::fs::create_dir_all(&input).expect("mkdir");
    std::fs::write(input.join("thuan.yaml"), record(10, 1)).expect("a");
    std::fs::write(input.join("thuan.yml"), record(11, 2)).expect("b");
    for cmd in ["render", "check"] {
        let o = vanthu(&[cmd, "in", "--out", "out"], tmp.path());
        let o = if cmd == "check" {
            vanthu(&[cmd, "in"], tmp.path())
        } else {
            o
        };
        let err = stderr(&o);
        assert_eq!(code(&o), Some(2), "{cmd}: {err}");
        assert!(
            err.contains("thuan.yaml") && err.contains("thuan.yml") && err.contains("`thuan/`"),
            "{cmd}: {err}"
        );
    }
    assert!(!tmp.path().join("out").exists(), "render wrote something");
}

#[test]
fn issue9_record_names_of_the_bundles_own_files_are_refused_at_the_scan() {
    for name in [
        "bao-cao-thang.pdf",
        "bao-cao-thang.docx",
        "2022-11.zip.sha256",
        "manifest.json",
        "Manifest.JSON",
    ] {
        let tmp = tempfile::tempdir().expect("tempdir");
        folder_of(&tmp.path().join("in"), 2);
        let file = format!("{name}.yaml");
        std::fs::write(tmp.path().join("in").join(&file), record(5, 5)).expect("record");
        let o = bundle_in(tmp.path(), &[]);
        let err = stderr(&o);
        assert_eq!(code(&o), Some(2), "{name}: {err}");
        assert!(
            err.contains(&file) && err.contains("rename the file"),
            "{name}: {err}"
        );
        assert!(!month_dir(tmp.path()).exists(), "{name}: work was done");
    }
}

/// Holds the lock a run would take, as another process would.
fn hold(lock_file: &Path, shared: bool) -> std::fs::File {
    let f = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(lock_file)
        .expect("lock file");
    // Retried briefly: a child that another test forks at the moment this test drops a lock
    // shares the lock until its exec closes the descriptor.
    let start = Instant::now();
    loop {
        let got = if shared {
            f.try_lock_shared()
        } else {
            f.try_lock()
        };
        match got {
            Ok(()) => return f,
            Err(e) if start.elapsed() > Duration::from_secs(5) => panic!("lock: {e:?}"),
            Err(_) => std::thread::sleep(Duration::from_millis(10)),
        }
    }
}

#[test]
fn issue9_a_second_run_on_one_output_folder_fails_at_once_naming_it() {
    let tmp = tempfile::tempdir().expect("tempdir");
    folder_of(&tmp.path().join("in"), 2);
    std::fs::create_dir_all(tmp.path().join("out")).expect("out");
    let lock = tmp.path().join("out/.2022-11.lock");
    {
        let _other = hold(&lock, false);
        let start = Instant::now();
        let o = bundle_in(tmp.path(), &[]);
        let err = stderr(&o);
        assert_eq!(code(&o), Some(3), "{err}");
        assert!(
            err.contains("out/2022-11") && err.contains("another vanthu run"),
            "{err}"
        );
        assert!(start.elapsed() < Duration::from_secs(10), "it waited");
        assert!(!month_dir(tmp.path()).exists(), "it wrote while locked");
        // Shards run side by side: the month lock is shared among them.
        let o = bundle_in(tmp.path(), &["--shard", "1/2"]);
        assert_eq!(code(&o), Some(3), "{}", stderr(&o));
    }
    {
        let _shard = hold(&lock, true);
        let o = bundle_in(tmp.path(), &["--shard", "1/2"]);
        assert_eq!(code(&o), Some(0), "{}", stderr(&o));
        let o = bundle_in(tmp.path(), &[]);
        assert_eq!(code(&o), Some(3), "{}", stderr(&o));
    }
    assert_eq!(code(&bundle_in(tmp.path(), &[])), Some(0));
    // `render` locks its --out the same way.
    let _other = hold(&tmp.path().join("out/.vanthu.lock"), false);
    let o = vanthu(&["render", "in", "--out", "out"], tmp.path());
    let err = stderr(&o);
    assert_eq!(code(&o), Some(3), "{err}");
    assert!(err.contains("another vanthu run"), "{err}");
}

/// Rewrites the manifest (or part) at `path` with `edit`.
fn edit_json(path: &Path, edit: impl FnOnce(&mut Value)) {
    let mut m: Value = serde_json::from_slice(&std::fs::read(path).expect("read")).expect("json");
    edit(&mut m);
    std::fs::write(path, serde_json::to_vec_pretty(&m).expect("json")).expect("write");
}

/// Points record `r000`'s first output at `rel` (a file with `bytes`) in the manifest.
fn list_outside(manifest: &Path, rel: &str, bytes: &[u8]) {
    let (sha, size) = (sha256_hex(bytes), bytes.len());
    edit_json(manifest, |m| {
        let old = m["records"][0]["outputs"][0]
            .as_str()
            .expect("out")
            .to_string();
        m["records"][0]["outputs"][0] = Value::from(rel);
        for f in m["files"].as_array_mut().expect("files") {
            if f["path"] == old.as_str() {
                f["path"] = Value::from(rel);
                f["sha256"] = Value::from(sha.as_str());
                f["size"] = Value::from(size);
            }
        }
    });
}

#[test]
fn issue9_manifest_paths_outside_the_bundle_are_never_read_or_zipped() {
    let secret = b"SECRET-OUTSIDE-THE-BUNDLE\n";
    for (part, rel) in [
        (false, "../../secret.txt"),
        (false, "/tmp/../SECRET_ABS"),
        (true, "r000/../../../secret.txt"),
    ] {
        let tmp = tempfile::tempdir().expect("tempdir");
        folder_of(&tmp.path().join("in"), 2);
        std::fs::write(tmp.path().join("secret.txt"), secret).expect("secret");
        let dir = month_dir(tmp.path());
        let listed = if part {
            assert_eq!(code(&bundle_in(tmp.path(), &["--shard", "1/1"])), Some(0));
            dir.join("manifest.part-1-of-1.json")
        } else {
            assert_eq!(code(&bundle_in(tmp.path(), &[])), Some(0));
            dir.join("manifest.json")
        };
        list_outside(&listed, rel, secret);
        let o = bundle_in(tmp.path(), &[]);
        let err = stderr(&o);
        assert_eq!(code(&o), Some(0), "{rel}: {err}");
        assert!(
            err.contains(&format!("`{rel}`")) && err.contains("outside"),
            "{rel}: {err}"
        );
        for (name, data) in zip_entries(&dir.join("2022-11.zip")) {
            assert!(!name.contains(".."), "{rel}: {name}");
            assert_ne!(data, secret, "{rel}: {name} holds the secret");
        }
        let m = std::fs::read_to_string(dir.join("manifest.json")).expect("m");
        assert!(!m.contains("secret") && !m.contains(".."), "{rel}: {m}");
        assert!(tmp.path().join("secret.txt").exists(), "{rel}: removed");
    }
}

#[test]
fn issue9_a_record_folder_that_is_a_symlink_is_not_read_or_written_through() {
    let tmp = tempfile::tempdir().expect("tempdir");
    folder_of(&tmp.path().join("in"), 2);
    assert_eq!(code(&bundle_in(tmp.path(), &[])), Some(0));
    let dir = month_dir(tmp.path());
    // r000's folder moved elsewhere and linked back: its files still have the listed hashes.
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::rename(dir.join("r000"), &elsewhere).expect("move");
    std::os::unix::fs::symlink(&elsewhere, dir.join("r000")).expect("symlink");
    let before: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&elsewhere)
        .expect("ls")
        .flatten()
        .map(|e| (e.path(), std::fs::read(e.path()).expect("read")))
        .collect();
    std::fs::write(tmp.path().join("in/r000.yaml"), record(3, 333)).expect("edit");
    let o = bundle_in(tmp.path(), &[]);
    let err = stderr(&o);
    assert_eq!(code(&o), Some(3), "{err}");
    assert!(
        err.contains("r000") && err.contains("symbolic link"),
        "{err}"
    );
    for (path, bytes) in before {
        assert_eq!(
            std::fs::read(&path).expect("read"),
            bytes,
            "{path:?} written"
        );
    }
    assert_eq!(
        std::fs::read_dir(&elsewhere).expect("ls").count(),
        4,
        "files added through the link"
    );
}

#[test]
fn issue9_special_files_where_outputs_go_are_replaced_never_read() {
    let tmp = tempfile::tempdir().expect("tempdir");
    folder_of(&tmp.path().join("in"), 2);
    // render: a FIFO and a link to /dev/zero where two of a record's files go.
    let rec = tmp.path().join("out/r000");
    std::fs::create_dir_all(&rec).expect("mkdir");
    mkfifo(&rec.join("tin-bai.pdf"));
    std::os::unix::fs::symlink("/dev/zero", rec.join("tin-bai.docx")).expect("symlink");
    let o = run_with_limit(
        bin()
            .args(["render", "in", "--out", "out"])
            .current_dir(tmp.path()),
        Duration::from_secs(60),
    )
    .expect("render hung on a FIFO or /dev/zero");
    assert_eq!(code(&o), Some(0), "{}", stderr(&o));
    for name in ["tin-bai.pdf", "tin-bai.docx"] {
        let m = std::fs::symlink_metadata(rec.join(name)).expect("meta");
        assert!(m.is_file() && m.len() > 1000, "{name}: {m:?}");
    }
    // bundle: FIFOs and links where the manifest, a part, the zip and its checksum go.
    let dir = month_dir(tmp.path());
    std::fs::create_dir_all(&dir).expect("mkdir");
    mkfifo(&dir.join("manifest.json"));
    mkfifo(&dir.join("manifest.part-1-of-2.json"));
    std::os::unix::fs::symlink("/dev/zero", dir.join("2022-11.zip")).expect("symlink");
    mkfifo(&dir.join("2022-11.zip.sha256"));
    for _ in 0..2 {
        let o = run_with_limit(
            bin()
                .args(["bundle", "in", "--month", MONTH, "--out", "out"])
                .current_dir(tmp.path()),
            Duration::from_secs(60),
        )
        .expect("bundle hung on a FIFO or /dev/zero");
        assert_eq!(code(&o), Some(0), "{}", stderr(&o));
    }
    for name in ["manifest.json", "2022-11.zip", "2022-11.zip.sha256"] {
        let m = std::fs::symlink_metadata(dir.join(name)).expect("meta");
        assert!(m.is_file(), "{name}: {m:?}");
    }
    assert_eq!(zip_entries(&dir.join("2022-11.zip")).len(), 1 + 8 + 2);
}

#[test]
fn issue9_skipped_files_in_an_input_folder_are_reported() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = tmp.path().join("in");
    std::fs::create_dir_all(&input).expect("mkdir");
    std::fs::write(input.join("UPPER.YAML"), record(10, 1)).expect("upper");
    std::fs::write(input.join("Mixed.Yml"), record(11, 2)).expect("mixed");
    mkfifo(&input.join("fifo.yaml"));
    std::os::unix::fs::symlink("nowhere.yaml", input.join("dangling.yaml")).expect("dangling");
    std::os::unix::fs::symlink("loop.yaml", input.join("loop.yaml")).expect("loop");
    std::fs::write(input.join("notes.txt"), "not a record").expect("notes");
    let o = run_with_limit(
        bin()
            .args(["render", "in", "--out", "out"])
            .current_dir(tmp.path()),
        Duration::from_secs(60),
    )
    .expect("render hung");
    let err = stderr(&o);
    assert_eq!(code(&o), Some(0), "{err}");
    for skipped in ["fifo.yaml", "dangling.yaml", "loop.yaml"] {
        let line = err
            .lines()
            .position(|l| l.contains(skipped))
            .unwrap_or_else(|| panic!("{skipped} not reported:\n{err}"));
        let warning = err.lines().nth(line.saturating_sub(1)).unwrap_or("");
        assert!(warning.contains("warning: skipped"), "{skipped}:\n{err}");
    }
    assert!(!err.contains("notes.txt"), "{err}");
    assert!(err.contains("2 record(s) rendered"), "{err}");
    for stem in ["UPPER", "Mixed"] {
        assert!(tmp
            .path()
            .join("out")
            .join(stem)
            .join("tin-bai.pdf")
            .is_file());
    }
}

#[test]
fn issue9_a_symlink_to_a_file_that_is_no_record_quotes_nothing_of_it() {
    let tmp = tempfile::tempdir().expect("tempdir");
    folder_of(&tmp.path().join("in"), 1);
    // Like /etc/passwd (its lines are plain YAML scalars), with a recognisable content.
    let secret = tmp.path().join("passwd");
    std::fs::write(
        &secret,
        "root:x:0:0:rootsecret:/root:/bin/bash\ndaemon:x:1:1:daemonsecret:/usr/sbin:/usr/sbin/nologin\n",
    )
    .expect("passwd");
    std::os::unix::fs::symlink(&secret, tmp.path().join("in/passwd.yaml")).expect("link");
    std::os::unix::fs::symlink("/etc/passwd", tmp.path().join("in/etc-passwd.yaml")).expect("link");
    let o = bundle_in(tmp.path(), &[]);
    let err = stderr(&o);
    assert_eq!(code(&o), Some(1), "{err}");
    assert!(err.contains("passwd.yaml"), "{err}");
    let manifest =
        std::fs::read_to_string(month_dir(tmp.path()).join("manifest.json")).expect("manifest");
    let etc = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    for text in [&err, &manifest] {
        for word in ["rootsecret", "daemonsecret", "/bin/bash", "root:x"] {
            assert!(!text.contains(word), "`{word}` quoted:\n{text}");
        }
        for line in etc.lines().filter(|l| l.len() > 8) {
            assert!(!text.contains(line), "`{line}` quoted:\n{text}");
        }
    }
}

#[test]
fn issue9_jobs_is_capped_at_four_per_core_with_a_note() {
    let tmp = tempfile::tempdir().expect("tempdir");
    folder_of(&tmp.path().join("in"), 2);
    let o = bundle_in(tmp.path(), &["--jobs", "10000"]);
    let err = stderr(&o);
    assert_eq!(code(&o), Some(0), "{err}");
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
    assert!(
        err.contains(&format!("--jobs 10000 lowered to {}", 4 * cores)),
        "{err}"
    );
    let o = bundle_in(tmp.path(), &["--jobs", "1"]);
    assert!(!stderr(&o).contains("lowered"), "{}", stderr(&o));
}

#[test]
fn issue9_a_run_that_cannot_write_exits_3_and_help_says_so() {
    let tmp = tempfile::tempdir().expect("tempdir");
    folder_of(&tmp.path().join("in"), 1);
    // The output folder cannot be made: a file is in the way (root ignores permissions).
    std::fs::write(tmp.path().join("blocked"), "a file").expect("file");
    for args in [
        &["render", "in", "--out", "blocked/out"][..],
        &["bundle", "in", "--month", MONTH, "--out", "blocked/out"][..],
    ] {
        let o = vanthu(args, tmp.path());
        let err = stderr(&o);
        assert_eq!(code(&o), Some(3), "{args:?}: {err}");
        assert!(err.contains("blocked"), "{err}");
    }
    // Usage errors stay 2.
    let o = vanthu(&["bundle", "in", "--month", "2022-13"], tmp.path());
    assert_eq!(code(&o), Some(2));
    let help = String::from_utf8_lossy(&vanthu(&["--help"], tmp.path()).stdout).into_owned();
    assert!(help.contains("3 the run could not finish"), "{help}");
}

/// A tmpfs of `size` at a fresh folder, unmounted on drop; `None` (said loudly) when this
/// machine cannot mount one (not root, no mount(8), a container without the capability).
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(base: &Path, size: &str) -> Option<Tmpfs> {
        let dir = base.join("small-disk");
        std::fs::create_dir_all(&dir).expect("mkdir");
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&dir)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            if std::env::var("VANTHU_REQUIRE_TOOLS").is_ok_and(|v| v == "1") && is_root() {
                panic!("cannot mount a tmpfs as root (VANTHU_REQUIRE_TOOLS=1)");
            }
            eprintln!(
                "\n!!! SKIPPED: cannot mount a tmpfs (needs root); the full-disk test did not run.\n"
            );
            return None;
        }
        Some(Tmpfs(dir))
    }

    /// Fills the disk until `room` bytes are left.
    fn leave(&self, room: u64) {
        let free = free_bytes(&self.0);
        let fill = free.saturating_sub(room);
        std::fs::write(self.0.join("filler"), vec![0u8; fill as usize]).expect("filler");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

fn free_bytes(dir: &Path) -> u64 {
    let out = Command::new("df")
        .args(["--output=avail", "-B1"])
        .arg(dir)
        .output()
        .expect("df");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .nth(1)
        .and_then(|l| l.trim().parse().ok())
        .expect("df avail")
}

#[test]
fn issue9_a_full_disk_leaves_all_of_a_records_documents_or_none_and_exits_3() {
    let tmp = tempfile::tempdir().expect("tempdir");
    folder_of(&tmp.path().join("in"), 4);
    // One record's four files, measured.
    let probe = tmp.path().join("probe");
    render_ok(&tmp.path().join("in/r000.yaml"), &probe);
    let record_bytes: u64 = std::fs::read_dir(probe.join("r000"))
        .expect("ls")
        .flatten()
        .map(|e| e.metadata().expect("meta").len())
        .sum();
    let Some(disk) = Tmpfs::mount(tmp.path(), "4M") else {
        return;
    };
    // Room for one record and a half: the second runs out of space part-way.
    disk.leave(record_bytes * 3 / 2);
    let out = disk.0.join("out");
    let o = vanthu(
        &["render", "in", "--out", out.to_str().expect("utf-8")],
        tmp.path(),
    );
    let err = stderr(&o);
    assert_eq!(code(&o), Some(3), "{err}");
    assert!(err.contains("No space left"), "{err}");
    let mut complete = 0;
    for e in std::fs::read_dir(&out).expect("ls").flatten() {
        if !e.path().is_dir() {
            continue;
        }
        let names: Vec<String> = std::fs::read_dir(e.path())
            .expect("ls")
            .flatten()
            .map(|f| f.file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            names.is_empty() || names.len() == 4,
            "{:?} holds {names:?}",
            e.path()
        );
        complete += usize::from(names.len() == 4);
    }
    assert_eq!(complete, 1, "{err}");

    // A bundle whose zip does not fit: exit 3, the error on its own line.
    std::fs::remove_file(disk.0.join("filler")).expect("rm");
    std::fs::remove_dir_all(&out).expect("rm out");
    let bundle_out = disk.0.join("b");
    let args = [
        "bundle",
        "in",
        "--month",
        MONTH,
        "--out",
        bundle_out.to_str().expect("utf-8"),
    ];
    let o = vanthu(&args, tmp.path());
    assert_eq!(code(&o), Some(0), "{}", stderr(&o));
    let used = |dir: &Path| -> u64 {
        std::fs::read_dir(dir)
            .expect("ls")
            .flatten()
            .map(|e| {
                let m = e.metadata().expect("meta");
                if m.is_dir() {
                    0
                } else {
                    m.len().div_ceil(4096) * 4096
                }
            })
            .sum()
    };
    let month = bundle_out.join(MONTH);
    let records: u64 = (0..4).map(|i| used(&month.join(format!("r{i:03}")))).sum();
    let zip_len = std::fs::metadata(month.join("2022-11.zip"))
        .expect("zip")
        .len();
    let all = used(&month) + records;
    std::fs::remove_dir_all(&bundle_out).expect("rm");
    // Room for the records, the report and the manifest, and half the zip.
    disk.leave(all - zip_len / 2);
    let o = vanthu(&args, tmp.path());
    let err = stderr(&o);
    assert_eq!(code(&o), Some(3), "{err}");
    assert!(!err.contains("ZipWriter::drop"), "{err}");
    assert!(
        err.lines()
            .any(|l| l.starts_with("vanthu: error:") && l.contains("No space left")),
        "{err}"
    );
}
