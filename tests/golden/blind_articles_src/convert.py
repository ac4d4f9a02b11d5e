#!/usr/bin/env python3
"""Convert blind-article markup to gold JSONL (the eval kit's format).

Input file format (one or more articles):

    === id: b5a-01
    dct: 2013-03-14
    <body text, any number of lines, with inline tags>
    <T type="DATE" value="2013-03-12">Tuesday</T> ...

Attributes: type (DATE|TIME|DURATION|SET), value (TIMEX3 value), optional note="...".
Usage: python convert.py IN.md OUT.jsonl   (prints counts and any problems; exits 1 on problems)
"""
import json
import re
import sys

TAG = re.compile(r'<T\s+([^>]*)>(.*?)</T>', re.S)
ATTR = re.compile(r'(\w+)="([^"]*)"')
VALUE = re.compile(
    r"^(?:\d{4}(?:-(?:\d{2}(?:-\d{2}(?:T(?:\d{2}(?::\d{2})?|MO|AF|EV|NI|DT))?)?|W\d{2}(?:-WE|-\d)?|Q[1-4]|H[12]|SP|SU|FA|WI|XX(?:-XX)?|WXX(?:-\d)?))?"
    r"|\d{1,3}X{0,2}|PRESENT_REF|PAST_REF|FUTURE_REF|XXXX(?:-[\w-]+)?|P[\dX.]+[YMWDLECQH]|P\d*[YMWD]?T[\dX.]+[HMS](?:\d+[MS])*"
    r"|P(?:\d+[YMWD])+(?:T(?:\d+[HMS])+)?|PX[YMWDLECQH]|PTX[HMS])$"
)


def convert(src: str):
    docs, problems = [], []
    for block in re.split(r"^=== ", src, flags=re.M):
        if not block.strip():
            continue
        lines = block.split("\n")
        m = re.match(r"id:\s*(\S+)", lines[0])
        d = re.match(r"dct:\s*(\d{4}-\d{2}-\d{2})\s*$", lines[1]) if len(lines) > 1 else None
        if not m or not d:
            problems.append(f"bad header: {lines[:2]!r}")
            continue
        body = "\n".join(lines[2:]).strip("\n")
        text, timexes, pos = [], [], 0
        out_len = 0
        for tm in TAG.finditer(body):
            pre = body[pos:tm.start()]
            text.append(pre)
            out_len += len(pre)
            attrs = dict(ATTR.findall(tm.group(1)))
            inner = tm.group(2)
            if "<" in inner:
                problems.append(f"{m.group(1)}: nested tag in {inner!r}")
            typ, val = attrs.get("type", ""), attrs.get("value", "")
            if typ not in ("DATE", "TIME", "DURATION", "SET"):
                problems.append(f"{m.group(1)}: bad type {typ!r} on {inner!r}")
            if not VALUE.match(val):
                problems.append(f"{m.group(1)}: bad value {val!r} on {inner!r}")
            tx = {"start": out_len, "end": out_len + len(inner), "text": inner, "type": typ, "value": val}
            if attrs.get("note"):
                tx["note"] = attrs["note"]
            timexes.append(tx)
            text.append(inner)
            out_len += len(inner)
            pos = tm.end()
        text.append(body[pos:])
        full = "".join(text)
        if "<T" in full or "</T>" in full:
            problems.append(f"{m.group(1)}: unparsed tag left in text")
        for tx in timexes:
            assert full[tx["start"]:tx["end"]] == tx["text"]
        docs.append({"id": m.group(1), "dct": d.group(1), "text": full, "timexes": timexes})
    return docs, problems


if __name__ == "__main__":
    docs, problems = convert(open(sys.argv[1], encoding="utf-8").read())
    with open(sys.argv[2], "w", encoding="utf-8") as fh:
        for doc in docs:
            fh.write(json.dumps(doc) + "\n")
    words = sum(len(d["text"].split()) for d in docs)
    print(f"{len(docs)} articles, {words} words, {sum(len(d['timexes']) for d in docs)} timexes")
    for p in problems:
        print("PROBLEM:", p)
    sys.exit(1 if problems else 0)
