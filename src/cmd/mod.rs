//! Subcommands. Each is an args struct plus `execute`, returning the exit code:
//! 0 all good, 1 some record failed (the others were still processed), 2 usage error.

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

pub fn print_diagnostics(diags: &[Diagnostic]) {
    for d in diags {
        eprint!("{d}");
        eprintln!();
    }
}
