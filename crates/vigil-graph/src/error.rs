//! The one error type of the graph crate: what went wrong, and where in the input.

/// Everything the graph crate can refuse.
#[derive(Debug, thiserror::Error)]
pub enum GraphError {
    /// A weight that is not a finite, non-negative number.
    #[error("line {line}: weight {value:?} is not a finite non-negative number")]
    BadWeight { line: u64, value: String },
    /// A weight given through the builder that is not finite and non-negative.
    #[error("edge weight {0} is not a finite non-negative number")]
    InvalidWeight(f64),
    /// An edge-list line with fewer than two fields, or an empty node name.
    #[error("line {line}: {reason}")]
    BadLine { line: u64, reason: String },
    /// The input held no edge at all.
    #[error("the edge list holds no edge")]
    Empty,
    /// A node named by the caller is not in the graph.
    #[error("unknown node {0:?}")]
    UnknownNode(String),
    /// A node id past the end of the graph.
    #[error("node id {0} is out of range")]
    NodeOutOfRange(u32),
    /// More nodes or edges than a u32 id can address.
    #[error("the graph is too large: more than {0} nodes or edges")]
    TooLarge(u32),
    /// A power iteration that did not reach its tolerance.
    #[error("{algorithm} did not converge within {iterations} iterations")]
    NotConverged {
        algorithm: &'static str,
        iterations: usize,
    },
    /// An argument outside its domain (for example alpha outside (0, 1)).
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// Reading the input or writing the output failed.
    #[error("I/O: {0}")]
    Io(#[from] std::io::Error),
    /// The CSV reader failed (bad quoting, invalid UTF-8) at a line.
    #[error("line {line}: {message}")]
    Csv { line: u64, message: String },
}

impl GraphError {
    /// The input line the error is about, if it is about one.
    pub fn line(&self) -> Option<u64> {
        match self {
            GraphError::BadWeight { line, .. }
            | GraphError::BadLine { line, .. }
            | GraphError::Csv { line, .. } => Some(*line),
            _ => None,
        }
    }

    /// Renders the error as `file:line: reason` when it is about an input line, else `file: error`.
    pub fn in_file(&self, file: &str) -> String {
        match self {
            GraphError::BadWeight { line, value } => {
                format!("{file}:{line}: weight {value:?} is not a finite non-negative number")
            }
            GraphError::BadLine { line, reason } => format!("{file}:{line}: {reason}"),
            GraphError::Csv { line, message } => format!("{file}:{line}: {message}"),
            other => format!("{file}: {other}"),
        }
    }
}
