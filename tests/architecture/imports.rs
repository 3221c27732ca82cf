//! The file-level import graph: an edge A -> B when code in file A names an
//! item of a module held by file B, through a `use` or a qualified path in
//! code (`crate::x::y`, `super::`, `self::`, a child or sibling module, a name
//! a `use` brought in), in macros and attributes too (serde's
//! `deserialize_with = "lenient::list"` is a reference). `mod x;` is not.
//!
//! An inline `#[cfg(test)] mod tests { .. }` is left out: like a `tests.rs`
//! file, it is a module nothing imports, so it closes no cycle, and its
//! references are not the file's.
//!
//! A path resolves to the longest prefix that is a module, so naming an item
//! through a parent's re-export (`super::Error` where `mod.rs` says
//! `pub use error::Error`) is an edge to the parent's file: that is the point,
//! a child reaching up through its parent is a cycle waiting to happen.

use std::collections::BTreeMap;

use proc_macro2::{TokenStream, TokenTree};
use syn::visit::Visit;

use crate::crate_map::{BIN_ROOT, CrateMap, LIB_NAME, ModPath};

/// One edge per (from, to) pair of files, with the first line of `from`
/// that makes it.
pub type Graph = BTreeMap<String, BTreeMap<String, usize>>;

/// Builds the import graph of every file in `map`.
pub fn graph(map: &CrateMap) -> Graph {
    let scopes = Scopes::collect(map);
    let mut graph = Graph::new();
    for (file, parsed) in &map.files {
        let module = module_of_file(map, file);
        let mut refs = RefCollector {
            module: vec![module],
            found: Vec::new(),
        };
        refs.visit_file(parsed);
        let edges = graph.entry(file.clone()).or_default();
        for found in refs.found {
            let path = if found.is_use() {
                found.use_path()
            } else {
                found.segments.clone()
            };
            let Some(target) = scopes.resolve(map, &found.module, &path) else {
                continue;
            };
            let Some(target_file) = map.file_of(&target) else {
                continue;
            };
            if target_file != file {
                let line = edges.entry(target_file.to_string()).or_insert(found.line);
                *line = (*line).min(found.line);
            }
        }
    }
    graph
}

/// The module a file is the root of (the shortest path mapped to it).
fn module_of_file(map: &CrateMap, file: &str) -> ModPath {
    map.module_file
        .iter()
        .filter(|(_, holder)| holder.as_str() == file)
        .map(|(module, _)| module.clone())
        .min_by_key(Vec::len)
        .expect("every loaded file holds a module")
}

/// A path as written, in the module where it was written.
struct Found {
    module: ModPath,
    segments: Vec<String>,
    line: usize,
}

/// The names a module's `use` declarations bring in, and its glob imports.
#[derive(Default)]
struct Scope {
    aliases: BTreeMap<String, Vec<String>>,
    globs: Vec<Vec<String>>,
}

struct Scopes(BTreeMap<ModPath, Scope>);

impl Scopes {
    /// Reads every `use` of the crate; two passes so that a `use` naming
    /// something another `use` brought in resolves too.
    fn collect(map: &CrateMap) -> Scopes {
        let mut uses = Vec::new();
        for (file, parsed) in &map.files {
            let mut collector = RefCollector {
                module: vec![module_of_file(map, file)],
                found: Vec::new(),
            };
            collector.visit_file(parsed);
            uses.extend(collector.found.into_iter().filter(|found| found.is_use()));
        }
        let mut scopes = Scopes(BTreeMap::new());
        for _ in 0..2 {
            for found in &uses {
                let (name, glob) = found.use_binding();
                let Some(target) = scopes.resolve(map, &found.module, &found.use_path()) else {
                    continue;
                };
                let scope = scopes.0.entry(found.module.clone()).or_default();
                if glob {
                    if !scope.globs.contains(&target) {
                        scope.globs.push(target);
                    }
                } else if let Some(name) = name {
                    scope.aliases.insert(name, target);
                }
            }
        }
        scopes
    }

    /// The full path (from the library's root, or [`BIN_ROOT`]) that
    /// `segments` written in `module` names, or None for another crate's
    /// item or a local one that is no module path.
    fn resolve(
        &self,
        map: &CrateMap,
        module: &[String],
        segments: &[String],
    ) -> Option<Vec<String>> {
        self.resolve_depth(map, module, segments, 2)
    }

    fn resolve_depth(
        &self,
        map: &CrateMap,
        module: &[String],
        segments: &[String],
        depth: u8,
    ) -> Option<Vec<String>> {
        let (first, rest) = segments.split_first()?;
        let join = |base: &[String], rest: &[String]| -> Vec<String> {
            base.iter().chain(rest).cloned().collect()
        };
        let crate_root: &[String] = if module.first().map(String::as_str) == Some(BIN_ROOT) {
            &module[..1]
        } else {
            &[]
        };
        match first.as_str() {
            "crate" => return Some(join(crate_root, rest)),
            "self" => return Some(join(module, rest)),
            "super" => {
                let mut base = module;
                let mut rest = segments;
                while rest.first().map(String::as_str) == Some("super") {
                    base = &base[..base.len().checked_sub(1)?];
                    rest = &rest[1..];
                }
                if base.len() < crate_root.len() {
                    return None;
                }
                return Some(join(base, rest));
            }
            name if name == LIB_NAME && !crate_root.is_empty() => return Some(rest.to_vec()),
            _ => {}
        }
        if map.has_child(module, first) {
            return Some(join(module, segments));
        }
        let scope = self.0.get(module)?;
        if let Some(target) = scope.aliases.get(first) {
            return Some(join(target, rest));
        }
        if depth == 0 {
            return None;
        }
        scope
            .globs
            .iter()
            .find_map(|glob| self.resolve_depth(map, glob, segments, depth - 1))
    }
}

impl Found {
    fn is_use(&self) -> bool {
        self.segments.first().map(String::as_str) == Some(USE_MARK)
    }

    /// For a `use` entry (`<use>`, path.., binding): the name it binds, or
    /// `*` for a glob.
    fn use_binding(&self) -> (Option<String>, bool) {
        match self.segments.last().map(String::as_str) {
            Some("*") => (None, true),
            Some(name) if name.starts_with(AS_MARK) => {
                (Some(name.trim_start_matches(AS_MARK).to_string()), false)
            }
            Some("self") => (self.use_path().last().cloned(), false),
            Some(name) => (Some(name.to_string()), false),
            None => (None, false),
        }
    }

    /// The path a `use` entry names (its markers stripped).
    fn use_path(&self) -> Vec<String> {
        let mut path: Vec<String> = self.segments[1..].to_vec();
        match path.last().map(String::as_str) {
            Some("*") => {
                path.pop();
            }
            Some(name) if name.starts_with(AS_MARK) => {
                path.pop();
            }
            _ => {}
        }
        if path.last().map(String::as_str) == Some("self") {
            path.pop();
        }
        path
    }
}

/// Marks a `use` entry in [`Found::segments`]: `<use>`, the path, then `*`
/// for a glob or `as:NAME` for a rename.
const USE_MARK: &str = "<use>";
const AS_MARK: &str = "as:";

/// Walks a file and records every path it writes, with the module it is in.
struct RefCollector {
    module: Vec<ModPath>,
    found: Vec<Found>,
}

impl RefCollector {
    fn current(&self) -> ModPath {
        self.module.last().cloned().unwrap_or_default()
    }

    fn push(&mut self, segments: Vec<String>, line: usize) {
        if segments.is_empty() {
            return;
        }
        self.found.push(Found {
            module: self.current(),
            segments,
            line,
        });
    }

    fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(path) => {
                prefix.push(path.ident.to_string());
                self.use_tree(prefix, &path.tree);
                prefix.pop();
            }
            syn::UseTree::Name(name) => {
                let mut entry = vec![USE_MARK.to_string()];
                entry.extend(prefix.iter().cloned());
                entry.push(name.ident.to_string());
                self.push(entry, line_of(name.ident.span()));
            }
            syn::UseTree::Rename(rename) => {
                let mut entry = vec![USE_MARK.to_string()];
                entry.extend(prefix.iter().cloned());
                entry.push(rename.ident.to_string());
                entry.push(format!("{AS_MARK}{}", rename.rename));
                self.push(entry, line_of(rename.ident.span()));
            }
            syn::UseTree::Glob(glob) => {
                let mut entry = vec![USE_MARK.to_string()];
                entry.extend(prefix.iter().cloned());
                entry.push("*".to_string());
                self.push(entry, line_of(glob.star_token.span));
            }
            syn::UseTree::Group(group) => {
                for tree in &group.items {
                    self.use_tree(prefix, tree);
                }
            }
        }
    }

    /// Paths inside macro arguments and attributes are tokens: every run of
    /// `a::b::c` is taken as a path, and a string literal that reads as a
    /// path with `::` (serde's `with = ".."`) too.
    fn tokens(&mut self, tokens: TokenStream) {
        let mut run: Vec<String> = Vec::new();
        let mut run_line = 0;
        let mut expecting_ident = true;
        let mut colons = 0;
        let flush = |this: &mut Self, run: &mut Vec<String>, line: usize| {
            if run.len() > 1 {
                this.push(std::mem::take(run), line);
            }
            run.clear();
        };
        for token in tokens {
            match token {
                TokenTree::Ident(ident) if expecting_ident => {
                    if run.is_empty() {
                        run_line = line_of(ident.span());
                    }
                    run.push(ident.to_string());
                    expecting_ident = false;
                    colons = 0;
                }
                TokenTree::Punct(punct) if punct.as_char() == ':' && !expecting_ident => {
                    colons += 1;
                    if colons == 2 {
                        expecting_ident = true;
                    }
                }
                other => {
                    flush(self, &mut run, run_line);
                    expecting_ident = true;
                    colons = 0;
                    match other {
                        TokenTree::Group(group) => self.tokens(group.stream()),
                        TokenTree::Literal(literal) => self.string_path(&literal),
                        TokenTree::Ident(ident) => {
                            run_line = line_of(ident.span());
                            run.push(ident.to_string());
                            expecting_ident = false;
                        }
                        TokenTree::Punct(_) => {}
                    }
                }
            }
        }
        flush(self, &mut run, run_line);
    }

    fn string_path(&mut self, literal: &proc_macro2::Literal) {
        let Ok(syn::Lit::Str(text)) = syn::parse_str::<syn::Lit>(&literal.to_string()) else {
            return;
        };
        let value = text.value();
        if !value.contains("::") {
            return;
        }
        if let Ok(path) = syn::parse_str::<syn::Path>(&value) {
            self.push(segments(&path), line_of(literal.span()));
        }
    }
}

impl<'ast> Visit<'ast> for RefCollector {
    fn visit_item_mod(&mut self, node: &'ast syn::ItemMod) {
        if node.content.is_none() || is_cfg_test(&node.attrs) {
            return;
        }
        let mut inner = self.current();
        inner.push(node.ident.to_string());
        self.module.push(inner);
        syn::visit::visit_item_mod(self, node);
        self.module.pop();
    }

    fn visit_item_use(&mut self, node: &'ast syn::ItemUse) {
        if node.leading_colon.is_none() {
            self.use_tree(&mut Vec::new(), &node.tree);
        }
    }

    fn visit_path(&mut self, node: &'ast syn::Path) {
        if node.leading_colon.is_none() {
            let line = node
                .segments
                .first()
                .map_or(0, |first| line_of(first.ident.span()));
            self.push(segments(node), line);
        }
        syn::visit::visit_path(self, node);
    }

    /// `pub(super)` and `pub(in crate::x)` name who may see an item, not what it uses.
    fn visit_visibility(&mut self, _: &'ast syn::Visibility) {}

    fn visit_macro(&mut self, node: &'ast syn::Macro) {
        self.visit_path(&node.path);
        self.tokens(node.tokens.clone());
    }

    fn visit_attribute(&mut self, node: &'ast syn::Attribute) {
        if node.path().is_ident("doc") {
            return;
        }
        if let syn::Meta::List(list) = &node.meta {
            self.tokens(list.tokens.clone());
        } else {
            syn::visit::visit_attribute(self, node);
        }
    }
}

/// `#[cfg(test)]`: an inline test module is a module of its own that
/// nothing imports, so it can be in no cycle; leaving its references out
/// keeps them from being charged to the file that holds it.
fn is_cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("cfg")
            && attr
                .parse_args::<syn::Ident>()
                .is_ok_and(|ident| ident == "test")
    })
}

fn segments(path: &syn::Path) -> Vec<String> {
    path.segments
        .iter()
        .map(|segment| segment.ident.to_string())
        .collect()
}

fn line_of(span: proc_macro2::Span) -> usize {
    span.start().line
}
