//! txline: one patient's treatment history as a clear, correct timeline figure.
//!
//! The pipeline, each stage a module, none of them using egui:
//! file → [`parse`] (on-disk shape + source positions) → [`validate`] → [`model::Timeline`]
//! → [`layout`] → [`scene::Scene`] → [`export`] (SVG, PNG, …) or the viewer (feature `gui`).
//! [`load`] runs the first three for a file. See ARCHITECTURE.md for the map and the
//! invariants each stage keeps.

pub mod cli;
pub mod cli_cohort;
pub mod cli_export;
pub mod cli_figure;
pub mod cli_import;
pub mod cohort;
pub mod deidentify;
pub mod details;
pub mod diagnostics;
pub mod export;
pub mod fonts;
pub mod import;
pub mod layout;
pub mod load;
pub mod model;
pub mod page;
pub mod parse;
pub mod picture;
pub mod scene;
pub mod stress;
pub mod theme;
pub mod time;
pub mod validate;

#[cfg(feature = "gui")]
pub mod gui;
