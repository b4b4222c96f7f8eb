//! The HTTP surface of Vigil: JSON API under /api/v1.
