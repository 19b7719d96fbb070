"""annexa: keeps a local authority's Ofsted Annex A evidence in order."""

__version__ = "0.1.0"
