#!/usr/bin/env python3
"""Turns a `gen_corpus.py --flavor plain` corpus into a qili site with the same bodies.

Lessons keep their fields; each regulation article page becomes one version of its village's
regulation; each notice gets qili's 四议两公开 fields from the corpus' stage dates, with counts
that pass the checks. Links `/lessons/x/` etc. become qili's `@/lessons/x.md`.

    python3 tests/bench/adapt_corpus.py /tmp/corpus-10k /tmp/qili-10k
"""
import datetime as dt
import json
import os
import re
import shutil
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def split(text):
    _, fm, body = text.split("---\n", 2)
    return fm, body


def field(fm, key):
    m = re.search(r"^%s: (.*)$" % key, fm, re.M)
    return m.group(1).strip() if m else None


def unquote(v):
    return json.loads(v) if v and v.startswith('"') else v


def stage_dates(fm):
    return dict(re.findall(r'- name: "([^"]+)"\n    date: "([0-9-]+)"', fm))


LINK = re.compile(r"\]\(/(lessons|notices|regulations)/([a-z0-9-]+)/\)")


def body_links(body):
    return LINK.sub(lambda m: "](@/%s/%s.md)" % (m.group(1), m.group(2)), body)


def yq(s):
    return json.dumps(s, ensure_ascii=False)


def lesson(fm, body):
    keep = [l for l in fm.splitlines() if l.split(":")[0] in ("title", "date", "audiences", "tags", "summary")]
    return "---\n%s\n---\n%s" % ("\n".join(keep), body_links(body))


def regulation(fm, body, slug):
    date = dt.date.fromisoformat(field(fm, "date"))
    d = lambda n: (date + dt.timedelta(days=n)).isoformat()
    return """---
title: {title}
village: {village}
version: "{version}"
summary: {summary}
history:
  solicit: {{date: {d0}}}
  draft: {{date: {d1}}}
  review: {{date: {d2}, body: 七里镇党委、政府}}
  vote: {{date: {d3}, meeting: 村民会议, expected: 800, present: 500, for: 480, against: 10, abstain: 10}}
  filing: {{date: {d4}, body: 七里镇人民政府}}
---
{body}""".format(title=field(fm, "title"), village=unquote(field(fm, "village_slug")),
                 version=slug.replace("reg-", "v-"), summary=field(fm, "summary"),
                 d0=d(-60), d1=d(-40), d2=d(-30), d3=d(-20), d4=d(-10), body=body_links(body))


def notice(fm, body):
    st = stage_dates(fm)
    village = unquote(field(fm, "village_slug"))
    community = village == "xinhua"
    meeting = "居民会议" if community else "村民代表会议"
    res = st.get("村民会议或村民代表会议决议")
    out = ["---", "title: " + field(fm, "title"), "village: " + village, "date: " + field(fm, "date"),
           "summary: " + field(fm, "summary"), "matter: " + yq(unquote(field(fm, "project"))),
           "kind: " + ("社区事项" if community else "其他村民利益事项"), "initiated_by: 村干部提议", "steps:"]
    if "村党组织提议" in st:
        out += ["  proposal: {date: %s}" % st["村党组织提议"]]
    if "村“两委”会议商议" in st:
        out += ["  deliberation: {date: %s, expected: 7, present: 7, for: 7}" % st["村“两委”会议商议"]]
    if "党员大会审议" in st:
        out += ["  party_review: {date: %s, expected: 40, present: 35, for: 33}" % st["党员大会审议"]]
    if res:
        if community:
            out += ["  resolution: {meeting: 居民会议, date: %s, expected: 900, present: 600, for: 560}" % res]
        else:
            out += ["  resolution: {meeting: %s, date: %s, expected: 40, present: 35, for: 33}" % (meeting, res)]
    if "决议公开" in st:
        start = dt.date.fromisoformat(st["决议公开"])
        out += ["disclosure: {from: %s, to: %s}" % (start, start + dt.timedelta(days=7))]
        if "实施结果公开" in st:
            r = max(dt.date.fromisoformat(st["实施结果公开"]), start + dt.timedelta(days=8))
            out += ["result: {date: %s, content: 已按决议实施}" % r]
    last = max([dt.date.fromisoformat(x) for x in st.values()] + [dt.date.fromisoformat(field(fm, "date"))])
    out += ["signature: {body: %s, date: %s}" % (unquote(field(fm, "village")), last), "---"]
    return "\n".join(out) + "\n" + body_links(body)


def main(src, dst):
    if os.path.exists(dst):
        shutil.rmtree(dst)
    shutil.copytree(os.path.join(REPO, "themes"), os.path.join(dst, "themes"))
    shutil.copy(os.path.join(REPO, "site.yaml"), os.path.join(dst, "site.yaml"))
    n = 0
    for section in ("lessons", "regulations", "notices"):
        os.makedirs(os.path.join(dst, "content", section))
        for name in sorted(os.listdir(os.path.join(src, "content", section))):
            fm, body = split(open(os.path.join(src, "content", section, name), encoding="utf-8").read())
            slug = name[:-3]
            text = {"lessons": lambda: lesson(fm, body),
                    "regulations": lambda: regulation(fm, body, slug),
                    "notices": lambda: notice(fm, body)}[section]()
            open(os.path.join(dst, "content", section, name), "w", encoding="utf-8").write(text)
            n += 1
    print("qili site: %s (%d sources)" % (dst, n))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
