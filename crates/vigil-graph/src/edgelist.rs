//! Streams an edge list (`source,target[,weight[,type[,justification]]]`, CSV) into a [`Graph`].
//!
//! The header is optional. The first row is taken as a header when its third field is present
//! and not a number, or when its first two fields are a known pair of column names such as
//! `source,target`, `from,to`, `src,dst`, `node1,node2` or `u,v`. Blank lines are skipped; an empty
//! weight means 1.
//!
//! A bad row (fewer than two fields, an empty node name, a field that is not UTF-8, a weight
//! that is not a finite non-negative number) is handed to the caller with its line and
//! skipped, and the rest of the file is read: one bad row does not cost the whole graph. Only
//! a read error, or a file with no good row at all, ends the read.

use crate::{Direction, Graph, GraphBuilder, GraphError};
use std::io::Read;

const HEADER_NAMES: &[&str] = &[
    "source", "target", "from", "to", "src", "dst", "node1", "node2", "u", "v", "head", "tail",
];

/// How many records pass between two progress reports.
pub const PROGRESS_EVERY: u64 = 1_000_000;

/// Reads an edge list. `progress` is called with the number of edges read so far, every
/// [`PROGRESS_EVERY`] records and once at the end; `bad_row` with each row that is skipped
/// ([`GraphError::BadLine`] or [`GraphError::BadWeight`], naming its line).
pub fn read_edge_list<R: Read>(
    input: R,
    direction: Direction,
    progress: &mut dyn FnMut(u64),
    bad_row: &mut dyn FnMut(GraphError),
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
        match parse_record(&record, line) {
            Ok(edge) => edge.add_to(&mut builder)?,
            Err(bad) => {
                bad_row(bad);
                continue;
            }
        }
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

/// One good row of the edge list.
struct Row<'a> {
    source: &'a str,
    target: &'a str,
    weight: f64,
    kind: Option<&'a str>,
    justification: Option<&'a str>,
}

impl Row<'_> {
    /// Adds the row's nodes and edge; fails only when the graph outgrows its ids.
    fn add_to(&self, builder: &mut GraphBuilder) -> Result<(), GraphError> {
        let s = builder.add_node(self.source, None, None);
        let t = builder.add_node(self.target, None, None);
        builder.add_edge(s, t, self.weight, self.kind, self.justification)
    }
}

/// The row at `line`, or why it is bad.
fn parse_record(record: &csv::ByteRecord, line: u64) -> Result<Row<'_>, GraphError> {
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
    Ok(Row {
        source,
        target,
        weight,
        kind: field(record, 3, line)?.filter(|s| !s.is_empty()),
        justification: field(record, 4, line)?.filter(|s| !s.is_empty()),
    })
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

    /// The graph of `text`, which must have no bad row.
    fn read(text: &str) -> Result<Graph, GraphError> {
        let (graph, bad) = read_reporting(text);
        assert!(bad.is_empty(), "bad rows: {bad:?}");
        graph
    }

    /// The graph of `text` and the bad rows reported, in order.
    fn read_reporting(text: impl AsRef<[u8]>) -> (Result<Graph, GraphError>, Vec<GraphError>) {
        let mut bad = Vec::new();
        let graph = read_edge_list(
            text.as_ref(),
            Direction::Undirected,
            &mut |_| {},
            &mut |e| bad.push(e),
        );
        (graph, bad)
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
    fn a_bad_weight_is_reported_with_its_line_and_the_rest_is_read() {
        let (g, bad) = read_reporting("a,b,1\nb,c,heavy\nc,d,2\n");
        let g = g.unwrap();
        assert_eq!((g.node_count(), g.edge_count()), (4, 2));
        assert!(g.find("c").is_some() && g.find("d").is_some());
        assert_eq!(bad.len(), 1);
        assert_eq!(bad[0].line(), Some(2));
        assert_eq!(
            bad[0].in_file("e.csv"),
            "e.csv:2: weight \"heavy\" is not a finite non-negative number"
        );
    }

    #[test]
    fn negative_and_nan_weights_are_refused() {
        let (g, bad) = read_reporting("a,b,-1\nb,c,NaN\nc,d,inf\nd,e,0\n");
        assert_eq!(g.unwrap().edge_count(), 1);
        let lines: Vec<_> = bad
            .iter()
            .map(|e| match e {
                GraphError::BadWeight { line, .. } => *line,
                other => panic!("not a weight error: {other:?}"),
            })
            .collect();
        assert_eq!(lines, [1, 2, 3]);
    }

    #[test]
    fn every_kind_of_bad_row_is_skipped_in_order() {
        let (g, bad) = read_reporting(b"a,b\nc\n,d\ne,\n\xff,f\ng,h,1,\xfe\ni,j\n");
        assert_eq!(g.unwrap().edge_count(), 2);
        let bad: Vec<String> = bad.iter().map(ToString::to_string).collect();
        assert_eq!(
            bad,
            [
                "line 2: expected at least two fields: source,target",
                "line 3: empty node name",
                "line 4: empty node name",
                "line 5: field 1 is not valid UTF-8",
                "line 6: field 4 is not valid UTF-8",
            ]
        );
    }

    #[test]
    fn a_file_of_bad_rows_only_has_no_edge() {
        let (g, bad) = read_reporting("a,b,-1\nc\n");
        assert!(matches!(g, Err(GraphError::Empty)));
        assert_eq!(bad.len(), 2);
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
    fn type_and_justification_columns_are_kept() {
        let g = read("a,b,1,calls,rec-1\na,b,1,pays,rec-2\n").unwrap();
        let prov: Vec<_> = g.provenance(crate::EdgeId(0)).collect();
        assert_eq!(prov.len(), 2);
        assert_eq!(prov[1].kind, Some("pays"));
        assert_eq!(prov[1].justification, Some("rec-2"));
    }
}
