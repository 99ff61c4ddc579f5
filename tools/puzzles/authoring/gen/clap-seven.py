"""Cases of data/puzzles/clap-seven, with brute(): an independent solution the outputs must match."""
def brute(inp):
    a, b = map(int, inp.split())
    res = []
    for n in range(a, b + 1):
        has7 = False; m = n
        while m: has7 |= m % 10 == 7; m //= 10
        res.append("CLAP" if has7 or n % 7 == 0 else str(n))
    return "\n".join(res)
def cases():
    return [
        ("sample-first-twenty", True, "1 20\n"),
        ("sample-seventies", True, "68 79\n"),
        ("sample-around-thousand", True, "995 1010\n"),
        ("single-plain", False, "1 1\n"),
        ("single-clap", False, "49 49\n"),
        ("seven-hundreds", False, "690 720\n"),
        ("near-billion", False, "999999501 1000000000\n"),
        ("all-sevens", False, "777777770 777777779\n"),
        ("wide-range", False, "123456 123955\n"),
        ("leading-seven", False, "7000000 7000006\n"),
    ]
