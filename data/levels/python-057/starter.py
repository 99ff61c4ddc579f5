class Scheduler:
    def __init__(self):
        pass

    def book(self, start, end):
        return True

    def cancel(self, start):
        return False

    def next_event(self, time):
        return None

    def bookings(self):
        return []
