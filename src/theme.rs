//! Colours: the palettes of the light, dark and print themes.

/// A named theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ThemeKind {
    /// White page, for slides (the default).
    #[default]
    Light,
    /// Dark page.
    Dark,
    /// Readable in greyscale.
    Print,
}

impl ThemeKind {
    /// Every theme.
    pub const ALL: [ThemeKind; 3] = [ThemeKind::Light, ThemeKind::Dark, ThemeKind::Print];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            ThemeKind::Light => "light",
            ThemeKind::Dark => "dark",
            ThemeKind::Print => "print",
        }
    }
}
