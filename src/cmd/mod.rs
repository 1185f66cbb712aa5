//! Subcommands. Each is an args struct plus `execute`, returning the exit code:
//! 0 all good, 1 some record failed (the others were still processed), 2 usage error,
//! 3 the run could not finish (a full disk, an output folder that cannot be written or is
//! locked by another run).

pub mod bundle;
pub mod check;
pub mod render;
pub mod schema;

use std::path::PathBuf;

use clap::Args;

use crate::diag::Diagnostic;

/// The process exit codes.
pub mod exit {
    pub const OK: i32 = 0;
    pub const RECORD_FAILED: i32 = 1;
    pub const USAGE: i32 = 2;
    pub const UNFINISHED: i32 = 3;

    /// The exit code for an error that stopped the run: writing failed or the folder is
    /// locked (3), otherwise what was asked cannot be done as asked (2).
    pub fn for_error(e: &crate::error::Error) -> i32 {
        match e {
            crate::error::Error::Io { .. } | crate::error::Error::Unfinished(_) => UNFINISHED,
            _ => USAGE,
        }
    }
}

/// Options shared by the commands that read records.
#[derive(Debug, Args, Clone)]
pub struct InputArgs {
    /// Record files or folders of records (`*.yaml`).
    #[arg(default_value = "input")]
    pub paths: Vec<PathBuf>,
    /// Folder of templates overriding the built-in ones, file by file (`<name>.hbs`).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Folder with `<Family>-{Regular,Bold,Italic,BoldItalic}.ttf` replacing the built-in fonts.
    #[arg(long, value_name = "DIR")]
    pub fonts: Option<PathBuf>,
}

impl InputArgs {
    /// The record files the paths name; folder entries skipped (not regular files) are
    /// reported as warnings on stderr.
    pub fn record_files(&self) -> crate::error::Result<Vec<PathBuf>> {
        let found = crate::env::record_files(&self.paths)?;
        print_diagnostics(&found.skipped);
        Ok(found.files)
    }
}

pub fn print_diagnostics(diags: &[Diagnostic]) {
    for d in diags {
        eprint!("{d}");
        eprintln!();
    }
}
