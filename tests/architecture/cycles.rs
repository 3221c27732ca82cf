//! Cycles in the import graph: the strongly connected parts, then every
//! elementary cycle inside each (bounded, so a tangle prints a sample rather
//! than hanging), each written starting from its smallest file so that the
//! same cycle always reads the same.

use std::collections::{BTreeMap, BTreeSet};

use crate::imports::Graph;

/// At most this many cycles are listed per strongly connected part.
const MAX_CYCLES_PER_PART: usize = 200;

/// A cycle as the files it goes through, starting from the smallest; the
/// edge from the last file back to the first closes it.
pub type Cycle = Vec<String>;

/// Every elementary cycle of `graph` (up to the bound per part), sorted.
pub fn cycles(graph: &Graph) -> Vec<Cycle> {
    let mut found = BTreeSet::new();
    for part in strongly_connected(graph) {
        if part.len() < 2 {
            continue;
        }
        let mut search = Search {
            graph,
            found: &mut found,
            budget: MAX_CYCLES_PER_PART,
            steps: MAX_STEPS_PER_PART,
        };
        for (index, start) in part.iter().enumerate() {
            // Cycles through `start` that only use files after it in the part:
            // every cycle is found once, from its smallest file.
            let allowed: BTreeSet<&str> = part[index..].iter().map(String::as_str).collect();
            search.walk(start, &allowed, &mut vec![start.as_str()]);
        }
    }
    found.into_iter().collect()
}

/// Bounds the depth-first search of one part, which is exponential at worst.
const MAX_STEPS_PER_PART: usize = 1_000_000;

struct Search<'a, 'f> {
    graph: &'a Graph,
    found: &'f mut BTreeSet<Cycle>,
    budget: usize,
    steps: usize,
}

impl<'a> Search<'a, '_> {
    fn walk(&mut self, start: &str, allowed: &BTreeSet<&str>, path: &mut Vec<&'a str>) {
        let Some(&last) = path.last() else { return };
        let Some(edges) = self.graph.get(last) else {
            return;
        };
        for next in edges.keys() {
            if self.budget == 0 || self.steps == 0 {
                return;
            }
            self.steps -= 1;
            if next == start {
                self.found
                    .insert(path.iter().map(|file| file.to_string()).collect());
                self.budget -= 1;
            } else if allowed.contains(next.as_str()) && !path.contains(&next.as_str()) {
                path.push(next);
                self.walk(start, allowed, path);
                path.pop();
            }
        }
    }
}

/// Tarjan's algorithm; each part's files sorted.
fn strongly_connected(graph: &Graph) -> Vec<Vec<String>> {
    struct State<'a> {
        graph: &'a Graph,
        next_index: usize,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        parts: Vec<Vec<String>>,
    }

    fn visit<'a>(state: &mut State<'a>, node: &'a str) {
        state.index.insert(node, state.next_index);
        state.low.insert(node, state.next_index);
        state.next_index += 1;
        state.stack.push(node);
        state.on_stack.insert(node);
        if let Some(edges) = state.graph.get(node) {
            for next in edges.keys() {
                let next = next.as_str();
                if !state.index.contains_key(next) {
                    visit(state, next);
                    let low = state.low[node].min(state.low[next]);
                    state.low.insert(node, low);
                } else if state.on_stack.contains(next) {
                    let low = state.low[node].min(state.index[next]);
                    state.low.insert(node, low);
                }
            }
        }
        if state.low[node] == state.index[node] {
            let mut part = Vec::new();
            while let Some(member) = state.stack.pop() {
                state.on_stack.remove(member);
                part.push(member.to_string());
                if member == node {
                    break;
                }
            }
            part.sort();
            state.parts.push(part);
        }
    }

    let mut state = State {
        graph,
        next_index: 0,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        parts: Vec::new(),
    };
    for node in graph.keys() {
        if !state.index.contains_key(node.as_str()) {
            visit(&mut state, node);
        }
    }
    state.parts
}

/// `a.rs:12 -> b.rs:40 -> a.rs`: each file with the line of its first
/// reference to the next.
pub fn describe(graph: &Graph, cycle: &[String]) -> String {
    let mut text = String::new();
    for (position, file) in cycle.iter().enumerate() {
        let next = &cycle[(position + 1) % cycle.len()];
        let line = graph
            .get(file)
            .and_then(|edges| edges.get(next))
            .copied()
            .unwrap_or(0);
        text.push_str(&format!("{file}:{line} -> "));
    }
    text.push_str(&cycle[0]);
    text
}
