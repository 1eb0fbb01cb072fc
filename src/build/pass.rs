//! The one pass of a build: read → model and check → find the pages to render → render them into
//! a sink → bring the search index up to date and render its pages → learn what each page read
//! and which problems it has → commit the sink if there are no errors. A full build is the pass
//! whose scope is everything; an edit in `serve` is the pass over the sources it touched.

use super::deps::Deps;
use super::index::{is_search_page, render_search_pages};
use super::inputs::Inputs;
use super::pages::{same_pages, PageList};
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
        let (inputs, changed) = match scope {
            Scope::Sources(paths) if !everything && self.inputs.is_some() => {
                let Some(inputs) = self.inputs.take() else {
                    return self.pass(Scope::Everything);
                };
                let (sources, mut changed) = self.read_changed_sources(&paths);
                changed.extend(self.parse_changed(sources, &inputs.config));
                if changed.is_empty() && self.pending.is_empty() {
                    self.inputs = Some(inputs);
                    return Ok(Outcome::default());
                }
                (inputs, changed)
            }
            _ => {
                self.forget_everything();
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
                (inputs, HashSet::new())
            }
        };
        lap("load");
        let old = if everything { None } else { self.site.take() };
        let (site, mut diagnostics) = match &old {
            Some(old) => self.model_after(&inputs, old, &changed),
            None => self.model(&inputs),
        };
        lap("model");

        let kept = old.is_some_and(|old| same_pages(&old, &site, &changed));
        let (list, removed, reordered) = match kept {
            true => (std::mem::take(&mut self.page_list), Vec::new(), false),
            false => {
                let list = PageList::of(&site, self.opts.memoize);
                let removed = self.forget_removed(&list.pages);
                // The sitemap lists every page in the site's order.
                let reordered = self.opts.memoize && self.deps.page_order_changed(&list.pages);
                (list, removed, reordered)
            }
        };
        lap("page list");
        let lists = self
            .opts
            .memoize
            .then(|| self.deps.lists_now(&site, &changed));
        lap("lists");
        let to_render: Vec<&(Page, String)> = match (&lists, everything) {
            (Some(lists), false) => {
                let affected = self.deps.affected(&changed, lists, reordered);
                let again = affected.iter().chain(&self.pending);
                let mut pages: Vec<&(Page, String)> = again.filter_map(|u| list.get(u)).collect();
                if !kept {
                    let new = list
                        .pages
                        .iter()
                        .filter(|(_, u)| !self.pages.contains_key(u));
                    pages.extend(new);
                }
                pages.sort_by_key(|(p, _)| *p);
                pages.dedup_by_key(|(p, _)| *p);
                pages
            }
            _ => list.pages.iter().collect(),
        };
        // The search pages carry the index's data: they are offered to the search stage every
        // pass, which skips those that come out as they were.
        let to_render: Vec<&(Page, String)> = to_render
            .into_iter()
            .filter(|(p, _)| !is_search_page(p))
            .collect();
        let search_pages: Vec<&(Page, String)> = list
            .pages
            .iter()
            .filter(|(p, _)| is_search_page(p))
            .collect();
        lap("pages to render");

        let sink = match (self.opts.write, everything) {
            (false, _) => Sink::Nowhere,
            (true, true) if diagnostics.has_errors() => Sink::Nowhere,
            (true, true) => Sink::staging(&self.opts.output)?,
            (true, false) => Sink::in_place(self.opts.output.clone()),
        };
        let mut renderer = inputs.renderer(&site, diagnostics.as_slice(), self.opts.memoize);
        let mut rendered = self.render(&renderer, &to_render, &sink)?;
        lap("render");

        self.search.keep(&site, &mut rendered);
        self.search.index(&site, &self.opts.root, self.opts.memoize);
        let previous = |url: &str| self.previous_hash(url).copied();
        let index = self.search.current();
        let search = search_pages.iter().map(|(p, _)| p);
        for mut o in render_search_pages(&mut renderer, &site, search, index, previous) {
            sink.page(&mut o)?;
            rendered.push(o);
        }
        drop(renderer);
        lap("search index");

        let count = rendered.len();
        let rendered_urls: Vec<String> = rendered.iter().map(|o| o.facts.url.clone()).collect();
        for o in rendered {
            self.pages.insert(o.facts.url.clone(), o.facts);
        }
        if let Some(lists) = lists {
            for (p, url) in to_render.iter().chain(&search_pages) {
                let links = self.pages.get(url).map_or(&[][..], |f| &f.links[..]);
                let reads = p.reads(&site);
                self.deps.record(url, reads, links);
            }
            self.deps.set_lists(lists);
        }
        self.collect_page_problems(&mut diagnostics);
        lap("page problems");

        let ok = !diagnostics.has_errors();
        if ok {
            sink.commit(&site, &mut self.search, &inputs.assets, &removed)?;
            self.pending.clear();
            lap("write");
        } else {
            self.pending.extend(rendered_urls);
        }
        let stats = ok.then(|| self.stats(&site, count, started.elapsed()));
        self.page_list = list;
        self.site = Some(Arc::new(site));
        self.inputs = Some(inputs);
        Ok(Outcome {
            diagnostics,
            stats,
            changed: ok && self.opts.write,
        })
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

    /// Drops what the session knows of pages the site no longer has, returning their URLs so
    /// their files can be removed.
    fn forget_removed(&mut self, pages: &[(Page, String)]) -> Vec<String> {
        if self.pages.is_empty() {
            return Vec::new();
        }
        let now: HashSet<&str> = pages.iter().map(|(_, u)| u.as_str()).collect();
        let removed: Vec<String> = self
            .pages
            .keys()
            .filter(|u| !now.contains(u.as_str()))
            .cloned()
            .collect();
        for u in &removed {
            self.pages.remove(u);
            self.pending.remove(u);
            self.deps.forget(u);
            self.search.forget(u);
        }
        removed
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

    /// Everything wrong before rendering, in the order `qili check` tells it: the notes on
    /// site.yaml and the theme, the problems of the sources, of the walk, the law checks' and
    /// the synonym table's.
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
        diagnostics.extend(check::synonyms::load(&self.opts.root).1);
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
