//! Exchange formats (N3).
