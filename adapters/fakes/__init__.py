"""Fake chat platforms on 127.0.0.1 for `leakbot demo` and the end-to-end tests: a Slack workspace (Web API)
and a Bot Framework connector for Teams. They check what the bot sends against the official specs when the
specs are available (LEAKBOT_SPECS_DIR or ../shared/specs), and refuse what the real platform refuses."""
