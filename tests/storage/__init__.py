"""Tests of desktop_app/storage: files on disk, import and export, logs and the keyring."""
