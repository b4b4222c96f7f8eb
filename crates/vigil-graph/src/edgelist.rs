//! Streams an edge list (`source,target[,weight[,type[,justification]]]`, CSV) into a [`Graph`].
//!
//! The header is optional. The first row is taken as a header when its third field is present
//! and not a number, or when its first two fields are a known pair of column names such as
//! `source,target`, `from,to`, `src,dst`, `node1,node2` or `u,v`. Blank lines are skipped; an empty
//! weight means 1.

use crate::{Direction, Graph, GraphBuilder, GraphError};
use std::io::Read;

const HEADER_NAMES: &[&str] = &[
    "source", "target", "from", "to", "src", "dst", "node1", "node2", "u", "v", "head", "tail",
];

/// How many records pass between two progress reports.
pub const PROGRESS_EVERY: u64 = 1_000_000;

/// Reads an edge list. `progress` is called with the number of edges read so far, every
/// [`PROGRESS_EVERY`] records and once at the end.
pub fn read_edge_list<R: Read>(
    input: R,
    direction: Direction,
    progress: &mut dyn FnMut(u64),
) -> Result<Graph, GraphError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .comment(None)
        .buffer_capacity(1 << 20)
        .from_reader(input);
    let mut builder = GraphBuilder::new(direction);
    let mut record = csv::ByteRecord::new();
    let mut first = true;
    let mut count: u64 = 0;
    loop {
        let more = reader
            .read_byte_record(&mut record)
            .map_err(|e| csv_error(&e))?;
        if !more {
            break;
        }
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|f| f.is_empty()) {
            continue;
        }
        if first {
            first = false;
            if looks_like_header(&record) {
                continue;
            }
        }
        add_record(&mut builder, &record, line)?;
        count += 1;
        if count.is_multiple_of(PROGRESS_EVERY) {
            progress(count);
        }
    }
    progress(count);
    if builder.raw_edge_count() == 0 {
        return Err(GraphError::Empty);
    }
    builder.build()
}

fn csv_error(e: &csv::Error) -> GraphError {
    let line = e.position().map_or(0, |p| p.line());
    let message = match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "invalid UTF-8".to_owned(),
        csv::ErrorKind::Io(io) => format!("read error: {io}"),
        other => format!("{other:?}"),
    };
    GraphError::Csv { line, message }
}

fn field(record: &csv::ByteRecord, i: usize, line: u64) -> Result<Option<&str>, GraphError> {
    match record.get(i) {
        None => Ok(None),
        Some(bytes) => std::str::from_utf8(bytes)
            .map(Some)
            .map_err(|_| GraphError::BadLine {
                line,
                reason: format!("field {} is not valid UTF-8", i + 1),
            }),
    }
}

fn looks_like_header(record: &csv::ByteRecord) -> bool {
    let text = |i: usize| {
        record
            .get(i)
            .and_then(|b| std::str::from_utf8(b).ok())
            .map(str::to_ascii_lowercase)
    };
    if let Some(third) = text(2) {
        if !third.is_empty() && third.parse::<f64>().is_err() {
            return true;
        }
    }
    matches!((text(0), text(1)), (Some(a), Some(b)) if HEADER_NAMES.contains(&a.as_str()) && HEADER_NAMES.contains(&b.as_str()))
}

fn add_record(
    builder: &mut GraphBuilder,
    record: &csv::ByteRecord,
    line: u64,
) -> Result<(), GraphError> {
    if record.len() < 2 {
        return Err(GraphError::BadLine {
            line,
            reason: "expected at least two fields: source,target".into(),
        });
    }
    let source = field(record, 0, line)?.unwrap_or("");
    let target = field(record, 1, line)?.unwrap_or("");
    if source.is_empty() || target.is_empty() {
        return Err(GraphError::BadLine {
            line,
            reason: "empty node name".into(),
        });
    }
    let weight = match field(record, 2, line)? {
        None | Some("") => 1.0,
        Some(text) => match text.parse::<f64>() {
            Ok(w) if w.is_finite() && w >= 0.0 => w,
            _ => {
                return Err(GraphError::BadWeight {
                    line,
                    value: text.to_owned(),
                })
            }
        },
    };
    let kind = field(record, 3, line)?.filter(|s| !s.is_empty());
    let justification = field(record, 4, line)?.filter(|s| !s.is_empty());
    let s = builder.add_node(source, None, None);
    let t = builder.add_node(target, None, None);
    builder.add_edge(s, t, weight, kind, justification)
}

/// Writes `g` as an edge list `source,target,weight[,type,justification]` (one row per merged
/// edge; the type and justification columns appear when any edge has provenance).
pub fn write_edge_list<W: std::io::Write>(g: &Graph, out: W) -> Result<(), GraphError> {
    let mut w = csv::Writer::from_writer(out);
    let io = |e: csv::Error| GraphError::Io(std::io::Error::other(e.to_string()));
    let notes = (0..g.edge_count()).any(|i| g.provenance(crate::EdgeId(i as u32)).next().is_some());
    if notes {
        w.write_record(["source", "target", "weight", "type", "justification"])
            .map_err(io)?;
    } else {
        w.write_record(["source", "target", "weight"]).map_err(io)?;
    }
    for (i, e) in g.edges().iter().enumerate() {
        let weight = e.weight.to_string();
        if notes {
            let (kinds, just) = crate::export::edge_notes(g, i);
            w.write_record([g.key(e.source), g.key(e.target), &weight, &kinds, &just])
                .map_err(io)?;
        } else {
            w.write_record([g.key(e.source), g.key(e.target), &weight])
                .map_err(io)?;
        }
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Graph, GraphError> {
        read_edge_list(text.as_bytes(), Direction::Undirected, &mut |_| {})
    }

    #[test]
    fn header_is_detected_and_skipped() {
        let g = read("source,target,weight\na,b,2\nb,c,1\n").unwrap();
        assert_eq!(g.node_count(), 3);
        assert!(g.find("source").is_none());
    }

    #[test]
    fn headerless_two_columns_are_data() {
        let g = read("a,b\nb,c\n").unwrap();
        assert_eq!((g.node_count(), g.edge_count()), (3, 2));
    }

    #[test]
    fn duplicates_merge_with_summed_weight_in_either_order() {
        let g = read("a,b,2\nb,a,3\n").unwrap();
        assert_eq!(g.edge_count(), 1);
        assert_eq!(g.edges()[0].weight, 5.0);
    }

    #[test]
    fn bad_weight_names_the_line() {
        let err = read("a,b,1\nb,c,heavy\n").unwrap_err();
        assert_eq!(err.line(), Some(2));
        assert_eq!(
            err.in_file("e.csv"),
            "e.csv:2: weight \"heavy\" is not a finite non-negative number"
        );
    }

    #[test]
    fn negative_and_nan_weights_are_refused() {
        assert!(matches!(
            read("a,b,-1\n"),
            Err(GraphError::BadWeight { line: 1, .. })
        ));
        assert!(matches!(
            read("a,b,NaN\n"),
            Err(GraphError::BadWeight { .. })
        ));
    }

    #[test]
    fn written_edge_list_reads_back_the_same() {
        let g = read("x,y,2\ny,z,1.5\n\"a,b\",x,1\n").unwrap();
        let mut out = Vec::new();
        write_edge_list(&g, &mut out).unwrap();
        let h = read(std::str::from_utf8(&out).unwrap()).unwrap();
        assert_eq!(h.edge_count(), g.edge_count());
        assert!(h.find("a,b").is_some());
    }

    #[test]
    fn empty_input_is_an_error() {
        assert!(matches!(read(""), Err(GraphError::Empty)));
        assert!(matches!(read("source,target\n\n"), Err(GraphError::Empty)));
    }

    #[test]
    fn one_field_line_is_an_error() {
        let err = read("a,b\nc\n").unwrap_err();
        assert_eq!(err.line(), Some(2));
    }

    #[test]
    fn type_and_justification_columns_are_kept() {
        let g = read("a,b,1,calls,rec-1\na,b,1,pays,rec-2\n").unwrap();
        let prov: Vec<_> = g.provenance(crate::EdgeId(0)).collect();
        assert_eq!(prov.len(), 2);
        assert_eq!(prov[1].kind, Some("pays"));
        assert_eq!(prov[1].justification, Some("rec-2"));
    }
}
