"""Ramp's Telegram bot: the running application around the pure `coach` package."""
