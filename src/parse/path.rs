//! Where a value stands in the file: a [`Path`] of field names and list indexes
//! (`phases[2].end`), as messages name it.

use std::fmt;

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
