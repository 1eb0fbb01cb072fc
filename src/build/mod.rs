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
use crate::render::{self, Page, PageOutput};
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
use changes::targeted;
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
        let mut diagnostics = Diagnostics::new();
        let inputs = match Inputs::load(&self.opts) {
            Ok(i) => i,
            Err(problems) => {
                diagnostics.extend(problems);
                return Ok(Outcome::failed(diagnostics));
            }
        };
        lap("site.yaml, templates, assets");
        diagnostics.extend(inputs.notes());
        let (sources, walk_problems) = load::sources(&self.opts.root);
        lap("load");
        self.cache = parse_all(sources, &inputs.config, self.opts.memoize)
            .into_iter()
            .collect();
        self.walk_problems = walk_problems;
        let (site, problems) = self.assemble(&inputs.config);
        lap("model");
        diagnostics.extend(problems);
        let findings_before_render = diagnostics.has_errors();

        let staging = if self.opts.write && !findings_before_render {
            Some(Staging::new(&self.opts.output)?)
        } else {
            None
        };
        let (search_pages, pages): (Vec<Page>, Vec<Page>) =
            Page::all(&site).into_iter().partition(is_search_page);
        let findings: Vec<Diagnostic> = diagnostics.iter().cloned().collect();
        let mut renderer = inputs.renderer(&site, &findings, self.opts.memoize);
        let write = |st: &Staging, o: &mut PageOutput| -> Result<(), Error> {
            if o.problems.is_empty() {
                st.write(&file_for_url(&o.url), o.body.as_bytes())?;
            }
            // Keep the size for the summary, not the text.
            o.size = o.body.len();
            o.body = String::new();
            Ok(())
        };
        let mut outputs = {
            let renderer = &renderer;
            let bar = progress_bar(self.opts.progress, pages.len());
            let results: Vec<Result<PageOutput, Error>> = pages
                .par_iter()
                .map(|p| {
                    let mut o = renderer.render(p);
                    match &staging {
                        Some(st) => write(st, &mut o)?,
                        None => o.size = std::mem::take(&mut o.body).len(),
                    }
                    if let Some(b) = &bar {
                        b.inc(1);
                    }
                    Ok(o)
                })
                .collect();
            if let Some(b) = bar {
                b.finish_and_clear();
            }
            results.into_iter().collect::<Result<Vec<_>, Error>>()?
        };
        lap("render + write");
        self.search.keep(&site, &mut outputs);
        self.search.index(&site, &self.opts.root, self.opts.memoize);
        lap("search index");
        let index = self.search.current();
        let found = render_search_pages(&mut renderer, &site, search_pages.iter(), index, |_| None);
        for mut o in found {
            match &staging {
                Some(st) => write(st, &mut o)?,
                None => o.size = std::mem::take(&mut o.body).len(),
            }
            outputs.push(o);
        }
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
        let mut changed_keys: HashSet<String> = HashSet::new();
        let sources = match targeted(&self.opts.root, changed) {
            // Plain edits of Markdown files: read just those.
            Some(updates) => {
                let mut sources = Vec::new();
                for (key, file, update) in updates {
                    // A problem the last walk found with this file is now out of date.
                    self.walk_problems.retain(|d| d.file != file);
                    match update {
                        None => {
                            if self.cache.remove(&key).is_some() {
                                changed_keys.insert(key);
                            }
                        }
                        Some(Ok(source)) => sources.push(source),
                        Some(Err(problem)) => {
                            self.cache.remove(&key);
                            changed_keys.insert(key);
                            self.walk_problems.push(problem);
                        }
                    }
                }
                sources
            }
            // Anything else (a folder, a link, a file moved out of place): walk it all again.
            None => {
                let (sources, walk_problems) = load::sources(&self.opts.root);
                self.walk_problems = walk_problems;
                let present: HashSet<&String> = sources.iter().map(|s| &s.key).collect();
                let gone: Vec<String> = self
                    .cache
                    .keys()
                    .filter(|k| !present.contains(k))
                    .cloned()
                    .collect();
                for k in gone {
                    self.cache.remove(&k);
                    changed_keys.insert(k);
                }
                sources
            }
        };
        lap("load");

        // Which sources changed or appeared.
        let to_parse: Vec<Source> = sources
            .into_iter()
            .filter(|s| {
                self.cache
                    .get(&s.key)
                    .is_none_or(|(text, _)| *text != s.text)
            })
            .collect();
        changed_keys.extend(to_parse.iter().map(|s| s.key.clone()));
        let config = &inputs.config;
        self.cache.extend(parse_all(to_parse, config, true));
        if changed_keys.is_empty() && self.pending.is_empty() {
            self.inputs = Some(inputs);
            return Ok(Outcome::default());
        }

        let old_site = self.site.take();
        let (site, problems) = self.assemble(config);
        lap("model");
        let mut diagnostics = Diagnostics::new();
        diagnostics.extend(inputs.notes());
        diagnostics.extend(problems);

        let pages = Page::all(&site);
        let affected = self.affected(&pages, &site, old_site.as_deref(), &changed_keys);
        lap("pages affected");
        let (search_pages, affected): (Vec<Page>, Vec<Page>) =
            affected.into_iter().partition(is_search_page);
        let findings: Vec<Diagnostic> = diagnostics.iter().cloned().collect();
        let mut renderer = inputs.renderer(&site, &findings, self.opts.memoize);
        lap("renderer");
        let mut rendered: Vec<PageOutput> = {
            let renderer = &renderer;
            affected
                .par_iter()
                .filter_map(|p| {
                    let url = p.url(&site);
                    let previous = match self.pending.contains(&url) {
                        true => None,
                        false => self.outputs.get(&url).and_then(|o| o.hash.as_ref()),
                    };
                    renderer.render_unless(p, previous)
                })
                .collect()
        };
        lap("render");
        let new_urls: HashSet<String> = pages.iter().map(|p| p.url(&site)).collect();
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
        self.search.keep(&site, &mut rendered);
        self.search.index(&site, &self.opts.root, self.opts.memoize);
        let previous = |url: &str| match self.pending.contains(url) {
            true => None,
            false => self.outputs.get(url).and_then(|o| o.hash),
        };
        rendered.extend(render_search_pages(
            &mut renderer,
            &site,
            search_pages.iter(),
            self.search.current(),
            previous,
        ));
        drop(renderer);
        lap("search index");
        let mut bodies = Vec::with_capacity(rendered.len());
        for mut o in rendered {
            bodies.push((o.url.clone(), std::mem::take(&mut o.body)));
            o.size = bodies.last().map(|(_, b)| b.len()).unwrap_or(0);
            self.outputs.insert(o.url.clone(), o);
        }
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
            let out = &self.opts.output;
            bodies.par_iter().try_for_each(|(url, body)| {
                output::write_in_place(out, &file_for_url(url), body.as_bytes())
            })?;
            for url in &removed {
                output::remove_in_place(out, &file_for_url(url))?;
            }
            self.search.write_in_place(&site, out)?;
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
