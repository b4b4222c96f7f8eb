//! A tiny W3C WebDriver client over plain HTTP/1.1 (no client crate) driving Debian's headless
//! Chromium through `chromedriver`. Waits poll the page with a deadline; nothing assumes a speed.

#![allow(clippy::disallowed_methods)] // polling the browser needs short sleeps

use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";
const WAIT: Duration = Duration::from_secs(20);

/// Status, lower-case headers and body of one HTTP exchange.
pub type Exchange = (u16, Vec<(String, String)>, String);

/// One raw HTTP exchange: returns (status, headers in lower case, body). Handles chunked bodies.
pub fn http(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> std::io::Result<Exchange> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(120)))?;
    let body = body.unwrap_or("");
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    if method != "GET" {
        req.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    req.push_str("\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes())?;
    // Read the head, then exactly Content-Length bytes (chromedriver keeps connections open), a
    // chunked body to its last chunk, or to the end of the stream.
    let mut raw = Vec::new();
    let mut buf = [0u8; 16384];
    let head_end = loop {
        if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let n = s.read(&mut buf)?;
        if n == 0 {
            return Err(std::io::Error::other(
                "connection closed before the response head",
            ));
        }
        raw.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..head_end]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status line"))?;
    let hdrs: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let mut body_bytes = raw[head_end + 4..].to_vec();
    let length = hdrs
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok());
    let chunked = hdrs
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
    if method == "HEAD" || status == 204 || status == 304 {
        body_bytes.clear();
    } else if let Some(len) = length {
        while body_bytes.len() < len {
            let n = s.read(&mut buf)?;
            if n == 0 {
                break;
            }
            body_bytes.extend_from_slice(&buf[..n]);
        }
        body_bytes.truncate(len);
    } else if chunked {
        while !body_bytes.ends_with(b"0\r\n\r\n") {
            let n = s.read(&mut buf)?;
            if n == 0 {
                break;
            }
            body_bytes.extend_from_slice(&buf[..n]);
        }
    } else {
        s.read_to_end(&mut body_bytes)?;
    }
    let rest = String::from_utf8_lossy(&body_bytes).into_owned();
    let body = if chunked { dechunk(&rest) } else { rest };
    Ok((status, hdrs, body))
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        s = rest[n..].trim_start_matches("\r\n");
    }
    out
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A browser session. Dropping it ends the session and stops chromedriver.
pub struct Browser {
    driver: Child,
    addr: String,
    session: String,
    _profile: tempfile::TempDir,
    shots: PathBuf,
}

impl Browser {
    /// Starts chromedriver and a fresh headless Chromium profile. Fails (never skips) when
    /// Chromium is missing: CI installs it (`.ci/run`).
    pub fn start(shots: &Path) -> Self {
        assert!(
            Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists(),
            "{CHROMIUM} and {CHROMEDRIVER} are required for the browser tests: apt-get install -y chromium chromium-driver"
        );
        let port = free_port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting chromedriver");
        let addr = format!("127.0.0.1:{port}");
        let deadline = Instant::now() + WAIT;
        loop {
            if let Ok((200, _, b)) = http(&addr, "GET", "/status", &[], None) {
                if serde_json::from_str::<Value>(&b).unwrap_or(Value::Null)["value"]["ready"]
                    == true
                {
                    break;
                }
            }
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = tempfile::tempdir().unwrap();
        let args = vec![
            "--headless".to_owned(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-dev-shm-usage".into(),
            "--window-size=1366,900".into(),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": CHROMIUM, "args": args},
            "unhandledPromptBehavior": "accept",
        }}});
        let mut b = Self {
            driver,
            addr,
            session: String::new(),
            _profile: profile,
            shots: shots.to_owned(),
        };
        let v = b.cmd("POST", "/session", Some(caps));
        b.session = v["sessionId"].as_str().expect("a session id").to_owned();
        b
    }

    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let body = body.map(|b| b.to_string());
        let (status, _, text) = http(
            &self.addr,
            method,
            path,
            &[("Content-Type", "application/json; charset=utf-8")],
            body.as_deref(),
        )
        .unwrap_or_else(|e| panic!("webdriver {method} {path}: {e}"));
        let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        assert!(
            status == 200,
            "webdriver {method} {path} answered {status}: {}",
            v["value"]["message"]
        );
        v["value"].clone()
    }

    fn try_cmd(&self, method: &str, path: &str, body: Option<Value>) -> Option<Value> {
        let body = body.map(|b| b.to_string());
        let (status, _, text) = http(
            &self.addr,
            method,
            path,
            &[("Content-Type", "application/json; charset=utf-8")],
            body.as_deref(),
        )
        .ok()?;
        let v: Value = serde_json::from_str(&text).ok()?;
        (status == 200).then(|| v["value"].clone())
    }

    fn s(&self, rest: &str) -> String {
        format!("/session/{}{rest}", self.session)
    }

    pub fn goto(&self, url: &str) {
        self.cmd("POST", &self.s("/url"), Some(json!({ "url": url })));
    }

    pub fn back(&self) {
        self.cmd("POST", &self.s("/back"), Some(json!({})));
    }

    pub fn url(&self) -> String {
        self.cmd("GET", &self.s("/url"), None)
            .as_str()
            .unwrap_or("")
            .to_owned()
    }

    /// Runs `script` (a function body; `arguments` holds `args`) and returns its value.
    pub fn js(&self, script: &str, args: Value) -> Value {
        self.cmd(
            "POST",
            &self.s("/execute/sync"),
            Some(json!({ "script": script, "args": args })),
        )
    }

    /// Runs an async `script` whose last argument is the callback to call with the result.
    pub fn js_async(&self, script: &str, args: Value) -> Value {
        self.cmd(
            "POST",
            &self.s("/execute/async"),
            Some(json!({ "script": script, "args": args })),
        )
    }

    fn find_now(&self, css: &str) -> Option<String> {
        let v = self.try_cmd(
            "POST",
            &self.s("/element"),
            Some(json!({"using": "css selector", "value": css})),
        )?;
        v[ELEMENT].as_str().map(str::to_owned)
    }

    /// Waits for an element matching `css` and returns its id.
    pub fn find(&self, css: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(id) = self.find_now(css) {
                return id;
            }
            if Instant::now() > deadline {
                self.screenshot("failure");
                panic!(
                    "no element `{css}` on {} after {WAIT:?}; page text: {}",
                    self.url(),
                    self.body_text()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn click(&self, css: &str) {
        let id = self.find(css);
        self.cmd(
            "POST",
            &self.s(&format!("/element/{id}/click")),
            Some(json!({})),
        );
    }

    /// Clears the field `css` and types `text` into it.
    pub fn fill(&self, css: &str, text: &str) {
        let id = self.find(css);
        self.cmd(
            "POST",
            &self.s(&format!("/element/{id}/clear")),
            Some(json!({})),
        );
        self.cmd(
            "POST",
            &self.s(&format!("/element/{id}/value")),
            Some(json!({ "text": text })),
        );
    }

    /// Presses a key in the element `css` without clearing it (a WebDriver key code such as
    /// `ESCAPE`), as a keyboard user would.
    pub fn press(&self, css: &str, key: &str) {
        let id = self.find(css);
        self.cmd(
            "POST",
            &self.s(&format!("/element/{id}/value")),
            Some(json!({ "text": key })),
        );
    }

    /// Chooses the option with `value` in the select `css` (as a user would, with a change event).
    pub fn choose(&self, css: &str, value: &str) {
        self.find(css);
        let ok = self.js(
            "const s = document.querySelector(arguments[0]); \
             if (![...s.options].some(o => o.value === arguments[1])) return false; \
             s.value = arguments[1]; s.dispatchEvent(new Event('change', {bubbles: true})); return true;",
            json!([css, value]),
        );
        assert_eq!(ok, true, "no option {value} in {css}");
    }

    /// Gives the file input `css` a local file, as a user choosing it would.
    pub fn upload_file(&self, css: &str, path: &Path) {
        let id = self.find(css);
        self.cmd(
            "POST",
            &self.s(&format!("/element/{id}/value")),
            Some(json!({ "text": path.display().to_string() })),
        );
    }

    /// Waits until `at` has passed (a form that refuses posts in its first seconds, as a bot's).
    pub fn wait_until(&self, at: Instant) {
        while Instant::now() < at {
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The visible text of the first element matching `css` (waits for it).
    pub fn text(&self, css: &str) -> String {
        self.find(css);
        self.text_now(css).unwrap_or_default()
    }

    /// Read in the page, so an element redrawn meanwhile is never a stale reference.
    fn text_now(&self, css: &str) -> Option<String> {
        self.try_cmd(
            "POST",
            &self.s("/execute/sync"),
            Some(json!({
                "script": "const e = document.querySelector(arguments[0]); return e ? e.innerText : null;",
                "args": [css],
            })),
        )
        .and_then(|v| v.as_str().map(str::to_owned))
    }

    pub fn body_text(&self) -> String {
        self.try_cmd(
            "POST",
            &self.s("/execute/sync"),
            Some(json!({"script": "return document.body ? document.body.innerText : '';", "args": []})),
        )
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
    }

    /// Waits until the element `css` contains `needle` in its visible text.
    pub fn wait_text(&self, css: &str, needle: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(t) = self.text_now(css) {
                if t.contains(needle) {
                    return t;
                }
            }
            if Instant::now() > deadline {
                self.screenshot("failure");
                panic!(
                    "`{css}` never showed `{needle}` on {}; page text: {}",
                    self.url(),
                    self.body_text()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits until the current URL's path (and query) starts with `prefix`.
    pub fn wait_path(&self, prefix: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            let url = self.url();
            let path = url
                .split_once("://")
                .and_then(|(_, r)| r.find('/').map(|i| r[i..].to_owned()))
                .unwrap_or_default();
            if path.starts_with(prefix) {
                return;
            }
            if Instant::now() > deadline {
                self.screenshot("failure");
                panic!(
                    "never reached {prefix}; at {url}; page text: {}",
                    self.body_text()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits until `script` returns true.
    pub fn wait_js(&self, what: &str, script: &str, args: &Value) {
        let deadline = Instant::now() + WAIT;
        loop {
            if self.js(script, args.clone()) == true {
                return;
            }
            if Instant::now() > deadline {
                self.screenshot("failure");
                panic!(
                    "{what} did not happen on {}; page text: {}",
                    self.url(),
                    self.body_text()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Saves a PNG screenshot as `{name}.png` in the screenshot directory.
    pub fn screenshot(&self, name: &str) -> PathBuf {
        let path = self.shots.join(format!("{name}.png"));
        if let Some(v) = self.try_cmd("GET", &self.s("/screenshot"), None) {
            if let Some(b64) = v.as_str() {
                if let Some(bytes) = base64_decode(b64) {
                    let _ = std::fs::write(&path, bytes);
                }
            }
        }
        path
    }

    /// The browser's cookies as WebDriver reports them (including HttpOnly ones).
    pub fn cookies(&self) -> Value {
        self.cmd("GET", &self.s("/cookie"), None)
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.try_cmd("DELETE", &self.s(""), None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// The WebDriver key code of Escape.
pub const ESCAPE: &str = "\u{E00C}";

fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut buf, mut bits) = (0u32, 0u32);
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' | b'\n' | b'\r' => continue,
            _ => return None,
        };
        buf = (buf << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
        }
    }
    Some(out)
}
