//! The desktop viewer (feature `gui`): paints the scene with egui, never decides geometry.
