//! The matching key of a text and its tokens: what the scrubber's rules read.
//!
//! Every character of the text becomes zero or more key characters: its compatibility
//! decomposition (NFKD: full-width `２` → `2`, `ﬁ` → `fi`, `Ⅻ` → `XII`), fully case folded
//! (Unicode `CaseFolding.txt`, so `İ`, `ß` and `Σ` match their other cases), decomposed
//! again and stripped of combining marks (`März` → `marz`) and of invisible format
//! characters (zero-width spaces, soft hyphens, direction marks), which could otherwise
//! split a date or a name in two; the letters with no decomposition are written the way a
//! keyboard without them writes them (`ł` → `l`, `ø` → `o`, `ı` → `i`, `æ` → `ae`). Each key
//! character remembers the text character it
//! came from, so a match in the key replaces exactly those characters of the text.
//!
//! The key is then cut into [`Token`]s: runs of digits, runs of letters, runs of spaces,
//! and single punctuation characters. Building the key and the tokens is linear in the
//! text's length.

use caseless::Caseless;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A run of digits. `readable` is false when one of them is not an ASCII digit after
    /// normalisation (Arabic-Indic, Devanagari, …): its value is unknown.
    Digits {
        /// Every digit is 0–9.
        readable: bool,
    },
    /// A run of letters (any script).
    Word,
    /// A run of white space.
    Space,
    /// One other character (punctuation, a symbol).
    Punct,
}

/// One token: key characters `start..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// What it is.
    pub kind: Kind,
    /// First key character.
    pub start: usize,
    /// One past the last key character.
    pub end: usize,
}

/// A text, its key and its tokens.
#[derive(Debug)]
pub struct Keyed<'t> {
    /// The text.
    pub text: &'t str,
    /// Byte offset of each text character, and the text's length at the end.
    pub char_bytes: Vec<usize>,
    /// Whether each text character is upper case.
    pub upper: Vec<bool>,
    /// The key.
    pub key: Vec<char>,
    /// For each key character, the index of the text character it came from.
    pub origin: Vec<usize>,
    /// The tokens, in order, covering the key.
    pub tokens: Vec<Token>,
    /// For each token, the word lists it is in ([`super::words::class`]).
    pub flags: Vec<u32>,
}

/// True for characters that draw nothing and may hide inside a word or a number.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}')
}

/// The key characters of one text character.
pub fn key_of(c: char, out: &mut Vec<char>) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    if is_invisible(c) {
        return;
    }
    for k in std::iter::once(c)
        .nfkd()
        .default_case_fold()
        .nfkd()
        .filter(|k| !is_combining_mark(*k) && !is_invisible(*k))
    {
        match plain_letters(k) {
            Some(plain) => out.extend(plain.chars()),
            None => out.push(latin_look_alike(k).unwrap_or(k)),
        }
    }
}

/// The Latin letter that a letter of another script is drawn like, by the Unicode
/// confusables (UTS 39): Cyrillic `а о х`, Greek `ο ν` → `a o x o v`; `None` for a letter
/// with no single Latin look-alike (`ж`, `β`, CJK). A name or a month written with one
/// of them matches its Latin spelling.
fn latin_look_alike(k: char) -> Option<char> {
    // Below U+0370 every letter is Latin (already keyed); from U+2E80 on, CJK and others
    // with no Latin look-alike: skip the table look-up for them.
    if !('\u{0370}'..'\u{2E80}').contains(&k) || !k.is_alphabetic() {
        return None;
    }
    let mut buf = [0u8; 4];
    let mut skeleton = unicode_security::skeleton(k.encode_utf8(&mut buf));
    match (skeleton.next(), skeleton.next()) {
        (Some(c), None) if c.is_ascii_alphabetic() => Some(c.to_ascii_lowercase()),
        _ => None,
    }
}

/// The Latin letters written in place of a letter that has no decomposition, the way a
/// name is spelled on a keyboard without it: `Łukasz` → `lukasz`, `Sørensen` →
/// `sorensen`, `Yılmaz` → `yilmaz`, `Ægir` → `aegir`.
fn plain_letters(k: char) -> Option<&'static str> {
    Some(match k {
        'ł' => "l",
        'ø' => "o",
        'đ' | 'ð' => "d",
        'ı' => "i",
        'æ' => "ae",
        'œ' => "oe",
        'ħ' => "h",
        'ŧ' => "t",
        'þ' => "th",
        'ŀ' => "l",
        _ => return None,
    })
}

/// True for a character of a script written without spaces between words (Han, kana,
/// Hangul — whose particles are glued to the name —, Thai, Lao, Khmer, Myanmar), in the
/// text or in its key (Hangul syllables key as their jamo): a name inside a longer word
/// of these is found by its pieces.
pub fn written_without_spaces(c: char) -> bool {
    matches!(c,
        '\u{0E00}'..='\u{0EFF}' | '\u{1000}'..='\u{109F}' | '\u{1100}'..='\u{11FF}'
        | '\u{1780}'..='\u{17FF}' | '\u{3040}'..='\u{30FF}' | '\u{3130}'..='\u{318F}'
        | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{A960}'..='\u{A97F}'
        | '\u{AC00}'..='\u{D7FF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3FFFF}')
}

/// The key of a whole string (for the names and the id).
pub fn key_string(s: &str) -> String {
    let mut out = Vec::new();
    for c in s.chars() {
        key_of(c, &mut out);
    }
    out.into_iter().collect()
}

fn kind_of(k: char) -> Kind {
    if k.is_ascii_digit() {
        Kind::Digits { readable: true }
    } else if k.is_numeric() && !k.is_alphabetic() {
        Kind::Digits { readable: false }
    } else if k.is_alphabetic() {
        Kind::Word
    } else if k.is_whitespace() {
        Kind::Space
    } else {
        Kind::Punct
    }
}

impl<'t> Keyed<'t> {
    /// The key and tokens of `text`.
    pub fn new(text: &'t str) -> Self {
        let mut char_bytes = Vec::with_capacity(text.len() + 1);
        let mut upper = Vec::with_capacity(text.len());
        let mut key = Vec::with_capacity(text.len());
        let mut origin = Vec::with_capacity(text.len());
        for (i, (b, c)) in text.char_indices().enumerate() {
            char_bytes.push(b);
            upper.push(c.is_uppercase());
            let before = key.len();
            key_of(c, &mut key);
            origin.resize(origin.len() + key.len() - before, i);
        }
        char_bytes.push(text.len());
        let tokens = tokenize(&key);
        let mut k = Keyed {
            text,
            char_bytes,
            upper,
            key,
            origin,
            tokens,
            flags: Vec::new(),
        };
        k.flags = (0..k.tokens.len())
            .map(|t| k.flags_of(k.tokens[t]))
            .collect();
        let (cuts, glued) = k.glued_months();
        k.split_words(&cuts);
        // A word that begins with a month and goes on ("xxMarchyy"): a month.
        for t in 0..k.tokens.len() {
            if glued.binary_search(&k.tokens[t].start).is_ok() {
                k.flags[t] |= super::words::class::MONTH;
            }
        }
        k
    }

    /// The word lists token `tok` is in.
    fn flags_of(&self, tok: Token) -> u32 {
        if tok.kind != Kind::Word || tok.end - tok.start > super::words::LONGEST_WORD {
            return 0;
        }
        self.with_chars(&self.key[tok.start..tok.end], |w| {
            super::words::lexicon().get(w).copied().unwrap_or(0)
        })
        .unwrap_or(0)
    }

    /// True when key character `i` came from an upper-case text character.
    fn upper_at(&self, i: usize) -> bool {
        self.upper[self.origin[i]]
    }

    /// Where to cut words around a month glued to other letters by its capital: a CamelCase
    /// part (after a lower-case letter, or the last capital before lower case: "PET|March")
    /// that is a month ("PETMarch", "CTJanuary"), or that begins with a month name of five
    /// letters or more ("xxMarchyy"). Returns the cuts (sorted key characters) and the
    /// starts of the parts of the second kind.
    fn glued_months(&self) -> (Vec<usize>, Vec<usize>) {
        use super::words::class;
        let (mut cuts, mut glued) = (Vec::new(), Vec::new());
        for tok in &self.tokens {
            if tok.kind != Kind::Word || !(tok.start + 1..tok.end).any(|i| self.upper_at(i)) {
                continue;
            }
            let mut starts = vec![tok.start];
            for i in tok.start + 1..tok.end {
                let lower = |j: usize| !self.upper_at(j);
                if self.upper_at(i) && (lower(i - 1) || i + 1 < tok.end && lower(i + 1)) {
                    starts.push(i);
                }
            }
            starts.push(tok.end);
            if starts.len() <= 2 {
                continue;
            }
            for part in starts.windows(2) {
                let (a, b) = (part[0], part[1]);
                let flags = |to: usize| {
                    self.flags_of(Token {
                        kind: Kind::Word,
                        start: a,
                        end: to,
                    })
                };
                if flags(b) & class::ANY_MONTH != 0 {
                    cuts.extend([a, b]);
                } else if (a + 5..b.min(a + 11))
                    .any(|to| flags(to) & (class::MONTH | class::MONTH_AMBIGUOUS) != 0)
                {
                    cuts.extend([a, b]);
                    glued.push(a);
                }
            }
        }
        cuts.sort_unstable();
        cuts.dedup();
        (cuts, glued)
    }

    /// Cuts the word tokens at key characters `cuts` (sorted): each piece becomes a word
    /// of its own, with its own word lists. Cuts outside words, or at a word's edge, do
    /// nothing.
    pub fn split_words(&mut self, cuts: &[usize]) {
        if cuts.is_empty() {
            return;
        }
        let mut tokens = Vec::with_capacity(self.tokens.len() + cuts.len());
        let mut flags = Vec::with_capacity(self.tokens.len() + cuts.len());
        let mut c = 0;
        for (t, &tok) in self.tokens.iter().enumerate() {
            while c < cuts.len() && cuts[c] <= tok.start {
                c += 1;
            }
            if tok.kind != Kind::Word || c == cuts.len() || cuts[c] >= tok.end {
                tokens.push(tok);
                flags.push(self.flags[t]);
                continue;
            }
            let mut start = tok.start;
            while c < cuts.len() && cuts[c] < tok.end {
                let piece = Token {
                    kind: Kind::Word,
                    start,
                    end: cuts[c],
                };
                tokens.push(piece);
                flags.push(self.flags_of(piece));
                start = cuts[c];
                c += 1;
            }
            let piece = Token {
                kind: Kind::Word,
                start,
                end: tok.end,
            };
            tokens.push(piece);
            flags.push(self.flags_of(piece));
        }
        self.tokens = tokens;
        self.flags = flags;
    }

    /// The key characters of token `t`.
    pub fn chars(&self, t: usize) -> &[char] {
        let tok = self.tokens[t];
        &self.key[tok.start..tok.end]
    }

    /// True when token `t` is a word in one of the lists of `class` ([`super::words::class`]).
    pub fn is(&self, t: usize, class: u32) -> bool {
        self.flags[t] & class != 0
    }

    /// `f` of the key of token `t` as a string, without allocating; `None` for a token of
    /// more than 64 key characters.
    pub fn with_word<R>(&self, t: usize, f: impl FnOnce(&str) -> R) -> Option<R> {
        self.with_chars(&self.key[self.tokens[t].start..self.tokens[t].end], f)
    }

    /// `f` of `chars` as a string, without allocating; `None` past 64 characters.
    pub fn with_chars<R>(&self, chars: &[char], f: impl FnOnce(&str) -> R) -> Option<R> {
        if chars.len() > 64 {
            return None;
        }
        let mut buf = [0u8; 256];
        let mut n = 0;
        for c in chars {
            n += c.encode_utf8(&mut buf[n..]).len();
        }
        std::str::from_utf8(&buf[..n]).ok().map(f)
    }

    /// True when token `t` is a word whose key is one of `list`.
    pub fn is_one_of(&self, t: usize, list: &[&str]) -> bool {
        let tok = self.tokens[t];
        if tok.kind != Kind::Word || tok.end - tok.start > 16 {
            return false;
        }
        let chars = self.chars(t);
        list.iter().any(|w| w.chars().eq(chars.iter().copied()))
    }

    /// The value of a digits token (saturating), `None` when not every digit is 0–9.
    pub fn value(&self, t: usize) -> Option<u64> {
        match self.tokens[t].kind {
            Kind::Digits { readable: true } => Some(self.chars(t).iter().fold(0u64, |v, c| {
                v.saturating_mul(10)
                    .saturating_add(c.to_digit(10).unwrap_or(0) as u64)
            })),
            _ => None,
        }
    }

    /// Number of key characters of token `t`.
    pub fn len(&self, t: usize) -> usize {
        self.tokens[t].end - self.tokens[t].start
    }

    /// The single punctuation character of token `t`, if it is one.
    pub fn punct(&self, t: usize) -> Option<char> {
        (self.tokens[t].kind == Kind::Punct).then(|| self.key[self.tokens[t].start])
    }

    /// The text characters (as indices) that token `t` came from: first and last.
    pub fn text_chars(&self, t: usize) -> (usize, usize) {
        let tok = self.tokens[t];
        (self.origin[tok.start], self.origin[tok.end - 1])
    }

    /// True when the text character that starts word `t` is upper case and the others are
    /// not ("May", not "MAY" or "may").
    pub fn capitalised(&self, t: usize) -> bool {
        let (a, b) = self.text_chars(t);
        self.upper[a] && (a + 1..=b).all(|i| !self.upper[i])
    }

    /// The text characters `from..to` as a string.
    pub fn slice_from(&self, from: usize, to: usize) -> &'t str {
        &self.text[self.char_bytes[from]..self.char_bytes[to.max(from)]]
    }

    /// The text characters `from..=to` as a string.
    pub fn slice(&self, from: usize, to: usize) -> &'t str {
        &self.text[self.char_bytes[from]..self.char_bytes[to + 1]]
    }
}

fn tokenize(key: &[char]) -> Vec<Token> {
    let mut tokens: Vec<Token> = Vec::new();
    for (i, &k) in key.iter().enumerate() {
        let kind = kind_of(k);
        if let Some(last) = tokens.last_mut()
            && kind != Kind::Punct
            && last.end == i
            && same_run(last.kind, kind)
        {
            last.end = i + 1;
            if let (Kind::Digits { readable: a }, Kind::Digits { readable: b }) = (last.kind, kind)
            {
                last.kind = Kind::Digits { readable: a && b };
            }
            continue;
        }
        tokens.push(Token {
            kind,
            start: i,
            end: i + 1,
        });
    }
    tokens
}

fn same_run(a: Kind, b: Kind) -> bool {
    matches!(
        (a, b),
        (Kind::Digits { .. }, Kind::Digits { .. })
            | (Kind::Word, Kind::Word)
            | (Kind::Space, Kind::Space)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_fold_case_width_and_accents() {
        assert_eq!(key_string("İlgaz"), "ilgaz");
        assert_eq!(key_string("ILGAZ"), "ilgaz");
        assert_eq!(key_string("März"), "marz");
        assert_eq!(key_string("STRASSE"), key_string("straße"));
        assert_eq!(key_string("２０２１－０３"), "2021-03");
        assert_eq!(key_string("20\u{200B}21"), "2021");
        assert_eq!(key_string("Ⅻ月"), "xii月");
        assert_eq!(
            key_string("Łukasz Sørensen Yılmaz Ægir"),
            "lukasz sorensen yilmaz aegir"
        );
    }

    #[test]
    fn letters_of_other_scripts_that_look_latin_key_as_latin() {
        // Cyrillic а о Х, Greek Ο: the same glyphs as a o X O.
        assert_eq!(key_string("J\u{0430}ne D\u{043E}e"), "jane doe");
        assert_eq!(key_string("\u{039F}ctober"), "october");
        assert_eq!(key_string("Q\u{0425}58213"), "qx58213");
        // Letters with no Latin look-alike are kept; digits are never letters.
        assert_eq!(key_string("Жук 0O1l"), "жyк 0o1l");
        // The micro sign stays the Greek mu of the units list ("μg").
        assert_eq!(key_string("µg μl"), "μg μl");
    }

    #[test]
    fn tokens_split_digits_letters_and_punctuation() {
        let k = Keyed::new("CT2021-03 ٢٠٢١");
        let kinds: Vec<Kind> = k.tokens.iter().map(|t| t.kind).collect();
        assert_eq!(
            kinds,
            [
                Kind::Word,
                Kind::Digits { readable: true },
                Kind::Punct,
                Kind::Digits { readable: true },
                Kind::Space,
                Kind::Digits { readable: false },
            ]
        );
        assert_eq!(k.value(1), Some(2021));
        assert_eq!(k.value(5), None);
        assert_eq!(k.slice(k.text_chars(5).0, k.text_chars(5).1), "٢٠٢١");
    }
}
