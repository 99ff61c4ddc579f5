"""Cases of data/puzzles/word-wrap (no brute(): the three reference solutions are written independently)."""
import random, string
def cases():
    r = random.Random(17)
    def para(n, maxw):
        al = string.ascii_letters + string.digits + ",.;!?-'"
        return " ".join("".join(r.choice(al) for _ in range(r.randint(1, maxw))) for _ in range(n))
    long_para = para(400, 9)[:2000].rstrip(" ")
    return [
        ("sample-fox", True, "10\nthe quick brown fox jumps over the lazy dog\n"),
        ("sample-long-word", True, "5\na bb ccc dddd eeeee ffffff g\n"),
        ("sample-fits", True, "20\nshort\n"),
        ("width-one", False, "1\na b c\n"),
        ("all-too-long", False, "3\nabcd efghij klmnopq\n"),
        ("exact-fit", False, "11\nhello world hello world\n"),
        ("one-word", False, "100\n" + "x" * 100 + "\n"),
        ("punctuation-words", False, "12\nWait... what?! (really) -- yes; 100% sure.\n"),
        ("max-width", False, "100\n" + long_para + "\n"),
        ("narrow", False, "7\n" + para(200, 8)[:2000].rstrip(" ") + "\n"),
    ]
