//! `tglint render --format hcl`: every model fixture's units print as HCL that parses
//! again (with and without origins), the output is deterministic, and one fixture is
//! snapshotted.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;
use tglint_model::hcl::{FileId, parse_body};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/model")
}

fn render(dir: &Path, extra: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_tglint"))
        .args(["render", "--all"])
        .arg(dir)
        .arg("--root")
        .arg(dir)
        .args(["--format", "hcl"])
        .args(extra)
        .output()
        .expect("run tglint");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn every_fixture_renders_as_hcl_that_parses_again() {
    let mut cases = 0;
    for entry in std::fs::read_dir(fixtures()).unwrap() {
        let dir = std::fs::canonicalize(entry.unwrap().path()).unwrap();
        for extra in [&[][..], &["--with-origins"][..]] {
            let text = render(&dir, extra);
            assert!(text.contains("# unit: "), "{}: {text}", dir.display());
            // Each unit is one HCL document; --all prints them one after the other.
            let starts: Vec<usize> = text.match_indices("# unit: ").map(|(i, _)| i).collect();
            for (n, start) in starts.iter().enumerate() {
                let doc = &text[*start..starts.get(n + 1).copied().unwrap_or(text.len())];
                if let Err(e) = parse_body(FileId(0), doc) {
                    panic!("{} {extra:?}: {e:?}\n{doc}", dir.display());
                }
            }
            assert_eq!(text, render(&dir, extra), "deterministic");
            // Structural paths are relative (values computed by Terragrunt's functions
            // stay absolute, as in the JSON view).
            assert!(
                !text.contains(&format!("# file: {}", dir.display())),
                "relative file"
            );
        }
        cases += 1;
    }
    assert!(cases >= 10);
}

#[test]
fn unknowns_and_origins_are_comments() {
    let dir = std::fs::canonicalize(fixtures().join("exclude-errors-engine")).unwrap();
    let text = render(&dir, &["--with-origins"]);
    assert!(
        text.contains("  if = null # unknown: get_env: SKIP is not set"),
        "{text}"
    );
    assert!(
        text.contains("    max_attempts = 3 # origin: root.hcl:13\n"),
        "{text}"
    );
    insta::assert_snapshot!(text.replace(&dir.display().to_string(), "<ROOT>"));
}
