//! The one pass of a build: read → model and check → find the pages to render → render them into
//! a sink → bring the search index up to date and render its pages → learn what each page read
//! and which problems it has → commit the sink if there are no errors. A full build is the pass
//! whose scope is everything; an edit in `serve` is the pass over the sources it touched.

use super::deps::Deps;
use super::index::render_search_pages;
use super::inputs::Inputs;
use super::pages::{PageList, Plan};
use super::progress::{progress_bar, timer};
use super::sink::Sink;
use super::{parse_all, Outcome, Session};
use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{self, ParsedSource, Site};
use crate::render::{self, Page, PageOutput, Renderer};
use crate::{check, load, Error};
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

/// What a pass read before modelling.
enum Read {
    /// An edit that changed no source's text: nothing to do.
    Unchanged,
    /// site.yaml or the theme could not be read.
    Failed(Diagnostics),
    Ready(Box<Inputs>, HashSet<String>),
}

/// What a pass looks at again.
pub(super) enum Scope {
    /// Everything: the first build, or site.yaml, a theme or a template changed.
    Everything,
    /// These files were edited, created, renamed or deleted under `content/`.
    Sources(Vec<PathBuf>),
}

impl Session {
    pub(super) fn pass(&mut self, scope: Scope) -> Result<Outcome, Error> {
        let started = Instant::now();
        let lap = timer(started);
        let everything = matches!(scope, Scope::Everything) || !self.opts.memoize;
        let (inputs, changed) = match self.read(scope, everything) {
            Read::Unchanged => return Ok(Outcome::default()),
            Read::Failed(diagnostics) => return Ok(Outcome::failed(diagnostics)),
            Read::Ready(inputs, changed) => (*inputs, changed),
        };
        lap("load");
        let old = if everything { None } else { self.site.take() };
        let (site, mut diagnostics) = match &old {
            Some(old) => self.model_after(&inputs, old, &changed),
            None => self.model(&inputs),
        };
        // The synonym table is the site's content: checked with it, and read once for the index.
        let (synonyms, problems) = check::synonyms::load(&self.opts.root);
        diagnostics.extend(problems);
        lap("model");
        let mut plan = self.plan(&site, old, &changed);
        lap("pages to render");

        let sink = match (self.opts.write, everything) {
            (false, _) => Sink::Nowhere,
            (true, true) if diagnostics.has_errors() => Sink::Nowhere,
            (true, true) => Sink::staging(&self.opts.output)?,
            (true, false) => Sink::in_place(self.opts.output.clone()),
        };
        let mut renderer = inputs.renderer(&site, diagnostics.as_slice(), self.opts.memoize);
        let mut rendered = self.render(&renderer, &plan.pages(&plan.render), &sink)?;
        lap("render");
        self.search.keep(&site, &mut rendered);
        self.search.index(&site, &synonyms, self.opts.memoize);
        let previous = |url: &str| self.previous_hash(url).copied();
        let index = self.search.current();
        let search = plan.pages(&plan.search).into_iter().map(|(p, _)| p);
        for mut o in render_search_pages(&mut renderer, &site, search, index, previous) {
            sink.page(&mut o)?;
            rendered.push(o);
        }
        drop(renderer);
        lap("search index");

        let count = rendered.len();
        let rendered_urls: Vec<String> = rendered.iter().map(|o| o.facts.url.clone()).collect();
        self.learn(&site, &mut plan, rendered);
        self.collect_page_problems(&mut diagnostics);
        lap("page problems");
        let ok = !diagnostics.has_errors();
        if ok {
            sink.commit(&site, &mut self.search, &inputs.assets, &plan.removed)?;
            self.pending.clear();
            lap("write");
        } else {
            self.pending.extend(rendered_urls);
        }
        let stats = ok.then(|| self.stats(&site, count, started.elapsed()));
        self.page_list = plan.list;
        self.site = Some(Arc::new(site));
        self.inputs = Some(inputs);
        Ok(Outcome {
            diagnostics,
            stats,
            changed: ok && self.opts.write,
        })
    }

    /// Reads what the pass looks at: everything (site.yaml, the theme, every source), or the
    /// sources at the changed paths, parsing those whose text changed.
    fn read(&mut self, scope: Scope, everything: bool) -> Read {
        if let (Scope::Sources(paths), false, Some(inputs)) =
            (&scope, everything, self.inputs.take())
        {
            let (sources, mut changed) = self.read_changed_sources(paths);
            changed.extend(self.parse_changed(sources, &inputs.config));
            if changed.is_empty() && self.pending.is_empty() {
                self.inputs = Some(inputs);
                return Read::Unchanged;
            }
            return Read::Ready(Box::new(inputs), changed);
        }
        self.forget_everything();
        let inputs = match Inputs::load(&self.opts) {
            Ok(i) => i,
            Err(problems) => {
                let mut diagnostics = Diagnostics::new();
                diagnostics.extend(problems);
                return Read::Failed(diagnostics);
            }
        };
        self.read_all_sources(&inputs.config);
        Read::Ready(Box::new(inputs), HashSet::new())
    }

    /// Keeps what rendering taught about each page, and (when there will be another pass) what
    /// each page offered to the renderer read.
    fn learn(&mut self, site: &Site, plan: &mut Plan, rendered: Vec<PageOutput>) {
        for o in rendered {
            self.pages.insert(o.facts.url.clone(), o.facts);
        }
        let Some(lists) = plan.lists.take() else {
            return;
        };
        for (p, url) in plan
            .pages(&plan.render)
            .into_iter()
            .chain(plan.pages(&plan.search))
        {
            let links = self.pages.get(url).map_or(&[][..], |f| &f.links[..]);
            self.deps.record(url, p.reads(site), links);
        }
        self.deps.set_lists(lists);
    }

    /// A full pass trusts nothing the session learnt before.
    fn forget_everything(&mut self) {
        self.inputs = None;
        self.site = None;
        self.findings = None;
        self.page_list = PageList::default();
        self.pages.clear();
        self.deps = Deps::default();
        self.pending.clear();
        self.search.clear();
    }

    /// The hash a page was last written with, `None` when it was not written (held back by
    /// errors) or never rendered.
    fn previous_hash(&self, url: &str) -> Option<&[u8; 32]> {
        match self.pending.contains(url) {
            true => None,
            false => self.pages.get(url).and_then(|f| f.hash.as_ref()),
        }
    }

    /// Renders `pages` in parallel into `sink`, skipping each that would come out as it was last
    /// written.
    fn render(
        &self,
        renderer: &Renderer,
        pages: &[&(Page, String)],
        sink: &Sink,
    ) -> Result<Vec<PageOutput>, Error> {
        let bar = progress_bar(self.opts.progress, pages.len());
        let results: Vec<Result<Option<PageOutput>, Error>> = pages
            .par_iter()
            .map(|(p, url)| {
                let out = renderer.render_unless(p, self.previous_hash(url));
                if let Some(b) = &bar {
                    b.inc(1);
                }
                let Some(mut o) = out else {
                    return Ok(None);
                };
                sink.page(&mut o)?;
                Ok(Some(o))
            })
            .collect();
        if let Some(b) = bar {
            b.finish_and_clear();
        }
        let mut out = Vec::with_capacity(results.len());
        for r in results {
            out.extend(r?);
        }
        Ok(out)
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
    fn model(&mut self, inputs: &Inputs) -> (Site, Diagnostics) {
        let started = Instant::now();
        let model_opts = model::Options {
            drafts: self.opts.drafts,
            today: self.opts.today,
        };
        // Sorted by key so the model does not depend on the hash map's order.
        let mut parsed: Vec<(&String, &ParsedSource)> =
            self.cache.iter().map(|(k, (_, p))| (k, p)).collect();
        parsed.sort_by(|a, b| a.0.cmp(b.0));
        let parsed = parsed.into_iter().map(|(_, p)| p);
        let (site, problems) = Site::assemble(inputs.config.clone(), parsed, &model_opts);
        timer(started)("site");
        let findings = check::Findings::new(&site);
        let diagnostics = self.diagnostics(inputs, problems, &site, &findings);
        self.findings = Some(findings);
        (site, diagnostics)
    }

    /// The last site with the `changed` sources taken out and put back as they are now, and
    /// only their documents checked again.
    fn model_after(
        &mut self,
        inputs: &Inputs,
        old: &Site,
        changed: &HashSet<String>,
    ) -> (Site, Diagnostics) {
        let Some(mut findings) = self.findings.take() else {
            return self.model(inputs);
        };
        let mut keys: Vec<&String> = changed.iter().collect();
        keys.sort();
        let removed: Vec<&str> = keys
            .iter()
            .filter(|k| !self.cache.contains_key(**k))
            .map(|k| k.as_str())
            .collect();
        let now = keys
            .iter()
            .filter_map(|k| self.cache.get(*k).map(|(_, p)| p));
        let (site, problems) = old.updated(&removed, now);
        findings.update(&site, keys.iter().map(|k| k.as_str()));
        let diagnostics = self.diagnostics(inputs, problems, &site, &findings);
        self.findings = Some(findings);
        (site, diagnostics)
    }

    /// Everything wrong with the sources, in the order `qili check` tells it: the notes on
    /// site.yaml and the theme, the problems of the sources, of the walk and the law checks'
    /// (the synonym table's come after).
    fn diagnostics(
        &self,
        inputs: &Inputs,
        problems: Vec<Diagnostic>,
        site: &Site,
        findings: &check::Findings,
    ) -> Diagnostics {
        let mut diagnostics = Diagnostics::new();
        diagnostics.extend(inputs.notes());
        diagnostics.extend(problems);
        diagnostics.extend(self.walk_problems.iter().cloned());
        diagnostics.extend(findings.iter(site).cloned());
        diagnostics
    }

    /// Problems of every page as last rendered, and anchors checked across all of them.
    fn collect_page_problems(&self, diagnostics: &mut Diagnostics) {
        for f in self.pages.values() {
            diagnostics.extend(f.problems.iter().cloned());
        }
        let page = |url: &str| self.pages.get(url);
        diagnostics.extend(render::check_anchors(self.pages.values(), page));
    }
}
