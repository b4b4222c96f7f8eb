//! Integration tests of the `vigil` binary as a real process. Put a test in the module of its
//! capability.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

mod ads; // --- analytics: A4 `vigil ads import` into a case
mod browser; // I1: the web workspace in headless Chromium through chromedriver
mod casework; // T1–T4, V1–V6, E1–E3: the walk-through through the API of a real demo
mod crash; // S5 + durability: SIGKILL mid-stream loses no acknowledged write
mod graph; // `vigil graph metrics`: closeness alone, timing repeats
mod http;
mod ops; // I3: migrate, admin, audit verify on a real data directory
mod tidy; // ARCHITECTURE.md rules on the source tree
          // --- evidence
mod evidence; // E1: `vigil evidence verify` finds orphans and changed originals
mod webdriver;
