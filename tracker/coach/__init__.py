"""The coach's console of the leaders' monthly rhythm (who did which of the five steps, who missed
the 1st, one-click nudges about the step that slipped) and the company buyer's adoption view.

It lives in the tracker, the top layer, because it reads tracker data and sends through
`lessons.nudges.nudge_send`. Only leaders who chose to share their consistency with the coach
(`User.share_consistency_with_coach`) ever appear with tracker data.
"""
