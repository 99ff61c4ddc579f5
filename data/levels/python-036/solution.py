def gcd(a, b):
    if b == 0:
        return a
    return gcd(b, a % b)


def lcm_all(nums):
    result = 1
    for n in nums:
        result = result * n // gcd(result, n)
    return result
