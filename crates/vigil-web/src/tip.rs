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

/// The frame of a public page: no script at all, the stylesheet, a language switch.
fn page(lang: Lang, status: StatusCode, title: &str, switch_to: &str, body: &str) -> Response {
    let t = lang.t();
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
<header class="top"><span class="brand">{title}</span><a class="lang" href="{switch}?lang={other_code}" lang="{other_code}" hreflang="{other_code}">{other}</a></header>
<main id="main" tabindex="-1">
{body}
</main>
</body>
</html>
"##,
        code = lang.code(),
        title = escape(title),
        skip = escape(t.skip),
        switch = switch_to,
        other_code = t.other_lang_code,
        other = escape(t.other_lang),
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
    page(lang, StatusCode::OK, lang.t().tip_title, "/tip", &body)
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
            page(lang, StatusCode::CREATED, t.thanks_title, "/tip", &body)
        }
        Ok(Submitted::Replayed(_)) => {
            // Only API calls with an Idempotency-Key replay; the form sends none.
            let body = tip_form(&app, lang, &f, Some(t.try_again));
            page(lang, StatusCode::OK, t.tip_title, "/tip", &body)
        }
        Err(err) => {
            let status = err.status();
            let body = tip_form(&app, lang, &f, Some(refusal(t, &err)));
            page(lang, status, t.tip_title, "/tip", &body)
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
        "/tip/status",
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
            Err(e) if e.status() == StatusCode::NOT_FOUND || e.status() == StatusCode::UNAUTHORIZED => {
                return page(lang, e.status(), t.status_title, "/tip/status", &code_form(t, lang, Some(t.bad_code)));
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
            return page(lang, e.status(), t.status_title, "/tip/status", &code_form(t, lang, Some(msg)));
        }
    };
    let mut items = String::new();
    for m in &thread.messages {
        let who = if m.from == "you" { t.from_you } else { t.from_task_force };
        items.push_str(&format!(
            r#"<li class="note" data-from="{from}"><div class="meta">{who} · <time datetime="{at}">{at_text}</time></div>{body}</li>"#,
            from = escape(&m.from),
            who = escape(who),
            at = escape(&m.at),
            at_text = escape(m.at.get(..16).unwrap_or(&m.at).replace('T', " ").as_str()),
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
<div class="field"><label for="text">{add_field}</label><textarea id="text" name="text" rows="5" required></textarea></div>
<div class="actions"><button type="submit">{add_send}</button></div>
</form></section>
<p><a href="/tip?lang={lang}">{new_tip}</a></p>"#,
        title = escape(t.status_title),
        notice = notice
            .map(|n| format!(r#"<p class="success" role="status" id="form-notice">{}</p>"#, escape(n)))
            .unwrap_or_default(),
        add_error = add_error.map(error_box).unwrap_or_default(),
        received = escape(t.received),
        at = escape(&thread.received_at),
        at_text = escape(thread.received_at.get(..10).unwrap_or(&thread.received_at)),
        items = items,
        no_replies = if replies {
            String::new()
        } else {
            format!(r#"<p class="notice" id="no-replies">{}</p>"#, escape(t.no_replies))
        },
        add_title = escape(t.add_title),
        lang = lang.code(),
        code = escape(&code),
        add_field = escape(t.add_field),
        add_send = escape(t.add_send),
        new_tip = escape(t.new_tip),
    );
    page(lang, StatusCode::OK, t.status_title, "/tip/status", &body)
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/tip", get(show_form).post(submit))
        .route("/tip/status", get(show_status_form).post(status))
}
