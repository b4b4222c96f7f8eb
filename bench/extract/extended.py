#!/usr/bin/env python3
"""Write the project's own extension of the golden phone table: forms that Vigil learned to
read after the design doc's table (§2, §3) was written, as JSONL inputs (`id`, `text`) and
truth (`id`, `phones`). All numbers are fictional (NPA-555-01xx, UK 020 7946 0xxx, Mexico
55 1234 5678).

These rows were written by the project for forms it handles, so Vigil's score on them shows
regressions, not independent quality; the peer's score shows how it does on the same forms.
The same rows, with the obfuscated flag, are `EXTENSION` in crates/vigil-ident/tests/it/golden.rs.

usage: extended.py INPUTS.jsonl TRUTH.jsonl"""
import json
import sys

A = "+14805550142"
UK = "+442079460018"
MX = "+525512345678"
POS = [
    # repeat words inside a number
    ("E01", "480 double five 5 0142", [A]),
    ("E02", "call 480 triple five 0142", [A]),
    ("E03", "four eight oh double five five zero one four two", [A]),
    # international prefixes and calling codes written without `+`
    ("E04", "call 0044 20 7946 0018", [UK]),
    ("E05", "uk girl 44 20 7946 0018", [UK]),
    ("E06", "whatsapp 52 55 1234 5678", [MX]),
    ("E07", "+44 (0)20 7946 0018", [UK]),
    ("E08", "44 480 555 0142", [A]),
    # phones next to prices, keywords and signs
    ("E09", "qv 480 555 0142", [A]),
    ("E10", "roses 480-555-0142", [A]),
    ("E11", "480 555 0142 hh", [A]),
    ("E12", "$480-555-0142 call now", [A]),
    ("E13", "cash only $$$ 480 555 0142", [A]),
    ("E14", "$4805550142", [A]),
    ("E15", "qv 150 480 555 0142", [A]),
    ("E16", "hh $480.555.0142", [A]),
    # invisible control bytes between the groups
    ("E17", "480\x1e555\x1e0142", [A]),
    ("E18", "480\u200b555\u200b0142", [A]),
    # words for hundreds: `hundred` after a unit, Spanish words that hold their unit
    ("E19", "four hundred eighty, five five five zero one four two", [A]),
    ("E20", "call four hundred and eighty, 555-0142", [A]),
    ("E21", "cuatrocientos ochenta, cinco cinco cinco cero uno cuatro dos", [A]),
    # two digits from words before `hundred`; a feminine Spanish word for hundreds
    ("E22", "forty eight hundred five, fifty five, zero one four two", [A]),
    ("E23", "cuatrocientas ochenta, cinco cinco cinco cero uno cuatro dos", [A]),
    # a lone number before a number in single digits, after a clause mark (read from it, the
    # first nine digits would make a valid number: an area code ending in 2-9, so not A)
    ("E24", "open till nine. seven oh two five five five oh one four three", ["+17025550143"]),
    # a price keyword before a phone whose rest is partly in words
    ("E25", "roses 480 five five five zero one four two", [A]),
]
NEG = [
    ("NE01", "$250 555 0142"),
    ("NE02", "double session 200, triple the fun"),
    ("NE03", "double 5 star hotel 24/7"),
    ("NE04", "qv 100-150 hh 150/200"),
    ("NE05", "order 00442079460018"),
    ("NE06", "EUR 150 half hour, 1.500€ overnight"),
    ("NE07", "a hundred roses, two hundred for the hour"),
]

with open(sys.argv[1], "w", encoding="utf-8") as inp, open(sys.argv[2], "w", encoding="utf-8") as tr:
    for i, t, p in POS + [(i, t, []) for i, t in NEG]:
        inp.write(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n")
        tr.write(json.dumps({"id": i, "phones": p}) + "\n")
