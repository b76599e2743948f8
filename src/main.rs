//! The `txline` binary: everything is in the library; see [`txline::cli`].

fn main() -> std::process::ExitCode {
    txline::cli::main()
}
