//! The README's 模板变量 section, generated from the views a theme's templates get
//! (`src/render/views/`): which view each template gets (`impl View for … { const TEMPLATE }`),
//! each view's fields with their serde names, and each field's doc comment. Because the
//! reference is read from the very structs that are serialized, it cannot drift from them; the
//! generator refuses what it does not understand (a serde attribute, a type, a field without a
//! doc comment) rather than guess. `readme.rs` compares it with the README.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::Path;
use syn::{Attribute, Fields, Item, Type};

/// Where the views are: every file of the folder, and `Change` of the regulation diff.
const VIEWS: &str = "src/render/views";
const MORE: &[&str] = &["src/render/diff.rs"];

struct Field {
    key: String,
    doc: String,
    ty: Type,
    flatten: bool,
    /// Serialized by a function of its own: always a string, whatever the Rust type.
    custom: bool,
}

struct View {
    doc: String,
    fields: Vec<Field>,
}

/// The shapes a template can see.
enum Shape {
    Text,
    Bool,
    Int,
    Number,
    Map,
    Named(String),
    List(Box<Shape>),
    Optional(Box<Shape>),
}

fn doc(attrs: &[Attribute]) -> String {
    let lines: Vec<String> = attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value().trim().to_string()),
                _ => None,
            },
            _ => None,
        })
        .collect();
    lines.join("")
}

fn derives_serialize(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("derive") && {
            let mut found = false;
            let _ = a.parse_nested_meta(|m| {
                found |= m.path.is_ident("Serialize");
                Ok(())
            });
            found
        }
    })
}

fn field(name: &str, f: syn::Field) -> Field {
    let ident = f.ident.as_ref().expect("named fields").to_string();
    let attrs = f.attrs;
    let mut out = Field {
        key: ident.clone(),
        doc: doc(&attrs),
        ty: f.ty,
        flatten: false,
        custom: false,
    };
    for a in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        a.parse_nested_meta(|m| {
            if m.path.is_ident("rename") {
                out.key = m.value()?.parse::<syn::LitStr>()?.value();
            } else if m.path.is_ident("flatten") {
                out.flatten = true;
            } else if m.path.is_ident("serialize_with") {
                m.value()?.parse::<syn::LitStr>()?;
                out.custom = true;
            } else if m.path.is_ident("skip_serializing_if") {
                // Absent rather than empty: the same to `{% if %}`, documented as 为空.
                m.value()?.parse::<syn::LitStr>()?;
            } else {
                panic!("{name}.{ident}: the README generator does not know this serde attribute");
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{name}.{ident}: {e}"));
    }
    assert!(
        !out.doc.is_empty(),
        "{name}.{ident} 没有文档注释：模板变量的说明来自它（README 的「模板变量」）"
    );
    out
}

/// Every serialized struct of the views, and the template each view is for, in source order.
fn read_views(root: &Path) -> (BTreeMap<String, View>, Vec<(String, String)>) {
    let mut files: Vec<_> = std::fs::read_dir(root.join(VIEWS))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files.extend(MORE.iter().map(|m| root.join(m)));
    let mut views = BTreeMap::new();
    let mut templates = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let file = syn::parse_file(&text).expect("a Rust source file");
        for item in file.items {
            match item {
                Item::Struct(s) if derives_serialize(&s.attrs) => {
                    let name = s.ident.to_string();
                    let doc = doc(&s.attrs);
                    let Fields::Named(named) = s.fields else {
                        panic!("{name}: a view has named fields");
                    };
                    let fields = named.named.into_iter().map(|f| field(&name, f)).collect();
                    assert!(!doc.is_empty(), "{name} 没有文档注释");
                    views.insert(name, View { doc, fields });
                }
                Item::Impl(i) => {
                    let Some((_, trait_path, _)) = &i.trait_ else {
                        continue;
                    };
                    if !trait_path.is_ident("View") {
                        continue;
                    }
                    let Type::Path(p) = &*i.self_ty else {
                        panic!("impl View for a named struct");
                    };
                    let name = p.path.segments.last().unwrap().ident.to_string();
                    let template = i.items.iter().find_map(|it| match it {
                        syn::ImplItem::Const(c) if c.ident == "TEMPLATE" => match &c.expr {
                            syn::Expr::Lit(syn::ExprLit {
                                lit: syn::Lit::Str(s),
                                ..
                            }) => Some(s.value()),
                            _ => None,
                        },
                        _ => None,
                    });
                    templates.push((template.expect("const TEMPLATE = \"…\""), name));
                }
                _ => {}
            }
        }
    }
    (views, templates)
}

fn argument(seg: &syn::PathSegment) -> &Type {
    match &seg.arguments {
        syn::PathArguments::AngleBracketed(a) => a
            .args
            .iter()
            .find_map(|g| match g {
                syn::GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .expect("a type argument"),
        _ => panic!("{} without its type argument", seg.ident),
    }
}

fn shape(ty: &Type, views: &BTreeMap<String, View>) -> Shape {
    match ty {
        Type::Reference(r) => shape(&r.elem, views),
        Type::Slice(s) => Shape::List(Box::new(shape(&s.elem, views))),
        Type::Array(a) => Shape::List(Box::new(shape(&a.elem, views))),
        Type::Path(p) => {
            let seg = p.path.segments.last().unwrap();
            match seg.ident.to_string().as_str() {
                "Option" => Shape::Optional(Box::new(shape(argument(seg), views))),
                "Vec" => Shape::List(Box::new(shape(argument(seg), views))),
                "String" | "str" | "Cow" => Shape::Text,
                // model::notice::Status serializes as its snake_case name.
                "Status" => Shape::Text,
                // poster::text::StepRow is `[String; 6]`.
                "StepRow" => Shape::List(Box::new(Shape::Text)),
                "bool" => Shape::Bool,
                "u8" | "u32" | "usize" | "i64" => Shape::Int,
                "f64" => Shape::Number,
                "BTreeMap" => Shape::Map,
                name if views.contains_key(name) => Shape::Named(name.to_string()),
                name => panic!("the README generator does not know the type {name}"),
            }
        }
        _ => panic!("the README generator does not know this type"),
    }
}

fn label(s: &Shape, seen: &mut VecDeque<String>) -> String {
    match s {
        Shape::Text => "文字".into(),
        Shape::Bool => "是或否".into(),
        Shape::Int => "整数".into(),
        Shape::Number => "数".into(),
        Shape::Map => "表".into(),
        Shape::Named(n) => {
            seen.push_back(n.clone());
            format!("`{n}`")
        }
        Shape::List(t) => format!("列表，每项是{}", label(t, seen)),
        Shape::Optional(t) => format!("{}或空", label(t, seen)),
    }
}

/// The rows of a view's fields, flattened views inlined (a later field of the same name
/// replaces an earlier one, as serde_json keeps the last of a repeated key).
fn rows(
    name: &str,
    views: &BTreeMap<String, View>,
    seen: &mut VecDeque<String>,
    note: &str,
    out: &mut Vec<(String, String, String)>,
) {
    for f in &views[name].fields {
        if f.flatten {
            let (inner, note) = match shape(&f.ty, views) {
                Shape::Named(n) => (n, note.to_string()),
                Shape::Optional(t) => match *t {
                    Shape::Named(n) => (n, format!("（{}）", f.doc.trim_end_matches('。'))),
                    _ => panic!("{name}.{}: only views are flattened", f.key),
                },
                _ => panic!("{name}.{}: only views are flattened", f.key),
            };
            rows(&inner, views, seen, &note, out);
            continue;
        }
        let shown = if f.custom {
            "文字".to_string()
        } else {
            label(&shape(&f.ty, views), seen)
        };
        let row = (f.key.clone(), shown, format!("{}{note}", f.doc));
        match out.iter_mut().find(|r| r.0 == f.key) {
            Some(earlier) => *earlier = row,
            None => out.push(row),
        }
    }
}

fn table(prefix: &str, rows: &[(String, String, String)]) -> String {
    let mut t = String::from("| 变量 | 类型 | 说明 |\n|---|---|---|\n");
    for (key, shape, doc) in rows {
        t.push_str(&format!(
            "| `{prefix}{key}` | {shape} | {} |\n",
            doc.replace('|', "\\|")
        ));
    }
    t
}

/// The README's 模板变量 section between its markers, and per template the names `page` has.
pub fn reference() -> (String, BTreeMap<String, BTreeSet<String>>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (views, templates) = read_views(root);
    let mut seen = VecDeque::new();
    let mut out = String::from("### 每个模板都有的\n\n");
    let mut base = Vec::new();
    rows("Base", &views, &mut seen, "", &mut base);
    out.push_str(&table("", &base));
    out.push_str("| `page` | 见下 | 这一页自己的变量，每个模板不同 |\n");
    let mut keys = BTreeMap::new();
    for (template, view) in &templates {
        let mut page = Vec::new();
        rows(view, &views, &mut seen, "", &mut page);
        out.push_str(&format!(
            "\n### {template}\n\n{}（`{view}`）\n\n{}",
            views[view].doc,
            table("page.", &page)
        ));
        let names = page.iter().map(|r| r.0.clone()).collect();
        keys.insert(template.clone(), names);
    }
    for (key, view) in [("site.", "SiteView"), ("audience.", "CurrentAudience")] {
        let mut fields = Vec::new();
        rows(view, &views, &mut VecDeque::new(), "", &mut fields);
        keys.insert(key.to_string(), fields.into_iter().map(|r| r.0).collect());
    }
    out.push_str("\n### 值里的类型\n\n上面的类型一栏写着 `名字` 的，是下面的一种。\n");
    let mut done = BTreeSet::new();
    while let Some(name) = seen.pop_front() {
        if !done.insert(name.clone()) {
            continue;
        }
        let mut fields = Vec::new();
        rows(&name, &views, &mut seen, "", &mut fields);
        out.push_str(&format!(
            "\n#### `{name}`\n\n{}\n\n{}",
            views[&name].doc,
            table(".", &fields)
        ));
    }
    (out, keys)
}

/// The names a template reads after `{prefix}.` (`page.title` → `title`), with where.
fn reads<'t>(text: &'t str, prefix: &str) -> Vec<(usize, &'t str)> {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices(prefix)
        .filter(|(i, _)| !text[..*i].ends_with(word) && !text[..*i].ends_with('.'))
        .map(|(i, _)| {
            let rest = &text[i + prefix.len()..];
            let end = rest.find(|c: char| !word(c)).unwrap_or(rest.len());
            (i, &rest[..end])
        })
        .filter(|(_, name)| !name.is_empty())
        .collect()
}

/// What the default theme reads that no view has, and so never shows: the regulation page and
/// poster test `page.summary`, but a regulation's summary is its `page.description`. Fixing the
/// templates changes the output (the summaries appear), which is the lead's call; until then
/// this list keeps the finding visible, and the test fails when it is fixed and still listed.
const UNLISTED_IN_THEME: &[(&str, &str)] = &[];

/// The default theme is the contract's first user: every `page.x`, `site.x` and `audience.x`
/// it reads is in the reference (a template of a view: that view's `page`; `base.html`, the
/// macros and the poster base: some view's), and every template the reference names exists.
#[test]
fn the_default_theme_reads_only_what_the_reference_lists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (_, keys) = reference();
    let dir = root.join("themes/default/templates");
    for template in keys.keys().filter(|k| k.contains('.') && !k.ends_with('.')) {
        assert!(dir.join(template).is_file(), "默认主题没有 {template}");
    }
    let any_page: BTreeSet<&String> = keys
        .iter()
        .filter(|(k, _)| !k.ends_with('.'))
        .flat_map(|(_, v)| v)
        .collect();
    let mut checked = 0;
    let mut unlisted = Vec::new();
    let mut known_gaps = BTreeSet::new();
    for entry in walkdir::WalkDir::new(&dir) {
        let path = entry.unwrap().into_path();
        if !path.is_file() {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let shown = path.strip_prefix(root).unwrap().display().to_string();
        let own = keys.get(&path.file_name().unwrap().to_string_lossy().to_string());
        for (prefix, known) in [("site.", &keys["site."]), ("audience.", &keys["audience."])] {
            for (at, name) in reads(&text, prefix) {
                if !known.contains(name) {
                    unlisted.push(format!("{shown}（第 {at} 字节）读 {prefix}{name}"));
                }
                checked += 1;
            }
        }
        for (at, name) in reads(&text, "page.") {
            let listed = match own {
                Some(own) => own.contains(name),
                None => any_page.contains(&name.to_string()),
            };
            let file = path.file_name().unwrap().to_string_lossy();
            if UNLISTED_IN_THEME.contains(&(&*file, name)) {
                assert!(
                    !listed,
                    "{shown}: page.{name} is listed now; drop it from UNLISTED_IN_THEME"
                );
                known_gaps.insert((file.to_string(), name.to_string()));
                continue;
            }
            if !listed {
                unlisted.push(format!("{shown}（第 {at} 字节）读 page.{name}"));
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} variables found in the theme");
    assert!(
        unlisted.is_empty(),
        "参考里没有这些变量：\n{}",
        unlisted.join("\n")
    );
    assert_eq!(
        known_gaps.len(),
        UNLISTED_IN_THEME.len(),
        "UNLISTED_IN_THEME names a read the theme no longer has"
    );
}
