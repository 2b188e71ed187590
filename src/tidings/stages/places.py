"""Stage `places`: find toponyms and resolve each to a GeoNames entry (logic in `tidings.geo`)."""

from __future__ import annotations

from tidings.article import Article, Place
from tidings.geo import find_places
from tidings.geo.resolve import Resolution
from tidings.pipeline import Stage, register_stage


def to_place(resolution: Resolution) -> Place:
    mention, cand = resolution.mention, resolution.candidate
    if cand is None:
        return Place(mention.start, mention.end, mention.text, mention.text, None, None, None, None)
    return Place(
        start=mention.start,
        end=mention.end,
        text=mention.text,
        name=cand.name,
        geonameid=cand.geonameid,
        lat=cand.lat,
        lon=cand.lon,
        country_code=cand.country_code,
        feature_class=cand.feature_class,
        feature_code=cand.feature_code,
        admin1=cand.admin1,
        kind=cand.kind,
    )


@register_stage
class PlacesStage(Stage):
    name = "places"
    needs = ("doc", "entities")
    adds = ("places",)

    def __call__(self, article: Article) -> Article:
        if article.doc is None:
            return article
        article.places = [to_place(r) for r in find_places(article.doc)]
        return article
