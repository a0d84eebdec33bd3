"""Seed the helpdesk: one public queue and a small knowledge base (run after migrate)."""

import django

django.setup()

from helpdesk.models import KBCategory, KBItem, Queue  # noqa: E402

Queue.objects.get_or_create(slug="support", defaults=dict(
    title="Customer support", allow_public_submission=True, email_address="help@example.test"))
cat, _ = KBCategory.objects.get_or_create(slug="billing", defaults=dict(
    name="Billing", title="Billing questions", description="Invoices, refunds and payments"))
KBItem.objects.get_or_create(category=cat, title="How do I get a copy of my invoice?", defaults=dict(
    question="How do I get a copy of my invoice?",
    answer="Open Account, then Invoices, and choose Download PDF next to the invoice you need."))
KBItem.objects.get_or_create(category=cat, title="How long does a refund take?", defaults=dict(
    question="How long does a refund take?",
    answer="Refunds reach your card within 5 to 7 working days of approval."))
