def pair_with_sum(nums, target):
    lo, hi = 0, len(nums) - 1
    while lo < hi:
        total = nums[lo] + nums[hi]
        if total < target:
            lo += 1
        elif total > target:
            hi -= 1
        else:
            return (nums[lo], nums[hi])
