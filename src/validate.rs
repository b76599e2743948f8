//! Validation: the on-disk shape into the validated model, every error and warning in one pass.
