"""The disk: conversation history, settings, the model cache and the API key (in the keyring)."""
