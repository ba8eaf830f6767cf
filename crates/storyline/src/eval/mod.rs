//! `storyline eval …`: measurements against public labelled data read at run time (never copied
//! into the repository). Each evaluation prints its figures and can enforce a floor, so CI fails
//! when a change makes storyline worse.

pub mod clusters;
pub mod dates;
pub mod ecbplus;
pub mod extraction;
pub mod labels;
pub mod polnear;
pub mod stories;
pub mod timeml;

/// Overrides of the linker's tuned defaults, shared by the linking evaluations (for sweeps and
/// error analysis; the defaults in `LinkConfig` are what storyline runs with).
#[derive(Debug, Default, clap::Args)]
pub struct LinkKnobs {
    /// Override the linker's threshold.
    #[arg(long)]
    threshold: Option<f32>,
    /// Override the mean pairwise probability at which groups merge when a story is refined.
    #[arg(long)]
    pair_threshold: Option<f32>,
    /// Override the share of entity cosine in the score.
    #[arg(long)]
    entity_share: Option<f32>,
    /// Override the power of idf in feature weights.
    #[arg(long)]
    idf_power: Option<f32>,
    /// Override the days beyond a story's span at which its score is halved.
    #[arg(long)]
    half_life: Option<f32>,
    /// Override the least the time decay leaves of a score.
    #[arg(long)]
    time_floor: Option<f32>,
}

impl LinkKnobs {
    /// The default configuration with these overrides.
    pub fn config(&self) -> storyline_core::link::LinkConfig {
        let mut config = storyline_core::link::LinkConfig::default();
        let set = |field: &mut f32, value: Option<f32>| {
            if let Some(v) = value {
                *field = v;
            }
        };
        set(&mut config.threshold, self.threshold);
        set(&mut config.pair_threshold, self.pair_threshold);
        set(&mut config.entity_share, self.entity_share);
        set(&mut config.idf_power, self.idf_power);
        set(&mut config.half_life_days, self.half_life);
        set(&mut config.time_floor, self.time_floor);
        config
    }
}

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
