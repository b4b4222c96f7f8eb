//! Network analysis: a compact graph and the metrics analysts use to find key players and rings.
