//! Identifiers, validated values and time.
