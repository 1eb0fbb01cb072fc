//! Each crate in vendor/ is the published crate plus its `qili.patch`, nothing else: a fork
//! carries only the changes its patch shows (and offers upstream), so moving to a newer version
//! is "apply the patch or drop it". Why each is kept is in its QILI.md: tera saves 7–10% of the
//! CPU of a 10,000-page build; tiny_http bounds what one client can take of `qili serve`, which
//! the published crate cannot.

use crate::common::{self, repo};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// qili's own files in a vendored folder: what was changed and why, the patch itself, and the
/// crate's formatting rules (tera's repository has them; the published crate does not), so that
/// `cargo fmt --all` leaves the vendored code in the crate's style.
const OURS: [&str; 3] = ["QILI.md", "qili.patch", "rustfmt.toml"];
/// Files cargo adds to a downloaded crate, or that a path dependency does not use.
const CARGOS: [&str; 2] = [".cargo-ok", "Cargo.lock"];

/// The published crate's folder, as cargo downloads it for a throwaway project depending on it.
fn published(work: &Path, name: &str, version: &str) -> PathBuf {
    std::fs::create_dir_all(work.join("src")).unwrap();
    std::fs::write(work.join("src/lib.rs"), "").unwrap();
    std::fs::write(
        work.join("Cargo.toml"),
        format!(
            "[package]\nname = \"upstream\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n\
             [dependencies]\n{name} = \"={version}\"\n"
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
        .find(|p| p["name"] == name && p["version"] == version)
        .and_then(|p| p["manifest_path"].as_str())
        .unwrap_or_else(|| panic!("{name} {version} in the metadata"));
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

/// Fails unless vendor/`folder` is `name` `version` as published with its qili.patch applied.
/// Files of the published crate that the folder leaves out (examples, tests, READMEs) may stay
/// out; every file the folder has must be the patched published one.
fn check(folder: &str, name: &str, version: &str) {
    let work = tempfile::tempdir().unwrap();
    let patched = work.path().join("patched");
    common::copy_dir(
        &published(&work.path().join("project"), name, version),
        &patched,
    );
    let vendored = repo().join("vendor").join(folder);
    let out = Command::new("git")
        .args(["apply", "-p1"])
        .arg(vendored.join("qili.patch"))
        .current_dir(&patched)
        .output()
        .expect("git");
    assert!(
        out.status.success(),
        "vendor/{folder}/qili.patch does not apply to {name} {version}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let want = files(&patched, &CARGOS);
    for (file, bytes) in files(&vendored, &OURS) {
        let Some(published) = want.get(&file) else {
            panic!("vendor/{folder}/{file} is not in {name} {version}");
        };
        if &bytes != published {
            panic!(
                "vendor/{folder}/{file} differs from {name} {version} + qili.patch \
                 (update the patch: see vendor/{folder}/QILI.md):\n{}",
                common::snapshot::diff(
                    &String::from_utf8_lossy(published),
                    &String::from_utf8_lossy(&bytes)
                )
            );
        }
    }
}

#[test]
fn vendored_tera_is_the_published_crate_plus_its_patch() {
    check("tera", "tera", "1.20.1");
}

#[test]
fn vendored_tiny_http_is_the_published_crate_plus_its_patch() {
    check("tiny_http", "tiny_http", "0.12.0");
}
