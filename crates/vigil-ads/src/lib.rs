//! Online-ad intelligence: explainable indicator scoring, operations (clustering) and circuits.
