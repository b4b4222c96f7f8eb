"""Fetch N proof-of-work challenges from a Vigil server in --bench-tips mode, solve each
(SHA-256(challenge || nonce) with the stated leading zero bits), and write one JSON tip body per
line. Usage: prefetch.py HOST:PORT N OUT"""
import hashlib, http.client, json, sys

host, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
conn = http.client.HTTPConnection(host)
texts = [
    "Workers at the nail salon sleep in the back room and their passports were taken. Call 480-555-0142.",
    "A teen answers the door at the motel on Van Buren; ads list 602-555-0187.",
    "Restaurant kitchen staff are not paid and live above the restaurant.",
]

def zero_bits(d):
    n = 0
    for b in d:
        if b == 0:
            n += 8
            continue
        return n + (8 - b.bit_length())
    return n

with open(out, "w") as f:
    for i in range(n):
        conn.request("GET", "/api/v1/tips/challenge")
        c = json.loads(conn.getresponse().read())
        bits, ch = c["difficulty_bits"], c["challenge"]
        nonce = 0
        while zero_bits(hashlib.sha256((ch + str(nonce)).encode()).digest()) < bits:
            nonce += 1
        body = {"challenge": ch, "nonce": str(nonce), "what": texts[i % len(texts)],
                "where": "Phoenix", "when": "this week"}
        f.write(json.dumps(body) + "\n")
