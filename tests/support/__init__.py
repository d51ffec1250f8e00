"""What the tests share: data read from the project's own seed files (`shared_data`), the
recommendation form's helpers (`recommendation_support`, a pytest plugin), the XSS corpus and
its checker (`xss`), the live-server harness (`live_servers`, also used by bench/), and a mail
backend for worker processes (`mail_backends`)."""
