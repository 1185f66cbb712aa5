//! From the template's pushed text to the blocks the renderers pull.
//!
//! Handlebars pushes text into a writer; renderers pull blocks. A producer thread renders the
//! template body into a [`MarkupSink`], which cuts the text where a cut cannot change the
//! parse (`doc::chunk`, at the ends of `{{#each_session}}` iterations), parses each piece,
//! assembles its blocks and sends each block through one bounded channel per consumer, so
//! the records are read once for every renderer (issue 11). Each consumer (a renderer: the
//! first on the calling thread, the others on threads of their own) reads the head blocks,
//! then the body blocks as they arrive through [`LastBodyBlock`] (one block of look-ahead for
//! the last body paragraph), then the tail. At most [`CHANNEL_BLOCKS`] blocks wait in each
//! channel; the producer waits for the slowest consumer.
//!
//! Errors: a failure in the producer (a record that changed on disk, a template error) is
//! sent as the last message and ends the first consumer's iterator with that error (the
//! others end with an error that quotes it). A consumer that fails or stops reading drops its
//! stream, hence its receiver: the producer's next send fails, the template render stops with
//! it, and every thread ends; all are joined before [`with_report_streams`] returns.

use std::borrow::Cow;
use std::io::{self, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::Arc;

use crate::doc::assemble::{body_blocks, head, tail, AssemblyInput, Head, LastBodyBlock};
use crate::doc::chunk::Chunker;
use crate::doc::model::{Block, Mm};
use crate::doc::DocumentStream;
use crate::env::Env;
use crate::error::{Error, Result};
use crate::fonts::FontBook;
use crate::profile::Profile;
use crate::report::{report_data, MonthSessions, TEMPLATE};
use crate::template::Layout;

/// Body blocks that may wait between the producer and the renderer.
pub(crate) const CHANNEL_BLOCKS: usize = 64;

enum Msg {
    Block(Block),
    Done,
    Failed(Error),
}

/// Produces the month's report as one [`DocumentStream`] and hands it to `consume`. `None`
/// for an empty month. Each call reads the records again: see [`with_report_streams`].
pub fn with_report_stream<R: Send>(
    env: &Env,
    year: i32,
    month: u32,
    sessions: MonthSessions,
    consume: impl FnOnce(DocumentStream<'_>) -> Result<R> + Send,
) -> Result<Option<R>> {
    let once = std::sync::Mutex::new(Some(consume));
    let results = with_report_streams(env, (year, month), sessions, 1, |_, stream| {
        let taken = once.lock().ok().and_then(|mut f| f.take());
        let Some(consume) = taken else {
            return Err(producer_stopped("the report stream was consumed twice"));
        };
        consume(stream)
    })?;
    Ok(results.and_then(|mut r| r.pop()))
}

/// Produces the month's report as `consumers` [`DocumentStream`]s fed by one reading of the
/// records, and hands stream `i` to `consume(i, stream)`, each on its own thread (the first on
/// the calling thread). The results in order; `None` for an empty month. The first error
/// wins, the producer's before a consumer's.
pub fn with_report_streams<R: Send>(
    env: &Env,
    (year, month): (i32, u32),
    sessions: MonthSessions,
    consumers: usize,
    consume: impl Fn(usize, DocumentStream<'_>) -> Result<R> + Sync,
) -> Result<Option<Vec<R>>> {
    let data = report_data(year, month, sessions.len());
    let Some(frame) = Frame::of(env, &data, &sessions)? else {
        return Ok(None);
    };
    let (profile, width) = (frame.profile, frame.head.page.text_width());
    let sessions: Arc<MonthSessions> = Arc::new(sessions);
    let stream_of = |rx: Receiver<Msg>| frame.stream(rx);

    std::thread::scope(|scope| {
        let (txs, mut rxs): (Vec<_>, Vec<_>) = (0..consumers.max(1))
            .map(|_| sync_channel::<Msg>(CHANNEL_BLOCKS))
            .unzip();
        let producer = {
            let sessions = Arc::clone(&sessions);
            let data = &data;
            std::thread::Builder::new()
                .name("vanthu-report".into())
                .spawn_scoped(scope, move || {
                    produce(env, data, sessions, profile, width, &txs);
                })
                .map_err(Error::Spawn)?
        };
        let first_rx = rxs.remove(0);
        let (consume, stream_of) = (&consume, &stream_of);
        let others: Vec<_> = rxs
            .into_iter()
            .enumerate()
            .map(|(i, rx)| {
                std::thread::Builder::new()
                    .name(format!("vanthu-report-{}", i + 1))
                    .spawn_scoped(scope, move || consume(i + 1, stream_of(rx)))
                    .map_err(Error::Spawn)
            })
            .collect();
        // Each stream (and the receiver in it) is dropped when its consumer returns, which
        // ends a producer still waiting to send.
        let mut results = vec![consume(0, stream_of(first_rx))];
        for joined in others {
            results.push(joined.and_then(|h| h.join().unwrap_or_else(|_| Err(panicked()))));
        }
        if producer.join().is_err() {
            return Err(panicked());
        }
        first_cause(results).map(Some)
    })
}

/// All the results, or the error that caused the others: one that is not merely a consumer
/// seeing the producer stop, or the producer seeing a consumer go.
fn first_cause<R>(results: Vec<Result<R>>) -> Result<Vec<R>> {
    let knock_on = |e: &Error| match e {
        Error::Template { message, .. } => {
            message.starts_with(STOPPED) || message.contains(READER_GONE)
        }
        Error::Io { source, .. } => source.kind() == io::ErrorKind::BrokenPipe,
        _ => false,
    };
    let mut errors: Vec<Error> = Vec::new();
    let mut oks = Vec::new();
    for r in results {
        match r {
            Ok(v) => oks.push(v),
            Err(e) => errors.push(e),
        }
    }
    match errors.iter().position(|e| !knock_on(e)) {
        Some(i) => Err(errors.swap_remove(i)),
        None => errors.into_iter().next().map_or(Ok(oks), Err),
    }
}

/// How the errors that only follow another one begin.
const STOPPED: &str = "the report stopped";
/// What the producer says when a consumer has dropped its stream.
const READER_GONE: &str = "a renderer stopped reading";

fn panicked() -> Error {
    Error::Template {
        name: TEMPLATE.into(),
        message: "a thread of the report panicked".into(),
    }
}

fn producer_stopped(why: &str) -> Error {
    Error::Template {
        name: TEMPLATE.into(),
        message: why.into(),
    }
}

/// What every stream of the report shares around its body: the head and the tail blocks,
/// and what the body's assembly needs.
struct Frame {
    head: Head,
    tail: Vec<Block>,
    layout: Layout,
    profile: &'static Profile,
}

impl Frame {
    /// The frame of the month's report; `None` for an empty month. The issuer and format are
    /// the first record's (read now and dropped), the date that of the last session.
    fn of(env: &Env, data: &serde_json::Value, sessions: &MonthSessions) -> Result<Option<Frame>> {
        let n = sessions.len();
        let (Some(last_date), true) = (sessions.date(n.wrapping_sub(1)), n > 0) else {
            return Ok(None);
        };
        require_template(env)?;
        let front = env.engine.render_front(TEMPLATE, data)?;
        let (_, first) = sessions.record(0)?;
        let input = AssemblyInput {
            kind: TEMPLATE,
            format: first.format,
            issuer: &first.issuer,
            number: None,
            date: Some(last_date),
            signers: Vec::new(),
            recipients: &[],
            entry: None,
            rendered: &front,
            fonts: &env.fonts,
        };
        Ok(Some(Frame {
            head: head(&input),
            tail: tail(&input),
            layout: front.front.layout,
            profile: first.format.profile(),
        }))
    }

    /// One consumer's stream: the head, the body blocks from `rx`, the tail.
    fn stream(&self, rx: Receiver<Msg>) -> DocumentStream<'static> {
        let body = LastBodyBlock::new(Received { rx, done: false }, self.layout, self.profile);
        let blocks = self
            .head
            .blocks
            .clone()
            .into_iter()
            .map(Ok)
            .chain(body)
            .chain(self.tail.clone().into_iter().map(Ok))
            .map(|b| b.map(Cow::Owned));
        DocumentStream {
            kind: TEMPLATE.to_string(),
            meta_title: self.head.meta_title.clone(),
            page: self.head.page.clone(),
            blocks: Box::new(blocks),
        }
    }
}

fn require_template(env: &Env) -> Result<()> {
    if env.engine.has(TEMPLATE) {
        return Ok(());
    }
    Err(Error::Template {
        name: TEMPLATE.into(),
        message: "the monthly report template is missing".into(),
    })
}

/// The producer thread: renders the body into the sink and reports how it ended.
fn produce(
    env: &Env,
    data: &serde_json::Value,
    sessions: Arc<MonthSessions>,
    profile: &'static Profile,
    width: Mm,
    txs: &[SyncSender<Msg>],
) {
    let marks = Arc::new(AtomicUsize::new(0));
    let mut sink = MarkupSink {
        chunker: Chunker::new(env.engine.cuttable(TEMPLATE)),
        marks: Arc::clone(&marks),
        seen: 0,
        pending: Vec::new(),
        emit: |piece: &str| send_blocks(piece, profile, &env.fonts, width, txs),
    };
    let rendered = env
        .engine
        .render_body_to(TEMPLATE, data, sessions, marks, &mut sink)
        .and_then(|()| sink.finish());
    // A send fails only when that consumer has gone; nobody is left to tell.
    match rendered {
        Ok(()) => txs.iter().for_each(|tx| drop(tx.send(Msg::Done))),
        Err(e) => {
            let quoted = format!("{STOPPED}: {e}");
            for tx in txs.iter().skip(1) {
                let _ = tx.send(Msg::Failed(producer_stopped(&quoted)));
            }
            if let Some(tx) = txs.first() {
                let _ = tx.send(Msg::Failed(e));
            }
        }
    }
}

fn send_blocks(
    piece: &str,
    profile: &Profile,
    fonts: &FontBook,
    width: Mm,
    txs: &[SyncSender<Msg>],
) -> io::Result<()> {
    let stopped = |_| io::Error::new(io::ErrorKind::BrokenPipe, READER_GONE);
    for b in body_blocks(piece, profile, fonts, width) {
        if let Some((last, others)) = txs.split_last() {
            for tx in others {
                tx.send(Msg::Block(b.clone())).map_err(stopped)?;
            }
            last.send(Msg::Block(b)).map_err(stopped)?;
        }
    }
    Ok(())
}

/// Where Handlebars writes the body: text is collected by a [`Chunker`], which is told of
/// each finished `{{#each_session}}` iteration (the helper counts them in `marks`) before the
/// next text arrives; each piece it hands out goes to `emit`.
pub struct MarkupSink<F: FnMut(&str) -> io::Result<()>> {
    pub chunker: Chunker,
    pub marks: Arc<AtomicUsize>,
    pub seen: usize,
    /// Bytes of a character split between two writes.
    pub pending: Vec<u8>,
    pub emit: F,
}

impl<F: FnMut(&str) -> io::Result<()>> MarkupSink<F> {
    fn note_marks(&mut self) {
        let now = self.marks.load(Ordering::SeqCst);
        if now != self.seen {
            self.seen = now;
            self.chunker.boundary();
        }
    }

    /// Parses what is left.
    pub fn finish(self) -> Result<()> {
        let MarkupSink {
            chunker,
            pending,
            mut emit,
            ..
        } = self;
        let mut rest = chunker.finish();
        rest.push_str(&String::from_utf8_lossy(&pending));
        emit(&rest).map_err(|source| Error::Io {
            path: TEMPLATE.into(),
            source,
        })
    }
}

impl<F: FnMut(&str) -> io::Result<()>> Write for MarkupSink<F> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.note_marks();
        self.pending.extend_from_slice(bytes);
        let valid = match std::str::from_utf8(&self.pending) {
            Ok(s) => s.len(),
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(e) => return Err(io::Error::new(io::ErrorKind::InvalidData, e)),
        };
        let text: Vec<u8> = self.pending.drain(..valid).collect();
        let text =
            String::from_utf8(text).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        if let Some(piece) = self.chunker.push(&text) {
            (self.emit)(&piece)?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The body blocks as they arrive; ends with the producer's error, if any.
struct Received {
    rx: Receiver<Msg>,
    done: bool,
}

impl Iterator for Received {
    type Item = Result<Block>;

    fn next(&mut self) -> Option<Result<Block>> {
        if self.done {
            return None;
        }
        match self.rx.recv() {
            Ok(Msg::Block(b)) => Some(Ok(b)),
            Ok(Msg::Done) => {
                self.done = true;
                None
            }
            Ok(Msg::Failed(e)) => {
                self.done = true;
                Some(Err(e))
            }
            Err(_) => {
                self.done = true;
                Some(Err(producer_stopped(&format!(
                    "{STOPPED} before the end (its producer ended)"
                ))))
            }
        }
    }
}
