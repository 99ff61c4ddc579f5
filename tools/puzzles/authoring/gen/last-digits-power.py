"""Cases of data/puzzles/last-digits-power, with brute(): an independent solution the outputs must match."""
def brute(inp):
    a, b, k = map(int, inp.split())
    m = 10 ** k
    if b > 10**6:
        # Carmichael-free check: 10^k's multiplicative pattern repeats; use a cycle search on a^i mod m
        seen = {}; x = 1 % m; i = 0
        while x not in seen and i < b:
            seen[x] = i; x = x * a % m; i += 1
        if i == b: return str(x).zfill(k)
        start = seen[x]; period = i - start
        rem = (b - start) % period
        for _ in range(rem): x = x * a % m
        return str(x).zfill(k)
    x = 1 % m
    for _ in range(b): x = x * a % m
    return str(x).zfill(k)
def cases():
    return [
        ("sample-two-to-ten", True, "2 10 3\n"),
        ("sample-huge-exponent", True, "7 1000000000000 4\n"),
        ("sample-zero-exponent", True, "123 0 2\n"),
        ("zero-to-zero", False, "0 0 6\n"),
        ("zero-base", False, "0 5 3\n"),
        ("one-digit", False, "999999999 999999999999999 1\n"),
        ("trailing-zeros", False, "10 3 6\n"),
        ("exact-power", False, "1000000000 1 6\n"),
        ("max-everything", False, "1000000000 1000000000000000 6\n"),
        ("big-odd", False, "987654321 999999999999999 6\n"),
        ("small-exact", False, "3 13 6\n"),
        ("exponent-near-limit", False, "2 999999999999999 5\n"),
    ]
