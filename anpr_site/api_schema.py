"""What the OpenAPI schema calls each body: the domain's noun for what the API answers.

Every endpoint takes an `<Noun>InputSerializer` and answers with an `<Noun>OutputSerializer`
(module-level, in the app's `serializers.py`). In the schema an answer is the noun itself
(`AccessRequestOutputSerializer` documents an `AccessRequest`) and an input keeps its suffix
(`HotlistInput`), so a generated client's types read as the domain does.
"""

from drf_spectacular.openapi import AutoSchema

OUTPUT = "OutputSerializer"


class ApiSchema(AutoSchema):
    def get_serializer_name(self, serializer, direction) -> str:
        name = super().get_serializer_name(serializer, direction)
        return name.removesuffix(OUTPUT) or name  # a bare OutputSerializer keeps its name
