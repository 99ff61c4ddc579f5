def binary_search(nums, target):
    return -1
