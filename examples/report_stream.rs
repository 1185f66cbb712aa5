//! Measures the monthly report stream alone: reads the records of a folder (keeping only
//! path, stem, date and SHA-256), then drains the report's `DocumentStream`, counting blocks
//! and dropping them. Run under `/usr/bin/time -v` for the peak RSS:
//!
//!     cargo run --release --example report_stream -- /tmp/r10k 2022-11

use std::time::Instant;

use sha2::{Digest, Sha256};
use vanthu::internals::{with_report_stream, MonthSessions, SessionRef};
use vanthu::load_file;
use vanthu::Env;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (dir, month) = (args.get(1).ok_or("folder")?, args.get(2).ok_or("YYYY-MM")?);
    let (y, m) = month.split_once('-').ok_or("YYYY-MM")?;
    let (year, month): (i32, u32) = (y.parse()?, m.parse()?);
    let env = Env::new(None, None)?;
    let start = Instant::now();
    let mut refs = Vec::new();
    for path in vanthu::internals::record_files(&[dir.into()])?.files {
        let bytes = std::fs::read(&path)?;
        let Ok(loaded) = load_file(&path) else {
            continue;
        };
        let Some(date) = loaded.record.session_date() else {
            continue;
        };
        if (date.year, date.month) != (year, month) {
            continue;
        }
        refs.push(SessionRef {
            stem: path
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into(),
            path,
            date,
            sha256: Sha256::digest(&bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect(),
        });
    }
    let scanned = start.elapsed();
    let start = Instant::now();
    let n = refs.len();
    let blocks = with_report_stream(&env, year, month, MonthSessions::from_disk(refs), |s| {
        let mut count = 0usize;
        for b in s.blocks {
            b?;
            count += 1;
        }
        Ok(count)
    })?
    .unwrap_or(0);
    println!(
        "{n} sessions: scan {:.2} s; report stream {blocks} blocks in {:.2} s",
        scanned.as_secs_f64(),
        start.elapsed().as_secs_f64()
    );
    Ok(())
}
