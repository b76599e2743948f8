fn main() {
    let s = txline::deidentify::Scrubber::new("QX58213", "Jane Q. Doe", "Patient");
    for a in std::env::args().skip(1) {
        let out = s.scrub(&a);
        println!("{a:?} -> {:?} ({} changes)", out.text, out.changes.len());
    }
}
