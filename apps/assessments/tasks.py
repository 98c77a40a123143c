"""Daily: remind planners of camera reviews due within a month or overdue (recorded as a job run)."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.audit.jobs import recorded_run
from apps.core.times import shown_day

from .selectors import reviews_due


@shared_task
def remind_reviews_due() -> None:
    with recorded_run("assessment-review-reminders") as details:
        today = timezone.localdate()
        cameras = list(reviews_due(today))
        overdue = [c for c in cameras if c.review_due and c.review_due < today]
        planners = list(
            User.objects.filter(groups__name="planner", is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
        details |= {"due": len(cameras), "overdue": len(overdue), "planners_emailed": 0}
        if not cameras or not planners:
            return
        lines = [
            f"{c.code} ({c.area}): review {'overdue since' if c in overdue else 'due'} "
            f"{shown_day(c.review_due)}"
            for c in cameras
        ]
        send_mail(
            subject=f"Camera reviews: {len(overdue)} overdue, {len(cameras) - len(overdue)} due soon",
            message="\n".join(
                [*lines, "", f"Record reviews at {settings.PORTAL_URL}{reverse('assessments:reviews')}"]
            ),
            from_email=None,
            recipient_list=planners,
        )
        details["planners_emailed"] = len(planners)
