"""Cases of data/puzzles/clock-add, with brute(): an independent solution the outputs must match."""
import random
def brute(inp):
    t, m = inp.split()
    h, mi = map(int, t.split(":")); m = int(m)
    step = 1 if m > 0 else -1
    m = m % (1440 * (1 if m >= 0 else -1)) if m else 0  # drop whole days, keep the sign; then tick
    for _ in range(abs(m)):
        mi += step
        if mi == 60: mi = 0; h = (h + 1) % 24
        if mi == -1: mi = 59; h = (h - 1) % 24
    return f"{h:02d}:{mi:02d}"
def cases():
    r = random.Random(7)
    return [
        ("sample-past-midnight", True, "23:45\n30\n"),
        ("sample-backwards", True, "08:05\n-10\n"),
        ("sample-over-a-day", True, "12:00\n2000\n"),
        ("zero-minutes", False, "07:30\n0\n"),
        ("midnight-minus-one", False, "00:00\n-1\n"),
        ("last-minute-plus-one", False, "23:59\n1\n"),
        ("whole-days", False, "17:42\n-2880\n"),
        ("billion", False, "00:00\n1000000000\n"),
        ("minus-billion", False, "13:37\n-1000000000\n"),
        ("random", False, f"{r.randint(0,23):02d}:{r.randint(0,59):02d}\n{r.randint(-10**6, 10**6)}\n"),
    ]
