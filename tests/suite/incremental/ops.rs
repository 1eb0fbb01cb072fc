//! The random operations: each changes the world (or says it cannot apply) and names itself
//! so a failing sequence can be read and replayed.

use super::random::{
    Lesson, Notice, Regulation, Rng, Stage, World, AUDIENCES, HEADINGS, NOTICE_DATES, VILLAGES,
};

/// A file renamed by an operation, which the test renames on disk as an editor would.
pub type Rename = Option<(String, String)>;

/// Applies one operation to `w`; `None` when it does not apply to this world (nothing to delete).
type Op = fn(&mut World, &mut Rng) -> Option<(String, Rename)>;

/// Operations with their weights: edits more often than creations, deletions and renames,
/// site.yaml (a full rebuild) rarely.
pub const OPS: &[(u32, Op)] = &[
    (6, lesson_body),
    (4, lesson_title),
    (4, lesson_audiences),
    (3, lesson_weight),
    (3, lesson_date),
    (2, lesson_village),
    (4, notice_date),
    (3, notice_title),
    (4, notice_stage),
    (2, notice_body),
    (3, regulation_body),
    (5, add_link),
    (3, remove_link),
    (3, add_heading),
    (3, remove_heading),
    (3, create_lesson),
    (2, create_notice),
    (2, create_regulation),
    (2, delete_lesson),
    (2, delete_notice),
    (2, delete_regulation),
    (3, rename_lesson),
    (2, rename_notice),
    (1, rename_regulation),
    (2, break_yaml),
    (2, break_date),
    (1, touch_site_yaml),
];

/// Picks and applies operations until one applies.
pub fn random(w: &mut World, rng: &mut Rng) -> (String, Rename) {
    let total: u32 = OPS.iter().map(|(weight, _)| weight).sum();
    loop {
        let mut roll = rng.below(total as usize) as u32;
        let op = OPS
            .iter()
            .find(|(weight, _)| {
                let hit = roll < *weight;
                roll = roll.saturating_sub(*weight);
                hit
            })
            .map(|(_, op)| op)
            .expect("a roll below the total weight");
        if let Some(done) = op(w, rng) {
            return done;
        }
    }
}

fn some_lesson<'a>(w: &'a mut World, rng: &mut Rng) -> Option<(String, &'a mut Lesson)> {
    let name = rng.key(&w.lessons)?;
    let lesson = w.lessons.get_mut(&name)?;
    Some((name, lesson))
}

fn some_notice<'a>(w: &'a mut World, rng: &mut Rng) -> Option<(String, &'a mut Notice)> {
    let name = rng.key(&w.notices)?;
    let notice = w.notices.get_mut(&name)?;
    Some((name, notice))
}

fn audiences(rng: &mut Rng) -> Vec<&'static str> {
    let picked: Vec<&'static str> = AUDIENCES.into_iter().filter(|_| rng.chance(50)).collect();
    if picked.is_empty() {
        vec![*rng.pick(&AUDIENCES)]
    } else {
        picked
    }
}

fn done(what: String) -> Option<(String, Rename)> {
    Some((what, None))
}

fn lesson_body(w: &mut World, rng: &mut Rng) -> Option<(String, Rename)> {
    let (name, l) = some_lesson(w, rng)?;
    l.rev += 1;
    done(format!("edit the body of lesson {name}"))
}

fn lesson_title(w: &mut World, rng: &mut Rng) -> Option<(String, Rename)> {
    let (name, l) = some_lesson(w, rng)?;
    l.title = format!("{}{}", rng.pick(&["新", "再谈", "说说", "细讲"]), l.title);
    l.title.truncate(
        l.title
            .char_indices()
            .nth(12)
            .map_or(l.title.len(), |(i, _)| i),
    );
    done(format!("retitle lesson {name} to {}", l.title))
}

fn lesson_audiences(w: &mut World, rng: &mut Rng) -> Option<(String, Rename)> {
    let (name, l) = some_lesson(w, rng)?;
    l.audiences = audiences(rng);
    done(format!(
        "set the audiences of lesson {name} to {:?}",
        l.audiences
    ))
}

fn lesson_weight(w: &mut World, rng: &mut Rng) -> Option<(String, Rename)> {
    let (name, l) = some_lesson(w, rng)?;
    l.weight = rng.chance(70).then(|| rng.below(5) as i32 + 1);
    done(format!("set the weight of lesson {name} to {:?}", l.weight))
}

fn lesson_date(w: &mut World, rng: &mut Rng) -> Option<(String, Rename)> {
    let (name, l) = some_lesson(w, rng)?;
    l.day = rng.below(28) as u32 + 1;
    done(format!("date lesson {name} 2026-03-{:02}", l.day))
}

fn lesson_village(w: &mut World, rng: &mut Rng) -> Option<(String, Rename)> {
    let (name, l) = some_lesson(w, rng)?;
    l.village = rng.chance(70).then(|| rng.below(VILLAGES.len()));
    let village = l.village.map(|v| VILLAGES[v].0);
    done(format!("set the village of lesson {name} to {village:?}"))
}

/// A 结果 only follows a 公示 that is over by its date (2026-04-11).
fn settle(n: &mut Notice) {
    if n.stage == Stage::Result && n.date > 2 {
        n.stage = Stage::Disclosed;
    }
}

fn notice_date(w: &mut World, rng: &mut Rng) -> Option<(String, Rename)> {
    let (name, n) = some_notice(w, rng)?;
    n.date = rng.below(NOTICE_DATES.len());
    settle(n);
    done(format!(
        "date notice {name} {} ({:?})",
        NOTICE_DATES[n.date].0, n.stage
    ))
}

fn notice_title(w: &mut World, rng: &mut Rng) -> Option<(String, Rename)> {
    let (name, n) = some_notice(w, rng)?;
    n.title = rng
        .pick(&["修路", "机井电费", "土地调整", "广场约定", "冷库租赁"])
        .to_string();
    done(format!("retitle notice {name} to {}", n.title))
}

fn notice_stage(w: &mut World, rng: &mut Rng) -> Option<(String, Rename)> {
    let (name, n) = some_notice(w, rng)?;
    n.stage = *rng.pick(&[Stage::Voting, Stage::Disclosed, Stage::Result]);
    settle(n);
    done(format!("move notice {name} to {:?}", n.stage))
}

fn notice_body(w: &mut World, rng: &mut Rng) -> Option<(String, Rename)> {
    let (name, n) = some_notice(w, rng)?;
    n.rev += 1;
    done(format!("edit the text of notice {name}"))
}

fn regulation_body(w: &mut World, rng: &mut Rng) -> Option<(String, Rename)> {
    let name = rng.key(&w.regulations)?;
    w.regulations.get_mut(&name)?.rev += 1;
    done(format!("edit an article of regulation {name}"))
}

fn add_link(w: &mut World, rng: &mut Rng) -> Option<(String, Rename)> {
    let from = rng.key(&w.lessons)?;
    let to = rng.key(&w.lessons)?;
    if from == to {
        return None;
    }
    let target = &w.lessons[&to];
    let heading = match target.headings.is_empty() || rng.chance(25) {
        true => None,
        false => Some(*rng.pick(&target.headings)),
    };
    w.lessons.get_mut(&from)?.links.push((to.clone(), heading));
    done(format!("link lesson {from} to {to}#{heading:?}"))
}

fn remove_link(w: &mut World, rng: &mut Rng) -> Option<(String, Rename)> {
    let (name, l) = some_lesson(w, rng)?;
    if l.links.is_empty() {
        return None;
    }
    let (to, heading) = l.links.remove(rng.below(l.links.len()));
    done(format!("unlink lesson {name} from {to}#{heading:?}"))
}

fn add_heading(w: &mut World, rng: &mut Rng) -> Option<(String, Rename)> {
    let (name, l) = some_lesson(w, rng)?;
    let h = *rng.pick(&HEADINGS);
    if l.headings.contains(&h) {
        return None;
    }
    l.headings.push(h);
    done(format!("add heading {h} to lesson {name}"))
}

/// May remove a heading another lesson links to: a broken anchor, which the next step undoes.
fn remove_heading(w: &mut World, rng: &mut Rng) -> Option<(String, Rename)> {
    let (name, l) = some_lesson(w, rng)?;
    if l.headings.is_empty() {
        return None;
    }
    let h = l.headings.remove(rng.below(l.headings.len()));
    done(format!("remove heading {h} from lesson {name}"))
}

fn create_lesson(w: &mut World, rng: &mut Rng) -> Option<(String, Rename)> {
    let name = w.new_name("ke");
    let mut links = Vec::new();
    if let Some(to) = rng.key(&w.lessons) {
        let heading = w.lessons[&to].headings.first().copied();
        links.push((to, heading));
    }
    let lesson = Lesson {
        title: format!("第{}课", w.born),
        audiences: audiences(rng),
        weight: None,
        village: None,
        day: rng.below(28) as u32 + 1,
        headings: vec![*rng.pick(&HEADINGS)],
        links,
        rev: 0,
    };
    let what = format!("create lesson {name} for {:?}", lesson.audiences);
    w.lessons.insert(name, lesson);
    done(what)
}

fn create_notice(w: &mut World, rng: &mut Rng) -> Option<(String, Rename)> {
    let village = rng.below(VILLAGES.len());
    let name = w.new_name(VILLAGES[village].0);
    let mut notice = Notice {
        village,
        title: "新事项".into(),
        date: rng.below(NOTICE_DATES.len()),
        stage: *rng.pick(&[Stage::Voting, Stage::Disclosed, Stage::Result]),
        rev: 0,
    };
    settle(&mut notice);
    let what = format!("create notice {name} ({:?})", notice.stage);
    w.notices.insert(name, notice);
    done(what)
}

fn create_regulation(w: &mut World, rng: &mut Rng) -> Option<(String, Rename)> {
    let village = *rng.pick(&[0, 0, 1, 2]);
    let year = *rng.pick(&[2016, 2019, 2020, 2022, 2024, 2025]);
    let taken = w
        .regulations
        .values()
        .any(|r| r.village == village && r.year == year);
    if taken {
        return None;
    }
    let name = format!("{}-{year}", VILLAGES[village].0);
    if w.regulations.contains_key(&name) {
        return None;
    }
    w.regulations.insert(
        name.clone(),
        Regulation {
            village,
            year,
            rev: 0,
        },
    );
    done(format!("create regulation version {name}"))
}

/// Deleting a lesson others link to breaks their links (an error the next step undoes), so
/// it is chosen less often.
fn delete_lesson(w: &mut World, rng: &mut Rng) -> Option<(String, Rename)> {
    let name = rng.key(&w.lessons)?;
    if !w.linked_from(&name).is_empty() && rng.chance(70) {
        return None;
    }
    w.lessons.remove(&name);
    done(format!("delete lesson {name}"))
}

fn delete_notice(w: &mut World, rng: &mut Rng) -> Option<(String, Rename)> {
    let name = rng.key(&w.notices)?;
    w.notices.remove(&name);
    done(format!("delete notice {name}"))
}

fn delete_regulation(w: &mut World, rng: &mut Rng) -> Option<(String, Rename)> {
    let name = rng.key(&w.regulations)?;
    w.regulations.remove(&name);
    done(format!("delete regulation {name}"))
}

/// Renames a lesson and, as an author would, the links to it in the same save.
fn rename_lesson(w: &mut World, rng: &mut Rng) -> Option<(String, Rename)> {
    let old = rng.key(&w.lessons)?;
    let new = w.new_name("ke");
    let lesson = w.lessons.remove(&old)?;
    w.lessons.insert(new.clone(), lesson);
    for l in w.lessons.values_mut() {
        for (target, _) in &mut l.links {
            if *target == old {
                *target = new.clone();
            }
        }
    }
    let what = format!("rename lesson {old} to {new}");
    Some((
        what,
        Some((
            format!("content/lessons/{old}.md"),
            format!("content/lessons/{new}.md"),
        )),
    ))
}

fn rename_notice(w: &mut World, rng: &mut Rng) -> Option<(String, Rename)> {
    let old = rng.key(&w.notices)?;
    let notice = w.notices.remove(&old)?;
    let new = w.new_name(VILLAGES[notice.village].0);
    w.notices.insert(new.clone(), notice);
    Some((
        format!("rename notice {old} to {new}"),
        Some((
            format!("content/notices/{old}.md"),
            format!("content/notices/{new}.md"),
        )),
    ))
}

fn rename_regulation(w: &mut World, rng: &mut Rng) -> Option<(String, Rename)> {
    let old = rng.key(&w.regulations)?;
    let new = format!("{old}-ban");
    if old.ends_with("-ban") {
        return None;
    }
    let regulation = w.regulations.remove(&old)?;
    w.regulations.insert(new.clone(), regulation);
    Some((
        format!("rename regulation {old} to {new}"),
        Some((
            format!("content/regulations/{old}.md"),
            format!("content/regulations/{new}.md"),
        )),
    ))
}

/// Any source, by its path.
fn some_source(w: &World, rng: &mut Rng) -> Option<String> {
    let paths: Vec<String> = w
        .files()
        .into_keys()
        .filter(|p| p.starts_with("content/"))
        .collect();
    (!paths.is_empty()).then(|| rng.pick(&paths).clone())
}

fn break_yaml(w: &mut World, rng: &mut Rng) -> Option<(String, Rename)> {
    let path = some_source(w, rng)?;
    w.broken
        .insert(path.clone(), b"---\ntitle: [\n---\n".to_vec());
    done(format!("break the YAML of {path}"))
}

fn break_date(w: &mut World, rng: &mut Rng) -> Option<(String, Rename)> {
    let path = some_source(w, rng)?;
    let text = String::from_utf8(w.files().remove(&path)?).ok()?;
    let bad = text.replacen("date: 2026-0", "date: 2026-02-30 #", 1);
    if bad == text {
        return None;
    }
    w.broken.insert(path.clone(), bad.into_bytes());
    done(format!("give {path} the date 2026-02-30"))
}

fn touch_site_yaml(w: &mut World, _: &mut Rng) -> Option<(String, Rename)> {
    w.site_rev += 1;
    done("edit site.yaml".to_string())
}
