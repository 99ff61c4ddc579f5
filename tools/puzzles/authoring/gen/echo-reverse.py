"""Cases of data/puzzles/echo-reverse (no brute(): the three reference solutions are written independently)."""
import random
def mk(lines): return f"{len(lines)}\n" + "".join(l + "\n" for l in lines)
def cases():
    r = random.Random(1)
    pr = ''.join(chr(c) for c in range(33, 127))
    big = []
    for _ in range(50):
        s = ''.join(r.choice(pr + ' ') for _ in range(r.randint(0, 100))).rstrip(' ')
        big.append(s)
    return [
        ("sample-words", True, mk(["hello world", "stressed desserts"])),
        ("sample-one-line", True, mk(["Was it a rat I saw?"])),
        ("sample-numbers", True, mk(["123", "45", "6"])),
        ("single-char", False, mk(["x"])),
        ("empty-line-middle", False, mk(["abc", "", "def"])),
        ("empty-last-line", False, mk(["first", ""])),
        ("leading-spaces", False, mk(["   indented", "  two"])),
        ("palindromes", False, mk(["level", "racecar", "noon"])),
        ("punctuation", False, mk(["{[(<>)]}", "a-b_c.d,e;f:g!", "\"quoted\" 'single'"])),
        ("max-random", False, mk(big)),
    ]
