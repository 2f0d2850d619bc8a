"""The question graph: pure rules (resolver, checks) and loading graphs from the database."""
