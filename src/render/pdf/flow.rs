//! The vocabulary of the layout loop, after genpdf's: an element is given a [`Frame`] (the
//! room left on the page) and answers with a [`RenderResult`]: the [`Size`] it took and whether
//! it continues on the next page. The loop in `mod.rs` stacks elements down a page and starts
//! a new page while any has more. Drawing itself cannot fail: it only appends operators.
//!
//! [`Frame`]: super::canvas::Frame

use crate::doc::model::Mm;

/// The area an element took on a page, in mm.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(super) struct Size {
    pub width: Mm,
    pub height: Mm,
}

impl Size {
    /// Nothing placed.
    pub(super) const ZERO: Size = Size {
        width: 0.0,
        height: 0.0,
    };

    pub(super) fn new(width: Mm, height: Mm) -> Size {
        Size { width, height }
    }

    /// This size with `below` stacked under it.
    pub(super) fn stack_vertical(self, below: Size) -> Size {
        Size {
            width: self.width.max(below.width),
            height: self.height + below.height,
        }
    }
}

/// What an element did with its frame.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(super) struct RenderResult {
    pub size: Size,
    /// The element continues on the next page.
    pub has_more: bool,
}
