//! Chain computation and the streaming verifier used by `vigil audit verify` on both stores.

use crate::event::{AuditEvent, Digest};
use sha2::{Digest as _, Sha256};

/// The chain value before the first event.
pub const GENESIS: Digest = [0u8; 32];

/// `SHA-256(0x01 ‖ prev ‖ leaf)`.
#[must_use]
pub fn chain_next(prev: &Digest, leaf: &Digest) -> Digest {
    let mut h = Sha256::new();
    h.update([1u8]);
    h.update(prev);
    h.update(leaf);
    h.finalize().into()
}

/// A remembered head of the log, kept apart from the events (and ideally off-host).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    pub seq: u64,
    pub chain: Digest,
}

/// What the verifier found wrong, with the first bad position.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Tamper {
    #[error(
        "event at position {expected} is missing (found {found} instead): deleted or reordered"
    )]
    Gap { expected: u64, found: u64 },
    #[error("event {seq} does not match its stored leaf hash: its content was edited")]
    LeafMismatch { seq: u64 },
    #[error("event {seq} does not continue the chain: an earlier event was edited, deleted or reordered")]
    ChainMismatch { seq: u64 },
    #[error("checkpoint at {seq} does not match the log: the log was rewritten")]
    CheckpointMismatch { seq: u64 },
    #[error(
        "the log ends at {last} but a checkpoint records {seq} events: the tail was truncated"
    )]
    Truncated { last: u64, seq: u64 },
}

/// Feeds events in `seq` order; stops at the first problem.
#[derive(Clone, Debug)]
pub struct Verifier {
    next_seq: u64,
    chain: Digest,
}

impl Default for Verifier {
    fn default() -> Self {
        Self {
            next_seq: 1,
            chain: GENESIS,
        }
    }
}

impl Verifier {
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Checks one stored event with its stored leaf and chain hashes.
    pub fn push(
        &mut self,
        event: &AuditEvent,
        stored_leaf: &Digest,
        stored_chain: &Digest,
    ) -> Result<(), Tamper> {
        if event.seq != self.next_seq {
            return Err(Tamper::Gap {
                expected: self.next_seq,
                found: event.seq,
            });
        }
        let leaf = event.leaf_hash();
        if &leaf != stored_leaf {
            return Err(Tamper::LeafMismatch { seq: event.seq });
        }
        let chain = chain_next(&self.chain, &leaf);
        if &chain != stored_chain {
            return Err(Tamper::ChainMismatch { seq: event.seq });
        }
        self.chain = chain;
        self.next_seq += 1;
        Ok(())
    }

    /// How many events have verified so far.
    #[must_use]
    pub fn verified(&self) -> u64 {
        self.next_seq - 1
    }

    /// The head after the events pushed so far.
    #[must_use]
    pub fn head(&self) -> Checkpoint {
        Checkpoint {
            seq: self.verified(),
            chain: self.chain,
        }
    }

    /// Checks the verified log against checkpoints recorded earlier. Call after the last event.
    pub fn check_checkpoints(
        &self,
        checkpoints: &[Checkpoint],
        chain_at: impl Fn(u64) -> Option<Digest>,
    ) -> Result<(), Tamper> {
        for cp in checkpoints {
            if cp.seq > self.verified() {
                return Err(Tamper::Truncated {
                    last: self.verified(),
                    seq: cp.seq,
                });
            }
            if chain_at(cp.seq) != Some(cp.chain) {
                return Err(Tamper::CheckpointMismatch { seq: cp.seq });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Outcome;
    use vigil_types::{AgencyId, Timestamp, UserId};

    fn event(seq: u64) -> AuditEvent {
        AuditEvent {
            seq,
            at: Timestamp::from_unix_micros(
                1_700_000_000_000_000 + i64::try_from(seq).unwrap() * 10_000,
            ),
            actor_user: Some(UserId::from_u128(7)),
            actor_agency: Some(AgencyId::from_u128(9)),
            action: "case.read".into(),
            object_kind: "case".into(),
            object_id: Some(format!("c{seq}")),
            object_agency: Some(AgencyId::from_u128(9)),
            outcome: Outcome::Success,
            detail: String::new(),
        }
    }

    fn log(n: u64) -> Vec<(AuditEvent, Digest, Digest)> {
        let mut prev = GENESIS;
        (1..=n)
            .map(|s| {
                let e = event(s);
                let leaf = e.leaf_hash();
                prev = chain_next(&prev, &leaf);
                (e, leaf, prev)
            })
            .collect()
    }

    fn verify(rows: &[(AuditEvent, Digest, Digest)]) -> Result<u64, Tamper> {
        let mut v = Verifier::new();
        for (e, l, c) in rows {
            v.push(e, l, c)?;
        }
        Ok(v.verified())
    }

    #[test]
    fn intact_log_verifies() {
        assert_eq!(verify(&log(50)), Ok(50));
    }

    #[test]
    fn canonical_encoding_is_stable() {
        // Pinned so an accidental change to the encoding breaks this test, not old logs.
        assert_eq!(
            hex::encode(event(1).leaf_hash()),
            "39f599b4d24b15c7dc47a56523fd2a95acd00349a404cf72b068168ffe3a8c1c"
        );
        let bytes = event(1).canonical();
        assert_eq!(bytes[0], 1);
        assert_eq!(
            bytes.len(),
            1 + 8 + 8 + 8 * 4 + 36 * 3 + "case.read".len() + "case".len() + 2 + "success".len()
        );
    }

    #[test]
    fn edit_delete_swap_are_named() {
        let mut rows = log(10);
        rows[4].0.detail = "x".into();
        assert_eq!(verify(&rows), Err(Tamper::LeafMismatch { seq: 5 }));

        let mut rows = log(10);
        rows.remove(3);
        assert_eq!(
            verify(&rows),
            Err(Tamper::Gap {
                expected: 4,
                found: 5
            })
        );

        let mut rows = log(10);
        rows.swap(2, 3);
        assert_eq!(
            verify(&rows),
            Err(Tamper::Gap {
                expected: 3,
                found: 4
            })
        );

        // Re-hash an edited event consistently (leaf + chain from there on) except the chain link.
        let mut rows = log(10);
        rows[6].0.action = "case.update".into();
        rows[6].1 = rows[6].0.leaf_hash();
        assert_eq!(verify(&rows), Err(Tamper::ChainMismatch { seq: 7 }));
    }

    #[test]
    fn truncation_caught_by_checkpoint() {
        let rows = log(10);
        let cp = Checkpoint {
            seq: 10,
            chain: rows[9].2,
        };
        let truncated = &rows[..8];
        let mut v = Verifier::new();
        for (e, l, c) in truncated {
            v.push(e, l, c).unwrap();
        }
        let chain_at = |s: u64| {
            truncated
                .get(usize::try_from(s).ok()?.checked_sub(1)?)
                .map(|r| r.2)
        };
        assert_eq!(
            v.check_checkpoints(&[cp], chain_at),
            Err(Tamper::Truncated { last: 8, seq: 10 })
        );
    }

    proptest::proptest! {
        /// Any single-field mutation of any event is detected at or before that event.
        #[test]
        fn any_mutation_is_detected(n in 2u64..40, victim in 0usize..40, which in 0u8..5) {
            let mut rows = log(n);
            let i = victim % rows.len();
            let e = &mut rows[i].0;
            match which {
                0 => e.seq += 100,
                1 => e.at = Timestamp::from_unix_micros(e.at.unix_micros() + 1),
                2 => e.action.push('!'),
                3 => e.outcome = Outcome::Denied,
                _ => e.object_id = None,
            }
            let err = verify(&rows).unwrap_err();
            let at = match err { Tamper::Gap { expected, .. } => expected, Tamper::LeafMismatch { seq } | Tamper::ChainMismatch { seq } => seq, _ => 0 };
            proptest::prop_assert_eq!(at, (i as u64) + 1);
        }
    }
}
