//! Export: the scene written as SVG, PNG, PDF and TIFF, and files written atomically.
//!
//! Every format paints the one [`Scene`](crate::scene::Scene) layout made; none decides
//! geometry or wording.

pub mod pdf;
pub mod tiff;

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Rendering or encoding failed.
    #[error("could not encode the figure as {format}: {message}")]
    Encode {
        /// The format being written ("PNG", "PDF", ...).
        format: &'static str,
        /// What went wrong.
        message: String,
    },
    /// Writing the file failed.
    #[error("could not write {path}: {source}")]
    Io {
        /// The file being written.
        path: String,
        /// The error.
        source: std::io::Error,
    },
    /// The output would overwrite an input file.
    #[error("refusing to overwrite the input file {0}; choose another output name")]
    WouldOverwriteInput(String),
}
