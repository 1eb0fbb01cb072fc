//! The `qili` command. All the work is in the library; see `cli.rs`.

fn main() -> std::process::ExitCode {
    qili::cli::main()
}
