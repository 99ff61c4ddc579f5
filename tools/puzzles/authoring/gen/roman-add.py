"""Cases of data/puzzles/roman-add, with brute(): an independent solution the outputs must match."""
import random
ONES = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"]
def to_roman(n):
    # digit-wise table, independent of the greedy in the solutions
    t = lambda d, one, five, ten: ["", one, one*2, one*3, one+five, five, five+one, five+one*2, five+one*3, one+ten][d]
    return "M" * (n // 1000) + t(n // 100 % 10, "C", "D", "M") + t(n // 10 % 10, "X", "L", "C") + t(n % 10, "I", "V", "X")
ROMAN = {to_roman(i): i for i in range(1, 4000)}
def brute(inp):
    tok = inp.split(); v = ROMAN[tok[0]]
    for op, x in zip(tok[1::2], tok[2::2]): v += ROMAN[x] if op == "+" else -ROMAN[x]
    assert 1 <= v <= 3999
    return to_roman(v)
def expr(vals, ops): return " ".join([to_roman(vals[0])] + [f"{o} {to_roman(v)}" for o, v in zip(ops, vals[1:])]) + "\n"
def cases():
    r = random.Random(12)
    out = []
    while len(out) < 2:
        vals = [r.randint(1, 3999) for _ in range(10)]; ops = [r.choice("+-") for _ in range(9)]
        tot = vals[0] + sum(v if o == "+" else -v for o, v in zip(ops, vals[1:]))
        if 1 <= tot <= 3999: out.append(expr(vals, ops))
    return [
        ("sample-plus", True, "XIV + IX\n"),
        ("sample-minus", True, "MMXXIV - MCMXC\n"),
        ("sample-four", True, "I + I + I + I\n"),
        ("single-numeral", False, "MMMCMXCIX\n"),
        ("to-max", False, "MMM + CMXCIX\n"),
        ("down-to-one", False, "C - XCIX\n"),
        ("negative-on-the-way", False, "IV - V - X + XII\n"),
        ("over-max-on-the-way", False, "MMMCMXCIX + MMMCMXCIX - MMMCMXCIX\n"),
        ("all-subtractive", False, "CD + XL + IV + CM + XC + IX\n"),
        ("random-ten-a", False, out[0]),
        ("random-ten-b", False, out[1]),
    ]
