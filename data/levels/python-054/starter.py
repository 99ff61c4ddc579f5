class Inventory:
    def __init__(self):
        pass

    def add(self, item, qty):
        pass

    def remove(self, item, qty):
        pass

    def count(self, item):
        return 0

    def items(self):
        return []
