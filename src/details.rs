//! Details of a timeline item in words, for the viewer's tooltips (no egui here).
