//! Writes a generated cohort of N patients (`txline::stress::cohort_rons`) into a folder, for
//! trying and benchmarking the cohort figures at scale:
//! `cargo run --release --no-default-features --example gen_cohort -- 1000 /tmp/cohort1000`.

use std::path::PathBuf;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: gen_cohort N DIR";
    let n: usize = args.next().ok_or_else(|| anyhow::anyhow!(usage))?.parse()?;
    let dir = PathBuf::from(args.next().ok_or_else(|| anyhow::anyhow!(usage))?);
    std::fs::create_dir_all(&dir)?;
    for (id, text) in txline::stress::cohort_rons(n) {
        std::fs::write(dir.join(format!("{id}.ron")), text)?;
    }
    println!("wrote {n} patients to {}", dir.display());
    Ok(())
}
