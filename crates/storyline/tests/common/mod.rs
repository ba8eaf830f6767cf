//! Shared helpers for the command-line tests: run the built binary with a data folder.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// The workspace root, so paths in outputs are relative and stable.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("workspace root")
}

/// Runs `storyline --data DATA ARGS...` in the workspace root.
pub fn storyline(data: &Path, args: &[&str]) -> Run {
    let output: Output = Command::new(env!("CARGO_BIN_EXE_storyline"))
        .current_dir(workspace())
        .arg("--data")
        .arg(data)
        .args(args)
        .output()
        .expect("runs storyline");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The `articles` list of a JSON output.
pub fn articles(json: &str) -> Vec<serde_json::Value> {
    let value: serde_json::Value = serde_json::from_str(json).expect("valid JSON output");
    value["articles"].as_array().expect("an articles list").clone()
}
