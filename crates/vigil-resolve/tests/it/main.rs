//! Integration tests for vigil-resolve: the FEBRL benchmark files with their ground truth.
mod febrl;
