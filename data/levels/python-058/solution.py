class Leaderboard:
    def __init__(self):
        self._scores = {}

    def add_score(self, player, points):
        self._scores[player] = self._scores.get(player, 0) + points
        return self._scores[player]

    def top(self, k):
        ranked = sorted(self._scores.items(), key=lambda item: (-item[1], item[0]))
        return ranked[:k]

    def rank(self, player):
        if player not in self._scores:
            return None
        score = self._scores[player]
        return 1 + sum(1 for other in self._scores.values() if other > score)

    def reset(self, player):
        self._scores.pop(player, None)

    def average(self):
        if not self._scores:
            return None
        return sum(self._scores.values()) / len(self._scores)
