//! Tidy rules from ARCHITECTURE.md, checked on the source tree: pure crates stay pure, only the
//! store knows SQL, only the server and the web workspace know HTTP, `anyhow` only in the binary.

use std::path::{Path, PathBuf};

const PURE: &[&str] = &[
    "vigil-types",
    "vigil-core",
    "vigil-audit",
    "vigil-ident",
    "vigil-ads",
    "vigil-resolve",
    "vigil-graph",
];
const IO_CRATES: &[&str] = &["sqlx", "axum", "tokio", "hyper", "reqwest", "tower"];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn dependencies(krate: &str) -> Vec<String> {
    let text =
        std::fs::read_to_string(workspace().join("crates").join(krate).join("Cargo.toml")).unwrap();
    let manifest: toml::Value = toml::from_str(&text).unwrap();
    manifest
        .get("dependencies")
        .and_then(toml::Value::as_table)
        .map(|t| t.keys().cloned().collect())
        .unwrap_or_default()
}

fn rust_sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            rust_sources(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn pure_crates_stay_pure() {
    for krate in PURE {
        let bad: Vec<String> = dependencies(krate)
            .into_iter()
            .filter(|d| IO_CRATES.contains(&d.as_str()) || d == "anyhow")
            .collect();
        assert!(
            bad.is_empty(),
            "{krate} must stay pure but depends on {bad:?}"
        );
        let mut files = Vec::new();
        rust_sources(
            &workspace().join("crates").join(krate).join("src"),
            &mut files,
        );
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            for forbidden in [
                "std::fs::",
                "File::open",
                "File::create",
                "std::net::",
                "SystemTime::now",
            ] {
                // The single sanctioned wall-clock read is `SystemClock` in vigil-types.
                if forbidden == "SystemTime::now" && f.ends_with("vigil-types/src/time.rs") {
                    continue;
                }
                assert!(
                    !text.contains(forbidden),
                    "{} uses `{forbidden}`: pure crates take readers and values",
                    f.display()
                );
            }
        }
    }
}

#[test]
fn only_the_store_knows_sql_and_only_the_server_knows_http() {
    for entry in std::fs::read_dir(workspace().join("crates"))
        .unwrap()
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        let deps = dependencies(&name);
        if name != "vigil-store" {
            assert!(
                !deps.iter().any(|d| d == "sqlx"),
                "{name} must not depend on sqlx"
            );
        }
        // The HTTP edges: the API and the browser workspace that is its client.
        if name != "vigil-server" && name != "vigil-web" {
            assert!(
                !deps.iter().any(|d| d == "axum"),
                "{name} must not depend on axum"
            );
        }
        if name != "vigil-cli" {
            assert!(
                !deps.iter().any(|d| d == "anyhow"),
                "{name} must not depend on anyhow (typed errors in libraries)"
            );
        }
    }
}
