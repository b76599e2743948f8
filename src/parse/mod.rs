//! Parsing: RON text into the on-disk shape, with an index from each value's path to its line and column.
