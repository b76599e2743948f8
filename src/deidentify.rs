//! De-identification: a timeline with no dates, names or identifiers left in it.
