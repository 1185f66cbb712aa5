//! From the template's pushed text to the blocks a renderer pulls.
//!
//! Handlebars pushes text into a writer; renderers pull blocks. A producer thread renders the
//! template body into a [`MarkupSink`], which cuts the text where a cut cannot change the
//! parse (`doc::chunk`, at the ends of `{{#each_session}}` iterations), parses each piece,
//! assembles its blocks and sends them one at a time through a bounded channel. The consumer
//! (the renderer, on the calling thread) reads the head blocks, then the body blocks as they
//! arrive through [`LastBodyBlock`] (one block of look-ahead for the last body paragraph),
//! then the tail. At most [`CHANNEL_BLOCKS`] blocks wait in the channel; the producer waits
//! when it is full.
//!
//! Errors: a failure in the producer (a record that changed on disk, a template error) is
//! sent as the last message and ends the renderer's iterator with that error. A renderer that
//! fails or stops reading drops its stream, hence the receiver: the producer's next send
//! fails, the template render stops with it, and the thread ends; the thread is always joined
//! before [`with_report_stream`] returns.

use std::borrow::Cow;
use std::io::{self, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::Arc;

use crate::doc::assemble::{body_blocks, head, tail, AssemblyInput, LastBodyBlock};
use crate::doc::chunk::Chunker;
use crate::doc::model::{Block, Mm};
use crate::doc::DocumentStream;
use crate::env::Env;
use crate::error::{Error, Result};
use crate::fonts::FontBook;
use crate::profile::Profile;
use crate::report::{report_data, MonthSessions, TEMPLATE};

/// Body blocks that may wait between the producer and the renderer.
pub const CHANNEL_BLOCKS: usize = 64;

enum Msg {
    Block(Block),
    Done,
    Failed(Error),
}

/// Produces the month's report as a [`DocumentStream`] and hands it to `consume` (a renderer
/// writing it out, or a test collecting it). `None` for an empty month. Each call reads the
/// records again.
pub fn with_report_stream<R>(
    env: &Env,
    year: i32,
    month: u32,
    sessions: MonthSessions,
    consume: impl FnOnce(DocumentStream<'_>) -> Result<R>,
) -> Result<Option<R>> {
    let n = sessions.len();
    let (Some(last_date), true) = (sessions.date(n.wrapping_sub(1)), n > 0) else {
        return Ok(None);
    };
    require_template(env)?;
    let data = report_data(year, month, n);
    let front = env.engine.render_front(TEMPLATE, &data)?;
    // The issuer and format are the first record's; it is read now and dropped.
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
    let head = head(&input);
    let tail = tail(&input);
    let profile = first.format.profile();
    let layout = front.front.layout;
    let width = head.page.text_width();
    let sessions: Arc<MonthSessions> = Arc::new(sessions);

    std::thread::scope(|scope| {
        let (tx, rx) = sync_channel::<Msg>(CHANNEL_BLOCKS);
        let producer = {
            let sessions = Arc::clone(&sessions);
            let data = &data;
            std::thread::Builder::new()
                .name("vanthu-report".into())
                .spawn_scoped(scope, move || {
                    produce(env, data, sessions, profile, width, &tx);
                })
                .map_err(Error::Spawn)?
        };
        let body = LastBodyBlock::new(Received { rx, done: false }, layout, profile);
        let blocks = head
            .blocks
            .into_iter()
            .map(Ok)
            .chain(body)
            .chain(tail.into_iter().map(Ok))
            .map(|b| b.map(Cow::Owned));
        let stream = DocumentStream {
            kind: TEMPLATE.to_string(),
            meta_title: head.meta_title,
            page: head.page,
            blocks: Box::new(blocks),
        };
        // The stream (and the receiver in it) is dropped when `consume` returns, which ends
        // a producer still waiting to send.
        let result = consume(stream);
        if producer.join().is_err() {
            return Err(Error::Template {
                name: TEMPLATE.into(),
                message: "the report's producer thread panicked".into(),
            });
        }
        result.map(Some)
    })
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
    tx: &SyncSender<Msg>,
) {
    let marks = Arc::new(AtomicUsize::new(0));
    let mut sink = MarkupSink {
        chunker: Chunker::new(env.engine.cuttable(TEMPLATE)),
        marks: Arc::clone(&marks),
        seen: 0,
        pending: Vec::new(),
        emit: |piece: &str| send_blocks(piece, profile, &env.fonts, width, tx),
    };
    let rendered = env
        .engine
        .render_body_to(TEMPLATE, data, sessions, marks, &mut sink)
        .and_then(|()| sink.finish());
    let last = match rendered {
        Ok(()) => Msg::Done,
        Err(e) => Msg::Failed(e),
    };
    // Fails only when the renderer has gone; nobody is left to tell.
    let _ = tx.send(last);
}

fn send_blocks(
    piece: &str,
    profile: &Profile,
    fonts: &FontBook,
    width: Mm,
    tx: &SyncSender<Msg>,
) -> io::Result<()> {
    for b in body_blocks(piece, profile, fonts, width) {
        tx.send(Msg::Block(b)).map_err(|_| {
            io::Error::new(io::ErrorKind::BrokenPipe, "the renderer stopped reading")
        })?;
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
                Some(Err(Error::Template {
                    name: TEMPLATE.into(),
                    message: "the report's producer stopped before the end".into(),
                }))
            }
        }
    }
}
