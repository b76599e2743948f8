//! TIFF export: the scene rasterised and written as an LZW-compressed TIFF with its DPI.

use super::ExportError;
use crate::scene::Scene;

/// Rasterises the scene and writes it as a TIFF.
pub fn to_tiff(scene: &Scene) -> Result<Vec<u8>, ExportError> {
    let _ = scene;
    Err(ExportError::Encode {
        format: "TIFF",
        message: "not implemented yet".into(),
    })
}
