//! `{{#each_session}}…{{/each_session}}`: the monthly report's loop over the month's
//! sessions, loading one session per iteration instead of holding the month in the data.
//!
//! Inside the block, `this` is the session (the record's `session` fields plus `file`, its
//! file stem, and `issuer`), with `@index`, `@first` and `@last` as in `{{#each}}`; an
//! `{{else}}` block renders for an empty month. The number of sessions is given up front in
//! the data (`session_count`). After each iteration the helper counts one mark, which the
//! markup sink reads as a place where the text may be cut (`doc::chunk`).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use handlebars::{
    to_json, BlockContext, Context, Handlebars, Helper, HelperDef, HelperResult, Output,
    RenderContext, RenderErrorReason, Renderable,
};
use serde_json::Value;

use crate::error::{Error, Result};

/// Whether the body of a template can be cut at all at the end of an iteration: not when it
/// could write an HTML block, a link reference definition or an unescaped value, which reach
/// further than a blank line (see `doc::chunk`).
pub(crate) fn template_allows_cuts(body: &str) -> bool {
    !(body.contains('<') || body.contains("]:") || body.contains("{{{") || body.contains("{{&"))
}

/// The month's sessions in report order, each loaded when asked for.
pub trait Sessions: Send + Sync {
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Session `i` as template data.
    fn get(&self, i: usize) -> Result<Value>;
}

/// The helper for one render: the sessions, the iteration marks, and the first loading error
/// (returned instead of Handlebars' wrapping of it).
#[derive(Clone)]
pub(crate) struct EachSession {
    pub sessions: Arc<dyn Sessions>,
    pub marks: Arc<AtomicUsize>,
    pub failure: Arc<Mutex<Option<Error>>>,
}

impl EachSession {
    /// Takes the error a session failed to load with, if any.
    pub(crate) fn take_failure(&self) -> Option<Error> {
        self.failure.lock().ok().and_then(|mut f| f.take())
    }
}

impl HelperDef for EachSession {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        r: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let Some(t) = h.template() else {
            return Ok(());
        };
        let n = self.sessions.len();
        if n == 0 {
            return match h.inverse() {
                Some(inverse) => inverse.render(r, ctx, rc, out),
                None => Ok(()),
            };
        }
        for i in 0..n {
            let value = match self.sessions.get(i) {
                Ok(v) => v,
                Err(e) => {
                    let message = e.to_string();
                    if let Ok(mut slot) = self.failure.lock() {
                        slot.get_or_insert(e);
                    }
                    return Err(RenderErrorReason::Other(message).into());
                }
            };
            let mut block = BlockContext::new();
            block.set_base_value(value);
            block.set_local_var("index", to_json(i));
            block.set_local_var("first", to_json(i == 0));
            block.set_local_var("last", to_json(i + 1 == n));
            rc.push_block(block);
            let done = t.render(r, ctx, rc, out);
            rc.pop_block();
            done?;
            self.marks.fetch_add(1, Ordering::SeqCst);
        }
        Ok(())
    }
}

/// Registered in every engine: outside the monthly report there are no sessions to iterate.
pub(crate) struct NoSessions;

impl HelperDef for NoSessions {
    fn call<'reg: 'rc, 'rc>(
        &self,
        _: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
        _: &mut dyn Output,
    ) -> HelperResult {
        Err(RenderErrorReason::Other(
            "`each_session` is only available in the monthly report".into(),
        )
        .into())
    }
}
