//! Functions and methods with their length in lines, from the line of the
//! signature to the closing brace (attributes and doc comments not counted).
//! Nested functions are listed on their own and also count in their
//! enclosing function's length; closures are part of the function they are in.

use syn::spanned::Spanned;
use syn::visit::Visit;

use crate::crate_map::CrateMap;

/// One function of the crate.
#[derive(Debug)]
pub struct Function {
    pub file: String,
    pub name: String,
    pub line: usize,
    pub lines: usize,
}

/// Every function, method and provided trait method in `map`.
pub fn functions(map: &CrateMap) -> Vec<Function> {
    let mut collector = Collector {
        file: String::new(),
        found: Vec::new(),
    };
    for (file, parsed) in &map.files {
        collector.file = file.clone();
        collector.visit_file(parsed);
    }
    collector.found
}

struct Collector {
    file: String,
    found: Vec<Function>,
}

impl Collector {
    fn record(&mut self, sig: &syn::Signature, block: &syn::Block) {
        let first = sig.span().start().line;
        let last = block.brace_token.span.close().end().line;
        self.found.push(Function {
            file: self.file.clone(),
            name: sig.ident.to_string(),
            line: first,
            lines: last + 1 - first,
        });
    }
}

impl<'ast> Visit<'ast> for Collector {
    fn visit_item_fn(&mut self, node: &'ast syn::ItemFn) {
        self.record(&node.sig, &node.block);
        syn::visit::visit_item_fn(self, node);
    }

    fn visit_impl_item_fn(&mut self, node: &'ast syn::ImplItemFn) {
        self.record(&node.sig, &node.block);
        syn::visit::visit_impl_item_fn(self, node);
    }

    fn visit_trait_item_fn(&mut self, node: &'ast syn::TraitItemFn) {
        if let Some(block) = &node.default {
            self.record(&node.sig, block);
        }
        syn::visit::visit_trait_item_fn(self, node);
    }
}
