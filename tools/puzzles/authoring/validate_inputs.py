#!/usr/bin/env python3
"""Authoring aid: checks that every case input respects its puzzle's ### Constraints.

One validator per puzzle (named after its slug); a puzzle without one is reported. Run:
    /usr/bin/python3 tools/puzzles/authoring/validate_inputs.py
"""
import json
import re
import sys

from build_cases import ROOT, load_generator

V = {}
def v(f): V[f.__name__.replace('_', '-')] = f; return f
def lines(s): assert s.endswith('\n'); return s[:-1].split('\n')
def ints(s): return [int(x) for x in s.split()]
def rng(x, lo, hi, what='value'): assert lo <= x <= hi, f'{what} {x} not in [{lo}, {hi}]'
def printable(s, maxlen, minlen=0):
    assert minlen <= len(s) <= maxlen, f'length {len(s)}'
    assert all(' ' <= c <= '~' for c in s) and not s.endswith(' ')
def grid(ls, h, w, alphabet):
    assert len(ls) == h, 'rows'
    for row in ls: assert len(row) == w and all(c in alphabet for c in row), row
@v
def echo_reverse(s):
    L = lines(s); n = int(L[0]); rng(n, 1, 50); assert len(L) == n + 1
    for l in L[1:]: printable(l, 100)
@v
def digit_root_chain(s):
    L = lines(s); t = int(L[0]); rng(t, 1, 20); assert len(L) == t + 1
    for x in L[1:]: assert re.fullmatch(r'0|[1-9]\d{0,99}', x), x
@v
def caesar_shift(s):
    L = lines(s); assert len(L) == 2; rng(int(L[0]), -10**9, 10**9); printable(L[1], 200, 1)
@v
def clap_seven(s):
    a, b = ints(s); assert 1 <= a <= b <= 10**9 and b - a < 500
@v
def run_length(s):
    L = lines(s); assert len(L) == 1 and re.fullmatch(r'[a-z]{1,1000}', L[0])
@v
def staircase(s):
    n, w = ints(s); rng(n, 1, 20); rng(w, 1, 5)
@v
def bit_count(s):
    L = lines(s); n = int(L[0]); rng(n, 1, 100); xs = ints(L[1]); assert len(xs) == n and len(L) == 2
    for x in xs: rng(x, 0, 10**12)
@v
def longest_word(s):
    L = lines(s); assert len(L) == 1; printable(L[0], 1000, 1); assert re.search('[A-Za-z]', L[0])
@v
def clock_add(s):
    L = lines(s); assert len(L) == 2 and re.fullmatch(r'([01]\d|2[0-3]):[0-5]\d', L[0]); rng(int(L[1]), -10**9, 10**9)
@v
def rotate_grid(s):
    L = lines(s); h, w = ints(L[0]); rng(h, 1, 50); rng(w, 1, 50)
    grid(L[1:], h, w, set('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.#'))
@v
def bus_meet(s):
    import math
    L = lines(s); n = int(L[0]); rng(n, 1, 10); ps = ints(L[1]); assert len(ps) == n
    for p in ps: rng(p, 1, 1000)
    assert math.lcm(*ps) <= 10**15
@v
def coin_greedy(s): rng(int(s), 1, 10000); assert s == s.strip() + '\n'
@v
def balanced_brackets(s):
    L = lines(s); n = int(L[0]); rng(n, 1, 50); assert len(L) == n + 1
    for l in L[1:]: printable(l, 200)
@v
def spiral_order(s):
    L = lines(s); h, w = ints(L[0]); rng(h, 1, 50); rng(w, 1, 50)
    grid(L[1:], h, w, set('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'))
@v
def roman_add(s):
    g = load_generator('roman-add')
    L = lines(s); assert len(L) == 1; t = L[0].split(' ')
    assert len(t) % 2 == 1 and 1 <= (len(t) + 1) // 2 <= 10
    vals = [g.ROMAN[x] for x in t[::2]]; assert all(o in '+-' for o in t[1::2])
    tot = vals[0] + sum(v if o == '+' else -v for o, v in zip(t[1::2], vals[1:])); rng(tot, 1, 3999)
@v
def popcount_sort(s):
    L = lines(s); n = int(L[0]); rng(n, 1, 1000); xs = ints(L[1]); assert len(xs) == n
    for x in xs: rng(x, 0, 10**9)
@v
def look_and_say(s):
    import itertools
    L = lines(s); assert len(L) == 1; d, n = L[0].split(' '); assert re.fullmatch(r'\d{1,20}', d); n = int(n); rng(n, 0, 40)
    for _ in range(n):
        d = ''.join(str(len(list(g))) + k for k, g in itertools.groupby(d)); assert len(d) <= 10000
@v
def interval_merge(s):
    L = lines(s); n = int(L[0]); rng(n, 1, 2000); assert len(L) == n + 1
    for l in L[1:]: a, b = ints(l); assert -10**9 <= a <= b <= 10**9
@v
def base_convert(s):
    D = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'
    L = lines(s); t = int(L[0]); rng(t, 1, 50); assert len(L) == t + 1
    for l in L[1:]:
        b1, b2, x = l.split(' '); b1, b2 = int(b1), int(b2); rng(b1, 2, 36); rng(b2, 2, 36)
        assert all(c in D[:b1] for c in x) and (x == '0' or x[0] != '0'); rng(int(x, b1), 0, 10**15)
@v
def knight_moves(s):
    L = lines(s); h, w = ints(L[0]); rng(h, 1, 60); rng(w, 1, 60); grid(L[1:], h, w, set('.#ST'))
    assert ''.join(L[1:]).count('S') == 1 and ''.join(L[1:]).count('T') == 1
@v
def word_wrap(s):
    L = lines(s); assert len(L) == 2; rng(int(L[0]), 1, 100); printable(L[1], 2000, 1)
    assert '  ' not in L[1] and not L[1].startswith(' ')
@v
def stair_ways(s):
    L = lines(s); assert len(L) == 3; n, k = ints(L[0]); rng(n, 1, 10000); rng(k, 1, 10)
    st = ints(L[1]); assert len(st) == k == len(set(st)); [rng(x, 1, 100) for x in st]
    b = ints(L[2]); assert len(b) == b[0] + 1; rng(b[0], 0, 1000); assert len(set(b[1:])) == b[0]
    for x in b[1:]: assert 0 < x < n
@v
def last_digits_power(s):
    a, b, k = ints(s); rng(a, 0, 10**9); rng(b, 0, 10**15); rng(k, 1, 6)
@v
def life_steps(s):
    L = lines(s); h, w, k = ints(L[0]); rng(h, 1, 20); rng(w, 1, 20); rng(k, 0, 50); grid(L[1:], h, w, set('.#'))
@v
def rain_trap(s):
    L = lines(s); n = int(L[0]); rng(n, 1, 10000); xs = ints(L[1]); assert len(xs) == n and len(L) == 2
    for x in xs: rng(x, 0, 10000)
@v
def calc_eval(s):
    g = load_generator('calc-eval')
    L = lines(s); t = int(L[0]); rng(t, 1, 20); assert len(L) == t + 1
    for e in L[1:]:
        assert g.check(e), e
        assert not re.search(r'(?<!\d)0\d', e), e
        # unary minus only at start or after '('
        toks = re.findall(r'\d+|[-+*()]', e); assert ''.join(toks) == e.replace(' ', '')
        for i, tk in enumerate(toks):
            if tk == '-' and (i == 0 or toks[i - 1] == '('): continue
            if tk in '+-*': assert i > 0 and (toks[i - 1].isdigit() or toks[i - 1] == ')'), e
@v
def wall_breaker(s):
    L = lines(s); h, w, k = ints(L[0]); rng(h, 1, 40); rng(w, 1, 40); rng(k, 0, 5); grid(L[1:], h, w, set('.#ST'))
    assert ''.join(L[1:]).count('S') == 1 and ''.join(L[1:]).count('T') == 1
@v
def edit_distance(s):
    L = lines(s); assert len(L) == 3; for_ = ints(L[0]); assert len(for_) == 3; [rng(x, 1, 100) for x in for_]
    for w in L[1:]: assert re.fullmatch(r'[a-z]{1,200}', w)
@v
def histogram_rectangle(s):
    L = lines(s); n = int(L[0]); rng(n, 1, 8000); xs = ints(L[1]); assert len(xs) == n and len(L) == 2
    for x in xs: rng(x, 0, 100000)
@v
def lights_out_line(s):
    L = lines(s); t = int(L[0]); rng(t, 1, 20); assert len(L) == t + 1
    for l in L[1:]: assert re.fullmatch(r'[01]{1,1000}', l)
@v
def spreadsheet(s):
    g = load_generator('spreadsheet')
    L = lines(s); n = int(L[0]); rng(n, 1, 200); assert len(L) == n + 1
    names = set()
    for l in L[1:]:
        name, eq, *t = l.split(' '); assert eq == '=' and re.fullmatch(r'[A-Z][1-9]\d?', name) and name not in names
        names.add(name); assert len(t) % 2 == 1 and 1 <= (len(t) + 1) // 2 <= 20
        for x in t[::2]: assert re.fullmatch(r'[A-Z][1-9]\d?', x) or (re.fullmatch(r'0|[1-9]\d*', x) and int(x) <= 10**6), x
        assert all(o in '+-' for o in t[1::2])
    assert g.bounded(s)
@v
def tile_3xn(s):
    L = lines(s); t = int(L[0]); rng(t, 1, 20); assert len(L) == t + 1
    for l in L[1:]: rng(int(l), 1, 100000)

def main():
    bad = 0
    for folder in sorted(p for p in ROOT.iterdir() if p.is_dir()):
        check = V.get(folder.name)
        if check is None:
            print(f"{folder.name}: no validator")
            bad += 1
            continue
        for case in json.loads((folder / "cases.json").read_text())["cases"]:
            try:
                check(case["input"])
            except Exception as e:  # an assertion or a parse error: the input breaks a constraint
                print(f"{folder.name}: case {case['name']!r}: {e!r}"[:300])
                bad += 1
    print(f"validated the inputs of {len(V)} puzzles: {bad} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
