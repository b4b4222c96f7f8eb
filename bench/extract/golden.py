#!/usr/bin/env python3
"""Write the design doc's golden phone table (§2 P01–P57, §3 N01–N21) as JSONL inputs
(`id`, `text`) and truth (`id`, `phones`). All numbers are fictional (NPA-555-01xx).

usage: golden.py INPUTS.jsonl TRUTH.jsonl"""
import json
import sys

A, B, C, D = "+14805550142", "+12125550199", "+12015550123", "+16025550117"
K = "\ufe0f\u20e3"
POS = [
    ("P01", "480-555-0142", [A]), ("P02", "(212) 555-0199", [B]), ("P03", "201.555.0123", [C]),
    ("P04", "6025550117", [D]), ("P05", "+1 (480) 555-0142", [A]), ("P06", "1.212.555.0199", [B]),
    ("P07", "480/555/0142", [A]), ("P08", "480*555*0142", [A]), ("P09", "480_555_0142", [A]),
    ("P10", "4-8-0 ~ 5-5-5 ~ 0-1-4-2", [A]), ("P11", "2 1 2 5 5 5 0 1 9 9", [B]),
    ("P12", "four eight zero five five five zero one four two", [A]),
    ("P13", "480 555 oh one four two", [A]), ("P14", "480 five5five 01four2", [A]),
    ("P15", "call me at 480.555.0one42", [A]), ("P16", "Four8Zero.FiveFiveFive.ZeroOneFourTwo", [A]),
    ("P17", "four8zero 555 zer0 1 f0ur 2", [A]), ("P18", "tw0 0ne tw0 555 zer0 0ne n1ne n1ne", [B]),
    ("P19", "for80 555 zero1for2", [A]), ("P20", "to01 five5five 01to3", [C]),
    ("P21", "four eighty, five fifty-five, zero one forty-two", [A]),
    ("P22", "two twelve five five five zero one ninety-nine", [B]),
    ("P23", "cuatro ocho cero cinco cinco cinco cero uno cuatro dos", [A]),
    ("P24", "dos doce, cinco cincuenta y cinco, cero uno noventa y nueve", [B]),
    ("P25", "48O-555-O142", [A]), ("P26", "480 555 0l42", [A]), ("P27", "2l2.555.0I99", [B]),
    ("P28", "480 555 0|42", [A]), ("P29", "Lola 212 555 0199", [B]),
    ("P30", "".join(d + K for d in "4805550142"), [A]),
    ("P31", "4\u20e38\u20e30\u20e3 555 0142", [A]),
    ("P32", "２１２－５５５－０１９９", [B]), ("P33", "𝟒𝟖𝟎 𝟓𝟓𝟓 𝟎𝟏𝟒𝟐", [A]), ("P34", "𝟚𝟘𝟙 𝟝𝟝𝟝 𝟘𝟙𝟚𝟛", [C]),
    ("P35", "𝟼𝟶𝟸 𝟻𝟻𝟻 𝟶𝟷𝟷𝟽", [D]), ("P36", "④⑧⓪ ⑤⑤⑤ ⓪①④②", [A]), ("P37", "⁴⁸⁰₅₅₅⁰¹⁴²", [A]),
    ("P38", "❹❽⓿ ❺❺❺ ⓿❶❹❷", [A]), ("P39", "➁➀➁ 555 0199", [B]), ("P40", "٤٨٠٥٥٥٠١٤٢", [A]),
    ("P41", "۲۱۲۵۵۵۰۱۹۹", [B]), ("P42", "२०१५५५०१२३", [C]), ("P43", "๔๘๐๕๕๕๐๑๔๒", [A]),
    ("P44", "480 555 0🔟0", ["+14805550100"]), ("P45", "wa.me/14805550142", [A]),
    ("P46", "tel:+1-212-555-0199", [B]), ("P47", "sms:+12015550123", [C]),
    ("P48", "https://t.me/+14805550142", [A]), ("P49", "https://example.com/ad/480-555-0142/new", [A]),
    ("P50", "480 (text only) 555 0142", [A]), ("P51", "212 txt me 555 0199", [B]),
    ("P52", "2 nights only, 480 555 0142", [A]), ("P53", "4805550142 4805550142", [A]),
    ("P54", "48055501424805550142", [A]), ("P55", "480-555-0142/212-555-0199", [A, B]),
    ("P56", "𝟒8０ five⑤5 zer0 l ４ two", [A]), ("P57", "480.555.0142 $150hh 34-24-36", [A]),
]
NEG = [
    ("N01", "34-24-36 5'6 120lbs"), ("N02", "36DD-24-36"), ("N03", "$150hh $250h"),
    ("N04", "qv 80 hh 120 h 200"), ("N05", "available 24/7 100% real 22 yrs"),
    ("N06", "12/25/2023 10:30pm"), ("N07", "2023-12-25 10:30 pm"), ("N08", "20231225"),
    ("N09", "ID# 1954023 zip 85004"), ("N10", "order #4805550142"), ("N11", "555 123 4567"),
    ("N12", "(555) 555-0142"), ("N13", "480-155-0142"),
    ("N14", "call 480 after midnight ask for room 555 0142"), ("N15", "4111 1111 1111 1111"),
    ("N16", "4805 5501 4200 0010"), ("N17", "4805550142000010"), ("N18", "Room Ⅳ, 2 girls, 5 stars"),
    ("N19", "for two hours, text me before nine"), ("N20", "someone often tone weight"),
    ("N21", "once upon a time 480 once"),
]

with open(sys.argv[1], "w", encoding="utf-8") as inp, open(sys.argv[2], "w", encoding="utf-8") as tr:
    for i, t, p in POS + [(i, t, []) for i, t in NEG]:
        inp.write(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n")
        tr.write(json.dumps({"id": i, "phones": p}) + "\n")
