//! A whole document at once: the head, the body and the tail that [`crate::doc::assemble`]
//! makes, then the appendices ([`crate::doc::appendices`]).

use crate::doc::appendices::appendices;
use crate::doc::assemble::{body_blocks, head, tail, AssemblyInput, LastBodyBlock};
use crate::doc::model::Document;

/// The whole document at once: [`head`], the body parsed in one piece and passed through
/// [`LastBodyBlock`], then [`tail`] and the appendices. The monthly report produces the same
/// three parts as a stream instead (`report.rs`).
pub(crate) fn assemble(input: &AssemblyInput) -> Document {
    let head = head(input);
    let profile = input.format.profile();
    let layout = input.rendered.front.layout;
    let body = body_blocks(
        &input.rendered.body,
        profile,
        input.fonts,
        head.page.text_width(),
    );
    let mut blocks = head.blocks;
    blocks.extend(
        LastBodyBlock::new(
            body.into_iter().map(Ok::<_, std::convert::Infallible>),
            layout,
            profile,
        )
        .flatten(),
    );
    blocks.extend(tail(input));
    blocks.extend(appendices(input, head.page.text_width()));
    Document {
        kind: input.kind.to_string(),
        meta_title: head.meta_title,
        page: head.page,
        blocks,
    }
}
