//! `vanthu render PATH… [--out DIR]`: every document of every record, as PDF and DOCX,
//! into `OUT/<record stem>/<template>.<ext>`, a record's files all or none. The output folder
//! is locked (`OUT/.vanthu.lock`) from the first write, so two renders cannot interleave.

use std::path::PathBuf;

use clap::Args;

use crate::cmd::{exit, print_diagnostics, InputArgs};
use crate::env::Env;
use crate::error::Result;
use crate::output::{lock_folder, output_path, real_dir, write_together, FolderLock, WriteMode};
use crate::pipeline::{render_record, RenderedFile};
use crate::render::PdfOptions;

#[derive(Debug, Args)]
pub(super) struct RenderArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub pdf: PdfArgs,
    /// Output folder.
    #[arg(long, short, default_value = "out", value_name = "DIR")]
    pub out: PathBuf,
}

/// What the PDF holds besides the pages (render and bundle).
#[derive(Debug, Args)]
pub(super) struct PdfArgs {
    /// Give the PDF empty signature fields where the document keeps room for signatures
    /// (`person-1`…, `organisation`, `electronic`), for `vanthu sign`. The pages are the same.
    #[arg(long)]
    pub signing_fields: bool,
    /// Write PDF/A-2b (archival): XMP metadata and an sRGB output intent.
    #[arg(long)]
    pub pdfa: bool,
}

impl PdfArgs {
    pub(super) fn options(&self) -> PdfOptions {
        PdfOptions {
            signing_fields: self.signing_fields,
            pdfa: self.pdfa,
        }
    }
}

pub(super) fn execute(args: &RenderArgs) -> Result<i32> {
    let mut env = Env::new(args.input.templates.as_deref(), args.input.fonts.as_deref())?;
    env.pdf = args.pdf.options();
    let files = args.input.record_files()?;
    let (mut ok, mut failed, mut written) = (0usize, 0usize, 0usize);
    let mut lock: Option<FolderLock> = None;
    for file in &files {
        let outcome = render_record(&env, file);
        print_diagnostics(&outcome.warnings);
        match outcome.result {
            Ok(rendered) => {
                let stem = file
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                if lock.is_none() {
                    let lock_file = args.out.join(".vanthu.lock");
                    lock = Some(lock_folder(&args.out, &lock_file, false)?);
                }
                written += write_record(&args.out, &stem, &rendered)?;
                ok += 1;
            }
            Err(diags) => {
                print_diagnostics(&diags);
                failed += 1;
            }
        }
    }
    eprintln!(
        "vanthu: {ok} record(s) rendered, {failed} failed, {written} file(s) in {}",
        args.out.display()
    );
    Ok(if failed > 0 {
        exit::RECORD_FAILED
    } else {
        exit::OK
    })
}

/// Writes a record's files into `OUT/<stem>/`, all or none; returns how many it holds.
fn write_record(out: &std::path::Path, stem: &str, rendered: &[RenderedFile]) -> Result<usize> {
    let mut writes = Vec::with_capacity(rendered.len());
    for f in rendered {
        let path = output_path(out, stem, &format!("{}.{}", f.template, f.extension))?;
        writes.push((path, f.bytes.as_slice()));
    }
    if let Some(folder) = writes.first().and_then(|(p, _)| p.parent()) {
        real_dir(folder)?;
    }
    let mode = WriteMode {
        sync: true,
        skip_unchanged: true,
    };
    write_together(&writes, mode)?;
    Ok(writes.len())
}
