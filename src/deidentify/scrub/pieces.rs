//! How a long text is scrubbed in pieces, so memory stays bounded whatever its length,
//! without a cut between two pieces ever parting a match (see [`super`]).
//!
//! The text is cut into cores of about [`CHUNK`] bytes (after a line break in the second
//! half of the chunk, else after a space, else after punctuation, else anywhere between
//! two characters). Each core is scrubbed as part of a window that reaches [`CONTEXT`]
//! bytes into the text on both sides, so every rule sees the tokens around a match that
//! stands at or across a cut. A replacement that starts in a core is written whole, even
//! past the core's end; the next core then starts where it ended. The same tokens are
//! judged from the same neighbours in both windows, so two windows agree about a match at
//! their common cut: nothing is kept, lost or written twice.

use super::Scrubbed;

/// The length of the pieces a long text is scrubbed in (bytes).
pub const CHUNK: usize = 256 * 1024;

/// How far (bytes) each piece is read into its neighbours on both sides. Every rule looks
/// a few tokens around a token, far less than this in any real text.
pub const CONTEXT: usize = 4 * 1024;

/// Where to end the first piece of `text`: after the last line break in the second half
/// of the first [`CHUNK`] bytes, else after the last white space there, else after the last
/// punctuation, else at the chunk's end.
fn cut_at(text: &str) -> usize {
    if text.len() <= CHUNK {
        return text.len();
    }
    let end = text.floor_char_boundary(CHUNK);
    let half = text.floor_char_boundary(CHUNK / 2);
    let window = &text[half..end];
    let after = |i: Option<usize>| {
        i.map(|i| half + i + window[i..].chars().next().map_or(1, char::len_utf8))
    };
    after(window.rfind('\n'))
        .or_else(|| after(window.rfind(char::is_whitespace)))
        .or_else(|| after(window.rfind(|c: char| !c.is_alphanumeric())))
        .unwrap_or(end)
}

/// Scrubs `text` in pieces: `scrub_window(window, core)` scrubs `window`, writes its bytes
/// `core` (and a replacement starting there, whole) and returns what it wrote and the
/// window byte where that ended.
pub(super) fn scrub_in_pieces(
    text: &str,
    scrub_window: impl Fn(&str, std::ops::Range<usize>) -> (Scrubbed, usize),
) -> Scrubbed {
    if text.len() <= CHUNK {
        return scrub_window(text, 0..text.len()).0;
    }
    let mut out = Scrubbed {
        text: String::with_capacity(text.len()),
        changes: Vec::new(),
    };
    let mut done = 0; // bytes of `text` written
    while done < text.len() {
        let end = done + cut_at(&text[done..]);
        let from = text.floor_char_boundary(done.saturating_sub(CONTEXT));
        let to = text.ceil_char_boundary(end.saturating_add(CONTEXT).min(text.len()));
        let (piece, written) = scrub_window(&text[from..to], done - from..end - from);
        out.text.push_str(&piece.text);
        out.changes.extend(piece.changes);
        done = from + written;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_prefer_line_breaks_then_spaces_then_punctuation() {
        let text = format!("{}\n{}", "a b".repeat(CHUNK / 4), "x".repeat(CHUNK));
        assert_eq!(cut_at(&text), text.find('\n').unwrap() + 1);
        let text = format!("{} {}", "a,b".repeat(CHUNK / 4), "x".repeat(CHUNK));
        assert_eq!(cut_at(&text), text.find(' ').unwrap() + 1);
        let text = format!("{},{}", "a".repeat(CHUNK - 9), "x".repeat(CHUNK));
        assert_eq!(cut_at(&text), CHUNK - 8);
        assert_eq!(cut_at(&"€".repeat(CHUNK)), CHUNK - CHUNK % 3);
        assert_eq!(cut_at("short"), 5);
    }

    #[test]
    fn every_byte_is_written_once_and_windows_reach_the_neighbours() {
        let text = "ab\n".repeat(CHUNK);
        let windows = std::cell::RefCell::new(Vec::new());
        let out = scrub_in_pieces(&text, |w, core| {
            windows.borrow_mut().push((w.len(), core.clone()));
            let s = Scrubbed {
                text: w[core.clone()].to_owned(),
                changes: Vec::new(),
            };
            (s, core.end)
        });
        assert_eq!(out.text, text);
        let windows = windows.into_inner();
        assert!(windows.len() >= 3);
        // Inner windows read CONTEXT bytes on both sides of their core.
        let (len, core) = &windows[1];
        assert_eq!(core.start, CONTEXT);
        assert_eq!(*len - core.end, CONTEXT);
    }
}
