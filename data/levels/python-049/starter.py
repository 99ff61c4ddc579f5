def count_islands(grid):
    return 0
