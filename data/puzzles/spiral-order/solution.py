tokens = open(0).read().split()
h = int(tokens[0])
grid = [list(row) for row in tokens[2:2 + h]]
out = []
while grid:
    out += grid.pop(0)
    grid = [list(col) for col in zip(*grid)][::-1]  # turn the rest counter-clockwise
print("".join(out))
