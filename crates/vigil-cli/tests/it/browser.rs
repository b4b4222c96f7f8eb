//! I1: the browser workspace in a real headless Chromium against `vigil serve` with demo data —
//! a public tip without an account (Spanish and English, receipt code) and its follow-up by code,
//! sign-in with TOTP, first-login enrolment, a case with a person, a phone, a protocol checklist
//! and uploaded evidence with its SHA-256 and custody log, the link chart, sign-out-then-back,
//! lockout and unlock, the audit trail, triage of the tip by a supervisor (reply, assign, merge
//! into a case), and a consent recorded and withdrawn by an advocate changing what an
//! investigator sees (name, then pseudonym); and the browser-side security facts (HttpOnly
//! cookie, CSP refusing inline script, CSRF). Screenshots go to `target/ui-screenshots/` (the
//! path is printed).

use crate::http;
use crate::webdriver::{http as raw, Browser, ESCAPE};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use crate::http::DemoLogin as Login;

/// Seeds a demo data directory; returns it and every login printed into demo-logins.txt.
pub fn demo() -> (tempfile::TempDir, Vec<Login>) {
    let (dir, _, logins) = http::seed_demo(6, 7);
    (dir, logins)
}

pub fn first(logins: &[Login], role: &str) -> Login {
    logins
        .iter()
        .find(|l| l.role == role)
        .unwrap_or_else(|| panic!("the demo has no {role}"))
        .clone()
}

/// A TOTP code for a base32 secret (spaces allowed) whose step no earlier sign-in of this test
/// used (the server refuses a replayed step): the current step's code, else the next step's
/// (accepted within the server's one-step window), waiting for the clock only when both were used.
pub fn totp(b: &Browser, secret: &str) -> String {
    use vigil_core::auth::totp::{TotpSecret, STEP_SECONDS, WINDOW};
    static USED: std::sync::Mutex<std::collections::BTreeMap<String, i64>> =
        std::sync::Mutex::new(std::collections::BTreeMap::new());
    let s = TotpSecret::from_base32(&secret.replace(' ', "")).unwrap();
    loop {
        let now = vigil_types::Clock::now(&vigil_types::SystemClock).unix_seconds();
        let step = now.div_euclid(STEP_SECONDS);
        let mut used = USED.lock().unwrap();
        let pick = match used.get(secret) {
            Some(&last) if last >= step => last + 1,
            _ => step,
        };
        if pick <= step + WINDOW {
            used.insert(secret.to_owned(), pick);
            return format!("{:06}", s.code_at_step(pick));
        }
        drop(used);
        b.wait_until(Instant::now() + Duration::from_secs(1));
    }
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
    b.fill("#totp-form input[name=code]", &totp(b, &who.secret));
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
    for path in ["/", "/login", "/cases", "/admin/audit", "/triage", "/vault"] {
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
    // The public tip pages: no script at all, no cookie, English or Spanish.
    for (path, lang) in [
        ("/tip", "en"),
        ("/tip?lang=es", "es"),
        ("/tip/status", "en"),
    ] {
        let (status, h, body) = raw(addr, "GET", path, &[("Accept", "text/html")], None).unwrap();
        assert_eq!(status, 200, "{path}");
        assert!(!body.contains("<script"), "{path} runs no script");
        assert!(header(&h, "set-cookie").is_none(), "{path} sets no cookie");
        assert!(body.contains(&format!("<html lang=\"{lang}\">")), "{path}");
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
    let session = session_cookie(b);
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

/// The browser's session cookie (WebDriver sees HttpOnly cookies; page scripts do not).
fn session_cookie(b: &Browser) -> serde_json::Value {
    b.cookies()
        .as_array()
        .unwrap()
        .iter()
        .find(|c| {
            c["name"]
                .as_str()
                .is_some_and(|n| n.contains("vigil_session"))
        })
        .expect("a session cookie")
        .clone()
}

/// Makes the browser's sign-in 20 minutes old, as if the person had been working that long: the
/// server's step-up window (15 minutes of its own clock) has passed, so its next privileged action
/// must ask them to confirm it's them. Written through the store's own step-up update, by the
/// session's token hash, into the data directory `vigil serve` is running on (SQLite in WAL mode
/// takes a second writer); the server is not told anything.
fn age_sign_in(b: &Browser, data: &Path) {
    let token = session_cookie(b)["value"].as_str().unwrap().to_owned();
    let token_hash = vigil_core::auth::secret::digest(&token);
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let clock = std::sync::Arc::new(vigil_types::SystemClock);
        let at = vigil_types::Clock::now(&*clock).minus(Duration::from_secs(20 * 60));
        let config = vigil_store::StoreConfig::sqlite_in(data);
        let store = vigil_store::Store::open(&config, clock).await.unwrap();
        store
            .write(move |mut ctx| async move {
                let r = vigil_store::sessions::step_up(&mut ctx, &token_hash, at).await;
                (ctx, r)
            })
            .await
            .unwrap();
        store.close().await;
    });
}

/// Opens a case, adds a person and a phone, links them, adds a note and a task, starts a
/// protocol checklist and ticks an item, files a charge, uploads `evidence` and sees its SHA-256
/// and custody log (collected, accessed by a download, exported in a court package after the
/// step-up dialog: a sign-in older than 15 minutes, a wrong password said in the dialog, then the
/// password and a fresh code and the export goes through); returns the
/// case's URL.
fn case_with_person_and_phone(
    b: &Browser,
    base: &str,
    evidence: &Path,
    data: &Path,
    who: &Login,
) -> String {
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
    // The form is ready again (its button enabled) only once the sections it refreshes are drawn.
    wait_form_message(b, "#entity-form", "Added Person");
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

    b.choose(
        "#protocol-form select[name=template]",
        "victim-identification",
    );
    b.click("#protocol-form button[type=submit]");
    b.wait_text("#protocols", "open");
    let open_before = b.js(
        "return document.querySelectorAll('#protocols button[data-item-done]').length;",
        json!([]),
    );
    b.click("#protocols button[data-item-done]");
    b.wait_js(
        "one checklist item done",
        "return document.querySelectorAll('#protocols button[data-item-done]').length === arguments[0] - 1;",
        &json!([open_before]),
    );

    b.click("#charges details summary");
    choose_label(
        b,
        "#charge-form select[name=defendant_id]",
        "Rosa Testperson",
    );
    b.fill("#charge-form input[name=statute]", "18 U.S.C. § 1589");
    b.fill("#charge-form input[name=description]", "Forced labour");
    b.fill("#charge-form input[name=counts]", "2");
    b.click("#charge-form button[type=submit]");
    b.wait_text("#charges table", "1589");
    b.wait_text("#charges", "2 trafficking counts");

    let content = std::fs::read_to_string(evidence).unwrap();
    let sha256 = vigil_core::auth::secret::digest(&content);
    b.click("#add-evidence summary");
    b.upload_file("#evidence-form input[type=file]", evidence);
    b.fill(
        "#evidence-form input[name=description]",
        "Notes from the first interview",
    );
    b.click("#evidence-form button[type=submit]");
    b.wait_text("#evidence-form .form-messages", &sha256);
    b.wait_text("#evidence-list", &sha256);
    assert_eq!(
        b.js(
            "return document.getElementById('evidence-progress').value;",
            json!([])
        ),
        100
    );
    b.click("#evidence-list button[data-custody]");
    b.wait_text("#custody-log", "collected");
    b.wait_text("#custody-log", &sha256);
    // A download is itself a custody event.
    b.click("#evidence-list button[data-download]");
    b.wait_text("#custody-log", "accessed");
    b.click("#evidence-tools summary");
    b.fill(
        "#export-form input[name=recipient]",
        "County Attorney's Office",
    );
    b.fill("#export-form input[name=purpose]", "charging review");
    age_sign_in(b, data);
    b.click("#export-form button[type=submit]");
    b.find("dialog#step-up[open]");
    b.wait_text("#step-up h2", "please confirm it's you");
    b.fill(
        "#step-up-form input[name=password]",
        "not the right password",
    );
    b.fill("#step-up-form input[name=code]", "123456");
    b.click("#step-up-form button[type=submit]");
    b.wait_text("#step-up-form .form-messages", "password is wrong");
    assert_eq!(
        b.js(
            "return document.activeElement && document.activeElement.name;",
            json!([])
        ),
        "password",
        "the field to correct has the focus"
    );
    b.screenshot("04d-step-up");
    b.fill("#step-up-form input[name=password]", &who.password);
    b.fill("#step-up-form input[name=code]", &totp(b, &who.secret));
    b.click("#step-up-form button[type=submit]");
    wait_form_message(b, "#export-form", "Court package exported");
    assert_eq!(
        b.js("return !!document.getElementById('step-up');", json!([])),
        false,
        "the dialog is gone once confirmed"
    );
    b.wait_text("#custody-log", "exported");
    b.js(
        "document.getElementById('evidence').scrollIntoView();",
        json!([]),
    );
    b.screenshot("04c-case-evidence");
    b.js("window.scrollTo(0, 0);", json!([]));
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
/// administrator unlocks it from the admin page, creates an account, disables and enables it
/// again, and that account enrols its second factor at first sign-in.
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
    // Disabled (the browser accepts the "Disable …?" confirmation) and enabled again, as after
    // the 90-day inactivity sweep: the row says Disabled and offers Enable to an administrator.
    b.fill("#accounts input[type=search]", "web.newcomer");
    b.click("button[data-disable='web.newcomer']");
    b.wait_text("#accounts", "Disabled web.newcomer.");
    b.wait_text("#users tbody", "Disabled");
    b.click("button[data-enable='web.newcomer']");
    b.wait_text("#accounts", "Enabled web.newcomer.");
    b.find("button[data-disable='web.newcomer']");
    assert_eq!(
        b.js(
            "return document.querySelectorAll('button[data-enable]').length;",
            json!([])
        ),
        0,
        "an enabled account offers no Enable button"
    );
    sign_out(b);

    // First sign-in of the new account: enrol TOTP from the secret shown as text.
    password_step(b, "web.newcomer", initial.trim());
    b.find("#enrol-form");
    let secret = b.text("#totp-secret");
    b.screenshot("09-enrol");
    b.fill("#enrol-form input[name=code]", &totp(b, &secret));
    b.click("#enrol-form button[type=submit]");
    b.wait_path("/");
    b.wait_text("#who-name", "W. Newcomer");
    sign_out(b);

    // The unlocked account signs in again.
    sign_in(b, base, &victim, "/");
    sign_out(b);
}

/// The supervisor searches the audit trail and exports it through the step-up dialog.
fn supervisor_audit(b: &Browser, base: &str, data: &Path, logins: &[Login]) {
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

    // The export after a long sign-in asks to confirm; Escape closes the dialog and the export
    // is not done, with a message saying why; the next try confirms and exports.
    age_sign_in(b, data);
    b.click("#audit-export");
    b.find("dialog#step-up[open]");
    b.press("#step-up-form input[name=password]", ESCAPE);
    b.wait_text("#audit-export-status", "Not done");
    assert_eq!(
        b.js("return !!document.getElementById('step-up');", json!([])),
        false
    );
    b.click("#audit-export");
    b.fill("#step-up-form input[name=password]", &sup.password);
    b.fill("#step-up-form input[name=code]", &totp(b, &sup.secret));
    b.click("#step-up-form button[type=submit]");
    b.wait_text("#audit-export-status", "Exported");
    b.wait_text("#audit-results", "auth.");
    sign_out(b);
}

/// The public tip form, before anyone signs in: no cookie, Spanish and back to English, a tip sent
/// after the form's few seconds, the receipt code shown once and never in the address. Returns
/// the code.
fn public_tip(b: &Browser, base: &str) -> String {
    b.goto(&format!("{base}/tip"));
    b.find("#tip-form");
    assert_eq!(
        b.cookies().as_array().map_or(0, Vec::len),
        0,
        "the tip page sets no cookie"
    );
    assert_eq!(
        b.js("return document.scripts.length;", json!([])),
        0,
        "the tip page runs no script"
    );
    b.click("header a.lang");
    b.wait_text("h1", "Informar");
    b.find("html[lang=es]");
    b.screenshot("00-tip-es");
    b.click("header a.lang");
    b.wait_text("h1", "Report a concern");
    let loaded = Instant::now();
    b.fill(
        "#what",
        "A man at the Route 9 truck stop keeps the passports of four farm workers and says \
         they owe him for the trip. He answers 602-555-0142.",
    );
    b.fill("#where", "Route 9 truck stop, north lot");
    b.screenshot("00b-tip");
    // The form refuses a post in its first three seconds (bots post at once).
    b.wait_until(loaded + Duration::from_millis(3_500));
    b.click("#tip-form button[type=submit]");
    let code = b.text("#receipt-code").trim().to_owned();
    assert!(code.len() >= 16, "a receipt code: {code}");
    assert!(!b.url().contains(&code), "the code is never in the address");
    b.screenshot("00c-tip-receipt");
    code
}

/// The tipster comes back with the code (typed and sent with the keyboard), reads the task
/// force's reply and adds information.
fn tip_follow_up(b: &Browser, base: &str, code: &str, reply: &str) {
    b.goto(&format!("{base}/tip/status"));
    b.fill("#receipt_code", &format!("{code}\u{E007}"));
    b.wait_text("#tip-thread", reply);
    assert!(!b.url().contains(code), "the code is never in the address");
    b.fill("#text", "The workers are moved in a white van at night.");
    b.click("#add-form button[type=submit]");
    b.wait_text("#form-notice", "added");
    b.wait_text("#tip-thread", "white van");
    b.screenshot("14-tip-follow-up");
}

/// A supervisor sees the queue count at home, opens the newest item (the tip), sees its extracted
/// phone, replies to the tipster, assigns it and opens a case from it; then closes the most urgent
/// remaining item with a reason.
fn triage_tip(b: &Browser, base: &str, logins: &[Login], reply: &str) {
    let sup = first(logins, "supervisor");
    sign_in(b, base, &sup, "/");
    b.wait_text("#triage-count", "open item");
    b.screenshot("11-home-supervisor");
    let me = b.text("#who-name");
    b.goto(&format!("{base}/triage?order=newest"));
    b.find("#intake-results tbody a");
    b.screenshot("12-triage-queue");
    b.click("#intake-results tbody tr:first-child a");
    b.wait_text("#intake-text", "Route 9 truck stop");
    b.wait_text("#intake-why", "555-0142");
    b.fill("#reply-form textarea[name=body]", reply);
    b.click("#reply-form button[type=submit]");
    b.wait_text("#intake-thread", reply);
    b.click("#assign-me");
    b.wait_text("#intake-assignee", me.trim());
    b.screenshot("13-triage-item");
    b.fill("#merge-new-form input[name=number]", "TIP-2026-0001");
    b.fill(
        "#merge-new-form input[name=title]",
        "Truck stop: passports held",
    );
    b.click("#merge-new-form button[type=submit]");
    b.wait_text("#case-number", "TIP-2026-0001");
    b.wait_text("#notes", "Route 9");
    // The most urgent remaining item, closed with a reason.
    b.goto(&format!("{base}/triage"));
    b.click("#intake-results tbody tr:first-child a");
    b.find("#close-form");
    b.choose("#close-form select[name=reason]", "duplicate");
    b.click("#close-form button[type=submit]");
    b.wait_text("#intake-text", "duplicate");
    sign_out(b);
}

/// On a survivor's record, the advocate administers a screening, refers to a provider and moves
/// the referral on, and saves the safety plan.
fn survivor_services(b: &Browser) {
    let count = |css: &str| {
        b.js(
            "return document.querySelectorAll(arguments[0]).length;",
            json!([css]),
        )
        .as_u64()
        .unwrap()
    };
    b.find("#screenings .note, #screenings .empty");
    let screenings = count("#screenings .note");
    b.click("#screenings details summary");
    b.find("#screening-form select");
    b.js(
        "const s = document.querySelector('#screening-form select'); s.value = 'yes'; \
         s.dispatchEvent(new Event('change', {bubbles: true}));",
        json!([]),
    );
    b.click("#screening-form button[type=submit]");
    b.wait_js(
        "the screening saved",
        "return document.querySelectorAll('#screenings .note').length === arguments[0] + 1;",
        &json!([screenings]),
    );

    b.find("#referrals table");
    choose_label(b, "#referral-form select[name=provider_id]", "Casa Segura");
    b.choose(
        "#referral-form select[name=service_type]",
        "case_management",
    );
    b.click("#referral-form button[type=submit]");
    let row = "const row = [...document.querySelectorAll('#referrals tbody tr')]\
                 .find(r => r.textContent.includes('case management'));";
    b.wait_js(
        "the referral sent",
        &format!("{row} return !!row && row.textContent.includes('sent');"),
        &json!([]),
    );
    b.js(
        &format!(
            "{row} [...row.querySelectorAll('button')].find(x => x.textContent === 'accepted').click();"
        ),
        json!([]),
    );
    b.wait_js(
        "the referral accepted",
        &format!("{row} return !!row && row.querySelector('.badge').textContent === 'accepted';"),
        &json!([]),
    );

    b.fill(
        "#safety-plan-form textarea[name=safe_places]",
        "The library on Main Street (open late)",
    );
    b.click("#safety-plan-form button[type=submit]");
    wait_form_message(b, "#safety-plan-form", "Saved");
    b.js(
        "document.getElementById('referrals').scrollIntoView();",
        json!([]),
    );
    b.screenshot("16b-survivor-services");
    b.js("window.scrollTo(0, 0);", json!([]));
}

/// An advocate screens, refers and plans (`survivor_services`), then records two consents for
/// investigators of one agency (services only, then identity); that agency's investigator sees the survivor's name; the advocate withdraws the
/// identity consent and the investigator sees only the pseudonym.
fn consent_changes_what_an_investigator_sees(b: &Browser, base: &str, logins: &[Login]) {
    let adv = first(logins, "victim_advocate");
    let inv = first(logins, "investigator");
    sign_in(b, base, &adv, "/");
    b.find("#referrals-waiting table, #referrals-waiting .empty");
    b.screenshot("15-home-advocate");
    b.goto(&format!("{base}/vault"));
    b.find("main table tbody a");
    b.screenshot("16-survivors");
    b.click("main table tbody a");
    let name = b.text("#victim-identity dd");
    let pseudonym = b.text("#victim-pseudonym");
    assert!(!name.trim().is_empty() && !pseudonym.trim().is_empty());
    let record = b.url();
    let record_path = format!(
        "/{}",
        record
            .split_once("://")
            .unwrap()
            .1
            .split_once('/')
            .unwrap()
            .1
    );
    survivor_services(b);
    b.find("#consents table");
    let active = || {
        b.js(
            "return document.querySelectorAll('#consents button[data-revoke]').length;",
            json!([]),
        )
        .as_u64()
        .unwrap()
    };
    let before = active();
    b.click("#consents details summary");
    for (purpose, category) in [
        ("Updates from the investigators about the case", "services"),
        (
            "So the investigator can contact me about the case",
            "identity",
        ),
    ] {
        b.fill("#consent-form input[name=purpose]", purpose);
        choose_label(
            b,
            "#consent-form select[name=recipient]",
            &format!("{} —", inv.agency),
        );
        b.choose("#consent-form select[name=recipient_role]", "investigator");
        b.click(&format!(
            "#consent-form input[name=categories][value={category}]"
        ));
        b.fill("#consent-form input[name=language]", "es");
        let n = active();
        b.click("#consent-form button[type=submit]");
        b.wait_js(
            "the consent in force",
            "return document.querySelectorAll('#consents button[data-revoke]').length === arguments[0] + 1;",
            &json!([n]),
        );
    }
    assert_eq!(active(), before + 2);
    b.wait_text(
        "#consents table",
        &format!("investigators at {}", inv.agency),
    );
    b.screenshot("17-survivor-record");
    sign_out(b);

    sign_in(b, base, &inv, &record_path);
    b.wait_text("#victim-identity", name.trim());
    b.wait_text("#victim-pseudonym", pseudonym.trim());
    b.screenshot("18-survivor-investigator-consented");
    sign_out(b);

    sign_in(b, base, &adv, &record_path);
    b.find("#consents table");
    let clicked = b.js(
        "const row = [...document.querySelectorAll('#consents tbody tr')]\
           .find(r => r.textContent.includes('contact me about the case') && r.querySelector('button[data-revoke]')); \
         if (!row) return false; row.querySelector('button[data-revoke]').click(); return true;",
        json!([]),
    );
    assert_eq!(clicked, true, "the identity consent's withdraw button");
    b.click("#consents button[data-confirm-revoke]");
    b.wait_js(
        "the consent withdrawn",
        "return [...document.querySelectorAll('#consents tbody tr')]\
           .some(r => r.textContent.includes('contact me about the case') && r.textContent.includes('withdrawn'));",
        &json!([]),
    );
    sign_out(b);

    sign_in(b, base, &inv, &record_path);
    b.wait_text("#pseudonym-only", pseudonym.trim());
    assert!(
        !b.body_text().contains(name.trim()),
        "the name is gone once the consent is withdrawn"
    );
    b.screenshot("19-survivor-investigator-withdrawn");
    sign_out(b);
}

#[test]
fn the_workspace_in_a_real_browser() {
    let shots = screenshot_dir();
    // A failure screenshot from an earlier run would mislead a reviewer.
    let _ = std::fs::remove_file(shots.join("failure.png"));
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!("UI screenshots: {}\n", shots.display()).as_bytes(),
    );
    let (dir, logins) = demo();
    let data = dir.path().join("data");
    let (mut server, addr) = http::serve(&data);
    let base = format!("http://{addr}");
    shells_and_headers(&addr);
    let b = Browser::start(&shots);
    let code = public_tip(&b, &base);

    let inv = first(&logins, "investigator");
    b.goto(&format!("{base}/"));
    b.wait_path("/login?next=");
    b.find("#banner");
    b.screenshot("01-login");
    password_step(&b, &inv.username, &inv.password);
    b.find("#totp-form");
    b.fill("#totp-form input[name=code]", &totp(&b, &inv.secret));
    b.click("#totp-form button[type=submit]");
    b.wait_path("/");
    b.find("#who-name");
    b.find("#my-tasks table, #my-tasks .empty");
    b.screenshot("02-home");
    browser_security(&b);

    let evidence = dir.path().join("interview-notes.txt");
    std::fs::write(
        &evidence,
        "Interview notes (synthetic test data): first contact through the outreach line.\n",
    )
    .unwrap();
    let case_url = case_with_person_and_phone(&b, &base, &evidence, &data, &inv);
    entity_page(&b, &base, &case_url);
    link_chart(&b, &case_url);
    demo_chart(&b, &base);
    sign_out_then_back(&b, &case_url);
    lockout_unlock_and_enrolment(&b, &base, &logins);
    supervisor_audit(&b, &base, &data, &logins);
    let reply = "Thank you. An investigator is looking into this.";
    triage_tip(&b, &base, &logins, reply);
    tip_follow_up(&b, &base, &code, reply);
    consent_changes_what_an_investigator_sees(&b, &base, &logins);

    drop(b);
    let _ = server.kill();
    let _ = server.wait();
}
