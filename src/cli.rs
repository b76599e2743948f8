//! The command line: `txline export`, `txline check`, and opening the viewer.
