import sys

lines = sys.stdin.read().split("\n")
n = int(lines[0])
for line in reversed(lines[1:n + 1]):
    print(line[::-1])
