"""What a read's page offers from the case folders (through reads' `read_page_panels` hook): file
the read, as opened from its search, in a folder of the viewer's, or start a folder with it under
the search's own purpose and reference. And what a search's results offer (`search_page_panels`):
file that search in a folder of the viewer's."""

from apps.audit.models import SearchAudit
from apps.core.users import User
from apps.reads.hooks import Panel
from apps.reads.models import Read

from .access import may_hold_folders
from .selectors import filing_choices, folders_holding, folders_holding_search


def filing_panel(user: User, read: Read, search: SearchAudit) -> Panel | None:
    """The filing forms for this read, opened under `search`; none for one who keeps no folders."""
    if not may_hold_folders(user):
        return None
    folders = list(filing_choices(user))
    holding = folders_holding(read, among=folders)
    return Panel(
        "cases/_file_read.html",
        {
            "read": read,
            "search": search,
            "folders": [folder for folder in folders if folder.pk not in holding],
            "filed_in": [folder for folder in folders if folder.pk in holding],
        },
    )


def search_filing_panel(user: User, search: SearchAudit) -> Panel | None:
    """The form filing this search (the viewer's own) in one of their folders; none for one who
    keeps no folders or has none to file it in yet."""
    if not may_hold_folders(user):
        return None
    folders = list(filing_choices(user))
    if not folders:
        return None
    holding = folders_holding_search(search, among=folders)
    return Panel(
        "cases/_file_search.html",
        {
            "search": search,
            "folders": [folder for folder in folders if folder.pk not in holding],
            "filed_in": [folder for folder in folders if folder.pk in holding],
        },
    )
