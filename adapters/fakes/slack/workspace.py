"""The fake Slack workspace's own ids: the workspace and the bot user."""

TEAM = "T0LEAKBOT"
BOT_USER = "UBOT"
