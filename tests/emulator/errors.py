"""The exception every route raises, and the faults the knobs inject."""


class EmulatorError(RuntimeError):
    """A problem with the emulator itself (for example its token port is taken)."""


class ApiError(Exception):
    """An Azure error answer; each service wraps it in its own envelope."""

    def __init__(self, status, code, message, details=None, headers=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers or {}


FAULTS = {
    500: ("InternalServerError", "Encountered internal server error. Please try again."),
    502: ("BadGateway", "The gateway did not receive a response from the service in time."),
    503: ("ServiceUnavailable", "The service is temporarily unavailable. Please try again later."),
    504: ("GatewayTimeout", "The gateway did not receive a response within the specified time period."),
}


def fault(status):
    code, message = FAULTS[status]
    return ApiError(status, code, message)


THROTTLED = {  # codes and texts: best guesses, unverified
    "graph": ("TooManyRequests", "Too many requests. Please retry after {n} seconds."),
    "arm": ("SubscriptionRequestsThrottled", "Number of requests for the subscription exceeded the limit. Please "
                                             "try again after '{n}' seconds."),
    "login": ("temporarily_unavailable", "AADSTS50196: The server terminated an operation because it encountered "
                                         "a client request loop. Please retry after {n} seconds."),
    "token": ("TooManyRequests", "Too many token requests. Please retry after {n} seconds."),
}


def throttled(service, retry_after):
    code, message = THROTTLED[service]
    return ApiError(429, code, message.format(n=retry_after), headers={"Retry-After": str(retry_after)})
