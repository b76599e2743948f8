//! A mutation fuzzer on stable Rust: takes the example timelines and the saved corpus, mutates
//! them (bytes, RON tokens, odd Unicode, huge strings and numbers, deep nesting, lines spliced
//! from other files) and drives parse → validate → layout → every exporter in-process
//! (`tests/fuzz_support`). It fails on a panic, a broken figure check, an input that takes
//! more than 2 s, or more than 300 MB of heap.
//!
//! ```sh
//! cargo run --release --no-default-features --example fuzz -- --seconds 60
//! cargo run --release --no-default-features --example fuzz -- --runs 20000 --seconds 600   # as CI
//! cargo run --release --no-default-features --example fuzz -- --seconds 1800 --save tests/fuzz-corpus
//! ```
//!
//! The input being run is always in `target/fuzz/current.ron`: after an abort (the heap limit
//! aborts the process) it is the culprit. Failures are written to `target/fuzz/failures/`.
//! Inputs that show new behaviour (a new kind of message or figure shape) join the corpus in
//! memory, and with `--save DIR` are written there (at most 64 KiB each) to be replayed by
//! `cargo test --test fuzz_corpus`.
//!
//! Not coverage-guided (that needs nightly); "new behaviour" is the signature that
//! `fuzz_support::run` returns. The random numbers are splitmix64, seeded by `--seed`, so a run
//! is repeatable.

#[path = "../tests/fuzz_support/mod.rs"]
mod fuzz_support;

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Heap allowed at any moment, in bytes.
const HEAP_LIMIT: usize = 300 * 1024 * 1024;
/// Time allowed for one input.
const TIME_LIMIT: Duration = Duration::from_secs(2);
/// Largest input the mutators grow (the file limit is 32 MiB; long strings are what matter).
const MAX_INPUT: usize = 12 * 1024 * 1024;
/// Largest input saved to the corpus.
const MAX_SAVED: usize = 64 * 1024;
/// Most inputs kept in memory to mutate (at most 64 KiB each: the corpus stays well under the
/// heap limit).
const MOST_KEPT: usize = 2_000;
/// Most inputs one run saves with `--save` (the first found are the most different).
const MOST_SAVED: usize = 60;

/// The system allocator, counting live bytes and refusing to go past [`HEAP_LIMIT`].
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static OVER: AtomicBool = AtomicBool::new(false);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        if now > HEAP_LIMIT {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            OVER.store(true, Ordering::Relaxed);
            return std::ptr::null_mut();
        }
        PEAK.fetch_max(now, Ordering::Relaxed);
        // SAFETY: the caller's layout is passed on unchanged.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: `ptr` came from `System.alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// splitmix64: small, fast, repeatable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Text a mutation may insert: RON syntax, the format's words, odd times and numbers, and
/// Unicode that has tripped parsers and text layout before.
const TOKENS: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    "\"",
    "Some(",
    "None",
    "#![enable(implicit_some)]\n",
    "r#\"",
    "\"#",
    "//",
    "/*",
    "*/",
    "\\",
    "\\u{0}",
    "\"ongoing\"",
    "\"2021-02-29\"",
    "\"0001\"",
    "\"9999-12-31\"",
    "\"2021-13\"",
    "-99999999",
    "99999999999999999999",
    "1e308",
    "-0.0",
    "NaN",
    "inf",
    "0x1F",
    "\u{0B}",
    "\u{85}",
    "\u{200E}",
    "\u{200F}",
    "\u{2028}",
    "\u{2029}",
    "\u{FEFF}",
    "\u{202E}",
    "\u{0301}",
    "\u{200D}",
    "癌症",
    "日本語",
    "Ελληνικά",
    "Кириллица",
    "עברית",
    "🙂",
    "İ",
    "ß",
    "\r\n",
    "\t",
    "\0",
    "images/p1-neck-2021-03.png",
    "images",
    "/dev/null",
    "missing.png",
    "Chemotherapy",
    "Immunotherapy",
    "Radiotherapy",
    "Surgery",
    "Progression",
    "CR",
    "PD",
    "Death",
    "Biopsy",
    "Adverse",
    "grade: 5",
    "format: 1",
    "format: 2",
    "scale: Log",
    "scale: Linear",
    "group: \"A\"",
    "ongoing",
    "day_zero: \"2020-01-01\"",
    "data_cutoff: \"1900\"",
];

/// Mutates `input` in place once.
fn mutate(rng: &mut Rng, input: &mut Vec<u8>, corpus: &[Vec<u8>]) {
    let len = input.len();
    let at = rng.below(len + 1);
    match rng.below(13) {
        0 if len > 0 => input[at.min(len - 1)] ^= 1 << rng.below(8),
        1 => input.insert(at, rng.next() as u8),
        2 if len > 0 => {
            let end = (at + 1 + rng.below(64)).min(len);
            input.drain(at.min(end)..end);
        }
        3 if len > 0 => {
            let from = rng.below(len);
            let end = (from + 1 + rng.below(256)).min(len);
            let piece = input[from..end].to_vec();
            input.splice(at..at, piece);
        }
        4 => input.truncate(at),
        5..=7 => {
            let token = rng.pick(TOKENS).as_bytes();
            input.splice(at..at, token.iter().copied());
        }
        8 => {
            // A long run of one character: text layout must stay linear in it.
            let piece = *rng.pick(&["a", "W ", "日", "\u{0301}", "-", "2021-03-15 "]);
            let n = [100usize, 10_000, 300_000, 3_000_000][rng.below(4)];
            let repeated = piece.repeat(n / piece.len().max(1));
            input.splice(at..at, repeated.bytes());
        }
        9 => {
            let depth = 1 + rng.below(200);
            let open = rng.pick(&["[", "(", "Some("]).repeat(depth);
            input.splice(at..at, open.bytes());
        }
        10 if !corpus.is_empty() => {
            // Lines of another file, spliced in at a line start.
            let other = rng.pick(corpus);
            let lines: Vec<&[u8]> = other.split(|&b| b == b'\n').collect();
            let from = rng.below(lines.len());
            let count = 1 + rng.below(12);
            let mut piece = Vec::new();
            for line in lines.iter().skip(from).take(count) {
                piece.extend_from_slice(line);
                piece.push(b'\n');
            }
            let start = input[..at]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |p| p + 1);
            input.splice(start..start, piece);
        }
        11 => {
            // A quoted string's text replaced by a very long one.
            if let Some((q, e)) = quoted_at(input, at) {
                let n = [1_000usize, 100_000, 1_000_000, 3_000_000][rng.below(4)];
                let piece = rng.pick(&["a", "Wi ", "癌", "x\u{0301}"]);
                let long = piece.repeat(n / piece.len());
                input.splice(q + 1..e, long.bytes());
            }
        }
        _ => {
            // A number or a quoted string replaced by an odd one.
            if let Some((q, e)) = quoted_at(input, at) {
                let with = rng.pick(&["", " ", "x", "2021-03-15", "~", "\u{2028}", "🙂🙂"]);
                input.splice(q + 1..e, with.bytes());
            }
        }
    }
    input.truncate(MAX_INPUT);
}

/// The first quoted string at or after `at`: the positions of its two quotes.
fn quoted_at(input: &[u8], at: usize) -> Option<(usize, usize)> {
    let q = input[at..].iter().position(|&b| b == b'"')? + at;
    let e = input[q + 1..].iter().position(|&b| b == b'"')? + q + 1;
    Some((q, e))
}

struct Args {
    seconds: u64,
    /// Stop after this many inputs (a run of a given seed and length is then the same on
    /// every machine, which is what CI wants).
    runs: Option<u64>,
    seed: u64,
    save: Option<PathBuf>,
}

fn args() -> Args {
    let mut a = Args {
        seconds: 60,
        runs: None,
        seed: 1,
        save: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let value = it.next();
        match (arg.as_str(), value) {
            ("--seconds", Some(v)) => a.seconds = v.parse().expect("--seconds N"),
            ("--seed", Some(v)) => a.seed = v.parse().expect("--seed N"),
            ("--runs", Some(v)) => a.runs = Some(v.parse().expect("--runs N")),
            ("--save", Some(v)) => a.save = Some(PathBuf::from(v)),
            _ => {
                eprintln!("usage: fuzz [--seconds N] [--runs N] [--seed N] [--save DIR]");
                std::process::exit(2);
            }
        }
    }
    a
}

/// The starting corpus: the examples (valid and invalid) and the saved corpus.
fn seeds(root: &Path) -> Vec<Vec<u8>> {
    let mut files = Vec::new();
    for dir in ["examples", "examples/invalid", "tests/fuzz-corpus"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        files.extend(paths.into_iter().filter(|p| p.is_file()));
    }
    files.iter().filter_map(|p| std::fs::read(p).ok()).collect()
}

/// What the watchdog sees: when the current input started (ms since the run began; 0 when
/// none is running).
static STARTED_MS: AtomicU64 = AtomicU64::new(0);

/// Where the last panic happened (`file:line`), set by the panic hook.
static PANIC_PLACE: Mutex<String> = Mutex::new(String::new());

fn watchdog(begin: Instant, work: PathBuf) {
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(Duration::from_millis(100));
            let started = STARTED_MS.load(Ordering::Relaxed);
            let now = begin.elapsed().as_millis() as u64 + 1;
            if started != 0 && now.saturating_sub(started) > TIME_LIMIT.as_millis() as u64 {
                let to = work.join("failures").join("timeout.ron");
                let _ = std::fs::copy(work.join("current.ron"), &to);
                eprintln!(
                    "fuzz: FAILURE: an input took more than {} s; saved as {}",
                    TIME_LIMIT.as_secs(),
                    to.display()
                );
                std::process::exit(1);
            }
        }
    });
}

fn main() {
    let a = args();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let base = root.join("examples");
    let work = root.join("target").join("fuzz");
    std::fs::create_dir_all(work.join("failures")).expect("create target/fuzz");
    if let Some(dir) = &a.save {
        std::fs::create_dir_all(dir).expect("create the --save folder");
    }
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        *PANIC_PLACE.lock().unwrap_or_else(|e| e.into_inner()) = place;
    }));
    let mut corpus = seeds(&root);
    println!(
        "fuzz: {} seeds, {} s, seed {}; the input being run is in {}",
        corpus.len(),
        a.seconds,
        a.seed,
        work.join("current.ron").display()
    );
    let begin = Instant::now();
    watchdog(begin, work.clone());
    let mut rng = Rng(a.seed);
    let mut signatures = HashSet::new();
    let mut failures: BTreeMap<String, PathBuf> = BTreeMap::new();
    let (mut execs, mut peak_heap, mut slowest) = (0u64, 0usize, Duration::ZERO);
    let mut last_report = Instant::now();
    let mut saved = 0usize;
    while begin.elapsed() < Duration::from_secs(a.seconds) && a.runs.is_none_or(|r| execs < r) {
        let mut input = rng.pick(&corpus).clone();
        for _ in 0..1 + rng.below(4) {
            mutate(&mut rng, &mut input, &corpus);
        }
        let text = String::from_utf8_lossy(&input).into_owned();
        std::fs::write(work.join("current.ron"), &input).expect("write current.ron");
        let n = rng.next();
        let before = LIVE.load(Ordering::Relaxed);
        PEAK.store(before, Ordering::Relaxed);
        let t0 = Instant::now();
        STARTED_MS.store(begin.elapsed().as_millis() as u64 + 1, Ordering::Relaxed);
        let result = std::panic::catch_unwind(|| fuzz_support::run(&text, n, &base));
        STARTED_MS.store(0, Ordering::Relaxed);
        if t0.elapsed() > slowest {
            // Kept for a look when the slowest input nears the time limit.
            slowest = t0.elapsed();
            let _ = std::fs::write(work.join("slowest.ron"), &input);
        }
        peak_heap = peak_heap.max(PEAK.load(Ordering::Relaxed).saturating_sub(before));
        execs += 1;
        let failure = match result {
            Ok(Ok(features)) => {
                let new = features
                    .into_iter()
                    .filter(|f| signatures.insert(f.clone()))
                    .count();
                if new > 0 && input.len() <= MAX_SAVED {
                    if let Some(dir) = a.save.as_ref().filter(|_| saved < MOST_SAVED) {
                        saved += 1;
                        let name = format!("{:016x}.ron", fnv(&input));
                        let _ = std::fs::write(dir.join(name), &input);
                    }
                    if corpus.len() < MOST_KEPT {
                        corpus.push(input.clone());
                    } else {
                        // Full: a random entry makes room (the heap limit counts the corpus).
                        let at = rng.below(corpus.len());
                        corpus[at] = input.clone();
                    }
                }
                None
            }
            Ok(Err(broken)) => Some(broken),
            Err(panic) => Some(panic_message(&panic)),
        };
        if let Some(what) = failure {
            let key = fuzz_support::template(&what);
            if let std::collections::btree_map::Entry::Vacant(slot) = failures.entry(key) {
                let path = work
                    .join("failures")
                    .join(format!("{:016x}.ron", fnv(&input)));
                let _ = std::fs::write(&path, &input);
                eprintln!(
                    "fuzz: FAILURE (variant {n}): {what}\n  input: {}",
                    path.display()
                );
                slot.insert(path);
            }
        }
        if last_report.elapsed() > Duration::from_secs(30) {
            last_report = Instant::now();
            println!(
                "fuzz: {execs} runs, {} s, corpus {}, {} failures",
                begin.elapsed().as_secs(),
                corpus.len(),
                failures.len()
            );
        }
    }
    let secs = begin.elapsed().as_secs_f64();
    println!(
        "fuzz: {execs} runs in {secs:.0} s ({:.1}/s), corpus {}, {} behaviours, slowest input {} ms, \
         largest heap growth {:.1} MB, {} unique failures",
        execs as f64 / secs,
        corpus.len(),
        signatures.len(),
        slowest.as_millis(),
        peak_heap as f64 / 1e6,
        failures.len()
    );
    if OVER.load(Ordering::Relaxed) {
        eprintln!("fuzz: the heap limit was hit");
    }
    if !failures.is_empty() {
        std::process::exit(1);
    }
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    let text = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".into());
    let place = PANIC_PLACE
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    format!("panic at {place}: {text}")
}

/// FNV-1a, for file names of saved inputs.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}
