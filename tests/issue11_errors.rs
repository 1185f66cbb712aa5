//! Issue 11, typed errors and exit codes, run as the real binary on a real full filesystem:
//! a tmpfs mounted in a user and mount namespace of its own (`unshare -rm`, no root needed
//! where unprivileged namespaces are allowed), filled until a few bytes are left. Where no
//! such filesystem can be made the tests skip loudly, or fail under `VANTHU_REQUIRE_TOOLS=1`.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use common::*;

/// Runs inside the namespace: mounts the tmpfs at `$1`, optionally runs the command once
/// with room to spare and removes `$PREP_RM` (a file of its output) afterwards, fills the
/// disk until `$2` bytes are left, runs the command, and copies what the disk holds to `$3`
/// (the tmpfs ends with the namespace). Exit 97: no tmpfs; 96: the first run failed.
const SCRIPT: &str = r#"
set -u
disk=$1 room=$2 keep=$3
shift 3
mount -t tmpfs -o size=8m tmpfs "$disk" || exit 97
if [ -n "${PREP_RM:-}" ]; then
    "$@" >/dev/null 2>&1 || exit 96
    rm "$disk/$PREP_RM" || exit 96
fi
avail=$(df --output=avail -B1 "$disk" | tail -n 1)
head -c $((avail - room)) /dev/zero > "$disk/filler"
"$@"
rc=$?
rm -f "$disk/filler"
cp -a "$disk/." "$keep"
exit $rc
"#;

/// Can this machine mount a tmpfs in a namespace of its own? If not, says so loudly (or
/// fails under `VANTHU_REQUIRE_TOOLS=1`).
fn small_disks() -> bool {
    let probe = tempfile::tempdir().expect("tempdir");
    let ok = Command::new("unshare")
        .args(["-rm", "mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs"])
        .arg(probe.path())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        if std::env::var("VANTHU_REQUIRE_TOOLS").is_ok_and(|v| v == "1") {
            panic!("cannot mount a tmpfs with `unshare -rm` (VANTHU_REQUIRE_TOOLS=1)");
        }
        eprintln!(
            "\n!!! SKIPPED: cannot mount a tmpfs in a user namespace (`unshare -rm`); the \
             full-disk test did not run.\n"
        );
    }
    ok
}

/// `vanthu ARGS` (whose output goes under `disk`) on a full disk with `room` bytes left,
/// from `cwd`; what the disk held afterwards is copied to `keep`. `prep_rm`: run once with
/// room first and remove this file (relative to `disk`) of what it wrote.
fn on_full_disk(
    cwd: &Path,
    disk: &Path,
    room: u64,
    keep: &Path,
    prep_rm: Option<&str>,
    args: &[&str],
) -> Output {
    std::fs::create_dir_all(disk).expect("mkdir disk");
    std::fs::create_dir_all(keep).expect("mkdir keep");
    let mut c = Command::new("unshare");
    c.args(["-rm", "sh", "-c", SCRIPT, "sh"])
        .arg(disk)
        .arg(room.to_string())
        .arg(keep)
        .arg(env!("CARGO_BIN_EXE_vanthu"))
        .args(args)
        .current_dir(cwd)
        .env_remove("SOURCE_DATE_EPOCH");
    if let Some(rm) = prep_rm {
        c.env("PREP_RM", rm);
    }
    let o = c.output().expect("run unshare");
    assert_ne!(o.status.code(), Some(97), "no tmpfs: {}", stderr(&o));
    assert_ne!(o.status.code(), Some(96), "first run: {}", stderr(&o));
    o
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The records of `input/` and `tests/fixtures/good/` in `dir`.
fn records_in(dir: &Path) -> Vec<String> {
    std::fs::create_dir_all(dir).expect("mkdir");
    let mut stems = Vec::new();
    for folder in [root().join("input"), root().join("tests/fixtures/good")] {
        for e in std::fs::read_dir(folder).expect("ls").flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "yaml") {
                std::fs::copy(&p, dir.join(e.file_name())).expect("copy");
                let stem = p.file_stem().expect("stem").to_string_lossy().into_owned();
                stems.push(stem);
            }
        }
    }
    stems.sort();
    stems
}

/// The files of a folder: name and bytes, sorted.
fn files_of(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .filter(|e| e.path().is_file())
                .map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    (name, std::fs::read(e.path()).expect("read"))
                })
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Bytes a tmpfs gives these files (whole pages).
fn pages(files: &[(String, Vec<u8>)]) -> u64 {
    files
        .iter()
        .map(|(_, b)| (b.len() as u64).div_ceil(4096) * 4096)
        .sum()
}

/// Every path under `dir` whose name is a vanthu temp file.
fn temps_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if e.file_name().to_string_lossy().starts_with(".vanthu-") {
                found.push(p.clone());
            }
            if p.is_dir() {
                todo.push(p);
            }
        }
    }
    found
}

/// The `vanthu: error:` line of stderr.
fn error_line(err: &str) -> &str {
    err.lines()
        .find(|l| l.starts_with("vanthu: error:"))
        .unwrap_or_else(|| panic!("no error line:\n{err}"))
}

#[test]
fn issue11_disk_full_render_exits_3_naming_the_file() {
    if !small_disks() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let stems = records_in(&tmp.path().join("in"));
    assert!(stems.len() >= 3, "{stems:?}");
    // The files each record makes, rendered with room to spare.
    let reference = tmp.path().join("ref");
    let o = bin()
        .args(["render", "in", "-o"])
        .arg(&reference)
        .current_dir(tmp.path())
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let made: Vec<Vec<(String, Vec<u8>)>> =
        stems.iter().map(|s| files_of(&reference.join(s))).collect();
    // Room for the first record and half the second: the disk fills part-way through it.
    let room = pages(&made[0]) + pages(&made[1]) / 2;
    let disk = tmp.path().join("disk");
    let keep = tmp.path().join("keep");
    let out = disk.join("out");
    let o = on_full_disk(
        tmp.path(),
        &disk,
        room,
        &keep,
        None,
        &["render", "in", "-o", out.to_str().expect("utf-8")],
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(3), "{err}");
    // The error names the output that did not fit, by its own name, not a temp file's.
    let line = error_line(&err);
    let second = out.join(&stems[1]);
    assert!(
        line.contains(&format!("{}/", second.display())) && line.contains("No space left"),
        "{line}"
    );
    assert!(!line.contains(".vanthu-"), "{line}");
    // Nothing half-written: no temp file left, a record's files all there or none, each
    // complete.
    assert_eq!(temps_under(&keep), Vec::<PathBuf>::new());
    assert_eq!(files_of(&keep.join("out").join(&stems[0])), made[0]);
    for (stem, want) in stems.iter().zip(&made).skip(1) {
        let got = files_of(&keep.join("out").join(stem));
        assert!(
            got.is_empty() || &got == want,
            "{stem}: {} files",
            got.len()
        );
    }
    assert!(files_of(&keep.join("out").join(&stems[1])).is_empty());
}

#[test]
fn issue11_disk_full_writing_the_monthly_report_exits_3_naming_the_file() {
    if !small_disks() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    records_in(&tmp.path().join("in"));
    let disk = tmp.path().join("disk");
    let keep = tmp.path().join("keep");
    let out = disk.join("b");
    let report = "b/2022-11/bao-cao-thang.pdf";
    // A first run makes the bundle; without its report PDF, the second run reuses every
    // record and renders the report alone, straight into its file, with 8 KiB left.
    let o = on_full_disk(
        tmp.path(),
        &disk,
        8192,
        &keep,
        Some(report),
        &[
            "bundle",
            "in",
            "--month",
            "2022-11",
            "-o",
            out.to_str().expect("utf-8"),
        ],
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(3), "{err}");
    let line = error_line(&err);
    assert!(
        line.contains(&disk.join(report).display().to_string()) && line.contains("No space left"),
        "{line}"
    );
    assert_eq!(temps_under(&keep), Vec::<PathBuf>::new());
    assert!(!keep.join(report).exists());
    let month = keep.join("b/2022-11");
    assert!(month.join("manifest.json").is_file() && month.join("2022-11.zip").is_file());
}
