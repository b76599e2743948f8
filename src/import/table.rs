//! Tab-separated tables as cBioPortal writes them: header on the first line (after any `#`
//! comment lines), one row per line, every cell kept with its line and column so a message
//! can point at it.
//!
//! Handles what real files do: a UTF-8 byte-order mark, `\r\n` line ends, no final newline,
//! trailing tabs for empty last cells, blank lines, and a Git LFS pointer instead of the
//! data (an error that says so).

use std::io::Read;
use std::path::Path;

use crate::diagnostics::Diagnostics;

/// Largest table file read, in bytes (256 MiB).
pub const MAX_TABLE_BYTES: u64 = 256 * 1024 * 1024;

/// The first line of a Git LFS pointer file.
const LFS_POINTER: &str = "version https://git-lfs.github.com/spec/v1";

/// One data row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// 1-based line in the file.
    pub line: usize,
    /// The cells, trimmed, as many as the header has (missing trailing cells are empty).
    pub cells: Vec<String>,
}

/// A table read from a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// 1-based line of the header.
    pub header_line: usize,
    /// The column names as written (trimmed).
    pub header: Vec<String>,
    /// The data rows in file order.
    pub rows: Vec<Row>,
}

impl Table {
    /// The 0-based index of a column, compared ignoring case.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.header
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))
    }
}

/// Reads a file's text: size-limited, UTF-8 (a bad byte is reported at its line and
/// column), a byte-order mark removed. Problems go to `diags`; `None` when unreadable.
pub fn read_text(path: &Path, diags: &mut Diagnostics) -> Option<String> {
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => {
            diags.error(0, 0, None, format!("cannot open the file: {e}"));
            return None;
        }
    };
    let mut bytes = Vec::new();
    if let Err(e) = file.take(MAX_TABLE_BYTES + 1).read_to_end(&mut bytes) {
        diags.error(0, 0, None, format!("cannot read the file: {e}"));
        return None;
    }
    if bytes.len() as u64 > MAX_TABLE_BYTES {
        diags.error(
            0,
            0,
            None,
            format!(
                "the file is larger than {} MiB; split the study",
                MAX_TABLE_BYTES / (1024 * 1024)
            ),
        );
        return None;
    }
    match String::from_utf8(bytes) {
        Ok(mut t) => {
            if t.starts_with('\u{feff}') {
                t.drain(..'\u{feff}'.len_utf8());
            }
            Some(t)
        }
        Err(e) => {
            let good = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let before = std::str::from_utf8(&bytes[..good]).unwrap_or("");
            let line = 1 + before.matches('\n').count();
            let column = 1 + before.rsplit('\n').next().map_or(0, |l| l.chars().count());
            diags.error(
                line,
                column,
                None,
                format!(
                    "the file is not valid UTF-8 (bad byte 0x{:02X}); save it as UTF-8 \
                     (in Excel: Save As → \"Unicode Text\" or \"CSV UTF-8\")",
                    bytes.get(good).copied().unwrap_or(0)
                ),
            );
            None
        }
    }
}

/// True when the text is a Git LFS pointer rather than the file's data.
pub fn is_lfs_pointer(text: &str) -> bool {
    text.starts_with(LFS_POINTER)
}

/// The error for a Git LFS pointer.
pub fn lfs_message() -> String {
    "this is a Git LFS pointer, not the data: the repository stores the real file in Git LFS; \
     run `git lfs pull` in the repository (or download the file from the repository's web \
     page) and import again"
        .to_owned()
}

/// Splits text into lines: `\n` or `\r\n`, the last line without a newline kept.
pub fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .enumerate()
        .map(|(i, l)| (i + 1, l))
}

/// Parses tab-separated text: `#` lines before the header are skipped (cBioPortal's
/// clinical files use them for metadata), blank lines are skipped, a `#` line after the
/// header is skipped with a warning. A row with more non-empty cells than the header has
/// columns is an error at the first extra cell; missing trailing cells are empty.
pub fn parse_tsv(text: &str, sep: char, diags: &mut Diagnostics) -> Option<Table> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if is_lfs_pointer(text) {
        diags.error(1, 1, None, lfs_message());
        return None;
    }
    let mut header: Option<(usize, Vec<String>)> = None;
    let mut rows = Vec::new();
    for (line, l) in lines(text) {
        if l.trim().is_empty() {
            continue;
        }
        let Some((_, head)) = &header else {
            if l.starts_with('#') {
                continue;
            }
            header = Some((line, split(l, sep)));
            continue;
        };
        if l.starts_with('#') {
            diags.warning(
                line,
                1,
                None,
                "a line starting with # after the header is not data; it is skipped",
            );
            continue;
        }
        let mut cells = split(l, sep);
        if cells.len() > head.len() {
            if let Some(extra) = cells[head.len()..].iter().position(|c| !c.is_empty()) {
                let col = head.len() + extra + 1;
                diags.error(
                    line,
                    col,
                    None,
                    format!(
                        "this row has a value in column {col}, but the header has only {} \
                         columns; add a column name to the header or remove the value \
                         (is a tab inside a value?)",
                        head.len()
                    ),
                );
            }
            cells.truncate(head.len());
        }
        cells.resize(head.len(), String::new());
        rows.push(Row { line, cells });
    }
    let Some((header_line, header)) = header else {
        diags.error(
            0,
            0,
            None,
            "the file has no header line; the first line names the columns",
        );
        return None;
    };
    Some(Table {
        header_line,
        header,
        rows,
    })
}

fn split(line: &str, sep: char) -> Vec<String> {
    line.split(sep).map(|c| c.trim().to_owned()).collect()
}

/// A column number as a spreadsheet letter: 1 → `A`, 27 → `AA`.
pub fn column_letter(mut col: usize) -> String {
    let mut s = Vec::new();
    while col > 0 {
        let r = (col - 1) % 26;
        s.push(b'A' + r as u8);
        col = (col - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity;

    fn parse(text: &str) -> (Option<Table>, Vec<String>) {
        let mut d = Diagnostics::new("t.txt");
        let t = parse_tsv(text, '\t', &mut d);
        (t, d.into_sorted().iter().map(|d| d.to_string()).collect())
    }

    #[test]
    fn crlf_trailing_tabs_and_no_final_newline() {
        let (t, msgs) = parse("A\tB\tC\r\nx\t1\t\r\n\r\ny\t2\t3");
        let t = t.unwrap();
        assert!(msgs.is_empty(), "{msgs:?}");
        assert_eq!(t.header, ["A", "B", "C"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].cells, ["x", "1", ""]);
        assert_eq!((t.rows[1].line, t.rows[1].cells[2].as_str()), (4, "3"));
    }

    #[test]
    fn short_rows_are_padded_long_rows_are_errors() {
        let (t, msgs) = parse("A\tB\tC\nx\ny\t1\t2\t\t\nz\t1\t2\t9\n");
        let t = t.unwrap();
        assert_eq!(t.rows[0].cells, ["x", "", ""]);
        assert_eq!(t.rows[1].cells, ["y", "1", "2"]);
        assert_eq!(msgs.len(), 1);
        assert!(
            msgs[0].starts_with("t.txt:4:4: error: this row has a value in column 4"),
            "{msgs:?}"
        );
    }

    #[test]
    fn lfs_pointers_are_named() {
        let mut d = Diagnostics::new("data_timeline.txt");
        let t = parse_tsv(
            "version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 12\n",
            '\t',
            &mut d,
        );
        assert!(t.is_none());
        let v = d.into_sorted();
        assert_eq!(v[0].severity, Severity::Error);
        assert!(v[0].message.contains("Git LFS pointer"), "{}", v[0]);
        assert!(v[0].message.contains("git lfs pull"));
    }

    #[test]
    fn comment_lines_before_the_header_and_bom() {
        let (t, _) = parse("\u{feff}#Patient\t#Sex\n#x\nPATIENT_ID\tSEX\nP1\tF");
        let t = t.unwrap();
        assert_eq!(t.header, ["PATIENT_ID", "SEX"]);
        assert_eq!(t.rows[0].line, 4);
    }

    #[test]
    fn letters() {
        assert_eq!(column_letter(1), "A");
        assert_eq!(column_letter(4), "D");
        assert_eq!(column_letter(26), "Z");
        assert_eq!(column_letter(27), "AA");
        assert_eq!(column_letter(703), "AAA");
    }
}
