//! The dependency graph of a tree: units as nodes, enabled `dependency` blocks that
//! resolve to a unit of the tree as edges. Loading reports its cycles; the
//! `dependency-graph` rule and `tglint graph` read its edges and order.

use crate::unit::Unit;
use std::collections::BTreeMap;
use tglint_hcl::Span;

/// One edge: `from` depends on `to`, through the `dependency` block at `span`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub span: Span,
}

/// Nodes are indices into the unit list the graph was built from.
#[derive(Clone, Debug, Default)]
pub struct Graph {
    /// Out-edges per node, in the order of the unit's dependency blocks.
    out: Vec<Vec<Edge>>,
}

/// A cycle: the nodes in order, the first repeated at the end, and the edge that closes
/// it (its `from` is the node that reports it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cycle {
    pub nodes: Vec<usize>,
    pub closing: Edge,
}

impl Graph {
    /// The graph of `units` (sorted by directory, as a tree holds them).
    pub fn of(units: &[Unit]) -> Graph {
        let index: BTreeMap<&str, usize> = units
            .iter()
            .enumerate()
            .map(|(i, u)| (u.dir.as_str(), i))
            .collect();
        let out = units
            .iter()
            .enumerate()
            .map(|(from, u)| {
                u.dependencies
                    .iter()
                    .filter(|d| d.enabled)
                    .filter_map(|d| {
                        let to = *index.get(d.target_unit.as_deref()?)?;
                        Some(Edge {
                            from,
                            to,
                            span: d.span,
                        })
                    })
                    .collect()
            })
            .collect();
        Graph { out }
    }

    /// A graph with `n` nodes and the given edges (tests, other front ends).
    pub fn from_edges(n: usize, edges: impl IntoIterator<Item = Edge>) -> Graph {
        let mut out = vec![Vec::new(); n];
        for e in edges {
            if let Some(v) = out.get_mut(e.from) {
                v.push(e);
            }
        }
        Graph { out }
    }

    pub fn len(&self) -> usize {
        self.out.len()
    }

    pub fn is_empty(&self) -> bool {
        self.out.is_empty()
    }

    /// The out-edges of `node`.
    pub fn edges(&self, node: usize) -> &[Edge] {
        self.out.get(node).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Every edge, by source node.
    pub fn all_edges(&self) -> impl Iterator<Item = &Edge> {
        self.out.iter().flatten()
    }

    /// Every cycle a depth-first search meets (each back edge closes one), in a stable
    /// order. Iterative: deep graphs cannot overflow the stack.
    pub fn cycles(&self) -> Vec<Cycle> {
        let n = self.out.len();
        // 0 unvisited, 1 on the current path, 2 done.
        let mut colour = vec![0u8; n];
        let mut found = Vec::new();
        for start in 0..n {
            if colour[start] != 0 {
                continue;
            }
            let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
            let mut path: Vec<usize> = vec![start];
            colour[start] = 1;
            while let Some((node, next)) = stack.last().copied() {
                let Some(edge) = self.out[node].get(next).copied() else {
                    colour[node] = 2;
                    stack.pop();
                    path.pop();
                    continue;
                };
                if let Some(top) = stack.last_mut() {
                    top.1 += 1;
                }
                match colour[edge.to] {
                    0 => {
                        colour[edge.to] = 1;
                        stack.push((edge.to, 0));
                        path.push(edge.to);
                    }
                    1 => {
                        if let Some(pos) = path.iter().position(|p| *p == edge.to) {
                            let mut nodes = path[pos..].to_vec();
                            nodes.push(edge.to);
                            found.push(Cycle {
                                nodes,
                                closing: edge,
                            });
                        }
                    }
                    _ => {}
                }
            }
        }
        found
    }

    /// The nodes with every dependency before its dependents (Kahn's algorithm, ties by
    /// index), or `None` when there is a cycle.
    pub fn topological_order(&self) -> Option<Vec<usize>> {
        let n = self.out.len();
        // Edges point from dependent to dependency: a node is ready when all its
        // dependencies are placed.
        let mut missing: Vec<usize> = self.out.iter().map(Vec::len).collect();
        let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); n];
        for e in self.all_edges() {
            dependents[e.to].push(e.from);
        }
        let mut ready: std::collections::BTreeSet<usize> =
            (0..n).filter(|i| missing[*i] == 0).collect();
        let mut order = Vec::with_capacity(n);
        while let Some(node) = ready.pop_first() {
            order.push(node);
            for &d in &dependents[node] {
                missing[d] -= 1;
                if missing[d] == 0 {
                    ready.insert(d);
                }
            }
        }
        (order.len() == n).then_some(order)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edge(from: usize, to: usize) -> Edge {
        Edge {
            from,
            to,
            span: Span::default(),
        }
    }

    #[test]
    fn cycles_and_order() {
        // 0 -> 1 -> 2 -> 0, and 3 -> 2.
        let g = Graph::from_edges(4, [edge(0, 1), edge(1, 2), edge(2, 0), edge(3, 2)]);
        let c = g.cycles();
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].nodes, vec![0, 1, 2, 0]);
        assert_eq!(c[0].closing.from, 2);
        assert_eq!(g.topological_order(), None);

        // 0 -> 1 -> 2, 3 -> 2: dependencies first.
        let g = Graph::from_edges(4, [edge(0, 1), edge(1, 2), edge(3, 2)]);
        assert!(g.cycles().is_empty());
        assert_eq!(g.topological_order(), Some(vec![2, 1, 0, 3]));
    }

    #[test]
    fn a_long_chain_does_not_overflow() {
        let n = 200_000;
        let g = Graph::from_edges(n, (0..n - 1).map(|i| edge(i, i + 1)));
        assert!(g.cycles().is_empty());
        assert_eq!(g.topological_order().map(|o| o[0]), Some(n - 1));
    }
}
