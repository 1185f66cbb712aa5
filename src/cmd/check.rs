//! `vanthu check PATH…`: validates records (YAML, rules, templates, glyphs) without
//! writing anything, reporting every problem in every file.

use clap::Args;

use crate::cmd::{exit, print_diagnostics, InputArgs};
use crate::env::Env;
use crate::error::Result;
use crate::pipeline::documents_for;

#[derive(Debug, Args)]
pub(super) struct CheckArgs {
    #[command(flatten)]
    pub input: InputArgs,
}

pub(super) fn execute(args: &CheckArgs) -> Result<i32> {
    let env = Env::new(args.input.templates.as_deref(), args.input.fonts.as_deref())?;
    let files = args.input.record_files()?;
    let (mut ok, mut failed, mut warnings) = (0usize, 0usize, 0usize);
    for file in &files {
        let diags = match documents_for(&env, file) {
            Ok((loaded, _)) => {
                ok += 1;
                loaded.warnings
            }
            Err(diags) => {
                failed += 1;
                diags
            }
        };
        // Errors first, then warnings: a clerk fixes the errors, then reads the warnings.
        let (errors, warns): (Vec<_>, Vec<_>) = diags.into_iter().partition(|d| d.is_error());
        warnings += warns.len();
        print_diagnostics(&errors);
        print_diagnostics(&warns);
    }
    eprintln!("vanthu: {ok} record(s) valid, {failed} with errors, {warnings} warning(s)");
    Ok(if failed > 0 {
        exit::RECORD_FAILED
    } else {
        exit::OK
    })
}
