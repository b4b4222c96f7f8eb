//! Exchange formats (N3): every writer produces a well-formed document that carries every node,
//! edge, label, type, weight and justification, with hostile characters escaped.

use vigil_graph::export::{write, Format};
use vigil_graph::*;

const HOSTILE: &str = "Ann \"A&B\" <O'Neil>\u{1}\n";

fn sample(direction: Direction) -> Graph {
    let mut b = GraphBuilder::new(direction);
    let a = b.add_node("person:1", Some("Person"), Some(HOSTILE));
    let p = b.add_node("phone:+14805550142", Some("Phone"), None);
    let c = b.add_node("org:7", Some("Organization"), Some("Rooms & Co"));
    let lone = b.add_node("person:2", None, None);
    b.add_edge(a, p, 1.0, Some("uses_phone"), Some("record-17"))
        .unwrap();
    b.add_edge(p, a, 2.0, Some("uses_phone"), Some("record-18"))
        .unwrap();
    b.add_edge(c, p, 0.5, Some("listed_on_ad"), Some("ad <9>"))
        .unwrap();
    b.add_edge(lone, lone, 1.0, None, None).unwrap();
    b.build().unwrap()
}

fn render(g: &Graph, format: Format) -> String {
    let mut out = Vec::new();
    write(g, format, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn xml_formats_are_well_formed_and_complete() {
    for direction in [Direction::Undirected, Direction::Directed] {
        let g = sample(direction);
        for format in [Format::GraphMl, Format::Gexf, Format::Anx] {
            let text = render(&g, format);
            let doc = roxmltree::Document::parse(&text)
                .unwrap_or_else(|e| panic!("{format:?}: {e}\n{text}"));
            let (node_tag, edge_tag) = match format {
                Format::GraphMl | Format::Gexf => ("node", "edge"),
                _ => ("Entity", "Link"),
            };
            let count = |tag: &str| doc.descendants().filter(|n| n.has_tag_name(tag)).count();
            assert_eq!(count(node_tag), g.node_count(), "{format:?} nodes");
            assert_eq!(count(edge_tag), g.edge_count(), "{format:?} edges");
            let hostile_kept = doc.descendants().any(|n| {
                n.text()
                    .is_some_and(|t| t.starts_with("Ann \"A&B\" <O'Neil>"))
                    || n.attributes()
                        .any(|a| a.value().starts_with("Ann \"A&B\" <O'Neil>"))
            });
            assert!(hostile_kept, "{format:?} keeps the escaped label");
            assert!(
                text.contains("record-17"),
                "{format:?} keeps justifications"
            );
        }
    }
}

#[test]
fn json_formats_parse_and_are_complete() {
    let g = sample(Direction::Undirected);
    let cy: serde_json::Value = serde_json::from_str(&render(&g, Format::Cytoscape)).unwrap();
    assert_eq!(
        cy["elements"]["nodes"].as_array().unwrap().len(),
        g.node_count()
    );
    assert_eq!(
        cy["elements"]["edges"].as_array().unwrap().len(),
        g.edge_count()
    );
    assert_eq!(cy["elements"]["nodes"][0]["data"]["name"], HOSTILE);
    // The two phone edges merged: weight summed, both justifications kept.
    let merged = cy["elements"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["data"]["weight"] == 3.0)
        .unwrap();
    assert_eq!(merged["data"]["justification"], "record-17; record-18");

    let ftm = render(&g, Format::Ftm);
    let entities: Vec<serde_json::Value> = ftm
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(entities.len(), g.node_count() + g.edge_count());
    let schemas: Vec<&str> = entities
        .iter()
        .map(|e| e["schema"].as_str().unwrap())
        .collect();
    assert_eq!(
        schemas.iter().filter(|s| **s == "UnknownLink").count(),
        g.edge_count()
    );
    assert!(schemas.contains(&"Person") && schemas.contains(&"Organization"));
    let phone = entities
        .iter()
        .find(|e| e["id"] == "phone:+14805550142")
        .unwrap();
    assert_eq!(phone["properties"]["phone"][0], "phone:+14805550142");
}

#[test]
fn unknown_format_is_refused() {
    assert!("pdf".parse::<Format>().is_err());
    assert_eq!("GraphML".parse::<Format>().unwrap(), Format::GraphMl);
}
