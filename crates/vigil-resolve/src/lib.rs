//! Entity resolution: normalise, block, score (Fellegi-Sunter) and cluster records, with explanations.
