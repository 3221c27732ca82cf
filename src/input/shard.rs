//! `check --shard K/N`: which entries of a list one of N machines audits.
//!
//! An entry's shard comes from a SHA-256 of its normalised name (A-label),
//! or of its text for a line that is not a name: the same on every
//! machine, every platform and every version, whatever the order of the
//! list and however often a name is repeated (a name's lines all go to the
//! shard of the name, where they are merged as usual). SHA-256 is not
//! needed for secrecy; it is used because it is fixed by a standard, unlike
//! the standard library's hashers, and spreads names evenly.
//!
//! The list itself is identified by the SHA-256 of its bytes, so that
//! `domlife merge` can tell shard reports of one list from those of
//! another.

use std::fmt;
use std::io::{self, Read};
use std::str::FromStr;

use sha2::{Digest, Sha256};

use super::entry::Entry;

/// The most shards a list can be split into.
pub const MAX_SHARDS: u32 = 10_000;

/// Shard `k` of `n` (1-based), as `K/N` on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    k: u32,
    n: u32,
}

/// A `--shard` value that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{input:?} is not a shard K/N with 1 <= K <= N <= {MAX_SHARDS} (e.g. 1/4)")]
pub struct ShardError {
    input: String,
}

impl Shard {
    /// Shard `k` of `n`, if `1 <= k <= n <= MAX_SHARDS`.
    pub fn new(k: u32, n: u32) -> Option<Shard> {
        (1..=n).contains(&k).then_some(())?;
        (n <= MAX_SHARDS).then_some(Shard { k, n })
    }

    /// The shard's number, from 1.
    pub fn k(self) -> u32 {
        self.k
    }

    /// How many shards there are.
    pub fn n(self) -> u32 {
        self.n
    }

    /// True when `entry` belongs to this shard.
    pub fn contains(self, entry: &Entry) -> bool {
        shard_of(entry, self.n) == self.k
    }
}

impl FromStr for Shard {
    type Err = ShardError;

    fn from_str(input: &str) -> Result<Shard, ShardError> {
        let error = || ShardError {
            input: input.to_owned(),
        };
        let (k, n) = input.trim().split_once('/').ok_or_else(error)?;
        let k = k.trim().parse().map_err(|_| error())?;
        let n = n.trim().parse().map_err(|_| error())?;
        Shard::new(k, n).ok_or_else(error)
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.k, self.n)
    }
}

/// The shard (1..=n) `entry` falls in among `n`.
pub fn shard_of(entry: &Entry, n: u32) -> u32 {
    let key = match entry {
        Entry::Name(item) => item.name.ascii(),
        Entry::Invalid(line) => line.raw.as_str(),
    };
    let digest = Sha256::digest(key.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    let bucket = u64::from_be_bytes(first) % u64::from(n.max(1));
    // The remainder is below n, a u32.
    u32::try_from(bucket).map_or(1, |bucket| bucket + 1)
}

/// The SHA-256 of everything `readers` yield, in order, as lower-case hex.
pub fn sha256_hex<R: Read>(readers: impl IntoIterator<Item = R>) -> io::Result<String> {
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    for mut reader in readers {
        loop {
            let read = reader.read(&mut buffer)?;
            if read == 0 {
                break;
            }
            hasher.update(&buffer[..read]);
        }
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::normalize;
    use crate::input::{InputItem, InvalidLine, Origin};

    fn name(text: &str) -> Entry {
        Entry::Name(InputItem::named(normalize(text).unwrap(), text))
    }

    #[rstest::rstest]
    #[case("1/1", 1, 1)]
    #[case("2/4", 2, 4)]
    #[case(" 3 / 3 ", 3, 3)]
    fn shards_parse(#[case] text: &str, #[case] k: u32, #[case] n: u32) {
        assert_eq!(text.parse(), Ok(Shard { k, n }));
    }

    #[rstest::rstest]
    #[case("0/4")]
    #[case("5/4")]
    #[case("1/0")]
    #[case("4")]
    #[case("a/b")]
    #[case("1/10001")]
    #[case("-1/4")]
    fn bad_shards_are_refused(#[case] text: &str) {
        let error = text.parse::<Shard>().unwrap_err();
        assert!(error.to_string().contains("K/N"), "{error}");
    }

    #[test]
    fn the_shard_of_a_name_is_fixed_and_follows_its_normalised_form() {
        // Pinned (and checked with Python's hashlib: the first 8 bytes of
        // sha256(name), big-endian, mod 4, plus 1): a change here would split
        // lists differently on machines running different versions.
        let shards: Vec<u32> = ["example.com", "google.com", "bücher.de", "a.io"]
            .iter()
            .map(|text| shard_of(&name(text), 4))
            .collect();
        assert_eq!(shards, [2, 3, 3, 1]);
        assert_eq!(
            shard_of(&name("EXAMPLE.com."), 4),
            shard_of(&name("example.com"), 4)
        );
        assert_eq!(
            shard_of(&name("xn--bcher-kva.de"), 4),
            shard_of(&name("bücher.de"), 4)
        );
    }

    #[test]
    fn every_entry_is_in_exactly_one_shard_and_they_spread() {
        let n = 4;
        let mut sizes = [0usize; 4];
        for index in 0..4000 {
            let entry = name(&format!("name-{index}.com"));
            let owners: Vec<u32> = (1..=n)
                .filter(|k| Shard::new(*k, n).unwrap().contains(&entry))
                .collect();
            assert_eq!(owners.len(), 1);
            sizes[(owners[0] - 1) as usize] += 1;
        }
        assert!(
            sizes.iter().all(|size| (850..=1150).contains(size)),
            "{sizes:?}"
        );
    }

    #[test]
    fn a_bad_line_goes_by_its_text() {
        let line = |number| {
            Entry::Invalid(InvalidLine {
                origin: Origin {
                    file: "list.txt".to_owned(),
                    line: number,
                },
                raw: "not a name".to_owned(),
                reason: "a space".to_owned(),
            })
        };
        assert_eq!(shard_of(&line(1), 7), shard_of(&line(900), 7));
    }

    #[test]
    fn the_digest_is_sha256_of_the_bytes_in_order() {
        let empty = sha256_hex(Vec::<&[u8]>::new()).unwrap();
        assert_eq!(
            empty,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        let split = sha256_hex([&b"ab"[..], &b"c"[..]]).unwrap();
        assert_eq!(
            split,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
