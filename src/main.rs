//! The `domlife` binary: everything happens in [`domlife::cli`].

fn main() -> std::process::ExitCode {
    domlife::cli::main()
}
