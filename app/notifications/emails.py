"""The emails themselves: what each kind says, in plain text and in HTML, as one MIME message.

Every value a user chose (names of people, files, folders, requests) is HTML-escaped in the
HTML part and stripped of control characters in the subject. No images, no tracking pixels,
no remote content: the HTML is paragraphs, one link and the footer's unsubscribe link.
"""

import html
import unicodedata
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formataddr, formatdate

# Bodies are encoded for 78-character lines; headers are written unfolded (up to RFC 5322's
# 998), because a folded List-Unsubscribe URL would be an RFC 2047 word no client follows.
_UNFOLDED = SMTP.clone(max_line_length=998)
_SUBJECT_MAX = 150

REJECTION_REASONS = {
    "size_mismatch": "The file that arrived was not the size declared when the upload started, "
    "so it was not kept. Please upload it again.",
    "type_mismatch": "Its content is not the kind of file its type says (for example an image "
    "that does not open as one), so it was not kept.",
    "quota_exceeded": "It did not fit in your storage quota, so it was not kept. Free some space "
    "(emptying your trash counts) and upload it again.",
}
OTHER_REJECTION = "It did not pass the checks every upload goes through, so it was not kept."


@dataclass(frozen=True)
class Email:
    """One email to one address: the subject, its two bodies and how to unsubscribe."""

    to: str
    subject: str
    text: str
    html: str
    unsubscribe_url: str


@dataclass(frozen=True)
class Content:
    """What an email says: paragraphs of plain text, one link, why it was sent."""

    subject: str
    paragraphs: tuple[str, ...]
    action: tuple[str, str]  # (label, url)
    reason: str  # "You get this email because ..."
    unsubscribe_label: str  # what the unsubscribe link stops


# Direction overrides and isolates: they make "report\u202efdp.exe" read as "reportexe.pdf".
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def one_line(value: str, limit: int = _SUBJECT_MAX) -> str:
    """`value` on one line, without control characters or direction overrides, shortened to
    `limit` characters."""
    value = value.translate(_BIDI_CONTROLS)
    flat = "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in value)
    flat = " ".join(flat.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def compose(to: str, content: Content, unsubscribe_url: str) -> Email:
    label, url = content.action
    text = "\n\n".join(
        [
            *content.paragraphs,
            f"{label}: {url}",
            "--",
            f"{content.reason}\n{content.unsubscribe_label}: {unsubscribe_url}",
        ]
    )
    paragraphs = "".join(f"<p>{_escaped(p)}</p>\n" for p in content.paragraphs)
    body = (
        "<!doctype html>\n"
        '<html><head><meta charset="utf-8"><title>Sharebox</title></head>\n'
        '<body style="font-family: sans-serif; line-height: 1.5; color: #1f2933">\n'
        f"{paragraphs}"
        f'<p><a href="{html.escape(url)}">{html.escape(label)}</a></p>\n'
        '<hr><p style="font-size: small; color: #52606d">'
        f"{html.escape(content.reason)}<br>\n"
        f'<a href="{html.escape(unsubscribe_url)}">{html.escape(content.unsubscribe_label)}</a>'
        "</p>\n</body></html>\n"
    )
    return Email(to, one_line(content.subject), text + "\n", body, unsubscribe_url)


def _escaped(paragraph: str) -> str:
    """A paragraph in HTML: escaped, its lines kept as line breaks."""
    return "<br>\n".join(html.escape(line) for line in paragraph.split("\n"))


def to_mime(email: Email, sender: str) -> bytes:
    """The raw message SES sends: multipart/alternative, with RFC 8058's one-click headers."""
    message = EmailMessage(policy=SMTP)
    message["From"] = formataddr(("Sharebox", sender))
    message["To"] = email.to
    message["Subject"] = email.subject
    message["Date"] = formatdate(usegmt=True)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to it
    message["List-Unsubscribe"] = f"<{email.unsubscribe_url}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(email.text, cte="quoted-printable")
    message.add_alternative(email.html, subtype="html", cte="quoted-printable")
    return message.as_bytes(policy=_UNFOLDED)


def quoted(name: str) -> str:
    return f"“{one_line(name, 200)}”"


def shared(owner: str, subject_type: str, name: str, link: str) -> Content:
    owner = one_line(owner, 100)
    return Content(
        subject=f"{owner} shared {quoted(name)} with you",
        paragraphs=(f"{owner} shared the {subject_type} {quoted(name)} with you on Sharebox.",),
        action=(f"Open the {subject_type}", link),
        reason="You get this email because someone shared a file or folder with you on Sharebox.",
        unsubscribe_label="Stop emails about what is shared with me",
    )


def invitation(owner: str, subject_type: str, name: str, to: str, link: str) -> Content:
    owner = one_line(owner, 100)
    return Content(
        subject=f"{owner} shared {quoted(name)} with you on Sharebox",
        paragraphs=(
            f"{owner} shared the {subject_type} {quoted(name)} with {to} on Sharebox.",
            "Create a free account with this address to open it. If you did not expect this "
            "email, you can ignore it.",
        ),
        action=("Create an account", link),
        reason="You get this email because someone shared a file or folder with this address.",
        unsubscribe_label="Never send invitations to this address again",
    )


def request_received(
    title: str, names: tuple[str, ...], count: int, uploader: str | None, link: str
) -> Content:
    listed = "\n".join(f"• {one_line(name, 200)}" for name in names)
    if count > len(names):
        listed += f"\n… and {count - len(names)} more"
    if count == 1 and names:
        subject = f"{quoted(names[0])} arrived through your request {quoted(title)}"
    else:
        subject = f"{count} files arrived through your request {quoted(title)}"
    what = "a file" if count == 1 else f"{count} files"
    opening = f"{what.capitalize()} arrived through your upload request {quoted(title)}:"
    if uploader:
        opening = (
            f"{one_line(uploader, 100)} sent {what} through your upload request {quoted(title)}:"
        )
    return Content(
        subject=subject,
        paragraphs=(opening, listed),
        action=("See what arrived", link),
        reason="You get this email because files arrived through an upload request of yours "
        "(at most one email per request every 10 minutes).",
        unsubscribe_label="Stop emails about my upload requests",
    )


def rejected(name: str, reason: str, link: str) -> Content:
    return Content(
        subject=f"Your upload {quoted(name)} was rejected",
        paragraphs=(
            f"Your upload {quoted(name)} was rejected.",
            REJECTION_REASONS.get(reason, OTHER_REJECTION),
        ),
        action=("Go to your files", link),
        reason="You get this email because an upload of yours was rejected.",
        unsubscribe_label="Stop emails about rejected uploads",
    )
