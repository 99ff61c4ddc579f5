def max_subarray(nums):
    return sum(nums)
