"""The documentation is self-contained: every docs/... path cited in the sources, tests, inputs,
scripts and docs exists, with its #anchor a heading of that page; every relative link of a
Markdown page resolves; no file cites the developers' models reference, which is not in the repository."""
import os
import re
import subprocess

import ndtest

ROOT = ndtest.ROOT
# a path in the repository's docs/, as written in comments and text: docs/models/mpr.md#the-qif-network
CITED = re.compile(r"(?<![\w/.])docs/[\w./-]*\w(?:#[\w-]+)?")
LINK = re.compile(r"\]\(([^)\s]+)\)")


def tracked_files():
    out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [f for f in out.split() if not f.endswith((".png", ".h5", ".bin", ".pdf"))]


def anchors(page):
    """GitHub's anchors of a Markdown page's headings: lower case, punctuation dropped, spaces to -"""
    out = set()
    for line in open(page, encoding="utf-8"):
        m = re.match(r"#+\s+(.*)", line)
        if m:
            out.add(re.sub(r"[^\w\- ]", "", m.group(1).strip().lower()).replace(" ", "-"))
    return out


def check_target(path, anchor, where, bad):
    if not os.path.exists(path):
        bad.append(f"{where}: {os.path.relpath(path, ROOT)} does not exist")
    elif anchor and path.endswith(".md") and anchor not in anchors(path):
        bad.append(f"{where}: no heading #{anchor} in {os.path.relpath(path, ROOT)}")


def test_cited_docs_exist():
    """every docs/... path (and #anchor) cited anywhere in the tracked text files exists"""
    bad, count = [], 0
    for f in tracked_files():
        text = open(os.path.join(ROOT, f), encoding="utf-8", errors="replace").read()
        for m in CITED.finditer(text):
            target, _, anchor = m.group(0).partition("#")
            if "<" in target or "*" in target:
                continue
            count += 1
            check_target(os.path.join(ROOT, target.rstrip(".")), anchor, f"{f}:{text.count(chr(10), 0, m.start()) + 1}", bad)
    assert count > 80, f"only {count} citations of docs/ found: is the pattern broken?"
    assert not bad, "\n".join(bad)


def test_markdown_links_resolve():
    """every relative link of a Markdown file (docs/, README.md, INSTALL) points to an existing file/heading"""
    bad = []
    for f in tracked_files():
        if not f.endswith(".md"):
            continue
        text = open(os.path.join(ROOT, f), encoding="utf-8").read()
        for m in LINK.finditer(text):
            url = m.group(1)
            if re.match(r"[a-z]+:", url):
                continue
            target, _, anchor = url.partition("#")
            path = os.path.normpath(os.path.join(ROOT, os.path.dirname(f), target)) if target else os.path.join(ROOT, f)
            check_target(path, anchor, f"{f}:{text.count(chr(10), 0, m.start()) + 1}", bad)
    assert not bad, "\n".join(bad)


def test_no_external_models_reference():
    """no file names the developers' models reference (not part of the repository)"""
    name = "MODELS" + ".md"  # spelled so that this file does not match itself
    hits = [f for f in tracked_files() if name in open(os.path.join(ROOT, f), encoding="utf-8", errors="replace").read()]
    assert not hits, f"{name} cited in: {', '.join(hits)}"
