//! The scrubber's rules for the patient's own words: the label's names and initials in any
//! spelling, and the id wherever it stands (rules 6 and 7 of [`super`]).

use std::borrow::Cow;
use std::collections::HashSet;

use super::{FastHash, Keyed, Kind, MAX_INITIALS, MAX_NAMES_APART, Mark, Scrubber};
use crate::deidentify::key::{key_string, written_without_spaces};

/// The most pieces a name written apart is read in ("J a n e" is four).
const MAX_PIECES: usize = 12;

/// The longest piece (characters) of a name written in pieces: so no name longer than
/// `MAX_PIECES * MAX_PIECE_CHARS` characters can be assembled, and longer keys need no
/// prefixes (a 3 MB id would otherwise give 3 million prefixes of up to 3 MB: found by the
/// fuzzer, 18 GB).
const MAX_PIECE_CHARS: usize = 16;

/// The longest word (characters) of a script written without spaces whose pieces are
/// looked for inside longer words.
const MAX_GLUED_WORD: usize = 16;

/// The most pieces of such words kept (a label of thousands of them keeps the first).
const MAX_GLUED: usize = 4096;

/// A key character as it reads when digits stand for letters: `0` → `o`, `1` and `i` →
/// `l`, `3` → `e`, `4` → `a`, `5` → `s`, `7` → `t`, `8` → `b`, `2` → `z`, `6` and `9` → `g`
/// ("D0e" reads "doe", "J4n3" "jane", "1lgaz" and "ilgaz" "llgaz").
pub(super) fn leet(c: char) -> char {
    match c {
        '0' => 'o',
        '1' | 'i' => 'l',
        '2' => 'z',
        '3' => 'e',
        '4' => 'a',
        '5' => 's',
        '6' | '9' => 'g',
        '7' => 't',
        '8' => 'b',
        c => c,
    }
}

/// The pieces of two characters or more of the words (of up to [`MAX_GLUED_WORD`]
/// characters) of `label` written in a script without spaces, keyed ("王小", "小明",
/// "王小明" of "王小明"; a given name stands alone).
fn glued_pieces(label: &str, into: &mut HashSet<String, FastHash>) {
    for word in label.split(|c: char| !c.is_alphanumeric()) {
        let chars: Vec<char> = word.chars().collect();
        if chars.len() < 2 || !chars.iter().any(|&c| written_without_spaces(c)) {
            continue;
        }
        if chars.len() > MAX_GLUED_WORD {
            // Found whole as a word only: its pieces would be too many, and a piece this
            // long would make every look-up in a text that long.
            continue;
        }
        for a in 0..chars.len() {
            for b in a + 2..=chars.len() {
                if into.len() >= MAX_GLUED {
                    return;
                }
                into.insert(key_string(&chars[a..b].iter().collect::<String>()));
            }
        }
    }
}

/// Words (letters and digits runs) of a key.
fn key_words(s: &str) -> Vec<String> {
    key_string(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The parts of the CamelCase words of `s`: "Mc", "Donald" of "McDonald".
fn camel_parts(s: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    for word in s.split(|c: char| !c.is_alphanumeric()) {
        let mut start = 0;
        let mut prev_lower = false;
        for (i, c) in word.char_indices() {
            if c.is_uppercase() && prev_lower {
                parts.push(&word[start..i]);
                start = i;
            }
            prev_lower = c.is_lowercase();
        }
        if start > 0 {
            parts.push(&word[start..]);
        }
    }
    parts
}

/// `w` with `ae`, `oe` and `ue` before another letter written `a`, `o`, `u`: the German
/// transliteration of `ä ö ü` undone ("mueller" → "muller", as "Müller" is keyed), so
/// either spelling of a name matches the other. Not at a word's end ("doe" stays).
fn fold_umlauts(w: &str) -> Cow<'_, str> {
    let b = w.as_bytes();
    let pair = |i: usize| matches!(b[i], b'a' | b'o' | b'u') && b[i + 1] == b'e' && i + 2 < b.len();
    if !(0..b.len().saturating_sub(1)).any(pair) {
        return Cow::Borrowed(w);
    }
    let mut out = String::with_capacity(w.len());
    let mut skip = false;
    for (i, c) in w.char_indices() {
        if skip {
            skip = false;
            continue;
        }
        out.push(c);
        skip = i + 1 < b.len() && pair(i);
    }
    Cow::Owned(out)
}

/// Runs of two to [`MAX_INITIALS`] consecutive `letters`: linear in the label's words (all
/// runs of any length would be cubic: a 100 KB label of 33,000 words took 60 s, 550 MB).
fn initial_runs(letters: &[char], into: &mut HashSet<String, FastHash>) {
    for a in 0..letters.len() {
        for b in a + 2..=letters.len().min(a + MAX_INITIALS) {
            into.insert(letters[a..b].iter().collect::<String>());
        }
    }
}

impl Scrubber {
    /// A scrubber for the patient `id` and `label`, writing `pseudonym` for them.
    pub fn new(id: &str, label: &str, pseudonym: &str) -> Self {
        let pseudo: HashSet<String> = key_words(pseudonym).into_iter().collect();
        let label_words = key_words(label);
        let mut names: HashSet<String, FastHash> = HashSet::default();
        let mut add = |w: String| {
            if w.chars().count() >= 2 && !pseudo.contains(&w) {
                names.insert(w);
            }
        };
        for w in label_words.iter().chain(key_words(id).iter()) {
            add(w.clone());
        }
        // The label's words run together, two or three at a time: "obrien" (O'Brien),
        // "smithjones" (Smith-Jones), "vanderberg" (van der Berg), "janedoe" (Jane Q. Doe).
        let multi: Vec<&String> = label_words.iter().filter(|w| w.len() >= 2).collect();
        for words in [label_words.iter().collect::<Vec<_>>(), multi.clone()] {
            for n in 2..=3 {
                for run in words.windows(n) {
                    add(run.iter().map(|w| w.as_str()).collect());
                }
            }
        }
        // An initial glued to the next name, as in a user name: "jdoe" (J. Doe), and all
        // the initials before the last name: "jqdoe".
        let initial_of = |w: &String| w.chars().next().map(String::from).unwrap_or_default();
        for run in multi.windows(2) {
            add(initial_of(run[0]) + run[1].as_str());
            add(run[1].to_string() + &initial_of(run[0])); // "doej"
        }
        for (i, word) in label_words.iter().enumerate().skip(1) {
            for from in i.saturating_sub(MAX_INITIALS)..i.saturating_sub(1) {
                add(label_words[from..i]
                    .iter()
                    .map(initial_of)
                    .collect::<String>()
                    + word);
            }
        }
        // The parts of CamelCase words, of three letters or more: "donald" (McDonald).
        for part in camel_parts(label) {
            if part.chars().count() >= 3 {
                add(key_string(part));
            }
        }
        // The pieces of words of a script written without spaces: "小明" of "王小明".
        let mut glued: HashSet<String, FastHash> = HashSet::default();
        glued_pieces(label, &mut glued);
        glued.retain(|w| !pseudo.contains(w));
        for w in &glued {
            add(w.clone());
        }
        let glued_longest = glued.iter().map(|w| w.chars().count()).max().unwrap_or(0);
        let leet: HashSet<String, FastHash> = names
            .iter()
            .filter(|w| w.chars().count() >= 3 && w.chars().all(char::is_alphabetic))
            .map(|w| w.chars().map(leet).collect())
            .collect();
        let folded: HashSet<String, FastHash> =
            names.iter().map(|w| fold_umlauts(w).into_owned()).collect();
        let alphabetic = |w: &&String| w.chars().all(char::is_alphabetic);
        let letters: Vec<char> = label_words
            .iter()
            .filter(alphabetic)
            .filter_map(|w| w.chars().next())
            .collect();
        // "JQD" and "JD" (the initials of the words of two letters or more) for Jane Q. Doe.
        let mut initials: HashSet<String, FastHash> = HashSet::default();
        initial_runs(&letters, &mut initials);
        let long_letters: Vec<char> = label_words
            .iter()
            .filter(alphabetic)
            .filter(|w| w.chars().count() >= 2)
            .filter_map(|w| w.chars().next())
            .collect();
        initial_runs(&long_letters, &mut initials);
        let first_letters = letters.iter().copied().collect();
        let id_key: String = key_string(id)
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect();
        let id = (id_key.chars().count() >= 2 && !pseudo.contains(&id_key)).then_some(id_key);
        let longest = names
            .iter()
            .chain(&initials)
            .map(String::len)
            .max()
            .unwrap_or(0);
        let mut prefixes: HashSet<String, FastHash> = HashSet::default();
        let all = || names.iter().chain(&initials).chain(&folded);
        if all().count() <= MAX_NAMES_APART {
            let assemblable = |w: &&String| w.chars().count() <= MAX_PIECES * MAX_PIECE_CHARS;
            for w in all().filter(assemblable) {
                for (i, _) in w.char_indices().skip(1) {
                    prefixes.insert(w[..i].to_owned());
                }
            }
        }
        Scrubber {
            names,
            folded,
            longest,
            prefixes,
            initials,
            leet,
            glued,
            glued_longest,
            first_letters,
            id_number: id.as_deref().and_then(id_number),
            long_id: id.as_deref().and_then(super::long_id::LongId::new),
            id_search: id.as_deref().map(IdSearch::new),
            pseudonym: pseudonym.to_owned(),
        }
    }

    /// True when the key `w` of a word is one of the patient's names or initials, in any
    /// spelling; `written_lower` when the text wrote it all in lower case (then "does" is
    /// not a plural of "Doe").
    fn is_name(&self, w: &str, written_lower: bool) -> bool {
        if self.names.contains(w) || self.initials.contains(w) {
            return true;
        }
        if self.folded.contains(fold_umlauts(w).as_ref()) {
            return true;
        }
        // A plural: "the Does".
        !written_lower
            && w.len() >= 4
            && w.strip_suffix('s').is_some_and(|stem| {
                self.names.contains(stem) || self.folded.contains(fold_umlauts(stem).as_ref())
            })
    }
    pub(super) fn names(&self, k: &Keyed, marks: &mut [Option<Mark>]) {
        if self.names.is_empty() && self.initials.is_empty() {
            return;
        }
        let n = k.tokens.len();
        for (t, m) in marks.iter_mut().enumerate() {
            let kind = k.tokens[t].kind;
            if !matches!(kind, Kind::Word | Kind::Digits { .. }) {
                continue;
            }
            let (a, b) = k.text_chars(t);
            let written_lower = !k.upper[a..=b].iter().any(|&u| u);
            let named = k
                .with_word(t, |w| self.is_name(w, written_lower))
                .unwrap_or(false);
            if named || self.camel_name(k, t) {
                *m = Some(Mark::Name);
            }
        }
        // Initials beside a name: "J. Doe", "Doe, J.", "J. Q. Doe".
        let initial = |t: usize| {
            k.tokens[t].kind == Kind::Word
                && k.len(t) == 1
                && self.first_letters.contains(&k.key[k.tokens[t].start])
        };
        let gap = |t: usize| {
            k.tokens[t].kind == Kind::Space || matches!(k.punct(t), Some('.' | ',' | '-'))
        };
        for order in [true, false] {
            let ts: Box<dyn Iterator<Item = usize>> = if order {
                Box::new(0..n)
            } else {
                Box::new((0..n).rev())
            };
            for t in ts {
                if marks[t] != Some(Mark::Name) {
                    continue;
                }
                let mut j = t;
                for _ in 0..3 {
                    j = match (order, j) {
                        (true, j) if j + 1 < n => j + 1,
                        (false, j) if j > 0 => j - 1,
                        _ => break,
                    };
                    if initial(j) && marks[j].is_none() {
                        marks[j] = Some(Mark::Name);
                        break;
                    }
                    if !gap(j) {
                        break;
                    }
                }
            }
        }
        // Initials written apart: "J.Q.D.", "J Q D".
        let mut t = 0;
        while t < n {
            if !initial(t) {
                t += 1;
                continue;
            }
            let mut letters = String::new();
            let mut last = t;
            let mut j = t;
            while j < n && initial(j) && letters.len() < 16 {
                letters.push(k.key[k.tokens[j].start]);
                last = j;
                j += 1;
                if j < n && gap(j) && k.len(j) == 1 {
                    j += 1;
                }
            }
            if self.initials.contains(&letters) {
                for m in &mut marks[t..=last] {
                    *m = Some(Mark::Name);
                }
            }
            t = last + 1;
        }
        self.names_apart(k, marks);
        self.names_with_digits(k, marks);
    }

    /// A name written with digits for letters: a run of letters and digits glued together,
    /// with both, that reads as a name through [`leet`] ("D0e", "J4n3", "1LGAZ").
    fn names_with_digits(&self, k: &Keyed, marks: &mut [Option<Mark>]) {
        if self.leet.is_empty() {
            return;
        }
        let n = k.tokens.len();
        let alnum = |j: usize| matches!(k.tokens[j].kind, Kind::Word | Kind::Digits { .. });
        let mut t = 0;
        let mut run = String::new();
        while t < n {
            if !alnum(t) {
                t += 1;
                continue;
            }
            let mut end = t;
            while end + 1 < n && alnum(end + 1) {
                end += 1;
            }
            let (a, b) = (k.tokens[t].start, k.tokens[end].end);
            let mixed = (t..=end).any(|j| k.tokens[j].kind == Kind::Word)
                && (t..=end).any(|j| k.tokens[j].kind != Kind::Word);
            if mixed && b - a >= 3 && b - a <= self.longest {
                run.clear();
                run.extend(k.key[a..b].iter().map(|&c| leet(c)));
                if self.leet.contains(&run) {
                    super::mark(marks, t, end, Mark::Name);
                }
            }
            t = end + 1;
        }
    }

    /// Where to cut words of a script written without spaces around a piece of the label
    /// ("患者|小明|接受化疗"), so that the piece alone is replaced: the longest piece of
    /// [`Scrubber::glued`] at each character, left to right.
    pub(super) fn glued_name_cuts(&self, k: &Keyed) -> Vec<usize> {
        let mut cuts = Vec::new();
        if self.glued.is_empty() {
            return cuts;
        }
        let mut piece = String::new();
        for tok in &k.tokens {
            let chars = &k.key[tok.start..tok.end];
            if tok.kind != Kind::Word || !chars.iter().any(|&c| written_without_spaces(c)) {
                continue;
            }
            let mut i = 0;
            while i < chars.len() {
                let longest = self.glued_longest.min(chars.len() - i);
                let found = (2..=longest).rev().find(|&len| {
                    piece.clear();
                    piece.extend(&chars[i..i + len]);
                    self.glued.contains(&piece)
                });
                match found {
                    Some(len) => {
                        cuts.extend([tok.start + i, tok.start + i + len]);
                        i += len;
                    }
                    None => i += 1,
                }
            }
        }
        cuts
    }

    /// A name written in pieces: letter by letter ("J a n e", "D.o.e") or cut by a hyphen
    /// or a dot ("Ja-ne"). From each word, up to [`MAX_PIECES`] pieces joined by one space
    /// (between single letters only), `.` or `-` are read together while they are the
    /// beginning of a name; the shortest run that is a name is replaced.
    fn names_apart(&self, k: &Keyed, marks: &mut [Option<Mark>]) {
        let n = k.tokens.len();
        let word = |t: usize| k.tokens[t].kind == Kind::Word && k.len(t) <= MAX_PIECE_CHARS;
        let mut joined = String::new();
        for t in 0..n {
            if !word(t) || marks[t].is_some() {
                continue;
            }
            joined.clear();
            joined.extend(k.chars(t));
            let mut j = t;
            for _ in 1..MAX_PIECES {
                if !self.prefixes.contains(&joined) {
                    break;
                }
                if j + 2 >= n || !word(j + 2) || marks[j + 2].is_some() {
                    break;
                }
                let single = k.len(j) == 1 && k.len(j + 2) == 1;
                let gap = matches!(k.punct(j + 1), Some('.' | '-'))
                    || (single && k.tokens[j + 1].kind == Kind::Space && k.len(j + 1) == 1);
                if !gap {
                    break;
                }
                j += 2;
                joined.extend(k.chars(j));
                if joined.len() > self.longest {
                    break;
                }
                if self.is_name(&joined, false) {
                    super::mark(marks, t, j, Mark::Name);
                    break;
                }
            }
        }
    }

    /// True when a CamelCase part of word `t` is a name ("DoeJane").
    fn camel_name(&self, k: &Keyed, t: usize) -> bool {
        let tok = k.tokens[t];
        if tok.kind != Kind::Word {
            return false;
        }
        let mut start = tok.start;
        for i in tok.start + 1..=tok.end {
            let cut = i == tok.end || (k.upper[k.origin[i]] && !k.upper[k.origin[i - 1]]);
            if cut {
                if (start != tok.start || i != tok.end)
                    && k.with_chars(&k.key[start..i], |p| self.is_name(p, false)) == Some(true)
                {
                    return true;
                }
                start = i;
            }
        }
        false
    }

    pub(super) fn id(&self, k: &Keyed, marks: &mut [Option<Mark>]) {
        let Some(search) = &self.id_search else {
            return;
        };
        self.id_number(k, marks);
        self.id_digits(k, marks);
        // A window shorter than the id cannot hold it (and a megabyte id is not searched for
        // in every field's every window).
        if k.key.len() < search.chars {
            return;
        }
        let (id, fold, across_spaces) = (&search.key, search.fold, search.across_spaces);
        // The key's letters and digits (a break for spaces when the id is short), with the
        // token each came from.
        let mut stream = String::new();
        let mut token_at: Vec<(usize, usize)> = Vec::new(); // (first byte, token)
        for (t, tok) in k.tokens.iter().enumerate() {
            match tok.kind {
                Kind::Word | Kind::Digits { .. } => {
                    token_at.push((stream.len(), t));
                    let chars = k.key[tok.start..tok.end].iter();
                    stream.extend(chars.map(|&c| if fold { digit_look_alike(c) } else { c }));
                }
                Kind::Space if !across_spaces => {
                    token_at.push((stream.len(), t));
                    stream.push('\u{0}');
                }
                _ => {}
            }
        }
        let token_of = |byte: usize| {
            let i = token_at.partition_point(|(b, _)| *b <= byte);
            token_at[i.saturating_sub(1)].1
        };
        let mut marked_to = None;
        for (at, m) in stream.match_indices(id.as_str()) {
            let (first, last) = (token_of(at), token_of(at + m.len() - 1));
            if marked_to.is_some_and(|b| first <= b) {
                continue; // inside the words already marked: each token is marked once
            }
            // With the rest of the words it is glued to.
            let mut a = first;
            while a > 0 && matches!(k.tokens[a - 1].kind, Kind::Word | Kind::Digits { .. }) {
                a -= 1;
            }
            let mut b = last;
            while b + 1 < k.tokens.len()
                && matches!(k.tokens[b + 1].kind, Kind::Word | Kind::Digits { .. })
            {
                b += 1;
            }
            for m in &mut marks[a..=b] {
                *m = Some(Mark::Name);
            }
            marked_to = Some(b);
        }
    }
}

impl Scrubber {
    /// The id written with its number's zeros or a gap changed: "P 001", "P-1", "P1" for
    /// "P001"; "42" for "0042".
    fn id_number(&self, k: &Keyed, marks: &mut [Option<Mark>]) {
        let Some((letters, value)) = &self.id_number else {
            return;
        };
        let prefix = |t: usize| {
            k.tokens[t].kind == Kind::Word
                && k.len(t) == letters.chars().count()
                && k.chars(t).iter().copied().eq(letters.chars())
        };
        for t in 0..k.tokens.len() {
            if k.value(t) != Some(*value) {
                continue;
            }
            if letters.is_empty() {
                marks[t] = Some(Mark::Name);
            } else if t >= 1 && prefix(t - 1) {
                super::mark(marks, t - 1, t, Mark::Name);
            } else if t >= 2
                && prefix(t - 2)
                && (k.tokens[t - 1].kind == Kind::Space && k.len(t - 1) == 1
                    || matches!(k.punct(t - 1), Some('-' | '.' | '_' | '#' | '/')))
            {
                super::mark(marks, t - 2, t, Mark::Name);
            }
        }
    }
}

impl Scrubber {
    /// The id's number (its longest run of digits, when five or more) written alone and cut
    /// by single spaces or punctuation ("5 8 2 1 3", "58-213", "58.213" for "QX58213"),
    /// from the start of a group of digits to the end of one (not inside "158.2134").
    fn id_digits(&self, k: &Keyed, marks: &mut [Option<Mark>]) {
        let Some(digits) = self.id_search.as_ref().and_then(|s| s.digits.as_deref()) else {
            return;
        };
        // The digits of groups joined by one space or one punctuation character; a break
        // elsewhere. With the first byte of each group and its token.
        let mut stream = String::new();
        let mut groups: Vec<(usize, usize)> = Vec::new();
        let mut gap = 0;
        for (t, tok) in k.tokens.iter().enumerate() {
            match tok.kind {
                Kind::Digits { readable: true } => {
                    groups.push((stream.len(), t));
                    stream.extend(&k.key[tok.start..tok.end]);
                    gap = 0;
                }
                Kind::Punct => gap += 1,
                Kind::Space if k.len(t) == 1 => gap += 1,
                _ => gap = 2,
            }
            if gap == 2 {
                stream.push('\u{0}');
                gap = 3;
            }
        }
        let group_at = |byte: usize| groups.binary_search_by_key(&byte, |g| g.0).ok();
        for (at, m) in stream.match_indices(digits) {
            let end = at + m.len();
            let ends_group = end == stream.len()
                || group_at(end).is_some()
                || stream[end..].starts_with('\u{0}');
            if let (Some(first), true) = (group_at(at), ends_group) {
                let last = groups.partition_point(|g| g.0 < end) - 1;
                super::mark(marks, groups[first].1, groups[last].1, Mark::Name);
            }
        }
    }
}

/// `0` for `o`, `1` for `l` and `i`: the letters written for digits in an id ("QX582l3").
pub(super) fn digit_look_alike(c: char) -> char {
    match c {
        'o' => '0',
        'l' | 'i' => '1',
        c => c,
    }
}

/// The letters and the value of the digits of an id written as letters then digits
/// ("P001" → ("p", 1)), when that value can be written another way: with letters before
/// it, or with leading zeros and two digits or more ("0042" → ("", 42)).
fn id_number(id: &str) -> Option<(String, u64)> {
    let digits_at = id.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = id.split_at(digits_at);
    if !letters.chars().all(char::is_alphabetic) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let value: u64 = digits.parse().ok()?;
    let usable = !letters.is_empty() || (digits.starts_with('0') && value >= 10);
    usable.then(|| (letters.to_owned(), value))
}

/// The id as the per-window rules look for it, worked out once per scrubber (an id can be
/// megabytes long, and every window of every field is searched).
#[derive(Debug, Clone)]
pub(super) struct IdSearch {
    /// The key; with a digit and five characters or more, `o l i` read as `0 1` (a short one,
    /// "P1", would be found in every "pl" and "pi": "cisplatin").
    key: String,
    /// Its characters.
    chars: usize,
    fold: bool,
    /// Found across spaces too when long enough not to be found by chance ("QX 58 213", and
    /// for ids with a digit "44 71", "4 4 7").
    across_spaces: bool,
    /// Its longest run of digits, when five or more ([`Scrubber::id_digits`]).
    digits: Option<String>,
}

impl IdSearch {
    fn new(id: &str) -> IdSearch {
        let chars = id.chars().count();
        let has_digit = id.chars().any(|c| c.is_ascii_digit());
        let fold = chars >= 5 && has_digit;
        let key = if fold {
            id.chars().map(digit_look_alike).collect()
        } else {
            id.to_owned()
        };
        let digits = id
            .split(|c: char| !c.is_ascii_digit())
            .max_by_key(|d| d.len())
            .filter(|d| d.len() >= 5)
            .map(str::to_owned);
        IdSearch {
            key,
            chars,
            fold,
            across_spaces: chars >= 5 || (chars >= 3 && has_digit),
            digits,
        }
    }
}
