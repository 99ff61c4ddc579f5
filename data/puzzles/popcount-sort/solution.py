tokens = open(0).read().split()
numbers = list(map(int, tokens[1:int(tokens[0]) + 1]))
print(*sorted(numbers, key=lambda x: (bin(x).count("1"), x)))
