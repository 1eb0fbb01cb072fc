//! What a theme's templates are given: typed views that borrow the [`Site`], one per template
//! (the types that implement [`View`]), and the values every template shares ([`Base`]).
//!
//! This module is the contract between qili and a theme. Its doc comments are written in
//! Chinese on purpose: `tests/suite/template_vars.rs` reads them with `syn` and writes them into
//! the README's 模板变量 section, which theme authors read, and fails when the README differs.
//! So a field cannot be added, renamed or dropped without the reference following.
//!
//! Rules the README generator relies on (it fails on anything else): every view is a struct
//! with `#[derive(Serialize)]` and a doc comment on every field; the serde attributes used are
//! `rename`, `flatten`, `skip_serializing_if` and `serialize_with`. A field written after a
//! flattened view replaces the flattened view's field of the same name (serde_json keeps the
//! last of a repeated key), as the poster pages do with `kind` and `url`.

mod lesson;
mod lists;
mod notice;
mod overview;
mod regulation;
mod shared;

pub(super) use lesson::*;
pub(super) use lists::*;
pub(super) use notice::*;
pub(super) use overview::*;
pub(super) use regulation::*;
pub(super) use shared::*;

use serde::Serialize;

/// A view that is a template's `page`: the template it is for is part of its type, so the
/// renderer and the README's reference cannot disagree about which view a template gets.
pub(super) trait View: Serialize {
    const TEMPLATE: &'static str;
}

/// Feeds serde_json's output straight into a hash: a view is hashed without building a `Value`
/// or a byte buffer first.
struct HashWriter<'h>(&'h mut blake3::Hasher);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Adds the JSON of `value` to `hasher`.
pub(super) fn hash_into(hasher: &mut blake3::Hasher, value: &impl Serialize) {
    // Writing into a hasher cannot fail, and derived `Serialize` of these views does not
    // either (no maps with non-string keys).
    let _ = serde_json::to_writer(HashWriter(hasher), value);
}
