//! Indicator scoring (stub).
