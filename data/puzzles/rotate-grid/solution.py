lines = open(0).read().split()
h, w = int(lines[0]), int(lines[1])
rows = lines[2:2 + h]
for c in range(w):
    print("".join(rows[r][c] for r in range(h - 1, -1, -1)))
