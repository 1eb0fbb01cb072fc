//! The `qili` command. All the work is in the library; see `cmd/`.

fn main() -> std::process::ExitCode {
    qili::cmd::main()
}
