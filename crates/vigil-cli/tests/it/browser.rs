//! I1: the browser workspace in a real headless Chromium against `vigil serve` with demo data —
//! sign-in with TOTP, first-login enrolment, a case with a person and a phone, the link chart,
//! sign-out-then-back, lockout and unlock, the audit trail; and the browser-side security facts
//! (HttpOnly cookie, CSP refusing inline script, CSRF). Screenshots go to
//! `target/ui-screenshots/` (the path is printed).

use crate::http;
use crate::webdriver::{http as raw, Browser};
use serde_json::json;
use std::path::PathBuf;

/// One demo login: role, username, password, TOTP secret.
#[derive(Clone, Debug)]
pub struct Login {
    pub role: String,
    pub username: String,
    pub password: String,
    pub secret: String,
}

/// Seeds a demo data directory; returns it and every login printed into demo-logins.txt.
pub fn demo() -> (tempfile::TempDir, Vec<Login>) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = http::vigil()
        .args([
            "demo",
            "--no-serve",
            "--cases",
            "6",
            "--seed",
            "7",
            "--data-dir",
        ])
        .arg(&data)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(data.join("demo-logins.txt")).unwrap();
    let logins = text
        .lines()
        .filter(|l| l.contains(" password ") && l.contains("TOTP secret"))
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            Login {
                role: f[0].to_owned(),
                username: f[1].to_owned(),
                password: f[3].to_owned(),
                secret: f[6].to_owned(),
            }
        })
        .collect();
    (dir, logins)
}

pub fn first(logins: &[Login], role: &str) -> Login {
    logins
        .iter()
        .find(|l| l.role == role)
        .unwrap_or_else(|| panic!("the demo has no {role}"))
        .clone()
}

/// The current TOTP code for a base32 secret (spaces allowed).
pub fn totp(secret: &str) -> String {
    let s = vigil_core::auth::totp::TotpSecret::from_base32(&secret.replace(' ', "")).unwrap();
    s.code_at(vigil_types::Clock::now(&vigil_types::SystemClock))
}

pub fn screenshot_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("..")
        .join("ui-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir.canonicalize().unwrap()
}

/// Fills the password step and submits it (the system-use notice acknowledged).
pub fn password_step(b: &Browser, username: &str, password: &str) {
    b.find("#login-form");
    let ack = b.js("return document.getElementById('ack').checked;", json!([]));
    if ack != true {
        b.click("#ack");
    }
    b.fill("#login-form input[name=username]", username);
    b.fill("#login-form input[name=password]", password);
    b.click("#login-form button[type=submit]");
}

/// Waits until `form`'s submit button is enabled again and its messages contain `needle`.
pub fn wait_form_message(b: &Browser, form: &str, needle: &str) {
    b.wait_js(
        &format!("the message `{needle}` in {form}"),
        "const f = document.querySelector(arguments[0]); if (!f) return false; \
         const btn = f.querySelector('button[type=submit]'); \
         const box = f.querySelector('.form-messages'); \
         return !!btn && !btn.disabled && !!box && box.textContent.includes(arguments[1]);",
        &json!([form, needle]),
    );
}

/// Signs in from a fresh visit to `path`; ends on `path` with the header drawn.
pub fn sign_in(b: &Browser, base: &str, who: &Login, path: &str) {
    b.goto(&format!("{base}{path}"));
    b.wait_path("/login");
    password_step(b, &who.username, &who.password);
    b.find("#totp-form");
    b.fill("#totp-form input[name=code]", &totp(&who.secret));
    b.click("#totp-form button[type=submit]");
    b.wait_path(path);
    b.find("#who-name");
}

pub fn sign_out(b: &Browser) {
    b.click("#sign-out");
    b.wait_path("/login");
    b.find("#login-form");
}

/// Chooses the option of select `css` whose label contains `needle`.
pub fn choose_label(b: &Browser, css: &str, needle: &str) {
    b.find(css);
    let ok = b.js(
        "const s = document.querySelector(arguments[0]); \
         const o = [...s.options].find(o => o.textContent.includes(arguments[1])); \
         if (!o) return false; s.value = o.value; \
         s.dispatchEvent(new Event('change', {bubbles: true})); return true;",
        json!([css, needle]),
    );
    assert_eq!(ok, true, "no option containing {needle} in {css}");
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Page shells and assets carry the security headers; unknown paths answer 404.
fn shells_and_headers(addr: &str) {
    for path in ["/", "/login", "/cases", "/admin/audit"] {
        let (status, h, body) = raw(addr, "GET", path, &[("Accept", "text/html")], None).unwrap();
        assert_eq!(status, 200, "{path}");
        let csp = header(&h, "content-security-policy").unwrap_or("");
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert_eq!(header(&h, "x-content-type-options"), Some("nosniff"));
        assert!(
            body.contains("<script type=\"module\" src=\"/static/js/pages/"),
            "{path}"
        );
    }
    let (status, h, _) = raw(addr, "GET", "/static/js/api.js", &[], None).unwrap();
    assert_eq!(status, 200);
    assert!(header(&h, "content-type")
        .unwrap_or("")
        .starts_with("text/javascript"));
    let (status, _, _) = raw(
        addr,
        "GET",
        "/no/such/page",
        &[("Accept", "text/html")],
        None,
    )
    .unwrap();
    assert_eq!(status, 404);
    let (status, h, _) = raw(
        addr,
        "GET",
        "/api/v1/no-such-route",
        &[("Accept", "text/html")],
        None,
    )
    .unwrap();
    assert_eq!(status, 404);
    assert!(header(&h, "content-type").unwrap_or("").contains("json"));
}

/// The session cookie is invisible to scripts, inline script is refused by the CSP, and a state
/// change without the CSRF header is refused even with the cookie.
fn browser_security(b: &Browser) {
    let cookies = b.cookies();
    let session = cookies
        .as_array()
        .unwrap()
        .iter()
        .find(|c| {
            c["name"]
                .as_str()
                .is_some_and(|n| n.contains("vigil_session"))
        })
        .expect("a session cookie");
    assert_eq!(session["httpOnly"], true);
    assert_eq!(session["sameSite"], "Strict");
    let visible = b.js("return document.cookie;", json!([]));
    assert!(!visible.as_str().unwrap_or("").contains("vigil_session"));
    let blocked = b.js(
        "const s = document.createElement('script'); s.textContent = 'window.__inline = 1'; \
         document.head.append(s); return window.__inline === undefined;",
        json!([]),
    );
    assert_eq!(blocked, true, "the CSP must refuse inline script");
    let status = b.js_async(
        "const done = arguments[arguments.length - 1]; \
         fetch('/api/v1/cases', {method: 'POST', headers: {'content-type': 'application/json'}, \
           body: JSON.stringify({number: 'CSRF-1', title: 'no token', trafficking_type: 'sex'})}) \
         .then(r => done(r.status), () => done(0));",
        json!([]),
    );
    assert_eq!(
        status, 403,
        "a cookie request without X-CSRF-Token must be refused"
    );
}

/// Opens a case, adds a person and a phone, links them, adds a note and a task; returns its URL.
fn case_with_person_and_phone(b: &Browser, base: &str) -> String {
    b.goto(&format!("{base}/cases?new"));
    b.find("#new-case-panel[open]");
    b.screenshot("03-cases");
    b.fill("#new-case input[name=number]", "WEB-2026-0001");
    b.fill(
        "#new-case input[name=title]",
        "Browser test: farm labour referral",
    );
    b.choose("#new-case select[name=trafficking_type]", "labour");
    b.click("#new-case button[type=submit]");
    b.wait_text("#case-number", "WEB-2026-0001");
    let case_url = b.url();
    b.click("#add-entity summary");
    b.fill("#entity-form input[name=name]", "Rosa Testperson");
    b.choose("#entity-form select[name=htcdsRole]", "witness");
    b.click("#entity-form button[type=submit]");
    b.wait_text("#entities table", "Rosa Testperson");
    b.choose("#entity-schema", "Phone");
    b.fill("#entity-form input[name=number]", "+1 415 555 0142");
    b.click("#entity-form button[type=submit]");
    b.wait_text("#entities table", "555 0142");
    choose_label(b, "#link-form select[name=source_id]", "Rosa Testperson");
    choose_label(b, "#link-form select[name=target_id]", "555 0142");
    b.choose("#link-form select[name=link_type]", "uses");
    b.click("#link-form button[type=submit]");
    b.wait_text("#links table", "uses");
    b.fill(
        "#note-form textarea[name=body]",
        "First contact through the outreach line.",
    );
    b.click("#note-form button[type=submit]");
    b.wait_text("#notes", "outreach line");
    b.fill("#task-form input[name=title]", "Request subscriber records");
    b.click("#task-form button[type=submit]");
    b.wait_text("#tasks table", "Request subscriber records");
    b.wait_text("#timeline", "entity");
    b.wait_js(
        "the possible-matches section",
        "return !!document.querySelector('#xref-candidates table, #xref-candidates .empty');",
        &json!([]),
    );
    b.screenshot("04-case");
    case_url
}

/// The person's entity page: its details, its link to the phone, and an edit.
fn entity_page(b: &Browser, base: &str, case_url: &str) {
    b.goto(case_url);
    b.wait_text("#entities table", "Rosa Testperson");
    let href = b.js(
        "const a = [...document.querySelectorAll('#entities table a')]\
           .find(a => a.textContent.includes('Rosa Testperson')); return a.getAttribute('href');",
        json!([]),
    );
    b.goto(&format!("{base}{}", href.as_str().unwrap()));
    b.wait_text("#entity-caption", "Rosa Testperson");
    b.wait_text("main", "uses");
    b.click("#entity-edit-toggle");
    b.fill("#entity-edit input[name=alias]", "Rosi");
    b.click("#entity-edit button[type=submit]");
    b.wait_text("#entity-props", "Rosi");
    b.screenshot("04b-entity");
}

fn link_chart(b: &Browser, case_url: &str) {
    b.goto(case_url);
    b.click("#open-chart");
    b.wait_path(&format!(
        "{}/chart",
        case_url
            .split_once("://")
            .unwrap()
            .1
            .split_once('/')
            .map(|(_, p)| format!("/{p}"))
            .unwrap()
    ));
    b.wait_js(
        "two nodes drawn",
        "return document.querySelectorAll('#chart-svg g.node').length >= 2 && \
                document.querySelectorAll('#chart-svg line').length >= 1;",
        &json!([]),
    );
    b.click("#chart-svg g.node[data-schema=Person]");
    b.wait_text("#chart-selected", "Person");
    choose_label(b, "#path-from", "Rosa Testperson");
    choose_label(b, "#path-to", "555 0142");
    b.click("#find-path");
    b.wait_text("#path-result", "1 step");
    b.choose("#highlight-mode", "key");
    // Zoom and pan change the view transform.
    let before = b.js(
        "return document.querySelector('#chart-svg g.viewport').getAttribute('transform');",
        json!([]),
    );
    b.click(".toolbar button[aria-label='Zoom in']");
    let after = b.js(
        "return document.querySelector('#chart-svg g.viewport').getAttribute('transform');",
        json!([]),
    );
    assert_ne!(before, after, "zooming changes the view");
    b.click(".toolbar button:nth-of-type(3)");
    b.screenshot("05-link-chart");
}

/// The chart of a seeded demo case: more nodes, communities coloured.
fn demo_chart(b: &Browser, base: &str) {
    b.goto(&format!("{base}/cases"));
    b.find("#case-results table");
    let href = b.js(
        "const a = [...document.querySelectorAll('#case-results tbody a')]\
           .find(a => !a.textContent.startsWith('WEB-')); return a ? a.getAttribute('href') : null;",
        json!([]),
    );
    let href = href.as_str().expect("a demo case in the list").to_owned();
    b.goto(&format!("{base}{href}/chart"));
    b.wait_js(
        "the demo case drawn",
        "return document.querySelectorAll('#chart-svg g.node').length >= 3;",
        &json!([]),
    );
    b.choose("#highlight-mode", "communities");
    b.screenshot("05b-link-chart-demo");
}

/// After signing out, Back does not show the case again: the page asks the API and is sent to
/// sign in.
fn sign_out_then_back(b: &Browser, case_url: &str) {
    b.goto(case_url);
    b.wait_text("#case-number", "WEB-2026-0001");
    sign_out(b);
    b.back();
    b.wait_path("/login");
    assert!(!b.body_text().contains("farm labour referral"));
    b.screenshot("06-signed-out");
}

/// Five wrong passwords lock an account; the sixth (right) attempt says it is locked; an
/// administrator unlocks it from the admin page, creates an account, and that account enrols its
/// second factor at first sign-in.
fn lockout_unlock_and_enrolment(b: &Browser, base: &str, logins: &[Login]) {
    let victim = first(logins, "analyst");
    b.goto(&format!("{base}/login"));
    for _ in 0..5 {
        password_step(b, &victim.username, "not the right password at all");
        wait_form_message(b, "#login-form", "wrong");
    }
    password_step(b, &victim.username, &victim.password);
    wait_form_message(b, "#login-form", "locked");
    b.screenshot("07-locked");

    let admin = first(logins, "administrator");
    sign_in(b, base, &admin, "/admin");
    b.fill("#accounts input[type=search]", &victim.username);
    b.click(&format!("button[data-unlock='{}']", victim.username));
    b.wait_text("#accounts", "Unlocked");
    b.fill("#user-form input[name=username]", "web.newcomer");
    b.fill("#user-form input[name=display_name]", "W. Newcomer");
    b.choose("#user-form select[name=role]", "analyst");
    b.click("#user-form button[type=submit]");
    let initial = b.text("#initial-password");
    b.screenshot("08-admin");
    sign_out(b);

    // First sign-in of the new account: enrol TOTP from the secret shown as text.
    password_step(b, "web.newcomer", initial.trim());
    b.find("#enrol-form");
    let secret = b.text("#totp-secret");
    b.screenshot("09-enrol");
    b.fill("#enrol-form input[name=code]", &totp(&secret));
    b.click("#enrol-form button[type=submit]");
    b.wait_path("/");
    b.wait_text("#who-name", "W. Newcomer");
    sign_out(b);

    // The unlocked account signs in again.
    sign_in(b, base, &victim, "/");
    sign_out(b);
}

fn supervisor_audit(b: &Browser, base: &str, logins: &[Login]) {
    let sup = first(logins, "supervisor");
    sign_in(b, base, &sup, "/admin/audit");
    b.wait_js(
        "audit rows",
        "return document.querySelectorAll('#audit-results tbody tr').length > 0;",
        &json!([]),
    );
    b.fill("#audit-form input[name=action]", "auth.");
    b.click("#audit-form button[type=submit]");
    b.wait_text("#audit-results", "auth.");
    b.screenshot("10-audit");
    sign_out(b);
}

#[test]
fn the_workspace_in_a_real_browser() {
    let shots = screenshot_dir();
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!("UI screenshots: {}\n", shots.display()).as_bytes(),
    );
    let (dir, logins) = demo();
    let (mut server, addr) = http::serve(&dir.path().join("data"));
    let base = format!("http://{addr}");
    shells_and_headers(&addr);
    let b = Browser::start(&shots);

    let inv = first(&logins, "investigator");
    b.goto(&format!("{base}/"));
    b.wait_path("/login?next=");
    b.find("#banner");
    b.screenshot("01-login");
    password_step(&b, &inv.username, &inv.password);
    b.find("#totp-form");
    b.fill("#totp-form input[name=code]", &totp(&inv.secret));
    b.click("#totp-form button[type=submit]");
    b.wait_path("/");
    b.find("#who-name");
    b.find("#my-tasks table, #my-tasks .empty");
    b.screenshot("02-home");
    browser_security(&b);

    let case_url = case_with_person_and_phone(&b, &base);
    entity_page(&b, &base, &case_url);
    link_chart(&b, &case_url);
    demo_chart(&b, &base);
    sign_out_then_back(&b, &case_url);
    lockout_unlock_and_enrolment(&b, &base, &logins);
    supervisor_audit(&b, &base, &logins);

    drop(b);
    let _ = server.kill();
    let _ = server.wait();
}
