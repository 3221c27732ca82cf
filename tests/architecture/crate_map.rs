//! The crate's module tree as the compiler sees it: from `src/lib.rs` and
//! `src/main.rs`, every `mod` declaration is followed to its file (`#[path]`
//! included) or, for an inline `mod x { .. }`, to the file that holds it. The
//! import graph and the function-length check both start from this map, so a
//! file the compiler never reads is not in it (and `every_source_file_is_a_module`
//! says so).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// A module's path from its crate root, e.g. `["cli", "check"]`. The binary's
/// modules start with [`BIN_ROOT`] so they never collide with the library's.
pub type ModPath = Vec<String>;

/// The first segment of every module path of the binary crate (`src/main.rs`).
pub const BIN_ROOT: &str = "<bin>";

/// The library's name as the binary spells it (`domlife::cli::main`).
pub const LIB_NAME: &str = "domlife";

/// Every module of the library and the binary, and the parsed files.
pub struct CrateMap {
    /// Files by their path relative to the package root (`src/cli/check.rs`).
    pub files: BTreeMap<String, syn::File>,
    /// The file that holds each module (an inline module maps to its file).
    pub module_file: BTreeMap<ModPath, String>,
    /// The modules a module declares, by name.
    pub children: BTreeMap<ModPath, BTreeSet<String>>,
}

impl CrateMap {
    /// Reads the crate under `package` (the directory of Cargo.toml).
    pub fn load(package: &Path) -> CrateMap {
        let mut map = CrateMap {
            files: BTreeMap::new(),
            module_file: BTreeMap::new(),
            children: BTreeMap::new(),
        };
        let mut loader = Loader {
            package: package.to_path_buf(),
            map: &mut map,
        };
        loader.load_file(&package.join("src/lib.rs"), Vec::new(), true);
        loader.load_file(
            &package.join("src/main.rs"),
            vec![BIN_ROOT.to_string()],
            true,
        );
        map
    }

    /// The file of the longest prefix of `path` that is a module: where the
    /// item `path` names is defined (or re-exported from).
    pub fn file_of(&self, path: &[String]) -> Option<&str> {
        (0..=path.len())
            .rev()
            .find_map(|len| self.module_file.get(&path[..len]))
            .map(String::as_str)
    }

    /// Whether `module` declares a child module called `name`.
    pub fn has_child(&self, module: &[String], name: &str) -> bool {
        self.children
            .get(module)
            .is_some_and(|children| children.contains(name))
    }
}

struct Loader<'a> {
    package: PathBuf,
    map: &'a mut CrateMap,
}

impl Loader<'_> {
    /// Parses `file` as module `module`. `owns_dir` is true for files whose
    /// child modules sit beside them (`lib.rs`, `main.rs`, `mod.rs`, files
    /// reached through `#[path]`), false for `x.rs` whose children are in `x/`.
    fn load_file(&mut self, file: &Path, module: ModPath, owns_dir: bool) {
        let text = fs::read_to_string(file)
            .unwrap_or_else(|error| panic!("cannot read {}: {error}", file.display()));
        let parsed = syn::parse_file(&text)
            .unwrap_or_else(|error| panic!("cannot parse {}: {error}", file.display()));
        let name = self.relative(file);
        let parent_dir = file.parent().expect("a source file has a directory");
        let child_dir = if owns_dir {
            parent_dir.to_path_buf()
        } else {
            parent_dir.join(file.file_stem().expect("a source file has a name"))
        };
        self.map.module_file.insert(module.clone(), name.clone());
        self.map.children.entry(module.clone()).or_default();
        self.load_items(&parsed.items, &module, &name, parent_dir, &child_dir);
        self.map.files.insert(name, parsed);
    }

    fn load_items(
        &mut self,
        items: &[syn::Item],
        module: &ModPath,
        file: &str,
        file_dir: &Path,
        child_dir: &Path,
    ) {
        for item in items {
            let syn::Item::Mod(declared) = item else {
                continue;
            };
            let name = declared.ident.to_string();
            let mut child = module.clone();
            child.push(name.clone());
            self.map
                .children
                .entry(module.clone())
                .or_default()
                .insert(name.clone());
            match &declared.content {
                Some((_, inner)) => {
                    self.map.module_file.insert(child.clone(), file.to_string());
                    self.map.children.entry(child.clone()).or_default();
                    let inner_dir = child_dir.join(&name);
                    self.load_items(inner, &child, file, file_dir, &inner_dir);
                }
                None => match path_attribute(declared) {
                    Some(path) => self.load_file(&file_dir.join(path), child, true),
                    None => {
                        let flat = child_dir.join(format!("{name}.rs"));
                        if flat.exists() {
                            self.load_file(&flat, child, false);
                        } else {
                            self.load_file(&child_dir.join(&name).join("mod.rs"), child, true);
                        }
                    }
                },
            }
        }
    }

    fn relative(&self, file: &Path) -> String {
        let canonical = file
            .canonicalize()
            .unwrap_or_else(|error| panic!("cannot resolve {}: {error}", file.display()));
        let package = self
            .package
            .canonicalize()
            .expect("the package directory exists");
        canonical
            .strip_prefix(&package)
            .unwrap_or(&canonical)
            .to_string_lossy()
            .replace('\\', "/")
    }
}

/// The value of a `#[path = ".."]` attribute on a module declaration.
fn path_attribute(declared: &syn::ItemMod) -> Option<String> {
    declared.attrs.iter().find_map(|attr| {
        let syn::Meta::NameValue(pair) = &attr.meta else {
            return None;
        };
        if !pair.path.is_ident("path") {
            return None;
        }
        match &pair.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(text),
                ..
            }) => Some(text.value()),
            _ => None,
        }
    })
}
