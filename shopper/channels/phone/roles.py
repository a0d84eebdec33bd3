"""The driver's view of who is speaking: the detectors' own judgement (detect/phone_roles).

The driver must act on a role (stop a `hold` when a person answers), so it uses the same
pure functions the detectors use; it never keeps a copy of the cues.
"""

from __future__ import annotations

from ...detect.phone_roles import HOLD, IVR_ONLY, RoleJudge, Speaker, introduction, is_hold

__all__ = ["HOLD", "IVR_ONLY", "RoleJudge", "Speaker", "introduction", "is_hold"]
