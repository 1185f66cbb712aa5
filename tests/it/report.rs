//! The monthly summary report (`bao-cao-thang`, issue 4): a table of the month's sessions
//! and a section per session, in PDF and DOCX.

use crate::common;

use std::path::Path;

use common::*;
use vanthu::load_file;
use vanthu::Env;
use vanthu::{renderers, RenderContext};

#[test]
fn issue4_monthly_report_has_a_session_table_and_each_sessions_conclusions() {
    let env = Env::new(None, None).unwrap();
    let a = load_file(&reference_record()).unwrap();
    let long = load_file(&root().join("tests/fixtures/good/long-40-directives.yaml")).unwrap();
    let records = vec![
        ("thuan-2022-11-10".to_string(), &a.record),
        ("long-40-directives".to_string(), &long.record),
    ];
    let doc = vanthu::month_report(&env, 2022, 11, &records)
        .unwrap()
        .expect("a report");
    let ctx = RenderContext {
        fonts: &env.fonts,
        epoch: 0,
        pdf: Default::default(),
    };
    let dir = tempfile::tempdir().unwrap();
    let dir_keep = std::env::var("VANTHU_KEEP").ok();
    let mut files = Vec::new();
    for r in renderers() {
        let bytes = r.render(&doc, &ctx).unwrap();
        let base = dir_keep.as_deref().map(Path::new).unwrap_or(dir.path());
        let path = base.join(format!("bao-cao-thang.{}", r.extension()));
        std::fs::write(&path, bytes).unwrap();
        files.push(path);
    }
    let pages = pdf::read(&files[0]);
    let lines = pdf::body_lines(&pages);
    let text = normalise(&lines.join("\n"));
    assert!(text.contains("BÁO CÁO"));
    assert!(
        text.contains("kết quả các buổi làm việc tháng 11 năm 2022"),
        "{text}"
    );
    // The table: header cells and one row per session, as separate cells on one row.
    let p1 = pages[0].text_lines();
    let header = p1.iter().find(|l| l.text() == "STT").expect("table header");
    let row_cells: Vec<String> = p1
        .iter()
        .filter(|l| (l.y() - header.y()).abs() < 0.3)
        .map(|l| l.text())
        .collect();
    assert!(
        row_cells.contains(&"Ngày".to_string()) && row_cells.contains(&"Chủ trì".to_string()),
        "{row_cells:?}"
    );
    let rows: Vec<Vec<String>> = p1
        .iter()
        .filter(|l| l.text() == "10/11/2022")
        .map(|d| {
            p1.iter()
                .filter(|l| (l.y() - d.y()).abs() < 0.3)
                .map(|l| l.text())
                .collect()
        })
        .collect();
    assert_eq!(rows.len(), 2, "{rows:?}");
    let counts: Vec<&String> = rows.iter().filter_map(|r| r.last()).collect();
    assert_eq!(
        counts,
        ["40", "8"],
        "sessions sorted by date then file: {rows:?}"
    );
    assert!(rows
        .iter()
        .all(|r| r.contains(&"Nguyễn Tăng".to_string())
            && r.contains(&"Đảng ủy xã Thuận".to_string())));
    // Ruled: a line above the header, under it and under each row.
    let table_rules = pages[0]
        .lines
        .iter()
        .filter(|r| r.y >= header.y() - 8.0 && r.y <= header.y() + 20.0 && r.x1 - r.x0 > 150.0)
        .count();
    assert!(table_rules >= 4, "{table_rules} horizontal rules");
    // Each session's conclusions.
    assert!(text.contains("Buổi làm việc với Đảng ủy xã Thuận (ngày 10 tháng 11 năm 2022)"));
    assert!(text.contains("(8) Quan tâm công tác đào tạo"));
    assert!(text.contains("(40)"));
    // The number is left blank for the register.
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("Số \u{a0}") && l.ends_with("-BC/HU")),
        "{lines:?}"
    );
    // DOCX: same words, a real table.
    let xml = docx::part(&files[1], "word/document.xml");
    assert!(xml.contains("<w:tbl>") || xml.contains("<w:tbl "));
    let mut rep = layout::Report::default();
    layout::check_same_text(&files[0], &files[1], &mut rep);
    assert!(rep.failures().is_empty(), "{:?}", rep.failures());
    if have("soffice") && have("pdfinfo") {
        let lo = tempfile::tempdir().unwrap();
        assert_eq!(
            pdf_pages(&files[0]),
            pdf_pages(&libreoffice_pdf(&files[1], lo.path()))
        );
    }
}

/// Copies records into a folder and describes them as the bundle's scan does.
fn on_disk(dir: &Path, records: &[(&str, &Path)]) -> Vec<vanthu::internals::SessionRef> {
    use sha2::{Digest, Sha256};
    records
        .iter()
        .map(|(stem, src)| {
            let path = dir.join(format!("{stem}.yaml"));
            std::fs::copy(src, &path).unwrap();
            let bytes = std::fs::read(&path).unwrap();
            let date = load_file(&path).unwrap().record.session_date().unwrap();
            vanthu::internals::SessionRef {
                path,
                stem: stem.to_string(),
                date,
                sha256: Sha256::digest(&bytes)
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect(),
            }
        })
        .collect()
}

fn long_record() -> std::path::PathBuf {
    root().join("tests/fixtures/good/long-40-directives.yaml")
}

fn state_record() -> std::path::PathBuf {
    root().join("tests/fixtures/good/xa-an-phu-2023-01-05.yaml")
}

#[test]
fn issue4_report_streams_records_from_disk() {
    use vanthu::internals::{with_report_stream, MonthSessions};
    let env = Env::new(None, None).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (reference, long) = (reference_record(), long_record());
    let refs = on_disk(
        dir.path(),
        &[
            ("b-thuan", &reference),
            ("a-long", &long),
            ("c-thuan", &reference),
        ],
    );
    let streamed = with_report_stream(&env, 2022, 11, MonthSessions::from_disk(refs), |s| {
        s.collect()
    })
    .unwrap()
    .expect("a report");
    // The same document as from the records held in memory.
    let a = load_file(&reference).unwrap().record;
    let l = load_file(&long).unwrap().record;
    let held = vanthu::month_report(
        &env,
        2022,
        11,
        &[
            ("c-thuan".to_string(), &a),
            ("b-thuan".to_string(), &a),
            ("a-long".to_string(), &l),
        ],
    )
    .unwrap()
    .unwrap();
    assert_eq!(streamed, held);
    let texts: Vec<String> = streamed.paragraphs().iter().map(|p| p.text()).collect();
    assert!(
        texts
            .iter()
            .any(|t| t.contains("đã tổ chức 3 buổi làm việc")),
        "{texts:?}"
    );
    // The table: one row per session, by date then file stem.
    let table = streamed
        .blocks
        .iter()
        .find_map(|b| match b {
            vanthu::document::Block::Table(t) => Some(t),
            _ => None,
        })
        .expect("the session table");
    let rows: Vec<(String, String)> = table
        .rows
        .iter()
        .map(|r| (r[0].text(), r[4].text()))
        .collect();
    assert_eq!(
        rows,
        [
            ("1".into(), "40".into()),
            ("2".into(), "8".into()),
            ("3".into(), "8".into())
        ]
    );
    // One section per session, each with its own directives.
    let sections: Vec<&String> = texts
        .iter()
        .filter(|t| t.starts_with("2.") && t.contains("Buổi làm việc với"))
        .collect();
    assert_eq!(sections.len(), 3, "{sections:?}");
    assert!(sections[2].starts_with("2.3. Buổi làm việc với Đảng ủy xã Thuận"));
    assert_eq!(texts.iter().filter(|t| t.starts_with("(40) ")).count(), 1);
    assert_eq!(texts.iter().filter(|t| t.starts_with("(8) ")).count(), 3);
    // The last body paragraph is kept with what follows (an official document).
    let last_body = streamed
        .blocks
        .iter()
        .rev()
        .find_map(|b| match b {
            vanthu::document::Block::Para(p) => Some(p),
            _ => None,
        })
        .unwrap();
    assert!(last_body.keep_with_next && last_body.text().starts_with("(8) "));
}

#[test]
fn issue4_report_changed_file_is_an_error() {
    use vanthu::internals::{with_report_stream, MonthSessions};
    let env = Env::new(None, None).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (reference, long) = (reference_record(), long_record());
    let refs = on_disk(dir.path(), &[("a", &reference), ("b", &long)]);
    // The second record changes after the scan: one more character in a comment.
    let changed = dir.path().join("b.yaml");
    let mut text = std::fs::read_to_string(&changed).unwrap();
    text.push_str("# sửa\n");
    std::fs::write(&changed, text).unwrap();
    let err = with_report_stream(
        &env,
        2022,
        11,
        MonthSessions::from_disk(refs.clone()),
        |s| s.collect(),
    )
    .expect_err("an error");
    let msg = err.to_string();
    assert!(msg.contains("b.yaml") && msg.contains("changed"), "{msg}");
    // A file that is gone is an error naming it too.
    std::fs::remove_file(&changed).unwrap();
    let msg = with_report_stream(&env, 2022, 11, MonthSessions::from_disk(refs), |s| {
        s.collect()
    })
    .expect_err("an error")
    .to_string();
    assert!(msg.contains("b.yaml"), "{msg}");
}

#[test]
fn issue4_report_markup_is_cut_only_where_the_parse_cannot_change() {
    use std::sync::atomic::AtomicUsize;
    use std::sync::Arc;
    use vanthu::internals::parse_markup as parse;
    use vanthu::internals::Chunker;
    use vanthu::internals::MarkupSink;
    use vanthu::internals::{report_data, MonthSessions, TEMPLATE};
    let env = Env::new(None, None).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (reference, long, state) = (reference_record(), long_record(), state_record());
    let refs = on_disk(
        dir.path(),
        &[
            ("a", &reference),
            ("b", &long),
            ("c", &state),
            ("d", &reference),
        ],
    );
    let sessions = Arc::new(MonthSessions::from_disk(refs));
    let data = report_data(2022, 11, 4);
    let mut pieces: Vec<String> = Vec::new();
    let marks = Arc::new(AtomicUsize::new(0));
    let mut sink = MarkupSink {
        chunker: Chunker::new(env.engine.cuttable(TEMPLATE)),
        marks: marks.clone(),
        seen: 0,
        pending: Vec::new(),
        emit: |p: &str| {
            pieces.push(p.to_string());
            Ok(())
        },
    };
    env.engine
        .render_body_to(TEMPLATE, &data, sessions.clone(), marks, &mut sink)
        .unwrap();
    sink.finish().unwrap();
    let mut whole = Vec::new();
    env.engine
        .render_body_to(
            TEMPLATE,
            &data,
            sessions,
            Arc::new(AtomicUsize::new(0)),
            &mut whole,
        )
        .unwrap();
    let whole = String::from_utf8(whole).unwrap();
    assert_eq!(pieces.concat(), whole);
    // The intro and the whole table, then one piece per session's section.
    assert_eq!(pieces.len(), 5, "{pieces:#?}");
    assert!(pieces[0].contains("| STT |") && pieces[0].contains("| 4 |"));
    assert!(pieces[1].starts_with("\n**2. Kết luận"));
    assert!(pieces[4].starts_with("\n**2.4. "));
    let chunked: Vec<_> = pieces.iter().flat_map(|p| parse(p)).collect();
    assert_eq!(chunked, parse(&whole));
}

#[test]
fn issue4_a_failing_renderer_ends_the_report_producer() {
    use vanthu::internals::{with_report_stream, MonthSessions};
    let env = Env::new(None, None).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let long = long_record();
    let stems: Vec<String> = (0..20).map(|i| format!("r{i:02}")).collect();
    let list: Vec<(&str, &Path)> = stems.iter().map(|s| (s.as_str(), long.as_path())).collect();
    let refs = on_disk(dir.path(), &list);
    let (done_tx, done_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        // 20 sessions of 40 directives: far more blocks than the channel holds.
        let r = with_report_stream(&env, 2022, 11, MonthSessions::from_disk(refs), |mut s| {
            for _ in 0..3 {
                s.blocks.next().unwrap().unwrap();
            }
            Err::<(), _>(vanthu::Error::Pdf("the renderer failed".into()))
        });
        let _ = done_tx.send(r.err().map(|e| e.to_string()));
    });
    let got = done_rx
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("the producer thread ended");
    assert_eq!(got.as_deref(), Some("PDF: the renderer failed"));
}

/// Issue 11: the report's renderers share one reading of the records. Three records on disk,
/// two `{{#each_session}}` loops in the template, the first record read once more for the
/// issuer: 7 reads for the PDF and the DOCX together (the same as for one renderer), and both
/// streams carry the same blocks as the document built from the records in memory.
#[test]
fn issue11_report_reads_each_record_once_for_both_renderers() {
    use std::sync::atomic::Ordering;
    use vanthu::internals::{with_report_streams, MonthSessions};
    let env = Env::new(None, None).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (reference, long) = (reference_record(), long_record());
    let refs = on_disk(
        dir.path(),
        &[("a", &reference), ("b", &long), ("c", &reference)],
    );
    let sessions = MonthSessions::from_disk(refs.clone());
    let reads = sessions.reads();
    let streams = with_report_streams(&env, (2022, 11), sessions, 2, |_, s| {
        s.blocks
            .map(|b| b.map(|b| b.into_owned()))
            .collect::<vanthu::Result<Vec<_>>>()
    })
    .unwrap()
    .expect("a report");
    assert_eq!(reads.load(Ordering::Relaxed), 7);
    assert_eq!(streams.len(), 2);
    assert_eq!(streams[0], streams[1]);
    let one = MonthSessions::from_disk(refs);
    let one_reads = one.reads();
    let alone = vanthu::internals::with_report_stream(&env, 2022, 11, one, |s| s.collect())
        .unwrap()
        .expect("a report");
    assert_eq!(one_reads.load(Ordering::Relaxed), 7);
    assert_eq!(alone.blocks, streams[0]);
}

/// Issue 11: when one renderer of the report fails, its own error is reported, not the
/// knock-on error of the stream it stopped for the other.
#[test]
fn issue11_report_names_the_renderer_error_that_stopped_it() {
    use vanthu::internals::{with_report_streams, MonthSessions};
    let env = Env::new(None, None).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let reference = reference_record();
    let refs = on_disk(dir.path(), &[("a", &reference), ("b", &reference)]);
    for failing in [0, 1] {
        let err = with_report_streams(
            &env,
            (2022, 11),
            MonthSessions::from_disk(refs.clone()),
            2,
            |i, mut s| {
                if i == failing {
                    let _ = s.blocks.next();
                    return Err(vanthu::Error::Pdf(format!("renderer {i} gave up")));
                }
                s.blocks.try_for_each(|b| b.map(drop))
            },
        )
        .expect_err("an error");
        assert!(
            err.to_string()
                .contains(&format!("renderer {failing} gave up")),
            "{err}"
        );
    }
}
