def min_coins(coins, amount):
    best = [0] + [float("inf")] * amount
    for total in range(amount + 1):
        for coin in coins:
            if coin <= total:
                best[total] = min(best[total], best[total - coin] + 1)
    return best[amount] if best[amount] != float("inf") else -1
