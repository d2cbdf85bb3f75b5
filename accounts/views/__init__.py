from accounts.views.auth import lockout_response

__all__ = ["lockout_response"]
