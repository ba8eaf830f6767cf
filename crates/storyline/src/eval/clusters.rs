//! Scores for a clustering of documents against gold clusters: B-cubed precision, recall and F1
//! (averaged per document) and pairwise precision, recall and F1 (over all document pairs).

use std::collections::HashMap;

use super::Prf;

/// B-cubed and pairwise scores of `system` against `gold`, both giving a cluster label per document
/// (the same documents, in the same order).
pub fn score<S: Eq + std::hash::Hash, G: Eq + std::hash::Hash>(system: &[S], gold: &[G]) -> (Prf, Prf) {
    assert_eq!(system.len(), gold.len(), "one label per document on both sides");
    let n = system.len();
    let mut system_size: HashMap<&S, usize> = HashMap::new();
    let mut gold_size: HashMap<&G, usize> = HashMap::new();
    let mut both: HashMap<(&S, &G), usize> = HashMap::new();
    for (s, g) in system.iter().zip(gold) {
        *system_size.entry(s).or_default() += 1;
        *gold_size.entry(g).or_default() += 1;
        *both.entry((s, g)).or_default() += 1;
    }
    let (mut precision, mut recall) = (0.0, 0.0);
    for (s, g) in system.iter().zip(gold) {
        let shared = both[&(s, g)] as f64;
        precision += shared / system_size[s] as f64;
        recall += shared / gold_size[g] as f64;
    }
    let bcubed = if n == 0 {
        Prf::default()
    } else {
        let (p, r) = (precision / n as f64, recall / n as f64);
        Prf { precision: p, recall: r, f1: if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) } }
    };
    let pairs = |sizes: &mut dyn Iterator<Item = usize>| sizes.map(|k| k * k.saturating_sub(1) / 2).sum::<usize>();
    let correct = pairs(&mut both.values().copied());
    let system_pairs = pairs(&mut system_size.values().copied());
    let gold_pairs = pairs(&mut gold_size.values().copied());
    (bcubed, Prf::from_counts(correct, system_pairs, gold_pairs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_and_lumped_clusterings() {
        let gold = [1, 1, 2, 2];
        let (b, p) = score(&["a", "a", "b", "b"], &gold);
        assert_eq!((b.f1, p.f1), (1.0, 1.0));
        let (b, p) = score(&["a", "a", "a", "a"], &gold);
        assert_eq!(b.recall, 1.0);
        assert_eq!(b.precision, 0.5);
        assert!((p.precision - 2.0 / 6.0).abs() < 1e-9);
        let (b, _) = score(&[1, 2, 3, 4], &gold);
        assert_eq!((b.precision, b.recall), (1.0, 0.5));
    }
}
