"""Cases of data/puzzles/longest-word, with brute(): an independent solution the outputs must match."""
import random, string
def brute(inp):
    line = inp.split("\n")[0]
    best = ""
    for i in range(len(line)):
        if line[i].isalpha() and (i == 0 or not line[i-1].isalpha()):
            j = i
            while j < len(line) and line[j].isascii() and line[j].isalpha(): j += 1
            if j - i > len(best): best = line[i:j]
    return best
def cases():
    r = random.Random(6)
    pr = ''.join(chr(c) for c in range(32, 127))
    noise = ''.join(r.choice(pr) for _ in range(1000)).rstrip(' ')
    many = " ".join("".join(r.choice(string.ascii_letters) for _ in range(r.randint(1, 9))) for _ in range(100))[:1000].rstrip(" ")
    return [
        ("sample-sentence", True, "The quick brown fox jumped over the lazy dogs\n"),
        ("sample-tie-first-wins", True, "Hi, it's me!!!\n"),
        ("sample-separators", True, "well-known x-ray machines2024\n"),
        ("single-letter", False, "a\n"),
        ("digits-split-words", False, "ab1abc2ab\n"),
        ("leading-punctuation", False, "...!!!Wow\n"),
        ("tie-at-end", False, "cat dog\n"),
        ("longer-at-end", False, "a bb ccc dddd eeeee ffffff\n"),
        ("mixed-case", False, "ALLCAPS vs MiXeDcAsE words\n"),
        ("one-long-word", False, "x" * 999 + "!\n"),
        ("random-noise", False, noise + "\n"),
        ("many-words", False, many + "\n"),
    ]
