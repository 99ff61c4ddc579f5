def pair_with_sum(nums, target):
    return None
