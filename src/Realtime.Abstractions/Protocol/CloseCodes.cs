namespace Realtime.Protocol;

/// <summary>The WebSocket close codes of PROTOCOL.md.</summary>
public static class CloseCodes
{
    /// <summary>Normal close.</summary>
    public const int Normal = 1000;

    /// <summary>Server shutting down: reconnect elsewhere.</summary>
    public const int GoingAway = 1001;

    /// <summary>Policy: token expired, kicked by the server.</summary>
    public const int PolicyViolation = 1008;

    /// <summary>Frame larger than the limit.</summary>
    public const int MessageTooBig = 1009;

    /// <summary>Unexpected server error.</summary>
    public const int InternalError = 1011;

    /// <summary>Server overloaded: try again later.</summary>
    public const int TryAgainLater = 1013;

    /// <summary>Inactive past the configured time.</summary>
    public const int Inactive = 4000;

    /// <summary>Too slow: the send queue overflowed.</summary>
    public const int SlowConsumer = 4001;
}
