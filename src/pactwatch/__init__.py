"""pactwatch: evidence-backed records of bilateral relations from news articles."""

__version__ = "0.1.0"
