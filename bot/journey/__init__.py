"""The response journey: provisioning and what follows each change, once for every platform."""
