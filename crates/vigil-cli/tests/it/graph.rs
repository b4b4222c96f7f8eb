//! `vigil graph metrics` as a process: `--only closeness` computes closeness and harmonic without
//! betweenness and gives the sweep's values; the hidden `--repeat` times a step several times;
//! bad rows are reported with their line and skipped, and the rest of the file is used.

use crate::http::vigil;
use std::path::Path;

fn run(args: &[&str]) -> String {
    let out = vigil().args(args).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "vigil {args:?}: {err}");
    err
}

/// The metrics CSV as (node, betweenness, closeness, harmonic) rows.
fn path_columns(csv: &Path) -> Vec<(String, String, String, String)> {
    let text = std::fs::read_to_string(csv).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (b, c, h) = (col("betweenness"), col("closeness"), col("harmonic"));
    lines
        .map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            (f[0].into(), f[b].into(), f[c].into(), f[h].into())
        })
        .collect()
}

#[test]
fn closeness_alone_gives_the_sweeps_values_exact_and_sampled() {
    let dir = tempfile::tempdir().unwrap();
    let edges = dir.path().join("edges.csv");
    let edges_arg = edges.to_str().unwrap();
    run(&[
        "synth", "graph", "--edges", "3000", "--seed", "3", "--out", edges_arg,
    ]);
    for (sampling, word) in [
        (&[][..], "exact"),
        (
            &["--exact-max-nodes", "100", "--samples", "64"][..],
            "ESTIMATES",
        ),
    ] {
        let mut outputs = Vec::new();
        for only in ["betweenness", "closeness"] {
            let out = dir.path().join(format!("{only}.csv"));
            let mut args = vec![
                "graph",
                "metrics",
                edges_arg,
                "--only",
                only,
                "--out",
                out.to_str().unwrap(),
            ];
            args.extend_from_slice(sampling);
            let err = run(&args);
            let step = if only == "betweenness" {
                "betweenness, closeness, harmonic took"
            } else {
                "closeness, harmonic took"
            };
            assert!(err.contains(step), "{err}");
            assert!(err.contains(word), "{err}");
            outputs.push(path_columns(&out));
        }
        let (sweep, pass) = (&outputs[0], &outputs[1]);
        assert!(sweep.len() > 500);
        assert_eq!(sweep.len(), pass.len());
        for (s, p) in sweep.iter().zip(pass) {
            assert_eq!(s.0, p.0);
            assert!(
                !s.1.is_empty() && p.1.is_empty(),
                "betweenness only in the sweep"
            );
            assert_eq!(s.2, p.2, "closeness of {}", s.0);
            let (hs, hp): (f64, f64) = (s.3.parse().unwrap(), p.3.parse().unwrap());
            assert!(
                (hs - hp).abs() <= 1e-12 * hs.max(1.0),
                "harmonic of {}",
                s.0
            );
        }
    }
}

#[test]
fn repeat_times_the_step_again_until_its_budget_is_spent() {
    let dir = tempfile::tempdir().unwrap();
    let edges = dir.path().join("edges.csv");
    let out = dir.path().join("m.csv");
    let (edges, out) = (edges.to_str().unwrap(), out.to_str().unwrap());
    run(&[
        "synth", "graph", "--edges", "2000", "--seed", "1", "--out", edges,
    ]);
    let timings = |budget: &str| {
        run(&[
            "graph",
            "metrics",
            edges,
            "--only",
            "pagerank",
            "--out",
            out,
            "--repeat",
            "3",
            "--repeat-budget",
            budget,
        ])
        .matches("pagerank took")
        .count()
    };
    assert_eq!(timings("1000"), 3);
    assert_eq!(timings("0"), 1);
}

#[test]
fn bad_rows_are_reported_with_file_and_line_and_the_rest_is_used() {
    let dir = tempfile::tempdir().unwrap();
    let edges = dir.path().join("edges.csv");
    let metrics = dir.path().join("metrics.csv");
    // 150 rows with a bad weight among good ones: every good row is used, the first hundred
    // bad ones are shown with their line and the rest counted.
    let mut text = String::from("source,target,weight\na,b,1\nb,c,heavy\n,d,1\n");
    for k in 0..150 {
        text.push_str(&format!("x{k},y{k},-{k}\n"));
    }
    text.push_str("c,d,2\n");
    std::fs::write(&edges, text).unwrap();
    let out = vigil()
        .args(["graph", "metrics"])
        .arg(&edges)
        .arg("--out")
        .arg(&metrics)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    let name = edges.display().to_string();
    assert!(
        err.contains(&format!(
            "{name}:3: weight \"heavy\" is not a finite non-negative number"
        )),
        "{err}"
    );
    assert!(err.contains(&format!("{name}:4: empty node name")), "{err}");
    // Line 5 holds x0,y0,-0: a weight of zero is good. Lines 6.. hold the negative weights.
    assert!(err.contains(&format!("{name}:6: weight \"-1\"")), "{err}");
    assert!(
        err.contains(&format!("{name}:103: weight \"-98\"")),
        "{err}"
    );
    assert!(!err.contains(&format!("{name}:104:")), "{err}");
    assert!(
        err.contains(&format!("{name}: 51 more bad rows not shown")),
        "{err}"
    );
    assert!(
        err.contains(&format!("{name}: 151 bad rows skipped")),
        "{err}"
    );
    let mut nodes: Vec<String> = std::fs::read_to_string(&metrics)
        .unwrap()
        .lines()
        .skip(1)
        .map(|line| line.split(',').next().unwrap().to_owned())
        .collect();
    nodes.sort();
    assert_eq!(nodes, ["a", "b", "c", "d", "x0", "y0"]);
}
