//! Rules about the shape of the source that CI checks: no import cycle
//! between files (siblings and parent/child included) and short functions in
//! the command line. The source is read with `syn` (`crate_map`), its import
//! graph built (`imports`), its cycles listed (`cycles`) and its functions
//! measured (`fn_lengths`).

mod crate_map;
mod cycles;
mod fn_lengths;
mod imports;

use std::path::Path;

use crate_map::CrateMap;

fn crate_map() -> CrateMap {
    CrateMap::load(Path::new(env!("CARGO_MANIFEST_DIR")))
}

/// No file imports, through any chain, a file that imports it: layers stay
/// layers, and a module's parent is never imported by its children.
#[test]
fn no_import_cycles() {
    let map = crate_map();
    let graph = imports::graph(&map);
    let found: Vec<String> = cycles::cycles(&graph)
        .iter()
        .map(|cycle| cycles::describe(&graph, cycle))
        .collect();
    assert!(
        found.is_empty(),
        "import cycles (file:line of the first reference to the next file):\n{}",
        found.join("\n"),
    );
}

#[test]
fn every_source_file_is_a_module() {
    let map = crate_map();
    let mut orphans = Vec::new();
    let mut pending = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("src/ is readable") {
            let path = entry.expect("src/ is readable").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                let relative = path
                    .strip_prefix(env!("CARGO_MANIFEST_DIR"))
                    .expect("under the package")
                    .to_string_lossy()
                    .replace('\\', "/");
                if !map.files.contains_key(&relative) {
                    orphans.push(relative);
                }
            }
        }
    }
    assert!(orphans.is_empty(), "files no module declares: {orphans:?}");
}

#[test]
fn the_graph_sees_every_kind_of_reference() {
    let map = crate_map();
    let graph = imports::graph(&map);
    let edge = |from: &str, to: &str| graph.get(from).is_some_and(|edges| edges.contains_key(to));
    // A `use crate::..`, a serde `deserialize_with = "sibling::f"` string and
    // the binary naming the library: one of each kind this crate has.
    assert!(edge("src/main.rs", "src/cli/mod.rs"));
    assert!(edge("src/rdap/model.rs", "src/rdap/lenient.rs"));
}

/// Functions longer than `limit` lines in files whose path starts with one of `prefixes`.
fn longer_than(limit: usize, prefixes: &[&str]) -> Vec<String> {
    fn_lengths::functions(&crate_map())
        .into_iter()
        .filter(|function| {
            prefixes
                .iter()
                .any(|prefix| function.file.starts_with(prefix))
        })
        .filter(|function| function.lines > limit)
        .map(|function| {
            format!(
                "{}:{} {} ({} lines)",
                function.file, function.line, function.name, function.lines
            )
        })
        .collect()
}

#[test]
fn command_line_functions_are_short() {
    let long_in_cli = longer_than(80, &["src/cli/"]);
    let long_in_check = longer_than(60, &["src/cli/check.rs", "src/cli/check/"]);
    assert!(
        long_in_cli.is_empty() && long_in_check.is_empty(),
        "over 80 lines in src/cli/:\n{}\nover 60 lines in check:\n{}",
        long_in_cli.join("\n"),
        long_in_check.join("\n"),
    );
}

#[test]
fn function_lengths_are_measured_from_signature_to_brace() {
    // src/main.rs is small and stable enough to measure against.
    let here = fn_lengths::functions(&crate_map());
    let main = here
        .iter()
        .find(|function| function.file == "src/main.rs" && function.name == "main")
        .expect("src/main.rs has fn main");
    assert_eq!(main.lines, 3, "fn main in src/main.rs is three lines");
}

#[test]
fn cycles_are_listed_once_from_their_smallest_file() {
    let mut graph = imports::Graph::new();
    for (from, to) in [("b", "a"), ("a", "b"), ("b", "c"), ("c", "a"), ("a", "d")] {
        graph
            .entry(from.to_string())
            .or_default()
            .insert(to.to_string(), 1);
    }
    let found = cycles::cycles(&graph);
    assert_eq!(
        found,
        vec![vec!["a", "b"], vec!["a", "b", "c"]],
        "a <-> b and a -> b -> c -> a; d is no part of a cycle"
    );
}

/// The README's convention: a module's unit tests are its child module
/// `tests` (inline, or `<module>/tests.rs`), never a `*_tests.rs` sibling nor
/// a `#[path]`; helpers shared by several modules are `crate::testutil`.
#[test]
fn unit_tests_are_the_child_module_tests() {
    let map = crate_map();
    let mut broken = Vec::new();
    for (file, parsed) in &map.files {
        if !file.starts_with("src/") {
            broken.push(format!("{file}: a module of the crate outside src/"));
        }
        if file.ends_with("_tests.rs") {
            broken.push(format!("{file}: a *_tests.rs file"));
        }
        for item in &parsed.items {
            let syn::Item::Mod(declared) = item else {
                continue;
            };
            let name = declared.ident.to_string();
            let has = |attribute: &str| declared.attrs.iter().any(|a| a.path().is_ident(attribute));
            if has("path") {
                broken.push(format!("{file}: #[path] on mod {name}"));
            }
            let cfg_test = declared.attrs.iter().any(|attr| {
                attr.path().is_ident("cfg")
                    && attr
                        .parse_args::<syn::Ident>()
                        .is_ok_and(|ident| ident == "test")
            });
            let allowed = name == "tests" || (file == "src/lib.rs" && name == "testutil");
            if cfg_test && !allowed {
                broken.push(format!("{file}: test module {name} is not `tests`"));
            }
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}
