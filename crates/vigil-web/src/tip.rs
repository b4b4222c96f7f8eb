//! The public tip page and the receipt-code follow-up page: server-rendered HTML forms that work
//! without JavaScript and without an account, in English and Spanish. They call the same
//! functions as the JSON tip API (`vigil_server::tips`), with the no-JavaScript form token as the
//! anti-abuse proof. Nothing here reads the client's address or user agent; the receipt code only
//! ever travels in a POST body, never in a URL.

use crate::html::escape;
use crate::i18n::{Lang, Text};
use axum::extract::{Form, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::collections::HashMap;
use vigil_server::tips::{self, Proof, Submitted, TipInput};
use vigil_server::{ApiError, AppState};

type Fields = HashMap<String, String>;

fn lang_of(explicit: Option<&String>, headers: &HeaderMap) -> Lang {
    Lang::pick(
        explicit.map(String::as_str),
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    )
}

fn field<'a>(f: &'a Fields, k: &str) -> &'a str {
    f.get(k).map_or("", String::as_str)
}

fn optional(f: &Fields, k: &str) -> Option<String> {
    let v = field(f, k).trim();
    (!v.is_empty()).then(|| v.to_owned())
}

/// The frame of a public page: no script at all, the stylesheet, and a language switch to
/// `switch_to` (none where leaving would lose what the page shows once, the receipt code).
fn page(
    lang: Lang,
    status: StatusCode,
    title: &str,
    switch_to: Option<&str>,
    body: &str,
) -> Response {
    let t = lang.t();
    let switch = switch_to.map_or_else(String::new, |to| {
        format!(
            r#"<a class="lang" href="{to}?lang={code}" lang="{code}" hreflang="{code}">{label}</a>"#,
            code = t.other_lang_code,
            label = escape(t.other_lang),
        )
    });
    let html = format!(
        r##"<!doctype html>
<html lang="{code}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{title}</title>
<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/css/vigil.css">
</head>
<body class="public">
<a class="skip" href="#main">{skip}</a>
<header class="top"><span class="brand">{brand}</span>{switch}</header>
<main id="main" tabindex="-1">
{body}
</main>
</body>
</html>
"##,
        code = lang.code(),
        title = escape(title),
        brand = escape(t.tip_title),
        skip = escape(t.skip),
    );
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        Html(html),
    )
        .into_response()
}

fn error_box(text: &str) -> String {
    format!(
        r#"<p class="error" role="alert" id="form-error">{}</p>"#,
        escape(text)
    )
}

/// The tip form, with `values` kept after a refusal and a fresh form token.
fn tip_form(app: &AppState, lang: Lang, values: &Fields, error: Option<&str>) -> String {
    let t: &Text = lang.t();
    let token = tips::issue_form_token(app);
    let input = |name: &str, label: &str, hint: &str, optional_label: bool| {
        format!(
            r#"<div class="field"><label for="{name}">{label}{opt}<span class="hint" id="{name}-hint">{hint}</span></label>
<input id="{name}" name="{name}" type="text" value="{value}" aria-describedby="{name}-hint" autocomplete="off"></div>"#,
            label = escape(label),
            opt = if optional_label {
                format!(" <span class=\"muted\">({})</span>", escape(t.optional))
            } else {
                String::new()
            },
            hint = escape(hint),
            value = escape(field(values, name)),
        )
    };
    format!(
        r#"<h1>{title}</h1>
<p>{intro}</p>
<p class="warning">{danger}</p>
{error}
<form method="post" action="/tip" class="stack" id="tip-form">
<input type="hidden" name="form_token" value="{token}">
<input type="hidden" name="lang" value="{lang}">
<div class="field"><label for="what">{what}<span class="hint" id="what-hint">{what_hint}</span></label>
<textarea id="what" name="what" required rows="8" aria-describedby="what-hint">{what_value}</textarea></div>
{where_}
{when}
{contact}
<div class="actions"><button type="submit">{send}</button></div>
</form>
<p class="muted small">{privacy}</p>
<p><a href="/tip/status?lang={lang}">{followup}</a></p>"#,
        title = escape(t.tip_title),
        intro = escape(t.tip_intro),
        danger = escape(t.danger),
        error = error.map(error_box).unwrap_or_default(),
        token = escape(&token),
        lang = lang.code(),
        what = escape(t.what),
        what_hint = escape(t.what_hint),
        what_value = escape(field(values, "what")),
        where_ = input("where", t.where_, t.where_hint, true),
        when = input("when", t.when, t.when_hint, true),
        contact = input("contact", t.contact, t.contact_hint, true),
        send = escape(t.send),
        privacy = escape(t.privacy),
        followup = escape(t.followup_link),
    )
}

async fn show_form(
    State(app): State<AppState>,
    Query(q): Query<Fields>,
    headers: HeaderMap,
) -> Response {
    let lang = lang_of(q.get("lang"), &headers);
    let body = tip_form(&app, lang, &Fields::new(), None);
    page(
        lang,
        StatusCode::OK,
        lang.t().tip_title,
        Some("/tip"),
        &body,
    )
}

/// What to tell the tipster when the submission was refused.
fn refusal(t: &Text, err: &ApiError) -> &'static str {
    let (code, _) = err.code_and_message();
    match code.as_str() {
        "TOKEN_NOT_YET_VALID" => t.too_fast,
        "RATE_LIMITED" | "UNAVAILABLE" => t.busy,
        _ => t.try_again,
    }
}

async fn submit(
    State(app): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<Fields>,
) -> Response {
    let lang = lang_of(f.get("lang"), &headers);
    let t = lang.t();
    let input = TipInput {
        what: field(&f, "what").to_owned(),
        where_text: optional(&f, "where"),
        when_text: optional(&f, "when"),
        contact: optional(&f, "contact"),
        attachments: Vec::new(),
    };
    let proof = Proof::Form {
        token: field(&f, "form_token").to_owned(),
    };
    match tips::submit(&app, proof, input, None).await {
        Ok(Submitted::Created(receipt)) => {
            let body = format!(
                r#"<h1>{thanks}</h1>
<p>{body}</p>
<section class="panel"><h2>{label}</h2>
<p class="secret" id="receipt-code">{code}</p>
<p class="warning">{keep}</p></section>
<p><a href="/tip/status?lang={lang}">{followup}</a></p>
<p><a href="/tip?lang={lang}">{new_tip}</a></p>"#,
                thanks = escape(t.thanks_title),
                body = escape(t.thanks_body),
                label = escape(t.code_label),
                code = escape(&receipt.receipt_code),
                keep = escape(t.code_keep),
                lang = lang.code(),
                followup = escape(t.followup_link),
                new_tip = escape(t.new_tip),
            );
            page(lang, StatusCode::CREATED, t.thanks_title, None, &body)
        }
        Ok(Submitted::Replayed(_)) => {
            // Only API calls with an Idempotency-Key replay; the form sends none.
            let body = tip_form(&app, lang, &f, Some(t.try_again));
            page(lang, StatusCode::OK, t.tip_title, Some("/tip"), &body)
        }
        Err(err) => {
            let status = err.status();
            let body = tip_form(&app, lang, &f, Some(refusal(t, &err)));
            page(lang, status, t.tip_title, Some("/tip"), &body)
        }
    }
}

fn code_form(t: &Text, lang: Lang, error: Option<&str>) -> String {
    format!(
        r#"<h1>{title}</h1>
<p>{intro}</p>
{error}
<form method="post" action="/tip/status" class="stack" id="status-form">
<input type="hidden" name="lang" value="{lang}">
<div class="field"><label for="receipt_code">{label}</label>
<input id="receipt_code" name="receipt_code" type="text" required autocomplete="off" autocapitalize="none" spellcheck="false" class="mono"></div>
<div class="actions"><button type="submit">{show}</button></div>
</form>
<p><a href="/tip?lang={lang}">{new_tip}</a></p>"#,
        title = escape(t.status_title),
        intro = escape(t.status_intro),
        error = error.map(error_box).unwrap_or_default(),
        lang = lang.code(),
        label = escape(t.code_field),
        show = escape(t.show),
        new_tip = escape(t.new_tip),
    )
}

async fn show_status_form(Query(q): Query<Fields>, headers: HeaderMap) -> Response {
    let lang = lang_of(q.get("lang"), &headers);
    let t = lang.t();
    page(
        lang,
        StatusCode::OK,
        t.status_title,
        Some("/tip/status"),
        &code_form(t, lang, None),
    )
}

/// The thread for a code (and, when `text` is sent, adds it first).
async fn status(
    State(app): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<Fields>,
) -> Response {
    let lang = lang_of(f.get("lang"), &headers);
    let t = lang.t();
    let code = field(&f, "receipt_code").trim().to_owned();
    let mut notice = None;
    let mut add_error = None;
    if let Some(text) = optional(&f, "text") {
        match tips::add_information(&app, &code, &text).await {
            Ok(()) => notice = Some(t.added),
            Err(e)
                if e.status() == StatusCode::NOT_FOUND
                    || e.status() == StatusCode::UNAUTHORIZED =>
            {
                return page(
                    lang,
                    e.status(),
                    t.status_title,
                    Some("/tip/status"),
                    &code_form(t, lang, Some(t.bad_code)),
                );
            }
            Err(e) => add_error = Some(refusal(t, &e)),
        }
    }
    let thread = match tips::thread(&app, &code).await {
        Ok(th) => th,
        Err(e) => {
            let msg = if e.status() == StatusCode::TOO_MANY_REQUESTS {
                t.busy
            } else {
                t.bad_code
            };
            return page(
                lang,
                e.status(),
                t.status_title,
                Some("/tip/status"),
                &code_form(t, lang, Some(msg)),
            );
        }
    };
    let mut items = String::new();
    for m in &thread.messages {
        let who = if m.from == "you" {
            t.from_you
        } else {
            t.from_task_force
        };
        items.push_str(&format!(
            r#"<li class="note" data-from="{from}"><div class="meta">{who} · <time datetime="{at}">{at_text}</time></div>{body}</li>"#,
            from = escape(&m.from),
            who = escape(who),
            at = escape(&m.at),
            at_text = escape(&format!("{} UTC", m.at.get(..16).unwrap_or(&m.at).replace('T', " "))),
            body = escape(&m.body),
        ));
    }
    let replies = thread.messages.iter().any(|m| m.from != "you");
    let body = format!(
        r#"<h1>{title}</h1>
{notice}{add_error}
<p class="muted">{received} · <time datetime="{at}">{at_text}</time></p>
<ol class="timeline" id="tip-thread">{items}</ol>
{no_replies}
<section class="panel"><h2>{add_title}</h2>
<form method="post" action="/tip/status" class="stack" id="add-form">
<input type="hidden" name="lang" value="{lang}">
<input type="hidden" name="receipt_code" value="{code}">
<div class="field"><label for="text">{add_field}</label><textarea id="text" name="text" rows="5" required>{kept}</textarea></div>
<div class="actions"><button type="submit">{add_send}</button></div>
</form></section>
<p><a href="/tip?lang={lang}">{new_tip}</a></p>"#,
        title = escape(t.status_title),
        notice = notice
            .map(|n| format!(
                r#"<p class="success" role="status" id="form-notice">{}</p>"#,
                escape(n)
            ))
            .unwrap_or_default(),
        add_error = add_error.map(error_box).unwrap_or_default(),
        received = escape(t.received),
        at = escape(&thread.received_at),
        at_text = escape(thread.received_at.get(..10).unwrap_or(&thread.received_at)),
        items = items,
        no_replies = if replies {
            String::new()
        } else {
            format!(
                r#"<p class="notice" id="no-replies">{}</p>"#,
                escape(t.no_replies)
            )
        },
        add_title = escape(t.add_title),
        lang = lang.code(),
        code = escape(&code),
        add_field = escape(t.add_field),
        add_send = escape(t.add_send),
        // What they wrote stays in the box when it could not be added.
        kept = if add_error.is_some() {
            escape(field(&f, "text"))
        } else {
            String::new()
        },
        new_tip = escape(t.new_tip),
    );
    page(
        lang,
        StatusCode::OK,
        t.status_title,
        Some("/tip/status"),
        &body,
    )
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/tip", get(show_form).post(submit))
        .route("/tip/status", get(show_status_form).post(status))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::Request;
    use std::sync::Arc;
    use std::time::Duration;
    use tower::ServiceExt;
    use vigil_server::ServerConfig;
    use vigil_store::{Store, StoreConfig};
    use vigil_types::TestClock;

    struct Env {
        app: axum::Router,
        clock: TestClock,
        store: Store,
        dir: tempfile::TempDir,
    }

    async fn env() -> Env {
        let dir = tempfile::tempdir().unwrap();
        let clock = TestClock::at_rfc3339("2026-03-02T09:00:00Z");
        let store = Store::open(&StoreConfig::sqlite_in(dir.path()), Arc::new(clock.clone()))
            .await
            .unwrap();
        let state = AppState::new(store.clone(), ServerConfig::default());
        let app = vigil_server::router_with(state, crate::routes(), crate::not_found);
        Env {
            app,
            clock,
            store,
            dir,
        }
    }

    struct Answer {
        status: StatusCode,
        headers: HeaderMap,
        body: String,
    }

    async fn call(e: &Env, req: Request<Body>) -> Answer {
        let res = e.app.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = axum::body::to_bytes(res.into_body(), 1 << 20)
            .await
            .unwrap();
        Answer {
            status,
            headers,
            body: String::from_utf8(bytes.to_vec()).unwrap(),
        }
    }

    async fn get(e: &Env, uri: &str, accept_language: Option<&str>) -> Answer {
        let mut r = Request::get(uri).header(header::ACCEPT, "text/html");
        if let Some(l) = accept_language {
            r = r.header(header::ACCEPT_LANGUAGE, l);
        }
        call(e, r.body(Body::empty()).unwrap()).await
    }

    fn form_body(fields: &[(&str, &str)]) -> String {
        fields
            .iter()
            .map(|(k, v)| format!("{k}={}", urlencode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    fn urlencode(s: &str) -> String {
        let mut out = String::new();
        for b in s.bytes() {
            match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    out.push(char::from(b));
                }
                b' ' => out.push('+'),
                _ => out.push_str(&format!("%{b:02X}")),
            }
        }
        out
    }

    async fn post(e: &Env, uri: &str, fields: &[(&str, &str)]) -> Answer {
        let req = Request::post(uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::USER_AGENT, "UniqueTestAgent/9.9 (tipster-device)")
            .header("x-forwarded-for", "203.0.113.77")
            .body(Body::from(form_body(fields)))
            .unwrap();
        call(e, req).await
    }

    /// The value of the hidden input `name` in `html`.
    fn hidden(html: &str, name: &str) -> String {
        let marker = format!("name=\"{name}\" value=\"");
        let start = html.find(&marker).unwrap() + marker.len();
        html[start..].split('"').next().unwrap().to_owned()
    }

    fn receipt(html: &str) -> String {
        let marker = "id=\"receipt-code\">";
        let start = html.find(marker).unwrap() + marker.len();
        html[start..].split('<').next().unwrap().to_owned()
    }

    fn no_cookie_and_no_script(a: &Answer) {
        assert!(a.headers.get(header::SET_COOKIE).is_none());
        assert!(!a.body.contains("<script"), "public pages run no script");
        assert!(!a.body.contains("style="), "no inline style (CSP)");
    }

    /// Every `href` and `action` in `html`, for the check that a code never reaches a URL.
    fn urls(html: &str) -> Vec<String> {
        ["href=\"", "action=\""]
            .iter()
            .flat_map(|m| {
                html.match_indices(m)
                    .map(|(i, _)| {
                        html[i + m.len()..]
                            .split('"')
                            .next()
                            .unwrap_or("")
                            .to_owned()
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    async fn submit_tip(e: &Env, what: &str) -> String {
        let form = get(e, "/tip", None).await;
        let token = hidden(&form.body, "form_token");
        e.clock.advance(Duration::from_secs(5));
        let done = post(
            e,
            "/tip",
            &[
                ("form_token", &token),
                ("lang", "en"),
                ("what", what),
                ("where", "Route 9 truck stop"),
                ("when", ""),
                ("contact", ""),
            ],
        )
        .await;
        assert_eq!(done.status, StatusCode::CREATED, "{}", done.body);
        no_cookie_and_no_script(&done);
        // No language switch here: following it would lose the code shown only once.
        assert!(!done.body.contains("class=\"lang\""));
        receipt(&done.body)
    }

    #[tokio::test]
    async fn the_form_is_labelled_script_free_and_in_english_or_spanish() {
        let e = env().await;
        let en = get(&e, "/tip", None).await;
        assert_eq!(en.status, StatusCode::OK);
        no_cookie_and_no_script(&en);
        assert!(en.body.contains("<html lang=\"en\">"));
        assert!(en.body.contains(crate::i18n::EN.tip_title));
        // Every visible control has a label naming it.
        for id in ["what", "where", "when", "contact"] {
            assert!(en.body.contains(&format!("<label for=\"{id}\">")), "{id}");
            assert!(en.body.contains(&format!("id=\"{id}\"")), "{id}");
        }
        assert!(en.body.contains("method=\"post\" action=\"/tip\""));
        let csp = en
            .headers
            .get(header::CONTENT_SECURITY_POLICY)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        assert!(csp.contains("script-src 'self'"));
        let es = get(&e, "/tip", Some("es-MX,es;q=0.9")).await;
        assert!(es.body.contains("<html lang=\"es\">"));
        assert!(es.body.contains(crate::i18n::ES.tip_title));
        assert!(es.body.contains("href=\"/tip?lang=en\""), "a switch back");
        let explicit = get(&e, "/tip?lang=es", Some("en-US")).await;
        assert!(explicit.body.contains(crate::i18n::ES.send));
        let status = get(&e, "/tip/status?lang=es", None).await;
        assert!(status.body.contains("<label for=\"receipt_code\">"));
        assert!(status.body.contains(crate::i18n::ES.status_title));
        no_cookie_and_no_script(&status);
    }

    #[tokio::test]
    async fn a_too_quick_post_keeps_what_was_written_and_asks_again() {
        let e = env().await;
        let form = get(&e, "/tip", None).await;
        let token = hidden(&form.body, "form_token");
        let again = post(
            &e,
            "/tip",
            &[
                ("form_token", &token),
                ("lang", "es"),
                ("what", "Hombres <b>encerrados</b> en la bodega"),
            ],
        )
        .await;
        assert_eq!(again.status, StatusCode::BAD_REQUEST);
        assert!(again.body.contains(crate::i18n::ES.too_fast));
        assert!(again.body.contains("role=\"alert\""));
        // Kept, escaped, with a fresh token.
        assert!(again
            .body
            .contains("Hombres &lt;b&gt;encerrados&lt;/b&gt; en la bodega"));
        assert_ne!(hidden(&again.body, "form_token"), token);
        // A tip with no text is refused the same way, nothing stored.
        e.clock.advance(Duration::from_secs(5));
        let empty = post(&e, "/tip", &[("form_token", &token), ("what", "  ")]).await;
        assert_eq!(empty.status, StatusCode::BAD_REQUEST);
        assert!(empty.body.contains(crate::i18n::EN.try_again));
    }

    #[tokio::test]
    async fn a_tip_gets_a_code_that_reads_replies_and_adds_information_only_by_post() {
        let e = env().await;
        let code = submit_tip(&e, "Workers sleep in the packing shed; call 602-555-0142").await;
        assert!(code.len() >= 16, "{code}");
        // Follow-up: the thread, then an addition.
        let page = post(
            &e,
            "/tip/status",
            &[("receipt_code", &code), ("lang", "en")],
        )
        .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        no_cookie_and_no_script(&page);
        assert!(page.body.contains("id=\"no-replies\""));
        assert!(page.body.contains("id=\"add-form\""));
        for u in urls(&page.body) {
            assert!(!u.contains(&code), "the code reached a URL: {u}");
        }
        let added = post(
            &e,
            "/tip/status",
            &[
                ("receipt_code", &code),
                ("lang", "es"),
                ("text", "They move the workers at night."),
            ],
        )
        .await;
        assert_eq!(added.status, StatusCode::OK, "{}", added.body);
        assert!(added.body.contains(crate::i18n::ES.added));
        assert!(added.body.contains("They move the workers at night."));
        assert!(added.body.contains("data-from=\"you\""));
        // An addition that cannot be stored is refused and kept in the box to shorten.
        let long = format!("{}{}", "The van ", "x".repeat(10_000));
        let kept = post(
            &e,
            "/tip/status",
            &[("receipt_code", &code), ("text", &long)],
        )
        .await;
        assert_eq!(kept.status, StatusCode::OK, "{}", kept.body);
        assert!(kept.body.contains(crate::i18n::EN.try_again));
        assert!(kept.body.contains(&format!(">{long}</textarea>")));
        // A wrong code gets the same refusal as an unknown one, and keeps nothing in the URL.
        let mut wrong = code.clone();
        let last = wrong.pop().unwrap();
        // Codes are read in any case: a shown `A` must not be "changed" to an `a`.
        wrong.push(if last.eq_ignore_ascii_case(&'a') {
            'b'
        } else {
            'a'
        });
        let refused = post(&e, "/tip/status", &[("receipt_code", &wrong)]).await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND);
        assert!(refused.body.contains(crate::i18n::EN.bad_code));
        assert!(
            !refused.body.contains(&wrong),
            "a refused code is not echoed"
        );
        let garbage = post(&e, "/tip/status", &[("receipt_code", "nonsense")]).await;
        assert_eq!(garbage.status, StatusCode::NOT_FOUND);
        let add_wrong = post(
            &e,
            "/tip/status",
            &[("receipt_code", &wrong), ("text", "more")],
        )
        .await;
        assert_eq!(add_wrong.status, StatusCode::NOT_FOUND);
        assert!(!add_wrong.body.contains("more</li>"));
    }

    #[tokio::test]
    async fn nothing_about_the_tipsters_connection_is_stored() {
        let e = env().await;
        submit_tip(&e, "A van collects the same four women every morning").await;
        e.store.close().await;
        let mut stored = Vec::new();
        for f in std::fs::read_dir(e.dir.path()).unwrap().flatten() {
            stored.extend(std::fs::read(f.path()).unwrap_or_default());
        }
        let has = |needle: &str| stored.windows(needle.len()).any(|w| w == needle.as_bytes());
        assert!(has("four women"), "the tip itself is stored (sanity check)");
        assert!(!has("UniqueTestAgent"), "the user agent was stored");
        assert!(!has("203.0.113.77"), "the forwarded address was stored");
    }
}
