//! `vanthu sign`: signs a PDF (PAdES B-B, incremental update; see [`crate::sign`]) with a
//! PKCS#12 key, or in two steps for a key kept elsewhere (`--prepare`, then `--finish`).
//! A password is never an argument: `--password-env`, `--password-file` or a prompt.

use std::path::{Path, PathBuf};

use clap::Args;

use crate::cmd::exit;
use crate::cmd::key::KeyArgs;
use crate::error::{Error, Result, SignError, SignInput};
use crate::output::{read_regular, write_atomic, write_together, WriteMode};
use crate::sign::{self, Image, Moment, NewField, Options, Prepared, Role};

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum RoleArg {
    Person,
    Organisation,
    Attachment,
    Copy,
}

#[derive(Debug, Args)]
pub(super) struct SignArgs {
    /// The PDF to sign (not with --finish).
    #[arg(required_unless_present = "finish")]
    input: Option<PathBuf>,
    /// The signed PDF to write (with --prepare: the PDF --finish will write).
    #[arg(short, long, value_name = "OUT.pdf")]
    out: PathBuf,
    /// Who signs: a signer's image (person), the seal (organisation), or the electronic
    /// signature of an attachment or copy (text).
    #[arg(long, value_enum, required_unless_present = "finish")]
    role: Option<RoleArg>,
    #[command(flatten)]
    key: KeyArgs,
    /// The signature image (person) or seal (organisation): a PNG with transparency.
    #[arg(long, value_name = "PNG")]
    image: Option<PathBuf>,
    /// The seal's width in millimetres when its PNG has no pHYs chunk.
    #[arg(long, value_name = "MM", default_value_t = 36.0)]
    seal_mm: f32,
    /// The signature field to fill (default: the role's, see the fields contract).
    #[arg(long, value_name = "NAME")]
    field: Option<String>,
    /// With --rect: create the field on this page (from 1) when the PDF has none.
    #[arg(long, value_name = "N", requires = "rect")]
    page: Option<u32>,
    /// With --page: the new field's rect, `x0,y0,x1,y1` in millimetres from the page's
    /// lower-left corner.
    #[arg(long, value_name = "X0,Y0,X1,Y1", requires = "page")]
    rect: Option<String>,
    /// The claimed signing time, RFC 3339 (default: now, or SOURCE_DATE_EPOCH when set).
    #[arg(long, value_name = "RFC3339")]
    time: Option<String>,
    /// Step one for a key kept elsewhere: write OUT.pdf.prepared and OUT.pdf.tbs (the DER of
    /// the signed attributes to sign) and print its SHA-256 in hex. Needs --cert.
    #[arg(long, conflicts_with = "finish", requires = "cert")]
    prepare: bool,
    /// Step two: embed --signature (made over OUT.pdf.tbs) into OUT.pdf.prepared, write OUT.
    #[arg(long, requires_all = ["signature", "cert"])]
    finish: bool,
    /// The raw signature made elsewhere (RSA PKCS#1 v1.5 or PSS, or ECDSA in DER).
    #[arg(long, value_name = "FILE")]
    signature: Option<PathBuf>,
}

/// The state files of a two-step signature, next to the output.
fn state_paths(out: &Path) -> (PathBuf, PathBuf) {
    let with = |suffix: &str| {
        let mut s = out.as_os_str().to_owned();
        s.push(suffix);
        PathBuf::from(s)
    };
    (with(".prepared"), with(".tbs"))
}

fn read(path: &Path) -> Result<Vec<u8>> {
    read_regular(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Names the file a signing problem is in.
struct Files<'a> {
    args: &'a SignArgs,
}

impl Files<'_> {
    fn error(&self, source: SignError) -> Error {
        let a = self.args;
        let (prepared, _) = state_paths(&a.out);
        let path = match source.input() {
            SignInput::Pdf if a.finish => prepared,
            SignInput::Pdf => a.input.clone().unwrap_or(prepared),
            SignInput::Key => (a.key.p12.clone())
                .or_else(|| a.key.pkcs11.clone())
                .or_else(|| a.key.cert.clone())
                .unwrap_or_default(),
            SignInput::Image => a.image.clone().unwrap_or_default(),
            SignInput::Signature => a.signature.clone().unwrap_or_default(),
        };
        Error::Sign { path, source }
    }
}

pub(super) fn execute(args: &SignArgs) -> Result<i32> {
    let files = Files { args };
    if args.finish {
        return finish(args, &files);
    }
    let options = options(args, &files)?;
    let input = args.input.as_deref().unwrap_or(Path::new(""));
    let pdf = read(input)?;
    if args.prepare {
        return prepare(args, &files, &pdf, &options);
    }
    let key = args.key.load(&|e| files.error(e))?;
    let signed = sign::sign_pdf(&pdf, &options, key.as_ref()).map_err(|e| files.error(e))?;
    write_atomic(&args.out, &signed)?;
    eprintln!("signed: {}", args.out.display());
    Ok(exit::OK)
}

fn prepare(args: &SignArgs, files: &Files, pdf: &[u8], options: &Options) -> Result<i32> {
    let cert_path = args.key.cert.as_deref().unwrap_or(Path::new(""));
    let chain = sign::cert::read_chain(&read(cert_path)?).map_err(|e| files.error(e))?;
    let prepared = sign::prepare(pdf, options, &chain).map_err(|e| files.error(e))?;
    let tbs = sign::to_be_signed(&prepared, &chain).map_err(|e| files.error(e))?;
    let (state, tbs_path) = state_paths(&args.out);
    let mode = WriteMode {
        sync: true,
        skip_unchanged: false,
    };
    write_together(
        &[(state.clone(), &prepared.bytes), (tbs_path.clone(), &tbs)],
        mode,
    )?;
    let digest = crate::hashing::sha256_hex(&tbs);
    println!("prepared: {} (kept until --finish)", state.display());
    println!(
        "to be signed: {} (DER of the signed attributes)",
        tbs_path.display()
    );
    println!("sha256: {digest}");
    Ok(exit::OK)
}

fn finish(args: &SignArgs, files: &Files) -> Result<i32> {
    let (state, tbs) = state_paths(&args.out);
    let cert_path = args.key.cert.as_deref().unwrap_or(Path::new(""));
    let chain = sign::cert::read_chain(&read(cert_path)?).map_err(|e| files.error(e))?;
    let signature = read(args.signature.as_deref().unwrap_or(Path::new("")))?;
    let prepared = Prepared::parse(read(&state)?).map_err(|e| files.error(e))?;
    let signed = sign::finish(prepared, &chain, signature).map_err(|e| files.error(e))?;
    write_atomic(&args.out, &signed)?;
    for done in [&state, &tbs] {
        let _ = std::fs::remove_file(done);
    }
    eprintln!("signed: {}", args.out.display());
    Ok(exit::OK)
}

fn options(args: &SignArgs, files: &Files) -> Result<Options> {
    let role = match args.role {
        Some(RoleArg::Person) | None => Role::Person,
        Some(RoleArg::Organisation) => Role::Organisation,
        Some(RoleArg::Attachment) => Role::Attachment,
        Some(RoleArg::Copy) => Role::Copy,
    };
    let image = match &args.image {
        Some(path) => Some(Image::from_png(&read(path)?).map_err(|e| files.error(e))?),
        None => None,
    };
    let new_field = match (args.page, &args.rect) {
        (Some(page), Some(rect)) => Some(NewField {
            page,
            rect_mm: parse_rect(rect)?,
        }),
        _ => None,
    };
    Ok(Options {
        role,
        field: args.field.clone(),
        new_field,
        image,
        seal_mm: args.seal_mm,
        time: signing_time(args.time.as_deref())?,
    })
}

fn parse_rect(text: &str) -> Result<[f32; 4]> {
    let nums: Vec<f32> = text
        .split(',')
        .map(|n| n.trim().parse::<f32>())
        .collect::<std::result::Result<_, _>>()
        .map_err(|_| {
            Error::Usage(format!(
                "--rect `{text}`: write four numbers, x0,y0,x1,y1 in mm"
            ))
        })?;
    match nums[..] {
        [x0, y0, x1, y1] if x0 != x1 && y0 != y1 => Ok([x0, y0, x1, y1]),
        _ => Err(Error::Usage(format!(
            "--rect `{text}`: write four numbers, x0,y0,x1,y1 in mm, for a rect that is not empty"
        ))),
    }
}

/// `--time`, else SOURCE_DATE_EPOCH when set, else now.
pub(super) fn signing_time(time: Option<&str>) -> Result<Moment> {
    if let Some(t) = time {
        return Moment::parse_rfc3339(t).map_err(|e| Error::Usage(format!("--time: {e}")));
    }
    if std::env::var("SOURCE_DATE_EPOCH").is_ok_and(|v| !v.trim().is_empty()) {
        return Ok(Moment::utc(crate::env::source_date_epoch()?));
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    Ok(Moment::utc(now))
}
