namespace Realtime.Protocol;

/// <summary>The error codes of PROTOCOL.md, the only place they are spelled.</summary>
public static class ErrorCodes
{
    /// <summary>Not JSON, not an object, no <c>type</c>/<c>action</c>, a binary frame, or data of the wrong shape.</summary>
    public const string InvalidMessage = "INVALID_MESSAGE";

    /// <summary>No handler for <c>type</c>/<c>action</c>.</summary>
    public const string UnknownRoute = "UNKNOWN_ROUTE";

    /// <summary>The handler or room needs a user and there is none.</summary>
    public const string Unauthorized = "UNAUTHORIZED";

    /// <summary>Access control said no.</summary>
    public const string Forbidden = "FORBIDDEN";

    /// <summary>The connection sent too many frames; the frame was dropped.</summary>
    public const string RateLimit = "RATE_LIMIT";

    /// <summary>The handler ran past its time limit.</summary>
    public const string Timeout = "TIMEOUT";

    /// <summary>The handler threw; details are in the server log only.</summary>
    public const string HandlerError = "HANDLER_ERROR";

    /// <summary>A server request's connection is not connected, or went away before it answered.</summary>
    public const string NotConnected = "NOT_CONNECTED";
}
