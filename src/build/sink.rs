//! Where a pass puts the pages it renders. A full build writes each page into a staging folder as
//! it comes (no page's text is held longer than it takes to write it) and swaps the folder in
//! when the whole pass succeeded; an edit in `serve` holds the few pages it rendered until the
//! pass is known to succeed, then writes them over the live output. Either way a pass that ends
//! with errors leaves the site on disk as it was.

use super::index::SearchState;
use crate::load::assets::Assets;
use crate::model::Site;
use crate::output::{self, file_for_url, Staging};
use crate::render::PageOutput;
use crate::Error;
use rayon::prelude::*;
use std::path::PathBuf;
use std::sync::Mutex;

pub(super) enum Sink {
    /// `qili check`, or a full pass whose model already has errors: nothing is written.
    Nowhere,
    Staging(Staging),
    InPlace {
        dir: PathBuf,
        pages: Mutex<Vec<(String, String)>>,
    },
}

impl Sink {
    pub(super) fn staging(output: &std::path::Path) -> Result<Sink, Error> {
        Ok(Sink::Staging(Staging::new(output)?))
    }

    pub(super) fn in_place(output: PathBuf) -> Sink {
        Sink::InPlace {
            dir: output,
            pages: Mutex::default(),
        }
    }

    /// Takes a rendered page's text, keeping only its size in the page's facts.
    pub(super) fn page(&self, o: &mut PageOutput) -> Result<(), Error> {
        let body = std::mem::take(&mut o.body);
        o.facts.size = body.len();
        match self {
            Sink::Nowhere => Ok(()),
            Sink::Staging(st) => st.write(&file_for_url(&o.facts.url), body.as_bytes()),
            Sink::InPlace { pages, .. } => {
                crate::sync::lock(pages).push((o.facts.url.clone(), body));
                Ok(())
            }
        }
    }

    /// The pass succeeded: the search index's files, the theme's static files (a full build),
    /// and the removal of the pages the site no longer has (an edit) complete the output.
    pub(super) fn commit(
        self,
        site: &Site,
        search: &mut SearchState,
        assets: &Assets,
        removed: &[String],
    ) -> Result<(), Error> {
        match self {
            Sink::Nowhere => Ok(()),
            Sink::Staging(staging) => {
                search.stage(site, &staging)?;
                staging.write_assets(assets)?;
                staging.commit()
            }
            Sink::InPlace { dir, pages } => {
                let pages = pages.into_inner().unwrap_or_else(|e| e.into_inner());
                pages.par_iter().try_for_each(|(url, body)| {
                    output::write_in_place(&dir, &file_for_url(url), body.as_bytes())
                })?;
                for url in removed {
                    output::remove_in_place(&dir, &file_for_url(url))?;
                }
                search.write_in_place(site, &dir)
            }
        }
    }
}
