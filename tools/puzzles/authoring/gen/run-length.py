"""Cases of data/puzzles/run-length, with brute(): an independent solution the outputs must match."""
import random
def brute(inp):
    s = inp.strip(); out = ""; i = 0
    while i < len(s):
        j = i
        while j < len(s) and s[j] == s[i]: j += 1
        out += (str(j - i) if j - i > 1 else "") + s[i]; i = j
    return out
def cases():
    r = random.Random(4)
    rnd = "".join(r.choice("ab") * r.randint(1, 12) for _ in range(200))[:1000]
    return [
        ("sample-mixed", True, "aaabccdddd\n"),
        ("sample-no-runs", True, "abc\n"),
        ("sample-long-run", True, "zzzzzzzzzzzzy\n"),
        ("single-letter", False, "q\n"),
        ("one-run-1000", False, "k" * 1000 + "\n"),
        ("alternating", False, "ab" * 500 + "\n"),
        ("nine-and-ten", False, "x" * 9 + "y" * 10 + "x" * 11 + "\n"),
        ("run-at-end", False, "abcdeeeeee\n"),
        ("same-letter-split", False, "aabaa\n"),
        ("random-runs", False, rnd + "\n"),
    ]
