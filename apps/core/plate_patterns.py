"""A plate search pattern as a database condition: SQL LIKE, which the plate indexes serve."""

from django.db.models import F, Lookup

from .plates import pattern_to_like


class Like(Lookup):
    lookup_name = "like"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} LIKE {rhs}", [*lhs_params, *rhs_params]


def matches_pattern(pattern: str, field: str = "vrm") -> Like:
    """The rows whose plate `field` matches `pattern` ('AB1*', 'A?12'): for `queryset.filter()`."""
    return Like(F(field), pattern_to_like(pattern))
