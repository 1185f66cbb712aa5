//! load → validate → glyph check → template → document → PDF and DOCX bytes, on arbitrary
//! bytes given as a record file. Any panic, abort, timeout or out-of-memory is a finding;
//! an input refused with diagnostics is the expected outcome for almost every input.
//!
//! Every document of a record that renders must carry every word, in order: the
//! differential check of the tests (`tests/it/common/words.rs`, issue 9) reads the PDF back with
//! lopdf and the DOCX's XML, and a lost, added or misplaced word is a finding.
//!
//! The bytes go through a file because `pipeline::documents_for` (the same entry point as
//! `vanthu check` and `vanthu render`) takes a path.

#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use vanthu::Env;
use vanthu::internals::load_bytes;
use vanthu::documents_for;
use vanthu::{renderers, RenderContext};

#[allow(dead_code)]
#[path = "../../tests/it/common/docx.rs"]
mod docx;
#[allow(dead_code)]
#[path = "../../tests/it/common/pdf.rs"]
mod pdf;
#[allow(dead_code)]
#[path = "../../tests/it/common/words.rs"]
mod words;

fn env() -> &'static Env {
    static ENV: OnceLock<Env> = OnceLock::new();
    ENV.get_or_init(|| Env::new(None, None).expect("built-in templates and fonts"))
}

fn scratch() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        std::env::temp_dir().join(format!("vanthu-fuzz-{}.yaml", std::process::id()))
    })
}

fuzz_target!(|data: &[u8]| {
    let env = env();
    // The loader on its own: never panics, and every diagnostic names the file.
    if let Err(diags) = load_bytes(scratch(), data) {
        assert!(
            diags.iter().any(|d| d.is_error()),
            "refused without an error"
        );
        for d in &diags {
            let _ = d.to_string();
        }
        return;
    }
    // The whole pipeline, as `vanthu render` runs it.
    std::fs::write(scratch(), data).expect("scratch file");
    let Ok((_, docs)) = documents_for(env, scratch()) else {
        return;
    };
    let ctx = RenderContext {
        fonts: &env.fonts,
        epoch: 0,
        pdf: Default::default(),
    };
    for doc in &docs {
        let mut files = renderers()
            .iter()
            .map(|r| {
                r.render(doc, &ctx)
                    .unwrap_or_else(|e| panic!("a record that passed `check` failed to render: {e}"))
            })
            .collect::<Vec<_>>();
        let (docx, pdf) = (files.pop().expect("docx"), files.pop().expect("pdf"));
        if let Err(e) = words::check(doc, &pdf, &docx) {
            panic!("lost or misplaced text: {e}");
        }
    }
});
