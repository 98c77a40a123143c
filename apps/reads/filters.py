"""Search criteria for reads: one definition for the portal's search pages and the API.

`ReadFilter` validates and applies the filters; `HistoryFilter` is vehicle history's (one exact
plate), both `Criteria`; `SearchPurposeForm` holds what every search must state (a listed purpose and a
reference, by the rules of apps/core/purposes.py) and the optional access request it is made
under.

A search is narrow or it is refused: a plate (or a pattern with at least MIN_KNOWN_CHARACTERS
letters and digits), or else named cameras or an area within at most NARROW_RANGE of time
(the "who passed here then" question). Nothing returns a whole window of reads. A vehicle
colour or a minimum confidence only narrows such a search; neither makes one narrow enough.

Criteria that no read could meet are refused with the reason, field by field, rather than
answered with no reads: an officer must never take "nothing found" for "never seen". Whether
the criteria fall inside a named access request is the access window's to say
(apps/reads/access_window.py `check_within_request`), once the user is known.
"""

from collections.abc import Callable, Mapping
from datetime import timedelta
from decimal import Decimal
from typing import Any

import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from apps.cameras.models import Camera, clean_code
from apps.core.colours import VehicleColour
from apps.core.plate_patterns import matches_pattern
from apps.core.plates import (
    VRM_MAX_LENGTH,
    is_pattern,
    known_characters,
    normalise_pattern,
    normalise_vrm,
    shortest_match,
)
from apps.core.purposes import DETAIL_MAX_LENGTH, purpose_choices, state_purpose

from .models import Read
from .places import NotAPlace, Place, circle_from_text, place_q, polygon_from_text
from .scenes import MAX_SCENES, MIN_SCENES

MIN_KNOWN_CHARACTERS = 3
NARROW_RANGE = timedelta(hours=24)
MAX_CAMERAS = 10
TOO_BROAD = (
    f"Give a plate, or a pattern with at least {MIN_KNOWN_CHARACTERS} known letters or digits. "
    f"Without one, name cameras, an area or a place on the map, and a time range of at most "
    f"{NARROW_RANGE.days * 24} hours (both 'seen after' and 'seen before')."
)
# Where a search may look, besides anywhere: the camera codes, an area, or a place on the map.
PLACES = ("camera", "area", "near", "within")
ONE_PLACE = "Look in one place: cameras or an area, or a circle, or a polygon on the map."
COLOUR_NARROWS = (
    "The vehicle's colour as estimated from the picture (or sent by the camera): often unknown and "
    "often wrong (about half of the colours it names are right), so a search by colour misses the "
    "reads it got wrong or could not tell. It narrows a search, never makes one narrow enough."
)


class CriteriaForm(forms.Form):
    """The criteria as a whole: each field is checked by its filter, the combination here."""

    field_order = ["vrm", "seen_after", "seen_before"]  # then the rest, as each filter declares them

    def clean(self):
        data = super().clean() or {}  # the stubs allow None; Form.clean returns cleaned_data
        after, before = data.get("seen_after"), data.get("seen_before")
        if after and before and after > before:
            self.add_error("seen_before", "'Seen before' is earlier than 'seen after': no read could match.")
        if after and after > timezone.now():
            self.add_error("seen_after", "'Seen after' is in the future: no read could match yet.")
        if data.get("camera") and data.get("area"):
            self._check_cameras_in_area(data["camera"].split(","), data["area"])
        drawn = [name for name in ("near", "within") if data.get(name)]
        if drawn and len([name for name in PLACES if data.get(name)]) > 1:
            self.add_error(drawn[-1], ONE_PLACE)
        if self.errors or not _too_broad(data):
            return data
        raise forms.ValidationError(TOO_BROAD, code="too_broad")

    def _check_cameras_in_area(self, codes: list[str], area: str) -> None:
        # Both narrow the search: a camera named outside the area named could never match.
        elsewhere = sorted(
            Camera.objects.filter(code__in=codes).exclude(area__iexact=area).values_list("code", flat=True)
        )
        if elsewhere:
            self.add_error(
                "area",
                f"{', '.join(elsewhere)} {'is' if len(elsewhere) == 1 else 'are'} not in {area}: "
                "name cameras or an area, or cameras in that area.",
            )


def _too_broad(data: dict) -> bool:
    vrm = data.get("vrm") or ""
    if vrm and (not is_pattern(vrm) or known_characters(vrm) >= MIN_KNOWN_CHARACTERS):
        return False
    after, before = data.get("seen_after"), data.get("seen_before")
    place = any(data.get(name) for name in PLACES)
    return not (place and after and before and before - after <= NARROW_RANGE)


class PlateField(forms.CharField):
    """A plate, or (unless `patterns` is False) a pattern; refused when no plate could match it."""

    def __init__(self, *, patterns: bool = True, **kwargs) -> None:
        self.patterns = patterns
        super().__init__(**kwargs)

    def clean(self, value) -> str:
        text = super().clean(value)
        if not text:
            return text
        if is_pattern(text) and not self.patterns:
            raise forms.ValidationError(
                "Give one exact plate, such as AB12CDE: this search takes no patterns "
                "(* or ?). To search with a pattern, use Search reads."
            )
        if not is_pattern(text) and not known_characters(text):
            raise forms.ValidationError("A plate is letters and digits; this has none.")
        if shortest_match(text) > VRM_MAX_LENGTH:
            raise forms.ValidationError(
                f"No plate has more than {VRM_MAX_LENGTH} letters and digits: no read could match."
            )
        return text


class PlateFilter(django_filters.CharFilter):
    field_class = PlateField


class AreaField(forms.CharField):
    """An area some camera is in (any case): an area no camera is in has no reads."""

    def clean(self, value) -> str:
        area = super().clean(value)
        if area and not Camera.objects.filter(area__iexact=area).exists():
            raise forms.ValidationError(f"No camera is in an area called {area}.")
        return area


class AreaFilter(django_filters.CharFilter):
    field_class = AreaField


class PlaceField(forms.CharField):
    """A circle or polygon as text (`parse`: places.circle_from_text or polygon_from_text),
    cleaned to its own normal form, which the audit trail records."""

    def __init__(self, *, parse, **kwargs) -> None:
        self.parse = parse
        super().__init__(**kwargs)

    def clean(self, value) -> str:
        text = super().clean(value)
        if not text:
            return text
        try:
            normal = str(self.parse(text))
            # Kept and searched in its normal form, which rounding can take across a limit.
            self.parse(normal)
        except NotAPlace as fault:
            raise forms.ValidationError(str(fault)) from None
        return normal


class PlaceFilter(django_filters.CharFilter):
    field_class = PlaceField


class CameraCodesField(forms.CharField):
    """Camera codes separated by commas, cleaned to 'CAM-A,CAM-B': each one known, at most
    MAX_CAMERAS (a search naming every camera is no narrower than one naming none)."""

    def clean(self, value) -> str:
        codes = sorted({clean_code(code) for code in super().clean(value).split(",") if code.strip()})
        if len(codes) > MAX_CAMERAS:
            raise forms.ValidationError(f"Name at most {MAX_CAMERAS} cameras in one search.")
        known = set(Camera.objects.filter(code__in=codes).values_list("code", flat=True))
        if unknown := [code for code in codes if code not in known]:
            raise forms.ValidationError(f"No camera {', '.join(unknown)} in the registry.")
        return ",".join(codes)


class CameraCodesFilter(django_filters.CharFilter):
    field_class = CameraCodesField


class Criteria(django_filters.FilterSet):
    """What every kind of search may narrow by: a plate and a period. Applied by the selector."""

    seen_after = django_filters.IsoDateTimeFilter(
        field_name="seen_at",
        lookup_expr="gte",
        label="Seen after",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    seen_before = django_filters.IsoDateTimeFilter(
        field_name="seen_at",
        lookup_expr="lte",
        label="Seen before",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    class Meta:
        model = Read
        fields: list[str] = []
        form = CriteriaForm

    def __init__(self, data=None, **kwargs) -> None:
        # Its own queryset is empty on purpose: results come only from the selector, which
        # applies these filters to reads already scoped to the user's access window.
        super().__init__(data, queryset=Read.objects.none(), **kwargs)

    def filter_vrm(self, queryset, name, value):
        if is_pattern(value):
            pattern = normalise_pattern(value)
            if pattern == "*":
                return queryset  # any plate at all: allowed only narrowed by place and time
            return queryset.filter(matches_pattern(pattern))  # '?' is exactly one character
        return queryset.filter(vrm=normalise_vrm(value))

    @property
    def criteria(self) -> dict:
        """The filters asked for, as recorded in the audit trail."""
        return {
            key: _as_json(value) for key, value in self.form.cleaned_data.items() if value not in (None, "")
        }


class ReadFilter(Criteria):
    """A search of reads: a plate or pattern, a period, cameras or an area, a confidence, a colour."""

    vrm = PlateFilter(
        method="filter_vrm",
        label="Plate",
        help_text="Exact plate, or a pattern: * for any run of characters, ? for one (AB12*, A?12CDE).",
    )
    camera = CameraCodesFilter(
        method="filter_cameras",
        label="Cameras",
        help_text=f"Camera codes, separated by commas (at most {MAX_CAMERAS}).",
    )
    area = AreaFilter(field_name="camera__area", lookup_expr="iexact", label="Area")
    near = PlaceFilter(
        method="filter_place",
        parse=circle_from_text,
        label="Within a circle",
        help_text="Centre and radius: latitude,longitude,metres (51.5074,-0.1278,1000), or draw it.",
    )
    within = PlaceFilter(
        method="filter_place",
        parse=polygon_from_text,
        label="Within a polygon",
        help_text="Corners latitude,longitude separated by ';', in order around it, or draw it on the map.",
    )
    min_confidence = django_filters.NumberFilter(
        field_name="confidence",
        lookup_expr="gte",
        label="Minimum confidence",
        min_value=0,
        max_value=1,
        widget=forms.NumberInput(attrs={"step": "0.05", "min": "0", "max": "1"}),
    )
    colour = django_filters.ChoiceFilter(
        choices=VehicleColour.choices,
        label="Vehicle colour",
        empty_label="Any colour",
        help_text=COLOUR_NARROWS,
    )

    def filter_cameras(self, queryset, name, value):
        return queryset.filter(camera__code__in=value.split(","))  # cleaned: never empty here

    def filter_place(self, queryset, name, value):
        place = PARSED[name](value)
        inside = list(Camera.objects.filter(place.q("latitude", "longitude")).values_list("pk", flat=True))
        return queryset.filter(place_q(place, inside))


class HistoryFilter(Criteria):
    """Vehicle history: one exact plate, which it needs, and optionally a period."""

    vrm = PlateFilter(
        method="filter_vrm",
        label="Plate",
        required=True,
        patterns=False,
        help_text="One exact plate, such as AB12CDE (no patterns).",
        error_messages={"required": "Give the plate: vehicle history shows one vehicle, by its exact plate."},
    )


CONVOY_RANGE = timedelta(days=92)  # a quarter: the standard window, with room at its ends
CONVOY_WINDOW_S, CONVOY_MIN_CAMERAS = 60, 2


class ConvoyForm(CriteriaForm):
    """A convoy search's own terms, beside its plate and period: how close in time two sightings
    at one camera must be, and at how many cameras, to count a vehicle as travelling with it."""

    window_s = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=300,
        label="Within (seconds)",
        help_text="How close in time to the vehicle another must pass a camera: 60 unless given.",
    )
    min_cameras = forms.IntegerField(
        required=False,
        min_value=2,
        max_value=10,
        label="At cameras (at least)",
        # One camera shared is a coincidence of the road, not an association: never fewer than two.
        help_text="At how many different cameras: 2 unless given, never fewer.",
    )

    def clean(self):
        data = super().clean()
        after, before = data.get("seen_after"), data.get("seen_before")
        for name, given in (("seen_after", after), ("seen_before", before)):
            if given is None and name not in self.errors:
                self.add_error(name, "Give the period to look in: a convoy search needs both ends.")
        if after and before and before - after > CONVOY_RANGE:
            self.add_error(
                "seen_before", f"Look in at most {CONVOY_RANGE.days} days at once: narrow the period."
            )
        data["window_s"] = data.get("window_s") or CONVOY_WINDOW_S
        data["min_cameras"] = data.get("min_cameras") or CONVOY_MIN_CAMERAS
        return data


class ConvoyFilter(Criteria):
    """Convoy: one exact plate, which it needs, a period of at most CONVOY_RANGE, and its terms."""

    vrm = PlateFilter(
        method="filter_vrm",
        label="Plate",
        required=True,
        patterns=False,
        help_text="The vehicle of interest: one exact plate, such as AB12CDE.",
        error_messages={"required": "Give the plate of the vehicle whose companions you are looking for."},
    )

    class Meta(Criteria.Meta):
        form = ConvoyForm

    def filter_queryset(self, queryset: QuerySet[Read]) -> QuerySet[Read]:
        # The terms say how to look for companions, not which reads: convoy.py applies them.
        for name, filter_ in self.filters.items():
            queryset = filter_.filter(queryset, self.form.cleaned_data.get(name))
        return queryset

    @property
    def terms(self) -> tuple[int, int]:
        """(window_s, min_cameras) of a valid search."""
        return self.form.cleaned_data["window_s"], self.form.cleaned_data["min_cameras"]


# What a scene of a multi-place search names: a place and a time, never a plate.
SCENE_CRITERIA = (*PLACES, "seen_after", "seen_before")


def scene_filters(given: list[Mapping[str, str]]) -> tuple[list[ReadFilter], dict[str, Any]]:
    """The scenes of a multi-place search as filters, and the faults of each by its number
    (from 1): each is a place and at most a day (ReadFilter's rule for a search without a plate)."""
    errors: dict[str, Any] = {}
    if not MIN_SCENES <= len(given) <= MAX_SCENES:
        return [], {"scenes": [f"Give {MIN_SCENES} to {MAX_SCENES} scenes, each a place and a time."]}
    filters = []
    for number, scene in enumerate(given, start=1):
        if other := sorted(set(scene) - set(SCENE_CRITERIA)):
            errors[str(number)] = {
                name: ["A scene is a place and a time: no other criteria."] for name in other
            }
            continue
        scene_filter = ReadFilter(scene)
        if not scene_filter.is_valid():
            errors[str(number)] = criteria_faults(scene_filter.errors)
        filters.append(scene_filter)
    return filters, ({"scenes": errors} if errors else {})


def criteria_faults(errors: Mapping) -> dict:
    """Each criterion's faults by name; faults of the criteria together, not of one field, under
    `criteria`, a name a client can show (for searches of reads and lists of alerts alike)."""
    faults = dict(errors)
    if "__all__" in faults:
        faults["criteria"] = faults.pop("__all__")
    return faults


# The places drawn on the map, by the criterion each is given as.
PARSED: dict[str, Callable[[str], Place]] = {"near": circle_from_text, "within": polygon_from_text}


def drawn_place(criteria: Mapping[str, object]) -> tuple[str, Place] | None:
    """The place drawn among valid criteria, by its criterion's name, if any."""
    name = next((name for name in PARSED if criteria.get(name)), None)
    return (name, PARSED[name](str(criteria[name]))) if name else None


# In the words the access-request workflow refuses such a request with (its grant_for).
NOT_USABLE = "Access request %(value)s is not an approved, unexpired request of yours."

# What every search states, by the names reads_search (apps/reads/selectors.py) takes them.
STATED = ("purpose", "purpose_detail", "reference", "access_request")


class SearchPurposeForm(forms.Form):
    """What every search states: a listed purpose (and, for `other`, a description) and a
    reference, checked by apps/core/purposes.py; and the access request it is made under."""

    purpose = forms.ChoiceField(
        choices=lambda: [("", "Choose why you are searching"), *purpose_choices()],
        label="Purpose",
        help_text="Why you are searching. Recorded with the search.",
        # The message naming every code comes from the purpose rules, below.
        error_messages={"invalid_choice": "%(value)s is not a listed purpose."},
    )
    purpose_detail = forms.CharField(
        required=False,
        max_length=DETAIL_MAX_LENGTH,
        label="Purpose described",
        help_text="Only for 'Other': say why you are searching.",
    )
    reference = forms.CharField(max_length=100, label="Reference")
    access_request = forms.IntegerField(
        required=False,
        min_value=1,
        label="Access request",
        help_text="An approved request, to search reads older than the standard window.",
    )

    def __init__(self, *args, access_request_choices: list[tuple[str, str]] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        rule = settings.SEARCH_REFERENCE_RULE
        self.fields["reference"].help_text = f"Incident, crime or case number: {rule}."
        if access_request_choices is not None:  # the portal offers the user's usable requests
            self.fields["access_request"] = forms.TypedChoiceField(
                choices=access_request_choices,
                coerce=int,
                empty_value=None,
                required=False,
                label="Access request",
                help_text="An approved request of yours, to reach older reads.",
                error_messages={"invalid_choice": NOT_USABLE},
            )

    def full_clean(self) -> None:
        super().full_clean()
        if not hasattr(self, "cleaned_data"):
            return
        try:
            stated = state_purpose(
                purpose=self.data.get("purpose", ""),
                reference=self.data.get("reference", ""),
                detail=self.data.get("purpose_detail", ""),
            )
        except ValidationError as refused:
            for field, messages in refused.message_dict.items():
                # the rule's words, not the field's (Form._errors is missing from the stubs)
                self._errors[field] = self.error_class(messages)  # type: ignore[attr-defined]
                self.cleaned_data.pop(field, None)
            return
        # a listed code sent with spaces around it is still listed
        self._errors.pop("purpose", None)  # type: ignore[attr-defined]
        self.cleaned_data |= {
            "purpose": stated.code,
            "purpose_detail": stated.detail,
            "reference": stated.reference,
        }

    def stated(self) -> dict:
        """What a valid form states, in reads_search' own terms (its keyword arguments)."""
        return {name: self.cleaned_data[name] for name in STATED}


def _as_json(value):
    if isinstance(value, Decimal):
        return float(value)
    return value.isoformat() if hasattr(value, "isoformat") else value
