def min_coins(coins, amount):
    return -1
