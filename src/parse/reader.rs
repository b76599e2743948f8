//! The reader: checks field names, reads each list element from its own slice with `ron`,
//! and when one fails, checks each of its fields to say which value is wrong and why.

use super::messages::{did_you_mean, one_of, ron_message};
use super::raw::{self, EnumSpec, FieldSpec, RawTime, RawTimeline, StructSpec, Ty};
use super::scan::{self, NodeId, NodeKind, Tree};
use super::source_map::unwrap_some;
use super::{Path, SourceMap, de, missing_field_message, ron_options, suggest};
use crate::diagnostics::Diagnostics;

pub(super) struct Reader<'a, 't> {
    pub(super) map: &'a SourceMap<'t>,
    pub(super) tree: &'a Tree,
    pub(super) text: &'t str,
    pub(super) diags: &'a mut Diagnostics,
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

    pub(super) fn read(&mut self) -> Option<RawTimeline> {
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
