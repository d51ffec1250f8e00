"""No models of its own any more: admin sign-in failures are django-axes' `AccessAttempt`
(see adminguard.lockout); migration 0002 removed the hand-written `LoginFailure`."""
