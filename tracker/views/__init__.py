"""Tracker views, one module per area. Every team view goes through `team_view`."""
