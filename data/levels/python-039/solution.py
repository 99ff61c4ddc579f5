def count_subsets(nums, target):
    if not nums:
        return 1 if target == 0 else 0
    rest = nums[1:]
    return count_subsets(rest, target) + count_subsets(rest, target - nums[0])
