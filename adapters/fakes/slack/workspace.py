"""The fake Slack workspace's own id."""

TEAM = "T0LEAKBOT"
