//! Authentication rules (CJIS IA-2, IA-5, AC-7; ASVS V6/V7): passwords, TOTP, sessions,
//! lockout and bearer secrets. Pure: callers pass the time and the randomness source.

pub mod inactivity;
pub mod lockout;
pub mod password;
pub mod secret;
pub mod session;
pub mod totp;
