"""What the emails say and how they are built: two parts, escaped names, nothing remote, and
RFC 8058's one-click unsubscribe headers."""

from email import message_from_bytes, policy
from email.message import EmailMessage

from app.notifications import emails
from app.notifications.emails import compose, to_mime

UNSUBSCRIBE = "https://files.example.com/unsubscribe/c2hhcmVzOnUtMQ.AAAAAAAAAAAAAAAAAAAAAA"
LINK = "https://files.example.com/#/file/f-1"
HOSTILE = '<img src="https://evil.example/pixel.gif"><script>alert(1)</script> & "Bob"'


def built(content: emails.Content, to: str = "ann@example.com") -> EmailMessage:
    raw = to_mime(compose(to, content, UNSUBSCRIBE), "noreply@sharebox.example")
    parsed = message_from_bytes(raw, _class=EmailMessage, policy=policy.default)
    return parsed


def parts(message: EmailMessage) -> tuple[str, str]:
    text, html = message.get_body(("plain",)), message.get_body(("html",))
    assert text is not None and html is not None
    return str(text.get_content()), str(html.get_content())


def test_an_email_is_multipart_alternative_with_a_text_and_an_html_part() -> None:
    message = built(emails.shared("Ann Owner", "file", "report.pdf", LINK))

    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    text, html = parts(message)
    assert "Ann Owner shared the file “report.pdf” with you" in text
    assert f"Open the file: {LINK}" in text
    assert f'<a href="{LINK}">Open the file</a>' in html
    assert message["Subject"] == "Ann Owner shared “report.pdf” with you"
    assert message["From"] == "Sharebox <noreply@sharebox.example>"
    assert message["Auto-Submitted"] == "auto-generated"


def test_the_one_click_unsubscribe_headers_of_rfc_8058_are_set_unfolded() -> None:
    raw = to_mime(
        compose("a@example.com", emails.rejected("x.png", "size_mismatch", LINK), UNSUBSCRIBE),
        "noreply@sharebox.example",
    )

    assert f"\r\nList-Unsubscribe: <{UNSUBSCRIBE}>\r\n".encode() in raw
    assert b"\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" in raw
    text, html = parts(message_from_bytes(raw, _class=EmailMessage, policy=policy.default))
    assert UNSUBSCRIBE in text
    assert f'href="{UNSUBSCRIBE}"' in html


def test_names_users_chose_are_escaped_in_html_and_nothing_remote_is_loaded() -> None:
    message = built(emails.shared(HOSTILE, "folder", HOSTILE, LINK))

    text, html = parts(message)
    assert "<img" not in html and "<script" not in html
    assert "&lt;img src=&quot;https://evil.example/pixel.gif&quot;&gt;" in html
    assert "evil.example" not in html.replace("&quot;https://evil.example", "")
    assert "src=" not in html.replace("src=&quot;", "")  # no attribute that loads anything
    assert HOSTILE.split(">")[0] in text  # the plain part says it as it is


def test_control_characters_and_direction_overrides_never_reach_the_subject() -> None:
    message = built(emails.rejected("invoice\u202egnp.exe\r\nBcc: x@evil.example", "x", LINK))

    assert message["Subject"] == "Your upload “invoicegnp.exe Bcc: x@evil.example” was rejected"
    assert message["Bcc"] is None
    assert "\u202e" not in parts(message)[0]


def test_a_rejection_says_its_reason_in_plain_words() -> None:
    text, _ = parts(built(emails.rejected("scan.png", "type_mismatch", LINK)))
    assert "Your upload “scan.png” was rejected." in text
    assert "does not open as one" in text
    other, _ = parts(built(emails.rejected("scan.png", "something_new", LINK)))
    assert emails.OTHER_REJECTION in other


def test_a_digest_names_the_first_files_and_counts_the_rest() -> None:
    names = tuple(f"file-{n}.txt" for n in range(20))
    content = emails.request_received("Tax papers", names, 23, None, LINK)
    text, html = parts(built(content))

    assert content.subject == "23 files arrived through your request “Tax papers”"
    assert "• file-0.txt" in text and "• file-19.txt" in text
    assert "… and 3 more" in text
    assert "file-0.txt<br>" in html


def test_one_received_file_is_named_in_the_subject_with_who_sent_it() -> None:
    content = emails.request_received("Tax papers", ("w2.pdf",), 1, "Bea <b@x>", LINK)
    text, html = parts(built(content))

    assert content.subject == "“w2.pdf” arrived through your request “Tax papers”"
    assert "Bea <b@x> sent a file through your upload request “Tax papers”:" in text
    assert "Bea &lt;b@x&gt; sent a file" in html


def test_an_invitation_names_the_address_and_asks_to_sign_up() -> None:
    content = emails.invitation("Ann", "folder", "Trip", "new@example.com", "https://x/#/signup")
    text, _ = parts(built(content, to="new@example.com"))

    assert "Ann shared the folder “Trip” with new@example.com on Sharebox." in text
    assert "Create an account: https://x/#/signup" in text
    assert "Never send invitations to this address again" in text
