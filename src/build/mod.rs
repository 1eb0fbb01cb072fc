//! Runs the pipeline: load → model → check → render → search → output.
//!
//! A [`Session`] keeps what one build learnt (parsed sources, the site model, what every page
//! read) so that `serve` can rebuild after an edit by parsing only the changed sources and
//! rendering only the pages whose inputs changed. There is one pass ([`Session::pass`]): a full
//! build is the pass whose scope is everything, writing into a staging folder that replaces the
//! output when it succeeds; an edit is the pass over what the edit touched, writing in place.
//! `qili build` and `qili check` are one full pass of the same session, so incremental and full
//! builds cannot drift apart.

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::Source;
use crate::model::date::Date;
use crate::model::{ParsedSource, Site};
use crate::render::PageFacts;
use crate::Error;
use deps::Deps;
use index::SearchState;
use pass::Scope;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

mod changes;
mod deps;
mod index;
mod inputs;
mod pages;
mod pass;
mod progress;
mod sink;
use inputs::Inputs;

#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    pub output: PathBuf,
    pub base_url: Option<String>,
    pub drafts: bool,
    pub today: Date,
    /// `false` for `qili check`: render everything, write nothing.
    pub write: bool,
    pub progress: bool,
    /// Remember a hash of what each page was rendered from, so rebuilds skip unchanged pages
    /// (`serve`; a one-shot build has no use for it).
    pub memoize: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub pages: usize,
    /// Pages rendered by this pass (all of them for a full build).
    pub rendered: usize,
    /// Audience name and the number of lesson pages it got.
    pub per_audience: Vec<(String, usize)>,
    pub lessons: usize,
    pub notices: usize,
    pub regulations: usize,
    pub bytes: usize,
    /// The largest HTML pages (URL, bytes), largest first.
    pub largest: Vec<(String, usize)>,
    /// Entries in the search index, and the bytes of its files.
    pub search_entries: usize,
    pub search_bytes: usize,
    pub elapsed: Duration,
}

#[derive(Debug, Default)]
pub struct Outcome {
    pub diagnostics: Diagnostics,
    /// Present when the site was built (or, for check, fully rendered) without errors.
    pub stats: Option<Stats>,
    /// Whether anything changed on disk, so open pages should reload.
    pub changed: bool,
}

impl Outcome {
    fn failed(diagnostics: Diagnostics) -> Outcome {
        Outcome {
            diagnostics,
            stats: None,
            changed: false,
        }
    }
}

/// One build, then any number of incremental updates.
pub struct Session {
    opts: Options,
    inputs: Option<Inputs>,
    /// Source key → a hash of its text and its parse, to parse again only what changed. The
    /// text itself is not kept: the documents hold their bodies once.
    cache: HashMap<String, ([u8; 32], ParsedSource)>,
    walk_problems: Vec<Diagnostic>,
    /// Shared with the preview server, which reads it while the next build is assembled.
    site: Option<Arc<Site>>,
    /// The law checks' findings, kept per document so an edit checks only what it touched.
    findings: Option<crate::check::Findings>,
    /// Every page of the site as of the last pass.
    page_list: pages::PageList,
    /// What was learnt about each page the last time it was rendered, by URL.
    pages: BTreeMap<String, PageFacts>,
    /// What each page read, to find the pages an edit touches (only when memoizing).
    deps: Deps,
    /// Pages rendered while the site had errors, so not written yet.
    pending: BTreeSet<String>,
    search: SearchState,
}

/// `qili build` and `qili check`: one full pass.
pub fn run(opts: &Options) -> Result<Outcome, Error> {
    let mut session = Session::new(opts.clone());
    let outcome = session.full();
    // Nothing the session learnt is needed any more, and freeing every page's facts one by one
    // took 1.5% of a 10,000-page build: it goes on another thread (a command exits before it
    // is done, and the system takes the memory back at once).
    std::thread::spawn(move || drop(session));
    outcome
}

impl Session {
    pub fn new(opts: Options) -> Session {
        Session {
            opts,
            inputs: None,
            cache: HashMap::new(),
            walk_problems: Vec::new(),
            site: None,
            findings: None,
            page_list: pages::PageList::default(),
            pages: BTreeMap::new(),
            deps: Deps::default(),
            pending: BTreeSet::new(),
            search: SearchState::default(),
        }
    }

    pub fn options(&self) -> &Options {
        &self.opts
    }

    /// The site of the last build (also of one that had errors), `None` before the first.
    pub fn site(&self) -> Option<Arc<Site>> {
        self.site.clone()
    }

    /// Reads everything again and renders every page.
    pub fn full(&mut self) -> Result<Outcome, Error> {
        self.pass(Scope::Everything)
    }

    /// Rebuilds after the files in `changed` were edited, created, renamed or deleted. A change
    /// to site.yaml, a theme or a site template rebuilds everything; a change to content
    /// re-parses only the sources whose text changed and re-renders only the pages that read
    /// them, writing them in place. The result is the same as a full build.
    pub fn update(&mut self, changed: &[PathBuf]) -> Result<Outcome, Error> {
        let root = &self.opts.root;
        let relevant: Vec<String> = changed
            .iter()
            .filter_map(|p| {
                let rel = p.strip_prefix(root).unwrap_or(p);
                Some(rel.to_str()?.replace('\\', "/"))
            })
            .collect();
        use crate::layout::{CONFIG, CONTENT, TEMPLATES, THEMES};
        // The first path segment says which part of the site changed.
        let top = |r: &String| r.split('/').next().unwrap_or("").to_string();
        let global = relevant
            .iter()
            .any(|r| [CONFIG, THEMES, TEMPLATES].contains(&top(r).as_str()));
        let content = relevant.iter().any(|r| top(r) == CONTENT);
        if global || self.inputs.is_none() || self.site.is_none() {
            return self.full();
        }
        if !content {
            return Ok(Outcome::default());
        }
        self.pass(Scope::Sources(changed.to_vec()))
    }

    fn stats(&self, site: &Site, rendered: usize, elapsed: Duration) -> Stats {
        let per_audience = site
            .config
            .audiences
            .iter()
            .map(|a| {
                let n = site.lessons.iter().filter(|l| l.is_for(&a.id)).count();
                (a.name.clone(), n)
            })
            .collect();
        let mut sizes: Vec<(&String, usize)> = self
            .pages
            .iter()
            .filter(|(u, _)| u.is_empty() || u.ends_with('/') || u.ends_with(".html"))
            .map(|(u, f)| (u, f.size))
            .collect();
        let largest_first =
            |a: &(&String, usize), b: &(&String, usize)| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0));
        // The five largest without sorting every page (this runs after every edit in serve).
        if sizes.len() > 5 {
            sizes.select_nth_unstable_by(4, largest_first);
            sizes.truncate(5);
        }
        sizes.sort_by(largest_first);
        let sizes = sizes.into_iter().map(|(u, n)| (u.clone(), n)).collect();
        Stats {
            pages: self.pages.len(),
            rendered,
            per_audience,
            lessons: site.lessons.len(),
            notices: site.notices.len(),
            regulations: site.regulations.len(),
            bytes: self.pages.values().map(|f| f.size).sum(),
            largest: sizes,
            search_entries: self.search.entries,
            search_bytes: self.search.bytes,
            elapsed,
        }
    }
}

/// Parses sources in parallel, keeping a hash of each text to tell later whether it changed
/// (when there will be a later: `keep`; a one-shot build spares hashing every source).
fn parse_all(
    sources: Vec<Source>,
    config: &SiteConfig,
    keep: bool,
) -> Vec<(String, ([u8; 32], ParsedSource))> {
    sources
        .into_par_iter()
        .map(|s| {
            let hash = match keep {
                true => *blake3::hash(s.text.as_bytes()).as_bytes(),
                false => [0; 32],
            };
            (s.key.clone(), (hash, ParsedSource::parse(s, config)))
        })
        .collect()
}
