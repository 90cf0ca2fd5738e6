//! Exports (filled in later).
