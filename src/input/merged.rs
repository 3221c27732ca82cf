//! Merging duplicate names without holding the list: [`MergedEntries`].
//!
//! A name listed twice must be audited once, with every line it came from,
//! but holding the whole list to find its duplicates costs memory in
//! proportion to the list. So the sources are read twice. The first pass
//! keeps only a 64-bit hash of each name to count how often each occurs.
//! The second pass lets a name seen once go straight through, and holds a
//! name seen more than once (by its full name, so two names with the same
//! hash are never merged) until its last occurrence has been folded in, or
//! until the end of the input. Memory then grows with the number of
//! repeated names still waiting for a later line, not with the list.
//!
//! Each entry comes with its index in first-seen order, the order
//! [`read_all`](super::read_all) returns; entries come out of order only
//! where a repeated name waits for its last line.
//!
//! Standard input and other readers cannot be read twice, nor can a pipe
//! given as a path (`<(command)`): they are copied to an anonymous
//! temporary file first. Regular files are opened again for the second
//! pass, so a list that changes between the passes can yield a repeated
//! name twice or a read error; it cannot lose an entry.

use std::collections::hash_map::{self, HashMap, RandomState};
use std::fs::{self, File};
use std::hash::BuildHasher;
use std::io::{self, Seek, SeekFrom};
use std::path::PathBuf;
use std::vec;

use chrono::{DateTime, Utc};

use super::entry::{Entry, InputError, InputItem, Intent, Origin};
use super::shard::{Shard, sha256_hex};
use super::source::{Entries, ReadOptions, STDIN_NAME, Source, entries};

/// The entries of several sources, each name once, as `(index, entry)`
/// where `index` is the entry's place in first-seen order. Stops after
/// the first error.
pub struct MergedEntries {
    inner: Dedupe<AllEntries, RandomState>,
    lists: Option<Lists>,
}

/// The lists a sharded run reads: what tells its report from a report of
/// other lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lists {
    /// Their names, in order, as results name them (`<stdin>` for standard
    /// input).
    pub files: Vec<String>,
    /// The SHA-256 of their bytes, one after the other, in lower-case hex.
    pub sha256: String,
}

impl MergedEntries {
    /// Reads every source once to count the names (a source that cannot
    /// be opened or read fails here, before anything is yielded) and
    /// opens them again for the entries.
    pub fn open<'a>(
        sources: impl IntoIterator<Item = Source<'a>>,
        options: &ReadOptions,
    ) -> Result<MergedEntries, InputError> {
        MergedEntries::open_shard(sources, options, None)
    }

    /// [`MergedEntries::open`], keeping only the entries of `shard` (all
    /// with `None`); a sharded run also reads the lists a third time for
    /// their digest ([`MergedEntries::lists`]).
    pub fn open_shard<'a>(
        sources: impl IntoIterator<Item = Source<'a>>,
        options: &ReadOptions,
        shard: Option<Shard>,
    ) -> Result<MergedEntries, InputError> {
        let sources = sources
            .into_iter()
            .map(Reread::keep)
            .collect::<Result<Vec<_>, _>>()?;
        let lists = shard.map(|_| digest(&sources)).transpose()?;
        let again = sources
            .iter()
            .map(Reread::try_clone)
            .collect::<Result<Vec<_>, _>>()?;
        let first_pass = AllEntries::new(again, *options, shard);
        let occurrences = Occurrences::count(first_pass, RandomState::new())?;
        let second_pass = AllEntries::new(sources, *options, shard);
        Ok(MergedEntries {
            inner: Dedupe::new(second_pass, occurrences),
            lists,
        })
    }

    /// The lists read and their digest, for a sharded run.
    pub fn lists(&self) -> Option<&Lists> {
        self.lists.as_ref()
    }

    /// How many entries there are once merged: the length of a progress bar.
    pub fn total(&self) -> usize {
        self.inner.occurrences.total
    }
}

impl Iterator for MergedEntries {
    type Item = Result<(usize, Entry), InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.inner.next()
    }
}

/// A source as it can be read again.
enum Reread {
    /// A regular file, opened again by its path.
    Path(PathBuf),
    /// A copy of something that can be read only once, under its name.
    Spooled { name: String, copy: File },
}

impl Reread {
    fn keep(source: Source<'_>) -> Result<Reread, InputError> {
        match source {
            Source::Path(path) => {
                let metadata = fs::metadata(&path).map_err(|source| InputError::Open {
                    path: path.clone(),
                    error: source,
                })?;
                if metadata.is_file() {
                    return Ok(Reread::Path(path));
                }
                let opened = File::open(&path).map_err(|source| InputError::Open {
                    path: path.clone(),
                    error: source,
                })?;
                spool(path.display().to_string(), opened)
            }
            Source::Stdin => spool(STDIN_NAME.to_owned(), io::stdin()),
            Source::Reader { name, reader } => spool(name, reader),
        }
    }

    /// A handle on the same source, for another pass.
    fn try_clone(&self) -> Result<Reread, InputError> {
        Ok(match self {
            Reread::Path(path) => Reread::Path(path.clone()),
            Reread::Spooled { name, copy } => Reread::Spooled {
                name: name.clone(),
                copy: copy
                    .try_clone()
                    .map_err(|source| spool_error(name, source))?,
            },
        })
    }

    /// A source reading this one from its start.
    fn source(&self) -> Result<Source<'static>, InputError> {
        match self {
            Reread::Path(path) => Ok(Source::Path(path.clone())),
            Reread::Spooled { name, copy } => {
                let mut reader = copy
                    .try_clone()
                    .map_err(|source| spool_error(name, source))?;
                reader
                    .seek(SeekFrom::Start(0))
                    .map_err(|source| spool_error(name, source))?;
                Ok(Source::Reader {
                    name: name.clone(),
                    reader: Box::new(reader),
                })
            }
        }
    }
}

/// The names and the digest of `sources`.
fn digest(sources: &[Reread]) -> Result<Lists, InputError> {
    let mut files = Vec::with_capacity(sources.len());
    let mut readers = Vec::with_capacity(sources.len());
    for source in sources {
        let (name, reader): (String, Box<dyn io::Read>) = match source.source()? {
            Source::Path(path) => {
                let file = File::open(&path).map_err(|source| InputError::Open {
                    path: path.clone(),
                    error: source,
                })?;
                (path.display().to_string(), Box::new(file))
            }
            Source::Reader { name, reader } => (name, reader),
            Source::Stdin => (STDIN_NAME.to_owned(), Box::new(io::stdin())),
        };
        files.push(name);
        readers.push(reader);
    }
    let sha256 = sha256_hex(readers).map_err(|source| InputError::Read {
        file: files.join(", "),
        line: 0,
        error: source,
    })?;
    Ok(Lists { files, sha256 })
}

/// Copies `reader` to an anonymous temporary file (removed when closed).
fn spool(name: String, mut reader: impl io::Read) -> Result<Reread, InputError> {
    let mut copy = tempfile::tempfile().map_err(|source| spool_error(&name, source))?;
    io::copy(&mut reader, &mut copy).map_err(|source| InputError::Read {
        file: name.clone(),
        line: 0,
        error: source,
    })?;
    Ok(Reread::Spooled { name, copy })
}

fn spool_error(name: &str, source: io::Error) -> InputError {
    InputError::Spool {
        file: name.to_owned(),
        error: source,
    }
}

/// The entries of every source in turn, unmerged; each source is opened
/// when the previous one is done.
struct AllEntries {
    sources: vec::IntoIter<Reread>,
    options: ReadOptions,
    /// Entries of other shards are skipped, in both passes alike.
    shard: Option<Shard>,
    current: Option<Entries<'static>>,
}

impl AllEntries {
    fn new(sources: Vec<Reread>, options: ReadOptions, shard: Option<Shard>) -> AllEntries {
        AllEntries {
            sources: sources.into_iter(),
            options,
            shard,
            current: None,
        }
    }
}

impl Iterator for AllEntries {
    type Item = Result<Entry, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(entry) = self.current.as_mut().and_then(Iterator::next) {
                match (&entry, self.shard) {
                    (Ok(entry), Some(shard)) if !shard.contains(entry) => continue,
                    _ => return Some(entry),
                }
            }
            let opened = self
                .sources
                .next()?
                .source()
                .and_then(|source| entries(source, &self.options));
            match opened {
                Ok(next) => self.current = Some(next),
                Err(error) => return Some(Err(error)),
            }
        }
    }
}

/// What the first pass learnt: how often each repeated name occurs, by
/// hash, and how many entries there are once merged.
struct Occurrences<S> {
    hasher: S,
    /// Only names seen more than once; a name absent here occurs once.
    repeated: HashMap<u64, u32>,
    total: usize,
}

impl<S: BuildHasher> Occurrences<S> {
    /// Counts with a sorted list of hashes rather than a map: 8 bytes a
    /// name, dropped once the repeated ones are known.
    fn count<E>(
        entries: impl Iterator<Item = Result<Entry, E>>,
        hasher: S,
    ) -> Result<Occurrences<S>, E> {
        let mut hashes = Vec::new();
        let mut invalid = 0;
        for entry in entries {
            match entry? {
                Entry::Name(item) => hashes.push(hasher.hash_one(item.name.ascii())),
                Entry::Invalid(_) => invalid += 1,
            }
        }
        hashes.sort_unstable();
        let mut repeated = HashMap::new();
        let mut distinct = 0;
        for run in hashes.chunk_by(|a, b| a == b) {
            distinct += 1;
            if let [hash, _, ..] = run {
                repeated.insert(*hash, u32::try_from(run.len()).unwrap_or(u32::MAX));
            }
        }
        Ok(Occurrences {
            hasher,
            repeated,
            total: invalid + distinct,
        })
    }

    /// How many lines name `item`'s name (or another name with its hash).
    fn of(&self, item: &InputItem) -> u32 {
        let hash = self.hasher.hash_one(item.name.ascii());
        self.repeated.get(&hash).copied().unwrap_or(1)
    }
}

/// A repeated name waiting for its later lines.
struct Pending {
    index: usize,
    item: InputItem,
    seen: u32,
}

/// The second pass over `entries`, which must be the entries the
/// occurrences were counted from.
struct Dedupe<I, S> {
    entries: I,
    occurrences: Occurrences<S>,
    pending: HashMap<String, Pending>,
    next_index: usize,
    /// Repeated names still waiting when the input ended, in index order.
    leftovers: Option<vec::IntoIter<(usize, Entry)>>,
}

impl<I, S> Dedupe<I, S> {
    fn new(entries: I, occurrences: Occurrences<S>) -> Dedupe<I, S> {
        Dedupe {
            entries,
            occurrences,
            pending: HashMap::new(),
            next_index: 0,
            leftovers: None,
        }
    }

    fn take_index(&mut self) -> usize {
        let index = self.next_index;
        self.next_index += 1;
        index
    }

    /// The names still waiting: their counts included lines that never
    /// came (another name with the same hash, or a list that changed).
    fn release_leftovers(&mut self) -> vec::IntoIter<(usize, Entry)> {
        let mut left: Vec<(usize, Entry)> = self
            .pending
            .drain()
            .map(|(_, pending)| (pending.index, Entry::Name(pending.item)))
            .collect();
        left.sort_unstable_by_key(|(index, _)| *index);
        left.into_iter()
    }
}

impl<I, S: BuildHasher> Dedupe<I, S> {
    /// The entry ready to go on, if `entry` completes one.
    fn place(&mut self, entry: Entry) -> Option<(usize, Entry)> {
        let item = match entry {
            Entry::Name(item) => item,
            invalid => return Some((self.take_index(), invalid)),
        };
        let occurrences = self.occurrences.of(&item);
        if occurrences == 1 {
            return Some((self.take_index(), Entry::Name(item)));
        }
        match self.pending.entry(item.name.ascii().to_owned()) {
            hash_map::Entry::Vacant(vacant) => {
                let index = self.next_index;
                self.next_index += 1;
                vacant.insert(Pending {
                    index,
                    item,
                    seen: 1,
                });
                None
            }
            hash_map::Entry::Occupied(mut occupied) => {
                let pending = occupied.get_mut();
                merge_into(&mut pending.item, item);
                pending.seen += 1;
                if pending.seen < occurrences {
                    return None;
                }
                let done = occupied.remove();
                Some((done.index, Entry::Name(done.item)))
            }
        }
    }
}

impl<I, S, E> Iterator for Dedupe<I, S>
where
    I: Iterator<Item = Result<Entry, E>>,
    S: BuildHasher,
{
    type Item = Result<(usize, Entry), E>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(leftovers) = &mut self.leftovers {
                return leftovers.next().map(Ok);
            }
            match self.entries.next() {
                Some(Ok(entry)) => {
                    if let Some(ready) = self.place(entry) {
                        return Some(Ok(ready));
                    }
                }
                Some(Err(error)) => {
                    // Nothing after an error: what is pending is incomplete.
                    self.pending.clear();
                    self.leftovers = Some(Vec::new().into_iter());
                    return Some(Err(error));
                }
                None => self.leftovers = Some(self.release_leftovers()),
            }
        }
    }
}

/// `entries` merged as the second pass would, in the order they come out.
/// Folds a later line for the same name into the first: its origins and
/// notes are added, each column keeps its first non-empty value, and a
/// different later value is noted rather than lost.
/// The lines kept for one name listed many times: a list that repeats a
/// name a million times must not hold (and report) a million lines.
pub(super) const MAX_ORIGINS: usize = 100;

fn merge_into(first: &mut InputItem, later: InputItem) {
    let at = later
        .origins
        .first()
        .map_or_else(String::new, Origin::to_string);
    let room = MAX_ORIGINS.saturating_sub(first.origins.len());
    if later.origins.len() > room {
        let note = format!(
            "listed more than {MAX_ORIGINS} times: only the first {MAX_ORIGINS} lines are kept"
        );
        if !first.notes.contains(&note) {
            first.notes.push(note);
        }
    }
    first.origins.extend(later.origins.into_iter().take(room));
    for note in later.notes {
        if !first.notes.contains(&note) {
            first.notes.push(note);
        }
    }
    let mut conflicts = Vec::new();
    keep_first(&mut first.tier, later.tier, "tier", &mut conflicts);
    keep_first(
        &mut first.registrar,
        later.registrar,
        "registrar",
        &mut conflicts,
    );
    keep_first(&mut first.expires, later.expires, "expires", &mut conflicts);
    keep_first(&mut first.intent, later.intent, "intent", &mut conflicts);
    let later_tags = (!later.tags.is_empty()).then_some(later.tags);
    let mut first_tags = (!first.tags.is_empty()).then(|| std::mem::take(&mut first.tags));
    keep_first(&mut first_tags, later_tags, "tags", &mut conflicts);
    first.tags = first_tags.unwrap_or_default();
    for (column, kept, ignored) in conflicts {
        first.notes.push(format!(
            "{at} gives {column} {ignored}, kept {kept} from the first line that gave one"
        ));
    }
}

/// A value of a column as shown in a conflict note.
trait ColumnValue: PartialEq {
    fn show(&self) -> String;
}

impl ColumnValue for String {
    fn show(&self) -> String {
        format!("\"{self}\"")
    }
}

impl ColumnValue for DateTime<Utc> {
    fn show(&self) -> String {
        self.to_rfc3339()
    }
}

impl ColumnValue for Intent {
    fn show(&self) -> String {
        self.to_string()
    }
}

impl ColumnValue for Vec<String> {
    fn show(&self) -> String {
        format!("\"{}\"", self.join(";"))
    }
}

fn keep_first<T: ColumnValue>(
    kept: &mut Option<T>,
    later: Option<T>,
    column: &'static str,
    conflicts: &mut Vec<(&'static str, String, String)>,
) {
    match (kept.as_ref(), later) {
        (None, later) => *kept = later,
        (Some(first), Some(later)) if *first != later => {
            conflicts.push((column, first.show(), later.show()));
        }
        _ => {}
    }
}

#[cfg(test)]
pub(super) fn dedupe_in_memory<S: BuildHasher>(
    entries: Vec<Entry>,
    hasher: S,
) -> Vec<(usize, Entry)> {
    let ok = |entries: Vec<Entry>| entries.into_iter().map(Ok::<_, std::convert::Infallible>);
    let Ok(occurrences) = Occurrences::count(ok(entries.clone()), hasher);
    Dedupe::new(ok(entries), occurrences).flatten().collect()
}

#[cfg(test)]
mod tests;
