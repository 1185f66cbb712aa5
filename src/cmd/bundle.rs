//! `vanthu bundle PATH… --month YYYY-MM [--out DIR] [--shard K/N]`: every record of a month
//! rendered into `DIR/YYYY-MM/`, with the monthly report, `manifest.json` and `YYYY-MM.zip`.
//! See `bundle/` (the bundle layer).

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::Args;

use crate::bundle::{run, BundleSigning, Month, Options, Shard, SharedKey, Summary};
use crate::cmd::key::KeyArgs;
use crate::cmd::render::PdfArgs;
use crate::cmd::{exit, print_diagnostics, InputArgs};
use crate::env::Env;
use crate::error::{Error, Result};
use crate::output::read_regular;
use crate::sign::Image;

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
    #[command(flatten)]
    pub sign: BundleSignArgs,
}

/// `--sign`: every PDF signed by the organisation (the seal in its field), and
/// `manifest.json.p7s`.
#[derive(Debug, Args)]
pub(super) struct BundleSignArgs {
    /// Sign every PDF as the organisation (PAdES; the PDFs are rendered with their signature
    /// fields) and write `manifest.json.p7s`; needs --p12 or --pkcs11.
    #[arg(long)]
    pub sign: bool,
    #[command(flatten)]
    pub key: KeyArgs,
    /// The seal: a PNG with transparency, drawn at its real size over the left third of the
    /// signer's signature (with no seal the signatures have no image).
    #[arg(long, value_name = "PNG", requires = "sign")]
    pub seal: Option<PathBuf>,
    /// The seal's width in millimetres when its PNG has no pHYs chunk.
    #[arg(long, value_name = "MM", default_value_t = 36.0)]
    pub seal_mm: f32,
    /// The claimed signing time, RFC 3339 (default: now, or SOURCE_DATE_EPOCH when set).
    #[arg(long, value_name = "RFC3339", requires = "sign")]
    pub time: Option<String>,
}

impl BundleSignArgs {
    /// How the bundle signs, with the key loaded (and its certificate checked) up front.
    fn signing(&self) -> Result<Option<BundleSigning>> {
        if !self.sign {
            if self.key.given() {
                return Err(Error::Usage(
                    "--p12 and --pkcs11 sign only with --sign".into(),
                ));
            }
            return Ok(None);
        }
        let blame = |path: Option<&PathBuf>| {
            let path = path.cloned().unwrap_or_default();
            move |source| Error::Sign {
                path: path.clone(),
                source,
            }
        };
        let key_file = self.key.p12.as_ref().or(self.key.pkcs11.as_ref());
        let key = self.key.load(&blame(key_file))?;
        let time = super::sign::signing_time(self.time.as_deref())?;
        let seal = match &self.seal {
            Some(path) => {
                let bytes = read_regular(path).map_err(|source| Error::Io {
                    path: path.clone(),
                    source,
                })?;
                Some(Image::from_png(&bytes).map_err(blame(Some(path)))?)
            }
            None => None,
        };
        // A certificate that cannot sign at that time stops the run before any work.
        if let Some(signer) = key.chain().first() {
            crate::sign::cert::check_can_sign(signer, time).map_err(blame(key_file))?;
        }
        Ok(Some(BundleSigning {
            key: SharedKey::new(key),
            seal,
            seal_mm: self.seal_mm,
            time,
        }))
    }
}

pub(super) fn execute(args: &BundleArgs) -> Result<i32> {
    let month = Month::parse(&args.month)
        .map_err(|why| Error::Usage(format!("--month `{}`: {why}", args.month)))?;
    let shard = args.shard.as_deref().map(Shard::parse).transpose()?;
    let sign = args.sign.signing()?;
    let mut env = Env::new(args.input.templates.as_deref(), args.input.fonts.as_deref())?;
    env.pdf = args.pdf.options();
    // A signed bundle's PDFs carry the fields the signatures fill.
    env.pdf.signing_fields |= sign.is_some();
    let files = args.input.record_files()?;
    let opts = Options {
        files,
        out: args.out.clone(),
        month,
        shard,
        progress: std::io::stderr().is_terminal(),
        sign,
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
