//! `tglint graph`: the units under the paths and their dependencies, clustered by
//! environment and region, as Graphviz `dot`, Mermaid (for GitHub Markdown) or JSON. Edges
//! are judged by the `dependency-graph` rule's own classification
//! (`tglint_rules::rules::dependency_graph::edges`): what the rule reports is drawn red.

use crate::check::{self, CheckArgs};
use crate::report;
use crate::{CommonArgs, EXIT_USAGE, find_root, options};
use clap::Args;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use tglint_model::fs::{Fs, Kind};
use tglint_model::load;
use tglint_model::unit::Unit;
use tglint_rules::engine;
use tglint_rules::rules::dependency_graph::{self, Target, layer};

/// `tglint graph`'s arguments.
#[derive(Args, Debug)]
pub struct GraphArgs {
    /// Directories whose units to draw, or unit files (default: the current directory).
    #[arg(value_name = "PATHS")]
    paths: Vec<PathBuf>,

    /// `dot` (Graphviz), `mermaid` (renders in GitHub Markdown inside a ```mermaid block)
    /// or `json` (nodes and edges with their verdicts).
    #[arg(long, value_parser = ["dot", "mermaid", "json"], default_value = "dot")]
    format: String,

    /// The policy file (default: .tglint.hcl at the root, if any): how units are
    /// classified into environments and regions, and which are excluded.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,

    #[command(flatten)]
    common: CommonArgs,
}

/// Loads and classifies the units as `check` does, and prints their graph.
pub fn graph_cmd(args: GraphArgs) -> Result<u8, String> {
    let opts = options(&args.common)?;
    let fs: Arc<dyn Fs> = tglint_model::fs::disk();
    let paths = crate::paths_or_cwd(&args.paths)?;
    let root = find_root(&*fs, args.common.root.as_deref(), &paths[0])?;
    for p in &paths {
        match fs.kind(p) {
            None => return Err(format!("{} does not exist", p.display())),
            Some(Kind::Dir) => {}
            Some(_)
                if p.file_name()
                    .is_some_and(|n| n == "terragrunt.hcl" || n == "terragrunt.hcl.json") => {}
            Some(_) => {
                return Err(format!(
                    "{} is not a directory or a unit's terragrunt.hcl; graph draws units",
                    p.display()
                ));
            }
        }
    }
    let mut selection = check::select(&fs, &root, &paths, &opts)?;
    // A named unit file draws that unit (select loads the whole tree for changed files).
    if selection.changed {
        let (files, dirs) = (&selection.files, &selection.dirs);
        let keep = |u: &PathBuf| files.contains(u) || dirs.iter().any(|d| u.starts_with(d));
        selection.units.retain(keep);
        selection.found.units.retain(keep);
    }
    let mut tree = load::load_units(fs.clone(), &root, opts, &selection.units, selection.found);
    // Only the policy file of check's arguments matters to load_policy.
    let mut policy_args = CheckArgs::default();
    policy_args.config = args.config.clone();
    let policy = match check::load_policy(&tree.cache, &*fs, &root, &policy_args)? {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    let (_, errors) = engine::classify_units(&mut tree.units, &policy);
    if !errors.is_empty() {
        for d in &errors {
            eprintln!("{}", report::text::line(&tree.cache, d));
        }
        eprintln!(
            "tglint: the policy has {} error(s); nothing was drawn",
            errors.len()
        );
        return Ok(EXIT_USAGE);
    }
    let units: Vec<&Unit> = tree
        .units
        .iter()
        .filter(|u| !policy.excluded(&u.dir))
        .collect();
    let graph = Graph::new(&units, &dependency_graph::edges(&units, &policy));
    let text = match args.format.as_str() {
        "mermaid" => graph.mermaid(),
        "json" => {
            let mut s = serde_json::to_string_pretty(&graph.json())
                .map_err(|e| format!("cannot write output: {e}"))?;
            s.push('\n');
            s
        }
        _ => graph.dot(),
    };
    crate::print_all(&text)
}

/// A unit, where it is drawn.
struct Node {
    dir: String,
    environment: Option<String>,
    kind: Option<String>,
    region: Option<String>,
    layer: Option<String>,
    /// Its label inside its cluster (the path below what the cluster's units share).
    label: String,
}

/// What an edge leads to.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum To {
    /// A unit drawn (index into the nodes).
    Node(usize),
    /// A unit of the tree the policy excludes (its directory).
    Excluded(String),
    /// No unit: where it leads.
    Missing(String),
    /// Unknown: the key of its placeholder (one per edge) and the reason.
    Unknown(String, String),
}

struct Edge {
    from: usize,
    to: To,
    name: String,
    verdict: &'static str,
    /// Drawn red: the rule reports it.
    bad: bool,
}

/// The environments (by name; `None`: the units without one, drawn outside any cluster),
/// each with its regions (`None`: the units without one, drawn in the environment's
/// cluster), each with its nodes.
type Clusters = BTreeMap<Option<String>, BTreeMap<Option<String>, Vec<usize>>>;

struct Graph {
    nodes: Vec<Node>,
    edges: Vec<Edge>,
    clusters: Clusters,
}

/// The verdict of an edge, as the JSON names it.
fn verdict(t: &Target) -> &'static str {
    match t {
        Target::Unit {
            upward,
            cross_environment,
            ..
        } => match (upward.is_some(), cross_environment.is_some()) {
            (false, false) => "ok",
            (true, false) => "upward",
            (false, true) => "cross-environment",
            (true, true) => "upward+cross-environment",
        },
        Target::Missing { .. } => "missing",
        Target::Unknown { .. } => "unknown",
    }
}

/// How many leading segments of a node's directory its clusters already say: through the
/// last segment named as its region (else as its environment), when one is and it is not
/// the unit's own directory name.
fn named_segment(n: &Node) -> Option<usize> {
    let segs: Vec<&str> = n.dir.split('/').collect();
    let at = |name: &Option<String>| {
        name.as_deref()
            .and_then(|name| segs.iter().rposition(|s| *s == name))
    };
    at(&n.region)
        .or_else(|| at(&n.environment))
        .filter(|&i| i + 1 < segs.len())
        .map(|i| i + 1)
}

/// `dir` less the first `n` segments.
fn below(dir: &str, n: usize) -> String {
    dir.split('/').skip(n).collect::<Vec<_>>().join("/")
}

impl Graph {
    fn new(units: &[&Unit], edges: &[dependency_graph::Edge<'_>]) -> Graph {
        let mut nodes: Vec<Node> = units
            .iter()
            .map(|u| Node {
                dir: u.dir.clone(),
                environment: u.environment.as_ref().map(|e| e.name.clone()),
                kind: u.environment.as_ref().and_then(|e| e.kind.clone()),
                region: u.region.as_ref().map(|r| r.name.clone()),
                layer: layer(&u.dir).map(|(_, s)| s.to_string()),
                label: u.dir.clone(),
            })
            .collect();
        let index: BTreeMap<&str, usize> = units
            .iter()
            .enumerate()
            .map(|(i, u)| (u.dir.as_str(), i))
            .collect();
        let mut clusters = Clusters::new();
        for (i, n) in nodes.iter().enumerate() {
            clusters
                .entry(n.environment.clone())
                .or_default()
                .entry(n.region.clone())
                .or_default()
                .push(i);
        }
        // Inside a cluster, a unit is labelled by its path below what the cluster's units
        // share (at least its last segment).
        for (env, regions) in &clusters {
            if env.is_none() {
                continue;
            }
            for members in regions.values() {
                let split: Vec<Vec<&str>> = members
                    .iter()
                    .map(|&i| nodes[i].dir.split('/').collect())
                    .collect();
                let shortest = split.iter().map(Vec::len).min().unwrap_or(0);
                let mut common = 0;
                while common + 1 < shortest && split.iter().all(|s| s[common] == split[0][common]) {
                    common += 1;
                }
                for &i in members {
                    nodes[i].label = match named_segment(&nodes[i]) {
                        Some(n) => below(&nodes[i].dir, n),
                        None => below(&nodes[i].dir, common),
                    };
                }
            }
        }
        let edges = edges
            .iter()
            .filter_map(|e| {
                let from = *index.get(e.from.dir.as_str())?;
                let to = match &e.target {
                    Target::Unit { dir, .. } => match index.get(dir.as_str()) {
                        Some(&t) => To::Node(t),
                        None => To::Excluded(dir.clone()),
                    },
                    Target::Missing { shown } => To::Missing(shown.clone()),
                    Target::Unknown { reason, .. } => {
                        To::Unknown(format!("{}:{}", e.from.dir, e.name), reason.clone())
                    }
                };
                Some(Edge {
                    from,
                    to,
                    name: e.name.clone(),
                    verdict: verdict(&e.target),
                    bad: e.target.is_violation(),
                })
            })
            .collect();
        Graph {
            nodes,
            edges,
            clusters,
        }
    }

    /// The placeholders edges lead to that are not units drawn, sorted, once each.
    fn placeholders(&self) -> BTreeSet<&To> {
        self.edges
            .iter()
            .map(|e| &e.to)
            .filter(|t| !matches!(t, To::Node(_)))
            .collect()
    }

    fn summary(&self) -> String {
        let bad = self.edges.iter().filter(|e| e.bad).count();
        format!(
            "tglint graph: {} unit(s), {} dependenc{}; {bad} drawn red (they break the layer order, cross environments or lead to no unit: the dependency-graph rule's findings)",
            self.nodes.len(),
            self.edges.len(),
            if self.edges.len() == 1 { "y" } else { "ies" },
        )
    }

    /// An environment cluster's title: its name, with its kind when that differs.
    fn env_title(&self, env: &str, members: &BTreeMap<Option<String>, Vec<usize>>) -> String {
        let kind = members
            .values()
            .flatten()
            .next()
            .and_then(|&i| self.nodes[i].kind.clone());
        match kind {
            Some(k) if k == env => env.to_string(),
            Some(k) => format!("{env} ({k})"),
            None => format!("{env} (unclassified)"),
        }
    }

    fn dot(&self) -> String {
        let mut s = String::new();
        s.push_str(&format!("// {}\n", self.summary()));
        s.push_str("digraph \"tglint\" {\n");
        s.push_str("  node [shape=box];\n");
        for (env, regions) in &self.clusters {
            let Some(env) = env else {
                for members in regions.values() {
                    for &i in members {
                        s.push_str(&format!("  {};\n", self.dot_node(i)));
                    }
                }
                continue;
            };
            s.push_str(&format!(
                "  subgraph {} {{\n    label={};\n",
                dq(&format!("cluster_{env}")),
                dq(&self.env_title(env, regions))
            ));
            for (region, members) in regions {
                let indent = match region {
                    Some(r) => {
                        s.push_str(&format!(
                            "    subgraph {} {{\n      label={};\n",
                            dq(&format!("cluster_{env}/{r}")),
                            dq(r)
                        ));
                        "      "
                    }
                    None => "    ",
                };
                for &i in members {
                    s.push_str(&format!("{indent}{};\n", self.dot_node(i)));
                }
                if region.is_some() {
                    s.push_str("    }\n");
                }
            }
            s.push_str("  }\n");
        }
        for p in self.placeholders() {
            let (id, label, style) = match p {
                To::Node(_) => continue,
                To::Excluded(dir) => (
                    dir.clone(),
                    format!("{}\\n(excluded by the policy)", dot_escape(dir)),
                    "style=dotted",
                ),
                To::Missing(shown) => (
                    format!("missing:{shown}"),
                    format!("{}\\n(not a unit)", dot_escape(shown)),
                    "style=dashed, color=red, fontcolor=red",
                ),
                To::Unknown(key, reason) => {
                    s.push_str(&format!(
                        "  {} [label=\"(unknown)\", tooltip={}, shape=plaintext];\n",
                        dq(&format!("unknown:{key}")),
                        dq(reason)
                    ));
                    continue;
                }
            };
            s.push_str(&format!("  {} [label=\"{label}\", {style}];\n", dq(&id)));
        }
        for e in &self.edges {
            let to = match &e.to {
                To::Node(i) => self.nodes[*i].dir.clone(),
                To::Excluded(dir) => dir.clone(),
                To::Missing(shown) => format!("missing:{shown}"),
                To::Unknown(key, _) => format!("unknown:{key}"),
            };
            let mut attrs = vec![format!("label={}", dq(&e.name))];
            match &e.to {
                To::Missing(_) => attrs.push("style=dashed".into()),
                To::Unknown(..) => attrs.push("style=dashed, color=gray".into()),
                _ => {}
            }
            if e.bad {
                attrs.push("color=red, fontcolor=red".into());
            }
            s.push_str(&format!(
                "  {} -> {} [{}];\n",
                dq(&self.nodes[e.from].dir),
                dq(&to),
                attrs.join(", ")
            ));
        }
        s.push_str("}\n");
        s
    }

    fn dot_node(&self, i: usize) -> String {
        let n = &self.nodes[i];
        format!("{} [label={}]", dq(&n.dir), dq(&n.label))
    }

    fn mermaid(&self) -> String {
        let mut ids = MermaidIds::default();
        let node_ids: Vec<String> = self.nodes.iter().map(|n| ids.make("u", &n.dir)).collect();
        let mut s = String::new();
        s.push_str(&format!("%% {}\n", self.summary()));
        s.push_str("flowchart TB\n");
        for (env, regions) in &self.clusters {
            let Some(env) = env else {
                for members in regions.values() {
                    for &i in members {
                        s.push_str(&format!(
                            "  {}[\"{}\"]\n",
                            node_ids[i],
                            mq(&self.nodes[i].label)
                        ));
                    }
                }
                continue;
            };
            s.push_str(&format!(
                "  subgraph {} [\"{}\"]\n",
                ids.make("env", env),
                mq(&self.env_title(env, regions))
            ));
            for (region, members) in regions {
                let indent = match region {
                    Some(r) => {
                        s.push_str(&format!(
                            "    subgraph {} [\"{}\"]\n",
                            ids.make("region", &format!("{env}/{r}")),
                            mq(r)
                        ));
                        "      "
                    }
                    None => "    ",
                };
                for &i in members {
                    s.push_str(&format!(
                        "{indent}{}[\"{}\"]\n",
                        node_ids[i],
                        mq(&self.nodes[i].label)
                    ));
                }
                if region.is_some() {
                    s.push_str("    end\n");
                }
            }
            s.push_str("  end\n");
        }
        let mut placeholder_ids: BTreeMap<&To, String> = BTreeMap::new();
        for p in self.placeholders() {
            let (id, line) = match p {
                To::Node(_) => continue,
                To::Excluded(dir) => {
                    let id = ids.make("u", dir);
                    let line = format!("  {id}[\"{}<br/>(excluded by the policy)\"]\n", mq(dir));
                    (id, line)
                }
                To::Missing(shown) => {
                    let id = ids.make("missing", shown);
                    let line = format!("  {id}[\"{}<br/>(not a unit)\"]\n", mq(shown));
                    (id, line)
                }
                To::Unknown(key, _) => {
                    let id = ids.make("unknown", key);
                    let line = format!("  {id}((\"?\"))\n");
                    (id, line)
                }
            };
            s.push_str(&line);
            placeholder_ids.insert(p, id);
        }
        let mut red = Vec::new();
        let mut dashed_nodes = Vec::new();
        for (n, e) in self.edges.iter().enumerate() {
            let to = match &e.to {
                To::Node(i) => node_ids[*i].clone(),
                other => placeholder_ids.get(other).cloned().unwrap_or_default(),
            };
            let arrow = match &e.to {
                To::Missing(_) | To::Unknown(..) => "-.->",
                _ => "-->",
            };
            s.push_str(&format!(
                "  {} {arrow}|\"{}\"| {to}\n",
                node_ids[e.from],
                mq(&e.name)
            ));
            if e.bad {
                red.push(n.to_string());
            }
            if matches!(e.to, To::Missing(_)) && !dashed_nodes.contains(&to) {
                dashed_nodes.push(to);
            }
        }
        if !red.is_empty() {
            s.push_str(&format!(
                "  linkStyle {} stroke:red,color:red\n",
                red.join(",")
            ));
        }
        if !dashed_nodes.is_empty() {
            s.push_str("  classDef missing stroke:red,stroke-dasharray:5 5,color:red\n");
            s.push_str(&format!("  class {} missing\n", dashed_nodes.join(",")));
        }
        s
    }

    fn json(&self) -> serde_json::Value {
        let nodes: Vec<serde_json::Value> = self
            .nodes
            .iter()
            .map(|n| {
                json!({
                    "id": n.dir,
                    "environment": n.environment,
                    "kind": n.kind,
                    "region": n.region,
                    "layer": n.layer,
                })
            })
            .collect();
        let edges: Vec<serde_json::Value> = self
            .edges
            .iter()
            .map(|e| {
                let to = match &e.to {
                    To::Node(i) => Some(self.nodes[*i].dir.clone()),
                    To::Excluded(d) | To::Missing(d) => Some(d.clone()),
                    To::Unknown(..) => None,
                };
                json!({
                    "from": self.nodes[e.from].dir,
                    "to": to,
                    "name": e.name,
                    "verdict": e.verdict,
                })
            })
            .collect();
        json!({ "version": 1, "nodes": nodes, "edges": edges })
    }
}

/// A quoted dot id or string.
fn dq(s: &str) -> String {
    format!("\"{}\"", dot_escape(s))
}

fn dot_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Text inside a quoted Mermaid label: its entity codes for what would end or change it.
fn mq(s: &str) -> String {
    s.replace('#', "#35;")
        .replace('"', "#quot;")
        .replace('<', "#lt;")
        .replace('>', "#gt;")
}

/// Mermaid ids made from paths: letters, digits and `_` only, with a prefix (so no id is
/// a keyword such as `end`), unique.
#[derive(Default)]
struct MermaidIds {
    taken: HashSet<String>,
}

impl MermaidIds {
    fn make(&mut self, prefix: &str, text: &str) -> String {
        let base: String = format!("{prefix}_{text}")
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        let mut id = base.clone();
        let mut n = 2;
        while !self.taken.insert(id.clone()) {
            id = format!("{base}_{n}");
            n += 1;
        }
        id
    }
}
