//! Loading: file → text → parse → validate → [`Timeline`], with images read from disk.
//! The one entry point the CLI and the viewer use.
//!
//! Limits: a timeline file may be at most [`MAX_FILE_BYTES`] (32 MiB); an image at most
//! [`MAX_IMAGE_BYTES`] (64 MiB) and [`MAX_IMAGE_PIXELS`] (50 megapixels). Only regular files
//! are read ([`open_regular`]). An image is decoded once, to its end, and kept within
//! [`crate::picture::MAX_KEPT_PIXELS`]; one that is missing, unreadable, truncated, too large
//! or neither PNG nor JPEG is a warning and becomes a placeholder (`ImageItem::data` is
//! `Err(reason)`); the rest of the figure still draws.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{ImageData, Timeline};
use crate::parse::{self, MAX_FILE_BYTES, Parsed, Path as VPath};
use crate::validate;

/// Largest image file read, in bytes (64 MiB).
pub const MAX_IMAGE_BYTES: u64 = 64 * 1024 * 1024;

/// Largest image read, in pixels (50 megapixels).
pub const MAX_IMAGE_PIXELS: u64 = 50_000_000;

/// A timeline that loaded, with its warnings.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The validated timeline.
    pub timeline: Timeline,
    /// Warnings (the figure still draws).
    pub warnings: Vec<Diagnostic>,
}

/// A file that did not load: every error and warning found, in file order.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}", .diagnostics.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n"))]
pub struct LoadError {
    /// Errors and warnings.
    pub diagnostics: Vec<Diagnostic>,
}

fn fail(file: &str, message: String) -> LoadError {
    let mut d = Diagnostics::new(file);
    d.error(0, 0, None, message);
    LoadError {
        diagnostics: d.into_sorted(),
    }
}

/// Reads, parses and validates a timeline file; images are read relative to its folder.
/// Diagnostics name the file as `path` was given.
pub fn load_file(path: &Path) -> Result<Loaded, LoadError> {
    let name = path.display().to_string();
    let (file, meta) = open_regular(path).map_err(|e| {
        fail(
            &name,
            match e {
                OpenError::Io(e) => format!("cannot open the file: {e}"),
                OpenError::NotAFile(kind) => {
                    format!("is {kind}, not a timeline file; name the .ron file itself")
                }
            },
        )
    })?;
    if meta.len() > MAX_FILE_BYTES as u64 {
        return Err(fail(&name, parse::too_large_message(meta.len())));
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(&name, format!("cannot read the file: {e}")))?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(fail(&name, parse::too_large_message(bytes.len() as u64)));
    }
    let text = match std::str::from_utf8(&bytes) {
        Ok(t) => t,
        Err(e) => {
            let good = e.valid_up_to();
            // `good` is a char boundary, so the prefix is valid UTF-8.
            let before = std::str::from_utf8(&bytes[..good]).unwrap_or("");
            let line = 1 + before.matches('\n').count();
            let column = 1 + before.rsplit('\n').next().map_or(0, |l| l.chars().count());
            let mut d = Diagnostics::new(&name);
            d.error(
                line,
                column,
                None,
                format!(
                    "the file is not valid UTF-8 (bad byte 0x{:02X} at byte {good}); save it as UTF-8",
                    bytes.get(good).copied().unwrap_or(0)
                ),
            );
            return Err(LoadError {
                diagnostics: d.into_sorted(),
            });
        }
    };
    let base = path.parent().map(|p| {
        if p.as_os_str().is_empty() {
            Path::new(".")
        } else {
            p
        }
    });
    let mut loaded = load_str(text, &name, base)?;
    loaded.timeline.source = Some(path.to_path_buf());
    Ok(loaded)
}

/// Why [`open_regular`] did not open a file.
#[derive(Debug)]
pub enum OpenError {
    /// The system refused (missing, permission, …).
    Io(std::io::Error),
    /// It exists but is not a regular file: what it is ("a folder", "a FIFO (named pipe)", …).
    NotAFile(&'static str),
}

/// What a non-regular file is, in words.
fn kind_of(ft: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if ft.is_socket() {
            return "a socket";
        }
        if ft.is_char_device() || ft.is_block_device() {
            return "a device";
        }
    }
    if ft.is_dir() {
        "a folder"
    } else {
        "not a regular file"
    }
}

/// Opens `path` for reading only if it is a regular file (links followed), with its
/// metadata. A FIFO, device or socket is refused without reading (reading one can block
/// for ever or never end): its kind is checked before opening, it is opened without
/// blocking (so a file swapped for a FIFO in between cannot hang the open), and the opened
/// handle is checked again.
pub fn open_regular(path: &Path) -> Result<(std::fs::File, std::fs::Metadata), OpenError> {
    let before = std::fs::metadata(path).map_err(OpenError::Io)?;
    if !before.is_file() {
        return Err(OpenError::NotAFile(kind_of(before.file_type())));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(OpenError::Io)?;
    let meta = file.metadata().map_err(OpenError::Io)?;
    if !meta.is_file() {
        return Err(OpenError::NotAFile(kind_of(meta.file_type())));
    }
    Ok((file, meta))
}

/// Parses and validates timeline text. `file_name` names it in messages; images are read
/// relative to `base_dir` (not read when `None`: they become placeholders).
pub fn load_str(text: &str, file_name: &str, base_dir: Option<&Path>) -> Result<Loaded, LoadError> {
    let mut diags = Diagnostics::new(file_name);
    let parsed = parse::parse(text, &mut diags);
    let timeline = parsed
        .as_ref()
        .and_then(|p| validate::validate(p, &mut diags));
    match (timeline, parsed) {
        (Some(mut timeline), Some(parsed)) => {
            if let Some(base) = base_dir {
                read_images(&mut timeline, &parsed, base, &mut diags);
            }
            Ok(Loaded {
                timeline,
                warnings: diags.into_sorted(),
            })
        }
        (_, parsed) => {
            // Missing images are still worth knowing about while fixing the errors.
            if let (Some(parsed), Some(base)) = (parsed, base_dir) {
                for (i, im) in parsed.raw.images.iter().enumerate() {
                    let Some(im) = im else { continue };
                    if im.path.trim().is_empty() {
                        continue;
                    }
                    if !base.join(&im.path).is_file() {
                        warn_image(&mut diags, &parsed, i, &im.path, NOT_FOUND);
                    }
                }
            }
            if !diags.has_errors() {
                diags.error(0, 0, None, "the file could not be read");
            }
            Err(LoadError {
                diagnostics: diags.into_sorted(),
            })
        }
    }
}

/// Warns, at `images[i].path`, that an image is drawn as a placeholder and why (only
/// counted once the list of problems is full).
fn warn_image(diags: &mut Diagnostics, parsed: &Parsed, i: usize, path: &str, reason: &str) {
    if diags.is_full() {
        diags.count_unshown(crate::diagnostics::Severity::Warning);
        return;
    }
    let loc = VPath::ROOT.field("images").index(i).field("path");
    let p = parsed.map.locate(&loc);
    let message = if reason == NOT_FOUND {
        format!("image \"{path}\" is missing ({reason}); it is drawn as a placeholder")
    } else {
        format!("image \"{path}\" cannot be read ({reason}); it is drawn as a placeholder")
    };
    diags.warning(p.line, p.column, Some(loc.to_string()), message);
}

/// The reason given for an image file that does not exist.
const NOT_FOUND: &str = "no such file";

fn read_images(timeline: &mut Timeline, parsed: &Parsed, base: &Path, diags: &mut Diagnostics) {
    // One decoded image per file, however many items name it and however they spell its
    // path (`a.png`, `./a.png`, a link to it).
    let mut cache: HashMap<std::path::PathBuf, Result<Arc<ImageData>, String>> = HashMap::new();
    // Model images skip elements that failed validation; there are none here (no errors),
    // so model index i is file index i.
    for (i, item) in timeline.images.iter_mut().enumerate() {
        let path = base.join(&item.path);
        let key = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        let data = cache
            .entry(key)
            .or_insert_with(|| read_image(&path))
            .clone();
        if let Err(reason) = &data {
            warn_image(diags, parsed, i, &item.path, reason);
        }
        item.data = data;
    }
}

/// Reads one image: its bytes, type (from the magic bytes) and pixel size (from the header).
pub fn read_image(path: &Path) -> Result<Arc<ImageData>, String> {
    let (file, meta) = open_regular(path).map_err(|e| match e {
        OpenError::Io(e) => io_reason(&e),
        OpenError::NotAFile(kind) => format!("it is {kind}, not an image file"),
    })?;
    if meta.len() > MAX_IMAGE_BYTES {
        return Err(image_too_large(meta.len()));
    }
    let mut bytes = Vec::new();
    file.take(MAX_IMAGE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_reason(&e))?;
    image_data(bytes)
}

/// Checks image bytes: PNG or JPEG, size within [`MAX_IMAGE_PIXELS`], decoded to the end
/// and kept at no more than [`crate::picture::MAX_KEPT_PIXELS`].
pub fn image_data(bytes: Vec<u8>) -> Result<Arc<ImageData>, String> {
    if bytes.len() as u64 > MAX_IMAGE_BYTES {
        return Err(image_too_large(bytes.len() as u64));
    }
    let (mime, format) = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        ("image/png", image::ImageFormat::Png)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        ("image/jpeg", image::ImageFormat::Jpeg)
    } else {
        return Err("not a PNG or JPEG image".to_owned());
    };
    let (width, height) = image::ImageReader::with_format(std::io::Cursor::new(&bytes), format)
        .into_dimensions()
        .map_err(|e| format!("unreadable image: {e}"))?;
    if width == 0 || height == 0 {
        return Err("the image is empty (0 pixels)".to_owned());
    }
    if u64::from(width) * u64::from(height) > MAX_IMAGE_PIXELS {
        return Err(format!(
            "{width}×{height} pixels is too large; the limit is {} megapixels",
            MAX_IMAGE_PIXELS / 1_000_000
        ));
    }
    crate::picture::decode_bounded(bytes, mime, width, height).map(Arc::new)
}

/// The reason for an image file over [`MAX_IMAGE_BYTES`], with its exact size.
fn image_too_large(len: u64) -> String {
    format!(
        "the file is {len} bytes; the limit is {} MiB ({MAX_IMAGE_BYTES} bytes)",
        MAX_IMAGE_BYTES / (1024 * 1024)
    )
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => NOT_FOUND.to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::Eight);
        let mut wr = enc.write_header().unwrap();
        wr.write_image_data(&vec![128u8; (w * h) as usize]).unwrap();
        wr.finish().unwrap();
        out
    }

    #[test]
    fn reads_png_size_and_refuses_others() {
        let d = image_data(png(7, 3)).unwrap();
        assert_eq!((d.width, d.height, d.mime), (7, 3, "image/png"));
        assert_eq!(
            image_data(b"GIF89a....".to_vec()).unwrap_err(),
            "not a PNG or JPEG image"
        );
        assert!(
            image_data(b"\x89PNG\r\n\x1a\nbroken".to_vec())
                .unwrap_err()
                .starts_with("unreadable")
        );
        // A header claiming 10000×10000 pixels is refused before decoding.
        let mut big = png(1, 1);
        big[16..20].copy_from_slice(&10_000u32.to_be_bytes());
        big[20..24].copy_from_slice(&10_000u32.to_be_bytes());
        let e = image_data(big).unwrap_err();
        assert!(
            e.contains("too large") || e.starts_with("unreadable"),
            "{e}"
        );
    }

    #[test]
    fn file_errors_name_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope.ron");
        let e = load_file(&missing).unwrap_err();
        assert!(
            e.diagnostics[0]
                .to_string()
                .contains("nope.ron: error: cannot open the file")
        );

        let bad = dir.path().join("bad.ron");
        std::fs::write(&bad, b"(format: 1,\n  patient: (id: \"P\xFF\"))").unwrap();
        let e = load_file(&bad).unwrap_err();
        let s = e.diagnostics[0].to_string();
        assert!(
            s.contains("bad.ron:2:19: error: the file is not valid UTF-8"),
            "{s}"
        );

        let empty = dir.path().join("empty.ron");
        std::fs::write(&empty, b"").unwrap();
        let e = load_file(&empty).unwrap_err();
        assert!(e.to_string().contains("the file is empty"));
    }

    #[test]
    fn missing_images_are_warnings_with_placeholders() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("img")).unwrap();
        std::fs::write(dir.path().join("img/a.png"), png(4, 2)).unwrap();
        let f = dir.path().join("t.ron");
        std::fs::write(
            &f,
            "(format: 1, patient: (id: \"P\"),\n images: [(at: 0, path: \"img/a.png\"),\n (at: 1, path: \"img/b.png\"), (at: 2, path: \"./img/../img/a.png\")])",
        )
        .unwrap();
        let l = load_file(&f).unwrap();
        assert_eq!(l.timeline.source.as_deref(), Some(f.as_path()));
        let imgs = &l.timeline.images;
        assert_eq!(imgs[0].data.as_ref().unwrap().width, 4);
        assert_eq!(imgs[1].data.as_ref().unwrap_err(), "no such file");
        assert!(Arc::ptr_eq(
            imgs[0].data.as_ref().unwrap(),
            imgs[2].data.as_ref().unwrap()
        ));
        assert_eq!(l.warnings.len(), 1);
        assert_eq!(l.warnings[0].severity, Severity::Warning);
        assert!(
            l.warnings[0]
                .to_string()
                .contains(":3:16: warning: image \"img/b.png\" is missing (no such file)"),
            "{}",
            l.warnings[0]
        );
    }

    #[cfg(unix)]
    fn mkfifo(path: &Path) {
        use std::os::unix::ffi::OsStrExt;
        let c = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    }

    #[cfg(unix)]
    #[test]
    fn fifos_are_refused_without_reading() {
        // Opening a FIFO with no writer blocked for ever; now it is refused by its kind.
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("t.ron");
        mkfifo(&fifo);
        let e = load_file(&fifo).unwrap_err().to_string();
        assert!(
            e.contains("t.ron: error: is a FIFO (named pipe), not a timeline file"),
            "{e}"
        );
        // A link to it is the same thing.
        let link = dir.path().join("link.ron");
        std::os::unix::fs::symlink(&fifo, &link).unwrap();
        assert!(load_file(&link).unwrap_err().to_string().contains("FIFO"));
        // An image that is a FIFO is a placeholder with the reason.
        let img = dir.path().join("img.png");
        mkfifo(&img);
        assert_eq!(
            read_image(&img).unwrap_err(),
            "it is a FIFO (named pipe), not an image file"
        );
        let e = load_file(dir.path()).unwrap_err().to_string();
        assert!(e.contains("is a folder, not a timeline file"), "{e}");
        assert!(matches!(
            open_regular(Path::new("/dev/null")),
            Err(OpenError::NotAFile("a device"))
        ));
    }

    #[test]
    fn truncated_and_huge_images_are_placeholders_or_reduced() {
        // Only the header was read: a PNG cut short was accepted and drawn half grey.
        let whole = png(64, 64);
        let e = image_data(whole[..whole.len() - 30].to_vec()).unwrap_err();
        assert!(e.starts_with("the image is truncated or damaged"), "{e}");
        // A large image is kept reduced, 8-bit, at most MAX_KEPT_PIXELS.
        let d = image_data(png(4100, 1100)).unwrap();
        assert_eq!((d.width, d.height, d.mime), (2050, 550, "image/png"));
    }

    #[test]
    fn images_over_the_byte_limit_say_their_size() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.png");
        std::fs::File::create(&big)
            .unwrap()
            .set_len(MAX_IMAGE_BYTES + 1)
            .unwrap();
        assert_eq!(
            read_image(&big).unwrap_err(),
            "the file is 67108865 bytes; the limit is 64 MiB (67108864 bytes)"
        );
    }

    #[test]
    fn load_str_without_base_reads_no_images() {
        let l = load_str(
            "(format: 1, patient: (id: \"P\"), images: [(at: 0, path: \"x.png\")])",
            "t",
            None,
        )
        .unwrap();
        assert!(l.warnings.is_empty());
        assert!(l.timeline.images[0].data.is_err());
    }
}
