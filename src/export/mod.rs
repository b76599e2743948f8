//! Export: the scene written as SVG, PNG and other formats; atomic file writes.
