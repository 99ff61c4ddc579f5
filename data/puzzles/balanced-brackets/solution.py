import sys

PARTNER = {")": "(", "]": "[", "}": "{", ">": "<"}
lines = sys.stdin.read().split("\n")
for line in lines[1:int(lines[0]) + 1]:
    waiting, verdict = [], "OK"
    for pos, ch in enumerate(line, start=1):
        if ch in "([{<":
            waiting.append(ch)
        elif ch in PARTNER:
            if not waiting or waiting.pop() != PARTNER[ch]:
                verdict = pos
                break
    else:
        if waiting:
            verdict = len(line) + 1
    print(verdict)
