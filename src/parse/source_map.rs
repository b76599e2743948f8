//! Lines and columns: a [`SourceMap`] turns a value's [`Path`] or a byte offset into the
//! line and column a message names (linear on long lines).

use super::scan::{self, NodeId, NodeKind, Tree};
use super::{Path, Seg};

/// A place in the text: 1-based line and column (columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pos {
    /// Line, 1-based (0: unknown).
    pub line: usize,
    /// Column in characters, 1-based (0: unknown).
    pub column: usize,
}

/// Maps paths and byte offsets of one text to lines and columns.
#[derive(Debug, Clone)]
pub struct SourceMap<'t> {
    text: &'t str,
    tree: Option<Tree>,
    line_starts: Vec<usize>,
    /// Per line: true when it is all ASCII (its columns are byte offsets).
    line_ascii: Vec<bool>,
    /// The last (offset, column) computed on a non-ASCII line: positions are mostly asked
    /// for in file order, so counting resumes there (linear, not quadratic, on one long line).
    last: std::cell::Cell<(usize, usize)>,
}

impl<'t> SourceMap<'t> {
    pub(super) fn new(text: &'t str, tree: Option<Tree>) -> Self {
        let mut line_starts = vec![0];
        let mut line_ascii = Vec::new();
        let mut ascii = true;
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                line_starts.push(i + 1);
                line_ascii.push(ascii);
                ascii = true;
            } else if b >= 0x80 {
                ascii = false;
            }
        }
        line_ascii.push(ascii);
        SourceMap {
            text,
            tree,
            line_starts,
            line_ascii,
            last: std::cell::Cell::new((usize::MAX, 0)),
        }
    }

    /// The text.
    pub fn text(&self) -> &'t str {
        self.text
    }

    /// The scanned tree (absent only when the scanner could not follow text that RON
    /// accepted; then positions are unknown).
    pub fn tree(&self) -> Option<&Tree> {
        self.tree.as_ref()
    }

    /// Line and column of a byte offset.
    pub fn pos_of_offset(&self, offset: usize) -> Pos {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts[line - 1];
        let column = if self.line_ascii.get(line - 1).copied().unwrap_or(false) {
            1 + offset - start
        } else {
            let chars = |a: usize, b: usize| {
                self.text.as_bytes()[a..b]
                    .iter()
                    .filter(|&&c| (c & 0xC0) != 0x80)
                    .count()
            };
            let (last_off, last_col) = self.last.get();
            let column = if last_off != usize::MAX && start <= last_off && last_off <= offset {
                last_col + chars(last_off, offset)
            } else {
                1 + chars(start, offset)
            };
            self.last.set((offset, column));
            column
        };
        Pos { line, column }
    }

    /// Byte offset of a 1-based line and character column within `slice` (a part of the
    /// text starting at byte `base`), as RON reports them.
    pub(super) fn offset_in_slice(&self, base: usize, line: usize, column: usize) -> usize {
        let slice = self.text.get(base..).unwrap_or("");
        let mut off = 0;
        for _ in 1..line.max(1) {
            match slice[off..].find('\n') {
                Some(i) => off += i + 1,
                None => break,
            }
        }
        let rest = &slice[off..];
        let skip = rest
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(rest.len(), |(i, _)| i);
        base + off + skip
    }

    /// Follows `path` from the root (looking through `Some(…)`): the deepest node reached
    /// and whether that is the whole path. `None` when the text has no tree.
    fn walk(&self, path: &Path) -> Option<(NodeId, bool)> {
        let tree = self.tree.as_ref()?;
        tree.nodes.first()?;
        let mut cur: NodeId = 0;
        for seg in path.segments() {
            let inner = unwrap_some(tree, self.text, cur);
            let next = match *seg {
                Seg::Field(name) => tree.field(self.text, inner, name),
                Seg::Index(i) => tree.child(inner, i),
            };
            match next {
                Some(n) => cur = n,
                None => return Some((cur, false)),
            }
        }
        Some((cur, true))
    }

    /// The node at `path`, or the deepest node on the way to it.
    pub fn node(&self, path: &Path) -> Option<NodeId> {
        self.walk(path).map(|(node, _)| node)
    }

    /// True when the value at `path` is written in the text.
    pub fn has(&self, path: &Path) -> bool {
        matches!(self.walk(path), Some((_, true)))
    }

    /// Line and column of the value at `path` (of the deepest part of it that exists).
    pub fn locate(&self, path: &Path) -> Pos {
        match self.node(path) {
            Some(n) => self.pos_of_node(n),
            None => Pos::default(),
        }
    }

    /// Line and column of a node.
    pub fn pos_of_node(&self, id: NodeId) -> Pos {
        match &self.tree {
            Some(t) => self.pos_of_offset(t.node(id).start as usize),
            None => Pos::default(),
        }
    }

    /// The path of a node, as text (`measurements[0].points[3][1]`).
    pub fn path_of_node(&self, id: NodeId) -> String {
        let Some(tree) = &self.tree else {
            return String::new();
        };
        let mut parts = Vec::new();
        let mut cur = id;
        while cur != scan::NO_NODE {
            let n = tree.node(cur);
            if let Some(k) = tree.key(self.text, cur) {
                parts.push(format!(".{k}"));
            } else if n.parent != scan::NO_NODE && tree.name(self.text, n.parent) != Some("Some") {
                parts.push(format!("[{}]", n.index));
            }
            cur = n.parent;
        }
        parts.reverse();
        let s = parts.concat();
        s.strip_prefix('.').unwrap_or(&s).to_owned()
    }
}

/// `Some(x)` → `x`; anything else unchanged.
pub(super) fn unwrap_some(tree: &Tree, text: &str, id: NodeId) -> NodeId {
    let mut cur = id;
    // Bounded by the tree's depth.
    while tree.node(cur).kind == NodeKind::Tuple && tree.name(text, cur) == Some("Some") {
        match tree.child(cur, 0) {
            Some(c) if tree.children(cur).count() == 1 => cur = c,
            _ => break,
        }
    }
    cur
}
