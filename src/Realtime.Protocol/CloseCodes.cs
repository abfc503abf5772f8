namespace Realtime.Protocol;

/// <summary>The WebSocket close codes of PROTOCOL.md.</summary>
public static class CloseCodes
{
    /// <summary>Normal close.</summary>
    public const int Normal = 1000;

    /// <summary>Server shutting down: reconnect elsewhere.</summary>
    public const int GoingAway = 1001;

    /// <summary>No close frame: the connection was cut or reset (never sent; what a peer reports).</summary>
    public const int Abnormal = 1006;

    /// <summary>The client broke the WebSocket protocol (an unmasked frame, a reserved opcode or bit); sent by the WebSocket layer.</summary>
    public const int ProtocolError = 1002;

    /// <summary>A text frame that is not UTF-8; sent by the WebSocket layer.</summary>
    public const int InvalidPayload = 1007;

    /// <summary>Policy: token expired, kicked by the server.</summary>
    public const int PolicyViolation = 1008;

    /// <summary>A message of a kind the endpoint does not take (text on a binary raw endpoint, or the reverse).</summary>
    public const int UnsupportedData = 1003;

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

    /// <summary>The session was resumed on another connection (an extension: session resume).</summary>
    public const int ResumedElsewhere = 4002;

    /// <summary>
    /// True for a code the server may close a connection with (RFC 6455 §7.4: 1000-1003 and
    /// 1007-1014 are defined for sending, 3000-4999 are for libraries and applications).
    /// </summary>
    public static bool MaySend(int code) => code is (>= 1000 and <= 1003) or (>= 1007 and <= 1014) or (>= 3000 and <= 4999);

    /// <summary>
    /// The code to answer a client's close with: its own when it is one a close frame may carry
    /// (1005, 1006 and 1015 never travel in a frame), else <see cref="Normal"/>.
    /// </summary>
    public static int Answer(int? clientCode) => clientCode is >= 1000 and < 5000 and not 1005 and not 1006 and not 1015 ? clientCode.Value : Normal;
}
