class Leaderboard:
    def __init__(self):
        pass

    def add_score(self, player, points):
        pass

    def top(self, k):
        return []

    def rank(self, player):
        return None

    def reset(self, player):
        pass

    def average(self):
        return None
