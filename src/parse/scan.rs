//! A small iterative scanner of RON text: finds every value, its source range and its place
//! in the tree (field name, list index), so that errors can point at `phases[2].end` with a
//! line and column. It never recurses (an explicit stack, at most [`MAX_DEPTH`] deep) and
//! runs in time linear in the text.
//!
//! The scanner finds the shape and, when it can follow the text, decides the syntax; values
//! themselves are read by `ron` from their slices. Where it cannot follow the text, `parse`
//! lets `ron` check the whole of it. A differential test (`scan_tests.rs`) keeps the scanner's
//! rules (white space, comments, strings) the same as RON's.

/// Index of a node in [`Tree::nodes`].
pub type NodeId = u32;

/// "No node".
pub const NO_NODE: NodeId = u32::MAX;

/// Deepest nesting accepted (a timeline needs six levels).
pub const MAX_DEPTH: usize = 64;

/// What kind of value a node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    /// `"text"`, `r#"text"#`.
    Str,
    /// `'c'`.
    Char,
    /// `b"bytes"`, `b'b'`.
    Bytes,
    /// A number, including `inf` and `NaN` with a sign.
    Number,
    /// A bare identifier: `Surgery`, `true`, `None`, `inf`.
    Ident,
    /// `(name: value, ...)`, with or without a struct name.
    Struct,
    /// `(a, b)` or `Name(a)`; also `()`.
    Tuple,
    /// `[a, b]`.
    List,
    /// `{k: v}` (keys and values alternate as children).
    Map,
}

/// One value in the text.
#[derive(Debug, Clone)]
pub struct Node {
    /// What it is.
    pub kind: NodeKind,
    /// Byte offset of its first character (its name, if it has one).
    pub start: u32,
    /// Byte offset of the body (the `(` of a named struct; `start` otherwise).
    pub body: u32,
    /// Byte offset just past it.
    pub end: u32,
    /// Byte range of the struct / variant name (`Phase` in `Phase(...)`).
    pub name: Option<(u32, u32)>,
    /// Byte range of the field name when this node is a struct field's value.
    pub key: Option<(u32, u32)>,
    /// Parent node.
    pub parent: NodeId,
    /// First child.
    pub first_child: NodeId,
    /// Next sibling.
    pub next_sibling: NodeId,
    /// Position among its siblings.
    pub index: u32,
    last_child: NodeId,
}

/// The scanned tree: nodes in document order, the root first.
#[derive(Debug, Clone, Default)]
pub struct Tree {
    /// All nodes; `nodes[0]` is the root.
    pub nodes: Vec<Node>,
}

/// Why scanning stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanError {
    /// Byte offset of the problem.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
    /// True when the problem is nesting deeper than [`MAX_DEPTH`].
    pub too_deep: bool,
    /// True when the text holds nothing but white space and comments.
    pub empty: bool,
}

impl Tree {
    /// The node with this id.
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize]
    }

    /// The children of a node, in order.
    pub fn children(&self, id: NodeId) -> Children<'_> {
        Children {
            tree: self,
            next: self.node(id).first_child,
        }
    }

    /// The `i`-th child of a node.
    pub fn child(&self, id: NodeId, i: usize) -> Option<NodeId> {
        self.children(id).nth(i)
    }

    /// The field name of a node (without a leading `r#`), when it is a struct field's value.
    pub fn key<'t>(&self, text: &'t str, id: NodeId) -> Option<&'t str> {
        let (a, b) = self.node(id).key?;
        let k = text.get(a as usize..b as usize)?;
        Some(k.strip_prefix("r#").unwrap_or(k))
    }

    /// The struct / variant name of a node, if written.
    pub fn name<'t>(&self, text: &'t str, id: NodeId) -> Option<&'t str> {
        let (a, b) = self.node(id).name?;
        text.get(a as usize..b as usize)
    }

    /// The value of field `key` of a struct node (the first one, if repeated).
    pub fn field(&self, text: &str, id: NodeId, key: &str) -> Option<NodeId> {
        self.children(id).find(|&c| self.key(text, c) == Some(key))
    }

    /// The text of a node.
    pub fn slice<'t>(&self, text: &'t str, id: NodeId) -> &'t str {
        let n = self.node(id);
        text.get(n.start as usize..n.end as usize).unwrap_or("")
    }

    /// The text of a node without its struct name (from the `(`).
    pub fn body<'t>(&self, text: &'t str, id: NodeId) -> &'t str {
        let n = self.node(id);
        text.get(n.body as usize..n.end as usize).unwrap_or("")
    }

    /// The deepest node whose range contains byte `offset`.
    pub fn deepest_at(&self, offset: usize) -> Option<NodeId> {
        let mut cur = 0u32;
        let root = self.nodes.first()?;
        if offset < root.start as usize || offset >= root.end as usize {
            return None;
        }
        loop {
            let next = self.children(cur).find(|&c| {
                let n = self.node(c);
                let from = n.key.map_or(n.start, |k| k.0);
                (from as usize) <= offset && offset < n.end as usize
            });
            match next {
                Some(c) => cur = c,
                None => return Some(cur),
            }
        }
    }
}

/// Iterator over a node's children.
pub struct Children<'a> {
    tree: &'a Tree,
    next: NodeId,
}

impl Iterator for Children<'_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        if self.next == NO_NODE {
            return None;
        }
        let id = self.next;
        self.next = self.tree.node(id).next_sibling;
        Some(id)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// A field name (structs) or a value (others), or the closing bracket.
    Item,
    /// `:` after a struct field name or a map key.
    Colon,
    /// A value after `:`.
    Value,
    /// `,` or the closing bracket.
    CommaOrClose,
}

struct Frame {
    node: NodeId,
    kind: NodeKind,
    close: u8,
    expect: Expect,
    /// Map: true when the next item is a key.
    map_key: bool,
}

struct Scanner<'a> {
    b: &'a [u8],
    pos: usize,
    tree: Tree,
    pending_key: Option<(u32, u32)>,
}

/// The characters RON skips as white space: exactly `ron::parse::is_whitespace_char` of
/// ron 0.12 (private there), which is more than ASCII white space (`\x0B`, U+0085, the
/// left-to-right and right-to-left marks, the line and paragraph separators) and less than
/// Unicode's (no U+00A0, U+3000, …). The differential tests hold the two together.
pub const fn is_ron_whitespace(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t'
            | '\n'
            | '\r'
            | '\x0B'
            | '\x0C'
            | '\u{85}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// The length in bytes of the RON white-space character starting at `b[i]`, 0 if none.
fn ws_len(b: &[u8], i: usize) -> usize {
    let Some(&c) = b.get(i) else { return 0 };
    if c < 0x80 {
        return usize::from(is_ron_whitespace(c as char));
    }
    // The non-ASCII ones are two or three bytes long; decode just enough to tell.
    let n = match c {
        0xC2 => 2,
        0xE2 => 3,
        _ => return 0,
    };
    match b.get(i..i + n).and_then(|s| std::str::from_utf8(s).ok()) {
        Some(s) if s.chars().next().is_some_and(is_ron_whitespace) => n,
        _ => 0,
    }
}

/// The character starting at `b[i]` (`None` at the end or inside a character).
fn char_at(b: &[u8], i: usize) -> Option<char> {
    let c = *b.get(i)?;
    if c < 0x80 {
        return Some(c as char);
    }
    let n = match c {
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF7 => 4,
        _ => return None,
    };
    std::str::from_utf8(b.get(i..i + n)?).ok()?.chars().next()
}

/// The length in bytes of the character at `b[i]` if it may start a name, as RON has it
/// (`_` or Unicode XID_Start), else 0.
fn ident_start_len(b: &[u8], i: usize) -> usize {
    match char_at(b, i) {
        Some(c) if c == '_' || unicode_ident::is_xid_start(c) => c.len_utf8(),
        _ => 0,
    }
}

/// The length in bytes of the character at `b[i]` if it may continue a name (Unicode
/// XID_Continue; in a raw name `r#…` also `.`, `+`, `-`), else 0.
fn ident_char_len(b: &[u8], i: usize, raw: bool) -> usize {
    match char_at(b, i) {
        Some(c) if unicode_ident::is_xid_continue(c) || (raw && matches!(c, '.' | '+' | '-')) => {
            c.len_utf8()
        }
        _ => 0,
    }
}

fn err(offset: usize, message: impl Into<String>) -> ScanError {
    ScanError {
        offset,
        message: message.into(),
        too_deep: false,
        empty: false,
    }
}

impl<'a> Scanner<'a> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn peek_at(&self, i: usize) -> Option<u8> {
        self.b.get(self.pos + i).copied()
    }

    /// Skips white space and comments (block comments nest, as in RON).
    fn skip_ws(&mut self) -> Result<(), ScanError> {
        let b = self.b;
        let n = b.len();
        loop {
            loop {
                let w = ws_len(b, self.pos);
                if w == 0 {
                    break;
                }
                self.pos += w;
            }
            if self.pos + 1 < n && b[self.pos] == b'/' && b[self.pos + 1] == b'/' {
                while self.pos < n && b[self.pos] != b'\n' {
                    self.pos += 1;
                }
            } else if self.pos + 1 < n && b[self.pos] == b'/' && b[self.pos + 1] == b'*' {
                let open = self.pos;
                self.pos += 2;
                let mut depth = 1usize;
                while depth > 0 {
                    if self.pos + 1 >= n {
                        return Err(err(open, "unclosed block comment; close it with */"));
                    }
                    if b[self.pos] == b'*' && b[self.pos + 1] == b'/' {
                        depth -= 1;
                        self.pos += 2;
                    } else if b[self.pos] == b'/' && b[self.pos + 1] == b'*' {
                        depth += 1;
                        self.pos += 2;
                    } else {
                        self.pos += 1;
                    }
                }
            } else {
                return Ok(());
            }
        }
    }

    fn skip_ident(&mut self) -> Option<(u32, u32)> {
        let start = self.pos;
        let raw = self.peek() == Some(b'r')
            && self.peek_at(1) == Some(b'#')
            && ident_char_len(self.b, self.pos + 2, true) > 0;
        if raw {
            self.pos += 2;
        } else if ident_start_len(self.b, self.pos) == 0 {
            return None;
        }
        loop {
            let n = ident_char_len(self.b, self.pos, raw);
            if n == 0 {
                break;
            }
            self.pos += n;
        }
        Some((start as u32, self.pos as u32))
    }

    /// Skips a quoted string or char starting at the quote, honouring `\` escapes.
    fn skip_quoted(&mut self, quote: u8) -> Result<(), ScanError> {
        let open = self.pos;
        self.pos += 1;
        while let Some(c) = self.peek() {
            self.pos += 1;
            if c == b'\\' {
                self.pos += 1;
            } else if c == quote {
                return Ok(());
            }
        }
        Err(err(open, "unclosed string; end it with a quote"))
    }

    /// Skips a raw string `r#"..."#` starting at the `r`.
    fn skip_raw(&mut self) -> Result<(), ScanError> {
        let open = self.pos;
        self.pos += 1;
        let mut hashes = 0;
        while self.peek() == Some(b'#') {
            hashes += 1;
            self.pos += 1;
        }
        if self.peek() != Some(b'"') {
            return Err(err(open, "malformed raw string"));
        }
        self.pos += 1;
        while let Some(c) = self.peek() {
            self.pos += 1;
            if c == b'"' && (0..hashes).all(|i| self.peek_at(i) == Some(b'#')) {
                self.pos += hashes;
                return Ok(());
            }
        }
        Err(err(open, "unclosed raw string"))
    }

    fn add(&mut self, kind: NodeKind, start: usize, parent: NodeId) -> NodeId {
        let id = self.tree.nodes.len() as NodeId;
        let mut index = 0;
        if parent != NO_NODE {
            let last = self.tree.nodes[parent as usize].last_child;
            if last == NO_NODE {
                self.tree.nodes[parent as usize].first_child = id;
            } else {
                self.tree.nodes[last as usize].next_sibling = id;
                index = self.tree.nodes[last as usize].index + 1;
            }
            self.tree.nodes[parent as usize].last_child = id;
        }
        self.tree.nodes.push(Node {
            kind,
            start: start as u32,
            body: start as u32,
            end: start as u32,
            name: None,
            key: self.pending_key.take(),
            parent,
            first_child: NO_NODE,
            next_sibling: NO_NODE,
            index,
            last_child: NO_NODE,
        });
        id
    }

    /// True when the `(` at `self.pos` opens a struct (`ident :` follows).
    fn opens_struct(&mut self) -> Result<bool, ScanError> {
        let save = self.pos;
        self.pos += 1;
        self.skip_ws()?;
        let is_struct = if self.skip_ident().is_some() {
            self.skip_ws()?;
            self.peek() == Some(b':') && self.peek_at(1) != Some(b':')
        } else {
            false
        };
        self.pos = save;
        Ok(is_struct)
    }

    /// Reads one value starting at `self.pos`; containers are pushed on `stack`, not
    /// recursed into.
    fn value(&mut self, parent: NodeId, stack: &mut Vec<Frame>) -> Result<(), ScanError> {
        let start = self.pos;
        let Some(c) = self.peek() else {
            return Err(err(start, "unexpected end of file; a value is missing"));
        };
        let scalar = |s: &mut Self, kind| {
            let id = s.add(kind, start, parent);
            s.tree.nodes[id as usize].end = s.pos as u32;
        };
        match c {
            b'"' => {
                self.skip_quoted(b'"')?;
                scalar(self, NodeKind::Str);
            }
            b'\'' => {
                self.skip_quoted(b'\'')?;
                scalar(self, NodeKind::Char);
            }
            b'r' if matches!(self.peek_at(1), Some(b'"' | b'#'))
                && !(self.peek_at(1) == Some(b'#')
                    && ident_char_len(self.b, self.pos + 2, true) > 0) =>
            {
                self.skip_raw()?;
                scalar(self, NodeKind::Str);
            }
            b'b' if matches!(self.peek_at(1), Some(b'"' | b'\'')) => {
                self.pos += 1;
                let q = self.peek().unwrap_or(b'"');
                self.skip_quoted(q)?;
                scalar(self, NodeKind::Bytes);
            }
            b'b' if self.peek_at(1) == Some(b'r')
                && matches!(self.peek_at(2), Some(b'"' | b'#')) =>
            {
                self.pos += 1;
                self.skip_raw()?;
                scalar(self, NodeKind::Bytes);
            }
            b'0'..=b'9' | b'+' | b'-' | b'.' => {
                self.pos += 1;
                while self.peek().is_some_and(|c| {
                    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'+' | b'-')
                }) {
                    self.pos += 1;
                }
                scalar(self, NodeKind::Number);
            }
            b'(' | b'[' | b'{' => self.open(start, None, parent, stack)?,
            c if ident_start_len(self.b, self.pos) > 0 || c == b'r' => {
                let Some(name) = self.skip_ident() else {
                    return Err(err(start, format!("unexpected character {:?}", c as char)));
                };
                let after = self.pos;
                self.skip_ws()?;
                if self.peek() == Some(b'(') {
                    self.open(start, Some(name), parent, stack)?;
                } else {
                    self.pos = after;
                    scalar(self, NodeKind::Ident);
                }
            }
            _ => {
                let ch = std::str::from_utf8(&self.b[start..])
                    .ok()
                    .and_then(|s| s.chars().next())
                    .unwrap_or('?');
                return Err(err(start, format!("unexpected character {ch:?}")));
            }
        }
        Ok(())
    }

    fn open(
        &mut self,
        start: usize,
        name: Option<(u32, u32)>,
        parent: NodeId,
        stack: &mut Vec<Frame>,
    ) -> Result<(), ScanError> {
        if stack.len() >= MAX_DEPTH {
            return Err(ScanError {
                offset: self.pos,
                message: format!(
                    "nesting is too deep (more than {MAX_DEPTH} levels of brackets); a timeline needs at most 6"
                ),
                too_deep: true,
                empty: false,
            });
        }
        let (kind, close) = match self.peek() {
            Some(b'(') if self.opens_struct()? => (NodeKind::Struct, b')'),
            Some(b'(') => (NodeKind::Tuple, b')'),
            Some(b'[') => (NodeKind::List, b']'),
            _ => (NodeKind::Map, b'}'),
        };
        let id = self.add(kind, start, parent);
        self.tree.nodes[id as usize].body = self.pos as u32;
        self.tree.nodes[id as usize].name = name;
        self.pos += 1;
        stack.push(Frame {
            node: id,
            kind,
            close,
            expect: Expect::Item,
            map_key: true,
        });
        Ok(())
    }

    fn run(mut self) -> Result<Tree, ScanError> {
        // A byte-order mark is not RON: `parse` strips one before the scanner and `ron`
        // see the text, so a second one is refused by both.
        // `#![enable(...)]` attributes.
        loop {
            self.skip_ws()?;
            if self.peek() == Some(b'#') && self.peek_at(1) == Some(b'!') {
                let open = self.pos;
                let mut depth = 0usize;
                loop {
                    match self.peek() {
                        None => return Err(err(open, "unclosed #![...] attribute")),
                        Some(b'[') => depth += 1,
                        Some(b']') => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                self.pos += 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
        if self.pos >= self.b.len() {
            return Err(ScanError {
                offset: self.pos,
                message: "the file is empty".into(),
                too_deep: false,
                empty: true,
            });
        }
        let mut stack: Vec<Frame> = Vec::new();
        self.value(NO_NODE, &mut stack)?;
        while let Some(top) = stack.last_mut() {
            self.skip_ws()?;
            let at = self.pos;
            let Some(c) = self.peek() else {
                return Err(err(
                    at,
                    format!("unexpected end of file; close with {:?}", top.close as char),
                ));
            };
            let close = top.close;
            match top.expect {
                Expect::Item | Expect::CommaOrClose | Expect::Value if c == close => {
                    if top.expect == Expect::Value {
                        return Err(err(at, "a value is missing after `:`"));
                    }
                    self.pos += 1;
                    let id = top.node;
                    self.tree.nodes[id as usize].end = self.pos as u32;
                    stack.pop();
                }
                Expect::CommaOrClose => {
                    if c != b',' {
                        return Err(err(at, format!("expected `,` or `{}` here", close as char)));
                    }
                    self.pos += 1;
                    top.expect = Expect::Item;
                }
                Expect::Colon => {
                    if c != b':' {
                        return Err(err(at, "expected `:` here"));
                    }
                    self.pos += 1;
                    top.expect = Expect::Value;
                }
                Expect::Item if top.kind == NodeKind::Struct => {
                    let Some(key) = self.skip_ident() else {
                        return Err(err(at, "expected a field name here"));
                    };
                    self.pending_key = Some(key);
                    top.expect = Expect::Colon;
                }
                Expect::Item | Expect::Value => {
                    let (node, kind) = (top.node, top.kind);
                    top.expect = if kind == NodeKind::Map && top.map_key {
                        top.map_key = false;
                        Expect::Colon
                    } else {
                        top.map_key = true;
                        Expect::CommaOrClose
                    };
                    self.value(node, &mut stack)?;
                }
            }
        }
        self.skip_ws()?;
        if self.pos < self.b.len() {
            return Err(err(
                self.pos,
                "unexpected text after the end of the timeline",
            ));
        }
        Ok(self.tree)
    }
}

/// Scans RON text into a [`Tree`].
pub fn scan(text: &str) -> Result<Tree, ScanError> {
    if text.len() >= u32::MAX as usize {
        return Err(err(0, "the text is too large"));
    }
    Scanner {
        b: text.as_bytes(),
        pos: 0,
        tree: Tree::default(),
        pending_key: None,
    }
    .run()
}

#[cfg(test)]
#[path = "scan_tests.rs"]
mod tests;
