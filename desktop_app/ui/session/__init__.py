"""The conversations behind the window: the controller façade, replies, saving, models, key and clients."""
