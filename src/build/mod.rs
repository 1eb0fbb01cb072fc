//! Runs the pipeline: load → model → check → render → search → output.
//!
//! A [`Session`] keeps what one build learnt (parsed sources, the site model, what every page
//! linked to) so that `serve` can rebuild after an edit by parsing only the changed sources and
//! rendering only the pages that depend on them. `qili build` and `qili check` are one full
//! pass of the same session, so incremental and full builds cannot drift apart.

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::Source;
use crate::model::date::Date;
use crate::model::{self, ParsedSource, Site};
use crate::output::{self, file_for_url, Staging};
use crate::render::{self, Page, PageOutput, Renderer};
use crate::{check, load, Error};
use index::{is_search_page, render_search_pages, SearchState};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

mod changes;
mod index;
mod inputs;
mod progress;
use inputs::Inputs;
use progress::{progress_bar, timer};

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
    /// The print views, for `qili posters --pdf`.
    pub prints: Vec<crate::poster::PrintJob>,
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
    /// Source key → its text and parse, to parse again only what changed.
    cache: HashMap<String, (String, ParsedSource)>,
    walk_problems: Vec<Diagnostic>,
    /// Shared with the preview server, which reads it while the next build is assembled.
    site: Option<Arc<Site>>,
    /// What each page produced last time it was rendered (without its text), by URL.
    outputs: BTreeMap<String, PageOutput>,
    /// Pages rendered while the site had errors, so not written yet.
    pending: BTreeSet<String>,
    search: SearchState,
}

/// `qili build` and `qili check`: one full pass.
pub fn run(opts: &Options) -> Result<Outcome, Error> {
    Session::new(opts.clone()).full()
}

impl Session {
    pub fn new(opts: Options) -> Session {
        Session {
            opts,
            inputs: None,
            cache: HashMap::new(),
            walk_problems: Vec::new(),
            site: None,
            outputs: BTreeMap::new(),
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
        let started = Instant::now();
        let lap = timer(started);
        self.inputs = None;
        self.site = None;
        self.outputs.clear();
        self.search.clear();
        let inputs = match Inputs::load(&self.opts) {
            Ok(i) => i,
            Err(problems) => {
                let mut diagnostics = Diagnostics::new();
                diagnostics.extend(problems);
                return Ok(Outcome::failed(diagnostics));
            }
        };
        lap("site.yaml, templates, assets");
        self.read_all_sources(&inputs.config);
        lap("load");
        let (site, mut diagnostics) = self.model(&inputs);
        lap("model");
        let staging = if self.opts.write && !diagnostics.has_errors() {
            Some(Staging::new(&self.opts.output)?)
        } else {
            None
        };
        let (search_pages, pages): (Vec<Page>, Vec<Page>) =
            Page::all(&site).into_iter().partition(is_search_page);
        let findings: Vec<Diagnostic> = diagnostics.iter().cloned().collect();
        let mut renderer = inputs.renderer(&site, &findings, self.opts.memoize);
        let mut outputs = self.render_all(&renderer, &pages, staging.as_ref())?;
        lap("render + write");
        for mut o in self.search_stage(&site, &mut renderer, &search_pages, &mut outputs) {
            store(staging.as_ref(), &mut o)?;
            outputs.push(o);
        }
        lap("search index");
        drop(renderer);
        let rendered = outputs.len();
        self.outputs = outputs.into_iter().map(|o| (o.url.clone(), o)).collect();
        self.collect_page_problems(&mut diagnostics);
        let ok = !diagnostics.has_errors();
        if ok {
            if let Some(staging) = staging {
                self.search.stage(&site, &staging)?;
                staging.write_assets(&inputs.assets)?;
                staging.commit()?;
                lap("commit");
            }
            self.pending.clear();
        } else {
            self.pending = self.outputs.keys().cloned().collect();
        }
        let stats = ok.then(|| self.stats(&site, rendered, started.elapsed()));
        self.site = Some(Arc::new(site));
        self.inputs = Some(inputs);
        Ok(Outcome {
            diagnostics,
            stats,
            changed: ok && self.opts.write,
        })
    }

    /// A full build reads every source and parses it again: nothing cached can be trusted
    /// after site.yaml or a theme changed.
    fn read_all_sources(&mut self, config: &SiteConfig) {
        let (sources, walk_problems) = load::sources(&self.opts.root);
        self.cache = parse_all(sources, config, self.opts.memoize)
            .into_iter()
            .collect();
        self.walk_problems = walk_problems;
    }

    /// The site from the cached parses, and what is wrong so far: the notes on site.yaml and
    /// the theme first, then the problems of the sources and the law checks.
    fn model(&self, inputs: &Inputs) -> (Site, Diagnostics) {
        let (site, problems) = self.assemble(&inputs.config);
        let mut diagnostics = Diagnostics::new();
        diagnostics.extend(inputs.notes());
        diagnostics.extend(problems);
        (site, diagnostics)
    }

    /// Renders every page but the search pages in parallel, writing each to `staging` as it
    /// comes (when writing), so no page's body is held longer than it takes to write it.
    fn render_all(
        &self,
        renderer: &Renderer,
        pages: &[Page],
        staging: Option<&Staging>,
    ) -> Result<Vec<PageOutput>, Error> {
        let bar = progress_bar(self.opts.progress, pages.len());
        let results: Vec<Result<PageOutput, Error>> = pages
            .par_iter()
            .map(|p| {
                let mut o = renderer.render(p);
                store(staging, &mut o)?;
                if let Some(b) = &bar {
                    b.inc(1);
                }
                Ok(o)
            })
            .collect();
        if let Some(b) = bar {
            b.finish_and_clear();
        }
        results.into_iter().collect()
    }

    /// Brings the search index up to date with the pages just rendered, then renders the
    /// search pages, which carry the index's data and so come last. A search page that would
    /// come out as it was written last time is skipped.
    fn search_stage(
        &mut self,
        site: &Site,
        renderer: &mut Renderer,
        search_pages: &[Page],
        rendered: &mut [PageOutput],
    ) -> Vec<PageOutput> {
        self.search.keep(site, rendered);
        // Read a second time (`assemble` reads it for its problems): the index no longer reads
        // files itself, and one read could serve both.
        let synonyms = match site.config.search {
            true => check::synonyms::load(&self.opts.root).0,
            false => Vec::new(),
        };
        self.search.index(site, &synonyms, self.opts.memoize);
        let previous = |url: &str| match self.pending.contains(url) {
            true => None,
            false => self.outputs.get(url).and_then(|o| o.hash),
        };
        let index = self.search.current();
        render_search_pages(renderer, site, search_pages.iter(), index, previous)
    }

    /// Rebuilds after the files in `changed` were edited, created, renamed or deleted. A change
    /// to site.yaml, a theme or a site template rebuilds everything; a change to content
    /// re-parses only the sources whose text changed and re-renders only the pages that depend
    /// on them, writing them in place. The result is the same as a full build.
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
        self.incremental(changed)
    }

    fn incremental(&mut self, changed: &[PathBuf]) -> Result<Outcome, Error> {
        let started = Instant::now();
        let lap = timer(started);
        let Some(inputs) = self.inputs.take() else {
            return self.full();
        };
        let (sources, mut changed_keys) = self.read_changed_sources(changed);
        lap("load");
        changed_keys.extend(self.parse_changed(sources, &inputs.config));
        if changed_keys.is_empty() && self.pending.is_empty() {
            self.inputs = Some(inputs);
            return Ok(Outcome::default());
        }

        let old_site = self.site.take();
        let (site, mut diagnostics) = self.model(&inputs);
        lap("model");
        let pages = Page::all(&site);
        let affected = self.affected(&pages, &site, old_site.as_deref(), &changed_keys);
        lap("pages affected");
        let (search_pages, affected): (Vec<Page>, Vec<Page>) =
            affected.into_iter().partition(is_search_page);
        let findings: Vec<Diagnostic> = diagnostics.iter().cloned().collect();
        let mut renderer = inputs.renderer(&site, &findings, self.opts.memoize);
        lap("renderer");
        let mut rendered = self.render_affected(&renderer, &site, &affected);
        lap("render");
        let removed = self.forget_removed(&site, &pages);
        let found = self.search_stage(&site, &mut renderer, &search_pages, &mut rendered);
        rendered.extend(found);
        drop(renderer);
        lap("search index");
        let bodies = self.record_outputs(rendered);
        self.collect_page_problems(&mut diagnostics);
        lap("page problems");
        let count = bodies.len();
        if diagnostics.has_errors() {
            self.pending.extend(bodies.into_iter().map(|(u, _)| u));
            self.site = Some(Arc::new(site));
            self.inputs = Some(inputs);
            return Ok(Outcome::failed(diagnostics));
        }
        if self.opts.write {
            self.write_in_place(&site, &bodies, &removed)?;
            lap("write");
        }
        self.pending.clear();
        let stats = self.stats(&site, count, started.elapsed());
        self.site = Some(Arc::new(site));
        self.inputs = Some(inputs);
        Ok(Outcome {
            diagnostics,
            stats: Some(stats),
            changed: true,
        })
    }

    /// Renders the affected pages in parallel, skipping each that would come out as it was
    /// last written; a page held back by errors last time is always rendered again.
    fn render_affected(
        &self,
        renderer: &Renderer,
        site: &Site,
        affected: &[Page],
    ) -> Vec<PageOutput> {
        affected
            .par_iter()
            .filter_map(|p| {
                let url = p.url(site);
                let previous = match self.pending.contains(&url) {
                    true => None,
                    false => self.outputs.get(&url).and_then(|o| o.hash.as_ref()),
                };
                renderer.render_unless(p, previous)
            })
            .collect()
    }

    /// Drops what the session knows of pages the site no longer has (their output and search
    /// text), returning their URLs so their files can be removed.
    fn forget_removed(&mut self, site: &Site, pages: &[Page]) -> Vec<String> {
        let new_urls: HashSet<String> = pages.iter().map(|p| p.url(site)).collect();
        let removed: Vec<String> = self
            .outputs
            .keys()
            .filter(|u| !new_urls.contains(*u))
            .cloned()
            .collect();
        for u in &removed {
            self.outputs.remove(u);
            self.search.forget(u);
        }
        removed
    }

    /// Keeps what each page produced, without its body, which is returned (by URL) to be
    /// written: the session holds every page's facts but not every page's text.
    fn record_outputs(&mut self, rendered: Vec<PageOutput>) -> Vec<(String, String)> {
        let mut bodies = Vec::with_capacity(rendered.len());
        for mut o in rendered {
            bodies.push((o.url.clone(), std::mem::take(&mut o.body)));
            o.size = bodies.last().map(|(_, b)| b.len()).unwrap_or(0);
            self.outputs.insert(o.url.clone(), o);
        }
        bodies
    }

    /// Writes the re-rendered pages and the changed search files over the served output, and
    /// removes the files of pages that are gone.
    fn write_in_place(
        &mut self,
        site: &Site,
        bodies: &[(String, String)],
        removed: &[String],
    ) -> Result<(), Error> {
        let out = &self.opts.output;
        bodies.par_iter().try_for_each(|(url, body)| {
            output::write_in_place(out, &file_for_url(url), body.as_bytes())
        })?;
        for url in removed {
            output::remove_in_place(out, &file_for_url(url))?;
        }
        self.search.write_in_place(site, out)
    }

    /// The pages to render again after `changed` sources changed: the pages of those sources,
    /// the pages that link to them, every page that lists or summarises documents, the other
    /// versions of a changed regulation, and whatever could not be written last time.
    fn affected(
        &self,
        pages: &[Page],
        site: &Site,
        old: Option<&Site>,
        changed: &HashSet<String>,
    ) -> Vec<Page> {
        let linking: HashSet<&str> = self
            .outputs
            .values()
            .filter(|o| o.links.iter().any(|k| changed.contains(k)))
            .map(|o| o.url.as_str())
            .collect();
        let mut villages: HashSet<String> = HashSet::new();
        for s in [Some(site), old].into_iter().flatten() {
            for r in &s.regulations {
                if changed.contains(&r.doc.key) {
                    villages.insert(r.doc.front.village.clone());
                }
            }
        }
        pages
            .iter()
            .filter(|p| {
                let url = p.url(site);
                !p.is_document()
                    || linking.contains(url.as_str())
                    || self.pending.contains(&url)
                    || !self.outputs.contains_key(&url)
                    || match **p {
                        Page::Lesson { lesson, .. } => {
                            changed.contains(&site.lessons[lesson].doc.key)
                        }
                        Page::Notice(i) | Page::NoticePoster { notice: i, .. } => {
                            changed.contains(&site.notices[i].doc.key)
                        }
                        // A regulation's poster follows its page: its text, and the village's
                        // other versions (which decide which one is current, and so its URL).
                        Page::Regulation(i) | Page::RegulationPoster(i) => {
                            let r = &site.regulations[i];
                            changed.contains(&r.doc.key) || villages.contains(&r.doc.front.village)
                        }
                        _ => true,
                    }
            })
            .copied()
            .collect()
    }

    /// The site from the cached parses, plus the law checks.
    fn assemble(&self, config: &SiteConfig) -> (Site, Vec<Diagnostic>) {
        let started = Instant::now();
        let model_opts = model::Options {
            drafts: self.opts.drafts,
            today: self.opts.today,
        };
        // Sorted by key so the model does not depend on the hash map's order.
        let mut parsed: Vec<(&String, &ParsedSource)> =
            self.cache.iter().map(|(k, (_, p))| (k, p)).collect();
        parsed.sort_by(|a, b| a.0.cmp(b.0));
        let (site, mut problems) = Site::assemble(
            config.clone(),
            parsed.into_iter().map(|(_, p)| p),
            &model_opts,
        );
        timer(started)("site");
        problems.extend(self.walk_problems.iter().cloned());
        problems.extend(check::run(&site));
        problems.extend(check::synonyms::load(&self.opts.root).1);
        (site, problems)
    }

    /// Problems of every page as last rendered, and anchors checked across all of them.
    fn collect_page_problems(&self, diagnostics: &mut Diagnostics) {
        for o in self.outputs.values() {
            diagnostics.extend(o.problems.iter().cloned());
        }
        let all: Vec<&PageOutput> = self.outputs.values().collect();
        diagnostics.extend(render::check_anchors(&all));
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
        let mut sizes: Vec<(String, usize)> = self
            .outputs
            .values()
            .filter(|o| o.url.is_empty() || o.url.ends_with('/') || o.url.ends_with(".html"))
            .map(|o| (o.url.clone(), o.size))
            .collect();
        sizes.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        sizes.truncate(5);
        Stats {
            pages: self.outputs.len(),
            rendered,
            per_audience,
            lessons: site.lessons.len(),
            notices: site.notices.len(),
            regulations: site.regulations.len(),
            bytes: self.outputs.values().map(|o| o.size).sum(),
            largest: sizes,
            prints: crate::poster::print_jobs(site),
            search_entries: self.search.entries,
            search_bytes: self.search.bytes,
            elapsed,
        }
    }
}

/// Parses sources in parallel, keeping each text to tell later whether it changed (when there
/// will be a later: `keep`; a one-shot build spares the copy of every source).
fn parse_all(
    sources: Vec<Source>,
    config: &SiteConfig,
    keep: bool,
) -> Vec<(String, (String, ParsedSource))> {
    sources
        .into_par_iter()
        .map(|s| {
            let text = if keep { s.text.clone() } else { String::new() };
            (s.key.clone(), (text, ParsedSource::parse(s, config)))
        })
        .collect()
}

/// Writes a rendered page to `staging` unless it has problems (a one-shot check writes
/// nothing), keeping only its size for the summary, not its text.
fn store(staging: Option<&Staging>, o: &mut PageOutput) -> Result<(), Error> {
    if let Some(st) = staging {
        if o.problems.is_empty() {
            st.write(&file_for_url(&o.url), o.body.as_bytes())?;
        }
    }
    o.size = std::mem::take(&mut o.body).len();
    Ok(())
}
