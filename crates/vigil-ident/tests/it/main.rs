//! Integration tests for vigil-ident: the golden tables of the design doc (§2, §3), the other
//! identifiers (§5) and properties over arbitrary text.

mod golden;
mod identifiers;
mod properties;
