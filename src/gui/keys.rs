//! The keyboard: the one table of shortcuts. The menus show their keys from it, the window
//! reads keys through it, and Help ▸ Keyboard shortcuts lists it, so a key cannot be bound
//! in one place and described in another.

use eframe::egui::{Key, KeyboardShortcut, Modifiers};

use super::state::Command;

/// A key and the command it runs.
#[derive(Debug, Clone, PartialEq)]
pub struct Shortcut {
    /// The key (with modifiers; Ctrl is ⌘ on macOS).
    pub key: KeyboardShortcut,
    /// What it does.
    pub command: Command,
    /// What it does, in words (the shortcuts list).
    pub what: &'static str,
}

const fn key(m: Modifiers, k: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(m, k)
}

/// How far an arrow key moves the time window (a fraction of its width).
pub const PAN_STEP: f64 = 0.1;
/// How much + zooms in (the window's new width over its old one); − zooms out by its inverse.
pub const ZOOM_STEP: f64 = 0.8;

/// Every shortcut, in the order they are tried: a key with more modifiers before the same
/// key with fewer (Ctrl+Shift+C before anything bound to C).
pub fn table() -> Vec<Shortcut> {
    use Command as C;
    let ctrl = Modifiers::COMMAND;
    let none = Modifiers::NONE;
    let s = |key, command, what| Shortcut { key, command, what };
    vec![
        s(
            key(ctrl.plus(Modifiers::SHIFT), Key::O),
            C::OpenFolderDialog,
            "Open a folder of timelines as a cohort",
        ),
        s(
            key(ctrl, Key::O),
            C::OpenDialog,
            "Open a timeline, study or spreadsheet",
        ),
        s(key(ctrl, Key::R), C::Reload, "Read the file again"),
        s(key(ctrl, Key::E), C::ShowExport(true), "Export the figure"),
        s(
            key(ctrl.plus(Modifiers::SHIFT), Key::C),
            C::CopyFigure,
            "Copy the figure as on screen (a slide-sized PNG)",
        ),
        s(
            key(ctrl, Key::B),
            C::ToggleSidePanel,
            "Show or hide the side panel",
        ),
        s(key(ctrl, Key::Num0), C::FitToWindow, "Whole timeline"),
        s(key(none, Key::Plus), C::Zoom(ZOOM_STEP), "Zoom in (time)"),
        s(key(none, Key::Equals), C::Zoom(ZOOM_STEP), "Zoom in (time)"),
        s(
            key(none, Key::Minus),
            C::Zoom(1.0 / ZOOM_STEP),
            "Zoom out (time)",
        ),
        s(
            key(Modifiers::ALT, Key::ArrowLeft),
            C::Back,
            "Back from a patient to the cohort",
        ),
        s(
            key(none, Key::Backspace),
            C::Back,
            "Back from a patient to the cohort",
        ),
        s(key(none, Key::ArrowLeft), C::Pan(-PAN_STEP), "Earlier"),
        s(key(none, Key::ArrowRight), C::Pan(PAN_STEP), "Later"),
        s(
            key(none, Key::F10),
            C::OpenMenu,
            "Open the menus (then Tab, Enter)",
        ),
        s(
            key(none, Key::F1),
            C::ShowShortcuts(true),
            "This list of shortcuts",
        ),
        s(
            key(none, Key::Escape),
            C::CloseDialog,
            "Close the dialog or image window",
        ),
        s(key(ctrl, Key::Q), C::Quit, "Quit"),
    ]
}

/// The first key bound to `command` (for a menu item's shortcut text).
pub fn key_of(command: &Command) -> Option<KeyboardShortcut> {
    table()
        .into_iter()
        .find(|s| &s.command == command)
        .map(|s| s.key)
}

/// What the mouse does on the figure (listed with the keys).
pub const MOUSE: &[(&str, &str)] = &[
    (
        "Wheel",
        "Zoom in time (scroll when the figure is taller than the window)",
    ),
    ("Ctrl+wheel, pinch", "Zoom in time"),
    ("Drag, Shift+wheel", "Move in time"),
    ("Hover", "Details of an item"),
    ("Click an image", "Show it large"),
    ("Click a cohort's patient", "Open the patient's timeline"),
    ("Drop a file", "Open it"),
];

/// True for commands that act on the figure's time axis (they need a figure, and no text
/// field or dialog taking the keys).
pub fn moves_time(c: &Command) -> bool {
    matches!(c, Command::Pan(_) | Command::Zoom(_))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_bound_once() {
        let t = table();
        for (i, a) in t.iter().enumerate() {
            for b in &t[i + 1..] {
                assert_ne!(a.key, b.key, "{} and {}", a.what, b.what);
            }
        }
    }

    #[test]
    fn more_modifiers_are_tried_first() {
        // egui matches Shift loosely: Ctrl+C would also take Ctrl+Shift+C if tried first.
        let t = table();
        for (i, a) in t.iter().enumerate() {
            for b in &t[..i] {
                let same_key = a.key.logical_key == b.key.logical_key;
                assert!(
                    !(same_key
                        && a.key.modifiers.contains(b.key.modifiers)
                        && a.key.modifiers != b.key.modifiers),
                    "{} must come before {}",
                    a.what,
                    b.what
                );
            }
        }
    }

    #[test]
    fn menus_find_their_keys() {
        assert_eq!(
            key_of(&Command::Reload),
            Some(key(Modifiers::COMMAND, Key::R))
        );
        assert_eq!(
            key_of(&Command::Zoom(ZOOM_STEP)).unwrap().logical_key,
            Key::Plus
        );
        assert_eq!(key_of(&Command::Close), None);
    }
}
