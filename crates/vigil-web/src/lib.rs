//! The browser workspace served by `vigil serve`: HTML shells and our own ES modules (embedded in
//! the binary) that call `/api/v1` with the session cookie and `X-CSRF-Token` like any other
//! client, so the API's one policy decides everything a page shows. The UI holds no access rules.
//! The only server-rendered forms are public ones that must work without JavaScript.

mod assets;
mod html;
mod i18n;
mod pages;
mod tip;

use axum::http::{header, HeaderMap, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use vigil_server::{ApiError, AppState};

pub use assets::{asset, Asset, ASSETS};
pub use pages::{Page, PAGES};

/// Every web route: page shells, the public tip pages and static assets. Merge with the API
/// through `vigil_server::router_with(state, vigil_web::routes(), vigil_web::not_found)`.
pub fn routes() -> Router<AppState> {
    pages::routes().merge(tip::routes()).merge(assets::routes())
}

/// Unknown paths: the API's JSON 404 under `/api/` and for non-browser clients, a small HTML
/// page otherwise.
pub async fn not_found(uri: Uri, headers: HeaderMap) -> Response {
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    if uri.path().starts_with("/api/") || !wants_html {
        return ApiError::NotFound.into_response();
    }
    pages::not_found_page()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn text(a: &Asset) -> &'static str {
        std::str::from_utf8(a.bytes).unwrap_or("")
    }

    /// `import … from '…'` specifiers of a module, resolved against its path.
    fn imports(a: &Asset) -> Vec<String> {
        let dir: Vec<&str> = a
            .path
            .rsplit_once('/')
            .map_or(vec![], |(d, _)| d.split('/').collect());
        let mut out = Vec::new();
        for line in text(a).lines() {
            let l = line.trim();
            if !(l.starts_with("import ") || (l.starts_with("} from ") && l.ends_with(';'))) {
                continue;
            }
            let Some(spec) = l.split(['\'', '"']).nth(1) else {
                continue;
            };
            let mut parts = dir.clone();
            for seg in spec.split('/') {
                match seg {
                    "." => {}
                    ".." => {
                        parts.pop();
                    }
                    s => parts.push(s),
                }
            }
            out.push(parts.join("/"));
        }
        out
    }

    #[test]
    fn every_import_resolves_to_an_embedded_module() {
        for a in ASSETS.iter().filter(|a| a.path.ends_with(".js")) {
            for target in imports(a) {
                assert!(
                    asset(&target).is_some(),
                    "{} imports {target}, which is not embedded",
                    a.path
                );
            }
        }
    }

    /// The top-level functions of a module: (first line, body up to the next top-level
    /// function).
    fn top_level_functions(src: &str) -> Vec<(&str, String)> {
        let starts = |l: &str| {
            [
                "function ",
                "async function ",
                "export function ",
                "export async function ",
            ]
            .iter()
            .any(|p| l.starts_with(p))
        };
        let mut out: Vec<(&str, String)> = Vec::new();
        for line in src.lines() {
            if starts(line) {
                out.push((line, String::new()));
            } else if let Some((_, body)) = out.last_mut() {
                body.push_str(line);
                body.push('\n');
            }
        }
        out
    }

    /// Step-up re-authentication (IA-11) is handled once, in api.js: no other module reaches the
    /// network itself, and every function of api.js that sends a request retries it after the
    /// step-up dialog (through `exchange`, or `needsStepUp` for the upload).
    #[test]
    fn every_request_goes_through_api_js_and_its_step_up_retry() {
        for a in ASSETS
            .iter()
            .filter(|a| a.path.ends_with(".js") && a.path != "js/api.js")
        {
            let t = text(a);
            for banned in [
                "fetch(",
                "XMLHttpRequest",
                "sendBeacon",
                "WebSocket",
                "EventSource",
            ] {
                assert!(
                    !t.contains(banned),
                    "{} uses {banned}: call the API through api.js",
                    a.path
                );
            }
        }
        let api = text(asset("js/api.js").unwrap());
        let senders: Vec<_> = top_level_functions(api)
            .into_iter()
            .filter(|(_, body)| body.contains("fetch(") || body.contains("XMLHttpRequest"))
            .collect();
        assert!(senders.len() >= 4, "api, download, downloadPost, upload");
        for (head, body) in senders {
            assert!(
                body.contains("exchange(") || body.contains("needsStepUp("),
                "api.js: `{head}` sends a request without the step-up retry"
            );
        }
        assert!(api.contains("'STEP_UP_REQUIRED'"));
        let dialog = text(asset("js/step-up.js").unwrap());
        for needle in [
            "showModal()",
            "'aria-labelledby'",
            "'cancel'",
            "please confirm it's you",
        ] {
            assert!(dialog.contains(needle), "step-up.js lacks {needle}");
        }
    }

    #[test]
    fn every_page_names_an_embedded_module_and_has_no_inline_script_or_style() {
        for p in PAGES {
            let html = pages::shell(p);
            let module = format!("js/pages/{}.js", p.module);
            assert!(asset(&module).is_some(), "{} needs {module}", p.path);
            assert!(html.contains(&format!("src=\"/static/{module}\"")));
            // Every <script> has a src; no style attributes or <style> blocks (CSP: 'self' only).
            assert_eq!(
                html.matches("<script").count(),
                html.matches("<script type=\"module\" src=").count()
            );
            assert!(!html.contains("style="), "{}", p.path);
            assert!(!html.contains("<style"), "{}", p.path);
        }
    }

    /// WCAG 2.x relative luminance of `#rrggbb`.
    fn luminance(hex: &str) -> f64 {
        let channel = |i: usize| {
            let v = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
            if v <= 0.039_28 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
    }

    #[test]
    fn text_colours_meet_wcag_aa_contrast_on_their_backgrounds() {
        let css = text(asset("css/vigil.css").unwrap());
        let var = |name: &str| -> String {
            let key = format!("--{name}:");
            let at = css
                .find(&key)
                .unwrap_or_else(|| panic!("no {key} in vigil.css"));
            css[at + key.len()..]
                .split(';')
                .next()
                .unwrap()
                .trim()
                .to_owned()
        };
        // (text, background) pairs the stylesheet uses for text.
        let pairs = [
            ("ink", "bg"),
            ("ink", "panel"),
            ("ink", "accent-soft"),
            ("muted", "bg"),
            ("muted", "panel"),
            ("accent", "bg"),
            ("accent", "panel"),
            ("accent", "accent-soft"),
            ("accent-ink", "accent"),
            ("danger", "danger-soft"),
            ("warn", "warn-soft"),
            ("ok", "ok-soft"),
        ];
        for (fg, bg) in pairs {
            let (a, b) = (luminance(&var(fg)), luminance(&var(bg)));
            let ratio = (a.max(b) + 0.05) / (a.min(b) + 0.05);
            assert!(
                ratio >= 4.5,
                "--{fg} on --{bg}: {ratio:.2}:1 is below 4.5:1"
            );
        }
    }

    #[test]
    fn every_file_under_assets_is_embedded_and_modules_avoid_html_injection() {
        fn walk(dir: &std::path::Path, root: &std::path::Path, out: &mut BTreeSet<String>) {
            for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, root, out);
                } else if let Ok(rel) = p.strip_prefix(root) {
                    out.insert(rel.to_string_lossy().replace('\\', "/"));
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets");
        let mut files = BTreeSet::new();
        walk(&root, &root, &mut files);
        let embedded: BTreeSet<String> = ASSETS.iter().map(|a| a.path.to_owned()).collect();
        assert_eq!(files, embedded, "assets on disk and in assets.rs differ");
        for a in ASSETS.iter().filter(|a| a.path.ends_with(".js")) {
            let t = text(a);
            for banned in [
                "innerHTML",
                "outerHTML",
                "insertAdjacentHTML",
                "document.write",
                "eval(",
                "new Function",
            ] {
                assert!(
                    !t.contains(banned),
                    "{} uses {banned}: build DOM nodes with ui.js instead",
                    a.path
                );
            }
            assert!(
                !t.contains("setAttribute('style'"),
                "{} sets a style attribute (CSP)",
                a.path
            );
        }
    }
}
