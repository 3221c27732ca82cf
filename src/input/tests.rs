//! Unit tests for merging and escaping; whole files are read in
//! tests/input.rs.
