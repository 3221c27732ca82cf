//! Where a list is read from ([`Source`]: a file, standard input, any
//! reader) and the stream of one source's entries ([`entries`]), read as
//! CSV or plain text by its name or [`ReadOptions::csv`].

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::PathBuf;

use super::entry::{Entry, InputError};
use super::{table, text};

/// Name used for standard input in origins and messages.
pub const STDIN_NAME: &str = "<stdin>";
/// Where to read from.
pub enum Source<'a> {
    /// A file; read as CSV when its name ends in `.csv`.
    Path(PathBuf),
    /// Standard input, named `<stdin>`.
    Stdin,
    /// Any reader, under a name used in origins (and for the `.csv` rule).
    Reader {
        name: String,
        reader: Box<dyn Read + Send + 'a>,
    },
}

impl Source<'static> {
    /// The source a command-line argument means: `-` is standard input,
    /// anything else a path.
    pub fn from_arg(arg: impl Into<PathBuf>) -> Source<'static> {
        let path = arg.into();
        if path.as_os_str() == "-" {
            Source::Stdin
        } else {
            Source::Path(path)
        }
    }
}

/// How to read the sources.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// Read every source as CSV, whatever its name (`--csv`).
    pub csv: bool,
}

/// The entries of one source, in order, one per non-blank line, not merged.
pub struct Entries<'a> {
    reader: Reader<'a>,
}

enum Reader<'a> {
    Text(text::TextLines<Box<dyn BufRead + Send + 'a>>),
    Csv(table::CsvRows<Box<dyn BufRead + Send + 'a>>),
}

impl Iterator for Entries<'_> {
    type Item = Result<Entry, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.reader {
            Reader::Text(lines) => lines.next(),
            Reader::Csv(rows) => rows.next(),
        }
    }
}

/// Opens `source` for streaming. Fails only when the source cannot be
/// opened; a read error comes as an `Err` item and ends the stream.
pub fn entries<'a>(source: Source<'a>, options: &ReadOptions) -> Result<Entries<'a>, InputError> {
    let (file, reader): (String, Box<dyn Read + Send + 'a>) = match source {
        Source::Path(path) => {
            let opened = File::open(&path).map_err(|source| InputError::Open {
                path: path.clone(),
                error: source,
            })?;
            (path.display().to_string(), Box::new(opened))
        }
        Source::Stdin => (STDIN_NAME.to_owned(), Box::new(io::stdin())),
        Source::Reader { name, reader } => (name, reader),
    };
    let reader: Box<dyn BufRead + Send + 'a> = Box::new(BufReader::new(reader));
    let is_csv = options.csv || has_csv_extension(&file);
    let reader = if is_csv {
        Reader::Csv(table::CsvRows::new(reader, file))
    } else {
        Reader::Text(text::TextLines::new(reader, file))
    };
    Ok(Entries { reader })
}

fn has_csv_extension(file: &str) -> bool {
    file.rsplit_once('.')
        .is_some_and(|(_, extension)| extension.eq_ignore_ascii_case("csv"))
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    #[test]
    fn dash_means_stdin() {
        assert!(matches!(Source::from_arg("-"), Source::Stdin));
        assert!(
            matches!(Source::from_arg("./-"), Source::Path(path) if path == std::path::Path::new("./-"))
        );
        assert!(matches!(Source::from_arg("list.txt"), Source::Path(_)));
    }

    #[rstest]
    #[case("portfolio.csv", true)]
    #[case("EXPORT.CSV", true)]
    #[case("dir.csv/list.txt", false)]
    #[case("csv", false)]
    #[case("<stdin>", false)]
    fn csv_is_chosen_by_extension(#[case] file: &str, #[case] expected: bool) {
        assert_eq!(has_csv_extension(file), expected);
    }
}
