//! `vigil ads import` on a real data directory: ads land in a case once per content, bad lines
//! are named and skipped, and only a user the policy allows may import.

use crate::http::vigil;
use std::path::Path;

fn run(args: &[&str], data: &Path) -> (bool, String, String) {
    let out = vigil()
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn summary(stdout: &str) -> serde_json::Value {
    serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

/// A synthetic feed of `count` ads (seed `seed`) written into `dir` as `ads.jsonl`.
fn synth_feed(dir: &Path, count: u32, seed: u64) -> std::path::PathBuf {
    let feed = dir.join("ads.jsonl");
    let out = vigil()
        .args(["synth", "ads", "--count", &count.to_string()])
        .args(["--seed", &seed.to_string(), "--out"])
        .arg(&feed)
        .arg("--truth")
        .arg(dir.join("truth.jsonl"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    feed
}

#[test]
fn import_is_deduplicated_idempotent_and_reports_bad_lines() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let feed = synth_feed(dir.path(), 300, 5);
    // Four bad lines and one exact repeat of the first ad, in the middle of the feed.
    let mut text = std::fs::read_to_string(&feed).unwrap();
    let first = text.lines().next().unwrap().to_owned();
    text.push_str("{not json\n");
    text.push_str("{\"id\":\"x1\",\"posted_at\":\"last tuesday\",\"text\":\"hi\"}\n");
    text.push_str("{\"id\":\"x2\",\"url\":\"ftp://files.example/x\",\"text\":\"hi\"}\n");
    // A well-formed ad past the 1 MiB line limit: rejected, not held.
    let long = "call 480-555-0142 ".repeat(60_000);
    text.push_str(&format!("{{\"id\":\"x3\",\"text\":\"{long}\"}}\n"));
    text.push_str(&first);
    text.push('\n');
    std::fs::write(&feed, text).unwrap();

    for args in [
        &[
            "admin",
            "create-agency",
            "--name",
            "Mesa Verde PD",
            "--short-code",
            "MVPD",
            "--kind",
            "local_law_enforcement",
        ][..],
        &[
            "admin",
            "create-user",
            "--username",
            "j.rivera",
            "--display-name",
            "J. Rivera",
            "--role",
            "analyst",
            "--agency",
            "MVPD",
        ][..],
        &[
            "admin",
            "create-user",
            "--username",
            "p.admin",
            "--display-name",
            "P. Admin",
            "--role",
            "administrator",
            "--agency",
            "MVPD",
        ][..],
    ] {
        let (ok, out, err) = run(args, &data);
        assert!(ok, "{out}{err}");
    }
    let import = |user: &str, extra: &[&str]| {
        let mut args = vec![
            "ads",
            "import",
            feed.to_str().unwrap(),
            "--case",
            "ADS-1",
            "--agency",
            "MVPD",
            "--as",
            user,
        ];
        args.extend_from_slice(extra);
        run(&args, &data)
    };
    // No such case, and no --open-case: refused with the fix named.
    let (ok, _, err) = import("j.rivera", &[]);
    assert!(!ok && err.contains("--open-case"), "{err}");
    // An administrator may not open or work cases.
    let (ok, _, err) = import("p.admin", &["--open-case", "Escort ads"]);
    assert!(!ok && err.contains("may not open cases"), "{err}");

    let (ok, out, err) = import("j.rivera", &["--open-case", "Escort ads", "--batch", "64"]);
    assert!(ok, "{err}");
    let s = summary(&out);
    assert_eq!(s["read"], 305, "{s}");
    assert_eq!(s["rejected"], 4, "{s}");
    assert_eq!(s["duplicates"], 1, "{s}");
    assert_eq!(s["stored"], 300, "{s}");
    let feed_name = feed.display().to_string();
    assert!(
        err.contains(&format!("{feed_name}:304:json: longer than 1048576 bytes")),
        "{err}"
    );
    for (line, field) in [(301, "json"), (302, "posted_at"), (303, "url")] {
        assert!(
            err.contains(&format!("{feed_name}:{line}:{field}: ")),
            "{line}:{field} in {err}"
        );
    }
    assert!(err.contains("not evidence"), "{err}");

    // Re-import: the case already holds every ad.
    let (ok, out, err) = import("j.rivera", &[]);
    assert!(ok, "{err}");
    let s = summary(&out);
    assert_eq!(
        (s["stored"].as_u64(), s["duplicates"].as_u64()),
        (Some(0), Some(301)),
        "{s}"
    );

    // The trail is intact and holds the import events.
    let (ok, _, err) = run(&["audit", "verify"], &data);
    assert!(ok, "{err}");
    let (ok, out, err) = run(&["audit", "export"], &data);
    assert!(ok, "{err}");
    assert!(out.contains("ad.import"), "{out}");
    // Codes and counts only in the detail.
    assert!(out.contains("stored=64;duplicates=0"), "{out}");
}

/// `vigil ads cluster|score|circuits` name a line that is not UTF-8, one past the 1 MiB line
/// limit and one that is not JSON, skip them and go on with the rest of the feed.
#[test]
fn cluster_score_and_circuits_skip_bad_lines_and_go_on() {
    let dir = tempfile::tempdir().unwrap();
    let feed = synth_feed(dir.path(), 60, 3);
    let good = std::fs::read(&feed).unwrap();
    let mut bytes = Vec::new();
    let mut lines = good.split_inclusive(|&b| b == b'\n');
    for line in lines.by_ref().take(10) {
        bytes.extend_from_slice(line);
    }
    bytes.extend_from_slice(b"{\"id\":\"x1\",\"text\":\"caf\xe9 480-555-0142\"}\n");
    let long = "call 480-555-0142 ".repeat(60_000);
    bytes.extend_from_slice(format!("{{\"id\":\"x2\",\"text\":\"{long}\"}}\n").as_bytes());
    bytes.extend_from_slice(b"{not json\n");
    for line in lines {
        bytes.extend_from_slice(line);
    }
    std::fs::write(&feed, &bytes).unwrap();
    // Runs `vigil ads ARGS --input FEED`, which must succeed and name the three bad lines;
    // its standard output.
    let run_ads = |args: &[&str]| -> String {
        let out = vigil()
            .arg("ads")
            .args(args)
            .arg("--input")
            .arg(&feed)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{err}");
        for (line, what) in [
            (11, "not valid UTF-8 at byte 22"),
            (12, "longer than 1048576 bytes"),
            (13, ""),
        ] {
            let at = format!("{}: line {line}: skipped: {what}", feed.display());
            assert!(err.contains(&at), "{at} in {err}");
        }
        assert!(err.contains("bad lines 3"), "{err}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };

    let ops = dir.path().join("ops.jsonl");
    run_ads(&[
        "cluster",
        "--include-singletons",
        "--out",
        ops.to_str().unwrap(),
    ]);
    let clustered: usize = std::fs::read_to_string(&ops)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["size"]
                .as_u64()
                .unwrap() as usize
        })
        .sum();
    assert_eq!(clustered, 60);
    assert_eq!(run_ads(&["score"]).lines().count(), 60);
    run_ads(&["circuits"]);
}
