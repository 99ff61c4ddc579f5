tokens = list(map(int, open(0).read().split()))
heights = tokens[1:tokens[0] + 1] + [0]  # a final 0 flushes the stack
stack = []  # indices of rising heights
best = 0
for i, h in enumerate(heights):
    while stack and heights[stack[-1]] >= h:
        top = stack.pop()
        left = stack[-1] + 1 if stack else 0
        best = max(best, heights[top] * (i - left))
    stack.append(i)
print(best)
