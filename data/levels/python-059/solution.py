import heapq
from collections import defaultdict


def cheapest_route(n, roads, start, goal):
    graph = defaultdict(list)
    for a, b, cost in roads:
        graph[a].append((b, cost))
        graph[b].append((a, cost))
    done = set()
    heap = [(0, start)]
    while heap:
        dist, city = heapq.heappop(heap)
        if city in done:
            continue
        done.add(city)
        if city == goal:
            return dist
        for nxt, cost in graph[city]:
            if nxt not in done:
                heapq.heappush(heap, (dist + cost, nxt))
    return -1
