//! The pairwise model: how likely two articles are to belong to one story, from how much their
//! words, headlines, entities and figures overlap, whether they date things to different years,
//! and how close their publication dates are. A logistic regression over seven such features,
//! fitted (`storyline eval ecbplus --fit --stream …` prints the weights below) on the pairs of the
//! ECB+ training topics, where every topic holds two events that share most of their vocabulary
//! (two earthquakes, two players put on injured reserve), together with the pairs of our own
//! labelled stream, whose stories run for weeks through several happenings. ECB+ articles carry
//! no publication dates, so the time feature learns from our stream alone.
//!
//! Stories are refined with it by average linkage: groups of articles merge while the mean
//! probability between them stays at or above a threshold, so one article that bridges two events
//! cannot chain them together the way it pulls a centroid.

use super::features::{FeatureVector, Features, Weighted};

/// What the pairwise model knows of one article: unit vectors of its terms, headline terms,
/// entities and figures, the years it dates things to, and its publication date.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Profile {
    pub terms: FeatureVector,
    pub head: FeatureVector,
    pub entities: FeatureVector,
    pub figures: FeatureVector,
    pub years: Vec<i32>,
    pub published: Option<chrono::NaiveDate>,
}

impl Profile {
    /// The profile of an article's weighted features: terms cut to their `keep` heaviest, the
    /// other kinds to half as many.
    pub fn of(weighted: &Weighted, features: &Features, keep: usize) -> Profile {
        Profile {
            terms: weighted.terms.truncated(keep),
            head: weighted.head.truncated(keep / 2),
            entities: weighted.entities.truncated(keep / 2),
            figures: weighted.figures.truncated(keep / 2),
            years: features.years.clone(),
            published: features.published,
        }
    }
}

/// The profiles of a batch of articles' features, weighed against the batch as a whole.
pub fn profiles_of(features: &[Features], idf_power: f32, keep: usize) -> Vec<Profile> {
    let mut vocabulary = super::features::Vocabulary::default();
    for f in features {
        vocabulary.add(f);
    }
    features.iter().map(|f| Profile::of(&vocabulary.weigh(f, idf_power), f, keep)).collect()
}

/// The number of pair features.
pub const PAIR_FEATURES: usize = 7;

/// Term, entity, headline and figure cosines, whether the two date things to different years only,
/// the product of term and entity cosine (two articles need not agree on both), and how close
/// their publication dates are.
pub fn pair_features(a: &Profile, b: &Profile) -> [f32; PAIR_FEATURES] {
    let terms = a.terms.cosine(&b.terms);
    let entities = a.entities.cosine(&b.entities);
    let head = a.head.cosine(&b.head);
    let figures = a.figures.cosine(&b.figures);
    let other_years = !a.years.is_empty() && !b.years.is_empty() && !a.years.iter().any(|y| b.years.contains(y));
    // Coverage of one story bunches in time: published the same day counts 1, two weeks apart 1/e.
    let close = match (a.published, b.published) {
        (Some(x), Some(y)) => (-((x - y).num_days().abs() as f32) / 14.0).exp(),
        _ => 0.0,
    };
    [terms, entities, head, figures, if other_years { 1.0 } else { 0.0 }, terms * entities, close]
}

/// Logistic weights over `pair_features`.
#[derive(Clone, Debug, PartialEq)]
pub struct PairModel {
    pub weights: [f32; PAIR_FEATURES],
    pub bias: f32,
}

impl Default for PairModel {
    /// Fitted on the ECB+ training topics and our stream (`storyline eval ecbplus
    /// ../shared/bench/ecbplus-dev --fit --stream examples/corpus --stream-labels examples/stories.tsv`).
    fn default() -> Self {
        PairModel { weights: [13.45, 10.11, 6.2, 6.34, -1.21, -24.03, 2.83], bias: -5.84 }
    }
}

impl PairModel {
    pub fn probability(&self, features: &[f32; PAIR_FEATURES]) -> f32 {
        let z: f32 = self.bias + self.weights.iter().zip(features).map(|(w, x)| w * x).sum::<f32>();
        1.0 / (1.0 + (-z).exp())
    }

    pub fn same_event(&self, a: &Profile, b: &Profile) -> f32 {
        self.probability(&pair_features(a, b))
    }

    /// Fits the weights to labelled pairs (features, same event) by Newton's method on the
    /// log-likelihood with a light ridge, so that separable data still converges.
    pub fn fit(samples: &[([f32; PAIR_FEATURES], bool)]) -> PairModel {
        const N: usize = PAIR_FEATURES + 1;
        const RIDGE: f64 = 1e-2;
        let mut beta = [0.0f64; N];
        for _ in 0..50 {
            let mut gradient = [0.0f64; N];
            let mut hessian = [[0.0f64; N]; N];
            for (features, same) in samples {
                let mut x = [1.0f64; N];
                for (slot, f) in x.iter_mut().skip(1).zip(features) {
                    *slot = f64::from(*f);
                }
                let z: f64 = beta.iter().zip(&x).map(|(b, x)| b * x).sum();
                let p = 1.0 / (1.0 + (-z).exp());
                let y = if *same { 1.0 } else { 0.0 };
                for i in 0..N {
                    gradient[i] += (y - p) * x[i];
                    for j in 0..N {
                        hessian[i][j] += p * (1.0 - p) * x[i] * x[j];
                    }
                }
            }
            for i in 1..N {
                gradient[i] -= RIDGE * beta[i];
                hessian[i][i] += RIDGE;
            }
            let Some(step) = solve(hessian, gradient) else { break };
            let mut largest = 0.0f64;
            for (b, s) in beta.iter_mut().zip(step) {
                *b += s;
                largest = largest.max(s.abs());
            }
            if largest < 1e-6 {
                break;
            }
        }
        let mut weights = [0.0f32; PAIR_FEATURES];
        for (w, b) in weights.iter_mut().zip(&beta[1..]) {
            *w = *b as f32;
        }
        PairModel { weights, bias: beta[0] as f32 }
    }
}

/// Solves `a · x = b` by Gaussian elimination with partial pivoting; `None` when singular.
fn solve<const N: usize>(mut a: [[f64; N]; N], mut b: [f64; N]) -> Option<[f64; N]> {
    for col in 0..N {
        let pivot = (col..N).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        let pivot_row = a[col];
        for row in col + 1..N {
            let factor = a[row][col] / pivot_row[col];
            for (cell, p) in a[row].iter_mut().zip(&pivot_row).skip(col) {
                *cell -= factor * p;
            }
            b[row] -= factor * b[col];
        }
    }
    let mut x = [0.0f64; N];
    for row in (0..N).rev() {
        let rest: f64 = (row + 1..N).map(|k| a[row][k] * x[k]).sum();
        x[row] = (b[row] - rest) / a[row][row];
    }
    Some(x)
}

/// Average-linkage clustering of `profiles`: starting from one group per article, the two groups
/// with the highest mean pairwise probability merge while that mean is at least `threshold`.
/// Returns a group number per profile, numbered in order of each group's first profile.
pub fn average_link(profiles: &[&Profile], model: &PairModel, threshold: f32) -> Vec<usize> {
    let n = profiles.len();
    // sum[a][b]: the summed probability between the articles of groups a and b.
    let mut sum = vec![vec![0.0f32; n]; n];
    for i in 0..n {
        for j in i + 1..n {
            let p = model.same_event(profiles[i], profiles[j]);
            sum[i][j] = p;
            sum[j][i] = p;
        }
    }
    let mut size = vec![1usize; n];
    let mut group: Vec<usize> = (0..n).collect();
    let mut alive: Vec<usize> = (0..n).collect();
    loop {
        let mut best: Option<(f32, usize, usize)> = None;
        for (x, &a) in alive.iter().enumerate() {
            for &b in &alive[x + 1..] {
                let mean = sum[a][b] / (size[a] * size[b]) as f32;
                if mean >= threshold && best.is_none_or(|(m, _, _)| mean > m) {
                    best = Some((mean, a, b));
                }
            }
        }
        let Some((_, a, b)) = best else { break };
        for &c in &alive {
            if c != a && c != b {
                sum[a][c] += sum[b][c];
                sum[c][a] = sum[a][c];
            }
        }
        size[a] += size[b];
        alive.retain(|&c| c != b);
        for g in &mut group {
            if *g == b {
                *g = a;
            }
        }
    }
    // Renumber by first appearance.
    let mut number: Vec<Option<usize>> = vec![None; n];
    let mut next = 0;
    group
        .into_iter()
        .map(|g| {
            *number[g].get_or_insert_with(|| {
                next += 1;
                next - 1
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vector(pairs: &[(u32, f32)]) -> FeatureVector {
        let norm = pairs.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        FeatureVector(pairs.iter().map(|(f, w)| (*f, w / norm)).collect())
    }

    /// A profile whose figures are the constant one every article has (feature 0, see
    /// `Features::of`) and the event's own `figure`.
    fn profile(terms: &[(u32, f32)], entities: &[(u32, f32)], figure: u32, years: &[i32]) -> Profile {
        Profile {
            terms: vector(terms),
            head: vector(terms),
            entities: vector(entities),
            figures: vector(&[(0, 0.3), (figure, 1.0)]),
            years: years.to_vec(),
            published: None,
        }
    }

    #[test]
    fn shared_words_and_names_are_one_event_shared_words_alone_are_not() {
        let model = PairModel::default();
        let words = |ids: &[u32]| ids.iter().map(|&id| (id, 1.0)).collect::<Vec<_>>();
        let a = profile(&words(&[1, 2, 3, 4, 5, 6]), &[(10, 1.0), (11, 1.0)], 100, &[2008]);
        let same = profile(&words(&[1, 2, 3, 4, 5, 7]), &[(10, 1.0), (11, 0.8)], 100, &[2008]);
        let other = profile(&words(&[1, 8, 9, 10, 11, 12]), &[(12, 1.0), (13, 1.0)], 200, &[2011]);
        assert!(model.same_event(&a, &same) > 0.5);
        assert!(model.same_event(&a, &other) < 0.5);
    }

    #[test]
    fn average_link_keeps_two_events_apart() {
        let model = PairModel::default();
        let first = || profile(&[(1, 1.0), (2, 1.0), (3, 1.0)], &[(10, 1.0), (11, 1.0)], 100, &[]);
        let second = || profile(&[(1, 1.0), (4, 1.0), (5, 1.0), (6, 1.0), (7, 1.0)], &[(20, 1.0), (21, 1.0)], 200, &[]);
        let profiles = [first(), second(), first(), second(), first(), second()];
        let refs: Vec<&Profile> = profiles.iter().collect();
        let groups = average_link(&refs, &model, 0.5);
        assert_eq!(groups, vec![0, 1, 0, 1, 0, 1]);
    }

    #[test]
    fn fit_recovers_a_separating_direction() {
        let mut samples = Vec::new();
        for i in 0..200 {
            let x = i as f32 / 200.0;
            let mut f = [0.0; PAIR_FEATURES];
            f[0] = x;
            samples.push((f, x > 0.5 || (i % 17 == 0 && x > 0.4)));
        }
        let model = PairModel::fit(&samples);
        let at = |x: f32| {
            let mut f = [0.0; PAIR_FEATURES];
            f[0] = x;
            model.probability(&f)
        };
        assert!(model.weights[0] > 0.0);
        assert!(at(0.2) < 0.1 && at(0.8) > 0.9, "{} {}", at(0.2), at(0.8));
    }
}
