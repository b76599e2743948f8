//! Row packing: assigning horizontal extents to the first row where they fit, so labels,
//! brackets and bars stack into rows instead of overlapping. Each row keeps its occupied
//! intervals in an ordered map, so a query costs O(rows · log n).

use std::collections::BTreeMap;

/// Rows of disjoint horizontal intervals.
#[derive(Debug, Default, Clone)]
pub struct Rows {
    rows: Vec<BTreeMap<i64, i64>>,
    max_rows: usize,
}

fn key(x: f32) -> i64 {
    (x as f64 * 64.0).floor() as i64
}

impl Rows {
    /// At most `max_rows` rows.
    pub fn new(max_rows: usize) -> Self {
        Rows {
            rows: Vec::new(),
            max_rows: max_rows.max(1),
        }
    }

    /// Number of rows in use.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True when nothing was placed.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// True when `a..b` is free in row `r`.
    pub fn is_free(&self, r: usize, a: f32, b: f32) -> bool {
        let Some(row) = self.rows.get(r) else {
            return true;
        };
        let (ka, kb) = (key(a), key(b).max(key(a)));
        // Intervals in a row are disjoint, so the one starting last before `b` is the only
        // one that can reach past `a`.
        match row.range(..kb).next_back() {
            Some((_, &end)) => end <= ka,
            None => true,
        }
    }

    /// Occupies `a..b` in row `r` (creating rows up to it).
    pub fn occupy(&mut self, r: usize, a: f32, b: f32) {
        while self.rows.len() <= r {
            self.rows.push(BTreeMap::new());
        }
        let (ka, kb) = (key(a), key(b).max(key(a)));
        self.rows[r].insert(ka, kb);
    }

    /// Places `a..b` in the first row where it is free, starting at row `from`; `None`
    /// when every allowed row is taken there.
    pub fn place_from(&mut self, from: usize, a: f32, b: f32) -> Option<usize> {
        let limit = self.max_rows;
        for r in from..limit {
            if self.is_free(r, a, b) {
                self.occupy(r, a, b);
                return Some(r);
            }
        }
        None
    }

    /// Places `a..b` in the first free row.
    pub fn place(&mut self, a: f32, b: f32) -> Option<usize> {
        self.place_from(0, a, b)
    }
}

/// Spreads boxes along a line, in the given order, each as close to its wanted left edge as
/// possible without overlapping (at least `gap` apart) and within `lo..hi`. Returns the
/// left edges; `None` when the boxes do not fit side by side.
pub fn spread(wanted: &[f32], widths: &[f32], gap: f32, lo: f32, hi: f32) -> Option<Vec<f32>> {
    let n = wanted.len().min(widths.len());
    let total: f32 = widths[..n].iter().sum::<f32>() + gap * n.saturating_sub(1) as f32;
    if total > hi - lo + 1e-3 {
        return None;
    }
    let mut left = Vec::with_capacity(n);
    let mut prev_end = f32::NEG_INFINITY;
    for i in 0..n {
        let l = wanted[i].max(lo).max(prev_end + gap);
        left.push(l);
        prev_end = l + widths[i];
    }
    let mut next_start = f32::INFINITY;
    for i in (0..n).rev() {
        let r = (left[i] + widths[i]).min(hi).min(next_start - gap);
        left[i] = r - widths[i];
        next_start = left[i];
    }
    Some(left)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_resolves_overlaps_in_order() {
        let l = spread(&[10.0, 12.0, 95.0], &[20.0, 20.0, 20.0], 5.0, 0.0, 100.0).unwrap();
        assert_eq!(l[0], 10.0);
        assert_eq!(l[1], 35.0);
        assert_eq!(l[2], 80.0);
        assert!(spread(&[0.0, 0.0], &[60.0, 60.0], 0.0, 0.0, 100.0).is_none());
    }

    #[test]
    fn overlapping_go_to_new_rows() {
        let mut r = Rows::new(10);
        assert_eq!(r.place(0.0, 10.0), Some(0));
        assert_eq!(r.place(5.0, 15.0), Some(1));
        assert_eq!(r.place(10.0, 20.0), Some(0));
        assert_eq!(r.place(-5.0, 1.0), Some(1));
        assert_eq!(r.place(2.0, 3.0), Some(1));
        assert_eq!(r.place(2.0, 12.0), Some(2));
        assert_eq!(r.len(), 3);
        assert!(!r.is_free(0, 9.0, 9.5));
        assert!(r.is_free(0, 20.0, 30.0));
    }

    #[test]
    fn respects_row_limit() {
        let mut r = Rows::new(2);
        assert!(r.place(0.0, 10.0).is_some());
        assert!(r.place(0.0, 10.0).is_some());
        assert_eq!(r.place(0.0, 10.0), None);
    }
}
