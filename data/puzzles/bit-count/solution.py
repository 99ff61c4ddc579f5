tokens = open(0).read().split()
for x in map(int, tokens[1:int(tokens[0]) + 1]):
    b = bin(x)[2:]
    print(b, b.count("1"))
