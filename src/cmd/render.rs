//! `vanthu render PATH… [--out DIR]`: every document of every record, as PDF and DOCX,
//! into `OUT/<record stem>/<template>.<ext>`.

use std::path::PathBuf;

use clap::Args;

use crate::cmd::{exit, print_diagnostics, InputArgs};
use crate::env::{record_files, Env};
use crate::error::Result;
use crate::output::{output_path, write_atomic};
use crate::pipeline::render_record;

#[derive(Debug, Args)]
pub struct RenderArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output folder.
    #[arg(long, short, default_value = "out", value_name = "DIR")]
    pub out: PathBuf,
}

pub fn execute(args: &RenderArgs) -> Result<i32> {
    let env = Env::new(args.input.templates.as_deref(), args.input.fonts.as_deref())?;
    let files = record_files(&args.input.paths)?;
    let (mut ok, mut failed, mut written) = (0usize, 0usize, 0usize);
    for file in &files {
        let outcome = render_record(&env, file);
        print_diagnostics(&outcome.warnings);
        match outcome.result {
            Ok(rendered) => {
                let stem = file
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                for f in &rendered {
                    let path =
                        output_path(&args.out, &stem, &format!("{}.{}", f.template, f.extension))?;
                    write_atomic(&path, &f.bytes)?;
                    written += 1;
                }
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
