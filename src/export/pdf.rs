//! PDF export: the scene as a vector PDF (text as text with the bundled font embedded,
//! images embedded), byte-for-byte reproducible.

use super::ExportError;
use crate::scene::Scene;

/// Writes the scene as a PDF document of one page.
pub fn to_pdf(scene: &Scene) -> Result<Vec<u8>, ExportError> {
    let _ = scene;
    Err(ExportError::Encode {
        format: "PDF",
        message: "not implemented yet".into(),
    })
}
