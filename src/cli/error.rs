//! Errors the user must fix: [`BadInput`] marks one, and [`crate::cli::main`]
//! maps it to exit status [`EXIT_BAD_INPUT`]. A leaf, so that every
//! subcommand file takes it from here rather than from `cli/mod.rs`, which
//! declares them.

/// Exit status for input the user must fix.
pub const EXIT_BAD_INPUT: u8 = 2;

/// Marks an error as caused by the user's input: reported on one line with
/// exit status 2, unlike failures of the world (network, registry), which exit 1.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct BadInput(#[from] pub anyhow::Error);

/// Wraps any error as [`BadInput`].
pub fn bad_input(error: impl Into<anyhow::Error>) -> anyhow::Error {
    BadInput(error.into()).into()
}
