//! Parsing: RON text into the on-disk shape ([`raw::RawTimeline`]), with a [`SourceMap`] from
//! each value's path (`phases[2].end`) to its line and column.
//!
//! How it finds every problem in one pass:
//!
//! 1. [`scan::scan`] finds the shape of the text iteratively (no recursion, nesting limited
//!    to [`scan::MAX_DEPTH`]), recording each value's range, field name and list index;
//! 2. `ron` checks the whole text; a RON syntax error is reported with RON's own line and
//!    column, and reading stops there;
//! 3. field names are checked against the known lists (unknown, duplicate, missing), with the
//!    nearest valid name suggested;
//! 4. the patient block and each list element are deserialized by `ron` from their own
//!    slices, so one bad phase does not hide the next; when one fails, each of its fields is
//!    checked on its own to say exactly which value is wrong and what type it needs.
//!
//! The reader enables RON's `implicit_some` itself (see [`ron_options`]).

pub mod de;
pub mod raw;
pub mod scan;

use std::fmt;

use ron::extensions::Extensions;

use crate::diagnostics::Diagnostics;
use raw::{EnumSpec, FieldSpec, RawTime, RawTimeline, StructSpec, Ty};
use scan::{NodeId, NodeKind, Tree};

/// Largest timeline file read, in bytes (32 MiB).
pub const MAX_FILE_BYTES: usize = 32 * 1024 * 1024;

/// The RON options every timeline is read with: `implicit_some` on, recursion bounded.
pub fn ron_options() -> ron::Options {
    ron::Options::default()
        .with_default_extension(Extensions::IMPLICIT_SOME)
        .with_recursion_limit(scan::MAX_DEPTH + 8)
}

/// One step of a [`Path`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Seg {
    /// A struct field.
    Field(&'static str),
    /// A list (or tuple) element.
    Index(usize),
}

/// Where a value stands in the file: `phases[2].end`, `measurements[0].points[3]`.
/// Small and `Copy`; at most [`Path::MAX_LEN`] steps are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Path {
    segs: [Seg; Path::MAX_LEN],
    len: usize,
}

impl Path {
    /// Most steps a path keeps.
    pub const MAX_LEN: usize = 6;

    /// The top level.
    pub const ROOT: Path = Path {
        segs: [Seg::Index(0); Path::MAX_LEN],
        len: 0,
    };

    fn push(mut self, seg: Seg) -> Path {
        if self.len < Self::MAX_LEN {
            self.segs[self.len] = seg;
            self.len += 1;
        }
        self
    }

    /// This path and then field `name`.
    pub fn field(self, name: &'static str) -> Path {
        self.push(Seg::Field(name))
    }

    /// This path and then element `i`.
    pub fn index(self, i: usize) -> Path {
        self.push(Seg::Index(i))
    }

    /// The steps.
    pub fn segments(&self) -> &[Seg] {
        &self.segs[..self.len]
    }

    /// True for the top level.
    pub fn is_root(&self) -> bool {
        self.len == 0
    }

    /// The path for messages: `phases[2]`, or "the timeline" for the top level.
    pub fn describe(&self) -> String {
        if self.is_root() {
            "the timeline".to_owned()
        } else {
            self.to_string()
        }
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, s) in self.segments().iter().enumerate() {
            match s {
                Seg::Field(n) if i == 0 => write!(f, "{n}")?,
                Seg::Field(n) => write!(f, ".{n}")?,
                Seg::Index(k) => write!(f, "[{k}]")?,
            }
        }
        Ok(())
    }
}

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
    fn new(text: &'t str, tree: Option<Tree>) -> Self {
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
    fn offset_in_slice(&self, base: usize, line: usize, column: usize) -> usize {
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
fn unwrap_some(tree: &Tree, text: &str, id: NodeId) -> NodeId {
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

/// The on-disk shape of a file with its source map.
#[derive(Debug, Clone)]
pub struct Parsed<'t> {
    /// What the file says, as written (elements that could not be read are `None`).
    pub raw: RawTimeline,
    /// Positions of every value.
    pub map: SourceMap<'t>,
}

/// The nearest name in `candidates` to `name`, when one is close enough to suggest.
pub fn suggest<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let lower = name.to_lowercase();
    let mut best: Option<(&str, f64)> = None;
    for &c in candidates {
        let cl = c.to_lowercase();
        if cl == lower {
            return Some(c);
        }
        let mut score = strsim::jaro_winkler(&lower, &cl);
        if lower.len() >= 3 && cl.starts_with(&lower) {
            score += 0.1;
        }
        if best.is_none_or(|(_, s)| score > s) {
            best = Some((c, score));
        }
    }
    best.filter(|&(_, s)| s >= 0.8).map(|(c, _)| c)
}

fn one_of(names: &[&str]) -> String {
    names.join(", ")
}

fn did_you_mean(name: &str, names: &[&str]) -> String {
    match suggest(name, names) {
        Some(s) if s != name => format!("; did you mean \"{s}\"?"),
        _ => String::new(),
    }
}

/// The message for a missing required field (shared with validation so the two agree).
pub fn missing_field_message(_spec: &StructSpec, field: &FieldSpec, path: &Path) -> String {
    format!(
        "missing field `{}` in {}; add {}: {}",
        field.name,
        path.describe(),
        field.name,
        field.example
    )
}

/// Turns a RON error code into a message for people.
fn ron_message(code: &ron::Error) -> String {
    use ron::Error as E;
    match code {
        E::ExpectedComma => "expected `,` between items, or a closing bracket".to_owned(),
        E::Eof => "unexpected end of file; a closing bracket or a value is missing".to_owned(),
        E::ExpectedStringEnd => "unclosed string; end it with `\"`".to_owned(),
        E::TrailingCharacters => "unexpected text after the end of the timeline".to_owned(),
        E::ExpectedMapColon => "expected `:` after the field name".to_owned(),
        E::ExpectedStructLikeEnd | E::ExpectedOptionEnd => "expected closing `)`".to_owned(),
        E::ExpectedArrayEnd => "expected closing `]`".to_owned(),
        E::UnclosedBlockComment => "unclosed block comment; close it with `*/`".to_owned(),
        E::ExceededRecursionLimit => format!(
            "nesting is too deep (more than {} levels of brackets)",
            scan::MAX_DEPTH
        ),
        other => {
            let s = other.to_string();
            let mut c = s.chars();
            match c.next() {
                Some(f) => f.to_lowercase().chain(c).collect(),
                None => s,
            }
        }
    }
}

struct Reader<'a, 't> {
    map: &'a SourceMap<'t>,
    tree: &'a Tree,
    text: &'t str,
    diags: &'a mut Diagnostics,
}

impl Reader<'_, '_> {
    /// True (and the problem counted) when no more problems are shown: locating them
    /// would only cost time.
    fn full(&mut self) -> bool {
        if self.diags.is_full() {
            self.diags
                .count_unshown(crate::diagnostics::Severity::Error);
            return true;
        }
        false
    }

    fn error_at(&mut self, node: NodeId, path: String, msg: String) {
        if self.full() {
            return;
        }
        let p = self.map.pos_of_node(node);
        self.diags.error(p.line, p.column, Some(path), msg);
    }

    fn error_at_offset(&mut self, offset: usize, msg: String) {
        if self.full() {
            return;
        }
        let p = self.map.pos_of_offset(offset);
        let path = self
            .tree
            .deepest_at(offset)
            .map(|n| self.map.path_of_node(n));
        self.diags.error(p.line, p.column, path, msg);
    }

    /// Reports a RON error from reading the slice that starts at byte `base`.
    fn ron_error_in(&mut self, base: usize, e: &ron::error::SpannedError) {
        let off = self
            .map
            .offset_in_slice(base, e.span.start.line, e.span.start.col);
        self.error_at_offset(off, ron_message(&e.code));
    }

    fn describe(&self, node: NodeId) -> String {
        let s = self.tree.slice(self.text, node);
        let short: String = if s.chars().count() > 40 {
            s.chars().take(37).chain("...".chars()).collect()
        } else {
            s.to_owned()
        };
        match self.tree.node(node).kind {
            NodeKind::Str => format!("the text {short}"),
            NodeKind::Char => format!("the character {short}"),
            NodeKind::Bytes => format!("the byte string {short}"),
            NodeKind::Number => format!("the number {short}"),
            NodeKind::Ident => format!("the bare name {short}"),
            _ if self.tree.node(node).name.is_some() => {
                let name = self.tree.name(self.text, node).unwrap_or("");
                if name == "Some" {
                    "Some(...) (write a required value without Some)".to_owned()
                } else {
                    format!("{name}(...)")
                }
            }
            NodeKind::Struct => "a struct (...)".to_owned(),
            NodeKind::Tuple if self.tree.node(node).first_child == scan::NO_NODE => "()".to_owned(),
            NodeKind::Tuple => "a tuple (...)".to_owned(),
            NodeKind::List => "a list [...]".to_owned(),
            NodeKind::Map => "a map {...}".to_owned(),
        }
    }

    fn type_error(&mut self, node: NodeId, path: &Path, expected: &str, example: &str) {
        let found = self.describe(node);
        let hint = if example.is_empty() {
            String::new()
        } else {
            format!(" such as {example}")
        };
        let msg = if path.is_root() {
            format!("expected {expected}{hint}, found {found}")
        } else {
            format!("{path}: expected {expected}{hint}, found {found}")
        };
        self.error_at(node, path.to_string(), msg);
    }

    fn is_struct(&self, node: NodeId) -> bool {
        let n = self.tree.node(node);
        n.kind == NodeKind::Struct || (n.kind == NodeKind::Tuple && n.first_child == scan::NO_NODE)
    }

    /// Checks field names: unknown, duplicate and missing required fields.
    fn check_names(&mut self, node: NodeId, spec: &StructSpec, path: &Path) {
        // Bit i: field i of the spec was seen (specs have fewer than 32 fields).
        let mut seen: u32 = 0;
        // Required fields an unknown field was taken for ("strat" → start): their absence is
        // the same problem, reported once.
        let mut suggested: u32 = 0;
        let index_of = |name: &str| spec.fields.iter().position(|f| f.name == name);
        let mut c = self.tree.node(node).first_child;
        while c != scan::NO_NODE {
            let child = c;
            c = self.tree.node(child).next_sibling;
            let Some(key) = self.tree.key(self.text, child) else {
                continue;
            };
            match index_of(key) {
                Some(i) if seen & (1 << i) == 0 => seen |= 1 << i,
                Some(_) => self.duplicate(node, child, key, path),
                None if self.full() => {}
                None => {
                    let names: Vec<&str> = spec.fields.iter().map(|f| f.name).collect();
                    if let Some(i) = suggest(key, &names).and_then(index_of) {
                        suggested |= 1 << i;
                    }
                    let msg = format!(
                        "unknown field \"{key}\" in {}; expected one of {}{}",
                        path.describe(),
                        one_of(&names),
                        did_you_mean(key, &names)
                    );
                    let key_off = self.tree.node(child).key.map_or(0, |k| k.0 as usize);
                    let p = self.map.pos_of_offset(key_off);
                    let fp = if path.is_root() {
                        key.to_owned()
                    } else {
                        format!("{path}.{key}")
                    };
                    self.diags.error(p.line, p.column, Some(fp), msg);
                }
            }
        }
        for (i, field) in spec.fields.iter().enumerate() {
            if field.required && (seen | suggested) & (1 << i) == 0 {
                let msg = missing_field_message(spec, field, path);
                self.error_at(node, path.to_string(), msg);
            }
        }
    }

    fn duplicate(&mut self, node: NodeId, child: NodeId, key: &str, path: &Path) {
        if self.full() {
            return;
        }
        let key_pos = |r: &Self, id: NodeId| {
            r.map
                .pos_of_offset(r.tree.node(id).key.map_or(0, |k| k.0 as usize))
        };
        let first = self.tree.field(self.text, node, key).unwrap_or(child);
        let first_line = key_pos(self, first).line;
        let msg = format!(
            "duplicate field `{key}` in {} (first given on line {first_line}); keep only one",
            path.describe()
        );
        let p = key_pos(self, child);
        self.diags
            .error(p.line, p.column, Some(format!("{path}.{key}")), msg);
    }

    /// Reads a struct (the patient block, one list element) from its own slice.
    fn read_struct<T: serde::de::DeserializeOwned>(
        &mut self,
        node: NodeId,
        spec: &StructSpec,
        path: &Path,
    ) -> Option<T> {
        let node = unwrap_some(self.tree, self.text, node);
        if !self.is_struct(node) {
            self.type_error(node, path, &format!("{} written", spec.what), spec.example);
            return None;
        }
        let before = self.diags.error_count();
        self.check_names(node, spec, path);
        match T::deserialize(de::NodeDe::new(self.tree, self.text, node)) {
            Ok(v) => Some(v),
            Err(_) if self.full() => None,
            Err(e) => {
                self.check_values(node, spec, path);
                if self.diags.error_count() == before {
                    self.de_error(&e);
                }
                None
            }
        }
    }

    /// Reports an error of the tree deserializer at its node.
    fn de_error(&mut self, e: &de::DeError) {
        let node = if e.node == scan::NO_NODE { 0 } else { e.node };
        let start = self.tree.node(node).start as usize;
        match e.offset {
            Some(off) => self.error_at_offset(start + off, e.message.clone()),
            None => {
                let path = self.map.path_of_node(node);
                let msg = if path.is_empty() {
                    e.message.clone()
                } else {
                    format!("{path}: {}", e.message)
                };
                self.error_at(node, path, msg);
            }
        }
    }

    /// Checks each known field's value on its own.
    fn check_values(&mut self, node: NodeId, spec: &StructSpec, path: &Path) {
        let children: Vec<NodeId> = self.tree.children(node).collect();
        let mut done: Vec<&str> = Vec::new();
        for c in children {
            let Some(key) = self.tree.key(self.text, c) else {
                continue;
            };
            let Some(field) = spec.fields.iter().find(|f| f.name == key) else {
                continue;
            };
            if done.contains(&field.name) {
                continue;
            }
            done.push(field.name);
            self.check_value(c, field, path.field(field.name), !field.required);
        }
    }

    fn ron_check<T: serde::de::DeserializeOwned>(&self, node: NodeId) -> bool {
        ron_options()
            .from_str::<T>(self.tree.slice(self.text, node))
            .is_ok()
    }

    fn check_value(&mut self, node: NodeId, field: &FieldSpec, path: Path, optional: bool) {
        let mut node = node;
        if optional {
            let n = self.tree.node(node);
            if n.kind == NodeKind::Ident && self.tree.slice(self.text, node) == "None" {
                return;
            }
            node = unwrap_some(self.tree, self.text, node);
        }
        let kind = self.tree.node(node).kind;
        match field.ty {
            Ty::Text => {
                if kind != NodeKind::Str {
                    self.type_error(node, &path, "text in quotes", field.example);
                } else if let Err(e) =
                    ron_options().from_str::<String>(self.tree.slice(self.text, node))
                {
                    let base = self.tree.node(node).start as usize;
                    self.ron_error_in(base, &e);
                }
            }
            Ty::Count => {
                if !self.ron_check::<u32>(node) {
                    self.type_error(node, &path, "a whole number, 0 or more", field.example);
                }
            }
            Ty::Int => {
                if !self.ron_check::<i64>(node) {
                    self.type_error(node, &path, "a whole number", field.example);
                }
            }
            Ty::Number => {
                if !self.ron_check::<f64>(node) {
                    self.type_error(node, &path, "a number", field.example);
                }
            }
            Ty::Time => self.check_time(node, &path),
            Ty::Enum(spec) => self.check_enum(node, &path, field.name, spec),
            Ty::Times => {
                if kind != NodeKind::List {
                    self.type_error(node, &path, "a list of times", field.example);
                    return;
                }
                let items: Vec<NodeId> = self.tree.children(node).collect();
                for (i, c) in items.into_iter().enumerate() {
                    self.check_time(c, &path.index(i));
                }
            }
            Ty::Points => {
                if kind != NodeKind::List {
                    self.type_error(node, &path, "a list of (time, value) points", field.example);
                    return;
                }
                let items: Vec<NodeId> = self.tree.children(node).collect();
                for (i, c) in items.into_iter().enumerate() {
                    let p = path.index(i);
                    let n = self.tree.node(c);
                    let parts: Vec<NodeId> = self.tree.children(c).collect();
                    if n.kind != NodeKind::Tuple || n.name.is_some() || parts.len() != 2 {
                        self.type_error(c, &p, "a point (time, value)", "(\"2021-03-15\", 4.2)");
                        continue;
                    }
                    self.check_time(parts[0], &p);
                    if !self.ron_check::<f64>(parts[1]) {
                        self.type_error(parts[1], &p, "a number as the point's value", "4.2");
                    }
                }
            }
            Ty::Struct | Ty::List => {}
        }
    }

    fn check_time(&mut self, node: NodeId, path: &Path) {
        let kind = self.tree.node(node).kind;
        let ok =
            matches!(kind, NodeKind::Str | NodeKind::Number) && self.ron_check::<RawTime>(node);
        if ok {
            return;
        }
        let slice = self.tree.slice(self.text, node);
        if kind == NodeKind::Ident && slice == "ongoing" {
            let msg = format!("{path}: write \"ongoing\" in quotes");
            self.error_at(node, path.to_string(), msg);
        } else {
            self.type_error(
                node,
                path,
                "a time: \"2021-03-15\", \"2021-03\", \"2021\" or whole days",
                "",
            );
        }
    }

    fn check_enum(&mut self, node: NodeId, path: &Path, field: &str, spec: EnumSpec) {
        let n = self.tree.node(node);
        let slice = self.tree.slice(self.text, node);
        let noun = spec.noun;
        let list = one_of(spec.names);
        let msg = match n.kind {
            NodeKind::Ident => {
                let name = slice.strip_prefix("r#").unwrap_or(slice);
                if spec.names.contains(&name) {
                    return;
                }
                format!(
                    "unknown {noun} \"{name}\"; expected one of {list}{}",
                    did_you_mean(name, spec.names)
                )
            }
            NodeKind::Str => {
                let inner = ron_options()
                    .from_str::<String>(slice)
                    .unwrap_or_else(|_| slice.trim_matches('"').to_owned());
                if spec.names.contains(&inner.as_str()) {
                    format!("write the {noun} without quotes: {field}: {inner}")
                } else {
                    format!(
                        "unknown {noun} \"{inner}\"; expected one of {list} (written without quotes){}",
                        did_you_mean(&inner, spec.names)
                    )
                }
            }
            _ if n.name.is_some() => {
                let name = self.tree.name(self.text, node).unwrap_or("");
                format!(
                    "{noun} must be one bare name, one of {list}; found `{name}(...)`{}",
                    did_you_mean(name, spec.names)
                )
            }
            _ => format!(
                "{path}: expected a {noun}, one of {list}; found {}",
                self.describe(node)
            ),
        };
        self.error_at(node, path.to_string(), msg);
    }

    fn read_list<T: serde::de::DeserializeOwned>(
        &mut self,
        node: Option<NodeId>,
        name: &'static str,
    ) -> Vec<Option<T>> {
        let Some(node) = node else {
            return Vec::new();
        };
        let path = Path::ROOT.field(name);
        let n = self.tree.node(node);
        if n.kind == NodeKind::Ident && self.tree.slice(self.text, node) == "None" {
            return Vec::new();
        }
        let node = unwrap_some(self.tree, self.text, node);
        let Some(spec) = raw::list_spec(name) else {
            return Vec::new();
        };
        if self.tree.node(node).kind != NodeKind::List {
            self.type_error(
                node,
                &path,
                &format!(
                    "a list [...] of {}s",
                    spec.what.trim_start_matches("a ").trim_start_matches("an ")
                ),
                &format!("[{}]", spec.example),
            );
            return Vec::new();
        }
        let items: Vec<NodeId> = self.tree.children(node).collect();
        items
            .into_iter()
            .enumerate()
            .map(|(i, c)| self.read_struct::<T>(c, &spec, &path.index(i)))
            .collect()
    }

    fn read_top_value<T: serde::de::DeserializeOwned>(
        &mut self,
        node: Option<NodeId>,
        field: &FieldSpec,
    ) -> Option<T> {
        let node = node?;
        match T::deserialize(de::NodeDe::new(self.tree, self.text, node)) {
            Ok(v) => Some(v),
            Err(e) => {
                let before = self.diags.error_count();
                self.check_value(node, field, Path::ROOT.field(field.name), !field.required);
                if self.diags.error_count() == before {
                    self.de_error(&e);
                }
                None
            }
        }
    }

    fn read(&mut self) -> Option<RawTimeline> {
        let root: NodeId = 0;
        if !self.is_struct(root) {
            self.type_error(
                root,
                &Path::ROOT,
                "the timeline written",
                raw::TIMELINE.example,
            );
            return None;
        }
        self.check_names(root, &raw::TIMELINE, &Path::ROOT);
        let top = |name: &str| self.tree.field(self.text, root, name);
        let field_spec = |name: &str| {
            raw::TIMELINE
                .fields
                .iter()
                .find(|f| f.name == name)
                .copied()
        };
        let (format_n, day_zero_n, cutoff_n, patient_n) = (
            top("format"),
            top("day_zero"),
            top("data_cutoff"),
            top("patient"),
        );
        let lists = [
            top("phases"),
            top("statuses"),
            top("responses"),
            top("events"),
            top("intervals"),
            top("measurements"),
            top("images"),
        ];
        let mut raw = RawTimeline::default();
        if let Some(f) = field_spec("format") {
            raw.format = self.read_top_value(format_n, &f);
        }
        if let Some(f) = field_spec("day_zero") {
            raw.day_zero = self.read_top_value(day_zero_n, &f);
        }
        if let Some(f) = field_spec("data_cutoff") {
            raw.data_cutoff = self.read_top_value(cutoff_n, &f);
        }
        if let Some(p) = patient_n {
            raw.patient = self.read_struct(p, &raw::PATIENT, &Path::ROOT.field("patient"));
        }
        raw.phases = self.read_list(lists[0], "phases");
        raw.statuses = self.read_list(lists[1], "statuses");
        raw.responses = self.read_list(lists[2], "responses");
        raw.events = self.read_list(lists[3], "events");
        raw.intervals = self.read_list(lists[4], "intervals");
        raw.measurements = self.read_list(lists[5], "measurements");
        raw.images = self.read_list(lists[6], "images");
        Some(raw)
    }
}

/// The message for a file larger than [`MAX_FILE_BYTES`].
pub fn too_large_message(len: u64) -> String {
    // In bytes: "32.0 MiB; the limit is 32 MiB" read as no reason at all.
    format!(
        "the file is too large ({len} bytes); the limit is {} MiB ({MAX_FILE_BYTES} bytes)",
        MAX_FILE_BYTES / (1024 * 1024)
    )
}

/// Parses timeline text into its on-disk shape. Every problem found goes to `diags`; the
/// result is `None` only when the text could not be read at all (syntax, empty, too large,
/// too deep). With `Some`, `diags` may still hold errors about single values.
pub fn parse<'t>(text: &'t str, diags: &mut Diagnostics) -> Option<Parsed<'t>> {
    if text.len() > MAX_FILE_BYTES {
        diags.error(0, 0, None, too_large_message(text.len() as u64));
        return None;
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let syntax = |diags: &mut Diagnostics, map: &SourceMap| -> bool {
        match ron_options().from_str::<serde::de::IgnoredAny>(text) {
            Ok(_) => true,
            Err(e) => {
                let mut off = map.offset_in_slice(0, e.span.start.line, e.span.start.col);
                // RON points just after the timeline; the stray text starts after the blanks.
                if matches!(e.code, ron::Error::TrailingCharacters)
                    && let Some(rest) = text.get(off..)
                {
                    off += rest.len() - rest.trim_start_matches(scan::is_ron_whitespace).len();
                }
                let p = map.pos_of_offset(off);
                diags.error(
                    p.line,
                    p.column,
                    None,
                    format!("syntax error: {}", ron_message(&e.code)),
                );
                false
            }
        }
    };
    match scan::scan(text) {
        Err(e) if e.empty => {
            diags.error(
                1,
                1,
                None,
                format!(
                    "the file is empty; a timeline looks like {}",
                    raw::TIMELINE.example
                ),
            );
            None
        }
        Err(e) if e.too_deep => {
            let map = SourceMap::new(text, None);
            let p = map.pos_of_offset(e.offset);
            diags.error(p.line, p.column, None, e.message);
            None
        }
        Err(e) => {
            let map = SourceMap::new(text, None);
            if !syntax(diags, &map) {
                return None;
            }
            // RON accepts what the scanner could not follow: read the whole file at once,
            // without positions.
            match ron_options().from_str::<RawTimeline>(text) {
                Ok(raw) => Some(Parsed { raw, map }),
                Err(re) => {
                    let _ = e;
                    let off = map.offset_in_slice(0, re.span.start.line, re.span.start.col);
                    let p = map.pos_of_offset(off);
                    diags.error(p.line, p.column, None, ron_message(&re.code));
                    None
                }
            }
        }
        Ok(tree) => {
            // The scanner checked the syntax; RON itself checks any `#![enable(...)]`
            // attributes before the timeline (their names must be RON extensions).
            let root_start = tree.nodes.first().map_or(0, |n| n.start as usize);
            let map = SourceMap::new(text, Some(tree));
            let head = text.get(..root_start).unwrap_or("");
            if head.contains("#!")
                && let Err(e) =
                    ron_options().from_str::<serde::de::IgnoredAny>(&format!("{head}()"))
            {
                let off = map.offset_in_slice(0, e.span.start.line, e.span.start.col);
                let p = map.pos_of_offset(off);
                diags.error(
                    p.line,
                    p.column,
                    None,
                    format!("syntax error: {}", ron_message(&e.code)),
                );
                return None;
            }
            let raw = {
                let tree = map.tree.as_ref()?;
                Reader {
                    map: &map,
                    tree,
                    text,
                    diags,
                }
                .read()?
            };
            Some(Parsed { raw, map })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Diagnostic;

    fn run(text: &str) -> (Option<RawTimeline>, Vec<Diagnostic>) {
        let mut d = Diagnostics::new("t.ron");
        let p = parse(text, &mut d).map(|p| p.raw);
        (p, d.into_sorted())
    }

    fn messages(text: &str) -> Vec<String> {
        run(text).1.iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn paths_print_like_the_file() {
        let p = Path::ROOT.field("phases").index(2).field("end");
        assert_eq!(p.to_string(), "phases[2].end");
        assert_eq!(Path::ROOT.describe(), "the timeline");
        let p = Path::ROOT
            .field("measurements")
            .index(0)
            .field("points")
            .index(3);
        assert_eq!(p.to_string(), "measurements[0].points[3]");
    }

    #[test]
    fn reads_a_file_with_names_comments_and_attribute() {
        let text = "#![enable(implicit_some)]\n// c\nTimeline(format: 1, patient: Patient(id: \"P\"),\n phases: [Phase(therapy: Surgery, start: \"2021\")])";
        let (raw, d) = run(text);
        assert!(d.is_empty(), "{d:?}");
        let raw = raw.unwrap();
        assert_eq!(raw.format, Some(1));
        assert_eq!(raw.patient.unwrap().id, "P");
        assert_eq!(raw.phases.len(), 1);
    }

    #[test]
    fn locates_values_by_path() {
        let text = "(\n  format: 1,\n  phases: [\n    (therapy: Surgery, start: \"2021\"),\n    (therapy: Surgery, start: \"2021\", end: \"2020\"),\n  ],\n)";
        let mut d = Diagnostics::new("t");
        let p = parse(text, &mut d).unwrap();
        let pos = p
            .map
            .locate(&Path::ROOT.field("phases").index(1).field("end"));
        assert_eq!((pos.line, pos.column), (5, 44));
        let pos = p.map.locate(&Path::ROOT.field("format"));
        assert_eq!((pos.line, pos.column), (2, 11));
    }

    #[test]
    fn ron_white_space_keeps_every_problem_and_its_place() {
        // Each character RON skips as white space, between tokens: the scanner used to stop
        // at it, and the file's problems collapsed into one message without LINE:COL.
        for ws in [
            "\x0B", "\u{85}", "\u{200E}", "\u{200F}", "\u{2028}", "\u{2029}",
        ] {
            let text = format!(
                "({ws}format: 1,\n  patient: (id: 5),\n  phases: [(therapy: Surgry,{ws} start: \"2021\")],{ws})"
            );
            let m = messages(&text);
            assert_eq!(m.len(), 2, "{ws:?}: {m:?}");
            assert!(m[0].starts_with("t.ron:2:17: error:"), "{ws:?}: {m:?}");
            assert!(m[1].starts_with("t.ron:3:22: error:"), "{ws:?}: {m:?}");
        }
        // Trailing text starts past RON's blanks (U+2028), at the first that is not one (U+3000).
        let m = messages("(format: 1, patient: (id: \"x\"))\u{2028}\u{3000}x");
        assert!(m[0].starts_with("t.ron:1:33: error: syntax error"), "{m:?}");
    }

    #[test]
    fn trailing_text_is_pointed_at_where_it_starts() {
        let m = messages("(format: 1, patient: (id: \"x\")) garbage");
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(
            m[0].starts_with("t.ron:1:33: error: syntax error: unexpected text after"),
            "{m:?}"
        );
        let m = messages("(format: 1, patient: (id: \"x\"))\r\n\r\n  (format: 1)");
        assert!(
            m[0].starts_with("t.ron:3:3: error: syntax error: unexpected text after"),
            "{m:?}"
        );
    }

    #[test]
    fn syntax_errors_keep_rons_position() {
        let m = messages("(\n  format: 1\n  patient: (id: \"x\"),\n)");
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(
            m[0].starts_with("t.ron:3:3: error: syntax error: expected `,`"),
            "{m:?}"
        );
    }

    #[test]
    fn unknown_fields_and_kinds_get_suggestions_all_in_one_pass() {
        let text = "(format: 1, patient: (id: \"P\"), phases: [\n(therapy: Chemo, strat: \"2021\", start: \"2021\"),\n(therapy: Surgery, start: \"2021\", intent: Curativ),\n])";
        let m = messages(text);
        assert_eq!(m.len(), 3, "{m:?}");
        assert!(
            m[0].contains(
                "t.ron:2:11: error: unknown therapy \"Chemo\"; expected one of Surgery, Chemotherapy"
            ),
            "{m:?}"
        );
        assert!(m[0].contains("did you mean \"Chemotherapy\"?"), "{m:?}");
        assert!(
            m[1].contains("2:18: error: unknown field \"strat\" in phases[0]"),
            "{m:?}"
        );
        assert!(m[1].contains("did you mean \"start\"?"), "{m:?}");
        assert!(
            m[2].contains("3:43: error: unknown intent \"Curativ\""),
            "{m:?}"
        );
        assert!(m[2].contains("did you mean \"Curative\"?"), "{m:?}");
    }

    #[test]
    fn missing_duplicate_and_wrong_type() {
        let text = "(format: 1, patient: (id: \"P\", age: \"52\"), events: [\n(kind: Diagnosis),\n(at: 3, at: 4, kind: \"Death\"),\n(at: 1.5, kind: Other),\n])";
        let m = messages(text);
        assert_eq!(m.len(), 5, "{m:?}");
        assert!(m[0].contains("1:37: error: patient.age: expected a whole number, 0 or more such as 52, found the text \"52\""), "{m:?}");
        assert!(
            m[1].contains("2:1: error: missing field `at` in events[0]; add at: \"2021-03-15\""),
            "{m:?}"
        );
        assert!(
            m[2].contains("3:9: error: duplicate field `at` in events[1]"),
            "{m:?}"
        );
        assert!(
            m[3].contains("3:22: error: write the kind without quotes: kind: Death"),
            "{m:?}"
        );
        assert!(
            m[4].contains("4:6: error: events[2].at: expected a time"),
            "{m:?}"
        );
    }

    #[test]
    fn empty_deep_and_large_inputs_are_errors() {
        let m = messages("");
        assert!(
            m[0].contains("t.ron:1:1: error: the file is empty"),
            "{m:?}"
        );
        let m = messages(" /* c */ \n");
        assert!(m[0].contains("the file is empty"), "{m:?}");
        let deep = format!("(format: 1, phases: {})", "[".repeat(200_000));
        let m = messages(&deep);
        assert_eq!(m.len(), 1);
        assert!(m[0].contains("nesting is too deep"), "{m:?}");
        let big = " ".repeat(MAX_FILE_BYTES + 1);
        let m = messages(&big);
        assert!(m[0].contains("the limit is 32 MiB"), "{m:?}");
    }

    #[test]
    fn top_level_must_be_a_struct_and_lists_lists() {
        let m = messages("[1, 2]");
        assert!(m[0].contains("expected the timeline written"), "{m:?}");
        let m = messages("(format: 1, patient: (id: \"P\"), phases: (therapy: Surgery))");
        assert!(
            m[0].contains("phases: expected a list [...] of phases"),
            "{m:?}"
        );
    }

    /// Runs the whole reader (parse + validate) on damaged text: it must never panic, and
    /// every failure must say something with a place or a reason.
    fn survives(text: &str) {
        let mut d = Diagnostics::new("f");
        let parsed = parse(text, &mut d);
        if let Some(p) = &parsed {
            let _ = crate::validate::validate(p, &mut d);
        }
        if parsed.is_none() {
            assert!(d.has_errors(), "{text:?}");
        }
    }

    #[test]
    fn damaged_files_never_panic() {
        let good = include_str!("../../examples/patient2.ron");
        // Every prefix (on char boundaries, sampled).
        for (i, _) in good.char_indices().step_by(11) {
            survives(&good[..i]);
        }
        // Deterministic random edits: delete, duplicate or replace a char with a delimiter.
        let mut seed: u64 = 42;
        let mut next = || {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) as usize
        };
        let chars: Vec<char> = good.chars().collect();
        let specials = [
            '(', ')', '[', ']', '{', '}', '"', '\'', ',', ':', '#', 'r', 'b', '/', '*', '-', '9',
            '\\', '\n', 'é',
        ];
        for _ in 0..300 {
            let mut c = chars.clone();
            for _ in 0..1 + next() % 3 {
                let at = next() % c.len();
                match next() % 3 {
                    0 => {
                        c.remove(at);
                    }
                    1 => c.insert(at, specials[next() % specials.len()]),
                    _ => c[at] = specials[next() % specials.len()],
                }
            }
            survives(&c.into_iter().collect::<String>());
        }
        for s in [
            "(",
            ")",
            "\"",
            "r#",
            "r#\"",
            "b'",
            "#!",
            "#![",
            "#![enable(",
            "(a:",
            "[(((",
            "Some(",
            "r",
            "'",
            "(format: 1, patient: Some(",
            "(format: 1, patient: (id: r#\"x\"#))",
            "{",
            "{1: 2}",
            "()",
            "Timeline()",
            "(format: 1, patient: (id: \"P\"), phases: [()])",
            "(format: 1, patient: (id: \"P\"), phases: [Some((therapy: Surgery, start: 1))])",
            "(format: -99999999999999999999)",
            "(format: 1, patient: (id: \"P\"), day_zero: \"9999-12-31\", events: [(at: -100000, kind: Other)])",
            "(format: 1, patient: (id: \"P\"), day_zero: \"0001-01-01\", events: [(at: \"9999\", kind: Other)])",
            "\u{feff}(format: 1, patient: (id: \"P\"))",
        ] {
            survives(s);
        }
    }

    #[test]
    fn ron_rules_hold_for_attributes_and_values() {
        let m = messages("#![enable(bogus)]\n(format: 1, patient: (id: \"P\"))");
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(
            m[0].starts_with("t.ron:1:11: error: syntax error: no RON extension"),
            "{m:?}"
        );
        let m = messages("(format: 1, patient: (id: \"P\\q\", age: 1.2.3))");
        assert_eq!(m.len(), 2, "{m:?}");
        assert!(
            m[0].contains("1:28: error: unknown escape character"),
            "{m:?}"
        );
        assert!(
            m[1].contains("patient.age: expected a whole number"),
            "{m:?}"
        );
        let (raw, m) = run("(format: 0x1, patient: (id: r#\"P\"#, age: 4_0))");
        assert!(m.is_empty(), "{m:?}");
        let raw = raw.unwrap();
        assert_eq!(raw.format, Some(1));
        assert_eq!(raw.patient.unwrap().age, Some(40));
    }

    #[test]
    fn example_files_are_followed_by_the_scanner() {
        // No example needs the position-less fallback.
        for text in [
            include_str!("../../examples/patient1.ron"),
            include_str!("../../examples/patient2.ron"),
            include_str!("../../examples/minimal.ron"),
            include_str!("../../examples/relative.ron"),
        ] {
            let mut d = Diagnostics::new("f");
            let p = parse(text, &mut d).unwrap();
            assert!(p.map.tree().is_some());
            assert!(!d.has_errors());
        }
    }

    #[test]
    fn suggestions_pick_the_nearest_name() {
        let t = raw::THERAPIES.names;
        assert_eq!(suggest("Chemo", t), Some("Chemotherapy"));
        assert_eq!(suggest("radiotherapy", t), Some("Radiotherapy"));
        assert_eq!(suggest("Immuno", t), Some("Immunotherapy"));
        assert_eq!(suggest("xyzzy", t), None);
        assert_eq!(
            suggest("strat", &["start", "end", "therapy"]),
            Some("start")
        );
    }
}
