//! `vanthu bundle PATH… --month YYYY-MM [--out DIR] [--shard K/N]`: every record of a month
//! rendered into `DIR/YYYY-MM/`, with the monthly report, `manifest.json` and `YYYY-MM.zip`.
//! See `bundle/` (the bundle layer).

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::Args;

use crate::bundle::{run, Month, Options, Shard, Summary};
use crate::cmd::render::PdfArgs;
use crate::cmd::{exit, print_diagnostics, InputArgs};
use crate::env::Env;
use crate::error::{Error, Result};

#[derive(Debug, Args)]
pub(super) struct BundleArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub pdf: PdfArgs,
    /// The month to bundle: records whose `session.date` falls in it.
    #[arg(long, value_name = "YYYY-MM")]
    pub month: String,
    /// Output folder; the bundle goes to `DIR/YYYY-MM/`.
    #[arg(long, short, default_value = "bundles", value_name = "DIR")]
    pub out: PathBuf,
    /// Render only slice K of N (1-based) and write `manifest.part-K-of-N.json`; a later run
    /// without `--shard` combines the slices into the bundle.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// Worker threads (default: one per core; at most 4 per core).
    #[arg(long, short, value_name = "N")]
    pub jobs: Option<usize>,
    /// Also print the wall time of each phase.
    #[arg(long)]
    pub timings: bool,
}

pub(super) fn execute(args: &BundleArgs) -> Result<i32> {
    let month = Month::parse(&args.month)
        .map_err(|why| Error::Usage(format!("--month `{}`: {why}", args.month)))?;
    let shard = args.shard.as_deref().map(Shard::parse).transpose()?;
    let mut env = Env::new(args.input.templates.as_deref(), args.input.fonts.as_deref())?;
    env.pdf = args.pdf.options();
    let files = args.input.record_files()?;
    let opts = Options {
        files,
        out: args.out.clone(),
        month,
        shard,
        progress: std::io::stderr().is_terminal(),
    };
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(n) = args.jobs {
        pool = pool.num_threads(jobs(n)?);
    }
    let pool = pool.build()?;
    let summary = pool.install(|| run(&env, &opts))?;
    print_diagnostics(&summary.diagnostics);
    if args.timings {
        let phases: Vec<String> = summary
            .phases
            .iter()
            .map(|(name, d)| format!("{name} {:.3} s", d.as_secs_f64()))
            .collect();
        eprintln!("vanthu: phases: {}", phases.join(", "));
    }
    eprintln!("{}", summary_line(&summary));
    Ok(if summary.failed > 0 {
        exit::RECORD_FAILED
    } else {
        exit::OK
    })
}

/// More workers than this many per core only add threads that wait (and memory).
pub(super) const JOBS_PER_CORE: usize = 4;

/// `--jobs N`, capped at [`JOBS_PER_CORE`] times the cores (with a note on stderr).
fn jobs(n: usize) -> Result<usize> {
    if n == 0 {
        return Err(Error::Usage("--jobs must be at least 1".into()));
    }
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
    let cap = cores.saturating_mul(JOBS_PER_CORE);
    if n > cap {
        eprintln!(
            "vanthu: note: --jobs {n} lowered to {cap} ({JOBS_PER_CORE} per core, {cores} core(s))"
        );
        return Ok(cap);
    }
    Ok(n)
}

/// `vanthu: bundle 2022-11: 200 record(s): 198 rendered, 0 reused, 2 failed; …`
pub(super) fn summary_line(s: &Summary) -> String {
    let secs = s.elapsed.as_secs_f64();
    let what = match s.shard {
        Some(k) => format!("bundle {} shard {k}", s.month),
        None => format!("bundle {}", s.month),
    };
    let rate = if s.documents_rendered > 0 && secs > 0.0 {
        format!(" ({:.0} documents/s)", s.documents_rendered as f64 / secs)
    } else {
        String::new()
    };
    let target = match &s.zip {
        Some(z) => z.display().to_string(),
        None => s.dir.display().to_string(),
    };
    format!(
        "vanthu: {what}: {} record(s): {} rendered, {} reused, {} failed ({} in other months); \
         {} document(s), {} rendered in {secs:.2} s{rate} -> {target}",
        s.records,
        s.rendered,
        s.reused,
        s.failed,
        s.other_months,
        s.documents,
        s.documents_rendered,
    )
}
