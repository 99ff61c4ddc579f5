tokens = open(0).read().split()
h, w, k = map(int, tokens[:3])
alive = {(r, c) for r in range(h) for c in range(w) if tokens[3 + r][c] == "#"}
for _ in range(k):
    counts = {}
    for r, c in alive:
        for dr in (-1, 0, 1):
            for dc in (-1, 0, 1):
                if (dr or dc) and 0 <= r + dr < h and 0 <= c + dc < w:
                    counts[(r + dr, c + dc)] = counts.get((r + dr, c + dc), 0) + 1
    alive = {cell for cell, n in counts.items() if n == 3 or (n == 2 and cell in alive)}
for r in range(h):
    print("".join("#" if (r, c) in alive else "." for c in range(w)))
