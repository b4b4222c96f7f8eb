//! FollowTheMoney entities as JSON lines (one entity per line), as read by `ftm` and Aleph.
//!
//! A node whose type is an FtM schema that can stand in a link (Person, Organization, Company,
//! LegalEntity, PublicBody, Vehicle, Vessel, Airplane, BankAccount, CryptoWallet, UserAccount,
//! RealEstate) keeps it; a `Phone` or `Email` node becomes a LegalEntity carrying the value in
//! `phone` or `email`; any other node becomes a LegalEntity. Every edge becomes an `UnknownLink`
//! (`subject`, `object`) whose `role` holds the edge types and whose `description` holds the
//! weight and justifications.

use super::edge_notes;
use super::escape::{json, number};
use crate::{Graph, GraphError};
use std::io::Write;

const LINKABLE: &[&str] = &[
    "Person",
    "Organization",
    "Company",
    "LegalEntity",
    "PublicBody",
    "Vehicle",
    "Vessel",
    "Airplane",
    "BankAccount",
    "CryptoWallet",
    "UserAccount",
    "RealEstate",
];

fn entity_id(key: &str) -> String {
    json(key)
}

pub fn write_ftm(g: &Graph, out: &mut dyn Write) -> Result<(), GraphError> {
    let mut w = std::io::BufWriter::new(out);
    for v in g.nodes() {
        let kind = g.node_kind(v).unwrap_or("");
        let (schema, extra) = match kind {
            k if LINKABLE.contains(&k) => (k, String::new()),
            "Phone" => ("LegalEntity", format!(r#","phone":[{}]"#, json(g.label(v)))),
            "Email" => ("LegalEntity", format!(r#","email":[{}]"#, json(g.label(v)))),
            _ => ("LegalEntity", String::new()),
        };
        writeln!(
            w,
            r#"{{"id":{},"schema":"{schema}","properties":{{"name":[{}]{extra}}}}}"#,
            entity_id(g.key(v)),
            json(g.label(v))
        )?;
    }
    for (i, e) in g.edges().iter().enumerate() {
        let (kinds, just) = edge_notes(g, i);
        let mut description = format!("weight {}", number(e.weight));
        if !just.is_empty() {
            description.push_str("; justification: ");
            description.push_str(&just);
        }
        let role = if kinds.is_empty() {
            String::new()
        } else {
            format!(r#","role":[{}]"#, json(&kinds))
        };
        writeln!(
            w,
            r#"{{"id":"link-{i}","schema":"UnknownLink","properties":{{"subject":[{}],"object":[{}]{role},"description":[{}]}}}}"#,
            entity_id(g.key(e.source)),
            entity_id(g.key(e.target)),
            json(&description)
        )?;
    }
    w.flush()?;
    Ok(())
}
