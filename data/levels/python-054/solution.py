class Inventory:
    def __init__(self):
        self._stock = {}

    def add(self, item, qty):
        if qty <= 0:
            raise ValueError("quantity must be positive")
        self._stock[item] = self._stock.get(item, 0) + qty
        return self._stock[item]

    def remove(self, item, qty):
        have = self._stock[item]
        if qty <= 0 or qty > have:
            raise ValueError("not enough stock")
        if qty == have:
            del self._stock[item]
        else:
            self._stock[item] = have - qty
        return have - qty

    def count(self, item):
        return self._stock.get(item, 0)

    def items(self):
        return sorted(self._stock.items())
