//! `storyline eval …`: measurements against public labelled data read at run time (never copied
//! into the repository). Each evaluation prints its figures and can enforce a floor, so CI fails
//! when a change makes storyline worse.

pub mod clusters;
pub mod ecbplus;
pub mod labels;
pub mod polnear;
pub mod stories;
pub mod timeml;

/// Precision, recall and F1 from counts.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Prf {
    pub fn from_counts(correct: usize, system: usize, gold: usize) -> Self {
        let precision = if system == 0 { 0.0 } else { correct as f64 / system as f64 };
        let recall = if gold == 0 { 0.0 } else { correct as f64 / gold as f64 };
        let f1 = if precision + recall == 0.0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) };
        Prf { precision, recall, f1 }
    }
}

impl std::fmt::Display for Prf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "P {:.3}  R {:.3}  F1 {:.3}", self.precision, self.recall, self.f1)
    }
}
