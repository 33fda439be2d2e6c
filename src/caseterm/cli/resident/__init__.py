"""The resident CLI process: a warm server that forks a child per command (client.py, server.py)."""
