namespace Realtime.Client;

/// <summary>The server answered a request with an error (<see cref="Code"/> is one of PROTOCOL.md's codes).</summary>
public sealed class RealtimeRequestException : Exception
{
    /// <summary>An error reply without a code.</summary>
    public RealtimeRequestException()
    {
    }

    /// <summary>An error reply without a code.</summary>
    public RealtimeRequestException(string message) : base(message)
    {
    }

    /// <summary>An error reply without a code, caused by <paramref name="innerException"/>.</summary>
    public RealtimeRequestException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>An error reply: its <c>code</c> and its <c>error</c> text.</summary>
    public RealtimeRequestException(string code, string message) : base(message) => Code = code;

    /// <summary>The error code: <c>FORBIDDEN</c>, <c>UNKNOWN_ROUTE</c>, ...</summary>
    public string Code { get; } = "";
}
