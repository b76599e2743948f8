//! The fallback chain after the bundled DejaVu Sans: the `--font` files in the order given,
//! then (unless `--no-system-fonts`) the installed system families of [`super::system`].
//!
//! Chosen once per process, before the first text is measured ([`configure`]); without a
//! call the chain is the default (no `--font` files, system fonts on). Font bytes are read
//! once and kept for the life of the process (glyphs are measured and drawn from them).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::system::SystemFonts;
use super::{Face, FontId};
use crate::scene::Weight;

/// The largest font file read (a full CJK collection is 20–60 MB).
pub const MAX_FONT_BYTES: u64 = 256 << 20;

/// Which fonts follow DejaVu Sans: what `--font` and `--no-system-fonts` say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FontOptions {
    /// Font files tried after DejaVu Sans, in order (`--font FILE`, repeatable).
    pub files: Vec<PathBuf>,
    /// Do not look for installed fonts (`--no-system-fonts`): only DejaVu and `files`.
    pub no_system: bool,
}

/// A font file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum FontError {
    /// The file could not be read.
    #[error("{}: cannot read the font file: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Not a regular file, or too large.
    #[error("{}: {reason}", path.display())]
    Unusable {
        /// The file.
        path: PathBuf,
        /// Why, and what to give instead.
        reason: String,
    },
    /// The fonts were chosen already in this process.
    #[error(
        "the fonts were already chosen for this run; give every --font before the first figure"
    )]
    AlreadyChosen,
}

struct UserFont {
    family: String,
    face: Face,
}

struct Chain {
    options: FontOptions,
    user: Vec<UserFont>,
    system: OnceLock<SystemFonts>,
}

static CHAIN: OnceLock<Chain> = OnceLock::new();

fn chain() -> &'static Chain {
    CHAIN.get_or_init(|| Chain {
        options: FontOptions::default(),
        user: Vec::new(),
        system: OnceLock::new(),
    })
}

/// Chooses the fonts after DejaVu Sans for this process: reads and checks every `--font`
/// file now (so a bad one is an error before anything is drawn). Calling it again with the
/// same options is harmless; with other options, or after text was measured with the
/// default chain, it is [`FontError::AlreadyChosen`].
pub fn configure(options: &FontOptions) -> Result<(), FontError> {
    if let Some(c) = CHAIN.get() {
        return if c.options == *options {
            Ok(())
        } else {
            Err(FontError::AlreadyChosen)
        };
    }
    let user = options
        .files
        .iter()
        .map(|p| load_user_font(p))
        .collect::<Result<Vec<_>, _>>()?;
    let chain = Chain {
        options: options.clone(),
        user,
        system: OnceLock::new(),
    };
    match CHAIN.set(chain) {
        Ok(()) => Ok(()),
        Err(_) if chain_options() == options => Ok(()),
        Err(_) => Err(FontError::AlreadyChosen),
    }
}

fn chain_options() -> &'static FontOptions {
    &chain().options
}

/// Reads a `--font` file (its first face) and checks that it can be measured and embedded.
fn load_user_font(path: &Path) -> Result<UserFont, FontError> {
    let unusable = |reason: String| FontError::Unusable {
        path: path.to_path_buf(),
        reason,
    };
    let meta = std::fs::metadata(path).map_err(|source| FontError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    if !meta.is_file() {
        return Err(unusable(
            "not a font file; give a .ttf, .otf or .ttc file to --font".into(),
        ));
    }
    if meta.len() > MAX_FONT_BYTES {
        return Err(unusable(format!(
            "the font file is {} bytes, more than the {} MiB txline reads",
            meta.len(),
            MAX_FONT_BYTES >> 20
        )));
    }
    let bytes = std::fs::read(path).map_err(|source| FontError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let data: &'static [u8] = Box::leak(bytes.into_boxed_slice());
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "Font".into());
    let face = Face::parse(data, 0, &stem).ok_or_else(|| {
        unusable("not a TrueType or OpenType font (.ttf, .otf or .ttc) that txline can read".into())
    })?;
    if face.face.tables().cff2.is_some() {
        return Err(unusable(
            "a CFF2 (variable PostScript) font, which txline cannot embed in PDF; give a static .otf or a .ttf instead".into(),
        ));
    }
    if face.face.tables().cmap.is_none() {
        return Err(unusable(
            "the font maps no characters to glyphs (no cmap table)".into(),
        ));
    }
    let family = face
        .face
        .names()
        .into_iter()
        .filter(|n| {
            n.name_id == ttf_parser::name_id::TYPOGRAPHIC_FAMILY
                || n.name_id == ttf_parser::name_id::FAMILY
        })
        .find_map(|n| n.to_string())
        .unwrap_or(stem);
    Ok(UserFont { family, face })
}

fn system(c: &'static Chain) -> Option<&'static SystemFonts> {
    if c.options.no_system {
        None
    } else {
        Some(c.system.get_or_init(SystemFonts::discover))
    }
}

/// The first font after DejaVu that has `ch` in `weight`: its id, face and glyph.
pub(super) fn find(
    ch: char,
    weight: Weight,
) -> Option<(FontId, &'static Face, ttf_parser::GlyphId)> {
    let c = chain();
    for (i, u) in c.user.iter().enumerate() {
        if let Some(g) = u.face.glyph_index(ch) {
            return Some((1 + i as FontId, &u.face, g));
        }
    }
    let sys = system(c)?;
    let fam = sys.covering(ch)?;
    let face = sys.face(fam, weight)?;
    let g = face.glyph_index(ch)?;
    Some((system_id(c, fam), face, g))
}

fn system_id(c: &Chain, family: usize) -> FontId {
    (1 + c.user.len() + family).min(FontId::MAX as usize) as FontId
}

/// Where a font id points: a user font or a system family.
enum Slot {
    User(usize),
    System(usize),
}

fn slot(c: &Chain, font: FontId) -> Option<Slot> {
    let i = (font as usize).checked_sub(1)?;
    if i < c.user.len() {
        Some(Slot::User(i))
    } else {
        Some(Slot::System(i - c.user.len()))
    }
}

/// The face drawing `font` in `weight` (`None` for an id no lookup gave out).
pub(super) fn face(font: FontId, weight: Weight) -> Option<&'static Face> {
    let c = chain();
    match slot(c, font)? {
        Slot::User(i) => Some(&c.user[i].face),
        Slot::System(f) => system(c)?.face(f, weight),
    }
}

/// The family name of `font`.
pub(super) fn family(font: FontId) -> Option<String> {
    let c = chain();
    match slot(c, font)? {
        Slot::User(i) => Some(c.user[i].family.clone()),
        Slot::System(f) => system(c).map(|s| s.name(f).to_string()),
    }
}

/// The `--font` faces (used for both weights).
pub(super) fn user_faces(_weight: Weight) -> impl Iterator<Item = &'static Face> {
    chain().user.iter().map(|u| &u.face)
}

/// Every `--font` face and every system family loaded so far, in chain order.
pub(super) fn in_use() -> Vec<(FontId, &'static Face, &'static Face)> {
    let c = chain();
    let mut out: Vec<(FontId, &'static Face, &'static Face)> = c
        .user
        .iter()
        .enumerate()
        .map(|(i, u)| (1 + i as FontId, &u.face, &u.face))
        .collect();
    if let Some(sys) = c.system.get() {
        for (f, regular, bold) in sys.loaded() {
            out.push((system_id(c, f), regular, bold));
        }
    }
    out
}
