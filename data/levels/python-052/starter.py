class MinStack:
    def __init__(self):
        pass

    def push(self, value):
        pass

    def pop(self):
        pass

    def top(self):
        pass

    def get_min(self):
        pass
