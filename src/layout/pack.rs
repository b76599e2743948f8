//! Row packing: assigning horizontal extents to the first row where they fit, so labels,
//! brackets and bars stack into rows instead of overlapping. Each row keeps its occupied
//! intervals in an ordered map, so a query costs O(rows · log n).

use std::collections::BTreeMap;

/// Rows of disjoint horizontal intervals.
#[derive(Debug, Default, Clone)]
pub struct Rows {
    rows: Vec<Row>,
    max_rows: usize,
}

/// One row's intervals (start → end, in 1/64 px), and the one starting last: items are
/// mostly placed left to right, so that one alone usually answers [`Rows::is_free`].
#[derive(Debug, Clone)]
struct Row {
    spans: BTreeMap<i64, i64>,
    last: (i64, i64),
}

impl Default for Row {
    fn default() -> Self {
        Row {
            spans: BTreeMap::new(),
            last: (i64::MIN, i64::MIN),
        }
    }
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
        // one that can reach past `a`; when the row's last interval starts before `b`, it is
        // that one.
        let (last_start, last_end) = row.last;
        if last_start < kb {
            return last_end <= ka;
        }
        match row.spans.range(..kb).next_back() {
            Some((_, &end)) => end <= ka,
            None => true,
        }
    }

    /// Occupies `a..b` in row `r` (creating rows up to it).
    pub fn occupy(&mut self, r: usize, a: f32, b: f32) {
        while self.rows.len() <= r {
            self.rows.push(Row::default());
        }
        let (ka, kb) = (key(a), key(b).max(key(a)));
        let row = &mut self.rows[r];
        row.spans.insert(ka, kb);
        if ka >= row.last.0 {
            row.last = (ka, kb);
        }
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

    /// Every answer of `is_free` agrees with a plain scan of the row's intervals, for
    /// intervals placed in and out of order (left labels start before earlier ones).
    #[test]
    fn is_free_agrees_with_a_scan_of_every_interval() {
        let mut seed = 7u64;
        let mut next = |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        let mut rows = Rows::new(3);
        let mut placed: Vec<Vec<(f32, f32)>> = vec![Vec::new(); 3];
        for i in 0..3000 {
            // Mostly left to right, sometimes far back.
            let base = if next(4) == 0 { next(3000) } else { i } as f32;
            let (a, b) = (base, base + 1.0 + next(8) as f32);
            let r = next(3) as usize;
            let scan = placed[r].iter().all(|&(x, y)| y <= a || x >= b);
            assert_eq!(
                rows.is_free(r, a, b),
                scan,
                "row {r}: {a}..{b} among {:?}",
                placed[r]
            );
            if scan {
                rows.occupy(r, a, b);
                placed[r].push((a, b));
            }
        }
        assert!(
            placed.iter().all(|p| p.len() > 100),
            "the test placed too little"
        );
    }

    #[test]
    fn a_gap_ending_where_the_last_interval_starts_is_free() {
        let mut r = Rows::new(1);
        r.occupy(0, 0.0, 10.0);
        r.occupy(0, 20.0, 30.0);
        assert!(r.is_free(0, 15.0, 20.0));
        assert!(!r.is_free(0, 15.0, 20.5));
        // Occupying again from the same start keeps the longer end.
        r.occupy(0, 20.0, 40.0);
        assert!(!r.is_free(0, 35.0, 36.0));
        assert!(r.is_free(0, 40.0, 41.0));
    }
}
