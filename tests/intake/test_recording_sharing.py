"""Recordings the intake saves from Twilio are the service's own, unless an operator
shares the recordings folder with the agents' group by its setgid bit: then the group
may read them, and an agent's own app plays them."""

# ruff: noqa: F811  (the Twilio fixtures are imported, then named as test arguments)

from __future__ import annotations

import os
import stat
from pathlib import Path

from tests.intake.test_twilio_callbacks import (  # noqa: F401  (fixtures, used by name)
    SID,
    completed_call,
    folder,
    no_proxy,
    recording_done,
    recordings_server,
    the_call,
    twilio,
)


def saved(ctx, twilio, recordings_server) -> Path:  # type: ignore[no-untyped-def]
    twilio.post("/twilio/call-status", completed_call())
    answer = twilio.post("/twilio/recording-status", recording_done(recordings_server))
    assert answer.status_code == 200, answer.text
    return Path(the_call(ctx).recording)  # type: ignore[union-attr, arg-type]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_saved_recording_is_the_services_own_by_default(ctx, twilio, recordings_server):
    recording = saved(ctx, twilio, recordings_server)
    assert (mode(recording), mode(recording.parent)) == (0o600, 0o700)


def test_in_a_folder_shared_by_its_setgid_bit_the_group_may_read_what_is_saved(
    ctx, folder, twilio, recordings_server
):
    # The operator's `chgrp agents`: as root (CI) any group, else one's own.
    group = 65534 if os.geteuid() == 0 else os.getegid()
    os.chown(folder, -1, group)
    folder.chmod(0o2750)
    recording = saved(ctx, twilio, recordings_server)
    assert mode(recording) == 0o640 and recording.stat().st_gid == group
    assert mode(recording.parent) & 0o2750 == 0o2750  # the group may enter, and inherits


def test_a_folder_made_before_the_sharing_is_opened_to_the_group_too(
    ctx, folder, twilio, recordings_server
):
    (folder / "twilio").mkdir(mode=0o700)
    folder.chmod(0o2750)
    recording = saved(ctx, twilio, recordings_server)
    assert mode(recording) == 0o640
    assert mode(recording.parent) & 0o050 == 0o050
