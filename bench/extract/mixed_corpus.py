#!/usr/bin/env python3
"""Differential corpus for `vigil extract`: seeded random texts built from the vocabulary every
extractor reacts to (digit runs, number words and their typos, Unicode digit forms, price, age,
date and ID keywords, handle cues and profile links, written-out e-mails, wallets, prose,
emoji, accents) joined by the separators the patterns care about.

It has no ground truth. Its use is to compare two builds: a change that must not alter output
is run on this corpus by the old and the new binary and the outputs are compared byte for byte
(`cmp`), which covers far more pattern interactions than the synthetic ad feed does.

usage: mixed_corpus.py OUT.jsonl [--count N] [--seed S]"""
import json
import random
import sys

DIGIT_FORMS = [
    "０１２３４５６７８９",  # fullwidth
    "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗",  # mathematical bold
    "⓪①②③④⑤⑥⑦⑧⑨",  # circled
    "⓿❶❷❸❹❺❻❼❽❾",  # negative circled
    "٠١٢٣٤٥٦٧٨٩",  # Arabic-Indic
    "०१२३४५६७८९",  # Devanagari
]
WORDS_EN = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
            "ten", "eleven", "twelve", "fifteen", "nineteen", "twenty", "forty", "fifty",
            "ninety", "oh", "o", "for", "to", "too", "won", "ate", "tree", "fore"]
WORDS_ES = ["cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho",
            "nueve", "once", "doce", "veinte", "veintidos", "treinta", "cincuenta", "y"]
LEET = ["zer0", "0ne", "thr33", "f0ur", "f1ve", "s1x", "s3v3n", "31ght", "n1n3", "tw0"]
TYPOS = ["fiev", "sevn", "eigth", "nien", "thre", "foru", "siiete", "seite", "ceor"]
LOOK = ["O", "o", "l", "I", "i", "|", "||"]
STRIP_WORDS = ["hr", "hh", "hhr", "hrs", "hour", "hours", "h", "qv", "qk", "qq", "ss", "min",
               "mins", "minutes", "overnight", "ovn", "rose", "roses", "donation", "donations",
               "usd", "dollars", "bucks", "per", "half", "i'm", "im", "i am", "age", "aged",
               "yo", "y/o", "y.o.", "yrs", "yr", "years", "old", "lbs", "lb", "kg", "cm", "mm",
               "inches", "in", "ft", "feet", "stars", "id", "ref", "order", "case", "zip",
               "room", "rm", "apt", "suite", "ste", "unit", "invoice", "ticket", "listing",
               "post", "no.", "am", "pm", "a.m.", "p.m.", "24/7", "%", "#", "$", "+"]
CUES = ["ig", "IG", "insta", "instagram", "snap", "snapchat", "sc", "kik", "twitter", "x",
        "X", "tg", "telegram", "of", "OF", "onlyfans", "fansly", "tiktok", "cash app",
        "cashapp", "CashApp", "venmo", "Venmo", "paypal"]
LINKS = ["instagram.com/", "instagr.am/", "onlyfans.com/", "fansly.com/", "twitter.com/",
         "x.com/", "t.me/", "t.me/+", "telegram.me/", "snapchat.com/add/", "tiktok.com/@",
         "paypal.me/", "paypal.com/paypalme/", "venmo.com/u/", "venmo.com/", "cash.app/$",
         "wa.me/", "https://", "http://", "www.", "tel:", "sms:", "https://wa.me/",
         "api.whatsapp.com/send?phone=", "board.example/"]
EMAIL = ["@", " @ ", "at", " at ", "[at]", "(at)", "{at}", "<at>", " [ at ] ", "dot", " dot ",
         "[dot]", "(dot)", ".", " . ", "gmail", "example", "proton", "com", "org", "net", "co",
         "uk", "io", "notatld", "mail"]
WALLETS = ["1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
           "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
           "0x52908400098527886E0F7030069857D2E4169EE7",
           "0x52908400098527886e0f7030069857d2e4169ee7",
           "0x52908400098527886E0F7030069857D2E4169EE8", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3"]
PROSE = ["hey", "guys", "sweet", "girl", "new", "in", "town", "call", "text", "txt", "me",
         "now", "only", "real", "pics", "incall", "outcall", "the", "of", "to", "at", "for",
         "and", "one", "someone", "often", "tonight", "available", "Jane", "Nikki", "café",
         "niña", "straße", "ÉLAN", "naïve", "ok", "yes", "no", "a", "an", "is", "on", "fun",
         "seventy", "hotel", "room", "contact", "whatsapp", "email", "mail", "cash", "app",
         "handle", "jane_doe22", "sweet.jane", "JaneDoe", "jane-doe", "snapname"]
EMOJI = ["💯", "🔥", "👑", "😘", "🔟", "\u20e3", "\ufe0f", "1\ufe0f\u20e3", "4\u20e3", "🍑",
         "\u200b", "\u00a0", "\u2019", "\u201c", "\u2033", "Ⅳ", "ﬁ", "№", "½", "²"]
SEPS = [" "] * 12 + ["-", ".", "/", "(", ")", "+", "~", "*", ":", "'", '"', ",", "_", "=",
                     "=>", " - ", ". ", ", ", "\n", "\t", "  ", "", "", ""]


def digits(rng):
    n = rng.choice([1, 1, 2, 2, 3, 3, 3, 4, 4, 4, 5, 6, 7, 8, 10, 10, 11, 12, 13, 16, 20, 22])
    s = "".join(rng.choice("0123456789") for _ in range(n))
    if n >= 10 and rng.random() < 0.5:
        # Plausible NANP numbers in the fictional 555-01XX range.
        s = rng.choice(["480", "702", "213", "336", "502", "201", "917"]) + "5550" + \
            "".join(rng.choice("0123456789") for _ in range(3)) + s[10:]
    return s


def unicode_digits(rng, s):
    form = rng.choice(DIGIT_FORMS)
    return "".join(form[int(c)] if rng.random() < 0.8 else c for c in s)


def token(rng):
    r = rng.random()
    if r < 0.22:
        s = digits(rng)
        return unicode_digits(rng, s) if rng.random() < 0.1 else s
    if r < 0.32:
        return rng.choice(WORDS_EN + WORDS_ES)
    if r < 0.36:
        return rng.choice(LEET + TYPOS + LOOK)
    if r < 0.50:
        return rng.choice(STRIP_WORDS)
    if r < 0.56:
        return rng.choice(CUES)
    if r < 0.61:
        return rng.choice(LINKS) + rng.choice(PROSE + ["", "+14805550142", "jane_22"])
    if r < 0.68:
        return rng.choice(EMAIL)
    if r < 0.69:
        return rng.choice(WALLETS)
    if r < 0.93:
        w = rng.choice(PROSE)
        return w.upper() if rng.random() < 0.1 else w
    return rng.choice(EMOJI)


def phrase(rng):
    """A composed form: an e-mail, a phone in some notation, a price, an age, a date or time,
    a measurement or a card-like run, so that every pattern family fires often."""
    r = rng.random()
    sep = lambda: rng.choice(SEPS)
    if r < 0.2:
        local = rng.choice(["jane", "Jane.Doe", "j_d22", "x", "a.b", "jane..doe", ".jane",
                            "lily.synth277", "n1ck+ads", "-j"])
        at = rng.choice(EMAIL[:9])
        dom = rng.choice(["gmail", "example", "proton", "mail-box", "-bad", "a", "sub.example"])
        dots = [rng.choice(EMAIL[9:15]) for _ in range(rng.randint(1, 3))]
        tlds = [rng.choice(["com", "org", "co", "uk", "io", "notatld", "net", "Com"])
                for _ in dots]
        return local + at + dom + "".join(d + t for d, t in zip(dots, tlds))
    if r < 0.45:
        groups = [digits(rng)[:3].rjust(3, "5"), "555", "01" + digits(rng)[:2].rjust(2, "4")]
        if rng.random() < 0.3:
            groups = ["1"] + groups
        out = []
        for g in groups:
            if rng.random() < 0.2:
                g = " ".join(rng.choice([WORDS_EN[int(c)], WORDS_ES[int(c)], c]) for c in g)
            elif rng.random() < 0.1:
                g = unicode_digits(rng, g)
            out.append(g)
        return rng.choice(["", "(", "+", "call ", "tel:", "wa.me/"]) + \
            rng.choice([" ", "-", ".", ") ", "~", " * ", "", "/"]).join(out)
    if r < 0.6:
        amount = str(rng.choice([10, 20, 60, 80, 100, 120, 150, 200, 250, 300, 1500, 5000, 9999]))
        unit = rng.choice(STRIP_WORDS[:22])
        return rng.choice(["$" + amount + sep() + unit, amount + sep() + unit,
                           unit + sep() + amount, "$" + amount, unit + ":" + "$" + amount])
    if r < 0.72:
        age = str(rng.choice([12, 16, 17, 18, 19, 21, 25, 34, 45, 99]))
        return rng.choice(["i'm " + age, "im " + age, "I am " + age, "age: " + age,
                           "aged " + age, age + " yo", age + "y/o", age + " yrs old",
                           age + " years old", age + "+", " - " + age])
    if r < 0.84:
        return rng.choice(["12/25/2023", "2024-01-05", "20240105", "01052024", "10:30pm",
                           "9 pm", "11a.m.", "23:59", "34-24-36", "36dd-24-36", "5'6", '5\'6"',
                           "5 ft 6 in", "6 feet 1", "120lbs", "55 kg", "24/7", "100%",
                           "#4805550142", "order #12345", "room 412", "zip: 90210",
                           "listing 4805550142"])
    return rng.choice(["4111 1111 1111 1111", "4111-1111-1111-1112", "378282246310005",
                       "3782 822463 10005", "4111111111111111", "5555555555554444"])


def text(rng):
    n = rng.randint(1, 60)
    parts = []
    for _ in range(n):
        parts.append(phrase(rng) if rng.random() < 0.15 else token(rng))
        parts.append(rng.choice(SEPS))
    return "".join(parts)


def main():
    out = sys.argv[1]
    count = int(sys.argv[sys.argv.index("--count") + 1]) if "--count" in sys.argv else 200000
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 1
    rng = random.Random(seed)
    with open(out, "w", encoding="utf-8") as f:
        for i in range(count):
            f.write(json.dumps({"id": i, "text": text(rng)}, ensure_ascii=rng.random() < 0.5))
            f.write("\n")


if __name__ == "__main__":
    main()
