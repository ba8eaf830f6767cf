//! Annotate: the facts in an article's text, each pointing back to its offsets: sentences, entities
//! with identities shared across articles, time expressions, quantities and direct quotes.

pub mod entities;
pub mod gazetteer;
pub mod numbers;
pub mod quantities;
pub mod quotes;
pub mod sentences;
pub mod times;

pub use entities::{Entity, EntityKind, Mention, Sense, find_entities};
pub use quantities::{Modality, Quantity, find_quantities};
pub use quotes::{Quote, find_quotes};
pub use sentences::{Sentence, sentences};
pub use times::{Granularity, TimeExpr, TimeKind, find_times};

use crate::model::Article;

/// Annotates an extracted article in place: its sentences; its entities; its time expressions
/// anchored on the publication date (left unresolved when that date is unknown); its figures, each
/// with the entity it belongs to; its quotes, each with its speaker's entity.
pub fn annotate(article: &mut Article) {
    article.sentences = sentences(&article.body);
    let english = article.language.as_deref().is_none_or(|l| l == "en");
    article.entities = find_entities(&article.body, english);
    article.times = times::times_in(&article.body, &article.sentences, article.published.date);
    let spans: Vec<(usize, usize)> = article.times.iter().map(|t| (t.start, t.end)).collect();
    article.quantities = quantities::quantities_in(&article.body, &article.sentences, &spans);
    let mut previous: Option<(Option<sentences::Sentence>, Option<String>, Option<String>)> = None;
    for quantity in &mut article.quantities {
        let sentence = sentences::holding(&article.sentences, quantity.start, quantity.end);
        let bounds = sentence.map_or((quantity.start, quantity.end), |s| (s.start, s.end));
        quantity.entity = entities::owner(&article.entities, &article.body, (quantity.start, quantity.end), bounds);
        // A figure whose unit was carried over from the one before it in the sentence ("3,000 North
        // Korean troops … their number to around 12,000") belongs to the same entity.
        let carried =
            quantity.unit.as_deref().is_some_and(|u| !quantity.text.to_lowercase().contains(&u.to_lowercase()));
        if carried
            && let Some((before_sentence, before_unit, before_entity)) = &previous
            && *before_sentence == sentence
            && *before_unit == quantity.unit
        {
            quantity.entity = before_entity.clone();
        }
        previous = Some((sentence, quantity.unit.clone(), quantity.entity.clone()));
    }
    article.quotes = find_quotes(&article.body, &article.sentences);
    let quoted: Vec<(usize, usize)> = article.quotes.iter().map(|q| (q.start, q.end)).collect();
    for quote in &mut article.quotes {
        let named = quote.speaker.as_deref().and_then(|s| entities::named(&article.entities, s));
        // "…," he said: the person named last before the quote, outside other quotes, when the
        // quote reader's guess is not a person.
        let by_pronoun = quote.by_pronoun && named.is_none_or(|e| e.kind != EntityKind::Person);
        let speaker = if by_pronoun { entities::person_before(&article.entities, quote.start, &quoted) } else { named };
        quote.speaker_id = match (speaker, quote.speaker.as_deref()) {
            (Some(entity), _) => Some(entity.id.clone()),
            (None, Some(name)) => entities::speaker_entity(&mut article.entities, &article.body, name, quote.end),
            (None, None) => None,
        };
    }
}
