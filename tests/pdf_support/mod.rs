//! A small PDF reader for the tests: objects, inflated streams, and the page's text decoded
//! through each font's `ToUnicode` map (what a viewer's search and copy see).
//!
//! It reads the files `txline::export::pdf` writes (uncompressed object syntax, one page);
//! it is no general PDF parser.

#![allow(dead_code)]

use std::collections::BTreeMap;

/// One indirect object: its dictionary text and its stream (inflated when it was
/// `FlateDecode`d).
#[derive(Debug, Clone)]
pub struct Object {
    /// The object's text up to `stream` (the dictionary), or the whole object.
    pub dict: String,
    /// The stream data, inflated.
    pub stream: Option<Vec<u8>>,
}

/// Every indirect object by number.
pub fn objects(pdf: &[u8]) -> BTreeMap<u32, Object> {
    let mut out = BTreeMap::new();
    let mut i = 0;
    while let Some(pos) = find(pdf, b" 0 obj\n", i) {
        // The object number: digits before " 0 obj".
        let mut s = pos;
        while s > 0 && pdf[s - 1].is_ascii_digit() {
            s -= 1;
        }
        let num: u32 = std::str::from_utf8(&pdf[s..pos])
            .ok()
            .and_then(|t| t.parse().ok())
            .unwrap_or(0);
        let body = pos + b" 0 obj\n".len();
        let end = find(pdf, b"endobj", body).unwrap_or(pdf.len());
        let (dict, stream) = match find(pdf, b"stream\n", body).filter(|&p| p < end) {
            Some(sp) => {
                let dict = String::from_utf8_lossy(&pdf[body..sp]).into_owned();
                let len = dict_int(&dict, "/Length").unwrap_or(0) as usize;
                let data = &pdf[sp + 7..(sp + 7 + len).min(pdf.len())];
                let data = if dict.contains("/FlateDecode") {
                    miniz_oxide::inflate::decompress_to_vec_zlib(data).expect("stream inflates")
                } else {
                    data.to_vec()
                };
                (dict, Some(data))
            }
            None => (String::from_utf8_lossy(&pdf[body..end]).into_owned(), None),
        };
        out.insert(num, Object { dict, stream });
        i = end;
    }
    out
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// The integer after `key` in a dictionary's text.
pub fn dict_int(dict: &str, key: &str) -> Option<i64> {
    let at = dict.find(&format!("{key} "))? + key.len() + 1;
    let digits: String = dict[at..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '-')
        .collect();
    digits.parse().ok()
}

/// The object number referenced after `key` (`/Key 12 0 R`).
pub fn dict_ref(dict: &str, key: &str) -> Option<u32> {
    dict_int(dict, key).map(|v| v as u32)
}

/// The four numbers of the page's `/MediaBox`.
pub fn media_box(pdf: &[u8]) -> [f32; 4] {
    let text = String::from_utf8_lossy(pdf);
    let at = text.find("/MediaBox [").expect("a MediaBox") + "/MediaBox [".len();
    let end = text[at..].find(']').expect("MediaBox ends") + at;
    let v: Vec<f32> = text[at..end]
        .split_whitespace()
        .map(|n| n.parse().expect("a number"))
        .collect();
    [v[0], v[1], v[2], v[3]]
}

/// A `ToUnicode` CMap: two-byte code → text.
fn parse_cmap(data: &[u8]) -> BTreeMap<u16, String> {
    let text = String::from_utf8_lossy(data);
    let mut map = BTreeMap::new();
    let mut in_bfchar = false;
    for line in text.lines() {
        let line = line.trim();
        if line.ends_with("beginbfchar") {
            in_bfchar = true;
            continue;
        }
        if line == "endbfchar" {
            in_bfchar = false;
            continue;
        }
        if in_bfchar {
            let parts: Vec<&str> = line
                .split(['<', '>'])
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .collect();
            if parts.len() == 2 {
                let code = u16::from_str_radix(parts[0], 16).expect("hex code");
                let units: Vec<u16> = (0..parts[1].len() / 4)
                    .map(|k| u16::from_str_radix(&parts[1][k * 4..k * 4 + 4], 16).expect("hex"))
                    .collect();
                map.insert(code, String::from_utf16_lossy(&units));
            }
        }
    }
    map
}

/// The page's text objects (`BT` … `ET`), decoded through the fonts' `ToUnicode` maps, one
/// string per text object (a label whose characters come from several fonts is one text
/// object with several `Tf` + `TJ`, read as one string, as a viewer's copy reads it).
pub fn page_texts(pdf: &[u8]) -> Vec<String> {
    let objs = objects(pdf);
    // Font resource name → its ToUnicode map.
    let page = objs
        .values()
        .find(|o| o.dict.contains("/Type /Page") && !o.dict.contains("/Type /Pages"))
        .expect("a page");
    let mut fonts: BTreeMap<String, BTreeMap<u16, String>> = BTreeMap::new();
    if let Some(at) = page.dict.find("/Font <<") {
        let rest = &page.dict[at + "/Font <<".len()..];
        let rest = &rest[..rest.find(">>").expect("font dict ends")];
        let toks: Vec<&str> = rest.split_whitespace().collect();
        for w in toks.chunks(4) {
            if let [name, num, _, _] = w {
                let num: u32 = num.parse().expect("font ref");
                let font = &objs[&num];
                let cmap = dict_ref(&font.dict, "/ToUnicode").expect("ToUnicode");
                let data = objs[&cmap].stream.clone().expect("cmap stream");
                fonts.insert(name.trim_start_matches('/').to_string(), parse_cmap(&data));
            }
        }
    }
    let content_ref = dict_ref(&page.dict, "/Contents").expect("page contents");
    let content = objs[&content_ref].stream.clone().expect("content stream");
    decode_content(&content, &fonts)
}

fn decode_content(c: &[u8], fonts: &BTreeMap<String, BTreeMap<u16, String>>) -> Vec<String> {
    let mut out = Vec::new();
    let mut font: Option<&BTreeMap<u16, String>> = None;
    let mut last_name = String::new();
    let mut strings: Vec<Vec<u8>> = Vec::new();
    // The text object being read, when one is open.
    let mut object: Option<String> = None;
    let mut i = 0;
    while i < c.len() {
        match c[i] {
            b'(' => {
                let (s, n) = literal(&c[i..]);
                strings.push(s);
                i += n;
            }
            b'<' if c.get(i + 1) != Some(&b'<') => {
                let end = c[i..].iter().position(|&b| b == b'>').expect("hex ends") + i;
                let hex: Vec<u8> = c[i + 1..end]
                    .chunks(2)
                    .map(|h| {
                        u8::from_str_radix(std::str::from_utf8(h).unwrap_or("0"), 16).unwrap_or(0)
                    })
                    .collect();
                strings.push(hex);
                i = end + 1;
            }
            b'/' => {
                let end = c[i + 1..]
                    .iter()
                    .position(|b| b.is_ascii_whitespace() || b"/[]()<>".contains(b))
                    .map(|p| p + i + 1)
                    .unwrap_or(c.len());
                last_name = String::from_utf8_lossy(&c[i + 1..end]).into_owned();
                i = end;
            }
            b if b.is_ascii_alphabetic() || b == b'\'' || b == b'"' => {
                let end = c[i..]
                    .iter()
                    .position(|b| b.is_ascii_whitespace() || b"/[]()<>".contains(b))
                    .map(|p| p + i)
                    .unwrap_or(c.len());
                let op = &c[i..end];
                match op {
                    b"BT" => object = Some(String::new()),
                    b"ET" => out.extend(object.take()),
                    b"Tf" => font = fonts.get(&last_name),
                    b"Tj" | b"TJ" | b"'" | b"\"" => {
                        let mut text = String::new();
                        for s in strings.drain(..) {
                            for pair in s.chunks(2) {
                                let code =
                                    u16::from_be_bytes([pair[0], *pair.get(1).unwrap_or(&0)]);
                                match font.and_then(|f| f.get(&code)) {
                                    Some(t) => text.push_str(t),
                                    None => text.push('\u{fffd}'),
                                }
                            }
                        }
                        match object.as_mut() {
                            Some(o) => o.push_str(&text),
                            None => out.push(text),
                        }
                    }
                    _ => strings.clear(),
                }
                i = end.max(i + 1);
            }
            _ => i += 1,
        }
    }
    out
}

/// A literal string at the start of `c`: (bytes, length consumed).
fn literal(c: &[u8]) -> (Vec<u8>, usize) {
    let mut out = Vec::new();
    let mut depth = 0;
    let mut i = 0;
    while i < c.len() {
        let b = c[i];
        match b {
            b'(' => {
                if depth > 0 {
                    out.push(b);
                }
                depth += 1;
            }
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return (out, i + 1);
                }
                out.push(b);
            }
            b'\\' => {
                i += 1;
                let e = c.get(i).copied().unwrap_or(b'\\');
                match e {
                    b'n' => out.push(b'\n'),
                    b'r' => out.push(b'\r'),
                    b't' => out.push(b'\t'),
                    b'b' => out.push(8),
                    b'f' => out.push(12),
                    b'0'..=b'7' => {
                        let mut v: u32 = 0;
                        let mut k = 0;
                        while k < 3 && c.get(i + k).is_some_and(|d| (b'0'..=b'7').contains(d)) {
                            v = v * 8 + (c[i + k] - b'0') as u32;
                            k += 1;
                        }
                        out.push(v as u8);
                        i += k - 1;
                    }
                    other => out.push(other),
                }
            }
            _ => out.push(b),
        }
        i += 1;
    }
    (out, c.len())
}

/// Everything in the file a reader or a metadata tool could see as text: the file with each
/// stream replaced by its inflated form, except image and font programs (pixel and glyph
/// data, which are not text), followed by the decoded page text.
pub fn searchable(pdf: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for (_, o) in objects(pdf) {
        out.extend_from_slice(o.dict.as_bytes());
        out.push(b'\n');
        if let Some(s) = &o.stream {
            let binary = o.dict.contains("/Subtype /Image")
                || o.dict.contains("/Length1")
                || o.dict.contains("/CIDFontType0C");
            if !binary {
                out.extend_from_slice(s);
                out.push(b'\n');
            }
        }
    }
    // The trailer (file id) and anything outside objects.
    if let Some(t) = pdf.windows(7).rposition(|w| w == b"trailer") {
        out.extend_from_slice(&pdf[t..]);
    }
    for t in page_texts(pdf) {
        out.extend_from_slice(t.as_bytes());
        out.push(b'\n');
    }
    out
}
