//! The ndjson sink: each result written to standard output as it
//! finishes, one JSON object a line, flushed per batch so that a reader
//! sees lines as they come. It keeps nothing, so a streamed run's memory
//! does not grow with its list.

use std::io::{self, BufWriter, Write};

use crate::report;
use crate::run::listener::{Batch, Listener, ListenerError, RunEnd};

/// Writes results to standard output as ndjson.
pub struct NdjsonStream {
    out: BufWriter<io::Stdout>,
}

impl NdjsonStream {
    pub fn new() -> NdjsonStream {
        NdjsonStream {
            out: BufWriter::new(io::stdout()),
        }
    }
}

impl Default for NdjsonStream {
    fn default() -> Self {
        NdjsonStream::new()
    }
}

impl Listener for NdjsonStream {
    fn results(&mut self, batch: &mut Batch) -> Result<(), ListenerError> {
        for finished in &batch.results {
            report::write_one(&mut self.out, &finished.result)
                .or_else(ignore_broken_pipe)
                .map_err(ListenerError::Output)?;
        }
        self.out
            .flush()
            .or_else(ignore_broken_pipe)
            .map_err(ListenerError::Output)
    }

    fn ended(&mut self, _end: &RunEnd) -> Result<(), ListenerError> {
        self.out
            .flush()
            .or_else(ignore_broken_pipe)
            .map_err(ListenerError::Output)
    }
}

/// A reader that stopped early (`| head`) is not a failure of ours.
pub(super) fn ignore_broken_pipe(error: io::Error) -> io::Result<()> {
    if error.kind() == io::ErrorKind::BrokenPipe {
        Ok(())
    } else {
        Err(error)
    }
}
