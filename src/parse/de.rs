//! A serde `Deserializer` over the scanned [`Tree`]: the on-disk types (`raw`) are read from
//! the tree the scanner already built, so the text is parsed once, and every error names the
//! node it is about (hence its line and column).
//!
//! Simple scalars (plain strings, decimal numbers) are read directly; anything else (escapes,
//! raw strings, hex numbers, `inf`, ...) is handed to `ron` on the value's own slice, so RON's
//! rules stay authoritative for every value.

use std::fmt;

use serde::de::{
    self, DeserializeSeed, EnumAccess, IntoDeserializer, MapAccess, SeqAccess, VariantAccess,
    Visitor,
};

use super::ron_options;
use super::scan::{Children, NO_NODE, NodeId, NodeKind, Tree};

/// Why a value could not be read, and which node it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeError {
    /// The node the error is about ([`NO_NODE`] until known).
    pub node: NodeId,
    /// Byte offset inside the node's text when RON pointed inside it (a bad escape).
    pub offset: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError {
            node: NO_NODE,
            offset: None,
            message: msg.to_string(),
        }
    }
}

/// Deserializes one node of the tree.
#[derive(Clone, Copy)]
pub struct NodeDe<'a> {
    tree: &'a Tree,
    text: &'a str,
    node: NodeId,
}

impl<'a> NodeDe<'a> {
    /// A deserializer for `node`.
    pub fn new(tree: &'a Tree, text: &'a str, node: NodeId) -> Self {
        NodeDe { tree, text, node }
    }

    fn slice(&self) -> &'a str {
        self.tree.slice(self.text, self.node)
    }

    fn kind(&self) -> NodeKind {
        self.tree.node(self.node).kind
    }

    fn name(&self) -> Option<&'a str> {
        self.tree.name(self.text, self.node)
    }

    fn err(&self, message: impl Into<String>) -> DeError {
        DeError {
            node: self.node,
            offset: None,
            message: message.into(),
        }
    }

    fn tag(&self, mut e: DeError) -> DeError {
        if e.node == NO_NODE {
            e.node = self.node;
        }
        e
    }

    /// Reads the slice with `ron` (for anything not simple).
    fn with_ron<T: serde::de::DeserializeOwned>(&self) -> Result<T, DeError> {
        ron_options().from_str::<T>(self.slice()).map_err(|e| {
            let mut err = self.err(e.code.to_string());
            if e.span.start.line == 1 {
                let skip = self
                    .slice()
                    .char_indices()
                    .nth(e.span.start.col.saturating_sub(1))
                    .map(|(i, _)| i);
                err.offset = skip;
            }
            err
        })
    }

    fn string(&self) -> Result<Option<&'a str>, DeError> {
        if self.kind() != NodeKind::Str {
            return Ok(None);
        }
        let s = self.slice();
        match s.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
            Some(inner) if !inner.contains('\\') && !inner.contains('"') => Ok(Some(inner)),
            _ => Err(self.err("not simple")),
        }
    }

    fn unexpected(&self) -> String {
        match self.kind() {
            NodeKind::Str => "a string".to_owned(),
            NodeKind::Char => "a character".to_owned(),
            NodeKind::Bytes => "a byte string".to_owned(),
            NodeKind::Number => format!("the number {}", self.slice()),
            NodeKind::Ident => format!("the name {}", self.slice()),
            NodeKind::Struct => "a struct".to_owned(),
            NodeKind::Tuple => "a tuple".to_owned(),
            NodeKind::List => "a list".to_owned(),
            NodeKind::Map => "a map".to_owned(),
        }
    }

    fn invalid(&self, exp: &dyn de::Expected) -> DeError {
        self.err(format!("expected {exp}, found {}", self.unexpected()))
    }

    /// A decimal integer (optionally signed), or `None` when it is not that simple.
    fn simple_int(&self) -> Option<i128> {
        let s = self.slice();
        let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
        if self.kind() == NodeKind::Number
            && !digits.is_empty()
            && digits.len() <= 30
            && digits.bytes().all(|b| b.is_ascii_digit())
        {
            s.parse().ok()
        } else {
            None
        }
    }

    /// A decimal float `[+-]digits[.digits][e[+-]digits]`, or `None` when not that simple.
    fn simple_float(&self) -> Option<f64> {
        let s = self.slice();
        if self.kind() != NodeKind::Number {
            return None;
        }
        let simple = s.bytes().enumerate().all(|(i, b)| {
            b.is_ascii_digit()
                || b == b'.'
                || b == b'e'
                || b == b'E'
                || (b == b'-' || b == b'+')
                    && (i == 0 || matches!(s.as_bytes()[i - 1], b'e' | b'E'))
        }) && s.bytes().any(|b| b.is_ascii_digit())
            && !s.starts_with(['.', 'e', 'E'])
            && !s.ends_with(['e', 'E', '+', '-']);
        if simple { s.parse().ok() } else { None }
    }

    fn integer<T: TryFrom<i128> + serde::de::DeserializeOwned>(&self) -> Result<T, DeError> {
        match self.simple_int() {
            Some(v) => T::try_from(v).map_err(|_| self.err("integer is out of bounds")),
            None if self.kind() == NodeKind::Number => self.with_ron::<T>(),
            None => Err(self.err(format!("expected an integer, found {}", self.unexpected()))),
        }
    }

    fn float(&self) -> Result<f64, DeError> {
        match self.simple_float() {
            Some(v) => Ok(v),
            None if matches!(self.kind(), NodeKind::Number | NodeKind::Ident) => {
                self.with_ron::<f64>()
            }
            None => Err(self.err(format!("expected a number, found {}", self.unexpected()))),
        }
    }

    fn is_some_wrapper(&self) -> Option<NodeId> {
        if self.kind() == NodeKind::Tuple && self.name() == Some("Some") {
            let mut c = self.tree.children(self.node);
            let first = c.next()?;
            c.next().is_none().then_some(first)
        } else {
            None
        }
    }

    fn children(&self) -> Children<'a> {
        self.tree.children(self.node)
    }

    fn child(&self, node: NodeId) -> NodeDe<'a> {
        NodeDe::new(self.tree, self.text, node)
    }
}

macro_rules! int_method {
    ($method:ident, $visit:ident, $t:ty) => {
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
            let v: $t = self.integer()?;
            visitor.$visit(v).map_err(|e| self.tag(e))
        }
    };
}

impl<'de> de::Deserializer<'de> for NodeDe<'_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let r = match self.kind() {
            NodeKind::Str => match self.string() {
                Ok(Some(s)) => visitor.visit_str(s),
                _ => visitor.visit_string(self.with_ron::<String>()?),
            },
            NodeKind::Number => match self.simple_int() {
                Some(v) => match i64::try_from(v) {
                    Ok(v) => visitor.visit_i64(v),
                    Err(_) => visitor.visit_i128(v),
                },
                None => match self.with_ron::<i64>() {
                    Ok(v) => visitor.visit_i64(v),
                    Err(_) => visitor.visit_f64(self.float()?),
                },
            },
            NodeKind::Ident => match self.slice() {
                "true" => visitor.visit_bool(true),
                "false" => visitor.visit_bool(false),
                "None" => visitor.visit_none(),
                "inf" | "NaN" | "inff64" | "NaNf64" | "inff32" | "NaNf32" => {
                    visitor.visit_f64(self.float()?)
                }
                other => Err(self.err(format!("expected a value, found the bare name {other}"))),
            },
            NodeKind::Struct | NodeKind::Map => self.deserialize_map(visitor),
            NodeKind::Tuple if self.is_some_wrapper().is_some() => self.deserialize_option(visitor),
            NodeKind::Tuple | NodeKind::List => self.deserialize_seq(visitor),
            NodeKind::Char => visitor.visit_char(self.with_ron::<char>()?),
            NodeKind::Bytes => visitor.visit_byte_buf(self.with_ron::<Vec<u8>>()?),
        };
        r.map_err(|e| self.tag(e))
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match (self.kind(), self.slice()) {
            (NodeKind::Ident, "true") => visitor.visit_bool(true),
            (NodeKind::Ident, "false") => visitor.visit_bool(false),
            _ => Err(self.invalid(&"true or false")),
        }
        .map_err(|e| self.tag(e))
    }

    int_method!(deserialize_i8, visit_i8, i8);
    int_method!(deserialize_i16, visit_i16, i16);
    int_method!(deserialize_i32, visit_i32, i32);
    int_method!(deserialize_i64, visit_i64, i64);
    int_method!(deserialize_i128, visit_i128, i128);
    int_method!(deserialize_u8, visit_u8, u8);
    int_method!(deserialize_u16, visit_u16, u16);
    int_method!(deserialize_u32, visit_u32, u32);
    int_method!(deserialize_u64, visit_u64, u64);
    int_method!(deserialize_u128, visit_u128, u128);

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let v = self.float()?;
        visitor.visit_f32(v as f32).map_err(|e| self.tag(e))
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let v = self.float()?;
        visitor.visit_f64(v).map_err(|e| self.tag(e))
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if self.kind() != NodeKind::Char {
            return Err(self.invalid(&"a character"));
        }
        let c = self.with_ron::<char>()?;
        visitor.visit_char(c).map_err(|e| self.tag(e))
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let r = match self.string() {
            Ok(Some(s)) => visitor.visit_str(s),
            Ok(None) => return Err(self.invalid(&"text in quotes")),
            Err(_) => visitor.visit_string(self.with_ron::<String>()?),
        };
        r.map_err(|e| self.tag(e))
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_any(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_any(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let r = if self.kind() == NodeKind::Ident && self.slice() == "None" {
            visitor.visit_none()
        } else if let Some(inner) = self.is_some_wrapper() {
            visitor.visit_some(self.child(inner))
        } else {
            // implicit_some: a bare value is `Some(value)`.
            visitor.visit_some(self)
        };
        r.map_err(|e| self.tag(e))
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if self.kind() == NodeKind::Tuple && self.tree.node(self.node).first_child == NO_NODE {
            visitor.visit_unit().map_err(|e| self.tag(e))
        } else {
            Err(self.invalid(&"()"))
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self).map_err(|e| self.tag(e))
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if !matches!(self.kind(), NodeKind::List | NodeKind::Tuple) {
            return Err(self.invalid(&"a list [...]"));
        }
        visitor
            .visit_seq(Seq {
                de: self,
                children: self.children(),
            })
            .map_err(|e| self.tag(e))
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        if self.kind() != NodeKind::Tuple || self.children().count() != len {
            return Err(self.err(format!(
                "expected a tuple of {len} values (..., ...), found {}",
                self.unexpected()
            )));
        }
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_tuple(len, visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let empty =
            self.kind() == NodeKind::Tuple && self.tree.node(self.node).first_child == NO_NODE;
        if !matches!(self.kind(), NodeKind::Struct | NodeKind::Map) && !empty {
            return Err(self.invalid(&"a struct (name: value, ...)"));
        }
        visitor
            .visit_map(Map {
                de: self,
                children: self.children(),
                value: None,
            })
            .map_err(|e| self.tag(e))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        if self.kind() != NodeKind::Ident {
            return Err(self.invalid(&"a bare name"));
        }
        visitor.visit_enum(self).map_err(|e| self.tag(e))
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.kind() {
            NodeKind::Ident => {
                let s = self.slice();
                visitor.visit_str(s.strip_prefix("r#").unwrap_or(s))
            }
            _ => self.deserialize_str(visitor),
        }
        .map_err(|e| self.tag(e))
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }
}

impl<'de, 'a> EnumAccess<'de> for NodeDe<'a> {
    type Error = DeError;
    type Variant = NodeDe<'a>;

    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<(S::Value, Self), DeError> {
        let s = self.slice();
        let name = s.strip_prefix("r#").unwrap_or(s);
        let de: de::value::StrDeserializer<DeError> = name.into_deserializer();
        let v = seed.deserialize(de).map_err(|e| self.tag(e))?;
        Ok((v, self))
    }
}

impl<'de> VariantAccess<'de> for NodeDe<'_> {
    type Error = DeError;

    fn unit_variant(self) -> Result<(), DeError> {
        Ok(())
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, _seed: S) -> Result<S::Value, DeError> {
        Err(self.err("expected a bare name, not a variant with a value"))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, _visitor: V) -> Result<V::Value, DeError> {
        Err(self.err("expected a bare name, not a variant with values"))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, DeError> {
        Err(self.err("expected a bare name, not a variant with fields"))
    }
}

struct Seq<'a> {
    de: NodeDe<'a>,
    children: Children<'a>,
}

impl<'de> SeqAccess<'de> for Seq<'_> {
    type Error = DeError;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, DeError> {
        match self.children.next() {
            Some(c) => {
                let child = self.de.child(c);
                seed.deserialize(child).map(Some).map_err(|e| child.tag(e))
            }
            None => Ok(None),
        }
    }
}

struct Map<'a> {
    de: NodeDe<'a>,
    children: Children<'a>,
    value: Option<NodeId>,
}

impl<'de> MapAccess<'de> for Map<'_> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        let Some(c) = self.children.next() else {
            return Ok(None);
        };
        if self.de.kind() == NodeKind::Map {
            // Keys and values alternate.
            let key = self.de.child(c);
            self.value = self.children.next();
            return seed.deserialize(key).map(Some).map_err(|e| key.tag(e));
        }
        self.value = Some(c);
        let key = self.de.tree.key(self.de.text, c).unwrap_or("");
        let de: de::value::StrDeserializer<DeError> = key.into_deserializer();
        seed.deserialize(de)
            .map(Some)
            .map_err(|e| self.de.child(c).tag(e))
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, DeError> {
        let Some(v) = self.value.take() else {
            return Err(self.de.err("a value is missing"));
        };
        let child = self.de.child(v);
        seed.deserialize(child).map_err(|e| child.tag(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::raw::{RawMeasurement, RawPhase, RawTime};
    use crate::parse::scan::scan;
    use serde::Deserialize;

    fn read<T: for<'x> Deserialize<'x>>(text: &str) -> Result<T, DeError> {
        let tree = scan(text).unwrap();
        T::deserialize(NodeDe::new(&tree, text, 0))
    }

    #[test]
    fn reads_like_ron() {
        let p: RawPhase = read(
            "Phase(therapy: r#Surgery, name: \"a \\\"b\\\" \\u{2265}\", start: -3, end: Some(\"2021-02\"), line: 0x10, doses: [1_000, \"2021\"], intent: Curative, extra: [1, {2: 3}])",
        )
        .unwrap();
        assert_eq!(p.name.as_deref(), Some("a \"b\" ≥"));
        assert_eq!(p.start, RawTime::Days(-3));
        assert_eq!(p.end, Some(RawTime::Text("2021-02".into())));
        assert_eq!(p.line, Some(16));
        assert_eq!(p.doses, [RawTime::Days(1000), RawTime::Text("2021".into())]);
        let m: RawMeasurement = read(
            "(name: r#\"x\"#, points: [(1, 2), (2, -1.5e2), (3, inf), (4, +.5)], normal_max: 3)",
        )
        .unwrap();
        assert_eq!(m.name, "x");
        assert_eq!(m.points[0].1, 2.0);
        assert_eq!(m.points[1].1, -150.0);
        assert!(m.points[2].1.is_infinite());
        assert_eq!(m.points[3].1, 0.5);
        assert_eq!(m.normal_max, Some(3.0));
    }

    #[test]
    fn errors_name_their_node() {
        let text = "(therapy: Chemo, start: 1)";
        let tree = scan(text).unwrap();
        let e = RawPhase::deserialize(NodeDe::new(&tree, text, 0)).unwrap_err();
        assert_eq!(tree.slice(text, e.node), "Chemo");
        let text = "(therapy: Surgery, start: 1, line: -2)";
        let tree = scan(text).unwrap();
        let e = RawPhase::deserialize(NodeDe::new(&tree, text, 0)).unwrap_err();
        assert_eq!(tree.slice(text, e.node), "-2");
        let text = "(therapy: Surgery)";
        let tree = scan(text).unwrap();
        let e = RawPhase::deserialize(NodeDe::new(&tree, text, 0)).unwrap_err();
        assert_eq!(e.node, 0);
        assert!(e.message.contains("start"), "{e}");
        assert!(read::<RawPhase>("(therapy: Surgery, start: 1.5)").is_err());
        assert!(read::<RawPhase>("(therapy: Surgery, start: \"x\\q\")").is_err());
        assert!(read::<RawMeasurement>("(name: \"x\", points: [(1, 2, 3)])").is_err());
        assert!(read::<RawMeasurement>("(name: \"x\", points: [(1, 1.2.3)])").is_err());
    }
}
