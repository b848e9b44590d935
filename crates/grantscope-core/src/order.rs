//! One sort for the whole program. Every `slice::sort_by` call with its own element type or
//! comparator compiles a private copy of the standard library's sort (about 4 KB of wasm each,
//! some sixty copies in the browser build); these helpers sort positions instead, through a
//! single non-generic instance, then move the elements into place.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// Sorts `items` stably by `compare` (same result as `slice::sort_by`).
pub fn sort_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..items.len()).collect();
    {
        let items = &*items;
        sort_positions(&mut order, &mut |a, b| compare(&items[a], &items[b]));
    }
    permute(items, &mut order);
}

/// Sorts `items` stably by their natural order (same result as `slice::sort`).
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// Sorts `items` stably by `key` (same result as `slice::sort_by_key`).
pub fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// `fold` step that builds a map by inserting, for `iter.fold(BTreeMap::new(), into_map)`:
/// `collect()` into a `BTreeMap` sorts the pairs first, with one more copy of the sort per key and
/// value type. As with `collect`, a later pair replaces an earlier one with the same key.
pub fn into_map<K: Ord, V>(mut map: BTreeMap<K, V>, (key, value): (K, V)) -> BTreeMap<K, V> {
    map.insert(key, value);
    map
}

/// `fold` step that builds a set by inserting (see [`into_map`]).
pub fn into_set<T: Ord>(mut set: BTreeSet<T>, item: T) -> BTreeSet<T> {
    set.insert(item);
    set
}

/// The one instance of the standard sort: positions compared through a trait object.
#[inline(never)]
fn sort_positions(order: &mut [usize], compare: &mut dyn FnMut(usize, usize) -> Ordering) {
    order.sort_by(|&a, &b| compare(a, b));
}

/// Rearranges `items` so that place `i` holds what was at `order[i]`, walking each cycle of the
/// permutation once (`order` is used up: each visited place is marked as settled). In place:
/// no second buffer of the items, however large they are.
pub(crate) fn permute<T>(items: &mut [T], order: &mut [usize]) {
    for start in 0..order.len() {
        let mut at = start;
        loop {
            let from = order[at];
            order[at] = at;
            if from == start || from == at {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn same_as_the_standard_stable_sort(keys in proptest::collection::vec(0u8..8, 0..200)) {
            // Equal keys with distinct payloads: stability is observable.
            let items: Vec<(u8, usize)> = keys.into_iter().enumerate().map(|(i, k)| (k, i)).collect();
            let mut ours = items.clone();
            sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
            let mut std = items.clone();
            std.sort_by_key(|x| x.0);
            prop_assert_eq!(&ours, &std);
            let mut reversed = items.clone();
            sort_by_key(&mut reversed, |x| std::cmp::Reverse(x.0));
            let mut std_reversed = items;
            std_reversed.sort_by_key(|x| std::cmp::Reverse(x.0));
            prop_assert_eq!(reversed, std_reversed);
        }
    }

    #[test]
    fn folds_like_collect() {
        let pairs = [("b", 1), ("a", 2), ("b", 3)];
        let folded = pairs.into_iter().fold(BTreeMap::new(), into_map);
        assert_eq!(folded, pairs.into_iter().collect::<BTreeMap<_, _>>());
        let set = ["b", "a", "b"].into_iter().fold(BTreeSet::new(), into_set);
        assert_eq!(set.into_iter().collect::<Vec<_>>(), ["a", "b"]);
    }

    #[test]
    fn sorts_owned_values_without_cloning() {
        let mut v = vec![String::from("b"), String::from("c"), String::from("a")];
        sort(&mut v);
        assert_eq!(v, ["a", "b", "c"]);
    }
}
