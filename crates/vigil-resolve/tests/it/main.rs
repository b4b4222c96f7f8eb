//! Integration tests for vigil-resolve.
mod behaviour;
mod febrl;
