//! The ndjson sink: each result written to standard output as it
//! finishes, one JSON object a line, flushed per batch so that a reader
//! sees lines as they come. It keeps nothing, so a streamed run's memory
//! does not grow with its list.
//!
//! A sharded run's stream starts with one `{"meta": ...}` line saying which
//! shard of which list it is, so that `domlife merge` can check the parts;
//! an unsharded stream is results only, as it always was.

use std::io::{self, BufWriter, Write};

use serde::Serialize;

use crate::report::{self, ShardInfo, StreamMeta};
use crate::run::listener::{Batch, Listener, ListenerError, RunEnd, RunStart};

/// Writes results to standard output as ndjson.
pub struct NdjsonStream {
    out: BufWriter<io::Stdout>,
    shard: Option<ShardInfo>,
}

#[derive(Serialize)]
struct MetaLine<'a> {
    meta: &'a StreamMeta,
}

impl NdjsonStream {
    /// A stream, opened by a meta line when it is a shard's.
    pub fn new(shard: Option<ShardInfo>) -> NdjsonStream {
        NdjsonStream {
            out: BufWriter::new(io::stdout()),
            shard,
        }
    }
}

impl Listener for NdjsonStream {
    fn started(&mut self, start: &RunStart) -> Result<(), ListenerError> {
        let Some(shard) = self.shard.clone() else {
            return Ok(());
        };
        let meta = StreamMeta {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            as_of: start.as_of,
            started: start.started,
            shard,
        };
        serde_json::to_writer(&mut self.out, &MetaLine { meta: &meta })
            .map_err(io::Error::from)
            .and_then(|()| self.out.write_all(b"\n"))
            .map_err(ListenerError::from_stdout)
    }

    fn results(&mut self, batch: &mut Batch) -> Result<(), ListenerError> {
        for finished in &batch.results {
            report::write_one(&mut self.out, &finished.result)
                .map_err(ListenerError::from_stdout)?;
        }
        self.out.flush().map_err(ListenerError::from_stdout)
    }

    fn ended(&mut self, _end: &RunEnd) -> Result<(), ListenerError> {
        self.out.flush().map_err(ListenerError::from_stdout)
    }
}
