//! The values every page's template starts from (`site`, `assets`, `audience`), built once per
//! audience instead of once per page: a page's context is one of these plus its own `page`.

use super::templates::Templates;
use crate::diagnostics::Diagnostic;
use crate::model::Site;
use serde_json::{json, Value};
use std::sync::Mutex;
use tera::Context;

pub(super) struct Contexts {
    /// Per audience (none first), without and with `site.villages`.
    bases: Vec<[Context; 2]>,
    /// Contexts of pages already rendered, by base, with their `page` taken out: reusing one
    /// saves copying and dropping the base's values for every page.
    spare: Vec<[Mutex<Vec<Context>>; 2]>,
}

impl Contexts {
    /// `sites` is `site` without and with its villages.
    pub(super) fn new(site: &Site, sites: [&Value; 2], assets: &Value) -> Contexts {
        let c = &site.config;
        let audiences = std::iter::once(Value::Null).chain(c.audiences.iter().map(|a| {
            json!({
                "id": a.id, "name": a.name, "description": a.description,
                "url": c.href(&crate::model::urls::audience_home(&a.id)),
                // Only audiences that have the page link to it.
                "overview_url": a.overview.then(|| c.href(&crate::model::urls::overview(&a.id))),
            })
        }));
        let bases: Vec<[Context; 2]> = audiences
            .map(|audience| {
                sites.map(|site| {
                    let mut ctx = Context::new();
                    ctx.insert("site", site);
                    ctx.insert("assets", assets);
                    ctx.insert("audience", &audience);
                    ctx
                })
            })
            .collect();
        let spare = bases.iter().map(|_| Default::default()).collect();
        Contexts { bases, spare }
    }

    /// Renders template `name` with base `audience` (0 for none, else the audience's index + 1),
    /// with or without the villages, and `page` moved in rather than serialized again.
    pub(super) fn render(
        &self,
        templates: &Templates,
        audience: usize,
        villages: bool,
        name: &str,
        page: Value,
    ) -> Result<String, Diagnostic> {
        let v = usize::from(villages);
        let spare = &self.spare[audience][v];
        let mut ctx = crate::sync::lock(spare)
            .pop()
            .unwrap_or_else(|| self.bases[audience][v].clone());
        let mut own = serde_json::Map::new();
        own.insert("page".into(), page);
        // Never fails: the value is an object.
        if let Ok(page) = Context::from_value(Value::Object(own)) {
            ctx.extend(page);
        }
        let body = templates.render(name, &ctx);
        ctx.remove("page");
        crate::sync::lock(spare).push(ctx);
        body
    }
}
