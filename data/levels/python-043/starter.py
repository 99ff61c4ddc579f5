def pivot_index(nums):
    return 0
