"""The process around the window: one instance per data folder, translations, automation, garbage collection."""
