//! The OpenAPI 3.1 document, generated from the route registry and the request-body table below.

use crate::registry::{routes, Caller};
use serde_json::{json, Map, Value};

/// Request bodies: (wire type, [(field, JSON type, required)]). A test checks each against the
/// wire type so the document cannot drift from what the server accepts.
/// A body field: (name, JSON type, required).
pub(crate) type Field = (&'static str, &'static str, bool);

pub(crate) const BODIES: &[(&str, &[Field])] = &[
    (
        "LoginRequest",
        &[
            ("username", "string", true),
            ("password", "string", true),
            ("acknowledge_banner", "boolean", true),
        ],
    ),
    ("TotpRequest", &[("code", "string", true)]),
    (
        "StepUpRequest",
        &[("password", "string", true), ("code", "string", true)],
    ),
    (
        "PasswordChange",
        &[
            ("current_password", "string", true),
            ("new_password", "string", true),
        ],
    ),
    (
        "CreateAgency",
        &[
            ("name", "string", true),
            ("short_code", "string", true),
            ("kind", "string", true),
        ],
    ),
    (
        "CreateUser",
        &[
            ("username", "string", true),
            ("display_name", "string", true),
            ("role", "string", true),
            ("agency_id", "string", true),
        ],
    ),
    (
        "CreateToken",
        &[
            ("name", "string", true),
            ("scope", "string", true),
            ("days", "integer", true),
        ],
    ),
    (
        "CreateCase",
        &[
            ("number", "string", true),
            ("title", "string", true),
            ("trafficking_type", "string", true),
            ("sensitivity", "string", false),
        ],
    ),
    (
        "UpdateCase",
        &[
            ("title", "string", false),
            ("trafficking_type", "string", false),
            ("sensitivity", "string", false),
        ],
    ),
    ("SetStatus", &[("status", "string", true)]),
    (
        "AddMember",
        &[("user_id", "string", true), ("lead", "boolean", false)],
    ),
    (
        "CreateEntity",
        &[("schema", "string", true), ("properties", "object", true)],
    ),
    ("UpdateEntity", &[("properties", "object", true)]),
    (
        "CreateLink",
        &[
            ("source_id", "string", true),
            ("target_id", "string", true),
            ("link_type", "string", true),
            ("description", "string", false),
        ],
    ),
    ("CreateNote", &[("body", "string", true)]),
    (
        "CreateTask",
        &[
            ("title", "string", true),
            ("assignee_id", "string", false),
            ("due_at", "string", false),
        ],
    ),
    (
        "UpdateTask",
        &[
            ("status", "string", false),
            ("assignee_id", "string", false),
        ],
    ),
    // --- xref
    ("JudgeCandidate", &[("decision", "string", true)]),
    (
        "XrefCheck",
        &[("name", "string", false), ("csv", "string", true)],
    ),
    (
        "AddStop",
        &[
            ("kind", "string", true),
            ("value", "string", true),
            ("reason", "string", true),
        ],
    ),
    // --- ops
    (
        "StartProtocol",
        &[
            ("template", "string", true),
            ("version", "integer", false),
            ("conditions", "array", false),
            ("started_at", "string", false),
        ],
    ),
    (
        "AddProtocolItem",
        &[("text", "string", true), ("due_at", "string", true)],
    ),
    (
        "UpdateProtocolItem",
        &[("status", "string", true), ("note", "string", false)],
    ),
    (
        "CreateOperation",
        &[
            ("name", "string", true),
            ("location", "string", true),
            ("planned_start", "string", true),
            ("planned_end", "string", false),
            ("participants", "array", false),
            ("victim_services", "array", false),
        ],
    ),
    (
        "UpdateOperation",
        &[
            ("name", "string", false),
            ("location", "string", false),
            ("planned_start", "string", false),
            ("planned_end", "string", false),
            ("participants", "array", false),
            ("victim_services", "array", false),
        ],
    ),
    ("OperationStatusChange", &[("status", "string", true)]),
    (
        "AddRosterMember",
        &[("user_id", "string", true), ("commander", "boolean", false)],
    ),
    ("LinkOperationCase", &[("case_id", "string", true)]),
    (
        "OperationOutcomes",
        &[
            ("people_recovered", "integer", true),
            ("minors_recovered", "integer", false),
            ("arrests", "integer", true),
            ("referrals_made", "integer", true),
            ("notes", "string", false),
        ],
    ),
    (
        "CreateCharge",
        &[
            ("defendant_id", "string", true),
            ("statute", "string", true),
            ("description", "string", true),
            ("trafficking", "boolean", true),
            ("counts", "integer", false),
        ],
    ),
    (
        "SetDisposition",
        &[
            ("disposition", "string", true),
            ("date", "string", true),
            ("sentence", "string", false),
        ],
    ),
    (
        "CreateCourtEvent",
        &[
            ("kind", "string", true),
            ("date", "string", true),
            ("court", "string", true),
            ("defendant_id", "string", false),
            ("note", "string", false),
        ],
    ),
    // --- tips
    (
        "TipSubmission",
        &[
            ("challenge", "string", true),
            ("nonce", "string", true),
            ("what", "string", true),
            ("where", "string", false),
            ("when", "string", false),
            ("contact", "string", false),
            ("attachments", "array-of-ref:TipAttachmentIn", false),
        ],
    ),
    (
        "TipAttachmentIn",
        &[
            ("media_type", "string", true),
            ("content_base64", "string", true),
            ("name", "string", false),
        ],
    ),
    ("TipCodeRequest", &[("receipt_code", "string", true)]),
    (
        "TipFollowUp",
        &[("receipt_code", "string", true), ("text", "string", true)],
    ),
    (
        "CreateIntakeReferral",
        &[
            ("what", "string", true),
            ("where", "string", false),
            ("when", "string", false),
            ("contact", "string", false),
        ],
    ),
    ("AssignIntake", &[("assignee_id", "string", true)]),
    ("RouteIntake", &[("agency_id", "string", true)]),
    ("CloseIntake", &[("reason", "string", true)]),
    (
        "MergeIntake",
        &[
            ("case_id", "string", false),
            ("new_case", "ref:CreateCase", false),
        ],
    ),
    ("IntakeReply", &[("body", "string", true)]),
    // --- vault
    (
        "CreateVictim",
        &[
            ("full_name", "string", true),
            ("preferred_name", "string", false),
            ("birth_date", "string", false),
            ("nationality", "string", false),
            ("languages", "array", false),
            ("phone", "string", false),
            ("email", "string", false),
            ("contact_notes", "string", false),
        ],
    ),
    (
        "UpdateVictim",
        &[
            ("full_name", "string", false),
            ("preferred_name", "string", false),
            ("birth_date", "string", false),
            ("nationality", "string", false),
            ("languages", "array", false),
            ("phone", "string", false),
            ("email", "string", false),
            ("contact_notes", "string", false),
        ],
    ),
    (
        "LinkVictimCase",
        &[("case_id", "string", true), ("entity_id", "string", false)],
    ),
    (
        "CreateConsent",
        &[
            ("purpose", "string", true),
            ("recipients", "array", true),
            ("categories", "array", true),
            ("given_at", "string", false),
            ("expires_at", "string", false),
            ("language", "string", true),
        ],
    ),
    (
        "CreateScreening",
        &[
            ("questionnaire", "string", true),
            ("version", "integer", false),
            ("language", "string", true),
            ("answers", "map", true),
        ],
    ),
    (
        "PutSafetyPlan",
        &[("sections", "map", true), ("review_on", "string", false)],
    ),
    (
        "CreateProvider",
        &[
            ("name", "string", true),
            ("service_types", "array", true),
            ("languages", "array", true),
            ("eligibility", "string", true),
            ("capacity", "integer", false),
            ("contact", "string", true),
        ],
    ),
    (
        "CreateReferral",
        &[
            ("provider_id", "string", true),
            ("service_type", "string", true),
        ],
    ),
    ("SetReferralStatus", &[("status", "string", true)]),
    (
        "RecordService",
        &[
            ("service_type", "string", true),
            ("delivered_on", "string", true),
            ("note", "string", false),
        ],
    ),
    ("VictimGuardOverride", &[("reason", "string", true)]),
    // --- evidence
    (
        "TransferEvidence",
        &[("to_user_id", "string", true), ("purpose", "string", true)],
    ),
    (
        "ExportEvidence",
        &[("purpose", "string", true), ("recipient", "string", true)],
    ),
];

// --- evidence
/// Request bodies that are raw bytes rather than JSON: (body name, description).
pub(crate) const RAW_BODIES: &[(&str, &str)] = &[(
    "EvidenceFile",
    "The file itself, byte for byte (not multipart); Content-Type is its media type \
     (application/octet-stream when unknown). Streamed to disk and hashed; larger than the \
     server's upload limit (default 4 GiB) answers 413.",
)];

/// Query parameters: ("method path", name, required, description).
pub(crate) const QUERY: &[(&str, &str, bool, &str)] = &[
    ("post /api/v1/cases/{id}/evidence", "name", true, "The file's name as shown (display metadata only, never used as a path); at most 255 characters, no control characters"),
    ("post /api/v1/cases/{id}/evidence", "description", false, "What it is (at most 2,000 characters)"),
    ("post /api/v1/cases/{id}/evidence", "collected_at", false, "When it was collected (RFC 3339; default now)"),
    ("post /api/v1/cases/{id}/evidence", "collected_where", false, "Where it was collected"),
    ("post /api/v1/cases/{id}/evidence", "collected_by", false, "The user id of the collector (default: the caller)"),
    ("post /api/v1/cases/{id}/evidence", "reason", false, "Why it was collected (recorded with the collected custody event)"),
    ("get /api/v1/evidence/{id}/content", "purpose", false, "Why it is accessed (recorded with the custody event)"),
];

fn schema_of(fields: &[Field]) -> Value {
    let mut props = Map::new();
    for (name, ty, _) in fields {
        let s = if *ty == "object" {
            json!({"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}})
        } else if let Some(r) = ty.strip_prefix("ref:") {
            // --- tips
            json!({"$ref": format!("#/components/schemas/{r}")})
        } else if let Some(r) = ty.strip_prefix("array-of-ref:") {
            json!({"type": "array", "items": {"$ref": format!("#/components/schemas/{r}")}})
        // --- vault
        } else if *ty == "array" {
            json!({"type": "array", "items": {"type": "string"}})
        } else if *ty == "map" {
            json!({"type": "object", "additionalProperties": {"type": "string"}})
        } else {
            json!({"type": ty})
        };
        props.insert((*name).into(), s);
    }
    let required: Vec<&str> = fields.iter().filter(|f| f.2).map(|f| f.0).collect();
    json!({"type": "object", "additionalProperties": false, "properties": props, "required": required})
}

/// Builds the document.
#[must_use]
pub fn document() -> Value {
    let mut paths = Map::new();
    for spec in routes().specs {
        let mut op = json!({
            "summary": spec.summary,
            "operationId": format!("{}_{}", spec.method, spec.path.trim_start_matches("/api/v1/").replace(['/', '{', '}', '.'], "_")),
            "responses": {
                "200": {"description": "OK"},
                "400": {"$ref": "#/components/responses/Error"},
                "401": {"$ref": "#/components/responses/Error"},
                "403": {"$ref": "#/components/responses/Error"},
                "404": {"$ref": "#/components/responses/Error"},
            },
        });
        if let Some(p) = spec.policy {
            op["x-vigil-policy"] = json!(p);
        }
        op["security"] = match spec.caller {
            Caller::Public => json!([]),
            Caller::PendingLogin | Caller::Authenticated => json!([{"bearer": []}, {"cookie": []}]),
        };
        if let Some(body) = spec.body {
            op["requestBody"] = json!({"required": true, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{body}")}}}});
            // --- evidence
            if let Some((_, what)) = RAW_BODIES.iter().find(|(n, _)| *n == body) {
                op["requestBody"] = json!({"required": true, "description": what,
                    "content": {"*/*": {"schema": {"type": "string", "contentMediaType": "application/octet-stream"}}}});
            }
        }
        let params: Vec<Value> = spec
            .path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}))
            .collect();
        // --- evidence
        let mut params = params;
        let key = format!("{} {}", spec.method, spec.path);
        for (_, name, required, what) in QUERY.iter().filter(|q| q.0 == key) {
            params.push(json!({"name": name, "in": "query", "required": required, "description": what, "schema": {"type": "string"}}));
        }
        if !params.is_empty() {
            op["parameters"] = json!(params);
        }
        let entry = paths
            .entry(spec.path.to_owned())
            .or_insert_with(|| json!({}));
        entry[spec.method] = op;
    }
    let mut schemas = Map::new();
    for (name, fields) in BODIES {
        schemas.insert((*name).into(), schema_of(fields));
    }
    schemas.insert(
        "Error".into(),
        json!({"type": "object", "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
            "code": {"type": "string", "description": "Stable machine-readable code"},
            "message": {"type": "string", "description": "What was wrong, for a person"},
            "request_id": {"type": "string", "description": "Present on 500s; quote it when reporting"}}}}}),
    );
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Vigil API", "version": env!("CARGO_PKG_VERSION"),
                 "description": "Task-force case work with need-to-know access. Every call is authorised by one policy and audited. Objects you may not see answer 404."},
        "paths": paths,
        "components": {
            "schemas": schemas,
            "responses": {"Error": {"description": "Error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}},
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "description": "A session token from login, or an API token (vt_…)"},
                "cookie": {"type": "apiKey", "in": "cookie", "name": "__Host-vigil_session", "description": "Browser session; send X-CSRF-Token on state changes"}
            }
        }
    })
}
