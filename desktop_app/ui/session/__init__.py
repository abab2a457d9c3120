"""The conversations of one window: the ChatController façade and the parts it wires (cache,
saving, search, deletes, key and clients, models, requests, replies, titles, costs)."""
