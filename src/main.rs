//! The `vanthu` command line: parse arguments, dispatch to a subcommand, exit with its code.

use clap::{Parser, Subcommand};
use vanthu::cmd::{self, exit};

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
    Render(cmd::render::RenderArgs),
    /// Validate records without writing anything.
    Check(cmd::check::CheckArgs),
    /// Bundle one month: every record's documents, the monthly report, a manifest and a zip.
    Bundle(cmd::bundle::BundleArgs),
    /// Print the JSON Schema of a record (for editors: `# yaml-language-server: $schema=…`).
    Schema(cmd::schema::SchemaArgs),
}

fn main() {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            };
            let _ = e.print();
            std::process::exit(code);
        }
    };
    let result = match &cli.command {
        Command::Render(a) => cmd::render::execute(a),
        Command::Check(a) => cmd::check::execute(a),
        Command::Bundle(a) => cmd::bundle::execute(a),
        Command::Schema(a) => cmd::schema::execute(a),
    };
    match result {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!("vanthu: error: {e}");
            std::process::exit(exit::for_error(&e));
        }
    }
}
