tokens = list(map(int, open(0).read().split()))
heights = tokens[1:tokens[0] + 1]
left_max, running = [], 0
for h in heights:
    running = max(running, h)
    left_max.append(running)
water, right = 0, 0
for i in range(len(heights) - 1, -1, -1):
    right = max(right, heights[i])
    water += min(left_max[i], right) - heights[i]
print(water)
