//! A front matter edited in place, field by field, as a careful person would do it in a text
//! editor: a changed value is written over the old one on its line, keeping the comment after
//! it (at its column where the new value leaves room); a new field goes after the field that
//! comes before it in the form's order; a part that `qili new` left commented out is
//! uncommented rather than written a second time; an emptied field is taken out, and a mapping
//! left with nothing in it too. Every line the form did not touch stays as it was.
//!
//! Only what qili's front matters are made of is understood: block mappings with plain keys,
//! one-line flow mappings (`{date: 2026-03-20, body: 村党支部}`) and scalars. Anything else in
//! a field the form changes is refused with a message rather than guessed at.

mod scan;
#[cfg(test)]
mod tests;

pub use scan::quote;
use scan::{flow_entries, indent_of, key_line, value_span, width};

/// Where a field is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// `key: value` on a line of its own (its block runs to [`Front::block_end`]).
    Line { line: usize, indent: usize },
    /// An entry of a one-line flow mapping: the byte spans of its value and of the whole entry.
    Flow {
        line: usize,
        value: (usize, usize),
        entry: (usize, usize),
    },
}

/// Where a key being inserted goes.
enum Room {
    /// Into the block of the key line at (line, indentation), or at the top level (`None`).
    Block(Option<(usize, usize)>),
    /// Nowhere more: it was written while making its parent.
    Written,
}

/// The front matter as lines (without their `\n`).
#[derive(Debug, Clone)]
pub struct Front {
    lines: Vec<String>,
}

impl Front {
    pub fn new(yaml: &str) -> Front {
        let mut lines: Vec<String> = yaml.split('\n').map(String::from).collect();
        if lines.last().is_some_and(|l| l.is_empty()) {
            lines.pop();
        }
        Front { lines }
    }

    pub fn text(&self) -> String {
        let mut s = self.lines.join("\n");
        if !self.lines.is_empty() {
            s.push('\n');
        }
        s
    }

    /// The line after the last one of the block a key line opens: deeper lines, comments
    /// included, and blank lines between them.
    fn block_end(&self, line: usize) -> usize {
        let indent = indent_of(&self.lines[line]);
        let mut end = line + 1;
        for (j, l) in self.lines.iter().enumerate().skip(line + 1) {
            if l.trim().is_empty() {
                continue;
            }
            if indent_of(l) <= indent {
                break;
            }
            end = j + 1;
        }
        end
    }

    /// Key lines directly in `region` (the block of a key at `parent` indentation, or the
    /// whole front matter): line, indentation and key.
    fn children(
        &self,
        region: (usize, usize),
        parent: Option<usize>,
    ) -> Vec<(usize, usize, String)> {
        let keys: Vec<(usize, usize, String)> = (region.0..region.1)
            .filter_map(|i| key_line(&self.lines[i]).map(|(ind, k, _)| (i, ind, k.to_string())))
            .filter(|(_, ind, _)| parent.is_none_or(|p| *ind > p))
            .collect();
        let Some(level) = keys.iter().map(|(_, ind, _)| *ind).min() else {
            return Vec::new();
        };
        keys.into_iter()
            .filter(|(_, ind, _)| *ind == level)
            .collect()
    }

    fn region(&self, parent: Option<(usize, usize)>) -> (usize, usize) {
        match parent {
            Some((line, _)) => (line + 1, self.block_end(line)),
            None => (0, self.lines.len()),
        }
    }

    fn span(&self, line: usize) -> (usize, usize) {
        let l = &self.lines[line];
        match key_line(l) {
            Some((_, _, start)) => value_span(l, start),
            None => (l.len(), l.len()),
        }
    }

    fn find(&self, path: &[&str]) -> Option<Place> {
        let mut parent: Option<(usize, usize)> = None;
        for (i, seg) in path.iter().enumerate() {
            let kids = self.children(self.region(parent), parent.map(|p| p.1));
            let (line, indent, _) = kids.into_iter().find(|(_, _, k)| k == seg)?;
            if i + 1 == path.len() {
                return Some(Place::Line { line, indent });
            }
            let (vs, ve) = self.span(line);
            if self.lines[line][vs..ve].starts_with('{') {
                if i + 2 != path.len() {
                    return None;
                }
                let entries = flow_entries(&self.lines[line], vs, ve)?;
                return entries
                    .into_iter()
                    .find(|e| e.key == path[i + 1])
                    .map(|e| Place::Flow {
                        line,
                        value: e.value,
                        entry: e.entry,
                    });
            }
            parent = Some((line, indent));
        }
        None
    }

    /// Writes `scalar` (YAML text) as the value at `path`, creating what is missing. Returns
    /// the path of a part that was uncommented to make room (its other fields then hold what
    /// `qili new` wrote, for the caller to set).
    pub fn set(
        &mut self,
        path: &[&str],
        scalar: &str,
        order: &[&str],
    ) -> Result<Option<String>, String> {
        match self.find(path) {
            Some(Place::Line { line, .. }) => {
                self.replace_value(line, scalar);
                Ok(None)
            }
            Some(Place::Flow { line, value, .. }) => {
                self.lines[line].replace_range(value.0..value.1, scalar);
                Ok(None)
            }
            None => self.insert(path, scalar, order),
        }
    }

    /// Writes a key that is not there yet: into its parent's block (made first if missing),
    /// by uncommenting what `qili new` left for it, or else as a new line after the keys that
    /// come before it in the form's `order`.
    fn insert(
        &mut self,
        path: &[&str],
        scalar: &str,
        order: &[&str],
    ) -> Result<Option<String>, String> {
        let (parent_path, key) = path.split_at(path.len() - 1);
        let key = key[0];
        let (parent, uncommented) = match self.parent_block(path, scalar, order)? {
            (Room::Written, uncommented) => return Ok(uncommented),
            (Room::Block(parent), uncommented) => (parent, uncommented),
        };
        let region = self.region(parent);
        let level = self
            .children(region, parent.map(|p| p.1))
            .first()
            .map(|k| k.1)
            .unwrap_or_else(|| parent.map_or(0, |p| p.1 + 2));
        if let Some(t) = self.template(region, level, key) {
            self.uncomment(t, level);
            // An empty value is a mapping to fill: it is there now, with the template's fields.
            if !scalar.is_empty() {
                self.set(path, scalar, order)?;
            }
            return Ok(Some(path.join(".")));
        }
        let before = keys_before(order, &parent_path.join("."), key);
        let at = self
            .children(region, parent.map(|p| p.1))
            .iter()
            .filter(|k| before.contains(&k.2.as_str()))
            .map(|k| self.block_end(k.0))
            .max()
            .unwrap_or(region.0);
        let text = if scalar.is_empty() {
            format!("{}{key}:", " ".repeat(level))
        } else {
            format!("{}{key}: {scalar}", " ".repeat(level))
        };
        self.lines.insert(at, text);
        Ok(uncommented)
    }

    /// The block a new key at `path` goes into, its parent made first when missing (returned
    /// too: the part uncommented for it). A parent written as a flow mapping takes the key as
    /// one more entry, and one holding a scalar such as `~` is emptied to hold a mapping.
    fn parent_block(
        &mut self,
        path: &[&str],
        scalar: &str,
        order: &[&str],
    ) -> Result<(Room, Option<String>), String> {
        let (parent_path, key) = path.split_at(path.len() - 1);
        if parent_path.is_empty() {
            return Ok((Room::Block(None), None));
        }
        let mut uncommented = None;
        let place = match self.find(parent_path) {
            Some(p) => p,
            None => {
                uncommented = self.insert(parent_path, "", order)?;
                // The uncommented part may have held the key already.
                if uncommented.is_some() && self.find(path).is_some() {
                    self.set(path, scalar, order)?;
                    return Ok((Room::Written, uncommented));
                }
                self.find(parent_path)
                    .ok_or_else(|| format!("没能写入 {}", parent_path.join(".")))?
            }
        };
        match place {
            Place::Line { line, indent } => {
                let (vs, ve) = self.span(line);
                let value = self.lines[line][vs..ve].to_string();
                if value.starts_with('{') {
                    self.insert_flow(line, vs, ve, key[0], scalar)?;
                    return Ok((Room::Written, uncommented));
                }
                if !value.is_empty() {
                    // `steps: ~` and the like: an empty value where a mapping goes.
                    self.replace_value(line, "");
                }
                Ok((Room::Block(Some((line, indent))), uncommented))
            }
            Place::Flow { .. } => Err(format!(
                "{} 写在一行花括号里，表单改不了，请用文本编辑器修改",
                parent_path.join(".")
            )),
        }
    }

    fn insert_flow(
        &mut self,
        line: usize,
        vs: usize,
        ve: usize,
        key: &str,
        scalar: &str,
    ) -> Result<(), String> {
        let entries = flow_entries(&self.lines[line], vs, ve)
            .ok_or_else(|| "花括号里的写法太特别，表单改不了，请用文本编辑器修改".to_string())?;
        let entry = format!("{key}: {scalar}");
        match entries.last() {
            Some(last) => self.lines[line].insert_str(last.entry.1, &format!(", {entry}")),
            None => self.lines[line].replace_range(vs..ve, &format!("{{{entry}}}")),
        }
        Ok(())
    }

    /// A commented-out `# key:` (as `qili new` writes steps not yet held) at `level` in `region`.
    fn template(&self, region: (usize, usize), level: usize, key: &str) -> Option<usize> {
        (region.0..region.1).find(|&i| {
            let l = &self.lines[i];
            l.len() > level
                && l[..level].bytes().all(|b| b == b' ')
                && l[level..]
                    .strip_prefix('#')
                    .map(|r| r.trim_start_matches(' '))
                    .and_then(|r| r.strip_prefix(key))
                    .is_some_and(|r| r.starts_with(':'))
        })
    }

    /// Uncomments the template at `line` and the commented lines under it.
    fn uncomment(&mut self, line: usize, level: usize) {
        let depth = |l: &str| {
            let r = &l[level + 1..];
            r.len() - r.trim_start_matches(' ').len()
        };
        let own = depth(&self.lines[line]);
        let mut end = line + 1;
        while end < self.lines.len() {
            let l = &self.lines[end];
            let commented = l.len() > level
                && l[..level].bytes().all(|b| b == b' ')
                && l.as_bytes()[level] == b'#';
            if !commented || depth(l) <= own {
                break;
            }
            end += 1;
        }
        for l in &mut self.lines[line..end] {
            let cut = if l.as_bytes().get(level + 1) == Some(&b' ') {
                2
            } else {
                1
            };
            l.replace_range(level..level + cut, "");
            // The comment after the value stays in its column.
            if let Some((_, _, start)) = key_line(l) {
                let (_, end) = value_span(l, start);
                if l[end..].trim_start().starts_with('#') {
                    l.insert_str(end, &" ".repeat(cut));
                }
            }
        }
    }

    /// Writes `scalar` over the value of a key line, keeping its comment (in its column where
    /// there is room) and dropping the continuation lines of a value that ran over several.
    fn replace_value(&mut self, line: usize, scalar: &str) {
        let l = self.lines[line].clone();
        let Some((indent, key, _)) = key_line(&l) else {
            return;
        };
        let (vs, ve) = self.span(line);
        let colon = indent + key.len() + 1;
        let (head, rest) = if ve > vs {
            (&l[..vs], &l[ve..])
        } else {
            (&l[..colon], &l[colon..])
        };
        let comment = rest.trim_start();
        let value = if scalar.is_empty() || ve > vs {
            scalar.to_string()
        } else {
            format!(" {scalar}")
        };
        let new = if comment.is_empty() {
            format!("{head}{value}")
        } else {
            let gap = rest.len() - comment.len();
            let gap = (gap + width(&l[vs..ve]))
                .saturating_sub(width(&value))
                .max(1);
            format!("{head}{value}{}{comment}", " ".repeat(gap))
        };
        self.lines[line] = new;
        let end = self.block_end(line);
        let mut j = line + 1;
        let mut left = end - line - 1;
        while left > 0 {
            let t = self.lines[j].trim_start();
            if t.is_empty() || t.starts_with('#') {
                j += 1;
            } else {
                self.lines.remove(j);
            }
            left -= 1;
        }
    }

    /// Takes the field at `path` out, and a mapping it leaves empty.
    pub fn remove(&mut self, path: &[&str]) {
        match self.find(path) {
            Some(Place::Line { line, .. }) => {
                let end = self.block_end(line);
                self.lines.drain(line..end);
            }
            Some(Place::Flow { line, entry, .. }) => {
                let l = &self.lines[line];
                let b = l.as_bytes();
                // The entry with the comma before it, or after it when it is the first.
                let mut s = entry.0;
                while s > 0 && b[s - 1] == b' ' {
                    s -= 1;
                }
                let (from, to) = if s > 0 && b[s - 1] == b',' {
                    (s - 1, entry.1)
                } else {
                    let mut e = entry.1;
                    if b.get(e) == Some(&b',') {
                        e += 1;
                        while b.get(e) == Some(&b' ') {
                            e += 1;
                        }
                    }
                    (entry.0, e)
                };
                self.lines[line].replace_range(from..to, "");
            }
            None => return,
        }
        if path.len() > 1 {
            let parent = &path[..path.len() - 1];
            if self.is_empty_mapping(parent) {
                self.remove(parent);
            }
        }
    }

    fn is_empty_mapping(&self, path: &[&str]) -> bool {
        let Some(Place::Line { line, .. }) = self.find(path) else {
            return false;
        };
        let (vs, ve) = self.span(line);
        let value = self.lines[line][vs..ve].trim();
        if value == "{}" {
            return true;
        }
        value.is_empty()
            && self.lines[line + 1..self.block_end(line)]
                .iter()
                .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    }

    /// The dotted path of every key line, by line index: to tell which field a finding at a
    /// line of the front matter is about.
    pub fn paths(&self) -> Vec<(usize, String)> {
        let mut stack: Vec<(usize, String)> = Vec::new();
        let mut out = Vec::new();
        for (i, l) in self.lines.iter().enumerate() {
            let Some((indent, key, _)) = key_line(l) else {
                continue;
            };
            while stack.last().is_some_and(|(ind, _)| *ind >= indent) {
                stack.pop();
            }
            stack.push((indent, key.to_string()));
            let path: Vec<&str> = stack.iter().map(|(_, k)| k.as_str()).collect();
            out.push((i, path.join(".")));
        }
        out
    }
}

/// The keys directly under `prefix` (a dotted path, empty for the top level) that the form's
/// `order` puts before `key`: a new key goes after the last of them already there.
fn keys_before<'o>(order: &[&'o str], prefix: &str, key: &str) -> Vec<&'o str> {
    order
        .iter()
        .filter_map(|p| {
            let rest = if prefix.is_empty() {
                Some(*p)
            } else {
                p.strip_prefix(prefix)?.strip_prefix('.')
            };
            rest.map(|r| r.split('.').next().unwrap_or(r))
        })
        .take_while(|k| *k != key)
        .collect()
}
