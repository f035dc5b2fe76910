from hikeshi.web.throttle import LoginThrottle


def test_failures_expire_after_the_window_and_success_clears_the_account() -> None:
    now = [0.0]
    throttle = LoginThrottle(max_failures=3, window_seconds=60, clock=lambda: now[0])
    for _ in range(3):
        throttle.failed("user:tanaka", "addr:127.0.0.1")
    assert throttle.blocked("user:tanaka")
    assert throttle.blocked("user:suzuki", "addr:127.0.0.1")  # the same address trying another account
    now[0] = 61.0
    assert not throttle.blocked("user:tanaka", "addr:127.0.0.1")
    throttle.failed("user:tanaka")
    throttle.succeeded("user:tanaka")
    assert not throttle.blocked("user:tanaka")
