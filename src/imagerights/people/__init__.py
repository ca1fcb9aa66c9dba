"""People in images: face detection and the "identifiable person" decision (GDPR, namn- och bildlagen)."""

from imagerights.people.faces import find_faces

__all__ = ["find_faces"]
