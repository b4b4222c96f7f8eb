//! Page shells: the same small HTML document for every workspace page, naming one ES module that
//! fetches what the page shows from `/api/v1`. A shell carries no data, so it is served to anyone;
//! what appears in it is whatever the API lets the signed-in caller see.

use crate::html::escape;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use vigil_server::AppState;

/// One workspace page.
#[derive(Debug)]
pub struct Page {
    /// The route (axum syntax; `{id}` segments are read by the module from `location`).
    pub path: &'static str,
    pub title: &'static str,
    /// The module under `/static/js/pages/`, without `.js`.
    pub module: &'static str,
}

/// Every workspace page.
pub static PAGES: &[Page] = &[
    Page {
        path: "/",
        title: "Home",
        module: "home",
    },
    Page {
        path: "/login",
        title: "Sign in",
        module: "login",
    },
    Page {
        path: "/cases",
        title: "Cases",
        module: "cases",
    },
    Page {
        path: "/cases/{id}",
        title: "Case",
        module: "case",
    },
    Page {
        path: "/cases/{id}/chart",
        title: "Link chart",
        module: "chart",
    },
    Page {
        path: "/entities/{id}",
        title: "Entity",
        module: "entity",
    },
    Page {
        path: "/triage",
        title: "Triage",
        module: "triage",
    },
    Page {
        path: "/triage/{id}",
        title: "Triage item",
        module: "triage",
    },
    Page {
        path: "/vault",
        title: "Survivors",
        module: "vault",
    },
    Page {
        path: "/vault/{id}",
        title: "Survivor record",
        module: "vault",
    },
    Page {
        path: "/admin",
        title: "Administration",
        module: "admin",
    },
    Page {
        path: "/admin/audit",
        title: "Audit trail",
        module: "audit",
    },
    Page {
        path: "/account",
        title: "My account",
        module: "account",
    },
];

/// The shell for `page`.
#[must_use]
pub fn shell(page: &Page) -> String {
    format!(
        r##"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{title} · Vigil</title>
<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/css/vigil.css">
<script type="module" src="/static/js/pages/{module}.js"></script>
</head>
<body data-page="{module}">
<a class="skip" href="#main">Skip to content</a>
<header id="top" class="top"><span class="brand">Vigil</span></header>
<main id="main" tabindex="-1"><p class="muted" id="loading">Loading…</p></main>
<noscript><p class="notice">The Vigil workspace needs JavaScript. The public tip form works without it: <a href="/tip">report a concern</a>.</p></noscript>
</body>
</html>
"##,
        title = escape(page.title),
        module = escape(page.module),
    )
}

fn page_response(html: String) -> Response {
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        Html(html),
    )
        .into_response()
}

/// The HTML 404 for browsers.
pub fn not_found_page() -> Response {
    let body = r##"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Not found · Vigil</title>
<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/css/vigil.css">
</head>
<body>
<header class="top"><a class="brand" href="/">Vigil</a></header>
<main id="main"><h1>Page not found</h1><p>There is no page at this address. <a href="/">Go to your home page</a>.</p></main>
</body>
</html>
"##;
    (StatusCode::NOT_FOUND, page_response(body.to_owned())).into_response()
}

pub fn routes() -> Router<AppState> {
    let mut r = Router::new();
    for page in PAGES {
        let html = shell(page);
        r = r.route(page.path, get(move || async move { page_response(html) }));
    }
    r
}
