"""Figure extraction: territorial-change figures from plain article text.

    from parsers.figures import extract_figures
    figures = extract_figures(body, title=title, published=date, id=..., url=...)

Rule-based: sentences are split, quantities found (areas in any unit normalised to km2,
shares, settlement counts), each tied to its governing verb, whose class and the actor roles
around it decide actor, metric and counterpart; hedges, modality, place, period and speaker
are read from the sentence and the article. See `extractor` for the actor convention and
`periods` for how ISO dates are derived.
"""

from .extractor import extract_figures

__all__ = ["extract_figures"]
