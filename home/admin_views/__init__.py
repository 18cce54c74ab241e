"""Wagtail admin screens with fewer queries (issue 16): Wagtail's own views, subclassed through its
documented extension points, with the same permissions, filters, ordering and output."""
