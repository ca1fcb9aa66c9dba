"""imagerights — may we publish this image, under which conditions, with which credit line?

Data flows one way:  sources → facts → rules → findings → renderers.
"""

__version__ = "0.1.0"
