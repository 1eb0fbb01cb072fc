//! The `qili` command. All the work is in the library; see `cmd/`.

/// Rendering is allocation-heavy (template values, strings, Markdown events) and parallel;
/// mimalloc's thread-local free lists beat glibc's arenas there (see README, 性能).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    qili::cmd::main()
}
