//! The ranking of [`super::search`]: search.js `rank`, `verify` and `suggestions`, with the
//! same sums in the same order (scores must agree to the last bit for the lists to be equal).

use super::*;

/// Per entry, per slot of the query: (idf of the tokens found, score).
type Acc = BTreeMap<u32, Vec<Option<[f64; 2]>>>;

/// One result before its text is known.
pub(super) struct Ranked {
    e: u32,
    kind: usize,
    matched: u32,
    score: f64,
}

fn compare(a: &Ranked, b: &Ranked) -> std::cmp::Ordering {
    b.matched
        .cmp(&a.matched)
        .then(b.score.total_cmp(&a.score))
        .then(a.e.cmp(&b.e))
}

fn weight(f: u8) -> f64 {
    FIELD[(f & 3) as usize] + BODY[(f >> 2) as usize & 7]
}

struct Slot {
    w: usize,
    p: usize,
    v: usize,
    a: f64,
}

impl<R: Fn(&str) -> Option<String>> Search<'_, R> {
    fn own(&self, e: u32) -> bool {
        if e >= self.kinds.first().copied().unwrap_or(0) {
            return true;
        }
        const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let lessons = self.data["lessons"].as_str().unwrap_or_default().as_bytes();
        let c = lessons
            .get(e as usize / 6)
            .and_then(|c| B64.iter().position(|b| b == c));
        matches!(c, Some(c) if (c >> (5 - e % 6)) & 1 == 1)
    }

    fn kind_of(&self, e: u32) -> usize {
        let mut end = 0;
        for (i, n) in self.kinds.iter().enumerate() {
            end += n;
            if e < end {
                return i;
            }
        }
        4
    }

    fn idf(&self, t: &str) -> f64 {
        let n = self.df(t).max(0) as f64;
        let total = self.total as f64;
        ((1.0 + (total - n + 0.5) / (n + 0.5)).ln() * 1e6).round() / 1e6
    }

    pub(super) fn rank(&self, plan: &Plan) -> Vec<Ranked> {
        let mut slots: Vec<Slot> = Vec::new();
        // Entry → per slot (idf found, score).
        let mut acc: Acc = BTreeMap::new();
        for (wi, w) in plan.words.iter().enumerate() {
            for (pi, p) in w.iter().enumerate() {
                for (vi, ts) in tokens_of(p).into_iter().enumerate() {
                    let (ok, weights) = self.weights(&ts);
                    let slot = slots.len();
                    let mut a = 0.0;
                    for x in &weights {
                        a += x;
                    }
                    slots.push(Slot {
                        w: wi,
                        p: pi,
                        v: vi,
                        a,
                    });
                    self.add_slot(&mut acc, slot, &ts, &ok, &weights);
                }
            }
        }
        let mut out: Vec<Ranked> = acc
            .iter()
            .filter_map(|(&e, r)| self.score(e, r, plan, &slots))
            .collect();
        out.sort_by(compare);
        out
    }

    /// Which tokens of a variant count, and their weights: a pair rarer than both neighbours
    /// weighs as the rarer one (as search.js does).
    fn weights(&self, ts: &[String]) -> (Vec<bool>, Vec<f64>) {
        let df = |t: &str| self.df(t);
        let ok: Vec<bool> = (0..ts.len()).map(|i| counted(ts, i, &df)).collect();
        let raw: Vec<f64> = (0..ts.len())
            .map(|i| if ok[i] { self.idf(&ts[i]) } else { 0.0 })
            .collect();
        let weights = (0..raw.len())
            .map(|i| {
                let l = if i > 0 { raw[i - 1] } else { 0.0 };
                let r = raw.get(i + 1).copied().unwrap_or(0.0);
                match l != 0.0 && r != 0.0 {
                    true => raw[i].min(l.max(r)),
                    false => raw[i],
                }
            })
            .collect();
        (ok, weights)
    }

    /// Adds one slot's tokens to every entry that has them, then the chain bonus of neighbouring
    /// tokens found in the same entry.
    fn add_slot(&self, acc: &mut Acc, slot: usize, ts: &[String], ok: &[bool], weights: &[f64]) {
        let empty = BTreeMap::new();
        let list = |t: &str| self.found.get(t).unwrap_or(&empty);
        for (i, t) in ts.iter().enumerate() {
            if !ok[i] {
                continue;
            }
            for (&e, &f) in list(t) {
                if !self.own(e) {
                    continue;
                }
                let r = acc.entry(e).or_default();
                if r.len() <= slot {
                    r.resize(slot + 1, None);
                }
                let s = r[slot].get_or_insert([0.0, 0.0]);
                s[0] += weights[i];
                s[1] += weights[i] * weight(f);
            }
        }
        for i in 0..ts.len().saturating_sub(1) {
            if !ok[i] || !ok[i + 1] {
                continue;
            }
            let (m1, m2) = (list(&ts[i]), list(&ts[i + 1]));
            for (&e, &f) in m1 {
                let Some(&g) = m2.get(&e) else { continue };
                if !self.own(e) {
                    continue;
                }
                let bonus = CHAIN * (weights[i] * weight(f)).min(weights[i + 1] * weight(g));
                if let Some(Some(s)) = acc.get_mut(&e).and_then(|r| r.get_mut(slot)) {
                    s[1] += bonus;
                }
            }
        }
    }

    /// An entry's place in the results: how many of the query's words it answers (each needs
    /// `MIN_SHARE` of the word's weight) and its score; `None` when it answers none.
    fn score(&self, e: u32, r: &[Option<[f64; 2]>], plan: &Plan, slots: &[Slot]) -> Option<Ranked> {
        let (mut matched, mut score) = (0, 0.0);
        for (wi, w) in plan.words.iter().enumerate() {
            let (mut num, mut den) = (0.0, 0.0);
            for pi in 0..w.len() {
                let (mut weight, mut cov, mut best) = (0.0f64, 0.0f64, 0.0f64);
                for (k, s) in slots.iter().enumerate() {
                    if s.w != wi || s.p != pi {
                        continue;
                    }
                    if s.v == 0 || weight == 0.0 {
                        weight = weight.max(s.a);
                    }
                    let got = r.get(k).copied().flatten().unwrap_or([0.0, 0.0]);
                    if s.a > 0.0 {
                        cov = cov.max(got[0] / s.a);
                    }
                    best = best.max(got[1] * if s.v > 0 { SYNONYM } else { 1.0 });
                }
                num += weight * cov;
                den += weight;
                score += best;
            }
            if den > 0.0 && num / den >= MIN_SHARE {
                matched += 1;
            }
        }
        (matched > 0).then(|| {
            let kind = self.kind_of(e);
            Ranked {
                e,
                kind,
                matched,
                score: score * PRIOR[kind],
            }
        })
    }

    /// The first page: its chunks fetched, entries with the words as typed counted more.
    pub(super) fn first_page(
        &mut self,
        plan: &Plan,
        results: Vec<Ranked>,
        per: &[u32],
    ) -> Vec<Hit> {
        let mut ends = Vec::new();
        let mut sum = 0;
        for (&n, &per) in self.kinds.iter().zip(per) {
            for start in (0..n).step_by(per.max(1) as usize) {
                sum += per.min(n - start);
                ends.push(sum);
            }
        }
        let mut batch: Vec<Ranked> = results.into_iter().take(PER_PAGE).collect();
        let mut chunks: BTreeMap<usize, Value> = BTreeMap::new();
        let mut order = Vec::new();
        for r in &batch {
            let c = ends.partition_point(|&end| end <= r.e);
            if !chunks.contains_key(&c) && !order.contains(&c) {
                order.push(c);
            }
        }
        for c in order {
            let text = self.fetch(&crate::search::chunk_name(c));
            chunks.insert(c, serde_json::from_str(&text).unwrap_or_default());
        }
        let mut urls = HashMap::new();
        for r in &mut batch {
            let c = ends.partition_point(|&end| end <= r.e);
            let first = if c > 0 { ends[c - 1] } else { 0 };
            let row = &chunks[&c]["entries"][(r.e - first) as usize];
            let field = |i: usize| row[i].as_str().unwrap_or_default();
            let hay = [0, 1, 2, 4].map(|i| normalize(field(i))).join("\n");
            let exact = plan.words.iter().all(|w| {
                w.iter()
                    .all(|p| p.variants.iter().any(|v| hay.contains(v.as_str())))
            });
            if exact {
                r.score *= EXACT;
            }
            urls.insert(r.e, field(3).to_string());
        }
        batch.sort_by(compare);
        batch
            .into_iter()
            .map(|r| Hit {
                entry: r.e,
                kind: r.kind,
                url: urls.remove(&r.e).unwrap_or_default(),
            })
            .collect()
    }

    pub(super) fn suggestions(&self, plan: &Plan, query: &str) -> Vec<String> {
        let chars: Vec<char> = plan
            .words
            .iter()
            .flatten()
            .flat_map(|p| p.variants[0].chars())
            .collect();
        let terms = self
            .py
            .as_ref()
            .map(|p| p.terms.as_slice())
            .unwrap_or_default();
        let mut scored: Vec<(String, usize, usize)> = terms
            .iter()
            .enumerate()
            .map(|(i, t)| {
                (
                    t.iter().collect(),
                    t.iter().filter(|c| chars.contains(c)).count(),
                    i,
                )
            })
            .collect();
        scored.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
        scored
            .into_iter()
            .filter(|s| s.0 != query)
            .take(3)
            .map(|s| s.0)
            .collect()
    }
}
