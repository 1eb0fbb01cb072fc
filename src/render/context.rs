//! The values every page's template starts from (`site`, `assets`, `audience`: the view
//! [`Base`]), built once per audience instead of once per page: a page's context is one of these
//! plus its own `page`.

use super::templates::Templates;
use super::views::{hash_into, Base, CurrentAudience, SiteView};
use crate::diagnostics::Diagnostic;
use crate::model::Site;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Mutex;
use tera::Context;

pub(super) struct Contexts {
    /// Per audience (none first), without and with `site.villages`.
    bases: Vec<[Context; 2]>,
    /// Hashes of the bases' JSON, when memoizing.
    hashes: Option<Vec<[[u8; 32]; 2]>>,
    /// Contexts of pages already rendered, by base, with their `page` taken out: reusing one
    /// saves copying and dropping the base's values for every page.
    spare: Vec<[Mutex<Vec<Context>>; 2]>,
}

impl Contexts {
    /// `sites` is `site` without and with its villages.
    pub(super) fn new(
        site: &Site,
        sites: [&SiteView; 2],
        assets: &BTreeMap<&str, String>,
        memoize: bool,
    ) -> Contexts {
        let audiences = std::iter::once(None).chain(CurrentAudience::all(&site.config).map(Some));
        let mut hashes = memoize.then(Vec::new);
        let bases: Vec<[Context; 2]> = audiences
            .map(|audience| {
                let bases = sites.map(|site| Base {
                    site,
                    assets,
                    audience: audience.as_ref(),
                });
                if let Some(hashes) = &mut hashes {
                    hashes.push(bases.each_ref().map(|base| {
                        let mut h = blake3::Hasher::new();
                        hash_into(&mut h, base);
                        *h.finalize().as_bytes()
                    }));
                }
                // Never fails: a `Base` is an object of strings, numbers and lists.
                bases.map(|base| Context::from_serialize(base).unwrap_or_default())
            })
            .collect();
        let spare = bases.iter().map(|_| Default::default()).collect();
        Contexts {
            bases,
            hashes,
            spare,
        }
    }

    /// The hash of base `audience` (see [`Contexts::render`]), when memoizing.
    pub(super) fn hash(&self, audience: usize, villages: bool) -> Option<&[u8; 32]> {
        let hashes = self.hashes.as_ref()?;
        Some(&hashes[audience][usize::from(villages)])
    }

    /// Renders template `name` with base `audience` (0 for none, else the audience's index + 1),
    /// with or without the villages, and `page`.
    pub(super) fn render(
        &self,
        templates: &Templates,
        audience: usize,
        villages: bool,
        name: &str,
        page: &impl Serialize,
    ) -> Result<String, Diagnostic> {
        let v = usize::from(villages);
        let spare = &self.spare[audience][v];
        let mut ctx = crate::sync::lock(spare)
            .pop()
            .unwrap_or_else(|| self.bases[audience][v].clone());
        // Never fails: views are objects of strings, numbers and lists.
        let body = match ctx.try_insert("page", page) {
            Ok(()) => templates.render(name, &ctx),
            Err(e) => Err(Diagnostic::error(
                "E402",
                name.to_string(),
                format!("渲染模板 {name} 时出错：{e}"),
            )),
        };
        ctx.remove("page");
        crate::sync::lock(spare).push(ctx);
        body
    }
}
