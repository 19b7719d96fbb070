"""The cache of facts read from documents: where it lives, the store, dates, digests, the lock."""
