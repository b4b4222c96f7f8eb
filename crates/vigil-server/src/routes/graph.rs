//! Link analysis over case data, shaped for a link chart: the graph of one case, or of every case
//! the caller may see (chosen by the one policy, never more), with per-node metrics and
//! communities; shortest paths between two nodes; n-hop ego networks.
//!
//! Nodes are the cases' entities, plus one node per hard selector (phone, e-mail, handle, wallet,
//! URL) that at least two ads share. Edges are the cases' links (justified by the link's id) and
//! ad–selector edges (justified by the ad's id). Victims (persons marked `htcdsRole: victim` or
//! linked to a vault record) are pseudonymised for callers the policy does not allow to see them
//! (`crate::victim_view`, shared with the entity routes).

use super::ads::visible_cases;
use super::Params;
use crate::access::{draft, Object};
use crate::auth::Authed;
use crate::victim_view::{pseudonym, VictimView};
use crate::wire::{
    CommunityOut, EgoOut, GraphEdge, GraphNode, GraphOut, NodeMetricsOut, PathOut, PathsOut,
};
use crate::{ApiError, AppState};
use axum::extract::{Path, Query, State};
use axum::Json;
use std::collections::{HashMap, HashSet};
use vigil_audit::Outcome;
use vigil_core::{Action, CaseFacts, Target};
use vigil_graph::{Cost, Direction, EdgeId, Graph, GraphBuilder, NodeId};
use vigil_types::{CaseId, ConsentId, EntityId};

/// The largest graph one request may build (nodes, merged edges). Beyond it the request is
/// refused with 422: narrow it to one case.
pub const MAX_NODES: usize = 20_000;
pub const MAX_EDGES: usize = 100_000;
/// Betweenness is exact up to this many nodes, sampled from 256 sources above it.
const MAX_EXACT_BETWEENNESS: usize = 2_000;
const MAX_PATHS: usize = 10;
const MAX_HOPS: u32 = 4;

/// Writes a chart read's audit event, re-checking in its transaction the consents that shown
/// victims rely on; a consent revoked meanwhile answers 503 (retry), never the chart.
async fn audit_chart(
    app: &AppState,
    who: &Authed,
    relied: Vec<ConsentId>,
    d: vigil_store::AuditDraft,
) -> Result<(), ApiError> {
    if super::vault::audit_read(app, who, relied, d).await? {
        Ok(())
    } else {
        Err(ApiError::Unavailable)
    }
}

/// What the chart knows about a node beyond the graph.
#[derive(Clone, Debug)]
struct NodeMeta {
    case: Option<CaseId>,
    pseudonymised: bool,
}

/// A built graph and the per-node facts the wire needs.
struct Chart {
    graph: Graph,
    meta: Vec<NodeMeta>,
    cases: usize,
    /// Consents the shown victims rely on (re-checked with the audit event).
    relied: Vec<ConsentId>,
}

fn selector_schema(kind: &str) -> &'static str {
    match kind {
        "phone" => "Phone",
        "email" => "Email",
        "wallet" => "CryptoWallet",
        "url" => "Url",
        _ => "UserAccount",
    }
}

async fn too_large(
    app: &AppState,
    who: &Authed,
    action: &str,
    object: &Object,
    what: String,
) -> ApiError {
    if let Err(e) = app
        .audit(
            who,
            draft(who, action, object, Outcome::Failed, "graph_too_large"),
        )
        .await
    {
        return e;
    }
    ApiError::Unprocessable(format!(
        "{what}: more than one request may analyse ({MAX_NODES} nodes, {MAX_EDGES} edges); ask for one case (/cases/{{id}}/graph) or export it for `vigil graph`"
    ))
}

/// Loads and builds the chart of `cases`; refuses (audited) a graph over the caps.
async fn load(
    app: &AppState,
    who: &Authed,
    cases: &[CaseFacts],
    action: &str,
    object: &Object,
) -> Result<Chart, ApiError> {
    let ids: Vec<CaseId> = cases.iter().map(|c| c.id).collect();
    let (entities, links, selectors) = app.store.graph_size(&ids).await?;
    // Refuse before loading anything when even the lower bounds are over the caps.
    if entities > MAX_NODES as i64 || links > MAX_EDGES as i64 {
        return Err(too_large(
            app,
            who,
            action,
            object,
            format!("{entities} entities and {links} links"),
        )
        .await);
    }
    if selectors > 4 * MAX_EDGES as i64 {
        return Err(too_large(
            app,
            who,
            action,
            object,
            format!("{selectors} ad selectors"),
        )
        .await);
    }
    let mut b = GraphBuilder::new(Direction::Undirected);
    let mut meta: Vec<NodeMeta> = Vec::new();
    let mut node_of: HashMap<EntityId, NodeId> = HashMap::new();
    let push = |b: &mut GraphBuilder,
                meta: &mut Vec<NodeMeta>,
                key: &str,
                kind: &str,
                label: &str,
                m: NodeMeta| {
        let n = b.add_node(key, Some(kind), Some(label));
        if n.index() == meta.len() {
            meta.push(m);
        }
        n
    };
    let mut relied = Vec::new();
    for facts in cases {
        let view = VictimView::for_case(app, who, facts).await?;
        let entities = app.store.entities(facts.id).await?;
        relied.extend(view.relied(entities.iter().filter(|e| !view.hides(e))));
        for e in entities {
            let hide = view.hides(&e);
            let (key, label) = if hide {
                (pseudonym(e.id), view.label(&e))
            } else {
                (e.id.to_string(), e.caption.clone())
            };
            let n = push(
                &mut b,
                &mut meta,
                &key,
                e.schema.as_str(),
                &label,
                NodeMeta {
                    case: Some(facts.id),
                    pseudonymised: hide,
                },
            );
            node_of.insert(e.id, n);
        }
        for l in app.store.links(facts.id).await? {
            if let (Some(&s), Some(&t)) = (node_of.get(&l.source_id), node_of.get(&l.target_id)) {
                b.add_edge(
                    s,
                    t,
                    1.0,
                    Some(l.link_type.as_str()),
                    Some(&l.id.to_string()),
                )
                .map_err(|e| ApiError::internal("graph", &e))?;
            }
        }
    }
    let rows = app.store.ad_selectors_in_cases(&ids).await?;
    let mut ads_per_value: HashMap<(&str, &str), usize> = HashMap::new();
    for r in &rows {
        *ads_per_value
            .entry((r.selector.kind.as_str(), r.selector.value.as_str()))
            .or_default() += 1;
    }
    for r in &rows {
        let (kind, value) = (r.selector.kind.as_str(), r.selector.value.as_str());
        if ads_per_value.get(&(kind, value)).copied().unwrap_or(0) < 2 {
            continue;
        }
        let Some(&ad) = node_of.get(&r.ad) else {
            continue;
        };
        let s = push(
            &mut b,
            &mut meta,
            &format!("selector:{kind}:{value}"),
            selector_schema(kind),
            value,
            NodeMeta {
                case: None,
                pseudonymised: false,
            },
        );
        b.add_edge(ad, s, 1.0, Some("advertised_with"), Some(&r.ad.to_string()))
            .map_err(|e| ApiError::internal("graph", &e))?;
    }
    if b.node_count() > MAX_NODES || b.raw_edge_count() > 4 * MAX_EDGES {
        let what = format!("{} nodes", b.node_count());
        return Err(too_large(app, who, action, object, what).await);
    }
    let graph = b.build().map_err(|e| ApiError::internal("graph", &e))?;
    if graph.edge_count() > MAX_EDGES {
        let what = format!("{} edges", graph.edge_count());
        return Err(too_large(app, who, action, object, what).await);
    }
    Ok(Chart {
        graph,
        meta,
        cases: cases.len(),
        relied,
    })
}

fn node_out(c: &Chart, n: NodeId, metrics: Option<NodeMetricsOut>) -> GraphNode {
    let m = c.meta.get(n.index());
    GraphNode {
        id: c.graph.key(n).to_owned(),
        node_type: c.graph.node_kind(n).unwrap_or("Thing").to_owned(),
        label: c.graph.label(n).to_owned(),
        case_id: m.and_then(|m| m.case).map(|id| id.to_string()),
        pseudonymised: m.is_some_and(|m| m.pseudonymised),
        metrics,
    }
}

/// Every input record of merged edge `e`, as chart edges.
fn edges_out(g: &Graph, e: EdgeId) -> impl Iterator<Item = GraphEdge> + '_ {
    let edge = g.edges().get(e.0 as usize).copied();
    g.provenance(e).filter_map(move |p| {
        let edge = edge?;
        Some(GraphEdge {
            source: g.key(edge.source).to_owned(),
            target: g.key(edge.target).to_owned(),
            edge_type: p.kind.unwrap_or("unknown").to_owned(),
            record_id: p.justification.unwrap_or_default().to_owned(),
        })
    })
}

fn all_edges(g: &Graph, keep: impl Fn(NodeId) -> bool) -> Vec<GraphEdge> {
    g.edges()
        .iter()
        .enumerate()
        .filter(|(_, e)| keep(e.source) && keep(e.target))
        .flat_map(|(i, _)| edges_out(g, EdgeId(i as u32)))
        .collect()
}

/// Metrics, communities and the whole chart, computed on a blocking thread.
async fn chart_out(chart: Chart, scope: &str, with_metrics: bool) -> Result<GraphOut, ApiError> {
    let scope = scope.to_owned();
    tokio::task::spawn_blocking(move || -> Result<GraphOut, ApiError> {
        let g = &chart.graph;
        let mut warnings = Vec::new();
        let (mut communities, mut modularity, mut sampled) = (Vec::new(), None, false);
        let nodes: Vec<GraphNode> = if with_metrics && g.node_count() > 0 {
            let options = vigil_graph::MetricsOptions {
                paths: vigil_graph::PathCentralityOptions {
                    sampling: vigil_graph::Sampling::Auto {
                        max_exact_nodes: MAX_EXACT_BETWEENNESS,
                        sources: 256,
                        seed: 0,
                    },
                    ..Default::default()
                },
                ..Default::default()
            };
            let m = vigil_graph::compute_metrics(g, &options, &mut |_| {})
                .map_err(|e| ApiError::internal("graph metrics", &e))?;
            warnings.clone_from(&m.warnings);
            sampled = m.paths.sampled;
            if let Some(bound) = m.paths.betweenness_error_bound {
                warnings.push(format!(
                    "betweenness is estimated from {} sampled sources (error at most {bound:.4} with 95% confidence)",
                    m.paths.sources
                ));
            }
            let mut sizes = vec![0usize; m.communities.count];
            for &c in &m.communities.community {
                if let Some(s) = sizes.get_mut(c as usize) {
                    *s += 1;
                }
            }
            communities = sizes
                .into_iter()
                .enumerate()
                .map(|(id, size)| CommunityOut {
                    id: id as u32,
                    size,
                })
                .collect();
            modularity = m.communities.modularity.is_finite().then_some(m.communities.modularity);
            g.nodes()
                .map(|n| {
                    let i = n.index();
                    let get = |v: &[f64]| v.get(i).copied().unwrap_or(0.0);
                    let metrics = NodeMetricsOut {
                        degree: m.degree.get(i).copied().unwrap_or(0),
                        weighted_degree: get(&m.weighted_degree),
                        betweenness: get(&m.paths.betweenness),
                        closeness: get(&m.paths.closeness),
                        harmonic: get(&m.paths.harmonic),
                        pagerank: m.pagerank.as_ref().map(|v| get(v)),
                        eigenvector: m.eigenvector.as_ref().map(|v| get(v)),
                        core: m.core.get(i).copied().unwrap_or(0),
                        community: m.communities.community.get(i).copied().unwrap_or(0),
                        component: m.components.component.get(i).copied().unwrap_or(0),
                    };
                    node_out(&chart, n, Some(metrics))
                })
                .collect()
        } else {
            g.nodes().map(|n| node_out(&chart, n, None)).collect()
        };
        Ok(GraphOut {
            scope,
            cases: chart.cases,
            nodes,
            edges: all_edges(g, |_| true),
            communities,
            modularity,
            betweenness_sampled: sampled,
            warnings,
        })
    })
    .await
    .map_err(|e| ApiError::internal("graph task", &e))?
}

fn flag(q: &Params, k: &str, default: bool) -> Result<bool, ApiError> {
    match q.get(k) {
        None => Ok(default),
        Some("true") => Ok(true),
        Some("false") => Ok(false),
        Some(_) => Err(ApiError::invalid(k, "expected true or false")),
    }
}

fn required<'a>(q: &'a Params, k: &str) -> Result<&'a str, ApiError> {
    q.get(k)
        .ok_or_else(|| ApiError::invalid(k, "required: a node id from the graph"))
}

fn bounded(q: &Params, k: &str, default: u32, hi: u32) -> Result<u32, ApiError> {
    match q.get(k) {
        None => Ok(default),
        Some(v) => v
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=hi).contains(n))
            .ok_or_else(|| ApiError::invalid(k, format!("expected an integer from 1 to {hi}"))),
    }
}

/// The cases a request covers: one (by path id, `case.read`) or every visible one.
async fn scope_cases(
    app: &AppState,
    who: &Authed,
    raw_case: Option<&str>,
) -> Result<(Vec<CaseFacts>, Object), ApiError> {
    match raw_case {
        Some(raw) => {
            let facts = app.case_access(who, raw, Action::ReadCase).await?;
            let object = Object::case(&facts);
            Ok((vec![facts], object))
        }
        None => {
            let object = Object::task_force("graph");
            app.check(who, Action::ListCases, Target::TaskForce, &object)
                .await?;
            Ok((visible_cases(app, who).await?, object))
        }
    }
}

async fn graph_response(
    app: AppState,
    who: Authed,
    raw_case: Option<String>,
    q: HashMap<String, String>,
) -> Result<Json<GraphOut>, ApiError> {
    let q = Params::only(q, &["metrics"])?;
    let with_metrics = flag(&q, "metrics", true)?;
    let (cases, object) = scope_cases(&app, &who, raw_case.as_deref()).await?;
    let chart = load(&app, &who, &cases, "graph.read", &object).await?;
    let scope = if raw_case.is_some() {
        "case"
    } else {
        "visible"
    };
    let relied = chart.relied.clone();
    let out = chart_out(chart, scope, with_metrics).await?;
    let hidden = out.nodes.iter().filter(|n| n.pseudonymised).count();
    audit_chart(
        &app,
        &who,
        relied,
        draft(
            &who,
            "graph.read",
            &object,
            Outcome::Success,
            format!(
                "cases={};nodes={};edges={};pseudonymised={hidden}",
                out.cases,
                out.nodes.len(),
                out.edges.len()
            ),
        ),
    )
    .await?;
    Ok(Json(out))
}

/// `GET /cases/{id}/graph`: one case's link chart with metrics and communities.
pub async fn case_graph(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<GraphOut>, ApiError> {
    graph_response(app, who, Some(raw), q).await
}

/// `GET /graph`: the link chart of every case the caller may see.
pub async fn visible_graph(
    State(app): State<AppState>,
    who: Authed,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<GraphOut>, ApiError> {
    graph_response(app, who, None, q).await
}

/// Finds a node the caller named, or answers 422 (audited): an id outside the visible graph is
/// unknown whether or not it exists elsewhere.
async fn node(
    app: &AppState,
    who: &Authed,
    chart: &Chart,
    field: &str,
    key: &str,
    action: &str,
    object: &Object,
) -> Result<NodeId, ApiError> {
    if let Some(n) = chart.graph.find(key) {
        return Ok(n);
    }
    app.audit(
        who,
        draft(who, action, object, Outcome::Failed, "unknown_node"),
    )
    .await?;
    Err(ApiError::Unprocessable(format!(
        "{field}: no node with this id in the graph you may see"
    )))
}

async fn path_response(
    app: AppState,
    who: Authed,
    raw_case: Option<String>,
    q: HashMap<String, String>,
) -> Result<Json<PathsOut>, ApiError> {
    let q = Params::only(q, &["from", "to", "k", "cost"])?;
    let (from, to) = (
        required(&q, "from")?.to_owned(),
        required(&q, "to")?.to_owned(),
    );
    let k = bounded(&q, "k", 3, MAX_PATHS as u32)? as usize;
    let cost = match q.get("cost") {
        None | Some("hops") => Cost::Hops,
        Some("weight") => Cost::Weight,
        Some(_) => return Err(ApiError::invalid("cost", "expected hops or weight")),
    };
    let (cases, object) = scope_cases(&app, &who, raw_case.as_deref()).await?;
    let chart = load(&app, &who, &cases, "graph.path", &object).await?;
    let s = node(&app, &who, &chart, "from", &from, "graph.path", &object).await?;
    let t = node(&app, &who, &chart, "to", &to, "graph.path", &object).await?;
    let relied = chart.relied.clone();
    let (paths, nodes) = tokio::task::spawn_blocking(move || -> Result<_, ApiError> {
        let g = &chart.graph;
        let found = vigil_graph::k_shortest_paths(g, s, t, k, cost)
            .map_err(|e| ApiError::internal("graph paths", &e))?;
        let edge_of: HashMap<(u32, u32), EdgeId> = g
            .edges()
            .iter()
            .enumerate()
            .map(|(i, e)| ((e.source.0, e.target.0), EdgeId(i as u32)))
            .collect();
        let mut on_path: Vec<NodeId> = Vec::new();
        let mut seen = HashSet::new();
        let paths: Vec<PathOut> = found
            .iter()
            .map(|p| {
                for &n in &p.nodes {
                    if seen.insert(n) {
                        on_path.push(n);
                    }
                }
                let edges = p
                    .nodes
                    .windows(2)
                    .filter_map(|w| {
                        let (a, b) = (w[0].0.min(w[1].0), w[0].0.max(w[1].0));
                        edge_of.get(&(a, b)).copied()
                    })
                    .flat_map(|e| edges_out(g, e))
                    .collect();
                PathOut {
                    nodes: p.nodes.iter().map(|&n| g.key(n).to_owned()).collect(),
                    cost: p.cost,
                    edges,
                }
            })
            .collect();
        let nodes: Vec<GraphNode> = on_path.iter().map(|&n| node_out(&chart, n, None)).collect();
        Ok((paths, nodes))
    })
    .await
    .map_err(|e| ApiError::internal("graph task", &e))??;
    audit_chart(
        &app,
        &who,
        relied,
        draft(
            &who,
            "graph.path",
            &object,
            Outcome::Success,
            format!("cases={};paths={}", cases.len(), paths.len()),
        ),
    )
    .await?;
    Ok(Json(PathsOut {
        from,
        to,
        paths,
        nodes,
    }))
}

/// `GET /cases/{id}/graph/path?from=&to=[&k=3&cost=hops|weight]`.
pub async fn case_path(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<PathsOut>, ApiError> {
    path_response(app, who, Some(raw), q).await
}

/// `GET /graph/path?from=&to=`: across every case the caller may see.
pub async fn visible_path(
    State(app): State<AppState>,
    who: Authed,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<PathsOut>, ApiError> {
    path_response(app, who, None, q).await
}

async fn ego_response(
    app: AppState,
    who: Authed,
    raw_case: Option<String>,
    q: HashMap<String, String>,
) -> Result<Json<EgoOut>, ApiError> {
    let q = Params::only(q, &["node", "hops"])?;
    let center = required(&q, "node")?.to_owned();
    let hops = bounded(&q, "hops", 2, MAX_HOPS)?;
    let (cases, object) = scope_cases(&app, &who, raw_case.as_deref()).await?;
    let chart = load(&app, &who, &cases, "graph.ego", &object).await?;
    let c = node(&app, &who, &chart, "node", &center, "graph.ego", &object).await?;
    let g = &chart.graph;
    let members = vigil_graph::within_hops(g, c, hops, true)
        .map_err(|e| ApiError::internal("graph ego", &e))?;
    let inside: HashSet<NodeId> = members.iter().copied().collect();
    let nodes: Vec<GraphNode> = members.iter().map(|&n| node_out(&chart, n, None)).collect();
    let edges = all_edges(g, |n| inside.contains(&n));
    audit_chart(
        &app,
        &who,
        chart.relied.clone(),
        draft(
            &who,
            "graph.ego",
            &object,
            Outcome::Success,
            format!("cases={};nodes={}", cases.len(), nodes.len()),
        ),
    )
    .await?;
    Ok(Json(EgoOut {
        center,
        hops,
        nodes,
        edges,
    }))
}

/// `GET /cases/{id}/graph/ego?node=[&hops=2]`.
pub async fn case_ego(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<EgoOut>, ApiError> {
    ego_response(app, who, Some(raw), q).await
}

/// `GET /graph/ego?node=`: across every case the caller may see.
pub async fn visible_ego(
    State(app): State<AppState>,
    who: Authed,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<EgoOut>, ApiError> {
    ego_response(app, who, None, q).await
}
