//! `vigil graph metrics` as a process: `--only closeness` computes closeness and harmonic without
//! betweenness and gives the sweep's values; the hidden `--repeat` times a step several times.

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
