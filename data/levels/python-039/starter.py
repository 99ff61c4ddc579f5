def count_subsets(nums, target):
    return 0
