//! A minimal blocking HTTP/1.1 client (one request per connection) and process helpers, so the
//! tests need no HTTP client crate.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub fn vigil() -> Command {
    Command::new(env!("CARGO_BIN_EXE_vigil"))
}

/// Sends one request; returns (status, body).
pub fn call(
    addr: &str,
    method: &str,
    path: &str,
    bearer: Option<&str>,
    body: Option<&str>,
) -> std::io::Result<(u16, String)> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if let Some(t) = bearer {
        req.push_str(&format!("Authorization: Bearer {t}\r\n"));
    }
    let body = body.unwrap_or("");
    if !body.is_empty() {
        req.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    req.push_str("\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes())?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status line"))?;
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    Ok((status, body))
}

pub fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap_or(serde_json::Value::Null)
}

/// Starts `vigil serve` on a free port; returns the child and its address.
pub fn serve(data_dir: &std::path::Path) -> (Child, String) {
    let mut child = vigil()
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(data_dir)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let deadline = Instant::now() + Duration::from_secs(60);
    let addr = loop {
        assert!(Instant::now() < deadline, "vigil serve did not start");
        let line = lines.next().expect("vigil serve exited early").unwrap();
        if let Some(rest) = line.split("running at http://").nth(1) {
            break rest.split('/').next().unwrap().to_owned();
        }
    };
    // Keep draining stderr so the child never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines.by_ref() {});
    (child, addr)
}

/// One line of a demo's login table (`demo-logins.txt`): role, username, password, TOTP secret
/// and the agency's short code.
#[derive(Clone, Debug)]
pub struct DemoLogin {
    pub role: String,
    pub username: String,
    pub password: String,
    pub secret: String,
    pub agency: String,
}

impl DemoLogin {
    /// (username, password, TOTP secret), as [`login`] takes them.
    pub fn credentials(&self) -> (String, String, String) {
        (
            self.username.clone(),
            self.password.clone(),
            self.secret.clone(),
        )
    }
}

/// Seeds `vigil demo --no-serve --cases CASES --seed SEED` into a fresh temporary directory;
/// returns it, the data directory inside it and every login of the demo's login table.
pub fn seed_demo(cases: u32, seed: u64) -> (tempfile::TempDir, PathBuf, Vec<DemoLogin>) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = vigil()
        .args(["demo", "--no-serve", "--cases"])
        .arg(cases.to_string())
        .arg("--seed")
        .arg(seed.to_string())
        .arg("--data-dir")
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
            DemoLogin {
                role: f[0].to_owned(),
                username: f[1].to_owned(),
                password: f[3].to_owned(),
                secret: f[6].to_owned(),
                agency: f
                    .last()
                    .unwrap()
                    .trim_matches(|c| c == '(' || c == ')')
                    .to_owned(),
            }
        })
        .collect();
    (dir, data, logins)
}

/// A demo data directory and one investigator's (username, password, TOTP secret).
pub fn demo_dir() -> (tempfile::TempDir, (String, String, String)) {
    let (dir, _, logins) = seed_demo(4, 3);
    let investigator = logins
        .iter()
        .find(|l| l.role.starts_with("investigator"))
        .unwrap()
        .credentials();
    (dir, investigator)
}

/// Logs in with password + TOTP; returns a full session token.
pub fn login(addr: &str, user: &(String, String, String)) -> String {
    let body =
        serde_json::json!({"username": user.0, "password": user.1, "acknowledge_banner": true})
            .to_string();
    let (s, b) = call(addr, "POST", "/api/v1/auth/login", None, Some(&body)).unwrap();
    assert_eq!(s, 200, "{b}");
    let pending = json(&b)["token"].as_str().unwrap().to_owned();
    let secret = vigil_core::auth::totp::TotpSecret::from_base32(&user.2).unwrap();
    let code = secret.code_at(vigil_types::Clock::now(&vigil_types::SystemClock));
    let (s, b) = call(
        addr,
        "POST",
        "/api/v1/auth/totp",
        Some(&pending),
        Some(&format!("{{\"code\":\"{code}\"}}")),
    )
    .unwrap();
    assert_eq!(s, 200, "{b}");
    json(&b)["token"].as_str().unwrap().to_owned()
}

/// Sends one request with a raw body (`(content type, bytes)`) and returns the raw response
/// body: for files, tar streams and other bytes that are not text.
pub fn call_raw(
    addr: &str,
    method: &str,
    path: &str,
    bearer: Option<&str>,
    body: Option<(&str, &[u8])>,
) -> std::io::Result<(u16, Vec<u8>)> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if let Some(t) = bearer {
        req.push_str(&format!("Authorization: Bearer {t}\r\n"));
    }
    let (content_type, bytes) = body.unwrap_or(("", b""));
    if !content_type.is_empty() {
        req.push_str(&format!(
            "Content-Type: {content_type}\r\nContent-Length: {}\r\n",
            bytes.len()
        ));
    }
    req.push_str("\r\n");
    let mut raw_req = req.into_bytes();
    raw_req.extend_from_slice(bytes);
    s.write_all(&raw_req)?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no end of headers"))?;
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status line"))?;
    let mut body = raw[end + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body);
    }
    Ok((status, body))
}

/// Decodes a chunked HTTP/1.1 body.
fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = b.windows(2).position(|w| w == b"\r\n") {
        let size = std::str::from_utf8(&b[..eol])
            .ok()
            .and_then(|s| usize::from_str_radix(s.split(';').next().unwrap_or("").trim(), 16).ok())
            .unwrap_or(0);
        if size == 0 || b.len() < eol + 2 + size {
            break;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + size]);
        b = &b[(eol + 4 + size).min(b.len())..];
    }
    out
}
