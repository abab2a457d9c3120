"""The installers' ingredients and the .deb built, installed and run."""
