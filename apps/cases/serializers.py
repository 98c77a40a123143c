"""Case folder JSON: what opening a folder, filing a read or a search and sharing take
(`...InputSerializer`),
and a folder as listed or opened (`...OutputSerializer`), its reads disclosed as any search's are."""

from django.urls import reverse
from rest_framework import serializers

from apps.core.purposes import DETAIL_MAX_LENGTH
from apps.reads.serializers import ReadOutputSerializer

from .services import NOTE_MAX_LENGTH, TITLE_MAX_LENGTH


class CaseInputSerializer(serializers.Serializer):
    """A new folder: its title, and the purpose and reference every opening is recorded under."""

    title = serializers.CharField(max_length=TITLE_MAX_LENGTH)
    purpose = serializers.CharField(help_text="A code from GET /api/v1/search-purposes/.")
    purpose_detail = serializers.CharField(
        required=False, max_length=DETAIL_MAX_LENGTH, help_text="Required with purpose `other`."
    )
    reference = serializers.CharField(help_text="Incident, crime or case number.")


class CaseItemInputSerializer(serializers.Serializer):
    """A read to file, as you opened it from your own earlier search (`search`, its audit record)."""

    search = serializers.IntegerField(help_text="`search` of the search that found the read.")
    day = serializers.DateField(help_text="The UTC day the read was seen (from its `url`).")
    read = serializers.IntegerField(help_text="The read's `id`.")
    note = serializers.CharField(required=False, allow_blank=True, max_length=NOTE_MAX_LENGTH)


class CaseSearchInputSerializer(serializers.Serializer):
    """One of your own earlier searches to file (a search, export or vehicle history)."""

    search = serializers.IntegerField(help_text="`search` of your search: its audit record.")
    note = serializers.CharField(required=False, allow_blank=True, max_length=NOTE_MAX_LENGTH)


class CaseShareInputSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, help_text="A colleague who may search reads.")


class CaseOutputSerializer(serializers.Serializer):
    """A folder as listed: who owns it and whom it is shared with, and how many reads it holds."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    purpose = serializers.CharField()
    purpose_detail = serializers.CharField()
    reference = serializers.CharField()
    owner = serializers.CharField()
    created_at = serializers.DateTimeField()
    members = serializers.ListField(child=serializers.CharField(), help_text="Colleagues it is shared with.")
    items = serializers.IntegerField(help_text="Reads filed, whether or not you may see each now.")


class CaseReadOutputSerializer(ReadOutputSerializer):
    """A filed read, disclosed as any search's read; its images are opened under the folder."""

    def links(self, read) -> dict[str, str | None]:
        case, item = self.context["case"], self.context["items"][read.pk]
        image = "cases:image"
        return {
            "url": f"{reverse('cases:detail', args=[case.pk])}#item-{item.pk}",
            "plate_image": reverse(image, args=[case.pk, item.pk, "plate"]) if read.plate_image else None,
            "overview_image": reverse(image, args=[case.pk, item.pk, "overview"])
            if read.overview_image
            else None,
        }


class CaseItemOutputSerializer(serializers.Serializer):
    """A filed read: who filed it, when and why, from which search; `read` is null where you may
    not see it now (outside your access window) or it is no longer held."""

    id = serializers.IntegerField(source="item.pk")
    added_by = serializers.CharField(source="item.added_by.username")
    added_at = serializers.DateTimeField(source="item.added_at")
    note = serializers.CharField(source="item.note")
    search = serializers.IntegerField(source="item.search_audit_id", help_text="The search that found it.")
    read = CaseReadOutputSerializer(allow_null=True)


class FiledSearchRecordSerializer(serializers.Serializer):
    """What a filed search asked and found, as its audit record holds it (not its purpose's free
    text, which stays in the audit trail)."""

    kind = serializers.CharField()
    at = serializers.DateTimeField()
    purpose = serializers.CharField()
    reference = serializers.CharField()
    vrm = serializers.CharField()
    filters = serializers.JSONField()
    result_count = serializers.IntegerField()


class CaseSearchOutputSerializer(serializers.Serializer):
    """A filed search: who filed it, when and why; `criteria` is null once past audit retention."""

    id = serializers.IntegerField(source="filed.pk")
    search = serializers.IntegerField(source="filed.search_audit_id")
    added_by = serializers.CharField(source="filed.added_by.username")
    added_at = serializers.DateTimeField(source="filed.added_at")
    note = serializers.CharField(source="filed.note")
    criteria = FiledSearchRecordSerializer(source="search", allow_null=True)


class OpenedCaseOutputSerializer(CaseOutputSerializer):
    """A folder opened: recorded first (`audit`, the record of this opening), then its reads and
    searches."""

    audit = serializers.IntegerField()
    filed = CaseItemOutputSerializer(many=True)
    searches = CaseSearchOutputSerializer(many=True)
