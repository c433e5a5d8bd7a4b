"""Local servers and helpers the connections tests start: a real Bluesky PDS (Node) and an X API server."""
