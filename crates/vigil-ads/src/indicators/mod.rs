//! Indicator scoring (A2): an explainable, versioned sum of weighted indicator hits (§6).

mod lexicon;
mod score;
mod weights;

pub use lexicon::{tokens, Lexicon, Token};
pub use score::{score, Contribution, Hit, Score, Scorer, WeightSetRef};
pub use weights::{
    Detector, Evidence, Indicator, UrgentRule, WeightSet, WeightsError, DEFAULT_WEIGHTS_TOML,
};

#[cfg(test)]
mod tests;
