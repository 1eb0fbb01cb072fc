//! vendor/tera is tera 1.20.1 as published plus `vendor/tera/qili.patch`, nothing else: the
//! fork carries only the changes its patch shows (and offers upstream), so moving to a newer
//! tera is "apply the patch or drop it". qili keeps it because it saves 7–10% of the CPU of a
//! 10,000-page build (README, 依赖).

use crate::common::{self, repo};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const VERSION: &str = "1.20.1";
/// qili's own files in the folder: what was changed and why, the patch itself, and the crate's
/// formatting rules (tera's repository has them; the published crate does not), so that
/// `cargo fmt --all` leaves the vendored code in tera's style.
const OURS: [&str; 3] = ["QILI.md", "qili.patch", "rustfmt.toml"];
/// Files cargo adds to a downloaded crate, or that a path dependency does not use.
const CARGOS: [&str; 2] = [".cargo-ok", "Cargo.lock"];

/// The published crate's folder, as cargo downloads it for a throwaway project depending on it.
fn published(work: &Path) -> PathBuf {
    std::fs::create_dir_all(work.join("src")).unwrap();
    std::fs::write(work.join("src/lib.rs"), "").unwrap();
    std::fs::write(
        work.join("Cargo.toml"),
        format!(
            "[package]\nname = \"upstream\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n\
             [dependencies]\ntera = \"={VERSION}\"\n"
        ),
    )
    .unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.args(["metadata", "--format-version", "1", "--manifest-path"])
        .arg(work.join("Cargo.toml"));
    let out = common::output_within(&mut cmd, common::HANG);
    assert!(
        out.status.success(),
        "cargo metadata: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let manifest = meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "tera" && p["version"] == VERSION)
        .and_then(|p| p["manifest_path"].as_str())
        .expect("tera in the metadata");
    Path::new(manifest).parent().unwrap().to_path_buf()
}

/// Every file under `dir` but those named in `skip`, by relative path.
fn files(dir: &Path, skip: &[&str]) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, e.into_path())
        })
        .filter(|(rel, _)| !skip.contains(&rel.as_str()))
        .map(|(rel, path)| (rel, std::fs::read(path).unwrap()))
        .collect()
}

#[test]
fn vendored_tera_is_the_published_crate_plus_its_patch() {
    let work = tempfile::tempdir().unwrap();
    let patched = work.path().join("patched");
    common::copy_dir(&published(&work.path().join("project")), &patched);
    let patch = repo().join("vendor/tera/qili.patch");
    let out = Command::new("git")
        .args(["apply", "-p1"])
        .arg(&patch)
        .current_dir(&patched)
        .output()
        .expect("git");
    assert!(
        out.status.success(),
        "vendor/tera/qili.patch does not apply to tera {VERSION}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let want = files(&patched, &CARGOS);
    let got = files(&repo().join("vendor/tera"), &OURS);
    let names = |m: &BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&got), names(&want), "files of vendor/tera");
    for (name, bytes) in &got {
        if bytes != &want[name] {
            panic!(
                "vendor/tera/{name} differs from tera {VERSION} + qili.patch \
                 (update the patch: see vendor/tera/QILI.md):\n{}",
                common::snapshot::diff(
                    &String::from_utf8_lossy(&want[name]),
                    &String::from_utf8_lossy(bytes)
                )
            );
        }
    }
}
