//! Frame benchmark for the viewer (written next).
fn main() {}
