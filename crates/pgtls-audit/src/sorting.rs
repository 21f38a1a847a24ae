//! Stable sorting through one instantiation of the standard library's sort.
//!
//! Each `sort_by` on a new element type or closure compiles the standard library's whole sort
//! (driftsort, quicksort, small-sort networks) again: about 3.5 KB of wasm each, seventeen times
//! in the page. These sort a list of `u32` positions with a `dyn` comparison instead, so the
//! sort is compiled once, and then move the elements into that order. The results are the
//! standard library's stable sort's, element for element.

use std::cmp::Ordering;

/// Stable sort by `compare`, like `slice::sort_by`.
pub fn sort_by<T>(items: &mut Vec<T>, compare: impl Fn(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let mut order: Vec<u32> = (0..items.len() as u32).collect();
    sort_positions(&mut order, &|a, b| compare(&items[a as usize], &items[b as usize]));
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(order.iter().map(|&i| slots[i as usize].take().expect("a permutation names each position once")));
}

/// Stable sort by a key, like `slice::sort_by_key`.
pub fn sort_by_key<T, K: Ord>(items: &mut Vec<T>, key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Stable sort in the elements' order, like `slice::sort`.
pub fn sort<T: Ord>(items: &mut Vec<T>) {
    sort_by(items, T::cmp);
}

#[inline(never)]
fn sort_positions(order: &mut [u32], compare: &dyn Fn(u32, u32) -> Ordering) {
    order.sort_by(|a, b| compare(*a, *b));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_library_and_keeps_equal_elements_in_order() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for len in [0usize, 1, 2, 3, 7, 20, 33, 100, 1000] {
            let items: Vec<(u8, usize)> = (0..len)
                .map(|i| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    ((seed % 5) as u8, i)
                })
                .collect();
            let mut ours = items.clone();
            sort_by_key(&mut ours, |x| x.0);
            let mut std_sorted = items.clone();
            std_sorted.sort_by_key(|x| x.0);
            assert_eq!(ours, std_sorted, "len {len}");
            let mut ours = items.clone();
            sort(&mut ours);
            let mut std_sorted = items;
            std_sorted.sort();
            assert_eq!(ours, std_sorted, "len {len}");
        }
    }

    #[test]
    fn moves_elements_that_are_not_copy() {
        let mut names: Vec<String> = ["pg_hba.conf", "b.conf", "a.conf"].map(String::from).to_vec();
        sort(&mut names);
        assert_eq!(names, ["a.conf", "b.conf", "pg_hba.conf"]);
    }
}
