//! Identifier extraction: turns free text into normalised, validated selectors with spans.
