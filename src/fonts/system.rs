//! Installed system fonts as fallbacks, in a fixed order so the same machine always gives
//! the same figure.
//!
//! Found with fontdb (the system's font folders; fontconfig's on Linux) the first time a
//! character DejaVu Sans and the `--font` files lack is measured. Upright faces only, grouped
//! by family (the face's first, English, family name). The order:
//!
//! 1. the families of [`PREFERRED`], in that order (Noto Sans CJK SC first, so Han
//!    characters take Simplified Chinese forms; give `--font` for Japanese or Traditional
//!    forms);
//! 2. every other family, sorted by name (then by file path and face index).
//!
//! Each character goes to the first family in that order whose regular face has it. A
//! family's regular face is its upright face of weight nearest 400; bold text uses its face
//! of weight 600 or more nearest 700 when it has one, else the regular face (no synthetic
//! bold). The bundled DejaVu Sans family is never a system fallback.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::OnceLock;

use super::{Face, MAX_FONT_BYTES};
use crate::scene::Weight;

/// Families tried before all others, in this order.
pub const PREFERRED: &[&str] = &[
    "Noto Sans CJK SC",
    "Noto Sans CJK TC",
    "Noto Sans CJK HK",
    "Noto Sans CJK JP",
    "Noto Sans CJK KR",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Source Han Sans",
    "PingFang SC",
    "Microsoft YaHei",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Noto Sans",
    "Droid Sans Fallback",
    "Arial Unicode MS",
];

/// One face in a font file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct FaceSource {
    path: PathBuf,
    index: u32,
}

struct Family {
    name: String,
    regular: FaceSource,
    bold: Option<FaceSource>,
    loaded: OnceLock<Option<Loaded>>,
}

struct Loaded {
    regular: Face,
    bold: Option<Face>,
}

/// The system families in their order and which one draws each character.
pub(super) struct SystemFonts {
    families: Vec<Family>,
    /// Character → index of the first family (in order) whose regular face has it; only
    /// characters the bundled font lacks.
    coverage: HashMap<char, u32>,
}

impl SystemFonts {
    /// Looks for the installed fonts (once per process).
    pub(super) fn discover() -> SystemFonts {
        let mut db = fontdb::Database::new();
        db.load_system_fonts();
        let families = families_in_order(&db);
        let bundled = super::bundled(Weight::Regular);
        let mut coverage: HashMap<char, u32> = HashMap::new();
        for (i, fam) in families.iter().enumerate() {
            let Some(id) = face_id(&db, &fam.regular) else {
                continue;
            };
            db.with_face_data(id, |data, index| {
                let Ok(face) = ttf_parser::Face::parse(data, index) else {
                    return;
                };
                let Some(cmap) = face.tables().cmap else {
                    return;
                };
                let t = face.tables();
                if t.cff2.is_some() || (t.glyf.is_none() && t.cff.is_none()) {
                    return; // cannot be embedded in PDF, or no outlines (colour bitmaps)
                }
                for sub in cmap.subtables.into_iter().filter(|s| s.is_unicode()) {
                    sub.codepoints(|cp| {
                        if let Some(ch) = char::from_u32(cp)
                            && !coverage.contains_key(&ch)
                            && bundled.glyph_index(ch).is_none()
                            && sub.glyph_index(cp).is_some_and(|g| g.0 != 0)
                        {
                            coverage.insert(ch, i as u32);
                        }
                    });
                }
            });
        }
        SystemFonts { families, coverage }
    }

    /// The first family that has `ch`.
    pub(super) fn covering(&self, ch: char) -> Option<usize> {
        self.coverage.get(&ch).map(|&i| i as usize)
    }

    /// A family's name.
    pub(super) fn name(&self, family: usize) -> &str {
        self.families.get(family).map_or("", |f| f.name.as_str())
    }

    fn loaded_family(&self, family: usize) -> Option<&Loaded> {
        let fam = self.families.get(family)?;
        fam.loaded.get_or_init(|| load(fam)).as_ref()
    }

    /// The face drawing `family` in `weight` (read from disk on first use).
    pub(super) fn face(&self, family: usize, weight: Weight) -> Option<&Face> {
        let l = self.loaded_family(family)?;
        Some(match weight {
            Weight::Bold => l.bold.as_ref().unwrap_or(&l.regular),
            Weight::Regular => &l.regular,
        })
    }

    /// The families read so far: (index, regular face, bold face).
    pub(super) fn loaded(&self) -> Vec<(usize, &Face, &Face)> {
        self.families
            .iter()
            .enumerate()
            .filter_map(|(i, f)| {
                let l = f.loaded.get()?.as_ref()?;
                Some((i, &l.regular, l.bold.as_ref().unwrap_or(&l.regular)))
            })
            .collect()
    }
}

fn face_id(db: &fontdb::Database, src: &FaceSource) -> Option<fontdb::ID> {
    db.faces()
        .find(|f| path_of(&f.source) == Some(&src.path) && f.index == src.index)
        .map(|f| f.id)
}

fn path_of(source: &fontdb::Source) -> Option<&PathBuf> {
    match source {
        fontdb::Source::File(p) => Some(p),
        fontdb::Source::SharedFile(p, _) => Some(p),
        fontdb::Source::Binary(_) => None,
    }
}

/// The upright families of `db` in the documented order, each with its regular and bold face.
fn families_in_order(db: &fontdb::Database) -> Vec<Family> {
    type Candidate = (u16, u16, FaceSource);
    let mut by_name: BTreeMap<String, Vec<Candidate>> = BTreeMap::new();
    for f in db.faces() {
        if f.style != fontdb::Style::Normal {
            continue;
        }
        let (Some(path), Some((name, _))) = (path_of(&f.source), f.families.first()) else {
            continue;
        };
        if name == super::FAMILY {
            continue;
        }
        let stretch = (f.stretch.to_number() as i32 - fontdb::Stretch::Normal.to_number() as i32)
            .unsigned_abs() as u16;
        by_name.entry(name.clone()).or_default().push((
            f.weight.0,
            stretch,
            FaceSource {
                path: path.clone(),
                index: f.index,
            },
        ));
    }
    let nearest = |faces: &[Candidate], target: u16, min: u16| -> Option<FaceSource> {
        faces
            .iter()
            .filter(|c| c.0 >= min)
            .min_by(|a, b| {
                (a.0.abs_diff(target), a.1, &a.2).cmp(&(b.0.abs_diff(target), b.1, &b.2))
            })
            .map(|c| c.2.clone())
    };
    let mut families: Vec<Family> = by_name
        .into_iter()
        .filter_map(|(name, faces)| {
            let regular = nearest(&faces, 400, 0)?;
            let bold = nearest(&faces, 700, 600).filter(|b| *b != regular);
            Some(Family {
                name,
                regular,
                bold,
                loaded: OnceLock::new(),
            })
        })
        .collect();
    let rank = |name: &str| {
        PREFERRED
            .iter()
            .position(|p| *p == name)
            .unwrap_or(PREFERRED.len())
    };
    families.sort_by(|a, b| {
        (rank(&a.name), a.name.to_lowercase(), &a.name, &a.regular).cmp(&(
            rank(&b.name),
            b.name.to_lowercase(),
            &b.name,
            &b.regular,
        ))
    });
    families
}

/// Reads a family's faces (each file once, kept for the life of the process).
fn load(fam: &Family) -> Option<Loaded> {
    let mut files: Vec<(PathBuf, &'static [u8])> = Vec::new();
    let mut read = |src: &FaceSource| -> Option<Face> {
        let data = match files.iter().find(|(p, _)| *p == src.path) {
            Some((_, d)) => *d,
            None => {
                let meta = std::fs::metadata(&src.path).ok()?;
                if !meta.is_file() || meta.len() > MAX_FONT_BYTES {
                    return None;
                }
                let bytes = std::fs::read(&src.path).ok()?;
                let d: &'static [u8] = Box::leak(bytes.into_boxed_slice());
                files.push((src.path.clone(), d));
                d
            }
        };
        let face = Face::parse(data, src.index, &fam.name)?;
        // CFF2 cannot be embedded in PDF.
        face.face.tables().cff2.is_none().then_some(face)
    };
    let regular = read(&fam.regular)?;
    let bold = fam.bold.as_ref().and_then(&mut read);
    Some(Loaded { regular, bold })
}
