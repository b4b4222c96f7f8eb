//! The crate's error type.

/// What went wrong while reading, configuring or resolving.
#[derive(Debug, thiserror::Error)]
pub enum ResolveError {
    /// The input had no header row or no data rows.
    #[error("{source_name}: no records (empty input or header only)")]
    Empty { source_name: String },
    /// A column named by the configuration is absent from the header.
    #[error("{source_name}: column `{column}` is not in the header ({header})")]
    MissingColumn {
        source_name: String,
        column: String,
        header: String,
    },
    /// The CSV reader failed at a line.
    #[error("{source_name}:{line}: {message}")]
    Csv {
        source_name: String,
        line: u64,
        message: String,
    },
    /// The configuration is invalid.
    #[error("configuration: {0}")]
    Config(String),
    /// No column maps to a field kind that can be compared.
    #[error("{source_name}: no comparable columns (map columns to field kinds in the config)")]
    NoFields { source_name: String },
    /// An encoded (privacy-preserving) file was malformed.
    #[error("{source_name}:{line}: {message}")]
    Encoding {
        source_name: String,
        line: u64,
        message: String,
    },
}
