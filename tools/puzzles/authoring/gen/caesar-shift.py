"""Cases of data/puzzles/caesar-shift, with brute(): an independent solution the outputs must match."""
import random, string
def brute(inp):
    k, text = inp.split("\n")[:2]; k = int(k)
    out = ""
    for ch in text:
        for alpha in (string.ascii_lowercase, string.ascii_uppercase):
            if ch in alpha: ch = alpha[(alpha.index(ch) + k) % 26]; break
        out += ch
    return out
def cases():
    r = random.Random(3)
    pr = ''.join(chr(c) for c in range(32, 127))
    rnd = ''.join(r.choice(pr) for _ in range(200)).rstrip(' ')
    return [
        ("sample-hello", True, "3\nHello, World!\n"),
        ("sample-backwards", True, "-1\nabc XYZ\n"),
        ("sample-wrap-around", True, "27\nZebra 42 zoo\n"),
        ("zero-shift", False, "0\nUnchanged text.\n"),
        ("full-turn", False, "-26\nSame Again\n"),
        ("no-letters", False, "5\n123 !?# 456\n"),
        ("alphabets", False, "13\nabcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ\n"),
        ("huge-positive", False, "1000000000\nThe quick brown fox jumps over the lazy dog\n"),
        ("huge-negative", False, "-1000000000\nThe quick brown fox jumps over the lazy dog\n"),
        ("leading-spaces", False, "-27\n   spaced out  words\n"),
        ("random-200", False, f"{r.randint(-10**9, 10**9)}\n{rnd}\n"),
    ]
