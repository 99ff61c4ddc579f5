import sys


def presses(lamps, press_first):
    n = len(lamps)
    state = [int(ch) for ch in lamps]
    count = 0
    for i in range(n):
        # switch 0 is a free choice; after that, switch i is the last one that can fix lamp i-1
        press = press_first if i == 0 else state[i - 1]
        if press:
            count += 1
            for j in (i - 1, i, i + 1):
                if 0 <= j < n:
                    state[j] ^= 1
    return count if not any(state) else None


lines = sys.stdin.read().split()
for lamps in lines[1:int(lines[0]) + 1]:
    options = [c for c in (presses(lamps, 0), presses(lamps, 1)) if c is not None]
    print(min(options) if options else -1)
