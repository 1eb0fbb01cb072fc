//! `qili init`: a new town's site that builds and checks clean at once; the government footer and
//! the icons on every page.

use crate::common;

use common::TODAY;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn qili(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qili"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("run qili")
}

fn ok(out: Output) -> String {
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{err}");
    assert!(!err.contains(" E"), "{err}");
    err
}

const TOWN: &[&str] = &[
    "--town",
    "沙州镇",
    "--county",
    "敦煌市",
    "--city",
    "酒泉市",
    "--province",
    "甘肃省",
];

fn init(parent: &Path, extra: &[&str]) -> std::path::PathBuf {
    let args: Vec<&str> = ["init", "shazhou"]
        .iter()
        .chain(TOWN)
        .chain(extra)
        .copied()
        .collect();
    ok(qili(&args, parent));
    parent.join("shazhou")
}

#[test]
fn a_new_town_builds_and_checks_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let site = init(tmp.path(), &[]);
    let yaml = std::fs::read_to_string(site.join("site.yaml")).unwrap();
    let config = qili::config::SiteConfig::parse(&yaml).unwrap();
    assert_eq!(config.title, "沙州镇法治课堂");
    assert_eq!(
        (
            config.town.county.as_str(),
            config.town.city.as_str(),
            config.town.province.as_str()
        ),
        ("敦煌市", "酒泉市", "甘肃省")
    );
    assert!(config.villages.is_empty());
    assert!(
        yaml.contains("#  - id: shilicun"),
        "a commented example village"
    );
    for folder in [
        "content/lessons",
        "examples/notices",
        "examples/regulations",
    ] {
        let drafts: Vec<_> = std::fs::read_dir(site.join(folder))
            .unwrap()
            .flatten()
            .collect();
        assert_eq!(drafts.len(), 1, "{folder}");
        let text = std::fs::read_to_string(drafts[0].path()).unwrap();
        assert!(text.contains("draft: true"), "{folder}");
    }
    let readme = std::fs::read_to_string(site.join("README.md")).unwrap();
    assert!(readme.contains("给沙州镇编辑的说明") && readme.contains("qili deploy"));
    assert!(site.join("themes/default/templates/base.html").is_file());

    let root = site.to_str().unwrap();
    ok(qili(
        &["build", "--today", TODAY, "--root", root],
        tmp.path(),
    ));
    let err = ok(qili(
        &["check", "--today", TODAY, "--root", root],
        tmp.path(),
    ));
    assert!(
        !err.contains("W004"),
        "an example address needs no ICP number: {err}"
    );
    let home = std::fs::read_to_string(site.join("public/index.html")).unwrap();
    assert!(home.contains("沙州镇法治课堂") && home.contains("主办单位：沙州镇人民政府"));

    // A folder with anything in it is refused, and nothing in it is touched.
    let again = qili(&["init", "shazhou", "--town", "别的镇"], tmp.path());
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("已经有文件"));
    assert_eq!(
        std::fs::read_to_string(site.join("site.yaml")).unwrap(),
        yaml
    );

    // Without a terminal and without --town there is nobody to ask.
    let out = qili(&["init", "other"], tmp.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--town"));

    // Once the example village is written in, the examples move into content/ and check clean.
    let with_village = yaml.replacen(
        "villages: []\n#  - id: shilicun\n#    name: 示例村",
        "villages:\n  - id: shilicun\n    name: 示例村",
        1,
    );
    assert_ne!(with_village, yaml);
    std::fs::write(site.join("site.yaml"), with_village).unwrap();
    for kind in ["notices", "regulations"] {
        std::fs::rename(
            site.join("examples").join(kind),
            site.join("content").join(kind),
        )
        .unwrap();
    }
    ok(qili(
        &["check", "--today", TODAY, "--root", root],
        tmp.path(),
    ));
    ok(qili(
        &["check", "--drafts", "--today", TODAY, "--root", root],
        tmp.path(),
    ));
}

#[test]
fn the_general_lessons_come_along_on_request_and_build() {
    let tmp = tempfile::tempdir().unwrap();
    let site = init(tmp.path(), &["--with-lessons"]);
    let root = site.to_str().unwrap();
    ok(qili(
        &["check", "--today", TODAY, "--root", root],
        tmp.path(),
    ));
    ok(qili(
        &["build", "--today", TODAY, "--root", root],
        tmp.path(),
    ));
    let lessons = std::fs::read_dir(site.join("content/lessons"))
        .unwrap()
        .count();
    assert_eq!(lessons, 1 + qili::init::GENERAL_LESSONS.len());
    assert!(site
        .join("public/lingdao/lessons/zhong-da-jue-ce-cheng-xu/index.html")
        .is_file());
}

#[test]
fn the_footer_shows_the_filings_escaped_with_their_registry_links() {
    let tmp = tempfile::tempdir().unwrap();
    let site = init(tmp.path(), &["--with-lessons"]);
    let yaml_path = site.join("site.yaml");
    let yaml = std::fs::read_to_string(&yaml_path).unwrap();
    let start = yaml.find("footer:").unwrap();
    let end = yaml[start..].find("\n\n").unwrap() + start;
    let footer = "footer:\n  organizer: \"沙州镇<人民政府> & 办\"\n  contact: 0937-0000000（示例）\n  icp: 陇ICP备00000000号-1（示例）\n  police: 甘公网安备 62000000000000号（示例）\n  site_code: \"0000000000\"";
    let yaml = format!("{}{footer}{}", &yaml[..start], &yaml[end..]);
    std::fs::write(&yaml_path, &yaml).unwrap();
    let root = site.to_str().unwrap();
    ok(qili(
        &["build", "--today", TODAY, "--root", root],
        tmp.path(),
    ));
    for page in [
        "index.html",
        "qunzhong/index.html",
        "lingdao/lessons/zhong-da-jue-ce-cheng-xu/index.html",
        "villages/index.html",
        "404.html",
    ] {
        let html = std::fs::read_to_string(site.join("public").join(page)).unwrap();
        assert!(
            html.contains("主办单位：沙州镇&lt;人民政府&gt; &amp; 办"),
            "{page}"
        );
        assert!(!html.contains("<人民政府>"), "{page}");
        assert!(html.contains("联系方式：0937-0000000（示例）"), "{page}");
        assert!(
            html.contains(r#"<a href="https://beian.miit.gov.cn/" rel="noopener">陇ICP备00000000号-1（示例）</a>"#),
            "{page}"
        );
        assert!(
            html.contains(r#"<a href="https://beian.mps.gov.cn/#/query/webSearch?code=62000000000000" rel="noopener">甘公网安备 62000000000000号（示例）</a>"#),
            "{page}"
        );
        assert!(html.contains("网站标识码：0000000000"), "{page}");
        // The icons are the theme's own files, named by hash.
        for (rel, name) in [
            ("icon", "favicon"),
            ("apple-touch-icon", "apple-touch-icon"),
        ] {
            let at = html
                .find(&format!("rel=\"{rel}\""))
                .unwrap_or_else(|| panic!("{page}: {rel}"));
            let href = &html[at..];
            let href = &href[href.find("href=\"").unwrap() + 6..];
            let href = &href[..href.find('"').unwrap()];
            assert!(
                href.starts_with(&format!("/static/{name}.")),
                "{page}: {href}"
            );
            assert!(site.join("public").join(&href[1..]).is_file(), "{href}");
        }
    }

    // A real domain: check warns (W004) until the ICP number is written.
    let real = yaml.replace(
        "base_url: \"https://example.cn/\"",
        "base_url: \"https://shazhou.gov.cn/\"",
    );
    assert_ne!(real, yaml);
    std::fs::write(&yaml_path, &real).unwrap();
    let err = ok(qili(
        &["check", "--today", TODAY, "--root", root],
        tmp.path(),
    ));
    assert!(!err.contains("W004"), "{err}");
    std::fs::write(
        &yaml_path,
        real.replace("  icp: 陇ICP备00000000号-1（示例）\n", ""),
    )
    .unwrap();
    let err = ok(qili(
        &["check", "--today", TODAY, "--root", root],
        tmp.path(),
    ));
    assert!(err.contains("site.yaml:5 W004"), "{err}");
}
