//! The operator's commands on a real data directory: migrate, the first administrator, list,
//! audit verify and head, and clear errors for bad input.

use crate::http::vigil;

fn run(args: &[&str], data: &std::path::Path) -> (bool, String, String) {
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

#[test]
fn first_administrator_from_the_cli_then_verify() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (ok, _, err) = run(&["migrate"], &data);
    // Every shipped migration runs on a fresh data directory (how many depends on the release).
    assert!(
        ok && err.contains(" migration(s) applied") && !err.contains(" 0 migration(s)"),
        "{err}"
    );
    let (ok, _, err) = run(&["migrate"], &data);
    assert!(ok && err.contains("0 migration(s) applied"), "{err}");

    let (ok, out, err) = run(
        &[
            "admin",
            "create-agency",
            "--name",
            "Mesa Verde PD",
            "--short-code",
            "mvpd",
            "--kind",
            "local_law_enforcement",
        ],
        &data,
    );
    assert!(ok, "{out}{err}");
    let (ok, _, err) = run(
        &[
            "admin",
            "create-agency",
            "--name",
            "Bad",
            "--short-code",
            "BAD",
            "--kind",
            "sheriff",
        ],
        &data,
    );
    assert!(!ok && err.contains("--kind: unknown agency kind"), "{err}");
    let (ok, out, err) = run(
        &[
            "admin",
            "create-user",
            "--username",
            "root.admin",
            "--display-name",
            "First Admin",
            "--role",
            "administrator",
            "--agency",
            "MVPD",
        ],
        &data,
    );
    assert!(ok, "{err}");
    let password = out
        .lines()
        .find_map(|l| {
            l.split("shown once; give it to the user over a separate channel): ")
                .nth(1)
        })
        .unwrap();
    assert_eq!(
        password.len(),
        27,
        "a random initial password, never a default"
    );
    let (ok, out, _) = run(&["admin", "list"], &data);
    assert!(
        ok && out.contains("root.admin") && out.contains("no-2fa-yet"),
        "{out}"
    );

    let (ok, head, _) = run(&["audit", "head"], &data);
    assert!(ok);
    let head = head.trim().to_owned();
    assert!(head.starts_with("2:"), "two audited admin actions: {head}");
    let (ok, out, _) = run(&["audit", "verify", "--expect-head", &head], &data);
    assert!(ok && out.contains("audit log intact: 2 events"), "{out}");
    let (ok, _, err) = run(&["audit", "verify", "--expect-head", "zz"], &data);
    assert!(!ok && err.contains("SEQ:HEX"), "{err}");
}
