//! Time values: the four ways to write a time, and calendar arithmetic.
