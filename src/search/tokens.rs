//! What the index is made of: Chinese text as overlapping character pairs (bigrams, as Lucene's
//! CJKAnalyzer does) plus single characters, Latin letters and digits as whole runs.
//!
//! themes/default/static/search.js cuts the reader's query the same way; the two must agree
//! (tests/browser/search.rs runs both on the same strings).
//!
//! - Full-width ASCII becomes half-width and letters lowercase: `１２３４８` and `12348`,
//!   `ＡＢ` and `ab` are the same token.
//! - 书名号 and quotation marks are not there at all: `《民法典》第一千零四十二条` reads as
//!   `民法典第一千零四十二条`, so the reader need not type them.
//! - Any other punctuation or space ends a run: no pair spans `，` or `。`.

/// A token packed into a number: a character (`c`), a pair (`1 << 42 | a << 21 | b`), or a
/// Latin/digit run, numbered per document (`2 << 42 | n`).
pub type Token = u64;

const PAIR: u64 = 1 << 42;
const WORD: u64 = 2 << 42;

/// Chinese, Japanese and Korean characters: the text that has no spaces between words.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3007 | 0x3041..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF | 0x20000..=0x3FFFD)
}

/// Marks that quote a title or a phrase: left out, so they neither end a run nor need typing.
fn is_quote(c: char) -> bool {
    matches!(
        c,
        '《' | '》'
            | '〈'
            | '〉'
            | '「'
            | '」'
            | '『'
            | '』'
            | '“'
            | '”'
            | '‘'
            | '’'
            | '"'
            | '\''
    )
}

/// Full-width ASCII as ASCII, the ideographic space as a space, letters lowercase.
pub fn fold(c: char) -> char {
    let c = match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    };
    if c.is_ascii() {
        c.to_ascii_lowercase()
    } else if !is_cjk(c) && c.is_uppercase() {
        c.to_lowercase().next().unwrap_or(c)
    } else {
        c
    }
}

/// One piece of text as the tokenizer sees it.
#[derive(Debug, PartialEq, Eq)]
pub enum Run<'a> {
    /// Chinese characters with nothing between them (quotes left out).
    Cjk(Vec<char>),
    /// Letters and digits, folded.
    Word(std::borrow::Cow<'a, str>),
}

/// Splits text into runs of Chinese characters and runs of letters and digits.
pub fn runs(text: &str) -> Vec<Run<'_>> {
    let mut out = Vec::new();
    let mut cjk: Vec<char> = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        // Most characters are common Chinese ones, which fold leaves alone.
        let common = ('\u{4E00}'..='\u{9FFF}').contains(&c);
        if !common && is_quote(c) {
            continue;
        }
        let c = if common { c } else { fold(c) };
        if common || is_cjk(c) {
            if !word.is_empty() {
                out.push(Run::Word(std::mem::take(&mut word).into()));
            }
            cjk.push(c);
        } else if c.is_alphanumeric() {
            if !cjk.is_empty() {
                out.push(Run::Cjk(std::mem::take(&mut cjk)));
            }
            word.push(c);
        } else {
            if !cjk.is_empty() {
                out.push(Run::Cjk(std::mem::take(&mut cjk)));
            }
            if !word.is_empty() {
                out.push(Run::Word(std::mem::take(&mut word).into()));
            }
        }
    }
    if !cjk.is_empty() {
        out.push(Run::Cjk(cjk));
    }
    if !word.is_empty() {
        out.push(Run::Word(word.into()));
    }
    out
}

pub fn char_token(c: char) -> Token {
    c as u64
}

pub fn pair_token(a: char, b: char) -> Token {
    PAIR | (a as u64) << 21 | b as u64
}

/// Calls `each` with every token of `text` that goes into the index (traditional characters
/// folded to simplified): each pair of neighbouring Chinese characters, each character (with `singles`; else only one that stands alone), and
/// `word` with each Latin/digit run.
pub fn each_token(
    text: &str,
    singles: bool,
    mut each: impl FnMut(Token),
    mut word: impl FnMut(&str),
) {
    // One pass without building runs: this reads every page of the site, and a run's vector
    // per stretch of text was most of the index's allocations. Cuts as [`runs`] does.
    let mut last: Option<char> = None;
    let mut alone = false;
    let mut w = String::new();
    for c in text.chars() {
        // Most characters are common Chinese ones, which neither quote nor fold.
        let common = ('\u{4E00}'..='\u{9FFF}').contains(&c);
        if !common && is_quote(c) {
            continue;
        }
        let c = if common { c } else { fold(c) };
        if common || is_cjk(c) {
            // The index folds traditional characters; a query does so once the script has the
            // table (see super::extra).
            let c = super::hanzi::simplified(c);
            if !w.is_empty() {
                word(&w);
                w.clear();
            }
            match last {
                Some(p) => {
                    each(pair_token(p, c));
                    alone = false;
                }
                None => alone = true,
            }
            if singles {
                each(char_token(c));
            }
            last = Some(c);
        } else {
            if let Some(p) = last.take() {
                if alone && !singles {
                    each(char_token(p));
                }
            }
            if c.is_alphanumeric() {
                w.push(c);
            } else if !w.is_empty() {
                word(&w);
                w.clear();
            }
        }
    }
    if let Some(p) = last {
        if alone && !singles {
            each(char_token(p));
        }
    }
    if !w.is_empty() {
        word(&w);
    }
}

/// The tokens a query looks up: a lone character as itself, longer Chinese as its pairs (all
/// of which a match must have), Latin/digit runs whole. In order, without repeats.
pub fn query_tokens(query: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |t: String| {
        if !out.contains(&t) {
            out.push(t);
        }
    };
    for run in runs(query) {
        match run {
            Run::Cjk(chars) if chars.len() == 1 => push(chars[0].to_string()),
            Run::Cjk(chars) => {
                for w in chars.windows(2) {
                    push(w.iter().collect());
                }
            }
            Run::Word(w) => push(w.into_owned()),
        }
    }
    out
}

/// The text of a packed token, as shard files and the script spell it. Words are looked up in
/// `words` (the document's own list).
pub fn spell(token: Token, words: &[String]) -> String {
    match token >> 42 {
        0 | 1 => chars(token).into_iter().flatten().collect(),
        _ => words
            .get((token & 0xFFFF_FFFF) as usize)
            .cloned()
            .unwrap_or_default(),
    }
}

/// The characters of a character or pair token.
pub fn chars(token: Token) -> [Option<char>; 2] {
    let ch = |v: u64| char::from_u32(v as u32).unwrap_or('\u{FFFD}');
    match token >> 42 {
        0 => [Some(ch(token)), None],
        _ => [
            Some(ch((token >> 21) & 0x1F_FFFF)),
            Some(ch(token & 0x1F_FFFF)),
        ],
    }
}

/// The UTF-8 of a character or pair token, in `buf` (eight bytes hold two characters).
pub fn encode(token: Token, buf: &mut [u8; 8]) -> usize {
    let mut len = 0;
    for c in chars(token).into_iter().flatten() {
        len += c.encode_utf8(&mut buf[len..]).len();
    }
    len
}

/// A word's packed token, `n` being its place in the document's list of words.
pub fn word_token(n: usize) -> Token {
    WORD | n as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<String> {
        let out = std::cell::RefCell::new(Vec::new());
        each_token(
            text,
            true,
            |t| out.borrow_mut().push(spell(t, &[])),
            |w| out.borrow_mut().push(w.to_string()),
        );
        out.into_inner()
    }

    #[test]
    fn chinese_is_characters_and_pairs_punctuation_ends_a_run() {
        assert_eq!(all("借条，写清"), ["借", "借条", "条", "写", "写清", "清"]);
        assert_eq!(all("宅"), ["宅"]);
        assert_eq!(all("遺囑"), ["遗", "遗嘱", "嘱"], "traditional folded");
        let mut pairs = Vec::new();
        each_token("借条，宅", false, |t| pairs.push(spell(t, &[])), |_| {});
        assert_eq!(
            pairs,
            ["借条", "宅"],
            "without singles: pairs and lone characters"
        );
    }

    #[test]
    fn latin_and_digits_are_whole_runs_folded_to_half_width_lowercase() {
        assert_eq!(
            all("拨打１２３４８或12348"),
            ["拨", "拨打", "打", "12348", "或", "12348"]
        );
        assert_eq!(all("ＡＰＰ和App"), ["app", "和", "app"]);
        assert_eq!(all("0937-0000101"), ["0937", "0000101"]);
    }

    #[test]
    fn book_title_marks_and_quotes_are_left_out() {
        let t = all("《民法典》第一千");
        assert!(t.contains(&"典第".to_string()), "{t:?}");
        assert_eq!(query_tokens("“彩礼”"), ["彩礼"]);
    }

    #[test]
    fn queries_are_pairs_or_a_lone_character() {
        assert_eq!(query_tokens("宅基地"), ["宅基", "基地"]);
        assert_eq!(query_tokens("地"), ["地"]);
        assert_eq!(query_tokens("12348"), ["12348"]);
        assert_eq!(query_tokens("第27条"), ["第", "27", "条"]);
        assert_eq!(query_tokens("调解 调解"), ["调解"]);
        assert_eq!(query_tokens("，。 "), Vec::<String>::new());
        assert_eq!(
            query_tokens("民法典第一千零四十二条").len(),
            10,
            "ten pairs, all required"
        );
    }

    #[test]
    fn packed_tokens_spell_back() {
        assert_eq!(spell(pair_token('彩', '礼'), &[]), "彩礼");
        assert_eq!(spell(char_token('𠀀'), &[]), "𠀀");
        assert_eq!(spell(word_token(1), &["a".into(), "b".into()]), "b");
    }
}
