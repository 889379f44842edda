package io.logship.api;

/** A refusal the client can act on: rendered as {@code {"error", "detail"}} with its HTTP status, never a stack trace. */
public class ApiError extends RuntimeException {

    private final int status;
    private final String error;

    public ApiError(int status, String error, String detail) {
        super(detail);
        this.status = status;
        this.error = error;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public String detail() {
        return getMessage();
    }
}
