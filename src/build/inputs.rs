//! What a build reads before the content: site.yaml, the theme's templates and static files,
//! with qili's own search page and script where a theme made before search has none.

use super::Options;
use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use crate::load::assets::Assets;
use crate::model::Site;
use crate::render::templates::Templates;
use crate::render::Renderer;

pub(super) struct Inputs {
    pub(super) config: SiteConfig,
    templates: Templates,
    pub(super) assets: Assets,
}

impl Inputs {
    pub(super) fn load(opts: &Options) -> Result<Inputs, Vec<Diagnostic>> {
        let mut config = SiteConfig::read(&opts.root)?;
        if let Some(url) = &opts.base_url {
            config.base_url = if url.ends_with('/') {
                url.clone()
            } else {
                format!("{url}/")
            };
        }
        let (root, theme, search) = (&opts.root, &config.theme, config.search);
        let templates = Templates::load(root, theme, search)?;
        let assets =
            Assets::for_site(root, theme, search).map_err(|e| vec![Diagnostic::internal(&e)])?;
        Ok(Inputs {
            config,
            templates,
            assets,
        })
    }

    pub(super) fn renderer<'a>(
        &'a self,
        site: &'a Site,
        findings: &'a [Diagnostic],
        memoize: bool,
    ) -> Renderer<'a> {
        Renderer::new(site, &self.templates, &self.assets, findings, memoize)
    }

    /// The search page and script qili supplied for the theme (W404): told with every build's
    /// findings, full or incremental, as long as the theme lacks them.
    pub(super) fn notes(&self) -> impl Iterator<Item = Diagnostic> + '_ {
        self.templates
            .notes()
            .iter()
            .chain(self.assets.notes())
            .cloned()
    }
}
