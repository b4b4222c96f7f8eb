//! Integration tests for vigil-server, through the real router on SQLite and, when
//! `VIGIL_TEST_POSTGRES_URL` is set, PostgreSQL. Put a test in the module of its capability.

#![allow(clippy::unwrap_used, clippy::too_many_lines)] // test code

mod analytics; // --- analytics: ads and link charts over case data (A3/A4, N2/N3)
mod bad_input; // I2: malformed input never yields a 5xx
mod login; // S8: password + TOTP, sessions, lockout, CSRF
mod matrix; // S2: every route × principal, with its audit event
mod support;
mod workflow; // C1–C3: a case from opening to referral, audited end to end
mod xref; // --- xref: X2–X5 in Vigil: review queue, judgements, need-to-know, CSV check
          // --- ops
mod ops; // T5, O1, O2, C6: protocols, joint operations, prosecution
