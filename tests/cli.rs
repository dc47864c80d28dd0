//! End-to-end tests of the `tglint` binary on `fixtures/workspaces/*`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn tglint() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tglint"))
}

fn workspace(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/workspaces")
        .join(name)
}

#[test]
fn render_all_prints_one_unit_per_line_in_path_order() {
    let ws = workspace("minimal");
    let out = tglint()
        .args(["render", "--all"])
        .arg(&ws)
        .arg("--root")
        .arg(&ws)
        .output()
        .expect("run tglint");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    let units: Vec<&str> = lines.iter().filter_map(|j| j["unit"].as_str()).collect();
    assert_eq!(units, ["live/prod/app", "live/prod/vpc"]);
    let app = &lines[0];
    assert_eq!(app["inputs"]["vpc_id"], "vpc-12345");
    assert_eq!(app["origins"]["inputs.vpc_id"]["mock"], true);
    assert!(
        app["inputs"]["commit"]["$unknown"]
            .as_str()
            .unwrap_or("")
            .contains("run_cmd")
    );
    let vpc = &lines[1];
    assert_eq!(
        vpc["remote_state"]["config"]["key"],
        "live/prod/vpc/terraform.tfstate"
    );
    assert_eq!(vpc["remote_state"]["config"]["bucket"], "acme-state-prod");
    assert_eq!(
        vpc["origins"]["remote_state.config.bucket"]["file"],
        "root.hcl"
    );
}

#[test]
fn render_one_unit_is_pretty_json() {
    let ws = workspace("minimal");
    let out = tglint()
        .arg("render")
        .arg(ws.join("live/prod/vpc"))
        .arg("--root")
        .arg(&ws)
        .output()
        .expect("run tglint");
    assert!(out.status.success());
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(j["unit"], "live/prod/vpc");
    assert_eq!(j["includes"][0]["path"], "root.hcl");
    assert_eq!(j["version"], 1);
}

#[test]
fn usage_errors_exit_2_with_a_message() {
    let out = tglint()
        .args(["render", "/definitely/not/here"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not exist"));
    let out = tglint().args(["render"]).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    let out = tglint()
        .args(["render", "--all", ".", "--set-env", "NOEQUALS"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("NAME=VALUE"));
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let ws = workspace("minimal");
    let mut child = tglint()
        .args(["render", "--all"])
        .arg(&ws)
        .arg("--root")
        .arg(&ws)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    // Close the reading end at once, as `| head -0` would.
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    assert!(
        out.status.success(),
        "{:?} {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn help_teaches() {
    let out = tglint().args(["render", "--help"]).output().expect("run");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("--all") && text.contains("--set-env") && text.contains("--root"));
}

#[test]
fn all_takes_its_directory_from_the_positional_argument_wherever_flags_stand() {
    let ws = workspace("minimal");
    for args in [
        vec!["render", "--all", "--set-env", "AWS_REGION=us-east-1", "."],
        vec!["render", ".", "--all"],
        vec!["render", "--all"],
    ] {
        let out = tglint().args(&args).current_dir(&ws).output().expect("run");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).lines().count(),
            2,
            "{args:?}"
        );
    }
}

/// A fresh directory under the system's temporary directory, removed on drop.
struct Temp(PathBuf);

impl Temp {
    fn new(tag: &str) -> Temp {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let p = std::env::temp_dir().join(format!(
            "tglint-cli-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).expect("create temp dir");
        Temp(std::fs::canonicalize(&p).expect("canonical"))
    }

    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let p = self.0.join(rel);
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d).expect("mkdir");
        }
        std::fs::write(&p, text).expect("write");
        p
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const CANARY: &str = "CANARY-cli-91d2";

fn json_lines(out: &std::process::Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}

/// The tree of the issue: a git repository whose units reach out through links.
#[cfg(unix)]
fn linked_repo() -> (Temp, Temp) {
    use std::os::unix::fs::symlink;
    let outside = Temp::new("outside");
    outside.write("canary.txt", CANARY);
    outside.write(
        "outside.hcl",
        &format!("locals {{ s = \"{CANARY}\" }}\ninputs = {{ s = \"{CANARY}\" }}\n"),
    );
    outside.write(
        "unit/terragrunt.hcl",
        &format!("inputs = {{ s = \"{CANARY}\" }}\n"),
    );
    let repo = Temp::new("repo");
    std::fs::create_dir(repo.0.join(".git")).expect("mkdir .git");
    repo.write(
        "u/terragrunt.hcl",
        "locals {\n  x = file(\"${get_terragrunt_dir()}/env.hcl\")\n}\ninputs = { x = local.x }\n",
    );
    symlink(outside.0.join("canary.txt"), repo.0.join("u/env.hcl")).expect("link");
    repo.write(
        "v/terragrunt.hcl",
        "include \"x\" {\n  path = \"out/outside.hcl\"\n}\nlocals {\n  c = read_terragrunt_config(\"out/outside.hcl\")\n}\n",
    );
    symlink(&outside.0, repo.0.join("v/out")).expect("link");
    std::fs::create_dir(repo.0.join("w")).expect("mkdir");
    symlink(
        outside.0.join("canary.txt"),
        repo.0.join("w/terragrunt.hcl"),
    )
    .expect("link");
    symlink(outside.0.join("unit"), repo.0.join("linked-unit")).expect("link");
    symlink("u", repo.0.join("also-u")).expect("link");
    (outside, repo)
}

#[cfg(unix)]
#[test]
fn render_all_never_prints_what_a_link_out_of_the_root_points_at() {
    let (_outside, repo) = linked_repo();
    let out = tglint()
        .args(["render", "--all", "."])
        .current_dir(&repo.0)
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stdout.contains(CANARY), "{stdout}");
    assert!(!stderr.contains(CANARY), "{stderr}");
    let lines = json_lines(&out);
    let units: Vec<&str> = lines.iter().filter_map(|j| j["unit"].as_str()).collect();
    assert_eq!(units, ["u", "v", "w"]);
    let u = &lines[0];
    assert!(u["inputs"]["x"]["$unknown"].is_string(), "{u}");
    assert!(
        u["diagnostics"]
            .as_array()
            .expect("array")
            .iter()
            .any(|d| d["message"]
                .as_str()
                .unwrap_or("")
                .contains("u/env.hcl is a symbolic link that resolves outside the scanned root")),
        "{u}"
    );
    let w = &lines[2];
    assert_eq!(w["diagnostics"][0]["rule"], "unsupported");
    // The last line: the tree's own problems, same diagnostic shape, no unit.
    let last = lines.last().expect("a last line");
    assert!(last.get("unit").is_none(), "{last}");
    assert_eq!(last["version"], 1);
    let msgs: Vec<&str> = last["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["message"].as_str().unwrap_or(""))
        .collect();
    assert!(
        msgs.contains(&"linked-unit is a symbolic link that resolves outside the scanned root; tglint never follows it"),
        "{msgs:?}"
    );
    assert!(
        msgs.contains(&"also-u is a symbolic link to the directory u; discovery does not follow directory links"),
        "{msgs:?}"
    );
    for d in last["diagnostics"].as_array().expect("array") {
        for k in [
            "rule",
            "severity",
            "message",
            "file",
            "line",
            "column",
            "end_line",
            "end_column",
            "related",
            "help",
        ] {
            assert!(d.get(k).is_some(), "{k} missing in {d}");
        }
    }
    // The stderr lines are kept.
    assert!(
        stderr.contains("linked-unit:1:1: info [unsupported]"),
        "{stderr}"
    );
}

#[cfg(unix)]
#[test]
fn follow_links_walks_directory_links_inside_the_root_only() {
    let (_outside, repo) = linked_repo();
    let out = tglint()
        .args(["render", "--all", ".", "--follow-links"])
        .current_dir(&repo.0)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains(CANARY));
    let lines = json_lines(&out);
    let units: Vec<&str> = lines.iter().filter_map(|j| j["unit"].as_str()).collect();
    assert_eq!(units, ["also-u", "u", "v", "w"]);
}

#[cfg(unix)]
#[test]
fn a_target_that_leads_out_of_the_root_is_a_usage_error() {
    let (_outside, repo) = linked_repo();
    for args in [
        vec!["render", "linked-unit"],
        vec!["render", "--all", "linked-unit"],
    ] {
        let out = tglint()
            .args(&args)
            .current_dir(&repo.0)
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr
                .contains("linked-unit is a symbolic link that resolves outside the scanned root"),
            "{stderr}"
        );
        assert!(out.stdout.is_empty());
    }
    // A unit whose file is a link out renders as a failed unit.
    let out = tglint()
        .args(["render", "w"])
        .current_dir(&repo.0)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(j["unit"], "w");
    assert!(!String::from_utf8_lossy(&out.stdout).contains(CANARY));
}

/// A link to another repository is content of this one, not a new root.
#[cfg(unix)]
#[test]
fn the_root_is_never_found_behind_a_link() {
    let (outside, repo) = linked_repo();
    std::fs::create_dir(outside.0.join(".git")).expect("mkdir");
    std::os::unix::fs::symlink(&outside.0, repo.0.join("live")).expect("link");
    let out = tglint()
        .args(["render", "--all", "live"])
        .current_dir(&repo.0)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("live is a symbolic link that resolves outside the scanned root"),
        "{stderr}"
    );
}

#[test]
fn workspaces_without_tree_problems_print_units_only() {
    let ws = workspace("minimal");
    let out = tglint()
        .args(["render", "--all"])
        .arg(&ws)
        .arg("--root")
        .arg(&ws)
        .output()
        .expect("run");
    assert!(out.status.success());
    assert!(json_lines(&out).iter().all(|j| j["unit"].is_string()));
}

/// A unit file that is not a regular file renders as a failed unit, never blocks.
#[cfg(unix)]
#[test]
fn render_a_unit_whose_file_is_a_socket() {
    let repo = Temp::new("socket");
    std::fs::create_dir(repo.0.join(".git")).expect("mkdir");
    std::fs::create_dir(repo.0.join("s")).expect("mkdir");
    let _l = std::os::unix::net::UnixListener::bind(repo.0.join("s/terragrunt.hcl")).expect("bind");
    let out = tglint()
        .args(["render", "s"])
        .current_dir(&repo.0)
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(j["diagnostics"][0]["rule"], "parse-error");
    assert_eq!(
        j["diagnostics"][0]["message"],
        "s/terragrunt.hcl: cannot read the file: is not a regular file (it is a socket)"
    );
}
