"""The profile sync, without HTTP: the email lookup follows only verified addresses."""

import uuid

from app.local.bootstrap import LocalResources
from app.users import repository as users
from app.users.service import sync_profile
from tests.conftest import unique_email


def new_user() -> str:
    return str(uuid.uuid4())


def test_an_unverified_address_gets_a_profile_but_no_lookup(aws: LocalResources) -> None:
    user_id, email = new_user(), unique_email()
    profile = sync_profile(user_id, email, verified=False)
    assert profile is not None and profile.email == email
    assert profile.verified_email is None
    assert users.user_id_for_email(email) is None


def test_a_verified_address_resolves_to_its_user_whatever_its_case(aws: LocalResources) -> None:
    user_id, email = new_user(), unique_email()
    profile = sync_profile(user_id, email.upper(), verified=True)
    assert profile is not None and profile.verified_email == email
    assert users.user_id_for_email(email) == user_id


def test_a_second_user_cannot_take_an_address_the_first_holds(aws: LocalResources) -> None:
    first, second, email = new_user(), new_user(), unique_email()
    sync_profile(first, email, verified=True)
    profile = sync_profile(second, email, verified=True)
    assert profile is not None and profile.verified_email is None
    assert users.user_id_for_email(email) == first
    assert users.claim_email(second, email) is False


def test_a_new_verified_address_moves_the_lookup_and_frees_the_old_one(
    aws: LocalResources,
) -> None:
    user_id, old, new = new_user(), unique_email("old"), unique_email("new")
    sync_profile(user_id, old, verified=True)
    profile = sync_profile(user_id, new, verified=True)
    assert profile is not None and (profile.email, profile.verified_email) == (new, new)
    assert users.user_id_for_email(new) == user_id
    assert users.user_id_for_email(old) is None


def test_a_changed_address_not_yet_verified_resolves_to_no_one(aws: LocalResources) -> None:
    user_id, old, new = new_user(), unique_email("old"), unique_email("new")
    sync_profile(user_id, old, verified=True)
    profile = sync_profile(user_id, new, verified=False)
    assert profile is not None and profile.verified_email is None
    assert users.user_id_for_email(new) is None
    assert users.user_id_for_email(old) is None


def test_releasing_an_address_leaves_it_alone_once_it_points_at_someone_else(
    aws: LocalResources,
) -> None:
    holder, other, email = new_user(), new_user(), unique_email()
    assert users.claim_email(holder, email)
    users.release_email(other, email)
    assert users.user_id_for_email(email) == holder


def test_syncing_twice_changes_nothing(aws: LocalResources) -> None:
    user_id, email = new_user(), unique_email()
    first = sync_profile(user_id, email, verified=True, name="Ada")
    assert sync_profile(user_id, email, verified=True, name="Ada") == first
    assert users.user_id_for_email(email) == user_id
