import sys

tokens = sys.stdin.read().split()
for n in tokens[1:int(tokens[0]) + 1]:
    chain = [n]
    while len(n) > 1:
        n = str(sum(map(int, n)))
        chain.append(n)
    print(" -> ".join(chain))
