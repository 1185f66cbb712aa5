//! Subcommands. Each is an args struct plus `execute`, returning the exit code:
//! 0 all good, 1 some record failed (the others were still processed), 2 usage error,
//! 3 the run could not finish (a full disk, an output folder that cannot be written or is
//! locked by another run).

mod bundle;
mod check;
mod key;
mod prompt;
mod render;
mod schema;
mod sign;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::diag::Diagnostic;

/// The process exit codes.
pub mod exit {
    use crate::error::Error;

    pub const OK: i32 = 0;
    pub const RECORD_FAILED: i32 = 1;
    pub const USAGE: i32 = 2;
    pub const UNFINISHED: i32 = 3;

    /// The exit code for an error that stopped the run, by variant (no catch-all, so a new
    /// variant must be sorted here): what was asked cannot be done as asked (2: arguments,
    /// fonts, templates), or the run could not finish (3: a file could not be read or
    /// written, the folder is locked, a renderer or the archive failed).
    pub fn for_error(e: &Error) -> i32 {
        match e {
            Error::Usage(_) | Error::Font(_) | Error::Template { .. } | Error::Sign { .. } => USAGE,
            Error::Io { .. }
            | Error::Locked { .. }
            | Error::Zip { .. }
            | Error::Manifest(_)
            | Error::Reread { .. }
            | Error::Threads(_)
            | Error::Spawn(_)
            | Error::Pdf(_)
            | Error::Docx(_) => UNFINISHED,
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

#[derive(Parser)]
#[command(
    name = "vanthu",
    version,
    about = "Official-format PDF and DOCX from working-session records",
    after_help = "Exit codes: 0 done; 1 some record failed (the others were written); \
                  2 usage error; 3 the run could not finish (disk full, output not writable, \
                  output folder locked by another run)."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Render every document of every record to PDF and DOCX.
    Render(render::RenderArgs),
    /// Validate records without writing anything.
    Check(check::CheckArgs),
    /// Bundle one month: every record's documents, the monthly report, a manifest and a zip.
    Bundle(bundle::BundleArgs),
    /// Print the JSON Schema of a record (for editors: `# yaml-language-server: $schema=…`).
    Schema(schema::SchemaArgs),
    /// Sign a PDF (PAdES, by incremental update) as a signer, the organisation's seal, or the
    /// electronic signature of an attachment or copy.
    Sign(sign::SignArgs),
}

/// Runs the command line: parses the arguments, dispatches to a subcommand and returns the
/// process exit code ([`exit`]).
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            };
            let _ = e.print();
            return code;
        }
    };
    let result = match &cli.command {
        Command::Render(a) => render::execute(a),
        Command::Check(a) => check::execute(a),
        Command::Bundle(a) => bundle::execute(a),
        Command::Schema(a) => schema::execute(a),
        Command::Sign(a) => sign::execute(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("vanthu: error: {e}");
            exit::for_error(&e)
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::exit::{for_error, UNFINISHED, USAGE};
    use crate::error::{Error, Reread};

    #[test]
    fn issue11_each_error_variant_has_its_exit_code() {
        let io = || std::io::Error::from_raw_os_error(28);
        let path = || PathBuf::from("out/r/tin-bai.pdf");
        let threads = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .spawn_handler(|_| Err(io()))
            .build()
            .expect_err("no thread can start");
        let manifest = serde_json::from_str::<u8>("x").expect_err("not JSON");
        let cases = [
            (Error::Usage("--jobs must be at least 1".into()), USAGE),
            (Error::Font("no Regular face".into()), USAGE),
            (
                Error::Template {
                    name: "tin-bai".into(),
                    message: "x".into(),
                },
                USAGE,
            ),
            (
                Error::Io {
                    path: path(),
                    source: io(),
                },
                UNFINISHED,
            ),
            (
                Error::Locked {
                    folder: "out".into(),
                    lock_file: "out/.vanthu.lock".into(),
                },
                UNFINISHED,
            ),
            (
                Error::Zip {
                    path: "b/2022-11.zip".into(),
                    source: zip::result::ZipError::FileNotFound,
                },
                UNFINISHED,
            ),
            (Error::Manifest(manifest), UNFINISHED),
            (
                Error::Reread {
                    path: path(),
                    source: Reread::Changed {
                        sha256: "ab".into(),
                    },
                },
                UNFINISHED,
            ),
            (Error::Threads(threads), UNFINISHED),
            (Error::Spawn(io()), UNFINISHED),
            (Error::Pdf("x".into()), UNFINISHED),
            (Error::Docx("x".into()), UNFINISHED),
            (
                Error::Sign {
                    path: "key.p12".into(),
                    source: crate::error::SignError::WrongPassword,
                },
                USAGE,
            ),
        ];
        for (e, code) in cases {
            assert_eq!(for_error(&e), code, "{e:?}");
        }
    }

    #[test]
    fn issue11_an_io_error_keeps_its_path_and_its_source() {
        let e = Error::Io {
            path: PathBuf::from("out/r/tin-bai.pdf"),
            source: std::io::Error::from_raw_os_error(28),
        };
        let shown = e.to_string();
        assert!(shown.starts_with("out/r/tin-bai.pdf: "), "{shown}");
        let source = std::error::Error::source(&e).expect("a source");
        let io = source
            .downcast_ref::<std::io::Error>()
            .expect("the io::Error itself");
        assert_eq!(io.raw_os_error(), Some(28));
    }
}
