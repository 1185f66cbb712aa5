//! One-process speed loop for `benches/notice.sh` (issue 11, item 10): renders one document of
//! a record (by default the notice, `thong-bao-ket-luan`) as PDF and DOCX many times, each
//! time from the record's bytes (load, validate, template, assemble, both renderers), and
//! prints milliseconds per document and per stage. Not part of the product's surface.
//!
//!     cargo run --release --example notice_loop -- RECORD.yaml [N] [TEMPLATE]
//!
//! The record keeps only the chosen document (its other entries under `documents:` are cut
//! out), and each iteration names the commune differently (`Thuận` → `Thuận 17`), as the Typst
//! side of the benchmark does, so no iteration is a copy of the one before.

use std::path::Path;
use std::time::{Duration, Instant};

use vanthu::documents_for_bytes;
use vanthu::Env;
use vanthu::{renderers, RenderContext};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let record = args
        .get(1)
        .ok_or("usage: notice_loop RECORD.yaml [N] [TEMPLATE]")?;
    let n: usize = args.get(2).map(|s| s.parse()).transpose()?.unwrap_or(200);
    let template = args.get(3).map_or("thong-bao-ket-luan", String::as_str);
    let text = only_document(&std::fs::read_to_string(record)?, template);
    let variants: Vec<String> = (0..n)
        .map(|i| text.replace("Thuận", &format!("Thuận {i}")))
        .collect();
    let env = Env::new(None, None)?;
    let ctx = RenderContext {
        fonts: &env.fonts,
        epoch: env.epoch,
        pdf: Default::default(),
    };
    let renderers = renderers();
    let path = Path::new(record);
    // One untimed round: the first use of the fonts and templates is not a notice's cost.
    let mut sizes = Vec::new();
    for r in &renderers {
        let (_, docs) = documents_for_bytes(&env, path, text.as_bytes()).map_err(describe)?;
        sizes.push((r.extension(), r.render(&docs[0], &ctx)?.len()));
    }
    let mut stages = [Duration::ZERO; 3];
    let start = Instant::now();
    for v in &variants {
        let t0 = Instant::now();
        let (_, docs) = documents_for_bytes(&env, path, v.as_bytes()).map_err(describe)?;
        let doc = docs.first().ok_or("the record lists no such document")?;
        stages[0] += t0.elapsed();
        for (stage, r) in stages[1..].iter_mut().zip(&renderers) {
            let t = Instant::now();
            let bytes = r.render(doc, &ctx)?;
            *stage += t.elapsed();
            std::hint::black_box(bytes);
        }
    }
    let total = start.elapsed();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0 / n as f64;
    println!(
        "vanthu {template} (PDF + DOCX) x{n}: {:.3} ms/doc [document {:.3}, pdf {:.3}, docx {:.3}] sizes {:?}",
        ms(total),
        ms(stages[0]),
        ms(stages[1]),
        ms(stages[2]),
        sizes
    );
    Ok(())
}

/// The record's text with only the `documents:` entry whose template is `template`.
fn only_document(text: &str, template: &str) -> String {
    let mut out = String::new();
    let mut in_documents = false;
    let mut entry = String::new();
    let flush = |entry: &mut String, out: &mut String| {
        if entry.contains(&format!("template: {template}")) {
            out.push_str(entry);
        }
        entry.clear();
    };
    for line in text.split_inclusive('\n') {
        if !in_documents {
            out.push_str(line);
            in_documents = line.trim_end() == "documents:";
            continue;
        }
        if line.starts_with("  - ") {
            flush(&mut entry, &mut out);
        }
        entry.push_str(line);
    }
    flush(&mut entry, &mut out);
    out
}

fn describe(diags: Vec<vanthu::Diagnostic>) -> String {
    diags
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}
