import sys

lines = sys.stdin.read().split("\n")
k = int(lines[0]) % 26
out = []
for ch in lines[1]:
    if "a" <= ch <= "z":
        ch = chr((ord(ch) - 97 + k) % 26 + 97)
    elif "A" <= ch <= "Z":
        ch = chr((ord(ch) - 65 + k) % 26 + 65)
    out.append(ch)
print("".join(out))
