"""Cases of data/puzzles/edit-distance, with brute(): an independent solution the outputs must match."""
import random, heapq
def brute(inp):
    # Dijkstra over (i, j) edit states: a different algorithm from the DP
    t = inp.split(); I, D, R = map(int, t[:3]); a, b = t[3], t[4]
    if len(a) * len(b) > 2500: return None
    dist = {(0, 0): 0}; pq = [(0, 0, 0)]
    while pq:
        d, i, j = heapq.heappop(pq)
        if (i, j) == (len(a), len(b)): return str(d)
        if d > dist[(i, j)]: continue
        moves = []
        if i < len(a) and j < len(b): moves.append((i + 1, j + 1, 0 if a[i] == b[j] else R))
        if i < len(a): moves.append((i + 1, j, D))
        if j < len(b): moves.append((i, j + 1, I))
        for ni, nj, c in moves:
            if d + c < dist.get((ni, nj), 10**18):
                dist[(ni, nj)] = d + c; heapq.heappush(pq, (d + c, ni, nj))
def cases():
    r = random.Random(23)
    w = lambda n, al="abcdefghijklmnopqrstuvwxyz": "".join(r.choice(al) for _ in range(n))
    base = w(200, "abc")
    mutated = list(base)
    for _ in range(30):
        k = r.randrange(len(mutated)); op = r.randrange(3)
        if op == 0: mutated[k] = r.choice("abc")
        elif op == 1: del mutated[k]
        else: mutated.insert(k, r.choice("abc"))
    return [
        ("sample-unit-costs", True, "1 1 1\nkitten\nsitting\n"),
        ("sample-replace-is-dear", True, "1 1 5\nabc\nabd\n"),
        ("equal-words", False, "7 8 9\nsame\nsame\n"),
        ("single-letters", False, "3 4 5\na\nb\n"),
        ("delete-all-insert-all", False, "2 3 100\nabc\nxyz\n"),
        ("only-inserts", False, "4 9 9\nace\nabcde\n"),
        ("only-deletes", False, "9 4 9\nabcde\nace\n"),
        ("cheap-replace", False, "100 100 1\nkkkkkkkkkk\nzzzzzzzzzz\n"),
        ("small-random", False, f"{r.randint(1,100)} {r.randint(1,100)} {r.randint(1,100)}\n{w(40, 'ab')}\n{w(50, 'ab')}\n"),
        ("max-random", False, f"{r.randint(1,100)} {r.randint(1,100)} {r.randint(1,100)}\n{w(200)}\n{w(200)}\n"),
        ("max-similar", False, f"3 5 4\n{base}\n{''.join(mutated)}\n"),
    ]
