//! Where things are in a site's folder, named once: the sources, the themes, the site's own
//! template overrides, `site.yaml` and the default output. Every stage asks here.

use std::path::{Path, PathBuf};

pub const CONFIG: &str = "site.yaml";
pub const CONTENT: &str = "content";
pub const THEMES: &str = "themes";
/// The site's own templates, which override the theme's of the same name.
pub const TEMPLATES: &str = "templates";
pub const OUTPUT: &str = "public";

/// Top-level entries of the site folder whose change needs a rebuild.
pub const WATCHED: [&str; 4] = [CONFIG, CONTENT, THEMES, TEMPLATES];

pub fn content(root: &Path) -> PathBuf {
    root.join(CONTENT)
}

pub fn theme_templates(root: &Path, theme: &str) -> PathBuf {
    root.join(THEMES).join(theme).join("templates")
}

pub fn theme_static(root: &Path, theme: &str) -> PathBuf {
    root.join(THEMES).join(theme).join("static")
}

pub fn site_templates(root: &Path) -> PathBuf {
    root.join(TEMPLATES)
}

pub fn default_output(root: &Path) -> PathBuf {
    root.join(OUTPUT)
}
