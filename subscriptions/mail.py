"""Every email to a follower, built one way: plain text and HTML from the templates in
`subscriptions/email/`, from `DEFAULT_FROM_EMAIL`, with the one-click unsubscribe headers of
RFC 8058 (`List-Unsubscribe` with the subscription's signed link, `List-Unsubscribe-Post`) and
the same link in the body.

`subscriptions.sending` builds the post and reply emails here, `subscriptions.tasks` the
confirmation. Subjects carry only titles the site wrote, on one line: nothing a reader typed.
"""

import hashlib
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def one_line(text: str) -> str:
    return " ".join(text.split())


def follower_mail(
    subscription, *, subject, template, context, message_id=""
) -> EmailMultiAlternatives:
    """An email to the subscription's address from `<template>.txt` and `<template>.html`."""
    unsubscribe_url = subscription.unsubscribe_url()
    context = {
        **context,
        "subscription": subscription,
        "unsubscribe_url": unsubscribe_url,
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
    }
    headers = {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }
    if message_id:
        headers["Message-ID"] = message_id
    message = EmailMultiAlternatives(
        one_line(subject),
        render_to_string(f"{template}.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [subscription.email],
        headers=headers,
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message


def delivery_message_id(delivery) -> str:
    """The same Message-ID every time this delivery is sent.

    A delivery is sent again only when the worker that sent it died before recording it; a
    mail system that already has the message recognises it by this header.
    """
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    digest = hashlib.blake2b(
        f"{settings.SITE_URL}|{delivery.pk}".encode(), digest_size=8
    ).hexdigest()
    return f"<delivery-{delivery.pk}.{digest}@{host}>"


def confirmation_mail(subscription) -> EmailMultiAlternatives:
    return follower_mail(
        subscription,
        subject=f"Confirm: email me about {subscription.describe()}",
        template="subscriptions/email/confirm",
        context={
            "confirm_url": subscription.confirmation_url(),
            "days": settings.SUBSCRIPTIONS_CONFIRM_DAYS,
        },
    )


def post_mail(delivery) -> EmailMultiAlternatives:
    post = delivery.post
    title = one_line(post.title)
    if post.series_id:
        subject = f"New: {title} (part {post.part} of “{one_line(post.series.title)}”)"
    else:
        subject = f"New on {settings.SITE_NAME}: {title}"
    return follower_mail(
        delivery.subscription,
        subject=subject,
        template="subscriptions/email/post",
        context={
            "post": post,
            "title": title,
            "post_url": settings.SITE_URL + post.get_absolute_url(),
        },
        message_id=delivery_message_id(delivery),
    )


def reply_mail(delivery) -> EmailMultiAlternatives:
    reply = delivery.reply
    title = one_line(reply.post.title)
    return follower_mail(
        delivery.subscription,
        subject=f"A reply to your comment on “{title}”",
        template="subscriptions/email/reply",
        context={
            "reply": reply,
            "parent": reply.parent,
            "title": title,
            "reply_url": settings.SITE_URL + reply.get_absolute_url(),
            "contact_email": settings.SITE_CONTACT_EMAIL,
        },
        message_id=delivery_message_id(delivery),
    )
