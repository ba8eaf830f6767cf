//! Numbers written in words or digits ("two", "twenty-five", "a dozen", "3.5", "1/2", "11,000"),
//! shared by the time and quantity readers. Vague counts ("several", "a few") have no value.

/// The value of a number word or numeral; `None` for vague or unknown words.
pub fn number_value(text: &str) -> Option<f64> {
    let lower = text.trim().to_lowercase();
    let lower = lower.as_str();
    if let Ok(v) = lower.replace(',', "").parse::<f64>() {
        return Some(v);
    }
    // Mixed fractions: "5 1/2".
    if let Some((whole, fraction)) = lower.split_once(' ')
        && fraction.contains('/')
        && let (Ok(w), Some(f)) = (whole.parse::<f64>(), number_value(fraction))
    {
        return Some(w + f);
    }
    if let Some((a, b)) = lower.split_once('/') {
        let (a, b) = (a.trim().parse::<f64>().ok()?, b.trim().parse::<f64>().ok()?);
        return (b != 0.0).then(|| a / b);
    }
    if let Some((tens, ones)) = lower.split_once(['-', ' '])
        && let (Some(t), Some(o)) = (word_value(tens), word_value(ones))
        && t >= 20.0
        && o < 10.0
    {
        return Some(t + o);
    }
    word_value(lower)
}

fn word_value(word: &str) -> Option<f64> {
    let v = match word {
        "a" | "an" | "one" | "single" => 1.0,
        "two" | "couple" | "a couple of" | "couple of" => 2.0,
        "three" => 3.0,
        "four" => 4.0,
        "five" => 5.0,
        "six" => 6.0,
        "seven" => 7.0,
        "eight" => 8.0,
        "nine" => 9.0,
        "ten" => 10.0,
        "eleven" => 11.0,
        "twelve" | "dozen" | "a dozen" => 12.0,
        "thirteen" => 13.0,
        "fourteen" => 14.0,
        "fifteen" => 15.0,
        "sixteen" => 16.0,
        "seventeen" => 17.0,
        "eighteen" => 18.0,
        "nineteen" => 19.0,
        "twenty" => 20.0,
        "thirty" => 30.0,
        "forty" => 40.0,
        "fifty" => 50.0,
        "sixty" => 60.0,
        "seventy" => 70.0,
        "eighty" => 80.0,
        "ninety" => 90.0,
        "hundred" | "a hundred" | "one hundred" => 100.0,
        "thousand" | "a thousand" => 1000.0,
        "half" | "a half" => 0.5,
        _ => return None,
    };
    Some(v)
}

/// The regex alternation for a count: numerals, number words, and vague counts.
pub const COUNT: &str = r"(?:[0-9]+(?:[.,][0-9]+)?(?:[ \t\n]+[0-9]/[0-9])?|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|a dozen|dozen|a hundred|hundred|several|a few|few|many|some|a couple of|couple of|a number of)";

#[cfg(test)]
mod tests {
    use super::number_value;

    #[test]
    fn values() {
        assert_eq!(number_value("twenty-five"), Some(25.0));
        assert_eq!(number_value("11,000"), Some(11000.0));
        assert_eq!(number_value("a dozen"), Some(12.0));
        assert_eq!(number_value("1/2"), Some(0.5));
        assert_eq!(number_value("several"), None);
    }
}
